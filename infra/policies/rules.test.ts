import { expect } from 'chai';
import { runPolicies, type RecordedResource } from './evaluate';
import * as rules from './rules';
import { describePolicyCases, doc, provider, res, violations, type PolicyCase } from './fixtures.test-helper';
import { DELIVERY_CASES } from './delivery-rules.test';
import { SERVERLESS_CASES } from './serverless-rules.test';

/** A bucket with every configuration a compliant bucket has; `without` drops or replaces pieces. */
function bucketSet(
  without: Partial<
    Record<'encryption' | 'block' | 'policy' | 'versioning' | 'lifecycle', Record<string, unknown> | null>
  > = {},
): RecordedResource[] {
  const b = 'tdr-upload-files-intg';
  const pieces: Array<[keyof typeof without, string, Record<string, unknown>]> = [
    [
      'encryption',
      'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration',
      { bucket: b, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }] },
    ],
    [
      'block',
      'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock',
      {
        bucket: b,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      },
    ],
    [
      'policy',
      'aws:s3/bucketPolicy:BucketPolicy',
      {
        bucket: b,
        policy: doc({
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: [`arn:aws:s3:::${b}`, `arn:aws:s3:::${b}/*`],
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      },
    ],
    [
      'versioning',
      'aws:s3/bucketVersioning:BucketVersioning',
      { bucket: b, versioningConfiguration: { status: 'Enabled' } },
    ],
    [
      'lifecycle',
      'aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration',
      { bucket: b, rules: [{ id: 'x', status: 'Enabled' }] },
    ],
  ];
  const out = [res('aws:s3/bucket:Bucket', 'files-bucket', { bucket: b }, { id: b })];
  for (const [key, type, inputs] of pieces) {
    const replacement = without[key];
    if (replacement === null) continue;
    out.push(res(type, `files-${key}`, { ...inputs, ...(replacement ?? {}) }));
  }
  return out;
}

const ecsService = (inputs: Record<string, unknown> = {}, ignoreChanges = ['taskDefinition']) =>
  res(
    'aws:ecs/service:Service',
    'frontend-service',
    {
      deploymentCircuitBreaker: { enable: true, rollback: true },
      networkConfiguration: { assignPublicIp: false, subnets: ['s'], securityGroups: ['g'] },
      ...inputs,
    },
    { ignoreChanges },
  );

const rdsInstance = (inputs: Record<string, unknown> = {}) =>
  res('aws:rds/instance:Instance', 'api-db', {
    storageEncrypted: true,
    publiclyAccessible: false,
    manageMasterUserPassword: true,
    backupRetentionPeriod: 30,
    multiAz: true,
    deletionProtection: true,
    ...inputs,
  });

const lbGroup = res(
  'aws:ec2/securityGroup:SecurityGroup',
  'public-sg',
  { tags: { 'tdr:role': 'public-load-balancer' } },
  { id: 'sg-lb' },
);
const taskGroup = res('aws:ec2/securityGroup:SecurityGroup', 'api-sg', {}, { id: 'sg-task' });
const ingress = (name: string, group: string, port: number, cidr = '0.0.0.0/0') =>
  res('aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule', name, {
    securityGroupId: group,
    cidrIpv4: cidr,
    ipProtocol: 'tcp',
    fromPort: port,
    toPort: port,
  });

const rolePolicy = (...statements: unknown[]) =>
  res('aws:iam/rolePolicy:RolePolicy', 'deploy-policy', { policy: doc(...statements) });
const role = (...statements: unknown[]) =>
  res('aws:iam/role:Role', 'deploy-role', { assumeRolePolicy: doc(...statements) });

const CASES: PolicyCase[] = [
  {
    policy: rules.s3BucketEncrypted,
    compliant: 'a bucket with SSE-S3',
    compliantResources: bucketSet(),
    violating: 'a bucket without encryption config',
    violatingResources: bucketSet({ encryption: null }),
    message: /no default encryption/,
  },
  {
    policy: rules.s3PublicAccessBlocked,
    compliant: 'a bucket blocking all four',
    compliantResources: bucketSet(),
    violating: 'a bucket whose block leaves public policies allowed',
    violatingResources: bucketSet({ block: { blockPublicPolicy: false } }),
    message: /blockPublicPolicy/,
  },
  {
    policy: rules.s3TlsOnly,
    compliant: 'a bucket denying insecure transport',
    compliantResources: bucketSet(),
    violating: 'a bucket with no bucket policy',
    violatingResources: bucketSet({ policy: null }),
    message: /insecure transport/,
  },
  {
    policy: rules.s3Versioned,
    compliant: 'a versioned bucket',
    compliantResources: bucketSet(),
    violating: 'a bucket with versioning suspended',
    violatingResources: bucketSet({ versioning: { versioningConfiguration: { status: 'Suspended' } } }),
    message: /not versioned/,
  },
  {
    policy: rules.s3Lifecycle,
    compliant: 'a bucket with an enabled rule',
    compliantResources: bucketSet(),
    violating: 'a bucket whose only rule is disabled',
    violatingResources: bucketSet({ lifecycle: { rules: [{ id: 'x', status: 'Disabled' }] } }),
    message: /no enabled lifecycle/,
  },
  {
    policy: rules.s3NoPublicGrants,
    compliant: 'a policy granting a named role',
    compliantResources: [
      res('aws:s3/bucketPolicy:BucketPolicy', 'p', {
        policy: doc({
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::555555555555:role/Reader' },
          Action: 's3:GetObject',
          Resource: 'arn:aws:s3:::b/*',
        }),
      }),
    ],
    violating: 'a policy granting everyone read',
    violatingResources: [
      res('aws:s3/bucketPolicy:BucketPolicy', 'p', {
        policy: doc({
          Sid: 'Public',
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: 's3:GetObject',
          Resource: 'arn:aws:s3:::b/*',
        }),
      }),
    ],
    message: /Public allows any principal/,
  },
  {
    policy: rules.noPublicIngress,
    compliant: 'the load balancer open on 443 and a task open to the load balancer',
    compliantResources: [
      lbGroup,
      taskGroup,
      ingress('lb-443', 'sg-lb', 443),
      ingress('lb-80', 'sg-lb', 80),
      ingress('task-8080', 'sg-task', 8080, '10.2.0.0/16'),
    ],
    violating: 'a task security group open to the internet',
    violatingResources: [lbGroup, taskGroup, ingress('task-22', 'sg-task', 22)],
    message: /admits 0\.0\.0\.0\/0 on tcp 22-22 to a group that is not the public load balancer/,
  },
  {
    policy: rules.vpcFlowLogs,
    compliant: 'a VPC with a flow log of ALL traffic',
    compliantResources: [
      res('aws:ec2/vpc:Vpc', 'vpc', {}, { id: 'vpc-1' }),
      res('aws:ec2/flowLog:FlowLog', 'fl', { vpcId: 'vpc-1', trafficType: 'ALL' }),
    ],
    violating: 'a VPC logging only rejected traffic',
    violatingResources: [
      res('aws:ec2/vpc:Vpc', 'vpc', {}, { id: 'vpc-1' }),
      res('aws:ec2/flowLog:FlowLog', 'fl', { vpcId: 'vpc-1', trafficType: 'REJECT' }),
    ],
    message: /no flow log/,
  },
  {
    policy: rules.iamNoWildcardActions,
    compliant: 'named actions',
    compliantResources: [
      rolePolicy({
        Effect: 'Allow',
        Action: ['ecs:UpdateService'],
        Resource: 'arn:aws:ecs:eu-west-2:1:service/a/b',
      }),
    ],
    violating: 'ecs:*',
    violatingResources: [
      rolePolicy({
        Sid: 'All',
        Effect: 'Allow',
        Action: ['ecs:*'],
        Resource: 'arn:aws:ecs:eu-west-2:1:service/a/b',
      }),
    ],
    message: /All allows ecs:\*/,
  },
  {
    policy: rules.iamNoWildcardResources,
    compliant: '* only for ecs:RegisterTaskDefinition',
    compliantResources: [
      rolePolicy({ Effect: 'Allow', Action: ['ecs:RegisterTaskDefinition'], Resource: '*' }),
    ],
    violating: 'ecs:UpdateService on *',
    violatingResources: [
      rolePolicy({
        Sid: 'Update',
        Effect: 'Allow',
        Action: ['ecs:UpdateService', 'ecs:RegisterTaskDefinition'],
        Resource: '*',
      }),
    ],
    message: /grants ecs:UpdateService on every resource/,
  },
  {
    policy: rules.iamTrustNamedPrincipals,
    compliant: 'a trust naming a role',
    compliantResources: [
      role({
        Effect: 'Allow',
        Principal: { AWS: ['arn:aws:iam::123456789012:role/TDRJenkinsNodeRoleIntg'] },
        Action: 'sts:AssumeRole',
      }),
    ],
    violating: 'a trust naming a whole account',
    violatingResources: [
      role({
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::123456789012:root' },
        Action: 'sts:AssumeRole',
      }),
    ],
    message: /trust a named role/,
  },
  {
    policy: rules.iamTrustNamedPrincipals,
    compliant: 'a service trust bound to the account',
    compliantResources: [
      role({
        Effect: 'Allow',
        Principal: { Service: 'ecs-tasks.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'aws:SourceAccount': '222222222222' } },
      }),
    ],
    violating: 'a service trust for any account',
    violatingResources: [
      role({ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }),
    ],
    message: /add aws:SourceAccount/,
  },
  {
    policy: rules.ecsCircuitBreaker,
    compliant: 'breaker with rollback',
    compliantResources: [ecsService()],
    violating: 'breaker without rollback',
    violatingResources: [ecsService({ deploymentCircuitBreaker: { enable: true, rollback: false } })],
    message: /circuit breaker/,
  },
  {
    policy: rules.ecsNoPublicIp,
    compliant: 'no public IP',
    compliantResources: [ecsService()],
    violating: 'public IPs',
    violatingResources: [ecsService({ networkConfiguration: { assignPublicIp: true, subnets: ['s'] } })],
    message: /assigns public IPs/,
  },
  {
    policy: rules.ecsReleaseOwned,
    compliant: 'ignoring taskDefinition',
    compliantResources: [ecsService()],
    violating: 'managing taskDefinition',
    violatingResources: [ecsService({}, [])],
    message: /does not ignore changes to taskDefinition/,
  },
  {
    policy: rules.ecsContainerInsights,
    compliant: 'insights on',
    compliantResources: [
      res('aws:ecs/cluster:Cluster', 'c', { settings: [{ name: 'containerInsights', value: 'enabled' }] }),
    ],
    violating: 'insights off',
    violatingResources: [
      res('aws:ecs/cluster:Cluster', 'c', { settings: [{ name: 'containerInsights', value: 'disabled' }] }),
    ],
    message: /Container Insights is off/,
  },
  {
    policy: rules.ecrImmutable,
    compliant: 'immutable, scanned',
    compliantResources: [
      res('aws:ecr/repository:Repository', 'r', {
        imageTagMutability: 'IMMUTABLE',
        imageScanningConfiguration: { scanOnPush: true },
      }),
    ],
    violating: 'mutable tags',
    violatingResources: [
      res('aws:ecr/repository:Repository', 'r', {
        imageTagMutability: 'MUTABLE',
        imageScanningConfiguration: { scanOnPush: true },
      }),
    ],
    message: /tags are MUTABLE/,
  },
  {
    policy: rules.rdsEncryptedPrivate,
    compliant: 'encrypted, private, managed password',
    compliantResources: [provider('intg'), rdsInstance()],
    violating: 'a public database',
    violatingResources: [provider('intg'), rdsInstance({ publiclyAccessible: true })],
    message: /publicly accessible/,
  },
  {
    policy: rules.rdsEncryptedPrivate,
    compliant: 'a managed password',
    compliantResources: [provider('intg'), rdsInstance()],
    violating: 'a password in the program',
    violatingResources: [
      provider('intg'),
      rdsInstance({ manageMasterUserPassword: false, password: '[secret]' }),
    ],
    message: /Secrets Manager/,
  },
  {
    policy: rules.rdsResilience,
    compliant: 'a Multi-AZ, protected prod database',
    compliantResources: [provider('prod'), rdsInstance()],
    violating: 'a single-AZ prod database',
    violatingResources: [provider('prod'), rdsInstance({ multiAz: false })],
    message: /not Multi-AZ/,
  },
  {
    policy: rules.rdsResilience,
    compliant: 'an intg database with 7 days and no protection',
    compliantResources: [
      provider('intg'),
      rdsInstance({ backupRetentionPeriod: 7, multiAz: false, deletionProtection: false }),
    ],
    violating: 'a prod database with 7 days of backups',
    violatingResources: [provider('prod'), rdsInstance({ backupRetentionPeriod: 7 })],
    message: /at least 30 required/,
  },
  {
    policy: rules.lbModernTls,
    compliant: 'HTTPS with TLS 1.3 and an HTTP redirect',
    compliantResources: [
      res('aws:lb/listener:Listener', 'https', {
        protocol: 'HTTPS',
        sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
        certificateArn: 'arn:aws:acm:x',
      }),
      res('aws:lb/listener:Listener', 'http', {
        protocol: 'HTTP',
        defaultActions: [{ type: 'redirect', redirect: { protocol: 'HTTPS' } }],
      }),
    ],
    violating: 'HTTP forwarding to targets',
    violatingResources: [
      res('aws:lb/listener:Listener', 'http', {
        protocol: 'HTTP',
        defaultActions: [{ type: 'forward', targetGroupArn: 'tg' }],
      }),
    ],
    message: /other than redirect/,
  },
  {
    policy: rules.lbModernTls,
    compliant: 'a TLS 1.3 policy',
    compliantResources: [
      res('aws:lb/listener:Listener', 'https', {
        protocol: 'HTTPS',
        sslPolicy: 'ELBSecurityPolicy-TLS13-1-3-2021-06',
        certificateArn: 'arn:aws:acm:x',
      }),
    ],
    violating: 'the 2016 policy',
    violatingResources: [
      res('aws:lb/listener:Listener', 'https', {
        protocol: 'HTTPS',
        sslPolicy: 'ELBSecurityPolicy-2016-08',
        certificateArn: 'arn:aws:acm:x',
      }),
    ],
    message: /ELBSecurityPolicy-2016-08 is not a modern one/,
  },
  {
    policy: rules.lbHardened,
    compliant: 'dropping invalid headers with logs',
    compliantResources: [
      res('aws:lb/loadBalancer:LoadBalancer', 'alb', {
        loadBalancerType: 'application',
        dropInvalidHeaderFields: true,
        accessLogs: { bucket: 'logs', enabled: true },
      }),
    ],
    violating: 'keeping invalid headers',
    violatingResources: [
      res('aws:lb/loadBalancer:LoadBalancer', 'alb', {
        loadBalancerType: 'application',
        accessLogs: { bucket: 'logs', enabled: true },
      }),
    ],
    message: /invalid header/,
  },
  {
    policy: rules.logRetention,
    compliant: '30 days',
    compliantResources: [res('aws:cloudwatch/logGroup:LogGroup', 'l', { retentionInDays: 30 })],
    violating: 'no retention',
    violatingResources: [res('aws:cloudwatch/logGroup:LogGroup', 'l', {})],
    message: /no retention/,
  },
  {
    policy: rules.snsEncrypted,
    compliant: 'a KMS key',
    compliantResources: [res('aws:sns/topic:Topic', 't', { kmsMasterKeyId: 'arn:aws:kms:k' })],
    violating: 'no key',
    violatingResources: [res('aws:sns/topic:Topic', 't', {})],
    message: /not encrypted/,
  },
  {
    policy: rules.kmsRotation,
    compliant: 'rotation on',
    compliantResources: [res('aws:kms/key:Key', 'k', { enableKeyRotation: true })],
    violating: 'rotation off',
    violatingResources: [res('aws:kms/key:Key', 'k', { enableKeyRotation: false })],
    message: /rotation is off/,
  },
  {
    policy: rules.efsEncrypted,
    compliant: 'encrypted',
    compliantResources: [res('aws:efs/fileSystem:FileSystem', 'f', { encrypted: true })],
    violating: 'unencrypted',
    violatingResources: [res('aws:efs/fileSystem:FileSystem', 'f', {})],
    message: /not encrypted/,
  },
  {
    policy: rules.sandboxExpiry,
    compliant: 'a sandbox VPC under an expiry default tag',
    compliantResources: [provider('sbox', { Expiry: '2027-03-31' }), res('aws:ec2/vpc:Vpc', 'v', {})],
    violating: 'a sandbox VPC with no expiry',
    violatingResources: [provider('sbox'), res('aws:ec2/vpc:Vpc', 'v', {})],
    message: /no Expiry tag/,
  },
];

describe('policies', () => {
  it('there are at least 15 distinct rules, each with a compliant and a violating case below', () => {
    expect(rules.ALL_POLICIES.length).to.be.at.least(15);
    const names = rules.ALL_POLICIES.map((p) => p.name);
    expect(new Set(names).size).to.equal(names.length);
    const tested = new Set([...CASES, ...SERVERLESS_CASES, ...DELIVERY_CASES].map((c) => c.policy.name));
    expect(names.filter((n) => !tested.has(n))).to.deep.equal([]);
  });

  describePolicyCases(CASES);

  it('a resource policy only applies to its type: an ECS rule passes over a bucket', async () => {
    const report = await runPolicies(bucketSet(), [rules.ecsNoPublicIp]);
    expect(report.results[0]).to.include({ checked: 0, violations: 0 });
  });

  describe('iam-trust-named-principals: a whole account only for its own people', () => {
    const own = '123456789012';
    const account = (allowedAccountIds: unknown): RecordedResource => {
      const p = provider('mgmt');
      return { ...p, inputs: { ...p.inputs, allowedAccountIds } };
    };
    const peopleRole = (principal: string, condition: unknown, maxSessionDuration?: number) =>
      res('aws:iam/role:Role', 'approver-role', {
        assumeRolePolicy: doc({
          Effect: 'Allow',
          Principal: { AWS: principal },
          Action: 'sts:AssumeRole',
          ...(condition ? { Condition: condition } : {}),
        }),
        ...(maxSessionDuration === undefined ? {} : { maxSessionDuration }),
      });
    const mfa = { Bool: { 'aws:MultiFactorAuthPresent': 'true' } };
    const messages = async (resources: RecordedResource[]) =>
      (await violations(rules.iamTrustNamedPrincipals, resources)).map((v) => v.message);

    it('passes its own account with MFA required and sessions of at most an hour', async () => {
      for (const ids of [[own], JSON.stringify([own])]) {
        expect(
          await messages([account(ids), peopleRole(`arn:aws:iam::${own}:root`, mfa, 3600)]),
        ).to.deep.equal([]);
        expect(await messages([account(ids), peopleRole(`arn:aws:iam::${own}:root`, mfa)])).to.deep.equal([]);
      }
    });

    it('refuses it without MFA, with MFA only if present, for another account, or for longer sessions', async () => {
      const refused: Array<[string, RecordedResource[]]> = [
        ['no MFA', [account([own]), peopleRole(`arn:aws:iam::${own}:root`, undefined)]],
        [
          'MFA if present',
          [
            account([own]),
            peopleRole(`arn:aws:iam::${own}:root`, {
              BoolIfExists: { 'aws:MultiFactorAuthPresent': 'true' },
            }),
          ],
        ],
        ['another account', [account([own]), peopleRole('arn:aws:iam::999999999999:root', mfa)]],
        ['an unknown account', [peopleRole(`arn:aws:iam::${own}:root`, mfa)]],
        ['twelve-hour sessions', [account([own]), peopleRole(`arn:aws:iam::${own}:root`, mfa, 43200)]],
      ];
      for (const [why, resources] of refused) {
        expect((await messages(resources)).join('\n'), why).to.match(
          /trust a named role, not an account or \*/,
        );
      }
    });

    // IAM Identity Center's roles (AWSReservedSSO_{PermissionSet}_{suffix}): the account, narrowed by
    // aws:PrincipalArn to role ARNs of that account (infra/definitions/iam.ts accountRolePatternTrust).
    const mgmt = '111111111111';
    const sso = (set: string, account = mgmt) =>
      `arn:aws:iam::${account}:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_${set}_*`;
    const byArn = (values: unknown, op = 'ArnLike', key = 'aws:PrincipalArn') => ({
      [op]: { [key]: values },
    });

    it('passes an account narrowed by aws:PrincipalArn to role ARNs of that account (any account, any session)', async () => {
      const passed: Array<[string, unknown]> = [
        ['ArnLike, SSO patterns', byArn([sso('TDRAdmin'), sso('TDRRelease')])],
        ['ArnLike, one value', byArn(sso('TDRAdmin'))],
        ['ArnEquals, a named role', byArn(`arn:aws:iam::${mgmt}:role/TDRReleaseApproverProd`, 'ArnEquals')],
        ['a key in another case', byArn([sso('TDRAdmin')], 'ArnLike', 'AWS:PrincipalARN')],
        ['a further condition narrows it', { ...byArn([sso('TDRAdmin')]), ...mfa }],
      ];
      for (const [why, condition] of passed)
        expect(
          await messages([peopleRole(`arn:aws:iam::${mgmt}:root`, condition, 43200)]),
          why,
        ).to.deep.equal([]);
    });

    it('refuses an account whose aws:PrincipalArn condition is missing, loose, or names another account', async () => {
      const refused: Array<[string, unknown]> = [
        ['no condition', undefined],
        ['a bare *', byArn('*')],
        ['every role of the account', byArn(`arn:aws:iam::${mgmt}:role/*`)],
        ['every role under a path', byArn(`arn:aws:iam::${mgmt}:role/aws-reserved/sso.amazonaws.com/*`)],
        ['a role name starting with a wildcard', byArn(`arn:aws:iam::${mgmt}:role/*Admin`)],
        ['any account', byArn(`arn:aws:iam::*:role/TDRAdmin`)],
        ['another account', byArn([sso('TDRAdmin'), sso('TDRAdmin', '999999999999')])],
        ['a user, not a role', byArn(`arn:aws:iam::${mgmt}:user/alice`)],
        ['an empty list', byArn([])],
        ['a string match, not an ARN match', byArn([sso('TDRAdmin')], 'StringLike')],
        ['only if the key exists', byArn([sso('TDRAdmin')], 'ArnLikeIfExists')],
        ['for any value', byArn([sso('TDRAdmin')], 'ForAnyValue:ArnLike')],
        ['another key', byArn([sso('TDRAdmin')], 'ArnLike', 'aws:SourceArn')],
      ];
      for (const [why, condition] of refused)
        expect(
          (await messages([peopleRole(`arn:aws:iam::${mgmt}:root`, condition)])).join('\n'),
          why,
        ).to.match(/trust a named role, not an account or \*/);
    });
  });

  it('the sandbox rule does not apply outside the sandbox', async () => {
    const report = await runPolicies(
      [provider('prod'), res('aws:ec2/vpc:Vpc', 'v', {})],
      [rules.sandboxExpiry],
    );
    expect(report.results[0]).to.include({ checked: 0, violations: 0 });
  });
});
