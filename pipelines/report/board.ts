/**
 * The release board's data: a pure function of the platform model, the ledger, what the runtime
 * runs, the held leases, each environment's maintenance switch and the time. `tdr report -o json`
 * prints it; the HTML page and the Slack summary render it and decide nothing themselves.
 *
 * The live state, the leases and the maintenance switch are small interfaces of the report's own,
 * so that the board does not depend on how the release engine reads ECS, its lease objects or the
 * load balancer.
 */
import type { Platform } from '../../services/config';
import { ecsServices, namesOfKind } from '../../services/queries';
import type { CheckRecord, DeploymentStage } from '../release/ledger/ledger';
import { describeStage } from '../release/ledger/stage-line';
import { formatDays } from './format';
import { environmentMaintenance, type EnvironmentMaintenance, type MaintenanceState } from './maintenance';
import { deliveryMetrics, type DeliveryMetrics } from './metrics';
import {
  DAY_MS,
  checkRecords,
  currentRun,
  iso,
  recordsOf,
  releaseRuns,
  runFactsOf,
  shortDigest,
  time,
  type ReleaseRun,
  type RunFact,
  type ServiceLedgers,
  type ServiceRuns,
} from './runs';
import { worst, type Badge, type Tone } from './tone';
import {
  boardRejections,
  boardTrains,
  isRejected,
  rejectionBadges,
  type BoardRejection,
  type BoardTrain,
  type RejectedVersions,
  type TrainState,
} from './trains';

// ---- Inputs ----

/** What the board needs of the platform model; `boardModelOf` derives it. */
export interface BoardModel {
  readonly services: readonly { readonly name: string; readonly kind: 'service' | 'function' }[];
  /** The promotion path in order; `source` is the environment before (null for the first). */
  readonly environments: readonly { readonly name: string; readonly source: string | null }[];
}

/** What the runtime (ECS, later Lambda) runs for one service in one environment. */
export type LiveState =
  | { readonly state: 'running'; readonly digest: string | null }
  /** The runtime has no such service. */
  | { readonly state: 'absent' }
  /** It could not be asked: the board says so rather than guess. */
  | { readonly state: 'unknown'; readonly reason: string };

export interface HeldLease {
  readonly service: string;
  readonly env: string;
  readonly holder: string;
  readonly runId: string;
  readonly acquiredAt: string;
  readonly expiresAt: string;
}

export interface BoardLinks {
  readonly grafana?: (env: string) => string;
  readonly jenkinsPromote?: (service: string, env: string) => string;
  readonly jenkinsJobs?: string;
}

export interface BoardInput {
  readonly model: BoardModel;
  readonly ledgers: ServiceLedgers;
  /**
   * Each ledger head's run summary (`tdr report`): what the metrics and "how far behind" count.
   * Without it they count the runs of `ledgers`' records.
   */
  readonly runs?: ServiceRuns;
  /** Missing means not asked: shown as unknown. */
  readonly live: (service: string, env: string) => LiveState | undefined;
  readonly leases: readonly HeldLease[];
  /** Each environment's maintenance switch; missing means not asked: shown as unknown. */
  readonly maintenance: (env: string) => MaintenanceState | undefined;
  readonly now: Date;
  readonly links?: BoardLinks;
  /** Runs of each cell's history (newest first); 20 unless told. */
  readonly historyLength?: number;
  /** Each environment's newest release train (`tdr status`'s reading); missing means not asked. */
  readonly trains?: readonly TrainState[];
  /** Versions rejected now, by subject (services, functions, tasks); missing means not asked. */
  readonly rejected?: RejectedVersions;
}

// ---- Output ----

export type { Badge, Tone } from './tone';
export type { BoardRejection, BoardTrain, TrainState } from './trains';

export interface HistoryEntry {
  readonly runId: string;
  readonly action: string;
  readonly outcome: string;
  readonly version: string;
  readonly digest: string;
  readonly shortDigest: string;
  readonly actor: string;
  readonly approver: string | null;
  readonly breakGlass: boolean;
  readonly reason: string | null;
  readonly detail: string | null;
  readonly sourceEnv: string | null;
  readonly gates: readonly { readonly gate: string; readonly ok: boolean; readonly detail: string }[];
  /** Checks recorded for this digest here or in the environment before: how it was verified. */
  readonly checks: readonly { readonly name: string; readonly env: string; readonly result: string }[];
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly durationSeconds: number | null;
  readonly buildUrl: string | null;
}

export interface BoardCell {
  readonly service: string;
  readonly env: string;
  /** The worst of the badges' tones. */
  readonly tone: Tone;
  readonly badges: readonly Badge[];
  /** What the ledger says is live. */
  readonly current: {
    readonly version: string;
    readonly digest: string;
    readonly shortDigest: string;
    readonly at: string | null;
    readonly by: string;
    readonly approver: string | null;
  } | null;
  readonly lastOutcome: {
    readonly outcome: string;
    readonly version: string;
    readonly at: string | null;
  } | null;
  readonly live: LiveState;
  /** Empty when the ledger and the runtime agree (or the runtime could not be asked). */
  readonly drift: readonly string[];
  readonly openRuns: readonly {
    readonly runId: string;
    readonly version: string;
    readonly digest: string;
    readonly actor: string;
    readonly startedAt: string;
    /** A progressive run's newest stage record: ECS's stage, the traffic split, the bake left. */
    readonly stage?: DeploymentStage;
  }[];
  readonly lease: (HeldLease & { readonly expired: boolean }) | null;
  /** How far behind the environment before; null for the first environment. */
  readonly behind: {
    readonly of: string;
    readonly versions: number;
    /** How long the oldest version this environment lacks has been waiting, in days. */
    readonly days: number | null;
    /** What the environment before runs now (the newest version this one lacks). */
    readonly newest: {
      readonly version: string;
      readonly digest: string;
      /** When it first succeeded there. */
      readonly since: string | null;
      /**
       * Set when this environment ran it and a rollback took it out again (the newest thing that
       * happened to it here): not waiting to be promoted, a fixed version is.
       */
      readonly rolledBackHere: { readonly at: string | null; readonly to: string } | null;
    } | null;
  } | null;
  readonly history: readonly HistoryEntry[];
}

export interface WaitingPromotion {
  readonly service: string;
  readonly from: string;
  readonly to: string;
  readonly version: string;
  readonly shortDigest: string;
  /** When it succeeded in `from`. */
  readonly since: string | null;
  readonly waitingDays: number | null;
  /** Versions `to` lacks, this one included. */
  readonly versionsBehind: number;
  readonly command: string;
  readonly jenkinsUrl: string | null;
  /** The last attempt of this version in `to`, if it failed. */
  readonly lastAttemptFailed: boolean;
}

export interface BoardData {
  readonly generatedAt: string;
  readonly environments: readonly {
    readonly name: string;
    readonly source: string | null;
    readonly grafanaUrl: string | null;
    readonly maintenance: EnvironmentMaintenance;
  }[];
  readonly jenkinsUrl: string | null;
  readonly rows: readonly {
    readonly service: string;
    readonly kind: string;
    readonly cells: readonly BoardCell[];
    /** Its versions rejected now: refused by every gate in every environment. */
    readonly rejected: readonly BoardRejection[];
  }[];
  readonly waiting: readonly WaitingPromotion[];
  /** Each environment's newest release train, in promotion order (issue 26). */
  readonly trains: readonly BoardTrain[];
  /** Every version rejected now, of every subject asked about (tasks too). */
  readonly rejections: readonly BoardRejection[];
  readonly summary: {
    readonly services: number;
    readonly waiting: number;
    readonly drifted: number;
    readonly failed: number;
    readonly openRuns: number;
    readonly leases: number;
    /** Environments whose ledger says maintenance is on. */
    readonly inMaintenance: number;
    /** Environments whose maintenance switch differs from their listener. */
    readonly maintenanceDrifted: number;
    readonly trainsInFlight: number;
    readonly rejected: number;
  };
  readonly metrics: DeliveryMetrics;
}

// ---- The model ----

export function boardModelOf(platform: Pick<Platform, 'catalogue' | 'promotionPath'>): BoardModel {
  return {
    // Every releasable subject: the ECS services, then the Lambda functions (issue 24 item 14).
    services: [
      ...ecsServices(platform.catalogue).map(([name]) => ({ name, kind: 'service' as const })),
      ...namesOfKind(platform.catalogue, 'lambda').map((name) => ({ name, kind: 'function' as const })),
    ],
    environments: platform.promotionPath.map((name, i) => ({
      name,
      source: i === 0 ? null : (platform.promotionPath[i - 1] ?? null),
    })),
  };
}

export function promoteCommand(service: string, to: string, version: string): string {
  return `tdr promote --service ${service} --to ${to} --version ${version}`;
}

export function buildBoard(input: BoardInput): BoardData {
  const { model, ledgers, now } = input;
  const envs = model.environments;
  const rows = model.services.map(({ name: service, kind }) => {
    // Each environment's runs once: its own cell and the next environment's "behind" share them.
    const runs = new Map(envs.map((e) => [e.name, releaseRuns(recordsOf(ledgers, service, e.name))]));
    const facts = new Map(
      envs.map((e) => [e.name, runFactsOf(ledgers, input.runs, service, e.name, runs.get(e.name))]),
    );
    const cells = envs.map((e) =>
      cellOf(input, service, e.name, e.source, runs.get(e.name) ?? [], {
        here: facts.get(e.name) ?? [],
        upstream: e.source ? facts.get(e.source) : undefined,
      }),
    );
    const rejected = boardRejections({ [service]: input.rejected?.[service] ?? [] });
    return { service, kind, cells, rejected };
  });
  const waiting = rows.flatMap((row) => row.cells.flatMap((c) => waitingOf(input, c)));
  const cells = rows.flatMap((r) => r.cells);
  const first = envs[0]?.name ?? '';
  const trains = boardTrains(
    input.trains ?? [],
    envs.map((e) => e.name),
  );
  const rejections = boardRejections(input.rejected);
  const environments = envs.map((e) => ({
    ...e,
    grafanaUrl: input.links?.grafana?.(e.name) ?? null,
    maintenance: environmentMaintenance(e.name, input.maintenance(e.name)),
  }));
  return {
    generatedAt: now.toISOString(),
    environments,
    jenkinsUrl: input.links?.jenkinsJobs ?? null,
    rows,
    waiting,
    trains,
    rejections,
    summary: {
      services: rows.length,
      waiting: waiting.length,
      drifted: cells.filter((c) => c.drift.length > 0).length,
      failed: cells.filter((c) => c.lastOutcome && c.lastOutcome.outcome !== 'succeeded').length,
      openRuns: cells.reduce((n, c) => n + c.openRuns.length, 0),
      leases: cells.filter((c) => c.lease && !c.lease.expired).length,
      inMaintenance: environments.filter((e) => e.maintenance.on).length,
      maintenanceDrifted: environments.filter((e) => e.maintenance.drift.length > 0).length,
      trainsInFlight: trains.filter((t) => t.inFlight).length,
      rejected: rejections.length,
    },
    metrics: deliveryMetrics(ledgers, {
      services: model.services.map((s) => s.name),
      firstEnv: first,
      prodEnv: envs.at(-1)?.name ?? first,
      now,
      runs: input.runs,
      rejected: input.rejected,
    }),
  };
}

// eslint-disable-next-line max-lines-per-function -- one cell's facts gathered in the order the board shows them.
function cellOf(
  input: BoardInput,
  service: string,
  env: string,
  source: string | null,
  runs: readonly ReleaseRun[],
  facts: { readonly here: readonly RunFact[]; readonly upstream: readonly RunFact[] | undefined },
): BoardCell {
  const now = input.now.getTime();
  const current = currentRun(runs);
  const finished = runs.filter((r) => r.finishedAt !== null);
  const last = finished.at(-1);
  const live = input.live(service, env) ?? { state: 'unknown', reason: 'not asked' };
  const drift = driftOf(live, current, runs);
  const openRuns = runs.filter((r) => r.outcome === 'started');
  const leaseHeld = input.leases.find((l) => l.service === service && l.env === env);
  const lease = leaseHeld ? { ...leaseHeld, expired: (time(leaseHeld.expiresAt) ?? 0) <= now } : null;
  const behind = source && facts.upstream ? behindOf(source, current, facts.upstream, facts.here, now) : null;

  const badges: Badge[] = [];
  if (!current && runs.length === 0) badges.push({ tone: 'none', text: 'never deployed' });
  if (last && last.outcome !== 'succeeded') {
    badges.push({ tone: 'bad', text: `last release ${last.outcome.replace('_', ' ')}: ${last.version}` });
  }
  if (drift.length > 0) badges.push({ tone: 'bad', text: 'drift: runtime differs from ledger' });
  if (live.state === 'unknown') badges.push({ tone: 'warn', text: `runtime unknown (${live.reason})` });
  for (const r of openRuns) {
    const stage = stageOfRun(r.record);
    badges.push({
      tone: 'info',
      text: `release running: ${r.version} by ${r.actor}${stage ? ` — ${describeStage(stage, { asRecorded: true })}` : ''}`,
    });
  }
  if (lease) {
    badges.push(
      lease.expired
        ? { tone: 'warn', text: `expired lease of ${lease.holder}` }
        : { tone: 'info', text: `lease held by ${lease.holder}` },
    );
  }
  const undone = behind?.newest?.rolledBackHere;
  if (behind?.newest && undone) {
    badges.push({
      tone: 'warn',
      text: `${behind.newest.version} was rolled back here to ${undone.to}${undone.at ? ` at ${undone.at}` : ''}: promote a fixed version`,
    });
  }
  badges.push(
    ...rejectionBadges(
      input.rejected?.[service],
      current?.version,
      behind?.newest ? { version: behind.newest.version, of: behind.of } : undefined,
    ),
  );
  if (behind && behind.versions > 0) {
    const days = behind.days === null ? '' : `, ${formatDays(behind.days)}`;
    badges.push({
      tone: 'warn',
      text: `behind ${behind.of} by ${behind.versions} version${behind.versions === 1 ? '' : 's'}${days}`,
    });
  }
  if (current && badges.length === 0) badges.push({ tone: 'good', text: 'up to date' });

  const checks = checkRecords([
    ...recordsOf(input.ledgers, service, env),
    ...(source ? recordsOf(input.ledgers, service, source) : []),
  ]);
  const history = runs
    .slice(-(input.historyLength ?? 20))
    .reverse()
    .map((r) => historyEntry(r, checks));

  return {
    service,
    env,
    tone: worst(badges.map((b) => b.tone)),
    badges,
    current: current
      ? {
          version: current.version,
          digest: current.digest,
          shortDigest: shortDigest(current.digest),
          at: iso(current.finishedAt),
          by: current.actor,
          approver: current.record.approver,
        }
      : null,
    lastOutcome: last ? { outcome: last.outcome, version: last.version, at: iso(last.finishedAt) } : null,
    live,
    drift,
    openRuns: openRuns.map((r) => ({
      runId: r.runId,
      version: r.version,
      digest: r.digest,
      actor: r.actor,
      startedAt: iso(r.startedAt) ?? '',
      ...(stageOfRun(r.record) ? { stage: stageOfRun(r.record) } : {}),
    })),
    lease,
    behind,
    history,
  };
}

function driftOf(live: LiveState, current: ReleaseRun | undefined, runs: readonly ReleaseRun[]): string[] {
  if (live.state === 'unknown') return [];
  if (live.state === 'absent') {
    return current ? [`the runtime has no such service; the ledger says ${current.version} is live`] : [];
  }
  if (!current) {
    return [`the runtime runs ${describeDigest(live.digest, runs)}, which the ledger has no release of`];
  }
  if (live.digest !== current.digest) {
    return [
      `the runtime runs ${describeDigest(live.digest, runs)}; the ledger says ${current.version} (${shortDigest(current.digest)})`,
    ];
  }
  return [];
}

function describeDigest(digest: string | null, runs: readonly ReleaseRun[]): string {
  if (!digest) return 'an image not pinned to a digest';
  const known = runs.findLast((r) => r.digest === digest);
  return known ? `${known.version} (${shortDigest(digest)})` : shortDigest(digest);
}

/**
 * Versions that succeeded upstream after the build this environment runs, up to what upstream
 * runs now. Ordered by when upstream first succeeded with them (a digest is one build), so it
 * works for any version spelling.
 */
function behindOf(
  source: string,
  current: ReleaseRun | undefined,
  upstream: readonly RunFact[],
  here: readonly RunFact[],
  now: number,
): NonNullable<BoardCell['behind']> {
  const upstreamCurrent = upstream.findLast((r) => r.outcome === 'succeeded');
  const firstSuccess = new Map<string, RunFact>();
  for (const r of upstream) {
    if (r.outcome === 'succeeded' && !firstSuccess.has(r.digest)) firstSuccess.set(r.digest, r);
  }
  const order = [...firstSuccess.values()];
  const ceiling = upstreamCurrent ? order.findIndex((r) => r.digest === upstreamCurrent.digest) : -1;
  const floor = current ? order.findIndex((r) => r.digest === current.digest) : -1;
  const missing = ceiling > floor ? order.slice(floor + 1, ceiling + 1) : [];
  const oldest = missing[0];
  const newest = missing.at(-1);
  return {
    of: source,
    versions: missing.length,
    days: oldest ? daysSince(oldest.finishedAt, now) : null,
    newest: newest
      ? {
          version: newest.version,
          digest: newest.digest,
          since: iso(newest.finishedAt),
          rolledBackHere: rolledBackHere(here, newest.digest),
        }
      : null,
  };
}

/**
 * The rollback that took `digest` out of this environment after it ran here, when nothing has put
 * it back since; null otherwise.
 */
function rolledBackHere(
  runs: readonly RunFact[],
  digest: string,
): { readonly at: string | null; readonly to: string } | null {
  let live = false;
  let undo: RunFact | undefined;
  for (const r of runs) {
    if (r.outcome !== 'succeeded') continue;
    if (r.digest === digest) [live, undo] = [true, undefined];
    else {
      if (live && r.action === 'rollback') undo = r;
      live = false;
    }
  }
  return undo ? { at: iso(undo.finishedAt), to: undo.version } : null;
}

function daysSince(at: number | null, now: number): number | null {
  return at === null ? null : Math.max(0, (now - at) / DAY_MS);
}

/** A cell behind the environment before it waits for what that environment runs now. */
function waitingOf(input: BoardInput, cell: BoardCell): WaitingPromotion[] {
  const newest = cell.behind?.newest;
  if (!cell.behind || !newest) return [];
  // Rolled back out of here: promoting it again would bring back what was just undone.
  if (newest.rolledBackHere) return [];
  // Rejected (issue 26): every gate refuses it; the cell's badge says a fixed version must follow.
  if (isRejected(input.rejected, cell.service, newest.version)) return [];
  // Already on its way: the open run and the lease say so.
  if (cell.openRuns.some((r) => r.digest === newest.digest)) return [];
  const attempts = cell.history.filter((h) => h.digest === newest.digest && h.outcome !== 'started');
  return [
    {
      service: cell.service,
      from: cell.behind.of,
      to: cell.env,
      version: newest.version,
      shortDigest: shortDigest(newest.digest),
      since: newest.since,
      waitingDays: daysSince(time(newest.since), input.now.getTime()),
      versionsBehind: cell.behind.versions,
      command: promoteCommand(cell.service, cell.env, newest.version),
      jenkinsUrl: input.links?.jenkinsPromote?.(cell.service, cell.env) ?? null,
      lastAttemptFailed: attempts.length > 0 && attempts[0]?.outcome !== 'succeeded',
    },
  ];
}

function historyEntry(run: ReleaseRun, checks: readonly CheckRecord[]): HistoryEntry {
  const r = run.record;
  return {
    runId: run.runId,
    action: run.action,
    outcome: run.outcome,
    version: run.version,
    digest: run.digest,
    shortDigest: shortDigest(run.digest),
    actor: run.actor,
    approver: r.approver,
    breakGlass: r.breakGlass,
    reason: r.reason,
    detail: r.detail,
    sourceEnv: r.sourceEnv,
    gates: r.gates,
    checks: checks
      .filter((c) => c.digest === run.digest)
      .map((c) => ({ name: c.name, env: c.env, result: c.result })),
    startedAt: iso(run.startedAt) ?? '',
    finishedAt: iso(run.finishedAt),
    durationSeconds: run.finishedAt === null ? null : Math.round((run.finishedAt - run.startedAt) / 1000),
    buildUrl: r.buildUrl,
  };
}

/**
 * Where an open progressive run is, as its newest record says (a stage record, or a run written
 * before stage records with the stages so far): read from the ledger the board has already read,
 * no request more. The bake left is as the follower estimated it when it wrote the record.
 */
function stageOfRun(r: { readonly stage?: DeploymentStage; readonly stages?: readonly DeploymentStage[] }) {
  return r.stage ?? r.stages?.at(-1);
}
