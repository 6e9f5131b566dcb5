/**
 * infra-preview and infra-apply: the Pulumi stack of every account. intg applies on every merge
 * and the sandbox is for spikes; every other account shows its preview and waits for an admin.
 */
import type { EnvironmentName } from '../../../services/environments';
import { naming } from '../../../services/naming';
import type { Stage, Step } from '../model';
import { BUILD_URL, PLATFORM_JOB, runnableBy, type Contribution, type JobContext } from './context';
import { approvalStage, definePipeline, onAgent } from './skeleton';

export function infraJobs(ctx: JobContext, target: EnvironmentName): Contribution {
  const environment = ctx.platform.environments[target];
  const stack = naming.pulumiStack(target);
  const login: Step = { kind: 'shell', argv: ['pulumi', 'login', `s3://${naming.pulumiStateBucket()}`] };
  const preview: Step = {
    kind: 'shell',
    argv: ['pulumi', 'preview', '--stack', stack, '--non-interactive', '--diff'],
  };
  const automatic = environment.promotion?.automatic === true || environment.kind === 'sandbox';
  const previewStage = (): Stage => onAgent(ctx, 'Preview', target, [login, preview]);
  const apply = onAgent(ctx, 'Apply', target, [
    login,
    { kind: 'milestone', ordinal: 3 },
    { kind: 'shell', argv: ['pulumi', 'up', '--yes', '--stack', stack, '--non-interactive'] },
  ]);
  const pipelines = [
    definePipeline(ctx, {
      id: `infra-preview-${target}`,
      title: `Infrastructure preview for ${target}`,
      environment: target,
      timeoutHours: 1,
      disableConcurrentBuilds: false,
      stages: [previewStage()],
    }),
    definePipeline(ctx, {
      id: `infra-apply-${target}`,
      title: `Infrastructure apply for ${target}`,
      environment: target,
      timeoutHours: automatic ? 2 : ctx.settings.approvalTimeoutHours + 2,
      disableConcurrentBuilds: true,
      stages: automatic
        ? [apply]
        : [
            previewStage(),
            approvalStage(
              ctx,
              ctx.adminGroup,
              [`Apply the previewed changes to the ${target} stack? Preview: `, BUILD_URL, 'console'],
              `Apply to ${target}`,
            ),
            apply,
          ],
    }),
  ];
  return {
    folders: [{ path: `${target}/infra`, description: `Pulumi stack of the ${target} account` }],
    pipelines,
    jobs: [
      {
        path: `${target}/infra/preview`,
        kind: 'infra-preview',
        description: `pulumi preview of the ${stack} stack`,
        environment: target,
        parameters: [],
        triggers: [],
        pipeline: `infra-preview-${target}`,
        runnableBy: runnableBy(ctx, target),
      },
      {
        path: `${target}/infra/apply`,
        kind: 'infra-apply',
        description: automatic
          ? `pulumi up of the ${stack} stack, applied on every merge to main`
          : `pulumi up of the ${stack} stack: shows the preview, then waits for a member of ${ctx.adminGroup}`,
        environment: target,
        parameters: [],
        triggers: [{ kind: 'upstream', jobs: [PLATFORM_JOB] }],
        pipeline: `infra-apply-${target}`,
        // Applying to an account that needs approval is itself an admin's job (mgmt runs Jenkins).
        runnableBy: automatic ? runnableBy(ctx, target) : [ctx.adminGroup],
      },
    ],
  };
}
