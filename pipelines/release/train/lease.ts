/**
 * A train's lease (issue 26): one object per target environment (`leases/train/{env}.json`, the
 * same lease as a release's, ../ledger/lease.ts), held for the whole train and renewed before each
 * member, so that a single-service release racing the train on one of its members is refused
 * (exit 4, naming the train) while each member's own saga still takes its own lease as always.
 */
import { PlatformError } from '../../../services/errors';
import { TRAIN_SUBJECT } from '../../../services/naming';
import { leasesOf, type ReleaseDeps } from '../saga/context';
import { leaseKey } from '../ledger/lease';
import { recordedTrain } from './plan';

/** A single-service release of a member of a train in flight. */
export class TrainInFlightError extends PlatformError {
  readonly kind = 'conflict';
  constructor(message: string) {
    super(message);
    this.name = 'TrainInFlightError';
  }
}

/** What the lease's holder says: the train id first, so a reader finds its plan. */
export function trainHolder(trainId: string, actor: string): string {
  return `${trainId} by ${actor}`;
}

/**
 * Refuses a single-service release of `subject` into `env` while a train holding that
 * environment's train lease (not expired) carries it. Two reads when a train is in flight, one
 * when none is.
 */
export async function refuseIfInTrain(
  deps: Pick<ReleaseDeps, 'clients' | 'now'>,
  subject: string,
  env: string,
): Promise<void> {
  const lease = await leasesOf(deps).read(leaseKey(TRAIN_SUBJECT, env));
  if (!lease || Date.parse(lease.expiresAt) <= deps.now().getTime()) return;
  const trainId = /^(train-[0-9a-f]{16}) by /.exec(lease.holder)?.[1];
  const members = trainId ? (await recordedTrain(deps, env, trainId)).plan.members.map((m) => m.name) : null;
  // A lease that names no readable train blocks every release there: safer than guessing.
  if (members && !members.includes(subject)) return;
  throw new TrainInFlightError(
    `${subject} in ${env} is a member of release train ${trainId ?? lease.holder} in flight (lease held by ${lease.holder} until ${lease.expiresAt}): wait for the train, or tdr train rollback --train ${trainId ?? 'ID'} after it`,
  );
}
