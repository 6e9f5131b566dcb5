/**
 * Trains where people look (issue 26): per environment, the newest train step recorded, and the
 * train in flight (a promotion or rollback with no outcome yet), member by member. Read-only.
 */
import { TRAIN_SUBJECT } from '../../../services/naming';
import { ledgerOf, type ReleaseDeps } from '../saga/context';
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
      if (!last) return null;
      const done = new Map(last.progress.map((p) => [p.name, `${p.action} ${p.outcome}`]));
      return {
        env,
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
    }),
  );
  return rows.filter((r): r is TrainStatus => r !== null);
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
