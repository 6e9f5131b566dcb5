/**
 * promote: the version verified in the environment before (the one live there unless VERSION
 * names another) moves into this one, with an approver where the environment requires one.
 */
import {
  WORKLOAD_ENVIRONMENTS,
  type ApprovalRule,
  type EnvironmentName,
  type WorkloadEnvironmentName,
} from '../../../services/environments';
import { VERSION_PATTERN_SOURCE } from '../../../services/versions';
import type { Stage } from '../model';
import { runInstalledTdr, tdrApprove, tdrPromote, tdrStatus } from '../tdr-commands';
import {
  approvalGroupOf,
  BUILD_URL,
  RECORDED_BY_BUILD,
  env,
  runnableBy,
  serviceParameter,
  VARIABLES,
  type JobContext,
  type ServiceJobs,
} from './context';
import { triggerE2e } from './e2e';
import {
  approvalAtPauseLookup,
  approvalAtPauseStages,
  aroundPromotion,
  beforePromotion,
  pausedServices,
  rollbackIfAborted,
} from './promote-progressive';
import {
  approvalStage,
  checkService,
  agentStage,
  releasePipeline,
  requireVersion,
  timeoutHours,
} from './skeleton';

export function promoteJobs(
  ctx: JobContext,
  target: EnvironmentName,
  e2eJobPath: string | null,
): ServiceJobs {
  const promotion = ctx.platform.environments[target].promotion;
  if (!promotion || promotion.source === 'build') throw new Error(`${target} is not promoted into`);
  const source = promotion.source;
  const approvalGroup = approvalGroupOf(ctx, target);
  // Services whose promotion ECS holds at its approval pause (./promote-progressive.ts).
  const workload = (WORKLOAD_ENVIRONMENTS as readonly string[]).includes(target)
    ? (target as WorkloadEnvironmentName)
    : undefined;
  const paused = workload && promotion.approval ? pausedServices(ctx, workload) : [];
  const progressive =
    workload && promotion.approval && paused.length > 0
      ? { workload, approval: promotion.approval }
      : undefined;
  const gates = promoteGates(ctx, target, source, promotion.approval);
  const pipeline = releasePipeline(ctx, {
    id: `promote-${target}`,
    title: `Promote to ${target}`,
    environment: target,
    timeoutHours: timeoutHours(ctx, approvalGroup !== null),
    disableConcurrentBuilds: false,
    checks: [
      ...checkService(ctx, target, true),
      requireVersion(true, `empty (the version live in ${source}) or a release tag such as v42`),
      ...(progressive ? [approvalAtPauseLookup(ctx, paused)] : []),
    ],
    // The first gate resolves the release; the approval ones wait for the pause where ECS holds it.
    gates: progressive ? gates.map((g, i) => (i === 0 ? g : beforePromotion(g))) : gates,
    action: {
      name: `Promote to ${target}`,
      lock: { milestone: 3 },
      command: tdrPromote({
        service: env('SERVICE'),
        to: target,
        version: env(VARIABLES.version),
        ...RECORDED_BY_BUILD,
        ...(progressive ? { json: true } : {}),
      }),
      ...(progressive ? { around: aroundPromotion() } : {}),
      after: triggerE2e(e2eJobPath, VARIABLES.version),
    },
    ...(progressive
      ? {
          followUp: approvalAtPauseStages(ctx, progressive.workload, progressive.approval),
          aborted: rollbackIfAborted(progressive.workload),
        }
      : {}),
  });
  return {
    pipeline,
    job: (service) => ({
      path: `${target}/${service}/promote`,
      kind: 'promote',
      description:
        `Promotes ${service} from ${source} to ${target}` +
        (approvalGroup ? `; a member of ${approvalGroup} approves.` : '.'),
      environment: target,
      service,
      parameters: [
        serviceParameter(service),
        {
          name: 'VERSION',
          type: 'string',
          defaultValue: '',
          description: `Release tag, e.g. v42; empty promotes the version live in ${source}`,
        },
      ],
      triggers: [],
      pipeline: pipeline.id,
      runnableBy: runnableBy(ctx, target),
    }),
  };
}

/**
 * Before the lock: settle the version from what is live in `source`, then, where the environment
 * requires it, an approval that shows the exact version and digest that will move.
 */
function promoteGates(
  ctx: JobContext,
  target: EnvironmentName,
  source: EnvironmentName,
  approval: ApprovalRule | null,
): Stage[] {
  const resolve: Stage = agentStage('Resolve the release', target, [
    {
      kind: 'resolve-release',
      statusArgv: tdrStatus({ service: env('SERVICE'), env: source, json: true }).argv,
      requestedParameter: 'VERSION',
      versionVariable: VARIABLES.version,
      versionPattern: VERSION_PATTERN_SOURCE,
      liveEnvironment: source,
      ...(approval ? { digestVariable: VARIABLES.digest } : {}),
    },
  ]);
  if (!approval) return [resolve];
  const message = [
    'Promote ',
    env('SERVICE'),
    ' ',
    env(VARIABLES.version),
    ' (',
    env(VARIABLES.digest),
    `) from ${source} to ${target}? Promoted by `,
    env(VARIABLES.actor),
    '.',
  ];
  // The submitter is recorded by the agent's role, marked as approved through Jenkins with this
  // build's URL: the engine's gate accepts it for this build's promotion only.
  const record = agentStage('Record the approval', target, [
    runInstalledTdr(
      tdrApprove({
        service: env('SERVICE'),
        env: target,
        version: env(VARIABLES.version),
        jenkinsApprover: env(VARIABLES.approver),
        buildUrl: BUILD_URL,
      }),
    ),
  ]);
  return [
    resolve,
    approvalStage(ctx, approval.group, message, `Promote to ${target}`, approval.approverMustNotBePromoter),
    record,
  ];
}
