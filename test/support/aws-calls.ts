/**
 * Records every AWS call a `tdr` command makes in the integration suite, with the role whose
 * credentials signed it, for `npm run check:aws-calls` (test/support/aws-call-check.ts) to
 * simulate against that role's generated policies.
 *
 * Why an SDK hook and not the proxy or moto's recorder: both of those see HTTP, and would have to
 * re-derive the operation from each protocol (query, JSON, REST-XML, REST-JSON), which is the
 * SDK's own job; not every test goes through the proxy; and moto's recorder keeps headers and
 * bodies (parameter values) that must not reach a file. Every SDK v3 client extends smithy's
 * `Client`, whose `send` sees the command (its name is the operation) and its resolved config
 * (service id, region, credentials). Only the input fields that name resources are kept.
 *
 * Who signed: the credentials' access key id, asked of moto once per key with
 * `sts:GetCallerIdentity` (moto answers it from the access key, as AWS does) right after the call,
 * before the next test's reset forgets the key. A call signed by the suite's base credentials
 * stands for the Jenkins agent's node role of the command's environment (README "Real
 * accounts"), or `TDRJenkinsNodeRoleMgmt` for the nightly report's reader mode; a command that
 * names no environment (a developer's `tdr status`) is recorded without a role and not simulated.
 *
 * Calls outside a `tdr` command (test setup and assertions) and `tdr sandbox` (the stand-in for
 * the administrators' stand-up) are not the engine's, and are not recorded.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';

/** Git-ignored; one file per test process, since parallel mocha workers each run their own moto. */
export const AWS_CALLS_DIR = join(__dirname, '..', '..', 'test-output', 'aws-calls');

/** One recorded call (a line of `calls-<pid>.jsonl`). */
export interface RecordedCall {
  /** The test's full title. */
  readonly test: string;
  /** `tdr` and its first two arguments (`deploy --service`), for reading a denial. */
  readonly command: string;
  /** The SDK's service id: `S3`, `ECS`, `Elastic Load Balancing v2`… */
  readonly service: string;
  /** The command's name without `Command`: the API operation. */
  readonly operation: string;
  readonly region: string;
  /** The account the call went to: the signer's account. */
  readonly account: string;
  /** The IAM role that signed it (`arn:aws:iam::…:role/Name`), or none (see above). */
  readonly role?: string;
  /** How the role was found: from the session's credentials, or the agent that runs the command. */
  readonly roleFrom?: 'credentials' | 'agent';
  /** The input fields that name resources; never values. */
  readonly input: Readonly<Record<string, unknown>>;
}

/** Input fields that name a resource; anything else (values, bodies, tags) is never written. */
const RESOURCE_FIELDS = new Set([
  'Bucket',
  'Key',
  'Prefix',
  'cluster',
  'service',
  'services',
  'serviceName',
  'taskDefinition',
  'family',
  'tasks',
  'taskRoleArn',
  'executionRoleArn',
  'FunctionName',
  'Qualifier',
  'Role',
  'Name',
  'Names',
  'repositoryName',
  'repositoryNames',
  'registryId',
  'ListenerArn',
  'LoadBalancerArn',
  'LoadBalancerArns',
  'RuleArn',
  'RuleArns',
  'RoleArn',
  'logGroupName',
  'logGroupNamePrefix',
  'serviceDeploymentArns',
  'serviceDeploymentArn',
  'clusters',
  'S3Bucket',
  'S3Key',
  'RulePriorities',
  // '*' or an ETag: the conditions of a conditional write, which policies may test (s3:if-none-match).
  'IfNoneMatch',
  'IfMatch',
]);

interface CommandContext {
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
}

const context = new AsyncLocalStorage<CommandContext>();
let currentTest = '';
const principals = new Map<string, Promise<string | undefined>>();
let installed = false;

/** Runs `work` (one `tdr` command) with its calls recorded. */
export function recordingCommand<T>(argv: readonly string[], env: CommandContext['env'], work: () => T): T {
  return context.run({ argv, env }, work);
}

/** The test whose calls follow. */
export function recordingTest(title: string): void {
  currentTest = title;
}

/** The next test resets moto: the access keys seen so far mean nothing after it. */
export function forgetCredentials(): void {
  principals.clear();
}

function file(): string {
  return join(AWS_CALLS_DIR, `calls-${process.pid}.jsonl`);
}

/** The signer's ARN, asked of moto outside any command (so this call is not recorded). */
function principalOf(key: string, secret: string, token: string | undefined): Promise<string | undefined> {
  let found = principals.get(key);
  if (!found) {
    found = context.exit(async () => {
      const sts = new STSClient({
        region: 'eu-west-2',
        credentials: { accessKeyId: key, secretAccessKey: secret, sessionToken: token },
      });
      try {
        return (await sts.send(new GetCallerIdentityCommand({}))).Arn;
      } catch {
        return undefined;
      } finally {
        sts.destroy();
      }
    });
    principals.set(key, found);
  }
  return found;
}

/** `arn:aws:sts::A:assumed-role/R/s` → `arn:aws:iam::A:role/R`. */
export function roleOfSession(arn: string): string | undefined {
  const m = /^arn:aws:sts::(\d{12}):assumed-role\/([^/]+)\//.exec(arn);
  return m ? `arn:aws:iam::${m[1]}:role/${m[2]}` : undefined;
}

function option(argv: readonly string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
}

/** The Jenkins agent's node role a command with base credentials runs as (see the header). */
function agentRole(ctx: CommandContext, account: string): string | undefined {
  if (ctx.env.TDR_WORKLOAD_ROLE === 'reader') return `arn:aws:iam::${account}:role/TDRJenkinsNodeRoleMgmt`;
  const env = option(ctx.argv, '--env') ?? option(ctx.argv, '--to');
  if (!env) return undefined;
  return `arn:aws:iam::${account}:role/TDRJenkinsNodeRole${env.charAt(0).toUpperCase()}${env.slice(1)}`;
}

function resourceInput(input: unknown): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  if (input && typeof input === 'object')
    for (const [k, v] of Object.entries(input)) if (RESOURCE_FIELDS.has(k) && v !== undefined) kept[k] = v;
  return kept;
}

interface SmithyClient {
  readonly config: {
    readonly serviceId?: string;
    region?: () => Promise<string>;
    credentials?: () => Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken?: string }>;
  };
}

async function record(client: SmithyClient, command: { constructor: { name: string }; input?: unknown }) {
  const ctx = context.getStore();
  if (!ctx || ['sandbox', 'jobs', 'dashboards', 'synth'].includes(ctx.argv[0] ?? '')) return;
  const operation = command.constructor.name.replace(/Command$/, '');
  const creds = await client.config.credentials?.().catch(() => undefined);
  if (!creds) return;
  const principal = await principalOf(creds.accessKeyId, creds.secretAccessKey, creds.sessionToken);
  if (!principal) return;
  const account = /^arn:aws:\w+::(\d{12}):/.exec(principal)?.[1] ?? '';
  const session = roleOfSession(principal);
  const agent = session ? undefined : agentRole(ctx, account);
  const call: RecordedCall = {
    test: currentTest,
    command: ['tdr', ...ctx.argv.slice(0, 2)].join(' '),
    service: client.config.serviceId ?? 'unknown',
    operation,
    region: (await client.config.region?.().catch(() => undefined)) ?? '',
    account,
    ...(session ? { role: session, roleFrom: 'credentials' as const } : {}),
    ...(agent ? { role: agent, roleFrom: 'agent' as const } : {}),
    input: resourceInput(command.input),
  };
  mkdirSync(AWS_CALLS_DIR, { recursive: true });
  appendFileSync(file(), JSON.stringify(call) + '\n');
}

/**
 * Wraps smithy's `Client.prototype.send` (every SDK v3 client's base class, reached through one
 * client so that no transitive package is imported by name). Recording waits for the call to
 * settle, so it never changes what the call does or the order of calls a seeded fault test sees.
 */
export function recordAwsCalls(): void {
  if (installed) return;
  installed = true;
  const base = Object.getPrototypeOf(S3Client.prototype) as { send: (...args: unknown[]) => unknown };
  const send = base.send;
  base.send = function (this: SmithyClient, ...args: unknown[]) {
    const result = send.apply(this, args);
    if (!(result instanceof Promise) || !context.getStore()) return result;
    const command = args[0] as { constructor: { name: string }; input?: unknown };
    const after = () => record(this, command).catch(() => undefined);
    return result.then(
      async (out: unknown) => {
        await after();
        return out;
      },
      async (err: unknown) => {
        await after();
        throw err;
      },
    );
  };
}
