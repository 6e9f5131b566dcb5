/**
 * What the release board (pipelines/report) is built from, gathered from AWS: the ledger of every
 * service × environment, what ECS runs, the leases held, and each environment's maintenance switch.
 * The board itself stays a pure function of this; only this module knows how the engine reads its
 * buckets, ECS and the load balancer.
 *
 * Cost, per service × environment: the ledger's verified head (two requests when current), one or
 * two ECS calls, and one lease listing overall; per environment, `tdr status`'s reading of the
 * maintenance switch (its ledger head, and the public listener's load balancer, listeners and
 * rules, through the same assumed update role as the ECS calls). The head keeps the newest KEEP_RUNS runs, which is
 * all the matrix and the history show; the 90-day metrics need every run within 90 days, so only
 * when the head's oldest run is still inside that window are older records paged in (one GET per
 * record, PAGE at a time) until one falls outside it. Reads grow with the release rate, never with
 * the length of the history.
 */
import type { HeldLease, LiveState } from '../../report/board';
import type { MaintenanceState } from '../../report/maintenance';
import type { ServiceLedgers } from '../../report/runs';
import { ledgerOf, leasesOf, workloadEnv, type ReleaseDeps } from '../saga/context';
import { leaseSubject } from '../ledger/lease';
import { maintenanceStatus, type MaintenanceStatus } from './maintenance-status';
import { ecsView } from './status';
import type { LedgerRecord } from '../ledger/ledger';

const PAGE = 100;
const DAY_MS = 86_400_000;

export interface BoardSnapshot {
  readonly ledgers: ServiceLedgers;
  /** By `service/env`. */
  readonly live: Readonly<Record<string, LiveState>>;
  readonly leases: readonly HeldLease[];
  /** By environment. */
  readonly maintenance: Readonly<Record<string, MaintenanceState>>;
  /** What could not be read; the board shows the rest. */
  readonly problems: readonly string[];
}

export async function gatherBoardSnapshot(
  deps: Pick<ReleaseDeps, 'clients' | 'platform' | 'now'>,
  scope: {
    readonly services: readonly string[];
    readonly environments: readonly string[];
    /** How far back the metrics look. */
    readonly windowDays: number;
  },
): Promise<BoardSnapshot> {
  const ledger = ledgerOf(deps);
  const since = deps.now().getTime() - scope.windowDays * DAY_MS;
  const problems: string[] = [];
  const ledgers: Record<string, Record<string, readonly LedgerRecord[]>> = {};
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
  const cells = scope.services.flatMap((service) => scope.environments.map((env) => ({ service, env })));
  // One cell at a time per worker: a few dozen concurrent requests at most, whatever the catalogue.
  await forEachLimit(cells, 8, async ({ service, env }) => {
    const [records, state] = await Promise.all([
      windowRecords(ledger, service, env, since).catch((err: unknown) => {
        problems.push(`ledger ${service}/${env} could not be read: ${(err as Error).message}`);
        return [];
      }),
      liveState(deps, service, env),
    ]);
    (ledgers[service] ??= {})[env] = records;
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
  return { ledgers, live, leases, maintenance, problems };
}

/** The board's shape of `tdr status`'s reading (without the engine's own fields). */
function maintenanceState(m: MaintenanceStatus): MaintenanceState {
  const { on, since, by, reason, seq, listener, drift, unsettled, problems } = m;
  return { on, since, by, reason, seq, listener, drift, unsettled, problems };
}

/** The head's records, and older ones paged in while they are still inside the window. */
async function windowRecords(
  ledger: ReturnType<typeof ledgerOf>,
  service: string,
  env: string,
  since: number,
): Promise<LedgerRecord[]> {
  const view = await ledger.view(service, env);
  const bySeq = new Map(view.records.map((r) => [r.seq, r]));
  // An open run is kept however old: the oldest settled record says how far back the head reaches.
  const settled = view.records.filter((r) => !(r.kind === 'release' && r.outcome === 'started'));
  let before = Math.min(...view.records.map((r) => r.seq), view.lastSeq + 1);
  let reaches = settled.length === 0 || Date.parse(settled[0]?.recordedAt ?? '') < since;
  while (!reaches && before > 1) {
    const page = await ledger.page(service, env, { limit: PAGE, before });
    for (const entry of page) {
      if (entry.kind === 'unreadable') continue;
      if (Date.parse(entry.recordedAt) < since) reaches = true;
      else bySeq.set(entry.seq, entry);
    }
    before = Math.min(before, ...page.map((e) => e.seq));
    if (page.length === 0) break;
  }
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

async function liveState(
  deps: Pick<ReleaseDeps, 'clients'>,
  service: string,
  env: string,
): Promise<LiveState> {
  try {
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
