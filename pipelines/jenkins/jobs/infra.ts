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
import type { PostSteps, Stage, Step } from '../model';
import { runTdr, tdrPreflight } from '../tdr-commands';
import { BUILD_URL, PLATFORM_JOB, runnableBy, type Contribution, type JobContext } from './context';
import { approvalStage, definePipeline, onAgent } from './skeleton';

/** The update plan, kept between the preview and the apply stage of one build. */
const PLAN_FILE = 'pulumi-plan.json';
const PLAN_STASH = 'pulumi-plan';

/**
 * The organisation config (services/organisation.ts) in the stage's workspace. TDR_ORGANISATION
 * names it relative to the workspace, where both readers run: `npx tdr preflight` from the
 * checkout's root, and the Pulumi program, which Pulumi's Node.js runner moves into the directory
 * it is given (`process.chdir(pwd)`, @pulumi/pulumi cmd/run/run.js): the project's, Pulumi.yaml's,
 * which is the checkout's root, where `pulumi` is started too.
 */
export const ORGANISATION_FILE = 'tdr-organisation.json';

/**
 * The agent has no operator's file: it fetches the one the plan's first step put in mgmt's SSM
 * (a String, not secret) with its task role, which may GetParameter exactly that parameter
 * (infra/bootstrap/definitions.ts, ReadOrganisation). The value goes to the file, never to the
 * log; `--output text` prints a string value as it is
 * (https://docs.aws.amazon.com/cli/latest/userguide/cli-usage-output-format.html).
 */
function fetchOrganisation(mgmtRegion: string): Step {
  return {
    kind: 'shell',
    argv: [
      'aws',
      'ssm',
      'get-parameter',
      '--region',
      mgmtRegion,
      '--name',
      naming.organisationParameter(),
      '--query',
      'Parameter.Value',
      '--output',
      'text',
    ],
    stdoutTo: ORGANISATION_FILE,
  };
}

/** Whatever the stage's outcome, the file does not outlive it on the agent. */
const REMOVE_ORGANISATION: PostSteps = { always: [{ kind: 'shell', argv: ['rm', '-f', ORGANISATION_FILE] }] };

// eslint-disable-next-line max-lines-per-function -- a pipeline's stages in the order Jenkins runs them.
export function infraJobs(ctx: JobContext, target: EnvironmentName): Contribution {
  const environment = ctx.platform.environments[target];
  const stack = naming.pulumiStack(target);
  // The checkout's `tdr preflight` first (cli/preflight.ts), on the organisation fetched from
  // SSM: an organisation value left at its example stops the build with exit 2, naming each
  // field, before Pulumi starts. A parameter the plan's first step never put fails the fetch
  // (the AWS CLI's ParameterNotFound), which is before preflight too.
  const organisation = fetchOrganisation(ctx.platform.environments.mgmt.region);
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
    ...onAgent(ctx, name, target, [organisation, ...steps], REMOVE_ORGANISATION),
    agentKind: 'infra',
  });
  const variables = { TDR_ORGANISATION: ORGANISATION_FILE };
  const automatic = environment.promotion?.automatic === true || environment.kind === 'sandbox';
  const pipelines = [
    definePipeline(ctx, {
      id: `infra-preview-${target}`,
      title: `Infrastructure preview for ${target}`,
      environment: target,
      timeoutHours: 1,
      disableConcurrentBuilds: false,
      variables,
      stages: [onInfraAgent('Preview', [preflight, login, pulumi('preview', '--diff')])],
    }),
    definePipeline(ctx, {
      id: `infra-apply-${target}`,
      title: `Infrastructure apply for ${target}`,
      environment: target,
      timeoutHours: automatic ? 2 : ctx.settings.approvalTimeoutHours + 2,
      disableConcurrentBuilds: true,
      variables,
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
