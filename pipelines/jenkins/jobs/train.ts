/**
 * release-train (issue 26): one job per environment promoted into from another (staging, prod)
 * that plans a release train of what runs in the source and differs from the target, and promotes
 * it as one set (docs/DESIGN.md "Release trains and rejections"):
 *
 *   check TRAIN → plan (`tdr train plan`, printed and archived; its id read and checked) →
 *   where the environment needs an approver: ONE input, then `tdr train approve` as its submitter
 *   (as the prod promote job records `tdr approve --jenkins-approver`) → `tdr train promote`.
 *
 * TRAIN empty plans a new train; a train id promotes exactly that recorded set (one planned
 * earlier, or one that stopped: `tdr train promote` resumes it). Aborting the build while the
 * train runs (or the input timing out after it) runs `tdr train rollback`, as the promote job's
 * abort rolls its service back; an abort before the train started changes nothing.
 */
import type { ApprovalRule, EnvironmentName } from '../../../services/environments';
import { TRAIN_ID_HINT, TRAIN_ID_PATTERN_SOURCE } from '../../../services/train-id';
import type { Stage, Step } from '../model';
import { runInstalledTdr, tdrTrainApprove, tdrTrainPlan, tdrTrainRun } from '../tdr-commands';
import {
  BUILD_URL,
  RECORDED_BY_BUILD,
  env,
  runnableBy,
  VARIABLES,
  type Contribution,
  type JobContext,
} from './context';
import { agentStage, approvalStage, checkStage, definePipeline, timeoutHours } from './skeleton';

export const TRAIN_VARIABLES = {
  /** The train this build promotes: the TRAIN parameter, or the id its plan printed. */
  trainId: 'TRAIN_ID',
  /** `'true'` from the start of `tdr train promote`: an abort then rolls the train back. */
  inFlight: 'TRAIN_IN_FLIGHT',
} as const;

/** Where `tdr train plan -o json` writes the plan in the workspace (archived with the build). */
export const TRAIN_PLAN_FILE = 'train-plan.json';

const set = (variable: string, value: 'true' | 'false'): Step => ({ kind: 'set', variable, value });

export function releaseTrainJobs(ctx: JobContext, target: EnvironmentName): Contribution {
  const promotion = ctx.platform.environments[target].promotion;
  if (!promotion || promotion.source === 'build') return {};
  const source = promotion.source;
  const approval = promotion.approval;
  const id = `release-train-${target}`;
  const promote = agentStage(`Promote the train to ${target}`, target, [
    set(TRAIN_VARIABLES.inFlight, 'true'),
    runInstalledTdr(tdrTrainRun({ action: 'promote', train: TRAIN_ID, to: target, ...RECORDED_BY_BUILD })),
    set(TRAIN_VARIABLES.inFlight, 'false'),
  ]);
  const pipeline = definePipeline(ctx, {
    id,
    title: `Release train to ${target}`,
    environment: target,
    timeoutHours: timeoutHours(ctx, approval !== null),
    // One train per environment at a time (the engine's train lease refuses a second anyway).
    disableConcurrentBuilds: true,
    stages: [
      checkStage([
        {
          kind: 'require-pattern',
          parameter: 'TRAIN',
          pattern: TRAIN_ID_PATTERN_SOURCE,
          optional: true,
          hint: `empty (plan a new train) or a train id (${TRAIN_ID_HINT})`,
        },
        { kind: 'capture-actor', variable: VARIABLES.actor },
      ]),
      planStage(source, target),
      ...(approval ? approvalStages(ctx, source, target, approval) : []),
      promote,
    ],
    aborted: rollbackIfAborted(target),
  });
  return {
    pipelines: [pipeline],
    jobs: [
      {
        path: `${target}/release-train`,
        kind: 'release-train',
        description:
          `Promotes what runs in ${source} and differs from ${target} as one release train, in dependency order, ` +
          `with a joint rollback` +
          (approval ? `; one approval by a member of ${approval.group} covers it.` : '.'),
        environment: target,
        parameters: [
          {
            name: 'TRAIN',
            type: 'string',
            defaultValue: '',
            description: `Empty: plan a new train from ${source}. Or a train id (${TRAIN_ID_HINT}) planned before: promote exactly that set, or resume one that stopped`,
          },
        ],
        triggers: [],
        pipeline: id,
        runnableBy: runnableBy(ctx, target),
      },
    ],
  };
}

const TRAIN_ID = env(TRAIN_VARIABLES.trainId);

/** The plan (when no TRAIN was named), printed and archived; the id read from it and checked. */
function planStage(source: EnvironmentName, target: EnvironmentName): Stage {
  return agentStage('Plan the train', target, [
    {
      kind: 'if-matches',
      parameter: 'TRAIN',
      pattern: '',
      steps: [
        runInstalledTdr(tdrTrainPlan({ from: source, to: target, actor: env(VARIABLES.actor) })),
        runInstalledTdr(tdrTrainPlan({ from: source, to: target, json: true }), {
          stdoutTo: TRAIN_PLAN_FILE,
        }),
        { kind: 'archive', pattern: TRAIN_PLAN_FILE },
      ],
    },
    {
      kind: 'read-json-field',
      file: TRAIN_PLAN_FILE,
      field: 'trainId',
      variable: TRAIN_VARIABLES.trainId,
      pattern: TRAIN_ID_PATTERN_SOURCE,
      hint: `a train id (${TRAIN_ID_HINT})`,
      parameter: 'TRAIN',
      nonEmpty: {
        field: 'members',
        message: `nothing in ${source} differs from ${target}: no train to promote`,
      },
    },
  ]);
}

/** The one input, then `tdr train approve` as its submitter (the prod promote job's pattern). */
function approvalStages(
  ctx: JobContext,
  source: EnvironmentName,
  target: EnvironmentName,
  approval: ApprovalRule,
): Stage[] {
  const message = [
    'Promote release train ',
    TRAIN_ID,
    ` from ${source} to ${target}: every member of its plan, in order (the plan: the build log and ${TRAIN_PLAN_FILE})? Started by `,
    env(VARIABLES.actor),
    '. Aborting once it runs rolls back what went out.',
  ];
  return [
    approvalStage(
      ctx,
      approval.group,
      message,
      `Promote the train to ${target}`,
      approval.approverMustNotBePromoter,
    ),
    // The submitter is recorded by the agent's role, marked as approved through Jenkins with this
    // build's URL, for every member of the train (the members' gates check four eyes).
    agentStage('Record the approval', target, [
      runInstalledTdr(
        tdrTrainApprove({
          train: TRAIN_ID,
          to: target,
          jenkinsApprover: env(VARIABLES.approver),
          buildUrl: BUILD_URL,
        }),
      ),
    ]),
  ];
}

/** An abort once `tdr train promote` started rolls back what went out; before that, nothing. */
function rollbackIfAborted(target: EnvironmentName): Step[] {
  return [
    {
      kind: 'if-variable',
      variable: TRAIN_VARIABLES.inFlight,
      value: 'true',
      steps: [
        {
          kind: 'on-agent',
          environment: target,
          steps: [
            runInstalledTdr(
              tdrTrainRun({ action: 'rollback', train: TRAIN_ID, to: target, ...RECORDED_BY_BUILD }),
            ),
          ],
        },
      ],
    },
  ];
}
