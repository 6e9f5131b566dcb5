/**
 * The prod promotion of a service that ECS holds at its approval pause (services/delivery.ts
 * `approvalPause`: a PAUSE hook at POST_TEST_TRAFFIC_SHIFT, infra/definitions/ecs-deployment.ts).
 * The contract with the release engine (docs/contracts.md, issue 25):
 * - `tdr promote … -o json` shifts test traffic and returns with `awaitingApproval: true` while ECS
 *   holds the deployment (the run open in the ledger, the lease released);
 * - an input (the environment's approvers, not the promoter) then runs `tdr approve` with the
 *   submitter, which continues the deployment and follows it to its end (exit 1 on a rollback);
 * - aborting the build, or the input timing out, runs `tdr rollback` while a deployment is in
 *   flight (StopServiceDeployment ROLLBACK), never otherwise (with nothing in flight, rollback would
 *   move the service back a release).
 * Functions and services without the pause keep the approval before the promotion, as before.
 */
import type { ApprovalRule, WorkloadEnvironmentName } from '../../../services/environments';
import { deliveryStrategy, ecsServices } from '../../../services/queries';
import type { Condition, Stage, Step } from '../model';
import { runInstalledTdr, tdrApprove, tdrRollback } from '../tdr-commands';
import { BUILD_URL, RECORDED_BY_BUILD, env, VARIABLES, type JobContext } from './context';
import { agentStage, approvalStage } from './skeleton';

export const PROGRESSIVE_VARIABLES = {
  /** `'true'` for a service whose promotion ECS holds for approval in this environment. */
  approvalAtPause: 'APPROVAL_AT_PAUSE',
  /** `'true'` from the start of `tdr promote` until ECS needs nothing more of this build. */
  inFlight: 'PROMOTE_IN_FLIGHT',
  /** `'true'` when `tdr promote` returned with ECS holding the deployment for approval. */
  awaitingApproval: 'AWAITING_APPROVAL',
} as const;

/** Where `tdr promote -o json` writes its result in the workspace (archived with the build). */
export const PROMOTE_RESULT_FILE = 'promote-result.json';

/** The catalogue's services whose promotion into `target` ECS holds for approval. */
export function pausedServices(ctx: JobContext, target: WorkloadEnvironmentName): string[] {
  return ecsServices(ctx.platform.catalogue)
    .map(([name]) => name)
    .filter((name) => {
      const strategy = deliveryStrategy(ctx.platform, name, target);
      return strategy !== undefined && strategy.kind !== 'rolling' && strategy.approvalPause !== null;
    });
}

const when = (variable: string, value: string): Condition => ({ kind: 'variable-is', variable, value });
const set = (variable: string, value: 'true' | 'false'): Step => ({ kind: 'set', variable, value });

/** Which services wait for approval at the pause (a lookup in the checks stage). */
export function approvalAtPauseLookup(ctx: JobContext, paused: readonly string[]): Step {
  return {
    kind: 'lookup',
    variable: PROGRESSIVE_VARIABLES.approvalAtPause,
    parameter: 'SERVICE',
    table: Object.fromEntries(ctx.services.map((s) => [s, paused.includes(s) ? 'true' : 'false'])),
  };
}

/** The approval before the promotion, now only for what ECS does not hold. */
export function beforePromotion(gate: Stage): Stage {
  return { ...gate, when: [...(gate.when ?? []), when(PROGRESSIVE_VARIABLES.approvalAtPause, 'false')] };
}

/** Inside the lock, around `tdr promote -o json`: mark it in flight, read whether ECS holds it. */
export function aroundPromotion(): { before: Step[]; stdoutTo: string; after: Step[] } {
  const { inFlight, awaitingApproval } = PROGRESSIVE_VARIABLES;
  return {
    before: [set(inFlight, 'true')],
    stdoutTo: PROMOTE_RESULT_FILE,
    after: [
      { kind: 'archive', pattern: PROMOTE_RESULT_FILE },
      {
        kind: 'read-json-flag',
        file: PROMOTE_RESULT_FILE,
        field: 'awaitingApproval',
        variable: awaitingApproval,
      },
      // Completed (or failed and rolled back) without a pause: nothing left in flight.
      { kind: 'if-variable', variable: awaitingApproval, value: 'false', steps: [set(inFlight, 'false')] },
    ],
  };
}

/** The longest approval pause of the services ECS holds in `target` (one pipeline serves them all). */
function pauseTimeoutMinutes(ctx: JobContext, target: WorkloadEnvironmentName): number {
  return Math.max(
    ...pausedServices(ctx, target).map((name) => {
      const strategy = deliveryStrategy(ctx.platform, name, target);
      return strategy && strategy.kind !== 'rolling' ? (strategy.approvalPause?.timeoutInMinutes ?? 0) : 0;
    }),
  );
}

/** The promotion's lock passes milestone 3; the approval at the pause continues from there. */
const AFTER_PROMOTION_MILESTONE = 3;

/** After `tdr promote` returned at the pause: the approver's input, then `tdr approve` to the end. */
export function approvalAtPauseStages(
  ctx: JobContext,
  target: WorkloadEnvironmentName,
  approval: ApprovalRule,
): Stage[] {
  const held = when(PROGRESSIVE_VARIABLES.awaitingApproval, 'true');
  const message = [
    'ECS holds ',
    env('SERVICE'),
    ' ',
    env(VARIABLES.version),
    ` in ${target} after its test traffic: try it on the test listener, then continue it to production traffic? Promoted by `,
    env(VARIABLES.actor),
    '. Abort to roll it back.',
  ];
  const approve = approvalStage(
    ctx,
    approval.group,
    message,
    'Continue to production traffic',
    approval.approverMustNotBePromoter,
  );
  const production = agentStage('Production traffic', target, [
    runInstalledTdr(
      tdrApprove({
        service: env('SERVICE'),
        env: target,
        version: env(VARIABLES.version),
        jenkinsApprover: env(VARIABLES.approver),
        buildUrl: BUILD_URL,
      }),
    ),
    set(PROGRESSIVE_VARIABLES.inFlight, 'false'),
  ]);
  // Milestones only increase within a build: the promotion passed 3 inside its lock.
  // The input gives up when ECS would (the pause's timeout rolls back): the abort then stops it.
  const timeoutMinutes = pauseTimeoutMinutes(ctx, target);
  const steps = (approve.steps ?? []).map((st): Step => {
    if (st.kind === 'milestone') return { ...st, ordinal: st.ordinal + AFTER_PROMOTION_MILESTONE };
    if (st.kind === 'approval') return { ...st, timeoutMinutes };
    return st;
  });
  return [
    { ...approve, name: 'Approve on the test listener', steps, when: [held] },
    { ...production, when: [held] },
  ];
}

/** An aborted build (or an input that timed out) stops what it started with ROLLBACK. */
export function rollbackIfAborted(target: WorkloadEnvironmentName): Step[] {
  return [
    {
      kind: 'if-variable',
      variable: PROGRESSIVE_VARIABLES.inFlight,
      value: 'true',
      steps: [
        {
          kind: 'on-agent',
          environment: target,
          steps: [
            runInstalledTdr(tdrRollback({ service: env('SERVICE'), env: target, ...RECORDED_BY_BUILD })),
          ],
        },
      ],
    },
  ];
}
