/**
 * `tdr preflight` and the documented real pulumi runs: while the organisation is missing or holds
 * an example value, the plan's own command line (`npx tdr preflight --stack S && pulumi …`) exits 2
 * naming each field and where its real value comes from, and Pulumi never starts (a stub `pulumi`
 * on PATH records whether it ran); with a real organisation, Pulumi runs with the plan's arguments.
 */
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { loadPlatform } from '../services/config';
import { naming } from '../services/naming';
import {
  EXAMPLE_ORGANISATION,
  ORGANISATION_FIELDS,
  ORGANISATION_PARAMETER_MAX_BYTES,
} from '../services/organisation';
import { firstStandUp } from '../infra/bootstrap/plan';
import { ALL_STACKS } from '../infra/stacks';
import { REAL_ORGANISATION, organisationFile } from '../test/support/organisation';
import { TEST_ACCOUNT_IDS } from '../test/support/accounts';
import { runTdr } from '../test/support/cli';
import { scratchDir } from '../test/support/scratch';
import { standUpInput } from './bootstrap';

const REAL = organisationFile(REAL_ORGANISATION);
const EXAMPLE = organisationFile(EXAMPLE_ORGANISATION);

describe('tdr preflight', () => {
  it('exits 2 while TDR_ORGANISATION is missing or holds an example value, naming each field and its source', async () => {
    for (const stack of ALL_STACKS) {
      const missing = await runTdr(['preflight', '--stack', stack], {});
      expect(missing.code, stack).to.equal(2);
      expect(missing.stdout).to.equal('');
      for (const f of ORGANISATION_FIELDS)
        expect(missing.stderr).to.include(`TDR_ORGANISATION ${f.path}:`).and.include(f.source);
    }
    const examples = await runTdr(['preflight', '--stack', 'prod'], { TDR_ORGANISATION: EXAMPLE });
    expect(examples.code).to.equal(2);
    const named = ORGANISATION_FIELDS.filter((f) =>
      examples.stderr.includes(`TDR_ORGANISATION ${f.path}: is an example value`),
    );
    expect(named.length).to.be.greaterThan(0);
    for (const f of named) expect(examples.stderr).to.include(f.source);
  });

  it("refuses a stack config that sets the organisation's keys itself, and bad account ids; passes a real organisation", async () => {
    const dir = scratchDir('tdr-stacks-');
    const own = readFileSync(join(__dirname, '..', 'infra', 'stacks', 'Pulumi.intg.yaml'), 'utf8');
    writeFileSync(join(dir, 'Pulumi.intg.yaml'), `${own.trimEnd()}\n  tdr:slackWorkspaceId: T0TDR000001\n`);
    const twice = await runTdr(['preflight', '--stack', 'intg'], {
      TDR_ORGANISATION: REAL,
      TDR_STACK_CONFIG_DIR: dir,
    });
    expect(twice.code, twice.stderr).to.equal(2);
    expect(twice.stderr).to.include('tdr:slackWorkspaceId').and.include('not the stack config');
    const ids = await runTdr(['preflight', '--stack', 'intg'], {
      TDR_ORGANISATION: REAL,
      TDR_ACCOUNT_IDS: '{}',
    });
    expect(ids.code).to.equal(2);
    expect(ids.stderr).to.include('TDR_ACCOUNT_IDS');
    // mgmt's committed config holds the example controller digest until the plan's Jenkins images
    // step commits the real one: refused, naming the key; with a pushed digest it passes.
    const example = await runTdr(['preflight', '--stack', 'mgmt'], { TDR_ORGANISATION: REAL });
    expect(example.code).to.equal(2);
    expect(example.stderr).to.include('tdr:jenkinsControllerImageDigest: is the offline example');
    const mgmt = readFileSync(join(__dirname, '..', 'infra', 'stacks', 'Pulumi.mgmt.yaml'), 'utf8');
    const pushed = mgmt.replace(/(tdr:jenkinsControllerImageDigest: ).*/, `$1sha256:${'ab'.repeat(32)}`);
    expect(pushed).to.not.equal(mgmt);
    writeFileSync(join(dir, 'Pulumi.mgmt.yaml'), pushed);
    for (const stack of ALL_STACKS) {
      const ok = await runTdr(['preflight', '--stack', stack, '-o', 'json'], {
        TDR_ORGANISATION: REAL,
        ...(stack === 'mgmt' ? { TDR_STACK_CONFIG_DIR: dir } : {}),
      });
      expect(ok.code, ok.stderr).to.equal(0);
      expect(JSON.parse(ok.stdout)).to.include({
        stack,
        githubOrganisation: REAL_ORGANISATION.githubOrganisation,
      });
    }
    expect((await runTdr(['preflight', '--stack', 'nowhere'], { TDR_ORGANISATION: REAL })).code).to.equal(2);
  });

  it("the plan's documented pulumi commands exit 2 before Pulumi starts while an example value remains", async function () {
    this.timeout(120_000);
    const platform = loadPlatform({});
    const steps = firstStandUp(
      standUpInput(
        platform,
        REAL_ORGANISATION,
        TEST_ACCOUNT_IDS,
        `arn:aws:iam::${TEST_ACCOUNT_IDS.mgmt}:role/Admin`,
      ),
    );
    const runs = steps.flatMap((s) => s.commands).filter((c) => /\bpulumi (preview|up)\b/.test(c));
    // Every real run is guarded: preview and up of the bootstrap and of each account stack.
    expect(runs.length).to.equal(2 * (ALL_STACKS.length - 1) + 3);
    for (const c of runs) {
      const stack = /pulumi (?:preview|up) --stack (\S+)/.exec(c)?.[1];
      expect(c, c).to.match(new RegExp(`^npx tdr preflight --stack ${stack} && `));
    }
    // The documented line itself, with `npx tdr` this checkout's CLI and a `pulumi` that records being started.
    const bin = scratchDir('tdr-bin-');
    const started = join(bin, 'pulumi-started');
    const root = join(__dirname, '..');
    writeFileSync(
      join(bin, 'npx'),
      `#!/bin/sh\n[ "$1" = tdr ] || exit 99\nshift\nexec "${process.execPath}" -r ts-node/register/transpile-only "${root}/cli/main.ts" "$@"\n`,
    );
    writeFileSync(join(bin, 'pulumi'), `#!/bin/sh\necho "$@" >> "${started}"\n`);
    for (const f of ['npx', 'pulumi']) chmodSync(join(bin, f), 0o755);
    mkdirSync(join(bin, 'cwd'));
    const line = runs.find((c) => c.includes('pulumi up --stack prod'))!;
    const sh = (org: string) =>
      new Promise<{ code: number; stderr: string }>((resolve) => {
        execFile(
          'bash',
          ['-c', line],
          { cwd: root, env: { PATH: `${bin}:${process.env.PATH}`, TDR_ORGANISATION: org, HOME: bin } },
          (err, _stdout, stderr) => resolve({ code: err ? Number(err.code) : 0, stderr }),
        );
      });
    const refused = await sh(EXAMPLE);
    expect(refused.code, refused.stderr).to.equal(2);
    expect(refused.stderr).to.include('is an example value').and.include('the real one comes from');
    expect(existsSync(started)).to.equal(false);
    const ran = await sh(REAL);
    expect(ran.code, ran.stderr).to.equal(0);
    expect(readFileSync(started, 'utf8')).to.equal('up --stack prod --plan prod-plan.json\n');
  });

  it("the plan's put of the organisation parameter exits 2 before the AWS CLI starts when the file would not fit a standard parameter", async function () {
    this.timeout(120_000);
    const steps = firstStandUp(
      standUpInput(
        loadPlatform({}),
        REAL_ORGANISATION,
        TEST_ACCOUNT_IDS,
        `arn:aws:iam::${TEST_ACCOUNT_IDS.mgmt}:role/Admin`,
      ),
    );
    const puts = steps.flatMap((s) =>
      s.commands.filter((c) => c.includes(`put-parameter`) && c.includes(naming.organisationParameter())),
    );
    expect(puts).to.have.length(1);
    const bin = scratchDir('tdr-bin-');
    const started = join(bin, 'aws-started');
    const root = join(__dirname, '..');
    writeFileSync(
      join(bin, 'npx'),
      `#!/bin/sh\n[ "$1" = tdr ] || exit 99\nshift\nexec "${process.execPath}" -r ts-node/register/transpile-only "${root}/cli/main.ts" "$@"\n`,
    );
    writeFileSync(join(bin, 'aws'), `#!/bin/sh\nfor a in "$@"; do echo "$a"; done >> "${started}"\n`);
    for (const f of ['npx', 'aws']) chmodSync(join(bin, f), 0o755);
    const sh = (org: string) =>
      new Promise<{ code: number; stderr: string }>((resolve) => {
        execFile(
          'bash',
          ['-c', puts[0]!],
          { cwd: root, env: { PATH: `${bin}:${process.env.PATH}`, TDR_ORGANISATION: org, HOME: bin } },
          (err, _stdout, stderr) => resolve({ code: err ? Number(err.code) : 0, stderr }),
        );
      });
    const big = organisationFile(REAL_ORGANISATION);
    const text = readFileSync(big, 'utf8');
    writeFileSync(big, text + ' '.repeat(ORGANISATION_PARAMETER_MAX_BYTES + 1 - Buffer.byteLength(text)));
    const refused = await sh(big);
    expect(refused.code, refused.stderr).to.equal(2);
    expect(refused.stderr).to.include(`${ORGANISATION_PARAMETER_MAX_BYTES + 1} bytes`);
    expect(existsSync(started)).to.equal(false);
    const put = await sh(REAL);
    expect(put.code, put.stderr).to.equal(0);
    const args = readFileSync(started, 'utf8').split('\n');
    expect(args.slice(0, 2)).to.deep.equal(['ssm', 'put-parameter']);
    expect(args).to.include.members([naming.organisationParameter(), 'String', 'Standard', `file://${REAL}`]);
  });
});
