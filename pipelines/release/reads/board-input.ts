/**
 * What the release board (pipelines/report) is built from, gathered from AWS: the ledger of every
 * service × environment, what ECS runs, the leases held, and each environment's maintenance switch.
 * The board itself stays a pure function of this; only this module knows how the engine reads its
 * buckets, ECS and the load balancer.
 *
 * Cost, per service × environment: the ledger's verified head (two requests when current), one or
 * two ECS calls, and one lease listing overall; per environment, `tdr status`'s reading of the
 * maintenance switch (its ledger head, and the public listener's load balancer, listeners and
 * rules, through the same assumed update role as the ECS calls). The head's compacted records are
 * what the matrix and the history show; its run summary (../ledger/run-summary.ts: every run that
 * finished in the last 90 days) is what the metrics and "how far behind" count. Nothing is paged:
 * the board costs what `tdr status` does, whatever the history or the release rate (issue 24,
 * item 18). A head that is stale is read past in memory, never repaired here (a read writes nothing).
 *
 * Trains and rejections (issue 26) are read by `tdr status`'s own readers, handed in by the caller
 * (reads/ may not import the train or admin parts): one train stream head per environment and one
 * rejections stream head per subject, each a compacted view of its newest records, so they too cost
 * the same whatever the history.
 */
import { naming } from '../../../services/naming';
import { namesOfKind } from '../../../services/queries';
import type { HeldLease, LiveState, TrainState } from '../../report/board';
import { Lambda } from '../aws/lambda';
import type { MaintenanceState } from '../../report/maintenance';
import type { ServiceLedgers, ServiceRuns } from '../../report/runs';
import { ReleaseInputError } from '../errors';
import { ledgerOf, leasesOf, workloadEnv, type ReleaseDeps } from '../saga/context';
import { leaseSubject } from '../ledger/lease';
import {
  MAX_SUMMARY_RUNS,
  SUMMARY_DAYS,
  type LedgerRecord,
  type RejectionRecord,
  type RunFact,
} from '../ledger/ledger';
import { maintenanceStatus, type MaintenanceStatus } from './maintenance-status';
import { ecsView } from './status';

export interface BoardSnapshot {
  readonly ledgers: ServiceLedgers;
  /** Each head's run summary (the runs that finished in the last SUMMARY_DAYS), as the board's ServiceRuns. */
  readonly runs: ServiceRuns & Readonly<Record<string, Readonly<Record<string, readonly RunFact[]>>>>;
  /** By `service/env`. */
  readonly live: Readonly<Record<string, LiveState>>;
  readonly leases: readonly HeldLease[];
  /** By environment. */
  readonly maintenance: Readonly<Record<string, MaintenanceState>>;
  /** Each environment's newest train (none when not asked). */
  readonly trains: readonly TrainState[];
  /** Versions rejected now, by subject (none when not asked). */
  readonly rejected: Readonly<Record<string, readonly RejectionRecord[]>>;
  /** What could not be read; the board shows the rest. */
  readonly problems: readonly string[];
}

/** `tdr status`'s readers of trains and rejections (train/status.ts, admin/reject.ts). */
export interface TrainAndRejectionReaders {
  readonly trains: (envs: readonly string[]) => Promise<readonly TrainState[]>;
  readonly rejections: (
    subjects: readonly string[],
  ) => Promise<ReadonlyMap<string, readonly RejectionRecord[]>>;
  /** Whose rejections to read: the board's services and functions, and the tasks a train runs. */
  readonly subjects: readonly string[];
}

export async function gatherBoardSnapshot(
  deps: Pick<ReleaseDeps, 'clients' | 'platform' | 'now' | 'readOnly'>,
  scope: {
    readonly services: readonly string[];
    readonly environments: readonly string[];
    /** How far back the metrics look. */
    readonly windowDays: number;
  },
  readers?: TrainAndRejectionReaders,
): Promise<BoardSnapshot> {
  if (scope.windowDays > SUMMARY_DAYS)
    throw new ReleaseInputError(
      `windowDays: at most ${SUMMARY_DAYS} (what a ledger head summarises), got ${scope.windowDays}`,
    );
  const ledger = ledgerOf(deps);
  const problems: string[] = [];
  const ledgers: Record<string, Record<string, readonly LedgerRecord[]>> = {};
  const runs: Record<string, Record<string, readonly RunFact[]>> = {};
  const live: Record<string, LiveState> = {};
  const listing = leasesOf(deps)
    .list()
    .catch((err: unknown) => {
      problems.push(`leases could not be read: ${(err as Error).message}`);
      return [];
    });
  const switches = maintenanceStatus(deps, scope.environments).catch((err: unknown) => {
    problems.push(`the maintenance switch could not be read: ${(err as Error).message}`);
    return [];
  });
  const trainReading = (readers?.trains(scope.environments) ?? Promise.resolve([])).catch(
    (err: unknown): TrainState[] => {
      problems.push(`release trains could not be read: ${(err as Error).message}`);
      return [];
    },
  );
  const rejectionReading = (readers?.rejections(readers.subjects) ?? Promise.resolve(new Map())).catch(
    (err: unknown) => {
      problems.push(`rejected versions could not be read: ${(err as Error).message}`);
      return new Map<string, readonly RejectionRecord[]>();
    },
  );
  const cells = scope.services.flatMap((service) => scope.environments.map((env) => ({ service, env })));
  // One cell at a time per worker: a few dozen concurrent requests at most, whatever the catalogue.
  await forEachLimit(cells, 8, async ({ service, env }) => {
    const [view, state] = await Promise.all([
      ledger.view(service, env).catch((err: unknown) => {
        problems.push(`ledger ${service}/${env} could not be read: ${(err as Error).message}`);
        return undefined;
      }),
      liveState(deps, service, env),
    ]);
    if (view?.stale) problems.push(view.stale);
    if (view?.runsCappedBefore != null)
      problems.push(
        `ledger ${service}/${env}: more than ${MAX_SUMMARY_RUNS} runs in ${SUMMARY_DAYS} days; the head keeps the newest, so the metrics miss runs that finished before ${new Date(view.runsCappedBefore).toISOString()}`,
      );
    (ledgers[service] ??= {})[env] = view?.records ?? [];
    (runs[service] ??= {})[env] = view?.runs ?? [];
    live[`${service}/${env}`] = state;
  });
  const leases = (await listing).flatMap((l): HeldLease[] => {
    const subject = leaseSubject(l.key);
    return subject
      ? [{ ...subject, holder: l.holder, runId: l.runId, acquiredAt: l.acquiredAt, expiresAt: l.expiresAt }]
      : [];
  });
  const maintenance: Record<string, MaintenanceState> = {};
  for (const m of await switches) {
    maintenance[m.env] = maintenanceState(m);
    for (const p of m.problems) problems.push(`maintenance/${m.env}: ${p}`);
  }
  const trains = await trainReading;
  const rejected = Object.fromEntries(await rejectionReading);
  return { ledgers, runs, live, leases, maintenance, trains, rejected, problems };
}

/** The board's shape of `tdr status`'s reading (without the engine's own fields). */
function maintenanceState(m: MaintenanceStatus): MaintenanceState {
  const { on, since, by, reason, seq, listener, drift, unsettled, problems } = m;
  return { on, since, by, reason, seq, listener, drift, unsettled, problems };
}

/**
 * What runs: for a service, ECS's task definition's image digest; for a function, the code SHA-256
 * of the version its `live` alias points at (what the ledger records as a function's digest).
 */
async function liveState(
  deps: Pick<ReleaseDeps, 'clients' | 'platform'>,
  service: string,
  env: string,
): Promise<LiveState> {
  try {
    if (namesOfKind(deps.platform.catalogue, 'lambda').includes(service)) {
      const live = await new Lambda(deps.clients.lambda(workloadEnv(env))).live(
        naming.functionName(service, workloadEnv(env)),
        naming.functionAlias(),
      );
      return live ? { state: 'running', digest: live.version.CodeSha256 ?? null } : { state: 'absent' };
    }
    const ecs = await ecsView(deps, service, workloadEnv(env));
    return ecs.taskDefinition === null ? { state: 'absent' } : { state: 'running', digest: ecs.digest };
  } catch (err) {
    return { state: 'unknown', reason: (err as Error).message };
  }
}

async function forEachLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await fn(items[next++] as T);
    }),
  );
}
