/**
 * Trains where people look (issue 26): per environment, the newest train step recorded, and the
 * train in flight (a promotion or rollback with no outcome yet), member by member; and the trains
 * of one environment, newest first (`tdr history --service train`). Read-only.
 */
import { TRAIN_SUBJECT } from '../../../services/naming';
import { ReleaseInputError } from '../errors';
import { ledgerOf, workloadEnv, type ReleaseDeps } from '../saga/context';
import type { TrainRecord } from '../ledger/ledger';

export interface TrainStatus {
  readonly env: string;
  readonly trainId: string;
  readonly action: TrainRecord['action'];
  readonly outcome: TrainRecord['outcome'];
  readonly at: string;
  readonly seq: number;
  readonly by: string;
  /** A promotion or rollback that has not finished (running, or crashed: the next tdr train settles it). */
  readonly inFlight: boolean;
  readonly members: ReadonlyArray<{
    name: string;
    kind: TrainRecord['members'][number]['kind'];
    version: string;
    outcome: string | null;
  }>;
  /** Left out of the plan, and why (a rejected version): the board says so beside the members. */
  readonly leftOut: TrainRecord['leftOut'];
  readonly sourceEnv: string;
  /** Why the step failed or how a crashed run was settled. */
  readonly detail: string | null;
}

export async function trainStatus(
  deps: Pick<ReleaseDeps, 'clients' | 'now'>,
  envs: readonly string[],
): Promise<TrainStatus[]> {
  const ledger = ledgerOf(deps);
  const rows = await Promise.all(
    envs.map(async (env): Promise<TrainStatus | null> => {
      const { records } = await ledger.view(TRAIN_SUBJECT, env);
      const last = records
        .filter(
          (r): r is TrainRecord => r.kind === 'train' && (r.action === 'promote' || r.action === 'rollback'),
        )
        .at(-1);
      return last ? statusOf(last) : null;
    }),
  );
  return rows.filter((r): r is TrainStatus => r !== null);
}

/** One train step as people read it: each member with its newest step in this run. */
function statusOf(last: TrainRecord): TrainStatus {
  const done = new Map(last.progress.map((p) => [p.name, `${p.action} ${p.outcome}`]));
  return {
    env: last.env,
    trainId: last.version,
    action: last.action,
    outcome: last.outcome,
    at: last.recordedAt,
    seq: last.seq,
    by: last.actor,
    inFlight: last.outcome === 'started' || last.outcome === 'progress',
    members: last.members.map((m) => ({
      name: m.name,
      kind: m.kind,
      version: m.version,
      outcome: done.get(m.name) ?? null,
    })),
    leftOut: last.leftOut,
    sourceEnv: last.sourceEnv,
    detail: last.detail,
  };
}

/** Trains one page of `tdr history --service train` shows at most (default DEFAULT_TRAIN_PAGE). */
export const MAX_TRAIN_PAGE = 50;
export const DEFAULT_TRAIN_PAGE = 10;
/**
 * Train records one page reads at most, newest first: a train writes one record per member and
 * step, so 50 trains of ten members fit; past it the page ends early and says where to go on.
 */
export const MAX_TRAIN_RECORDS = 1000;
/** Records read per request batch: small first (most pages end in it), doubling up to the last. */
const FIRST_BATCH = 16;
const LAST_BATCH = 128;

export interface TrainHistoryQuery {
  readonly env: string;
  readonly limit?: number | undefined;
  /** Only train records numbered below this (the next page). */
  readonly before?: number | undefined;
}

export interface TrainHistory {
  readonly env: string;
  /** Newest first: each train's newest step (plan, approve, promote or rollback), member by member. */
  readonly trains: readonly TrainStatus[];
  /** Where the next page starts (`--before`), or null when the stream's start was reached. */
  readonly before: number | null;
  /** Train records that could not be read (each is named; the rest are shown). */
  readonly unreadable: readonly { readonly seq: number; readonly problem: string }[];
}

/** The query's own fields (exit 2), before any AWS call. */
export function validateTrainHistory(query: TrainHistoryQuery): void {
  workloadEnv(query.env);
  const { limit, before } = query;
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1 || limit > MAX_TRAIN_PAGE))
    throw new ReleaseInputError(
      `limit: trains per page, a whole number from 1 to ${MAX_TRAIN_PAGE}, got ${limit}`,
    );
  if (before !== undefined && (!Number.isInteger(before) || before < 2))
    throw new ReleaseInputError(`before: must be a ledger sequence number above 1, got ${before}`);
}

/**
 * The trains of one environment, newest first: the train stream read a batch of records at a time
 * from its newest, each train shown once, by its newest record (which carries the whole plan and
 * every member's step so far). At most MAX_TRAIN_RECORDS records, whatever the stream's length.
 */
export async function trainHistory(
  deps: Pick<ReleaseDeps, 'clients' | 'now'>,
  query: TrainHistoryQuery,
): Promise<TrainHistory> {
  validateTrainHistory(query);
  const env = workloadEnv(query.env);
  const limit = query.limit ?? DEFAULT_TRAIN_PAGE;
  const ledger = ledgerOf(deps);
  const trains = new Map<string, TrainStatus>();
  const unreadable: Array<{ seq: number; problem: string }> = [];
  let before = query.before;
  let read = 0;
  let batch = FIRST_BATCH;
  while (trains.size < limit && read < MAX_TRAIN_RECORDS && (before === undefined || before > 1)) {
    const page = await ledger.page(TRAIN_SUBJECT, env, {
      limit: Math.min(batch, MAX_TRAIN_RECORDS - read),
      before,
    });
    batch = Math.min(2 * batch, LAST_BATCH);
    if (page.length === 0) break;
    read += page.length;
    for (const r of page) {
      before = r.seq;
      if (r.kind === 'unreadable') unreadable.push({ seq: r.seq, problem: r.problem });
      else if (r.kind === 'train' && !trains.has(r.version)) {
        trains.set(r.version, statusOf(r));
        if (trains.size === limit) break;
      }
    }
  }
  return {
    env,
    trains: [...trains.values()],
    before: before !== undefined && before > 1 ? before : null,
    unreadable,
  };
}

/** One line per environment, and one per member of a train in flight. */
export function renderTrainStatus(rows: readonly TrainStatus[]): string {
  const lines = rows.flatMap((t) => [
    `TRAIN ${t.env}: ${t.trainId} ${t.action} ${t.inFlight ? 'IN FLIGHT' : t.outcome} (${t.members.length} members, by ${t.by}, ledger train/${t.env} #${t.seq} at ${t.at})`,
    ...(t.inFlight ? t.members.map((m) => `  ${m.name} ${m.version}: ${m.outcome ?? 'waiting'}`) : []),
    ...t.leftOut.map((l) => `  left out ${l.name} ${l.version}: ${l.why}`),
  ]);
  return lines.length > 0 ? lines.join('\n') + '\n' : '';
}
