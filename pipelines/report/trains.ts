/**
 * Release trains and rejected versions on the board (issue 26): the same facts `tdr status` shows
 * (the newest train of each environment, the one in flight member by member, what a train left out
 * and why; every version rejected now, who, when and why), rated for the page. The train reading is
 * `tdr status`'s own (pipelines/release/train/status.ts `trainStatus`), handed in by the caller in
 * the report's own shape below, so that the report does not depend on the engine.
 */
import type { RejectionRecord } from '../release/ledger/ledger';
import type { Badge, Tone } from './tone';

/** One environment's newest train step, as `tdr status` reads it (train/status.ts `TrainStatus`). */
export interface TrainState {
  readonly env: string;
  readonly trainId: string;
  readonly action: string;
  /** started | progress | succeeded | failed | rolled_back. */
  readonly outcome: string;
  readonly at: string;
  readonly seq: number;
  readonly by: string;
  readonly inFlight: boolean;
  /** In the train's order; `outcome` is `{action} {outcome}` of the member's newest step, null if none yet. */
  readonly members: ReadonlyArray<{
    readonly name: string;
    readonly kind: string;
    readonly version: string;
    readonly outcome: string | null;
  }>;
  readonly leftOut: ReadonlyArray<{ readonly name: string; readonly version: string; readonly why: string }>;
  readonly sourceEnv: string;
  readonly detail: string | null;
}

export interface BoardTrainMember {
  readonly name: string;
  readonly kind: string;
  readonly version: string;
  readonly tone: Tone;
  /** In words: `promote succeeded`, `waiting`, `not moved`. */
  readonly state: string;
}

export interface BoardTrain {
  readonly env: string;
  readonly sourceEnv: string;
  readonly trainId: string;
  readonly tone: Tone;
  /** `promote in flight`, `promote succeeded`, `promote rolled back`, `rollback succeeded`. */
  readonly headline: string;
  readonly inFlight: boolean;
  readonly action: string;
  readonly outcome: string;
  readonly at: string;
  readonly by: string;
  /** The train stream's record: `ledger train/{env} #seq`. */
  readonly seq: number;
  readonly detail: string | null;
  readonly members: readonly BoardTrainMember[];
  readonly leftOut: TrainState['leftOut'];
  readonly command: string;
}

export interface BoardRejection {
  readonly subject: string;
  readonly version: string;
  readonly by: string;
  readonly at: string;
  readonly reason: string;
  /** The subject's rejections stream record. */
  readonly seq: number;
  /** What takes it back (an approver, with a reason). */
  readonly command: string;
}

/** Rejected versions in force, by subject (pipelines/release/admin/reject.ts `rejections`), newest first. */
export type RejectedVersions = Readonly<Record<string, readonly RejectionRecord[]>>;

/** A member's newest step rated: what went out is good, what was put back warns, the rest is bad. */
function memberOf(m: TrainState['members'][number], inFlight: boolean): BoardTrainMember {
  const base = { name: m.name, kind: m.kind, version: m.version };
  if (m.outcome === null)
    return { ...base, tone: inFlight ? 'info' : 'none', state: inFlight ? 'waiting' : 'not moved' };
  const [action, outcome] = m.outcome.split(' ', 2);
  const tone: Tone =
    outcome !== 'succeeded' && outcome !== 'not'
      ? 'bad'
      : action === 'rollback' || outcome === 'not'
        ? 'warn'
        : 'good';
  return { ...base, tone, state: m.outcome.replace('_', ' ') };
}

const TRAIN_TONE: Readonly<Record<string, Tone>> = {
  succeeded: 'good',
  failed: 'bad',
  rolled_back: 'bad',
};

/** Each environment's newest train, in the promotion path's order. */
export function boardTrains(trains: readonly TrainState[], envOrder: readonly string[]): BoardTrain[] {
  const rank = (env: string) => (envOrder.includes(env) ? envOrder.indexOf(env) : envOrder.length);
  return [...trains]
    .sort((a, b) => rank(a.env) - rank(b.env))
    .map((t) => {
      const members = t.members.map((m) => memberOf(m, t.inFlight));
      // A hand rollback that succeeded put prod back as it was: worth a look, not a failure.
      const own: Tone = t.inFlight
        ? 'info'
        : t.action === 'rollback' && t.outcome === 'succeeded'
          ? 'warn'
          : (TRAIN_TONE[t.outcome] ?? 'none');
      return {
        env: t.env,
        sourceEnv: t.sourceEnv,
        trainId: t.trainId,
        tone: own,
        headline: `${t.action} ${t.inFlight ? 'in flight' : t.outcome.replace('_', ' ')}`,
        inFlight: t.inFlight,
        action: t.action,
        outcome: t.outcome,
        at: t.at,
        by: t.by,
        seq: t.seq,
        detail: t.detail,
        members,
        leftOut: t.leftOut,
        command: `tdr history --service train --env ${t.env}`,
      };
    });
}

/** Every version rejected now, a row each, subjects in the order given. */
export function boardRejections(rejected: RejectedVersions | undefined): BoardRejection[] {
  return Object.entries(rejected ?? {}).flatMap(([subject, records]) =>
    records.map((r) => ({
      subject,
      version: r.version,
      by: r.approver,
      at: r.recordedAt,
      reason: r.reason,
      seq: r.seq,
      command: `tdr unreject --service ${subject} --version ${r.version} --reason "…"`,
    })),
  );
}

/**
 * A cell's rejection badges: it runs a rejected version (bad: every gate refuses it everywhere, so a
 * fixed one must follow), or what waits for it upstream is rejected (warn: it will not be promoted).
 */
export function rejectionBadges(
  rejected: readonly RejectionRecord[] | undefined,
  current: string | undefined,
  waiting: { readonly version: string; readonly of: string } | undefined,
): Badge[] {
  const of = (v: string | undefined) =>
    v === undefined ? undefined : rejected?.find((r) => r.version === v);
  const badges: Badge[] = [];
  const live = of(current);
  if (live)
    badges.push({
      tone: 'bad',
      text: `runs rejected ${live.version} (by ${live.approver}: ${live.reason}): release a fixed version`,
    });
  const next = of(waiting?.version);
  if (next && waiting && next !== live)
    badges.push({
      tone: 'warn',
      text: `${next.version} in ${waiting.of} is rejected (by ${next.approver}: ${next.reason}): promote a fixed version`,
    });
  return badges;
}

/** Whether `version` of `subject` is rejected now (waiting promotions leave it out: the gates refuse it). */
export function isRejected(
  rejected: RejectedVersions | undefined,
  subject: string,
  version: string,
): boolean {
  return (rejected?.[subject] ?? []).some((r) => r.version === version);
}
