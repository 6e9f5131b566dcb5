/**
 * A train member that ECS holds at its approval pause (issue 26 meeting issue 25's PAUSE hook).
 * `releaseService` ends a progressive promotion successfully at the pause, its run left open
 * "awaiting approval"; a train must not count that member out, since ECS may still roll it back
 * (the pause's timeout, an alarm, the judge). The train's one approval covers the pause: the
 * member's own approval record, written by `tdr train approve`, continues the held deployment
 * exactly as `tdr approve` would (`continueHeldRelease`: the four-eyes gate against the held run's
 * promoter, ContinueServiceDeployment, followed to its end with each stage judged), and only its
 * outcome decides the member. Without an approval to continue it with (an environment that needs
 * none, where no pause is configured by default) the train stops, left open for `tdr approve`
 * and `tdr train promote` to resume, never counted a success.
 */
import { ledgerOf, workloadEnv, type ReleaseDeps } from '../saga/context';
import { continueHeldRelease, stopInFlightRelease } from '../strategies/ecs-progressive-run';
import { PlatformError } from '../../../services/errors';
import type { ApprovalRecord, TrainRecord } from '../ledger/ledger';

type Progress = TrainRecord['progress'][number];

export interface HeldMember {
  readonly trainId: string;
  readonly name: string;
  readonly version: string;
  readonly env: string;
  readonly actor: string;
  /** The promotion's own records (its `started` and stage records). */
  readonly ledger: readonly number[];
  /** The seq of this member's approval record from the train's approval, if there is one. */
  readonly approvalSeq: number | undefined;
}

/**
 * What became of the held member: `held` (the train stops open, this is why), or its progress
 * and, unless it went wholly out, the failure that stops the train and rolls the others back.
 */
export type PauseOutcome =
  | { readonly kind: 'held'; readonly progress: Progress; readonly why: string }
  | { readonly kind: 'ended'; readonly progress: Progress; readonly failure: string | null };

/** Continues a member held at its pause under the train's approval; see the module comment. */
export async function throughThePause(
  deps: ReleaseDeps,
  m: HeldMember,
  renew: () => Promise<void>,
): Promise<PauseOutcome> {
  const approval = m.approvalSeq === undefined ? undefined : await approvalRecord(deps, m, m.approvalSeq);
  if (!approval) {
    const why = `${m.name} ${m.version} is held by ECS at its approval pause in ${m.env} and the train has no approval of it to continue it with: ${unheld(deps, m)}, then tdr train promote --train ${m.trainId} --to ${m.env} resumes the train`;
    return { kind: 'held', why, progress: entry(m, 'awaiting approval', [...m.ledger], why) };
  }
  // The rest of the deployment (test traffic, the canary's steps and bakes) is another whole wait.
  await renew();
  const under = `continued at its pause under the train's approval by ${approval.approver} (approved ${approval.recordedAt}, ledger #${approval.seq})`;
  deps.log(`train ${m.trainId}: ${m.name} ${under}`);
  const req = { service: m.name, env: m.env, actor: m.actor, wait: true };
  try {
    const { result, failure } = await continueHeldRelease(deps, req, approval);
    const ledger = [...m.ledger, ...result.ledger];
    const continued = {
      approver: approval.approver,
      approvedAt: approval.recordedAt,
      approval: approval.seq,
    };
    if (result.outcome === 'started') {
      // Continued, but ECS had not ended it when the follow gave up: not out, not failed either.
      const why = `${m.name}: ${under}, but ${failure ?? 'its deployment had not ended'}; tdr train promote --train ${m.trainId} --to ${m.env} resumes the train once ECS has ended it`;
      return { kind: 'held', why, progress: { ...entry(m, 'in flight', ledger, why), continued } };
    }
    return {
      kind: 'ended',
      failure,
      progress: { ...entry(m, result.outcome, ledger, failure ? `${under}; ${failure}` : under), continued },
    };
  } catch (err) {
    // Refused (four eyes, no longer paused) or failed before ECS continued it: the member is not
    // going out, so its held deployment is rolled back with the rest of the train.
    if (!(err instanceof PlatformError)) throw err;
    const stopped = await stopHeld(deps, req);
    const failure = `not continued at its pause: ${err.message}; ${stopped}`;
    return { kind: 'ended', failure, progress: entry(m, err.kind, [...m.ledger], failure) };
  }
}

/**
 * How the held member gets out of the pause. `tdr approve` continues it where the environment has
 * approvers; where it has none (staging), `tdr approve` is refused (../admin/approve.ts), and the
 * hook is infra's, not the model's: the pause's timeout rolls it back, or `tdr rollback` stops it.
 */
function unheld(deps: ReleaseDeps, m: HeldMember): string {
  const rule = deps.platform.environments[workloadEnv(m.env)].promotion;
  return rule?.approval
    ? `an approver runs tdr approve --service ${m.name} --env ${m.env}`
    : `${m.env} has no approvers, so tdr approve is refused there and the PAUSE hook is not the model's (check infra): the pause's timeout rolls it back, or tdr rollback --service ${m.name} --env ${m.env} stops it`;
}

async function approvalRecord(
  deps: ReleaseDeps,
  m: HeldMember,
  seq: number,
): Promise<ApprovalRecord | undefined> {
  const { records } = await ledgerOf(deps).view(m.name, m.env);
  return records.find((r): r is ApprovalRecord => r.kind === 'approval' && r.seq === seq);
}

/** StopServiceDeployment ROLLBACK of the held deployment; what came of it, for the train's record. */
async function stopHeld(
  deps: ReleaseDeps,
  req: { service: string; env: string; actor: string; wait: boolean },
): Promise<string> {
  try {
    const { result, failure } = await stopInFlightRelease(deps, req);
    return failure ?? `its deployment was stopped and ${result.outcome.replace('_', ' ')}`;
  } catch (err) {
    if (!(err instanceof PlatformError)) throw err;
    return `stopping its deployment failed too (${err.message}): ECS rolls it back at the pause's timeout`;
  }
}

function entry(m: HeldMember, outcome: string, ledger: number[], detail: string): Progress {
  return { name: m.name, action: 'promote', outcome, ledger, detail };
}
