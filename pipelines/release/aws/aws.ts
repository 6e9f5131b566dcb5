/**
 * The one place that builds AWS SDK clients. Everything else in the release engine takes clients
 * by injection, so unit tests hand in mocks and integration tests hand in clients aimed at moto.
 *
 * mgmt is reached with the default credential chain (Jenkins' node role, a developer's profile);
 * each workload account by STS AssumeRole of `TDRJenkinsECSUpdateRole{Env}` in that account, the
 * two-hop, least-privilege path of DESIGN.md, or, for what only reads (the nightly report in mgmt),
 * of the read-only `TDRReleaseReaderRole{Env}`, or, for `tdr approve` by an approver as themself,
 * of `TDRReleaseApprovalRole{Env}` (its session named after that person). AWS_ENDPOINT_URL is
 * honoured by the SDK itself.
 */
import { ACMClient } from '@aws-sdk/client-acm';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ECRClient } from '@aws-sdk/client-ecr';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { IAMClient } from '@aws-sdk/client-iam';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { GetParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type {
  AwsCredentialIdentity,
  AwsCredentialIdentityProvider,
  FinalizeRequestMiddleware,
  HandlerExecutionContext,
  MiddlewareStack,
} from '@aws-sdk/types';
import { resolveAccountIds, type AccountIds } from '../../../services/config';
import { ENVIRONMENT_NAMES, type EnvironmentName } from '../../../services/environments';
import { naming } from '../../../services/naming';
import { AssumeRoleRefusedError, ReleaseInputError, attempt, errorName } from '../errors';
import { personOf, principalOf } from './identity';

type Env = Readonly<Record<string, string | undefined>>;

/** Throttling and transient errors are retried by the SDK's standard strategy with backoff. */
export const RETRY_CONFIG = { maxAttempts: 6, retryMode: 'standard' } as const;

/**
 * How long one attempt of an AWS call may take: to connect, and from sending the request to the
 * reply's headers (and, as the longest silence, while its body arrives). Without them the SDK waits
 * forever on an endpoint that accepts and never answers (issue 27: `tdr sandbox up` asleep for 9
 * minutes). A timed-out attempt is a transient error the standard retry strategy retries, so one
 * call takes at most RETRY_CONFIG.maxAttempts × (connect + request) plus its back-off (< 4 s).
 */
export interface AwsTimeouts {
  readonly connectMs: number;
  readonly requestMs: number;
}

/** Ample for AWS (a regional endpoint answers in well under a second) and for moto on a busy laptop. */
export const DEFAULT_AWS_TIMEOUTS: AwsTimeouts = { connectMs: 5_000, requestMs: 30_000 };

const TIMEOUT_VARIABLES = {
  connectMs: 'TDR_AWS_CONNECT_TIMEOUT_MS',
  requestMs: 'TDR_AWS_REQUEST_TIMEOUT_MS',
} as const;
const MIN_TIMEOUT_MS = 100;
const MAX_TIMEOUT_MS = 600_000;

/** TDR_AWS_CONNECT_TIMEOUT_MS and TDR_AWS_REQUEST_TIMEOUT_MS, checked before any AWS call. */
export function awsTimeoutsFrom(env: Env): AwsTimeouts {
  const read = (key: keyof AwsTimeouts): number => {
    const name = TIMEOUT_VARIABLES[key];
    const raw = env[name];
    if (raw === undefined || raw === '') return DEFAULT_AWS_TIMEOUTS[key];
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || n < MIN_TIMEOUT_MS || n > MAX_TIMEOUT_MS)
      throw new ReleaseInputError(
        `${name}: must be a whole number of milliseconds from ${MIN_TIMEOUT_MS} to ${MAX_TIMEOUT_MS} (default ${DEFAULT_AWS_TIMEOUTS[key]}), got ${JSON.stringify(raw.slice(0, 40))}`,
      );
    return n;
  };
  return { connectMs: read('connectMs'), requestMs: read('requestMs') };
}

/**
 * The `requestHandler` options of the SDK's Node.js HTTP handler (@smithy/node-http-handler,
 * `NodeHttpHandlerOptions`; the shorthand object form is documented at
 * https://docs.aws.amazon.com/sdk-for-javascript/v3/developer-guide/node-configuring-maxsockets.html).
 * Since @smithy/node-http-handler 4.4 a breached `requestTimeout` only logs a warning unless
 * `throwOnRequestTimeout` is set (its doc comment in @smithy/types `httpHandlerInitialization.d.ts`);
 * `requestTimeout` ends when the reply's headers arrive, so `socketTimeout` bounds a stalled body.
 */
export function requestHandlerOptions(t: AwsTimeouts) {
  return {
    connectionTimeout: t.connectMs,
    requestTimeout: t.requestMs,
    throwOnRequestTimeout: true,
    socketTimeout: t.requestMs,
  };
}

/**
 * What every client gets: the region, the endpoint, the retry strategy and the timeouts. The
 * sandbox builds its own few clients (sandbox/aws.ts) from this too.
 */
export function clientConfig(opts: {
  region: string;
  env: Env;
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider | undefined;
}) {
  return {
    region: opts.region,
    ...endpointConfig(opts.env),
    ...RETRY_CONFIG,
    requestHandler: requestHandlerOptions(awsTimeoutsFrom(opts.env)),
    ...(opts.credentials ? { credentials: opts.credentials } : {}),
  };
}

interface HasMiddleware {
  readonly middlewareStack: MiddlewareStack<any, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/**
 * Makes a timed-out attempt say which call it was and where it went (`ECS DescribeServices at
 * http://127.0.0.1:5000/`): the SDK's own message names neither. Added to the finalize step
 * below the retry middleware, so it sees each attempt's request; the error keeps its name
 * (`TimeoutError`), which is what the retry strategy decides on.
 */
export function nameStuckCalls<C extends HasMiddleware>(client: C): C {
  const middleware: FinalizeRequestMiddleware<object, object> =
    (next, context: HandlerExecutionContext) => async (args) => {
      try {
        return await next(args);
      } catch (err) {
        const e = err as { name?: string; message?: string };
        if (e?.name === 'TimeoutError' && typeof e.message === 'string' && !e.message.startsWith('AWS ')) {
          const service = (context.clientName ?? 'AWS').replace(/Client$/, '');
          const operation = (context.commandName ?? 'call').replace(/Command$/, '');
          const detail = e.message.replace(/^@smithy\/node-http-handler - (\[ERROR\] )?/, '');
          e.message = `AWS ${service} ${operation} at ${endpointOf(args.request)} did not answer: ${detail} (TDR_AWS_CONNECT_TIMEOUT_MS, TDR_AWS_REQUEST_TIMEOUT_MS)`;
        }
        throw err;
      }
    };
  client.middlewareStack.add(middleware, {
    step: 'finalizeRequest',
    priority: 'low',
    name: 'tdrNameStuckCalls',
    override: true,
  });
  return client;
}

function endpointOf(request: unknown): string {
  const r = request as { protocol?: string; hostname?: string; port?: number; path?: string } | undefined;
  if (!r?.hostname) return 'an unknown endpoint';
  return `${r.protocol ?? 'https:'}//${r.hostname}${r.port ? `:${r.port}` : ''}${r.path ?? '/'}`;
}

export interface MgmtClients {
  readonly ecr: ECRClient;
  readonly s3: S3Client;
  readonly ssm: SSMClient;
  /**
   * `tdr sandbox up` (the Jenkins roles), and the engine's one IAM read: `iam:GetRole` on the
   * caller's own role, for an approver entry with a path (aws/identity.ts `callerRolePath`).
   */
  readonly iam: IAMClient;
}

export interface ReleaseClients {
  readonly mgmt: MgmtClients;
  readonly accountIds: AccountIds;
  /** ECS in a workload account, through the assumed `TDRJenkinsECSUpdateRole{Env}`. */
  ecs(env: EnvironmentName): ECSClient;
  /** Lambda in a workload account (function releases, `sandbox up`), through the same role. */
  lambda(env: EnvironmentName): LambdaClient;
  /** SSM in a workload account (task-definition secrets), through the same role. */
  ssm(env: EnvironmentName): SSMClient;
  /** CloudWatch in a workload account (the canary judge's GetMetricData, ECS and Lambda canaries), through the same role. */
  cloudWatch(env: EnvironmentName): CloudWatchClient;
  /** CloudWatch Logs in a workload account (`verify`'s log-group check), through the same role. */
  logs(env: EnvironmentName): CloudWatchLogsClient;
  /** ELBv2 in a workload account (the maintenance switch on the public listener), through the same role. */
  elbv2(env: EnvironmentName): ElasticLoadBalancingV2Client;
  /** IAM in a workload account, for `tdr sandbox up` only; through the same role. */
  iam(env: EnvironmentName): IAMClient;
  /** EC2 and ACM in a workload account, for `tdr sandbox up` only (the load balancer's subnets and certificate). */
  ec2(env: EnvironmentName): EC2Client;
  acm(env: EnvironmentName): ACMClient;
  /** Who is calling: the caller's ARN from `sts:GetCallerIdentity` (asked once). */
  callerIdentity(): Promise<string>;
}

/**
 * Which role the workload accounts are reached through, as TDR_WORKLOAD_ROLE chooses it: the update
 * role, or the read-only reader role.
 */
export const WORKLOAD_ROLES = ['update', 'reader'] as const;
/**
 * A role the workload accounts are reached through: TDR_WORKLOAD_ROLE's, or `approval` (the
 * approval role, `TDRReleaseApprovalRole{Env}`), which only `tdr approve` by an approver chooses.
 */
export type WorkloadRole = (typeof WORKLOAD_ROLES)[number] | 'approval';

/** The name of `role` in the account of `env`. */
export function workloadRoleName(role: WorkloadRole, env: EnvironmentName): string {
  if (role === 'approval') return naming.releaseApprovalRole(env);
  return role === 'reader' ? naming.releaseReaderRole(env) : naming.jenkinsEcsUpdateRole(env);
}

export interface ClientOptions {
  readonly region: string;
  readonly env?: Env;
  /** Base credentials for mgmt; the SDK's default chain when absent. */
  readonly credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
}

/**
 * The SDK reads AWS_ENDPOINT_URL from process.env by itself; passing the injected environment's
 * value explicitly makes an in-process caller's environment (tests, `runTdr`) the one that counts.
 */
function endpointConfig(env: Env) {
  return env.AWS_ENDPOINT_URL ? { endpoint: env.AWS_ENDPOINT_URL } : {};
}

/** Path-style S3 when an endpoint override (moto, LocalStack) cannot serve bucket subdomains. */
function s3Config(env: Env) {
  return env.AWS_ENDPOINT_URL || env.AWS_ENDPOINT_URL_S3 ? { forcePathStyle: true } : {};
}

export function mgmtClients(opts: ClientOptions): MgmtClients {
  const env = opts.env ?? process.env;
  const base = clientConfig({ region: opts.region, env, credentials: opts.credentials });
  return {
    ecr: nameStuckCalls(new ECRClient(base)),
    s3: nameStuckCalls(new S3Client({ ...base, ...s3Config(env) })),
    ssm: nameStuckCalls(new SSMClient(base)),
    iam: nameStuckCalls(new IAMClient(base)),
  };
}

/**
 * Credentials for `roleName` in `accountId`, assumed on first use and again shortly before they
 * expire, so a long wait for steady state never runs on expired credentials.
 */
export function assumedRoleCredentials(
  sts: STSClient,
  accountId: string,
  roleName: string,
  /** A name, or how to find one on first use (the approval role's: the caller's own person). */
  sessionName: string | (() => Promise<string>),
): AwsCredentialIdentityProvider {
  let cached: AwsCredentialIdentity | undefined;
  let pending: Promise<AwsCredentialIdentity> | undefined;
  return async () => {
    if (cached && (!cached.expiration || cached.expiration.getTime() - Date.now() > 60_000)) return cached;
    const roleArn = naming.roleArn(accountId, roleName);
    const what = `assuming role ${roleName} in account ${accountId}`;
    pending ??= attempt(what, async () => {
      let out;
      try {
        const name = typeof sessionName === 'string' ? sessionName : await sessionName();
        out = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: name }));
      } catch (err) {
        // Told apart from any other failure: `tdr approve` goes on without ECS only on this one.
        if (errorName(err) === 'AccessDenied') throw new AssumeRoleRefusedError(what, roleArn, err);
        throw err;
      }
      const c = out.Credentials;
      if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error('AssumeRole returned no credentials');
      return {
        accessKeyId: c.AccessKeyId,
        secretAccessKey: c.SecretAccessKey,
        sessionToken: c.SessionToken,
        expiration: c.Expiration,
      };
    }).finally(() => {
      pending = undefined;
    });
    cached = await pending;
    return cached;
  };
}

/**
 * Account ids from TDR_ACCOUNT_IDS, or else mgmt's SSM parameters `/mgmt/{env}_account`, read in
 * one GetParameters call rather than one call per account.
 */
export function accountIdsFrom(env: Env, ssm: SSMClient): Promise<AccountIds> {
  let all: Promise<Map<string, string>> | undefined;
  const read = () =>
    attempt('reading the account ids from SSM in mgmt', () =>
      ssm.send(
        new GetParametersCommand({ Names: ENVIRONMENT_NAMES.map((e) => naming.accountIdParameter(e)) }),
      ),
    ).then((out) => new Map((out.Parameters ?? []).map((p) => [p.Name ?? '', p.Value ?? ''])));
  return resolveAccountIds(env, async (name) => (await (all ??= read())).get(name));
}

/** Builds every client the release engine needs, from configuration and the default chain. */
export async function releaseClients(
  opts: ClientOptions & { sessionName: string; accountIds?: AccountIds; workloadRole?: WorkloadRole },
): Promise<ReleaseClients> {
  const env = opts.env ?? process.env;
  const mgmt = mgmtClients(opts);
  const accountIds = opts.accountIds ?? (await accountIdsFrom(env, mgmt.ssm));
  const sts = nameStuckCalls(
    new STSClient(clientConfig({ region: opts.region, env, credentials: opts.credentials })),
  );
  let identity: Promise<string> | undefined;
  const callerIdentity = () =>
    (identity ??= attempt('asking AWS who is calling (sts:GetCallerIdentity)', async () => {
      const out = await sts.send(new GetCallerIdentityCommand({}));
      if (!out.Arn) throw new Error('GetCallerIdentity returned no ARN');
      return out.Arn;
    }));
  // An approver's session in a workload account is named after the person AWS says is calling,
  // so that account's CloudTrail names who continued a deployment, not a placeholder.
  const ownSession = async () => {
    const p = principalOf(await callerIdentity());
    return p ? sessionNameFor(personOf(p)) : opts.sessionName;
  };
  const credentials = new Map<EnvironmentName, AwsCredentialIdentityProvider>();
  const workloadConfig = (target: EnvironmentName) => {
    let provider = credentials.get(target);
    if (!provider) {
      const role = opts.workloadRole ?? 'update';
      provider = assumedRoleCredentials(
        sts,
        accountIds[target],
        workloadRoleName(role, target),
        role === 'approval' ? ownSession : opts.sessionName,
      );
      credentials.set(target, provider);
    }
    return clientConfig({ region: opts.region, env, credentials: provider });
  };
  const ecs = new Map<EnvironmentName, ECSClient>();
  const lambda = new Map<EnvironmentName, LambdaClient>();
  const ssm = new Map<EnvironmentName, SSMClient>();
  const logs = new Map<EnvironmentName, CloudWatchLogsClient>();
  const cloudWatch = new Map<EnvironmentName, CloudWatchClient>();
  const iam = new Map<EnvironmentName, IAMClient>();
  const elbv2 = new Map<EnvironmentName, ElasticLoadBalancingV2Client>();
  const ec2 = new Map<EnvironmentName, EC2Client>();
  const acm = new Map<EnvironmentName, ACMClient>();
  return {
    mgmt,
    accountIds,
    callerIdentity,
    ecs: (target) => cached(ecs, target, () => nameStuckCalls(new ECSClient(workloadConfig(target)))),
    lambda: (target) =>
      cached(lambda, target, () => nameStuckCalls(new LambdaClient(workloadConfig(target)))),
    ssm: (target) => cached(ssm, target, () => nameStuckCalls(new SSMClient(workloadConfig(target)))),
    logs: (target) =>
      cached(logs, target, () => nameStuckCalls(new CloudWatchLogsClient(workloadConfig(target)))),
    cloudWatch: (target) =>
      cached(cloudWatch, target, () => nameStuckCalls(new CloudWatchClient(workloadConfig(target)))),
    iam: (target) => cached(iam, target, () => nameStuckCalls(new IAMClient(workloadConfig(target)))),
    elbv2: (target) =>
      cached(elbv2, target, () => nameStuckCalls(new ElasticLoadBalancingV2Client(workloadConfig(target)))),
    ec2: (target) => cached(ec2, target, () => nameStuckCalls(new EC2Client(workloadConfig(target)))),
    acm: (target) => cached(acm, target, () => nameStuckCalls(new ACMClient(workloadConfig(target)))),
  };
}

function cached<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
  }
  return value;
}

/** A RoleSessionName AssumeRole accepts ([\w+=,.@-], 2-64 characters), from an actor's name. */
export function sessionNameFor(actor: string): string {
  const cleaned = `tdr-${actor}`.replace(/[^\w+=,.@-]/g, '-').slice(0, 64);
  return cleaned.length >= 2 ? cleaned : 'tdr-release';
}
