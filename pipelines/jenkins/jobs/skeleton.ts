/**
 * The shapes every pipeline shares, written once: the Slack notification and Grafana credentials
 * every pipeline gets ({@link definePipeline}), the parameter checks that run before any agent is
 * held, the approval stage, and the release skeleton — check parameters → (gates) → install →
 * lock → milestone → `tdr` — that deploy, promote, rollback, run-task and maintenance are instances of.
 */
import type { EnvironmentName } from '../../../services/environments';
import { naming } from '../../../services/naming';
import { VERSION_PATTERN_SOURCE } from '../../../services/versions';
import { GRAFANA_CREDENTIAL_VARIABLES } from '../credentials';
import type { Condition, Job, JobKind, Pipeline, PostSteps, Stage, Step, Text, Trigger } from '../model';
import { needGrafana, runInstalledTdr, type TdrCommand } from '../tdr-commands';
import { allSteps } from '../walk';
import {
  BUILD_URL,
  installEngine,
  opsGroups,
  VARIABLES,
  type Contribution,
  type JobContext,
} from './context';

export type PipelineSpec = Omit<Pipeline, 'variables' | 'credentialVariables' | 'post'> &
  Partial<Pick<Pipeline, 'variables'>> & {
    /** What an aborted build does (beside the notifications every pipeline has). */
    readonly aborted?: readonly Step[];
  };

/** A pipeline with its notifications, and Grafana's token only if one of its commands needs it. */
export function definePipeline(ctx: JobContext, spec: PipelineSpec): Pipeline {
  const { aborted, ...rest } = spec;
  const pipeline: Pipeline = {
    variables: {},
    credentialVariables: {},
    ...rest,
    post: { ...notifyPost(ctx.settings.slackChannel, spec.title), ...(aborted ? { aborted } : {}) },
  };
  return needGrafana(allSteps(pipeline))
    ? { ...pipeline, credentialVariables: GRAFANA_CREDENTIAL_VARIABLES }
    : pipeline;
}

function notifyPost(channel: string, title: string): PostSteps {
  // The build URL names the job and the build number.
  const message = (outcome: string): Text => [`${title} ${outcome}: `, BUILD_URL];
  return {
    success: [{ kind: 'notify', channel, color: 'good', message: message('succeeded') }],
    failure: [{ kind: 'notify', channel, color: 'danger', message: message('failed') }],
  };
}

/** How long a build may take: a build that waits for a person gets the approval timeout on top. */
export function timeoutHours(ctx: JobContext, waitsForApproval: boolean): number {
  return waitsForApproval ? ctx.settings.approvalTimeoutHours + 2 : 2;
}

/** The first stage: checks that hold no agent, so bad input costs nothing. */
export function checkStage(steps: readonly Step[]): Stage {
  return { name: 'Check parameters', steps };
}

/** VERSION must be a release tag (or match `pattern`) before anything runs (an empty one passes when `optional`). */
export function requireVersion(
  optional = false,
  hint = 'a release tag such as v42',
  pattern = VERSION_PATTERN_SOURCE,
): Step {
  return { kind: 'require-pattern', parameter: 'VERSION', pattern, optional, hint };
}

/** SERVICE is a catalogue service; its release lock is looked up; optionally the promoter captured. */
export function checkService(ctx: JobContext, target: EnvironmentName, withActor: boolean): Step[] {
  return [
    { kind: 'require-choice', parameter: 'SERVICE', choices: ctx.services },
    {
      kind: 'lookup',
      variable: VARIABLES.lock,
      parameter: 'SERVICE',
      table: Object.fromEntries(ctx.services.map((s) => [s, naming.jenkinsReleaseLock(s, target)])),
    },
    ...(withActor ? [{ kind: 'capture-actor', variable: VARIABLES.actor } as const] : []),
  ];
}

/** A stage on `agent`'s environment agent: check out the platform and install it, then `steps`. */
export function onAgent(
  ctx: JobContext,
  name: string,
  agent: EnvironmentName,
  steps: readonly Step[],
  post?: PostSteps,
): Stage {
  return agentStage(name, agent, [...installEngine(ctx), ...steps], post);
}

/** A stage on `agent`'s environment agent, running `steps` with what its image has installed (`tdr`). */
export function agentStage(
  name: string,
  agent: EnvironmentName,
  steps: readonly Step[],
  post?: PostSteps,
): Stage {
  const stage: Stage = { name, agent, steps };
  return post ? { ...stage, post } : stage;
}

/**
 * Milestones either side of the input: once a newer build is approved, older waiting ones
 * abort. With `fourEyes`, whoever started the build cannot approve it (the engine checks too).
 */
export function approvalStage(
  ctx: JobContext,
  group: string,
  message: Text,
  ok: string,
  fourEyes = false,
): Stage {
  return {
    name: 'Approve',
    steps: [
      { kind: 'milestone', ordinal: 1 },
      {
        kind: 'approval',
        group,
        message,
        ok,
        approverVariable: VARIABLES.approver,
        timeoutHours: ctx.settings.approvalTimeoutHours,
      },
      ...(fourEyes
        ? [
            {
              kind: 'require-different',
              variables: [VARIABLES.approver, VARIABLES.actor],
              message: 'the approver must not be the person who started this build',
            } as const,
          ]
        : []),
      { kind: 'milestone', ordinal: 2 },
    ],
  };
}

export interface ReleaseSkeleton extends Omit<PipelineSpec, 'stages'> {
  /** Steps of the first stage (no agent). */
  readonly checks: readonly Step[];
  /** Stages between the checks and the action: resolving the release, approving it. */
  readonly gates?: readonly Stage[];
  /** One action, or several each run only when its conditions hold (one per one-off task). */
  readonly action: ReleaseAction | readonly ReleaseAction[];
  /** Stages after the action (prod: the approval ECS holds the deployment for). */
  readonly followUp?: readonly Stage[];
}

export interface ReleaseAction {
  readonly name: string;
  readonly command: TdrCommand;
  /** Run holding the service × environment release lock, aborting older builds at this milestone. */
  readonly lock?: { readonly milestone: number };
  /** Steps after the command (outside the lock). */
  readonly after?: readonly Step[];
  /** Around the command, inside the lock: steps before and after it, and a file for its stdout. */
  readonly around?: {
    readonly before: readonly Step[];
    readonly stdoutTo: string;
    readonly after: readonly Step[];
  };
  /** Run only when all of these hold. */
  readonly when?: readonly Condition[];
}

/** check parameters → gates → lock → milestone → `tdr …` (installed in the agent image) → after. */
export function releasePipeline(ctx: JobContext, skeleton: ReleaseSkeleton): Pipeline {
  const { checks, gates = [], action, followUp = [], ...spec } = skeleton;
  const actions: readonly ReleaseAction[] = Array.isArray(action) ? action : [action as ReleaseAction];
  return definePipeline(ctx, {
    ...spec,
    stages: [
      checkStage(checks),
      ...gates,
      ...actions.map((a) => actionStage(a, spec.environment)),
      ...followUp,
    ],
  });
}

function actionStage(action: ReleaseAction, environment: EnvironmentName): Stage {
  const around = action.around;
  const run: readonly Step[] = around
    ? [...around.before, runInstalledTdr(action.command, { stdoutTo: around.stdoutTo }), ...around.after]
    : [runInstalledTdr(action.command)];
  const act: readonly Step[] = action.lock
    ? [
        {
          kind: 'lock',
          resourceVariable: VARIABLES.lock,
          steps: [{ kind: 'milestone', ordinal: action.lock.milestone }, ...run],
        },
      ]
    : run;
  const stage = agentStage(action.name, environment, [...act, ...(action.after ?? [])]);
  return action.when ? { ...stage, when: action.when } : stage;
}

/** An ops job in mgmt: one stage on the mgmt agent, runnable by developers and admins. */
export function mgmtJob(
  ctx: JobContext,
  o: {
    readonly id: string;
    readonly title: string;
    readonly stage: string;
    readonly steps: readonly Step[];
    readonly path: string;
    readonly kind: JobKind;
    readonly description: string;
    readonly triggers: readonly Trigger[];
    /** Run the installed `tdr` rather than the checkout's (what only reads the ledger needs no checkout). */
    readonly installed?: boolean;
    /** Environment variables of every step, fixed at generation time. */
    readonly variables?: Readonly<Record<string, string>>;
  },
): Contribution {
  const mgmt: EnvironmentName = 'mgmt';
  const pipeline = definePipeline(ctx, {
    id: o.id,
    title: o.title,
    environment: mgmt,
    timeoutHours: 1,
    disableConcurrentBuilds: true,
    ...(o.variables ? { variables: o.variables } : {}),
    stages: [o.installed ? agentStage(o.stage, mgmt, o.steps) : onAgent(ctx, o.stage, mgmt, o.steps)],
  });
  const job: Job = {
    path: o.path,
    kind: o.kind,
    description: o.description,
    environment: mgmt,
    parameters: [],
    triggers: o.triggers,
    pipeline: o.id,
    runnableBy: opsGroups(ctx),
  };
  return { pipelines: [pipeline], jobs: [job] };
}
