/**
 * promote: the version verified in the environment before (the one live there unless VERSION
 * names another) moves into this one, with an approver where the environment requires one.
 */
import type { EnvironmentName } from '../../../services/environments';
import { VERSION_PATTERN_SOURCE } from '../../../services/versions';
import type { Stage } from '../model';
import { tdrPromote, tdrStatus } from '../tdr-commands';
import {
  approvalGroupOf,
  BUILD_URL,
  env,
  runnableBy,
  serviceParameter,
  VARIABLES,
  type JobContext,
  type ServiceJobs,
} from './context';
import { triggerE2e } from './e2e';
import {
  approvalStage,
  checkService,
  onAgent,
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
  const resolve: Stage = onAgent(ctx, 'Resolve the release', target, [
    {
      kind: 'resolve-release',
      statusArgv: tdrStatus({ service: env('SERVICE'), env: source, json: true }).argv,
      requestedParameter: 'VERSION',
      versionVariable: VARIABLES.version,
      versionPattern: VERSION_PATTERN_SOURCE,
      liveEnvironment: source,
      ...(approvalGroup ? { digestVariable: VARIABLES.digest } : {}),
    },
  ]);
  // The approval screen shows the exact version and digest that will move.
  const approve = approvalGroup
    ? [
        approvalStage(
          ctx,
          approvalGroup,
          [
            'Promote ',
            env('SERVICE'),
            ' ',
            env(VARIABLES.version),
            ' (',
            env(VARIABLES.digest),
            `) from ${source} to ${target}? Promoted by `,
            env(VARIABLES.actor),
            '.',
          ],
          `Promote to ${target}`,
          promotion.approval?.approverMustNotBePromoter === true,
        ),
      ]
    : [];
  const pipeline = releasePipeline(ctx, {
    id: `promote-${target}`,
    title: `Promote to ${target}`,
    environment: target,
    timeoutHours: timeoutHours(ctx, approvalGroup !== null),
    disableConcurrentBuilds: false,
    checks: [
      ...checkService(ctx, target, true),
      requireVersion(true, `empty (the version live in ${source}) or a release tag such as v42`),
    ],
    gates: [resolve, ...approve],
    action: {
      name: `Promote to ${target}`,
      lock: { milestone: 3 },
      command: tdrPromote({
        service: env('SERVICE'),
        to: target,
        version: env(VARIABLES.version),
        approver: approvalGroup ? env(VARIABLES.approver) : undefined,
        actor: env(VARIABLES.actor),
        buildUrl: BUILD_URL,
      }),
      after: triggerE2e(e2eJobPath, VARIABLES.version),
    },
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
