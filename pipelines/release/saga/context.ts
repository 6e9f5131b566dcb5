/** What every release operation is given: clients, model, clock and where progress goes. */
import type { Platform } from '../../../services/config';
import type { EcsServiceEntry, OneOffTaskEntry } from '../../../services/catalogue';
import { WORKLOAD_ENVIRONMENTS, type WorkloadEnvironmentName } from '../../../services/environments';
import { naming } from '../../../services/naming';
import { entryOfKind, ledgerSubjects, namesOfKind } from '../../../services/queries';
import type { ReleaseClients } from '../aws/aws';
import { ReleaseInputError } from '../errors';
import { Leases } from '../ledger/lease';
import { Ledger } from '../ledger/ledger';
import type { NotifierDeps } from '../notify';

export interface ReleaseDeps {
  readonly clients: ReleaseClients;
  readonly platform: Platform;
  readonly now: () => Date;
  readonly sleep: (ms: number) => Promise<void>;
  /** Progress and step logs (stderr in the CLI). */
  readonly log: (line: string) => void;
  readonly notifier: NotifierDeps;
  readonly pollMs: number;
  readonly timeoutMs: number;
  /** Short: a crashed run blocks the next one for at most this long; the heartbeat renews it. */
  readonly leaseTtlMs: number;
  readonly newRunId: () => string;
  /** Aborted (reason `SIGINT` or `SIGTERM`) when the process is asked to stop. */
  readonly signal?: AbortSignal | undefined;
  /** The command only reads: it repairs no ledger head (and runs with the reader role if asked). */
  readonly readOnly?: boolean | undefined;
}

export const DEFAULT_TIMINGS = {
  pollMs: 6_000,
  timeoutMs: 15 * 60_000,
  // Short, since the heartbeat renews it every third: a crashed run holds the lease at most a minute.
  leaseTtlMs: 60_000,
} as const;

export function ledgerOf(deps: Pick<ReleaseDeps, 'clients' | 'now' | 'readOnly'>): Ledger {
  return new Ledger(deps.clients.mgmt.s3, naming.ledgerBucket(), deps.now, undefined, {
    readOnly: deps.readOnly === true,
  });
}

export function leasesOf(deps: Pick<ReleaseDeps, 'clients' | 'now'>): Leases {
  return new Leases(deps.clients.mgmt.s3, naming.ledgerBucket(), deps.now);
}

/** The catalogue entry of a releasable service, or an input error listing the valid ones. */
export function serviceEntry(platform: Platform, service: string): EcsServiceEntry {
  const entry = entryOfKind(platform.catalogue, service, 'service');
  if (!entry) {
    throw new ReleaseInputError(
      `service: unknown service ${JSON.stringify(service)}; valid: ${releasableServices(platform).join(', ')}`,
    );
  }
  return entry;
}

/** The catalogue entry of a one-off task, or an input error listing the valid ones. */
export function taskEntry(platform: Platform, task: string): OneOffTaskEntry {
  const entry = entryOfKind(platform.catalogue, task, 'task');
  if (!entry) {
    throw new ReleaseInputError(
      `task: unknown task ${JSON.stringify(task)}; valid: ${namesOfKind(platform.catalogue, 'task').join(', ')}`,
    );
  }
  return entry;
}

/** A name the ledger keeps records of (./ledger-records.ts keys), or an input error listing them. */
export function checkLedgerSubject(platform: Platform, name: string): void {
  const valid = ledgerSubjects(platform.catalogue);
  if (!valid.includes(name))
    throw new ReleaseInputError(`service: unknown ${JSON.stringify(name)}; valid: ${valid.join(', ')}`);
}

export function workloadEnv(env: string): WorkloadEnvironmentName {
  if (!(WORKLOAD_ENVIRONMENTS as readonly string[]).includes(env)) {
    throw new ReleaseInputError(
      `env: unknown environment ${JSON.stringify(env)}; valid: ${WORKLOAD_ENVIRONMENTS.join(', ')}`,
    );
  }
  return env as WorkloadEnvironmentName;
}

/** Services the catalogue releases through ECS (one-off tasks are not deployed as services). */
export function releasableServices(platform: Platform): string[] {
  return namesOfKind(platform.catalogue, 'service');
}
