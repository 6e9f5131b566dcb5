import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { parse as parseYaml } from 'yaml';
import { naming } from '../services/naming';
import { ENVIRONMENT_NAMES } from '../services/environments';
import { parseStackConfig, readStackConfigFile, StackConfigError, toPulumiConfigBag } from './config';

const intg = {
  'tdr:accountId': '222222222222',
  'tdr:mgmtAccountId': '123456789012',
  'tdr:vpcCidr': '10.2.0.0/16',
  'tdr:hostedZoneId': 'Z0INTG00000000000001',
  'tdr:preservationRoleArn': 'arn:aws:iam::555555555555:role/Reader',
  'tdr:slackWorkspaceId': 'T0TDR000001',
  'tdr:alarmsSlackChannelId': 'C0TDRINTG01',
};

function issuesOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    expect(err).to.be.instanceOf(StackConfigError);
    expect((err as StackConfigError).kind).to.equal('invalid');
    return (err as StackConfigError).issues.map((i) => `${i.path}: ${i.message}`);
  }
  throw new Error('expected a StackConfigError');
}

describe('stack config', () => {
  // Each test's folder sits in one scratch folder, removed at the end.
  let scratch: string;
  before(() => (scratch = mkdtempSync(join(tmpdir(), 'tdr-stack-config-'))));
  after(() => rmSync(scratch, { recursive: true, force: true }));
  it('every embedded stack file is valid', () => {
    for (const stack of ENVIRONMENT_NAMES) {
      const { raw, source } = readStackConfigFile(stack);
      expect(parseStackConfig(stack, raw, source).stack).to.equal(stack);
    }
  });

  it('a missing account id is named by its key', () => {
    const { 'tdr:accountId': _dropped, ...rest } = intg;
    expect(issuesOf(() => parseStackConfig('intg', rest, 'Pulumi.intg.yaml'))).to.deep.equal([
      'Pulumi.intg.yaml tdr:accountId: is missing (Invalid input: expected string, received undefined)',
    ]);
  });

  it('reports every problem at once: a short account id, a /24 VPC and an unknown key', () => {
    const issues = issuesOf(() =>
      parseStackConfig(
        'intg',
        { ...intg, 'tdr:accountId': '1234', 'tdr:vpcCidr': '10.2.0.0/24', 'tdr:acountId': 'x' },
        'Pulumi.intg.yaml',
      ),
    );
    expect(issues).to.have.length(3);
    expect(issues.join('\n'))
      .to.contain('tdr:accountId: must be a 12-digit AWS account id')
      .and.contain('tdr:vpcCidr: must be a /16')
      .and.contain('tdr:acountId: is not a known key; valid keys: tdr:accountId,');
  });

  it('wrong types: a string where mgmt needs the workload ids object, and a string where it needs a list', () => {
    const { raw } = readStackConfigFile('mgmt');
    const issues = issuesOf(() =>
      parseStackConfig(
        'mgmt',
        { ...raw, 'tdr:workloadAccountIds': '222222222222', 'tdr:jenkinsAllowlist': '10.0.0.0/8' },
        'Pulumi.mgmt.yaml',
      ),
    );
    expect(issues.join('\n'))
      .to.contain(
        'Pulumi.mgmt.yaml tdr:workloadAccountIds: must be an object with the intg, staging and prod account ids',
      )
      .and.contain('Pulumi.mgmt.yaml tdr:jenkinsAllowlist: must be a list of CIDRs');
  });

  it('a nested key is named with its path', () => {
    const { raw } = readStackConfigFile('mgmt');
    const ids = JSON.stringify({ intg: '222222222222', staging: '333333333333', prod: 'prod' });
    expect(
      issuesOf(() => parseStackConfig('mgmt', { ...raw, 'tdr:workloadAccountIds': ids }, 'Pulumi.mgmt.yaml')),
    ).to.deep.equal(['Pulumi.mgmt.yaml tdr:workloadAccountIds.prod: must be a 12-digit AWS account id']);
  });

  it('YAML scalars arrive as strings, as the Pulumi CLI passes them, so an unquoted id still parses', () => {
    const dir = mkdtempSync(join(scratch, 'tdr-stack-'));
    writeFileSync(
      join(dir, 'Pulumi.sbox.yaml'),
      'config:\n  tdr:accountId: 111111111111\n  tdr:vpcCidr: 10.1.0.0/16\n  tdr:expiryDate: 2027-01-31\n',
    );
    const { raw, source } = readStackConfigFile('sbox', dir);
    expect(raw['tdr:accountId']).to.equal('111111111111');
    expect(parseStackConfig('sbox', raw, source).values).to.include({ 'tdr:expiryDate': '2027-01-31' });
  });

  it('structured values become JSON, scalars strings', () => {
    expect(toPulumiConfigBag({ 'tdr:a': ['x'], 'tdr:b': 42, 'tdr:c': { d: 1 } })).to.deep.equal({
      'tdr:a': '["x"]',
      'tdr:b': '42',
      'tdr:c': '{"d":1}',
    });
  });

  it('a file without a config map is refused', () => {
    const dir = mkdtempSync(join(scratch, 'tdr-stack-'));
    writeFileSync(join(dir, 'Pulumi.intg.yaml'), 'encryptionsalt: abc\n');
    expect(issuesOf(() => readStackConfigFile('intg', dir))).to.deep.equal([
      'Pulumi.intg.yaml config: must be a map of config keys',
    ]);
  });
});

describe('Pulumi project and stack files', () => {
  const repo = join(__dirname, '..');
  it('the account stacks use the state bucket and the KMS secrets provider the bootstrap creates', () => {
    const project = parseYaml(readFileSync(join(repo, 'Pulumi.yaml'), 'utf8')) as {
      backend?: { url?: string };
    };
    expect(project.backend?.url).to.equal(naming.pulumiBackendUrl('eu-west-2'));
    for (const stack of ENVIRONMENT_NAMES) {
      const file = parseYaml(readFileSync(join(repo, 'infra', 'stacks', `Pulumi.${stack}.yaml`), 'utf8')) as {
        secretsprovider?: string;
      };
      expect(file.secretsprovider, stack).to.equal(naming.pulumiSecretsProvider('eu-west-2'));
    }
  });
});
