/**
 * `tdr synth` end to end, in-process: config files in, manifests and tables out, exit codes.
 * Pulumi runs under its own mock engine; nothing here talks to AWS.
 */
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import * as aws from '@pulumi/aws';
import { loadPlatform } from '../services/config';
import { ecsServices } from '../services/queries';
import { infraStep, renderAll } from '../cli/synth';
import { exitCodeOf } from '../cli/exit-codes';
import { runTdr } from './support/cli';
import { TEST_ACCOUNT_IDS } from './support/accounts';
import { scratchDir } from './support/scratch';

const STACKS_DIR = join(__dirname, '..', 'infra', 'stacks');

describe('tdr synth', function () {
  this.timeout(120_000);

  it('renders all six programs (the bootstrap and the five accounts) into dist/infra and prints resources by type and policy results', async () => {
    const out = scratchDir('tdr-synth-');
    const { code, stdout, stderr } = await runTdr(['synth', '--out', out], {});
    expect(code, stderr).to.equal(0);
    expect(readdirSync(join(out, 'infra')).sort()).to.deep.equal([
      'bootstrap.json',
      'intg.json',
      'mgmt.json',
      'prod.json',
      'sbox.json',
      'staging.json',
    ]);
    expect(stdout).to.match(/^STACK\s+ACCOUNT\s+RESOURCES/m);
    // Columns: bootstrap, mgmt (Jenkins), sbox, intg, staging, prod.
    const n = ecsServices(loadPlatform({}).catalogue).length;
    expect(stdout).to.match(
      new RegExp(`^aws:ecs/service:Service\\s+-\\s+1\\s+-\\s+${n}\\s+${n}\\s+${n}$`, 'm'),
    );
    expect(stdout).to.match(/^ecs-no-public-ip\s+-\s+0\s+-\s+0\s+0\s+0$/m);
    expect(stdout).to.match(/^s3-bucket-tls-only\s+0\s+/m);
    const prod = JSON.parse(readFileSync(join(out, 'infra', 'prod.json'), 'utf8'));
    expect(prod).to.include({ stack: 'prod', accountId: '444444444444', region: 'eu-west-2' });
    expect(prod.policies.violations).to.deep.equal([]);
  });

  it('--stack picks one stack and -o json is for machines', async () => {
    const out = scratchDir('tdr-synth-');
    const { code, stdout, stderr } = await runTdr(
      ['synth', '--stack', 'sbox', '--out', out, '-o', 'json'],
      {},
    );
    expect(code, stderr).to.equal(0);
    const report = JSON.parse(stdout);
    // --stack narrows the infrastructure; the jobs and dashboards are still rendered whole.
    expect(report.steps.map((s: { name: string }) => s.name)).to.deep.equal(['infra', 'jenkins', 'grafana']);
    expect(report.steps[0].files).to.deep.equal([join(out, 'infra', 'sbox.json')]);
    expect(report.steps[1].files).to.include(join(out, 'jenkins', 'seed.groovy'));
    expect(report.steps[2].files.every((f: string) => f.startsWith(join(out, 'grafana')))).to.equal(true);
    expect(existsSync(join(out, 'grafana'))).to.equal(true);
    expect(report.infra.stacks.map((s: { stack: string }) => s.stack)).to.deep.equal(['sbox']);
    expect(report.infra.violations).to.deep.equal([]);
  });

  it('an unknown stack exits 2 naming the valid stacks, and writes nothing', async () => {
    const out = scratchDir('tdr-synth-');
    const { code, stderr } = await runTdr(['synth', '--stack', 'production', '--out', out], {});
    expect(code).to.equal(2);
    expect(stderr).to.contain(
      'stack: "production" is not a stack; valid stacks: mgmt, sbox, intg, staging, prod',
    );
    expect(existsSync(join(out, 'infra'))).to.equal(false);
  });

  it('bad stack config exits 2 naming the key, before any stack is rendered', async () => {
    const dir = scratchDir('tdr-stacks-');
    cpSync(STACKS_DIR, dir, { recursive: true });
    const file = join(dir, 'Pulumi.staging.yaml');
    writeFileSync(
      file,
      readFileSync(file, 'utf8')
        .replace(/^ {2}tdr:accountId:.*\n/m, '')
        .replace('tdr:vpcCidr: 10.3.0.0/16', 'tdr:vpcCidr: [10.3.0.0/16]'),
    );
    const out = scratchDir('tdr-synth-');
    const { code, stderr } = await runTdr(['synth', '--out', out], { TDR_STACK_CONFIG_DIR: dir });
    expect(code).to.equal(2);
    expect(stderr).to.contain('Pulumi.staging.yaml tdr:accountId: is missing');
    expect(stderr).to.contain('Pulumi.staging.yaml tdr:vpcCidr:');
    expect(existsSync(join(out, 'infra'))).to.equal(false);
  });

  it('a policy violation exits 3 and lists each violation with its resource and rule', async () => {
    let stderr = '';
    const io = { stdout: () => undefined, stderr: (t: string) => void (stderr += t) };
    const platform = loadPlatform({});
    const ctx = { io, env: {}, platform: () => platform };
    // A stack with a deliberate hole: SSH open to the internet.
    const step = infraStep(ctx, {
      stacks: ['sbox'],
      platform,
      extend: () => {
        const sg = new aws.ec2.SecurityGroup('broken-sg', { vpcId: 'vpc-x' });
        new aws.vpc.SecurityGroupIngressRule('broken-ssh', {
          securityGroupId: sg.id,
          cidrIpv4: '0.0.0.0/0',
          ipProtocol: 'tcp',
          fromPort: 22,
          toPort: 22,
        });
      },
    });
    const out = scratchDir('tdr-synth-');
    const error = await renderAll(ctx, [step], step, out, 'table').then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(exitCodeOf(error)).to.equal(3);
    expect(stderr).to.contain(
      'VIOLATION sbox aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule broken-ssh: [no-public-ingress-except-load-balancer]',
    );
    expect(stderr).to.contain('sbox: 28 resources, 1 violations');
    expect(existsSync(join(out, 'infra', 'sbox.json')), 'the manifest is still written for review').to.equal(
      true,
    );
  });

  it('stack account ids must match TDR_ACCOUNT_IDS when it is set (exit 2 naming the key)', async () => {
    const ids = TEST_ACCOUNT_IDS;
    const out = scratchDir('tdr-synth-');
    const agreeing = await runTdr(['synth', '--stack', 'sbox', '--out', out], {
      TDR_ACCOUNT_IDS: JSON.stringify(ids),
    });
    expect(agreeing.code, agreeing.stderr).to.equal(0);
    const other = scratchDir('tdr-synth-');
    const differing = await runTdr(['synth', '--out', other], {
      TDR_ACCOUNT_IDS: JSON.stringify({ ...ids, prod: '999999999999' }),
    });
    expect(differing.code).to.equal(2);
    expect(differing.stderr).to.contain(
      'Pulumi.prod.yaml tdr:accountId: is 444444444444 but TDR_ACCOUNT_IDS.prod is 999999999999',
    );
    expect(existsSync(join(other, 'infra'))).to.equal(false);
  });
});
