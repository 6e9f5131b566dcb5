/**
 * infra-preview and infra-apply: the Pulumi stack of every account, run on the account's infra
 * agent (`TDRJenkinsInfraRole{Env}` in mgmt, which may assume only that account's deploy role).
 * intg applies on every merge and the sandbox is for spikes; every other account shows its
 * preview and waits for an admin. An apply applies exactly the plan that was previewed (and
 * approved): `pulumi preview --save-plan`, then `pulumi up --plan`, which fails rather than do
 * anything the plan does not contain, even from a newer checkout.
 */
import type { EnvironmentName } from '../../../services/environments';
import { naming } from '../../../services/naming';
import type { Stage, Step } from '../model';
import { runTdr, tdrPreflight } from '../tdr-commands';
import { BUILD_URL, PLATFORM_JOB, runnableBy, type Contribution, type JobContext } from './context';
import { approvalStage, definePipeline, onAgent } from './skeleton';

/** The update plan, kept between the preview and the apply stage of one build. */
const PLAN_FILE = 'pulumi-plan.json';
const PLAN_STASH = 'pulumi-plan';

// eslint-disable-next-line max-lines-per-function -- a pipeline's stages in the order Jenkins runs them.
export function infraJobs(ctx: JobContext, target: EnvironmentName): Contribution {
  const environment = ctx.platform.environments[target];
  const stack = naming.pulumiStack(target);
  // The checkout's `tdr preflight` first (cli/preflight.ts): an organisation value left at its
  // example stops the build with exit 2, naming each field, before Pulumi starts.
  // NOT DONE: nothing gives the infra agents TDR_ORGANISATION yet, so on real accounts this
  // stage refuses until the organisation file reaches them (README "Configuration").
  const login: Step = {
    kind: 'shell',
    argv: ['pulumi', 'login', naming.pulumiBackendUrl(environment.region)],
  };
  const preflight = runTdr(tdrPreflight({ stack }));
  const pulumi = (verb: 'preview' | 'up', ...flags: string[]): Step => ({
    kind: 'shell',
    argv: ['pulumi', verb, '--stack', stack, '--non-interactive', ...flags],
  });
  const preview = pulumi('preview', '--diff', '--save-plan', PLAN_FILE);
  const up = pulumi('up', '--yes', '--plan', PLAN_FILE);
  const onInfraAgent = (name: string, steps: readonly Step[]): Stage => ({
    ...onAgent(ctx, name, target, steps),
    agentKind: 'infra',
  });
  const automatic = environment.promotion?.automatic === true || environment.kind === 'sandbox';
  const pipelines = [
    definePipeline(ctx, {
      id: `infra-preview-${target}`,
      title: `Infrastructure preview for ${target}`,
      environment: target,
      timeoutHours: 1,
      disableConcurrentBuilds: false,
      stages: [onInfraAgent('Preview', [preflight, login, pulumi('preview', '--diff')])],
    }),
    definePipeline(ctx, {
      id: `infra-apply-${target}`,
      title: `Infrastructure apply for ${target}`,
      environment: target,
      timeoutHours: automatic ? 2 : ctx.settings.approvalTimeoutHours + 2,
      disableConcurrentBuilds: true,
      stages: automatic
        ? [onInfraAgent('Apply', [preflight, login, preview, { kind: 'milestone', ordinal: 3 }, up])]
        : [
            onInfraAgent('Preview', [
              preflight,
              login,
              preview,
              { kind: 'stash', name: PLAN_STASH, includes: PLAN_FILE },
            ]),
            approvalStage(
              ctx,
              ctx.adminGroup,
              [`Apply the previewed changes to the ${target} stack? Preview: `, BUILD_URL, 'console'],
              `Apply to ${target}`,
            ),
            onInfraAgent('Apply', [
              preflight,
              login,
              { kind: 'milestone', ordinal: 3 },
              { kind: 'unstash', name: PLAN_STASH },
              up,
            ]),
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
          ? `pulumi up of the ${stack} stack, applied on every merge to main (exactly the plan it previews)`
          : `pulumi up of the ${stack} stack: shows the preview, waits for a member of ${ctx.adminGroup}, then applies exactly that plan`,
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
