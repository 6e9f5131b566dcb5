/**
 * The Jenkins model: jobs, parameters, stages, steps, approvals, locks, triggers, agents and
 * notifications, in terms that do not depend on Groovy. Renderers turn it into the Job DSL seed
 * script, declarative Jenkinsfiles and the JCasC file; tests reason about it directly.
 */
import type { EnvironmentName } from '../../services/environments';

/**
 * A value that reaches a step: a literal fixed at generation time, or the name of an environment
 * variable read at run time. User input only ever travels as `{ env }`, so it reaches a shell as
 * data ("$VERSION"), never as script text.
 */
export type Arg =
  | string
  | {
      readonly env: string;
      /** A literal written before the value in the same word (`consignmentId=` + `$CONSIGNMENT_ID`). */
      readonly prefix?: string;
    };

/** Text assembled from literals and run-time variables (messages, never shell commands). */
export type Text = readonly Arg[];

export type Step =
  /** Fails the build unless the parameter is one of `choices`. */
  | { readonly kind: 'require-choice'; readonly parameter: string; readonly choices: readonly string[] }
  /** Fails the build unless the parameter matches `pattern` (an empty value passes when optional). */
  | {
      readonly kind: 'require-pattern';
      readonly parameter: string;
      readonly pattern: string;
      readonly optional: boolean;
      readonly hint: string;
    }
  /** Sets a variable by looking a parameter up in a table fixed at generation time. */
  | {
      readonly kind: 'lookup';
      readonly variable: string;
      readonly parameter: string;
      readonly table: Readonly<Record<string, string>>;
    }
  /** Records who started the build (the promoter) in `variable`. */
  | { readonly kind: 'capture-actor'; readonly variable: string }
  /** Checks out a git repository (into `dir` if given). */
  | {
      readonly kind: 'checkout';
      readonly url: string;
      readonly branch: string;
      readonly credentialsId: string;
      readonly dir?: string;
    }
  /** Checks out the commit that triggered the build (multibranch jobs only). */
  | { readonly kind: 'checkout-scm' }
  /** Sets a variable to a command's stdout, trimmed (the command is built like a shell step's). */
  | { readonly kind: 'capture'; readonly variable: string; readonly argv: readonly Arg[] }
  /**
   * Sets variables from a table fixed at generation time, keyed by the multibranch project the
   * build belongs to (the job's full name without its branch): one template, many repositories.
   */
  | {
      readonly kind: 'project-lookup';
      readonly table: Readonly<Record<string, Readonly<Record<string, string>>>>;
    }
  /** Runs `steps` with git able to push over HTTPS as the credential's user. */
  | { readonly kind: 'with-git-credentials'; readonly credentialsId: string; readonly steps: readonly Step[] }
  /** Starts each job named in a comma-separated variable (none if it is empty), waiting for each. */
  | {
      readonly kind: 'trigger-each';
      readonly jobsVariable: string;
      readonly parameters: ReadonlyArray<{ readonly name: string; readonly value: Arg }>;
    }
  /** Runs a command; every argument is shell-quoted, variables are expanded by the shell. */
  | {
      readonly kind: 'shell';
      readonly argv: readonly Arg[];
      readonly dir?: string;
      /** Send stdout to this file (relative to the workspace). */
      readonly stdoutTo?: string;
    }
  /**
   * Reads what is live in an environment (`tdr status -o json`) and settles the release version:
   * the requested one, or the live one when none was requested.
   */
  | {
      readonly kind: 'resolve-release';
      readonly statusArgv: readonly Arg[];
      readonly requestedParameter: string;
      readonly versionVariable: string;
      readonly versionPattern: string;
      /** Capture the live digest too (for the approval screen): then the version must be the live one. */
      readonly digestVariable?: string;
      readonly liveEnvironment: EnvironmentName;
    }
  /** Waits for a person in `group` to approve; their id lands in `approverVariable`. */
  | {
      readonly kind: 'approval';
      readonly group: string;
      readonly message: Text;
      readonly ok: string;
      readonly approverVariable: string;
      readonly timeoutHours: number;
      /** Overrides `timeoutHours` where the wait is bounded by something shorter (ECS's pause timeout). */
      readonly timeoutMinutes?: number;
    }
  /** Fails the build if two variables hold the same person (four eyes: approver ≠ promoter). */
  | {
      readonly kind: 'require-different';
      readonly variables: readonly [string, string];
      readonly message: string;
    }
  /** An older build that has not passed this point yet is aborted when a newer one passes it. */
  | { readonly kind: 'milestone'; readonly ordinal: number }
  /** Sets an environment variable of the build to a literal. */
  | { readonly kind: 'set'; readonly variable: string; readonly value: string }
  /** `'true'` or `'false'`: whether `field` of the JSON object in `file` is true (pipeline-utility-steps readJSON). */
  | {
      readonly kind: 'read-json-flag';
      readonly file: string;
      readonly field: string;
      readonly variable: string;
    }
  /**
   * Sets `variable` to the parameter's value when one was given, else to `field` of the JSON
   * object in `file` (what a `tdr … -o json` wrote), failing when its `nonEmpty` list is empty;
   * either way the value must match `pattern` (a whole-value match) before any step uses it.
   */
  | {
      readonly kind: 'read-json-field';
      readonly file: string;
      readonly field: string;
      readonly variable: string;
      readonly pattern: string;
      readonly hint: string;
      readonly parameter?: string;
      readonly nonEmpty?: { readonly field: string; readonly message: string };
    }
  /** Steps run only when a build variable has a value (Groovy, inside a script). */
  | {
      readonly kind: 'if-variable';
      readonly variable: string;
      readonly value: string;
      readonly steps: readonly Step[];
    }
  /** Steps on an agent of the environment from where no agent is held (a post condition of an agent-less pipeline). */
  | { readonly kind: 'on-agent'; readonly environment: EnvironmentName; readonly steps: readonly Step[] }
  /** Runs `steps` holding the lockable resource named by a variable (newest waiter first). */
  | { readonly kind: 'lock'; readonly resourceVariable: string; readonly steps: readonly Step[] }
  /** Runs `steps` only when the parameter matches `pattern` (a whole-value match). */
  | {
      readonly kind: 'if-matches';
      readonly parameter: string;
      readonly pattern: string;
      readonly steps: readonly Step[];
    }
  /** Starts another job with parameters taken from variables. */
  | {
      readonly kind: 'trigger';
      readonly job: string;
      readonly wait: boolean;
      readonly parameters: ReadonlyArray<{ readonly name: string; readonly value: Arg }>;
    }
  | { readonly kind: 'archive'; readonly pattern: string }
  /** Keeps workspace files for a later stage of the same build (which may run on another agent). */
  | { readonly kind: 'stash'; readonly name: string; readonly includes: string }
  | { readonly kind: 'unstash'; readonly name: string }
  /** Runs a Job DSL script from the workspace (the seed). */
  | { readonly kind: 'job-dsl'; readonly targets: string }
  | {
      readonly kind: 'notify';
      readonly channel: string;
      readonly color: 'good' | 'warning' | 'danger';
      readonly message: Text;
    };

export type StepKind = Step['kind'];

export interface PostSteps {
  readonly success?: readonly Step[];
  readonly failure?: readonly Step[];
  readonly always?: readonly Step[];
  /** The build was aborted (by a person, or an input's timeout). */
  readonly aborted?: readonly Step[];
}

/** When a stage runs (multibranch pipelines); a list means all of them. */
export type Condition =
  /** The branch being built is the one a variable names (a repository's main branch). */
  | { readonly kind: 'branch-is'; readonly variable: string }
  | { readonly kind: 'not'; readonly condition: Condition }
  /** A boolean parameter is true. */
  | { readonly kind: 'parameter-true'; readonly parameter: string }
  /** A (choice) parameter has this value. */
  | { readonly kind: 'parameter-is'; readonly parameter: string; readonly value: string }
  | { readonly kind: 'variable-is'; readonly variable: string; readonly value: string }
  | { readonly kind: 'any-of'; readonly conditions: readonly Condition[] };

export interface Stage {
  readonly name: string;
  /**
   * The environment whose agent runs this stage; absent means no agent is held (checks,
   * approvals and triggers run on the controller's lightweight executor, so an approval
   * waiting for hours does not keep an ECS task running).
   */
  readonly agent?: EnvironmentName;
  /**
   * Which of the environment's agents, when not its release agent: `infra` runs as
   * `TDRJenkinsInfraRole{Env}` (which may assume only that account's Pulumi deploy role); `build` is
   * the image with the build tools, which starts Kaniko's own task; `platform` (mgmt) the image with everything this
   * repository's `npm test` needs.
   */
  readonly agentKind?: 'infra' | 'build' | 'platform';
  /** Run only on this branch (multibranch jobs). */
  readonly branch?: string;
  /** Run only when all of these hold. */
  readonly when?: readonly Condition[];
  readonly steps?: readonly Step[];
  readonly stages?: readonly Stage[];
  readonly post?: PostSteps;
}

export interface Pipeline {
  /** File name stem under `pipelines/`: `promote-prod` → `pipelines/promote-prod.Jenkinsfile`. */
  readonly id: string;
  readonly title: string;
  /** The environment this pipeline acts on; every agent stage runs on this environment's agent. */
  readonly environment: EnvironmentName;
  readonly timeoutHours: number;
  /** Environment variables with values fixed at generation time. */
  readonly variables: Readonly<Record<string, string>>;
  /** Environment variables bound to Jenkins credentials by id (values masked in the build log). */
  readonly credentialVariables: Readonly<Record<string, string>>;
  /** Queue rather than run two builds of one job at once. */
  readonly disableConcurrentBuilds: boolean;
  /** Parameters the Jenkinsfile declares itself (multibranch jobs; other jobs' come from the seed). */
  readonly parameters?: readonly Parameter[];
  readonly stages: readonly Stage[];
  readonly post: PostSteps;
}

export interface Parameter {
  readonly name: string;
  readonly description: string;
  readonly type: 'string' | 'choice' | 'boolean';
  /** For `string`: the default value; for `boolean`, `true` or `false`. */
  readonly defaultValue?: string;
  /** For `choice`: the allowed values, first is the default. */
  readonly choices?: readonly string[];
}

/**
 * What starts a job. The seed renders cron triggers; the others record who starts the job
 * (a service's build over the API, another job's `build` step, a push) for people and tests.
 */
export type Trigger =
  /** Started over Jenkins' API by a service's build (no person involved). */
  | { readonly kind: 'remote'; readonly by: string }
  /** Started by another job of this model. */
  | { readonly kind: 'upstream'; readonly jobs: readonly string[] }
  | { readonly kind: 'cron'; readonly spec: string }
  /** Started when code is pushed (multibranch). */
  | { readonly kind: 'push' };

export type JobKind =
  | 'deploy'
  | 'promote'
  | 'rollback'
  | 'e2e'
  | 'infra-preview'
  | 'infra-apply'
  | 'run-task'
  | 'release-train'
  | 'maintenance'
  | 'dashboards'
  | 'release-report'
  | 'ledger-adopt'
  | 'seed'
  | 'platform'
  | 'build'
  | 'agent-image';

export interface Job {
  /** Full name, folders separated by `/`: `prod/frontend/promote`. */
  readonly path: string;
  readonly kind: JobKind;
  readonly description: string;
  readonly environment: EnvironmentName;
  readonly service?: string;
  readonly parameters: readonly Parameter[];
  readonly triggers: readonly Trigger[];
  /** Id of the pipeline it runs; absent for the platform's multibranch job (its Jenkinsfile is in git). */
  readonly pipeline?: string;
  /** Groups (platform names such as `developers`, `admins`) allowed to start it. */
  readonly runnableBy: readonly string[];
  /** A repository scanned for branches (multibranch only). */
  readonly repository?: {
    readonly owner: string;
    readonly name: string;
    readonly credentialsId: string;
    /** A branch is built only if it has this file (build jobs: the image's Dockerfile). */
    readonly markerFile?: string;
  };
}

export interface Folder {
  readonly path: string;
  readonly description: string;
}

export interface AgentTemplate {
  readonly environment: EnvironmentName;
  readonly label: string;
  readonly region: string;
  /** IAM role of the Fargate task, in mgmt: `TDRJenkinsNodeRole{Env}` or `TDRJenkinsInfraRole{Env}`. */
  readonly taskRole: string;
  /** IAM role ECS starts the task with (pulls the image from mgmt's ECR, writes the logs), in mgmt. */
  readonly executionRole: string;
  readonly image: string;
  readonly cpu: number;
  readonly memory: number;
}

/** A credential Jenkins holds; the value is never here, only where Jenkins reads it at runtime. */
export interface Credential {
  readonly id: string;
  readonly description: string;
  readonly type: 'string' | 'usernamePassword';
  /** SSM parameter names (in mgmt) holding the value(s). */
  readonly parameters: Readonly<Record<string, string>>;
}

export interface Authorisation {
  /** Platform group → GitHub team (`org*team`). */
  readonly teams: Readonly<Record<string, string>>;
  readonly adminGroup: string;
  readonly developerGroup: string;
}

export interface JenkinsModel {
  readonly folders: readonly Folder[];
  readonly jobs: readonly Job[];
  readonly pipelines: readonly Pipeline[];
  /** The platform repository's own pipeline (the top-level Jenkinsfile). */
  readonly platformPipeline: Pipeline;
  readonly agents: readonly AgentTemplate[];
  readonly credentials: readonly Credential[];
  readonly authorisation: Authorisation;
  readonly releaseLocks: readonly string[];
  readonly slackChannel: string;
}
