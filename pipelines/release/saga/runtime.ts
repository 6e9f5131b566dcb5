/**
 * Wiring for the command line: real clients from the environment, the wall clock, timings
 * that tests may shorten (TDR_RELEASE_POLL_MS, TDR_RELEASE_TIMEOUT_MS), and the role the workload
 * accounts are reached through (TDR_WORKLOAD_ROLE).
 */
import { LEASE_TTL_MAX_MS, LEASE_TTL_MIN_MS } from '../../../services/input-bounds';
import { randomUUID } from 'node:crypto';
import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import type { Platform } from '../../../services/config';
import { naming } from '../../../services/naming';
import { WORKLOAD_ROLES, releaseClients, sessionNameFor, type WorkloadRole } from '../aws/aws';
import { DEFAULT_TIMINGS, type ReleaseDeps } from './context';
import { ReleaseInputError, errorName } from '../errors';
import type { AnnotationSink } from '../notify';

type Env = Readonly<Record<string, string | undefined>>;

export interface RuntimeOptions {
  readonly env: Env;
  readonly platform: Platform;
  readonly log: (line: string) => void;
  readonly actor: string;
  /** The Grafana client, when GRAFANA_URL/GRAFANA_TOKEN configure one. */
  readonly annotations?: AnnotationSink | undefined;
  /** Aborted with `SIGINT`/`SIGTERM` when the process is asked to stop. */
  readonly signal?: AbortSignal | undefined;
  /** Base credentials for mgmt (the SDK's default chain when absent). */
  readonly credentials?: AwsCredentialIdentityProvider | undefined;
  /**
   * The command only reads (status, report, history, lease show): only such a command may run
   * with TDR_WORKLOAD_ROLE=reader. Anything not marked so is taken to change something.
   */
  readonly readOnly?: boolean | undefined;
  /**
   * `tdr approve` by an approver as themself: the workload accounts through their approval role
   * (`TDRReleaseApprovalRole{Env}`), not TDR_WORKLOAD_ROLE's, whose update role trusts only Jenkins.
   */
  readonly approvalRole?: boolean | undefined;
}

/**
 * TDR_WORKLOAD_ROLE: `update` (the default, `TDRJenkinsECSUpdateRole{Env}`) or `reader`
 * (`TDRReleaseReaderRole{Env}`, read only: the nightly report in mgmt). A command that changes
 * something is refused with the reader role before any AWS call, rather than failing halfway on
 * AccessDenied.
 */
export function workloadRoleFrom(env: Env, opts: { readOnly?: boolean | undefined } = {}): WorkloadRole {
  const raw = env.TDR_WORKLOAD_ROLE;
  const role = raw === undefined || raw === '' ? 'update' : raw;
  if (!(WORKLOAD_ROLES as readonly string[]).includes(role))
    throw new ReleaseInputError(
      `TDR_WORKLOAD_ROLE: must be one of ${WORKLOAD_ROLES.join(', ')} (default update), got ${JSON.stringify(raw)}`,
    );
  if (role === 'reader' && !opts.readOnly)
    throw new ReleaseInputError(
      'TDR_WORKLOAD_ROLE=reader: this command changes things and needs the update role ' +
        '(TDR_WORKLOAD_ROLE=update, the default); only status, report, history and lease show ' +
        'run with the read-only reader role',
    );
  return role as WorkloadRole;
}

/** Timings from the environment (tests shorten them), checked before any AWS call. */
export function runtimeTimings(env: Env): Pick<ReleaseDeps, 'pollMs' | 'timeoutMs' | 'leaseTtlMs'> {
  const leaseTtlMs = positiveMs(env, 'TDR_LEASE_TTL_MS', DEFAULT_TIMINGS.leaseTtlMs);
  // Short enough that a crashed run frees the lease soon; long enough for the heartbeat (a third).
  if (leaseTtlMs < LEASE_TTL_MIN_MS || leaseTtlMs > LEASE_TTL_MAX_MS)
    throw new ReleaseInputError(
      `TDR_LEASE_TTL_MS: must be from ${LEASE_TTL_MIN_MS} to ${LEASE_TTL_MAX_MS} (the heartbeat renews it every third; a crashed run holds it that long), got ${leaseTtlMs}`,
    );
  return {
    pollMs: positiveMs(env, 'TDR_RELEASE_POLL_MS', DEFAULT_TIMINGS.pollMs),
    timeoutMs: positiveMs(env, 'TDR_RELEASE_TIMEOUT_MS', DEFAULT_TIMINGS.timeoutMs),
    leaseTtlMs,
  };
}

export async function runtimeDeps(opts: RuntimeOptions): Promise<ReleaseDeps> {
  const timings = runtimeTimings(opts.env);
  // TDR_WORKLOAD_ROLE is checked even when the approval role is used: reader is refused alike.
  const chosen = workloadRoleFrom(opts.env, { readOnly: opts.readOnly });
  const workloadRole: WorkloadRole = opts.approvalRole ? 'approval' : chosen;
  const clients = await releaseClients({
    workloadRole,
    region: opts.platform.environments.mgmt.region,
    env: opts.env,
    sessionName: sessionNameFor(opts.actor),
    ...(opts.credentials ? { credentials: opts.credentials } : envCredentials(opts.env)),
  });
  return {
    clients,
    platform: opts.platform,
    now: () => new Date(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    log: opts.log,
    notifier: {
      slackWebhookUrl:
        opts.env.TDR_SLACK_WEBHOOK_URL || ((signal) => slackWebhookFromSsm(clients.mgmt.ssm, signal)),
      annotations: opts.annotations,
    },
    ...timings,
    newRunId: () => randomUUID(),
    signal: opts.signal,
    readOnly: opts.readOnly === true,
  };
}

/**
 * Keys in the injected environment, as the SDK's chain would read them from the process's: an
 * in-process caller's environment (tests, `runTdr`) is the one that counts, as for the endpoint.
 */
function envCredentials(env: Env): { credentials?: AwsCredentialIdentity } {
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey } = env;
  if (!accessKeyId || !secretAccessKey || env === process.env) return {};
  return { credentials: { accessKeyId, secretAccessKey, sessionToken: env.AWS_SESSION_TOKEN || undefined } };
}

/** The webhook is a secret: kept in mgmt's SSM as a SecureString, read only to send. */
async function slackWebhookFromSsm(ssm: SSMClient, signal: AbortSignal): Promise<string | undefined> {
  try {
    // The signal cancels the lookup when the notifier stops waiting for it.
    const out = await ssm.send(
      new GetParameterCommand({ Name: naming.slackWebhookParameter(), WithDecryption: true }),
      { abortSignal: signal },
    );
    return out.Parameter?.Value || undefined;
  } catch (err) {
    if (errorName(err) === 'ParameterNotFound') return undefined;
    throw err;
  }
}

function positiveMs(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0)
    throw new ReleaseInputError(
      `${name}: must be a positive whole number of milliseconds, got ${JSON.stringify(raw)}`,
    );
  return n;
}
