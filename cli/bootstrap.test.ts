import { expect } from 'chai';
import { ORGANISATION_FIELDS } from '../services/organisation';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadPlatform } from '../services/config';
import { firstStandUp, standUpPrerequisites } from '../infra/bootstrap/plan';
import { renderRunbookSteps, spliceRunbook } from '../infra/bootstrap/runbook';
import { TEST_ACCOUNT_IDS } from '../test/support/accounts';
import { expectGolden } from '../test/support/golden';
import { runTdr } from '../test/support/cli';
import { standUpInput } from './bootstrap';
import { REAL_ORGANISATION, organisationFile } from '../test/support/organisation';
import { EXAMPLE_ORGANISATION } from '../services/organisation';

const TDR_ORGANISATION = organisationFile(REAL_ORGANISATION);

const ids = JSON.stringify({
  mgmt: '900000000000',
  sbox: '900000000001',
  intg: '900000000002',
  staging: '900000000003',
  prod: '900000000004',
});

describe('tdr bootstrap plan', () => {
  it('prints the ordered first stand-up as JSON, with the account ids from TDR_ACCOUNT_IDS', async () => {
    const { code, stdout } = await runTdr(
      ['bootstrap', 'plan', '-o', 'json', '--admin-role', 'arn:aws:iam::900000000000:role/Admin'],
      { TDR_ACCOUNT_IDS: ids, TDR_ORGANISATION },
    );
    expect(code).to.equal(0);
    const steps = JSON.parse(stdout) as Array<{
      step: number;
      title: string;
      commands: string[];
      check: string;
    }>;
    expect(steps[0]?.title).to.match(/^Bootstrap/);
    expect(steps.map((s) => s.step)).to.deep.equal(steps.map((_, i) => i + 1));
    // Every SSM parameter jenkins.yaml reads is in the controller step.
    const controller = steps.find((s) => /Jenkins controller/.test(s.title));
    expect(controller?.commands.join('\n'))
      .to.include('/mgmt/github/secret')
      .and.include('/mgmt/slack/token')
      .and.include('put-parameter --type SecureString --name /mgmt/slack/release-webhook');
    // The seed's check counts what `tdr jobs list` prints.
    const jobs = JSON.parse((await runTdr(['jobs', 'list', '-o', 'json'], {})).stdout) as unknown[];
    const seed = steps.find((s) => /seed job/.test(s.title));
    expect(seed?.check).to.include(`created ${jobs.length} jobs`);
    // Day one names each seeded ledger-adopt job, and comes after the seed.
    const adopt = (jobs as Array<{ path: string; kind: string }>).filter((j) => j.kind === 'ledger-adopt');
    expect(adopt.map((j) => j.path)).to.deep.equal(
      ['intg', 'staging', 'prod'].map((e) => `${e}/ledger-adopt`),
    );
    const dayOne = steps.find((s) => /Day one in the ledger/.test(s.title))!;
    expect(dayOne.step).to.be.greaterThan(seed!.step);
    for (const j of adopt)
      expect(dayOne.commands.join('\n')).to.include(`/job/${j.path.replace('/', '/job/')}/`);
  });

  it('exits 2 while the organisation is missing or holds example values, naming each field, printing nothing', async () => {
    const missing = await runTdr(['bootstrap', 'plan', '--account-ids', ids], {});
    expect(missing.code).to.equal(2);
    expect(missing.stdout).to.equal('');
    for (const f of ORGANISATION_FIELDS) expect(missing.stderr).to.include(`TDR_ORGANISATION ${f.path}:`);
    const examples = await runTdr(['bootstrap', 'plan', '--account-ids', ids], {
      TDR_ORGANISATION: organisationFile(EXAMPLE_ORGANISATION),
    });
    expect(examples.code).to.equal(2);
    expect(examples.stdout).to.equal('');
    expect(examples.stderr)
      .to.include('TDR_ORGANISATION hostedZoneIds.prod')
      .and.include('Z0PROD00000000000001');
    expect(examples.stderr).not.to.include('TDR_ORGANISATION githubOrganisation');
  });

  it('prints the steps for people, each with its commands and its check', async () => {
    const { code, stdout } = await runTdr(['bootstrap', 'plan', '--account-ids', ids], { TDR_ORGANISATION });
    expect(code).to.equal(0);
    expect(stdout)
      .to.match(/^Before you start:\n/)
      .and.match(/^1\. Bootstrap/m);
    expect(stdout).to.include(
      '$ npx tdr preflight --stack mgmt && pulumi up --stack mgmt --plan mgmt-plan.json',
    );
    expect(stdout).to.include('check: ');
  });

  it('exits 2 without account ids, with bad ones, or with an administrator role outside mgmt', async () => {
    expect((await runTdr(['bootstrap', 'plan'], {})).code).to.equal(2);
    const bad = await runTdr(['bootstrap', 'plan', '--account-ids', '{"mgmt":"1"}'], {});
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.include('--account-ids');
    const role = await runTdr(
      ['bootstrap', 'plan', '--account-ids', ids, '--admin-role', 'arn:aws:iam::900000000002:role/Admin'],
      { TDR_ORGANISATION },
    );
    expect(role.code).to.equal(2);
    expect(role.stderr).to.include('must be an IAM role ARN in mgmt (900000000000)');
  });
});

describe('the first stand-up runbook', () => {
  it('holds the steps tdr bootstrap plan prints, rendered from the plan (the offline ids and example organisation)', () => {
    const file = join(__dirname, '..', 'docs', 'runbook-first-standup.md');
    const doc = readFileSync(file, 'utf8');
    const input = standUpInput(
      loadPlatform({}),
      EXAMPLE_ORGANISATION,
      TEST_ACCOUNT_IDS,
      `arn:aws:iam::${TEST_ACCOUNT_IDS.mgmt}:role/YOUR-ADMINISTRATOR-ROLE`,
    );
    const steps = firstStandUp(input);
    const prerequisites = standUpPrerequisites(input);
    const fresh = spliceRunbook(doc, renderRunbookSteps(prerequisites, steps));
    expectGolden(file, fresh);
    // Every step and prerequisite is in it, each step's commands verbatim.
    for (const s of steps) {
      expect(doc).to.include(`#### ${s.step}. ${s.title}`);
      for (const c of s.commands) expect(doc).to.include(c);
    }
    for (const p of prerequisites) expect(doc).to.include(p.what);
  });
});
