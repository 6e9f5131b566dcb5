/**
 * `tdr sandbox up` creates the bootstrap's resources from bootstrapDefinitions(), the data the
 * bootstrap Pulumi program is made of: the secrets key, the state bucket and its access-log bucket,
 * the infra and deploy roles, the SSM account ids. And the release engine, with TDR_ACCOUNT_IDS
 * unset, finds the accounts through those parameters.
 */
import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';
import {
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolesCommand,
} from '@aws-sdk/client-iam';
import {
  DescribeKeyCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
  KMSClient,
  ListAliasesCommand,
  ListKeysCommand,
} from '@aws-sdk/client-kms';
import {
  GetBucketEncryptionCommand,
  GetBucketLoggingCommand,
  GetBucketPolicyCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  ListBucketsCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { DeleteParameterCommand, GetParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import { expect } from 'chai';
import type { AccountIds } from '../services/config';
import { ENVIRONMENT_NAMES, type EnvironmentName } from '../services/environments';
import { naming } from '../services/naming';
import { inlinePolicyName } from '../infra/definitions/iam';
import {
  bootstrapDefinitions,
  document,
  tlsOnly,
  type BucketDefinition,
  type RoleDefinition,
} from '../infra/bootstrap/definitions';
import { TEST_ACCOUNT_IDS, assumeRole } from './support/accounts';
import { startMoto, type MotoServer } from './support/moto';
import { SANDBOX, sandboxUp, tdr } from './support/release';

const REGION = 'eu-west-2';
const IDS: AccountIds = { mgmt: TEST_ACCOUNT_IDS.mgmt, sbox: TEST_ACCOUNT_IDS.sbox, ...SANDBOX };
const DEFS = bootstrapDefinitions(REGION, IDS);
const s3 = () => new S3Client({ forcePathStyle: true });

/** IAM in `env`'s account, as the infra jobs reach it: through that account's deploy role. */
async function iamOf(ids: AccountIds, env: EnvironmentName): Promise<IAMClient> {
  if (env === 'mgmt') return new IAMClient({});
  return new IAMClient({ credentials: await assumeRole(ids[env], naming.pulumiDeployRole(env)) });
}

/** IAM returns policy documents URL-encoded. */
function parsed(policy: string | undefined): unknown {
  return JSON.parse(decodeURIComponent(policy ?? '{}'));
}

async function expectRole(def: RoleDefinition): Promise<void> {
  const env = ENVIRONMENT_NAMES.find((e) => IDS[e] === def.accountId) ?? 'mgmt';
  const iam = await iamOf(IDS, env);
  const role = (await iam.send(new GetRoleCommand({ RoleName: def.roleName }))).Role;
  expect(role?.Arn).to.equal(naming.roleArn(def.accountId, def.roleName));
  expect(role?.Description).to.equal(def.description);
  expect(parsed(role?.AssumeRolePolicyDocument), `${def.roleName} trust`).to.deep.equal(def.trust);
  if (def.policy) {
    const inline = await iam.send(
      new GetRolePolicyCommand({ RoleName: def.roleName, PolicyName: inlinePolicyName(def.roleName) }),
    );
    expect(parsed(inline.PolicyDocument), `${def.roleName} policy`).to.deep.equal(def.policy);
  }
  const attached = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: def.roleName }));
  expect((attached.AttachedPolicies ?? []).map((p) => p.PolicyArn)).to.deep.equal(def.managedPolicyArns);
}

async function expectBucket(def: BucketDefinition, keyArn: string | undefined): Promise<void> {
  const Bucket = def.bucketName;
  const client = s3();
  expect((await client.send(new GetBucketVersioningCommand({ Bucket }))).Status, Bucket).to.equal('Enabled');
  const rules = (await client.send(new GetBucketEncryptionCommand({ Bucket })))
    .ServerSideEncryptionConfiguration?.Rules;
  expect(
    rules?.map((r) => r.ApplyServerSideEncryptionByDefault),
    Bucket,
  ).to.deep.equal([
    keyArn ? { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: keyArn } : { SSEAlgorithm: 'AES256' },
  ]);
  const block = (await client.send(new GetPublicAccessBlockCommand({ Bucket })))
    .PublicAccessBlockConfiguration;
  expect(block, Bucket).to.deep.equal({
    BlockPublicAcls: true,
    IgnorePublicAcls: true,
    BlockPublicPolicy: true,
    RestrictPublicBuckets: true,
  });
  const policy = (await client.send(new GetBucketPolicyCommand({ Bucket }))).Policy;
  expect(JSON.parse(policy ?? '{}'), Bucket).to.deep.equal(document([tlsOnly(Bucket), ...def.grants]));
  const logging = (await client.send(new GetBucketLoggingCommand({ Bucket }))).LoggingEnabled;
  expect(logging, Bucket).to.deep.equal(
    def.accessLog
      ? { TargetBucket: def.accessLog.bucketName, TargetPrefix: def.accessLog.prefix }
      : undefined,
  );
}

describe('tdr sandbox up: the bootstrap, from its definitions (moto)', () => {
  // The deploy roles carry AdministratorAccess, which moto knows only when it loads AWS's managed
  // policies; that costs seconds after every reset, so these tests alone get a moto that does.
  let moto: MotoServer;
  let shared: string | undefined;
  before(async function () {
    this.timeout(60_000);
    moto = await startMoto({ MOTO_IAM_LOAD_MANAGED_POLICIES: 'true' });
    shared = process.env.AWS_ENDPOINT_URL;
    process.env.AWS_ENDPOINT_URL = moto.endpoint;
  });
  beforeEach(() => moto.reset());
  after(async () => {
    process.env.AWS_ENDPOINT_URL = shared;
    await moto?.stop();
  });

  it('creates the secrets key, the buckets, the roles and the parameters as the definitions say', async () => {
    await sandboxUp();
    const kms = new KMSClient({});
    const key = (await kms.send(new DescribeKeyCommand({ KeyId: DEFS.secretsKey.alias }))).KeyMetadata;
    expect(key).to.include({ Description: DEFS.secretsKey.description, Enabled: true });
    expect(key?.Arn).to.match(/^arn:aws:kms:eu-west-2:123456789012:key\//);
    const rotation = await kms.send(new GetKeyRotationStatusCommand({ KeyId: key?.KeyId }));
    expect(rotation.KeyRotationEnabled).to.equal(true);
    const keyPolicy = await kms.send(new GetKeyPolicyCommand({ KeyId: key?.KeyId, PolicyName: 'default' }));
    expect(JSON.parse(keyPolicy.Policy ?? '{}')).to.deep.equal(DEFS.secretsKey.policy);

    // The state bucket: versioned, SSE-KMS with the secrets key, public access blocked, TLS only, logged.
    expect(DEFS.stateBucket.kmsKeyAlias).to.equal(DEFS.secretsKey.alias);
    await expectBucket(DEFS.stateBucket, key?.Arn);
    await expectBucket(DEFS.accessLogBucket, undefined);

    for (const def of [...DEFS.infraRoles, ...DEFS.deployRoles]) await expectRole(def);
    for (const env of ENVIRONMENT_NAMES) {
      // Said once more without the definitions: each deploy role trusts its infra role in mgmt, and nothing else.
      const deploy = await (
        await iamOf(IDS, env)
      ).send(new GetRoleCommand({ RoleName: naming.pulumiDeployRole(env) }));
      expect(parsed(deploy.Role?.AssumeRolePolicyDocument)).to.deep.equal({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: naming.roleArn(IDS.mgmt, naming.jenkinsInfraRole(env)) },
            Action: 'sts:AssumeRole',
          },
        ],
      });
    }

    const out = await new SSMClient({}).send(
      new GetParametersCommand({ Names: DEFS.accountIdParameters.map((p) => p.name) }),
    );
    expect(out.InvalidParameters).to.deep.equal([]);
    const got = Object.fromEntries((out.Parameters ?? []).map((p) => [p.Name, [p.Type, p.Value]]));
    expect(got).to.deep.equal(
      Object.fromEntries(ENVIRONMENT_NAMES.map((e) => [naming.accountIdParameter(e), ['String', IDS[e]]])),
    );
  });

  it('runs twice and leaves one key, one alias, one of each bucket, role and attachment', async () => {
    const env = await sandboxUp();
    await tdr(['sandbox', 'up'], env);
    const kms = new KMSClient({});
    const aliases = (await kms.send(new ListAliasesCommand({}))).Aliases ?? [];
    expect(aliases.filter((a) => a.AliasName === DEFS.secretsKey.alias)).to.have.length(1);
    expect((await kms.send(new ListKeysCommand({}))).Keys).to.have.length(1);
    const buckets = ((await s3().send(new ListBucketsCommand({}))).Buckets ?? []).map((b) => b.Name);
    for (const b of [DEFS.stateBucket.bucketName, DEFS.accessLogBucket.bucketName]) {
      expect(
        buckets.filter((n) => n === b),
        b,
      ).to.have.length(1);
    }
    await expectBucket(
      DEFS.stateBucket,
      (await kms.send(new DescribeKeyCommand({ KeyId: DEFS.secretsKey.alias }))).KeyMetadata?.Arn,
    );
    for (const def of DEFS.deployRoles) {
      const iam = await iamOf(IDS, def.env);
      const names = ((await iam.send(new ListRolesCommand({}))).Roles ?? []).map((r) => r.RoleName);
      expect(
        names.filter((n) => n === def.roleName),
        def.roleName,
      ).to.have.length(1);
      await expectRole(def);
    }
  });

  it('the release engine, with TDR_ACCOUNT_IDS unset, finds the accounts through those parameters', async () => {
    // Accounts the engine cannot guess: only the parameters can tell it where intg is.
    const ids: AccountIds = { ...IDS, intg: '555555555555', staging: '666666666666' };
    const up = await sandboxUp({ TDR_ACCOUNT_IDS: JSON.stringify(ids) });
    const env = { ...up, TDR_ACCOUNT_IDS: undefined };

    const deploy = await tdr(['deploy', '--service', 'frontend', '--env', 'intg', '--version', 'v2'], env);
    expect(deploy.stdout).to.contain('succeeded');
    const ecs = new ECSClient({
      credentials: await assumeRole(ids.intg, naming.jenkinsEcsUpdateRole('intg')),
    });
    const service = (
      await ecs.send(
        new DescribeServicesCommand({
          cluster: naming.cluster('frontend', 'intg'),
          services: [naming.ecsService('frontend', 'intg')],
        }),
      )
    ).services?.[0];
    expect(service?.taskDefinition).to.equal(
      `arn:aws:ecs:${REGION}:${ids.intg}:task-definition/${naming.taskFamily('frontend', 'intg')}:2`,
    );
    const status = await tdr(['status', '-o', 'json', '--service', 'frontend', '--env', 'intg'], env);
    expect(JSON.parse(status.stdout)).to.have.nested.property('[0].version', 'v2');

    // And it is the parameters it reads: without one, nothing runs, and the message says where to look.
    await new SSMClient({}).send(new DeleteParameterCommand({ Name: naming.accountIdParameter('intg') }));
    const missing = await tdr(['status', '--service', 'frontend', '--env', 'intg'], env, 2);
    expect(missing.stderr).to.contain('SSM /mgmt/{env}_account');
  });
});
