/**
 * The release train's lease, as every single release sees it (issue 26). A train holds
 * `leases/train/{env}.json` for its whole run (the same lease as a release's, ../ledger/lease.ts),
 * naming its members. The saga reads it once before anything changes, so a single-member change
 * (service or function release or rollback, task run) of one of those members is refused with
 * the train's id (exit 4), whoever calls the engine: the CLI, Jenkins or code. The train's own
 * member runs pass: they carry the train's id and its lease's run id (`TrainPass`).
 *
 * A lease that expired is a train that stopped without releasing it (killed, its agent lost). If
 * the train's newest run record is still open (no outcome), the members stay refused, with what
 * settles it: `tdr train promote` resumes it, `tdr train rollback` puts back what went out (both
 * take the expired lease over and release it). A train that crashed before its first record, or
 * after its last, moved nothing unsettled: the expired lease is then no obstacle.
 */
import { PlatformError } from '../../../services/errors';
import { TRAIN_SUBJECT } from '../../../services/naming';
import { TRAIN_ID_PATTERN } from '../../../services/train-id';
import { leaseKey, type Lease } from '../ledger/lease';
import type { TrainRecord } from '../ledger/ledger';
import { ledgerOf, leasesOf, type ReleaseDeps } from './context';

/** A single-member change of a member of a train in flight (or stopped unsettled) there. */
export class TrainInFlightError extends PlatformError {
  readonly kind = 'conflict';
  constructor(
    readonly trainId: string,
    message: string,
  ) {
    super(message);
    this.name = 'TrainInFlightError';
  }
}

/** What a train's own member run carries: which train, and the run id its lease was taken with. */
export interface TrainPass {
  readonly trainId: string;
  readonly runId: string;
}

/** What the train lease's holder says: the train id first, so a reader finds its plan. */
export function trainHolder(trainId: string, actor: string): string {
  return `${trainId} by ${actor}`;
}

/** The train id a train lease's holder names, if it names one. */
export function trainOfHolder(holder: string): string | undefined {
  const id = holder.split(' by ')[0] ?? '';
  return TRAIN_ID_PATTERN.test(id) ? id : undefined;
}

/**
 * Refuses a change of `subject` in `env` while a train holds it there. One S3 read (the lease)
 * when no train is in flight or one is running; the train's stream is read only when its lease
 * expired, to tell a crashed train from one that finished but could not release its lease.
 */
export async function refuseIfInTrain(
  deps: Pick<ReleaseDeps, 'clients' | 'now' | 'readOnly'>,
  subject: string,
  env: string,
  pass?: TrainPass,
): Promise<void> {
  const lease = await leasesOf(deps).read(leaseKey(TRAIN_SUBJECT, env));
  if (!lease) return;
  const trainId = trainOfHolder(lease.holder);
  // The train's own member run, under the lease it holds now (a taken-over lease has a new run id).
  if (pass && pass.trainId === trainId && pass.runId === lease.runId) return;
  // A lease that names no members (an older train's) holds every member: safer than guessing.
  if (lease.members && !lease.members.includes(subject)) return;
  const name = trainId ?? lease.holder;
  const expired = Date.parse(lease.expiresAt) <= deps.now().getTime();
  if (!expired)
    throw new TrainInFlightError(
      name,
      `${subject} in ${env} is a member of release train ${name} in flight (lease held by ${lease.holder} until ${lease.expiresAt}): wait for the train, or tdr train rollback --train ${trainId ?? 'ID'} --to ${env} after it`,
    );
  if (trainId && !(await unsettled(deps, env, trainId))) return;
  throw new TrainInFlightError(name, stoppedMessage(subject, env, name, lease));
}

function stoppedMessage(subject: string, env: string, trainId: string, lease: Lease): string {
  return (
    `${subject} in ${env} is a member of release train ${trainId}, which stopped without an outcome ` +
    `(its lease, held by ${lease.holder}, expired at ${lease.expiresAt}): settle the train first, ` +
    `tdr train promote --train ${trainId} --to ${env} to resume it, or tdr train rollback --train ${trainId} --to ${env} to put back what went out`
  );
}

/** Whether the train's newest promote or rollback run has no outcome recorded. */
async function unsettled(
  deps: Pick<ReleaseDeps, 'clients' | 'now' | 'readOnly'>,
  env: string,
  trainId: string,
): Promise<boolean> {
  const { records } = await ledgerOf({ ...deps, readOnly: true }).view(TRAIN_SUBJECT, env);
  const last = records
    .filter(
      (r): r is TrainRecord =>
        r.kind === 'train' && r.version === trainId && (r.action === 'promote' || r.action === 'rollback'),
    )
    .at(-1);
  return last !== undefined && (last.outcome === 'started' || last.outcome === 'progress');
}
