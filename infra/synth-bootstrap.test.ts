/**
 * The bootstrap stack (infra/bootstrap) as synthesized, and the Pulumi CLI entry points declaring
 * what synth declares.
 */
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { expect } from 'chai';
import { loadPlatform } from '../services/config';
import { ENVIRONMENT_NAMES } from '../services/environments';
import { naming } from '../services/naming';
import { TEST_ACCOUNT_IDS } from '../test/support/accounts';
import type { RecordedResource } from './policies/evaluate';
import { organisationStackKeys, StackConfigError } from './config';
import { REAL_ORGANISATION, organisationFile } from '../test/support/organisation';
import { loadBootstrapConfig, MOCK_ARNS, recordProgram, synthStack, synthStacks } from './synth';
import {
  ofType,
  one,
  readRaw,
  sharedPlatform,
  stack,
  statements,
  synthesizeAll,
  type Inputs,
} from './synth.test-helper';

describe('the bootstrap (infra/bootstrap)', function () {
  this.timeout(60_000);
  before(synthesizeAll);

  it('the state bucket is versioned, encrypted with the secrets key, public access blocked, TLS-only and logged', () => {
    const bucket = naming.pulumiStateBucket();
    const ofBucket = (type: string) =>
      ofType('bootstrap', type).filter(
        (r) => r.name.startsWith('pulumi-state-') && !r.name.startsWith('pulumi-state-logs'),
      );
    expect(one('bootstrap', 'aws:s3/bucket:Bucket', 'pulumi-state-bucket').bucket).to.equal(bucket);
    expect(ofBucket('aws:s3/bucketVersioning:BucketVersioning')[0]?.inputs).to.deep.include({
      versioningConfiguration: { status: 'Enabled' },
    });
    const sse = (
      ofBucket('aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration')[0]
        ?.inputs as Inputs
    ).rules[0].applyServerSideEncryptionByDefault;
    expect(sse.sseAlgorithm).to.equal('aws:kms');
    // The secrets key's own ARN (a KMS key ARN names a generated id, not the logical name).
    const secretsKey = MOCK_ARNS['aws:kms/key:Key']!({
      region: 'eu-west-2',
      account: TEST_ACCOUNT_IDS.mgmt,
      physical: 'pulumi-secrets-key',
      seed: 'pulumi-secrets-key',
      inputs: {},
    });
    expect(sse.kmsMasterKeyId).to.equal(secretsKey);
    expect(
      one('bootstrap', 'aws:s3/bucketLogging:BucketLogging', 'pulumi-state-access-log').targetBucket,
    ).to.equal(naming.pulumiStateLogBucket());
    expect(one('bootstrap', 'aws:kms/alias:Alias', 'pulumi-secrets-key-alias').name).to.equal(
      naming.pulumiSecretsKeyAlias(),
    );
    expect(stack('bootstrap').manifest.policies.violations).to.deep.equal([]);
  });

  it("each account's deploy role is trusted only by that account's Jenkins infra role in mgmt", () => {
    for (const env of ENVIRONMENT_NAMES) {
      const role = one('bootstrap', 'aws:iam/role:Role', `pulumi-deploy-${env}`);
      expect(role.name).to.equal(naming.pulumiDeployRole(env));
      expect(statements(role.assumeRolePolicy).map((s) => s.Principal)).to.deep.equal([
        { AWS: naming.roleArn('123456789012', naming.jenkinsInfraRole(env)) },
      ]);
      const infra = one('bootstrap', 'aws:iam/rolePolicy:RolePolicy', `jenkins-infra-${env}-policy`).policy;
      const assume = statements(infra).filter((s) => s.Action === 'sts:AssumeRole');
      expect(
        assume.map((s) => s.Resource),
        env,
      ).to.deep.equal([naming.roleArn(TEST_ACCOUNT_IDS[env], naming.pulumiDeployRole(env))]);
    }
  });

  it('writes the five account ids into SSM in mgmt, where the release engine reads them', () => {
    const parameters = ofType('bootstrap', 'aws:ssm/parameter:Parameter').map((r) => [
      r.inputs.name,
      r.inputs.insecureValue,
    ]);
    expect(parameters).to.deep.equal(
      ENVIRONMENT_NAMES.map((e) => [naming.accountIdParameter(e), TEST_ACCOUNT_IDS[e]]),
    );
  });

  it("refuses (exit 2) a bootstrap whose account ids disagree with the account stacks'", async () => {
    const { raw } = loadBootstrapConfig();
    const ids = JSON.parse(raw['tdr-bootstrap:accountIds']!) as Record<string, string>;
    const bootstrapRawConfig = {
      ...raw,
      'tdr-bootstrap:accountIds': JSON.stringify({ ...ids, intg: '999999999999' }),
    };
    const err = await synthStacks(['bootstrap', 'intg'], {
      platform: sharedPlatform(),
      bootstrapRawConfig,
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(StackConfigError);
    expect((err as Error).message).to.include(
      'Pulumi.intg.yaml tdr:accountId: is 222222222222 but Pulumi.bootstrap.yaml tdr-bootstrap:accountIds.intg is 999999999999',
    );
  });
});

describe('the Pulumi CLI entry points (infra/index.ts, infra/bootstrap/index.ts)', function () {
  this.timeout(60_000);
  // The offline placeholders: the entry points must declare what synth declares.
  const ids = TEST_ACCOUNT_IDS;
  let sts: ReturnType<typeof mockClient>;
  let saved: string | undefined;
  let savedOrganisation: string | undefined;

  beforeEach(() => {
    saved = process.env.TDR_ACCOUNT_IDS;
    savedOrganisation = process.env.TDR_ORGANISATION;
    process.env.TDR_ACCOUNT_IDS = JSON.stringify(ids);
    // A real run takes the organisation from TDR_ORGANISATION, never the embedded examples.
    process.env.TDR_ORGANISATION = organisationFile(REAL_ORGANISATION);
    sts = mockClient(STSClient);
  });
  afterEach(() => {
    sts.restore();
    if (saved === undefined) delete process.env.TDR_ACCOUNT_IDS;
    else process.env.TDR_ACCOUNT_IDS = saved;
    if (savedOrganisation === undefined) delete process.env.TDR_ORGANISATION;
    else process.env.TDR_ORGANISATION = savedOrganisation;
  });

  it('declares, from the stack name, Pulumi config and real account ids, what synth declares', async () => {
    sts.on(GetCallerIdentityCommand).resolves({
      Account: ids.mgmt,
      Arn: `arn:aws:sts::${ids.mgmt}:assumed-role/${naming.jenkinsInfraRole('staging')}/jenkins`,
    });
    // The stack's own config, as Pulumi passes it: the organisation's keys are not in it.
    const organisationKeys = Object.keys(organisationStackKeys('staging', REAL_ORGANISATION));
    const raw = Object.fromEntries(
      Object.entries(readRaw('staging')).filter(([k]) => !organisationKeys.includes(k)),
    );
    const viaEntryPoint = await recordProgram('staging', raw, raw['tdr:accountId']!, 'eu-west-2', () => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      return require('./index') as Record<string, unknown>;
    });
    const viaSynth = await synthStack('staging', { platform: loadPlatform({}) });
    const names = (records: readonly RecordedResource[]) => records.map((r) => `${r.type}::${r.name}`).sort();
    expect(names(viaEntryPoint)).to.deep.equal(names(viaSynth.records));
    expect(viaEntryPoint.length).to.be.greaterThan(100);
  });

  it('the bootstrap entry point declares what synth declares, with administrator credentials in mgmt', async () => {
    sts.on(GetCallerIdentityCommand).resolves({
      Account: ids.mgmt,
      Arn: `arn:aws:sts::${ids.mgmt}:assumed-role/AWSReservedSSO_AdministratorAccess_0/someone`,
    });
    const { raw } = loadBootstrapConfig();
    const viaEntryPoint = await recordProgram('bootstrap', raw, ids.mgmt, 'eu-west-2', () => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      return require('./bootstrap/index') as Record<string, unknown>;
    });
    const names = (records: readonly RecordedResource[]) => records.map((r) => `${r.type}::${r.name}`).sort();
    expect(names(viaEntryPoint)).to.deep.equal(names(stack('bootstrap').records));
  });
});
