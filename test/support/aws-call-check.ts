/**
 * Every AWS call the integration suite recorded (test/support/aws-calls.ts), simulated with
 * `@cloud-copilot/iam-simulate` against the identity policies infra generates for the role that
 * signed it, and against the resource's own policy where it has one (the S3 bucket policy; for
 * sts:AssumeRole the target role's trust policy). A denial fails the check, listed with its test;
 * grants no call used are printed as a least-privilege figure.
 *
 * Policies come from the golden manifests (testdata/infra/*.json): infra/synth.test.ts fails when
 * they differ from what the programs declare, and reading them keeps this check to seconds.
 *
 * Which action and resource an operation needs is written per operation from the Service
 * Authorization Reference (https://docs.aws.amazon.com/service-authorization/latest/reference/)
 * and each API reference's "permissions" notes, cited where the name differs from the operation.
 * An operation not in OPERATIONS is reported, never passed.
 *
 * Run: `npm run check:aws-calls` (after `npm run test:integration`).
 */
import { KNOWN_DENIALS, sortDenials } from './aws-call-known-denials';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { statementsOf, type Statement } from '../../infra/policies/documents';
import { AWS_CALLS_DIR, type RecordedCall } from './aws-calls';

const GOLDEN_DIR = join(__dirname, '..', '..', 'testdata', 'infra');
const STACKS = ['bootstrap', 'mgmt', 'sbox', 'intg', 'staging', 'prod'];

/** What IAM authorises for one call. */
export interface Authorisation {
  readonly action: string;
  readonly resource: string;
  /** The account that owns the resource (an S3 bucket's ARN names none). */
  readonly resourceAccount: string;
  readonly context?: Readonly<Record<string, string>>;
}

/** The policies of the accounts, from the manifests. */
export interface Policies {
  /** Role ARN → its identity policies' statements, by policy name. */
  readonly identity: ReadonlyMap<string, ReadonlyArray<{ name: string; statements: Statement[] }>>;
  /** Role ARN → trust policy. */
  readonly trust: ReadonlyMap<string, unknown>;
  /** Bucket name → bucket policy. */
  readonly buckets: ReadonlyMap<string, unknown>;
  /** Bucket name → owning account. */
  readonly bucketAccounts: ReadonlyMap<string, string>;
  readonly mgmtAccount: string;
}

type Manifest = {
  stack: string;
  accountId: string;
  resources: Array<{ type: string; name: string; inputs: Record<string, unknown> }>;
};

export function policiesFrom(manifests: readonly Manifest[]): Policies {
  const identity = new Map<string, Array<{ name: string; statements: Statement[] }>>();
  const trust = new Map<string, unknown>();
  const buckets = new Map<string, unknown>();
  const bucketAccounts = new Map<string, string>();
  let mgmtAccount = '';
  for (const m of manifests) {
    if (m.stack === 'mgmt') mgmtAccount = m.accountId;
    for (const r of m.resources) {
      const i = r.inputs;
      if (r.type === 'aws:iam/role:Role' && typeof i.name === 'string')
        trust.set(`arn:aws:iam::${m.accountId}:role/${i.name}`, i.assumeRolePolicy);
      if (r.type === 'aws:iam/rolePolicy:RolePolicy' && typeof i.role === 'string') {
        const arn = `arn:aws:iam::${m.accountId}:role/${i.role}`;
        identity.set(arn, [
          ...(identity.get(arn) ?? []),
          { name: String(i.name ?? r.name), statements: statementsOf(i.policy) },
        ]);
      }
      if (r.type === 'aws:s3/bucketPolicy:BucketPolicy' && typeof i.bucket === 'string')
        buckets.set(i.bucket, i.policy);
      if (r.type === 'aws:s3/bucket:Bucket' && typeof i.bucket === 'string')
        bucketAccounts.set(i.bucket, m.accountId);
    }
  }
  return { identity, trust, buckets, bucketAccounts, mgmtAccount };
}

export function goldenPolicies(): Policies {
  return policiesFrom(
    STACKS.map((s) => JSON.parse(readFileSync(join(GOLDEN_DIR, `${s}.json`), 'utf8')) as Manifest),
  );
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const strs = (v: unknown): string[] => (Array.isArray(v) ? v.map(str) : v === undefined ? [] : [str(v)]);

/** `name` or an ARN of a Lambda function (and its qualifier) → the function's ARN. */
function lambdaFunction(call: RecordedCall, qualifier?: string): string {
  const name = str(call.input.FunctionName);
  const base = name.startsWith('arn:')
    ? name
    : `arn:aws:lambda:${call.region}:${call.account}:function:${name}`;
  return qualifier && base.split(':').length === 7 ? `${base}:${qualifier}` : base;
}

function ecsCluster(call: RecordedCall): string {
  const c = str(call.input.cluster) || 'default';
  return c.startsWith('arn:') ? (c.split('/').pop() ?? c) : c;
}

function ecs(call: RecordedCall, path: string): string {
  return `arn:aws:ecs:${call.region}:${call.account}:${path}`;
}

type Mapper = (call: RecordedCall, p: Policies) => Authorisation[];

const any =
  (action: string): Mapper =>
  (call) => [{ action, resource: '*', resourceAccount: call.account }];

function s3Object(action: string, extra?: (c: RecordedCall) => Record<string, string>): Mapper {
  return (call, p) => [
    {
      action,
      resource: `arn:aws:s3:::${str(call.input.Bucket)}/${str(call.input.Key)}`,
      resourceAccount: p.bucketAccounts.get(str(call.input.Bucket)) ?? p.mgmtAccount,
      ...(extra ? { context: extra(call) } : {}),
    },
  ];
}

function s3Bucket(action: string): Mapper {
  return (call, p) => [
    {
      action,
      resource: `arn:aws:s3:::${str(call.input.Bucket)}`,
      resourceAccount: p.bucketAccounts.get(str(call.input.Bucket)) ?? p.mgmtAccount,
      ...(call.input.Prefix !== undefined ? { context: { 's3:prefix': str(call.input.Prefix) } } : {}),
    },
  ];
}

const passRoles = (call: RecordedCall): Authorisation[] =>
  [call.input.taskRoleArn, call.input.executionRoleArn].filter(Boolean).map((r) => ({
    action: 'iam:PassRole',
    resource: str(r),
    resourceAccount: call.account,
    context: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' },
  }));

/**
 * Operation → what IAM authorises, keyed `service operation` by the SDK's service id. Where the
 * action is not the operation's name, the API reference says so: HeadObject needs s3:GetObject
 * and ListObjectsV2 and HeadBucket need s3:ListBucket (Amazon S3 API Reference, each operation's
 * "Permissions"); UpdateFunctionCode from S3 reads the package with the caller's permissions
 * (Lambda API Reference, UpdateFunctionCode), so it also needs s3:GetObject on the package.
 */
export const OPERATIONS: Readonly<Record<string, Mapper>> = {
  'S3 GetObject': s3Object('s3:GetObject'),
  'S3 HeadObject': s3Object('s3:GetObject'),
  'S3 GetObjectAttributes': (c, p) => [
    ...s3Object('s3:GetObject')(c, p),
    ...s3Object('s3:GetObjectAttributes')(c, p),
  ],
  'S3 PutObject': s3Object('s3:PutObject', (c): Record<string, string> =>
    c.input.IfNoneMatch !== undefined ? { 's3:if-none-match': str(c.input.IfNoneMatch) } : {},
  ),
  'S3 DeleteObject': s3Object('s3:DeleteObject'),
  'S3 ListObjectsV2': s3Bucket('s3:ListBucket'),
  'S3 HeadBucket': s3Bucket('s3:ListBucket'),
  'STS GetCallerIdentity': () => [], // "No permissions are required" (STS API Reference, GetCallerIdentity)
  'STS AssumeRole': (c) => [
    {
      action: 'sts:AssumeRole',
      resource: str(c.input.RoleArn),
      resourceAccount: str(c.input.RoleArn).split(':')[4] ?? '',
    },
  ],
  'SSM GetParameter': (c) => [
    {
      action: 'ssm:GetParameter',
      resource: `arn:aws:ssm:${c.region}:${c.account}:parameter/${str(c.input.Name).replace(/^\//, '')}`,
      resourceAccount: c.account,
    },
  ],
  'SSM GetParameters': (c) =>
    strs(c.input.Names).map((n) => ({
      action: 'ssm:GetParameters',
      resource: `arn:aws:ssm:${c.region}:${c.account}:parameter/${n.replace(/^\//, '')}`,
      resourceAccount: c.account,
    })),
  'SSM DescribeParameters': any('ssm:DescribeParameters'),
  'ECR DescribeImages': (c) => [
    {
      action: 'ecr:DescribeImages',
      resource: `arn:aws:ecr:${c.region}:${str(c.input.registryId) || c.account}:repository/${str(c.input.repositoryName)}`,
      resourceAccount: str(c.input.registryId) || c.account,
    },
  ],
  'ECR DescribeRepositories': (c) =>
    strs(c.input.repositoryNames).map((r) => ({
      action: 'ecr:DescribeRepositories',
      resource: `arn:aws:ecr:${c.region}:${str(c.input.registryId) || c.account}:repository/${r}`,
      resourceAccount: str(c.input.registryId) || c.account,
    })),
  'ECS DescribeServices': (c) =>
    strs(c.input.services).map((s) => ({
      action: 'ecs:DescribeServices',
      resource: s.startsWith('arn:') ? s : ecs(c, `service/${ecsCluster(c)}/${s}`),
      resourceAccount: c.account,
    })),
  'ECS UpdateService': (c) => [
    {
      action: 'ecs:UpdateService',
      resource: ecs(c, `service/${ecsCluster(c)}/${str(c.input.service)}`),
      resourceAccount: c.account,
    },
  ],
  // Service Authorization Reference, Amazon ECS: ListServiceDeployments on the service;
  // Describe/Continue/StopServiceDeployment on the service-deployment (its ARN is the input).
  'ECS ListServiceDeployments': (c) => [
    {
      action: 'ecs:ListServiceDeployments',
      resource: ecs(c, `service/${ecsCluster(c)}/${str(c.input.service)}`),
      resourceAccount: c.account,
    },
  ],
  'ECS DescribeServiceDeployments': (c) =>
    strs(c.input.serviceDeploymentArns).map((a) => ({
      action: 'ecs:DescribeServiceDeployments',
      resource: a,
      resourceAccount: c.account,
    })),
  'ECS ContinueServiceDeployment': (c) => [
    {
      action: 'ecs:ContinueServiceDeployment',
      resource: str(c.input.serviceDeploymentArn),
      resourceAccount: c.account,
    },
  ],
  'ECS StopServiceDeployment': (c) => [
    {
      action: 'ecs:StopServiceDeployment',
      resource: str(c.input.serviceDeploymentArn),
      resourceAccount: c.account,
    },
  ],
  'ECS DescribeClusters': (c) =>
    strs(c.input.clusters ?? c.input.cluster).map((cl) => ({
      action: 'ecs:DescribeClusters',
      resource: cl.startsWith('arn:') ? cl : ecs(c, `cluster/${cl}`),
      resourceAccount: c.account,
    })),
  'ECS RegisterTaskDefinition': (c) => [
    any('ecs:RegisterTaskDefinition')(c, undefined as never)[0]!,
    ...passRoles(c),
  ],
  'ECS DescribeTaskDefinition': any('ecs:DescribeTaskDefinition'),
  'ECS RunTask': (c) => {
    const td = str(c.input.taskDefinition);
    return [
      {
        action: 'ecs:RunTask',
        resource: td.startsWith('arn:') ? td : ecs(c, `task-definition/${td.includes(':') ? td : `${td}:1`}`),
        resourceAccount: c.account,
        context: { 'ecs:cluster': ecs(c, `cluster/${ecsCluster(c)}`) },
      },
    ];
  },
  'ECS DescribeTasks': (c) =>
    strs(c.input.tasks).map((t) => ({
      action: 'ecs:DescribeTasks',
      resource: t.startsWith('arn:') ? t : ecs(c, `task/${ecsCluster(c)}/${t}`),
      resourceAccount: c.account,
    })),
  // The reference authorises ListTasks on container instances, with the cluster as ecs:cluster.
  'ECS ListTasks': (c) => [
    {
      action: 'ecs:ListTasks',
      resource: ecs(c, `container-instance/${ecsCluster(c)}/any`),
      resourceAccount: c.account,
      context: { 'ecs:cluster': ecs(c, `cluster/${ecsCluster(c)}`) },
    },
  ],
  'Lambda GetFunction': (c) => [
    {
      action: 'lambda:GetFunction',
      resource: lambdaFunction(c, str(c.input.Qualifier)),
      resourceAccount: c.account,
    },
  ],
  'Lambda GetFunctionConfiguration': (c) => [
    {
      action: 'lambda:GetFunctionConfiguration',
      resource: lambdaFunction(c, str(c.input.Qualifier)),
      resourceAccount: c.account,
    },
  ],
  'Lambda GetAlias': (c) => [
    { action: 'lambda:GetAlias', resource: lambdaFunction(c, str(c.input.Name)), resourceAccount: c.account },
  ],
  'Lambda UpdateAlias': (c) => [
    {
      action: 'lambda:UpdateAlias',
      resource: lambdaFunction(c, str(c.input.Name)),
      resourceAccount: c.account,
    },
  ],
  'Lambda PublishVersion': (c) => [
    { action: 'lambda:PublishVersion', resource: lambdaFunction(c), resourceAccount: c.account },
  ],
  'Lambda ListVersionsByFunction': (c) => [
    { action: 'lambda:ListVersionsByFunction', resource: lambdaFunction(c), resourceAccount: c.account },
  ],
  'Lambda UpdateFunctionCode': (c, p) => [
    { action: 'lambda:UpdateFunctionCode', resource: lambdaFunction(c), resourceAccount: c.account },
    ...(c.input.S3Bucket
      ? [
          {
            action: 's3:GetObject',
            resource: `arn:aws:s3:::${str(c.input.S3Bucket)}/${str(c.input.S3Key)}`,
            resourceAccount: p.bucketAccounts.get(str(c.input.S3Bucket)) ?? p.mgmtAccount,
          },
        ]
      : []),
  ],
  'CloudWatch Logs DescribeLogGroups': any('logs:DescribeLogGroups'),
  'Elastic Load Balancing v2 DescribeLoadBalancers': any('elasticloadbalancing:DescribeLoadBalancers'),
  'Elastic Load Balancing v2 DescribeListeners': any('elasticloadbalancing:DescribeListeners'),
  'Elastic Load Balancing v2 DescribeRules': any('elasticloadbalancing:DescribeRules'),
  'Elastic Load Balancing v2 CreateRule': (c) => [
    {
      action: 'elasticloadbalancing:CreateRule',
      resource: str(c.input.ListenerArn),
      resourceAccount: c.account,
    },
  ],
  'Elastic Load Balancing v2 ModifyListener': (c) => [
    {
      action: 'elasticloadbalancing:ModifyListener',
      resource: str(c.input.ListenerArn),
      resourceAccount: c.account,
    },
  ],
  'Elastic Load Balancing v2 ModifyRule': (c) => [
    { action: 'elasticloadbalancing:ModifyRule', resource: str(c.input.RuleArn), resourceAccount: c.account },
  ],
  'Elastic Load Balancing v2 DeleteRule': (c) => [
    { action: 'elasticloadbalancing:DeleteRule', resource: str(c.input.RuleArn), resourceAccount: c.account },
  ],
  'Elastic Load Balancing v2 SetRulePriorities': (c) =>
    (Array.isArray(c.input.RulePriorities)
      ? (c.input.RulePriorities as Array<{ RuleArn?: string }>)
      : []
    ).map((r) => ({
      action: 'elasticloadbalancing:SetRulePriorities',
      resource: str(r.RuleArn),
      resourceAccount: c.account,
    })),
  'CloudWatch GetMetricData': any('cloudwatch:GetMetricData'),
  // DescribeAlarms is authorised on each `alarm` named (Service Authorization Reference, CloudWatch).
  'CloudWatch DescribeAlarms': (c) =>
    strs(c.input.AlarmNames).map((n) => ({
      action: 'cloudwatch:DescribeAlarms',
      resource: `arn:aws:cloudwatch:${c.region}:${c.account}:alarm:${n}`,
      resourceAccount: c.account,
    })),
};

/** A call IAM would refuse, or one this check cannot judge (which also fails it). */
export interface Denial {
  readonly call: RecordedCall;
  readonly action: string;
  readonly resource: string;
  readonly why: string;
}

export interface CheckResult {
  readonly simulated: number;
  readonly calls: number;
  readonly unattributed: number;
  readonly denials: readonly Denial[];
  /** `role Sid action` of every Allow grant of a role that made calls, and whether a call used it. */
  readonly grants: ReadonlyMap<string, boolean>;
}

function glob(pattern: string, flags = ''): RegExp {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`, flags);
}

const list = (v: unknown): string[] =>
  v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)];

function grantKeys(role: string, policies: Policies): string[] {
  return (policies.identity.get(role) ?? []).flatMap((p) =>
    p.statements
      .filter((s) => s.Effect === 'Allow')
      .flatMap((s, i) => list(s.Action).map((a) => `${role} ${s.Sid ?? `${p.name}[${i}]`} ${a}`)),
  );
}

function markUsed(role: string, policies: Policies, a: Authorisation, grants: Map<string, boolean>) {
  for (const p of policies.identity.get(role) ?? [])
    p.statements.forEach((s, i) => {
      if (s.Effect !== 'Allow' || !list(s.Resource).some((r) => glob(r).test(a.resource))) return;
      for (const act of list(s.Action))
        if (glob(act, 'i').test(a.action)) grants.set(`${role} ${s.Sid ?? `${p.name}[${i}]`} ${act}`, true);
    });
}

/** The resource's own policy, where the call's resource has one. */
function resourcePolicy(a: Authorisation, policies: Policies): unknown {
  if (a.action === 'sts:AssumeRole') return policies.trust.get(a.resource);
  const bucket = /^arn:aws:s3:::([^/]+)/.exec(a.resource)?.[1];
  return bucket ? policies.buckets.get(bucket) : undefined;
}

export async function checkCalls(calls: readonly RecordedCall[], policies: Policies): Promise<CheckResult> {
  const denials: Denial[] = [];
  const grants = new Map<string, boolean>();
  const verdicts = new Map<string, string | undefined>();
  let simulated = 0;
  let unattributed = 0;
  for (const call of calls) {
    const role = call.role;
    if (!role) {
      unattributed++;
      continue;
    }
    if (!policies.identity.has(role)) {
      denials.push({ call, action: '-', resource: '-', why: `no generated identity policy for ${role}` });
      continue;
    }
    for (const k of grantKeys(role, policies)) if (!grants.has(k)) grants.set(k, false);
    const map = OPERATIONS[`${call.service} ${call.operation}`];
    if (!map) {
      denials.push({
        call,
        action: '?',
        resource: '?',
        why: `no mapping for ${call.service} ${call.operation} in OPERATIONS`,
      });
      continue;
    }
    for (const a of map(call, policies)) {
      simulated++;
      markUsed(role, policies, a, grants);
      const key = JSON.stringify([role, a]);
      if (!verdicts.has(key)) verdicts.set(key, await simulate(role, a, policies));
      const why = verdicts.get(key);
      if (why) denials.push({ call, action: a.action, resource: a.resource, why });
    }
  }
  return { simulated, calls: calls.length, unattributed, denials, grants };
}

/** undefined when allowed; otherwise what the simulator said. */
async function simulate(role: string, a: Authorisation, policies: Policies): Promise<string | undefined> {
  const principalAccount = role.split(':')[4] ?? '';
  const resourcePolicyDoc = resourcePolicy(a, policies);
  const result = await runSimulation(
    {
      identityPolicies: (policies.identity.get(role) ?? []).map((p) => ({
        name: p.name,
        policy: { Version: '2012-10-17', Statement: p.statements },
      })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(resourcePolicyDoc ? { resourcePolicy: resourcePolicyDoc as never } : {}),
      request: {
        action: a.action,
        principal: role,
        resource: { resource: a.resource, accountId: a.resourceAccount },
        contextVariables: {
          'aws:PrincipalArn': role,
          'aws:PrincipalAccount': principalAccount,
          'aws:SecureTransport': 'true',
          ...(a.context ?? {}),
        },
      },
    },
    {},
  );
  if (result.resultType === 'error') return `simulator: ${JSON.stringify(result.errors)}`;
  return result.overallResult === 'Allowed' ? undefined : result.overallResult;
}

export function readCalls(dir = AWS_CALLS_DIR): RecordedCall[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .flatMap((f) =>
      readFileSync(join(dir, f), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as RecordedCall),
    );
}

export function report(r: CheckResult): string {
  const lines: string[] = [];
  const unused = [...r.grants].filter(([, used]) => !used).map(([k]) => k);
  lines.push(
    `aws-calls: ${r.calls} calls recorded, ${r.simulated} authorisations simulated, ${r.unattributed} calls without a role (no environment named), ${r.denials.length} denied`,
  );
  const seen = new Set<string>();
  for (const d of r.denials) {
    const k = `${d.call.role} ${d.action} ${d.resource} ${d.why}`;
    if (seen.has(k)) continue;
    seen.add(k);
    lines.push(
      `DENIED ${d.call.role ?? '-'} ${d.action} on ${d.resource}: ${d.why}  (${d.call.command}; ${d.call.test})`,
    );
  }
  lines.push(
    `least privilege: ${r.grants.size - unused.length} of ${r.grants.size} grants used by some call; unused:`,
  );
  for (const u of unused.sort()) lines.push(`  unused ${u}`);
  return lines.join('\n');
}

async function main(): Promise<number> {
  const calls = readCalls();
  if (calls.length === 0) {
    if (process.env.TDR_SKIP_INTEGRATION === '1') {
      process.stderr.write(
        'aws-calls: SKIPPED (TDR_SKIP_INTEGRATION=1): no AWS call was checked against its role\n',
      );
      return 0;
    }
    process.stderr.write(
      `aws-calls: nothing recorded in ${AWS_CALLS_DIR}: run the integration suite first\n`,
    );
    return 1;
  }
  const started = Date.now();
  const all = await checkCalls(calls, goldenPolicies());
  const { unknown, known } = sortDenials(all.denials);
  const r = { ...all, denials: unknown };
  process.stdout.write(`${report(r)}\n(${Date.now() - started} ms)\n`);
  for (const entry of KNOWN_DENIALS) {
    const n = known.get(entry) ?? 0;
    process.stdout.write(
      n > 0
        ? `known denial (${n} calls), tracked: ${entry.why}\n`
        : `known denial matched nothing this run (fixed? remove it from aws-call-known-denials.ts): ${entry.why}\n`,
    );
  }
  return unknown.length === 0 ? 0 : 1;
}

if (require.main === module) void main().then((code) => (process.exitCode = code));
