/**
 * Builds the Jenkins model from the platform model: every service × environment on the promotion
 * path gets its release jobs, every account its infrastructure jobs, mgmt the ops jobs. Adding a
 * service to the catalogue adds its jobs here; nothing is listed by hand.
 */
import type { Platform } from '../../services/config';
import type { EnvironmentName } from '../../services/environments';
import { naming } from '../../services/naming';
import type {
  AgentTemplate,
  Arg,
  Credential,
  Folder,
  JenkinsModel,
  Job,
  Parameter,
  Pipeline,
  Stage,
  Step,
  Text,
} from './model';
import { DEFAULT_JENKINS_SETTINGS, githubUrl, type JenkinsSettings } from './settings';

/** A release is an immutable git tag such as `v42` (DESIGN.md, Releases). */
export const VERSION_PATTERN = '^v\\d+$';

export const CREDENTIAL_IDS = {
  github: 'github',
  slack: 'slack',
  grafanaUrl: 'grafana-url',
  grafanaToken: 'grafana-token',
} as const;

/** `tdr` commands that talk to Grafana: releases annotate, `dashboards publish` writes. */
const GRAFANA_COMMANDS = ['deploy', 'promote', 'rollback', 'dashboards'];

/** Variables the pipelines set at run time (parameters keep their own names). */
export const VARIABLES = {
  lock: 'RELEASE_LOCK',
  version: 'RELEASE_VERSION',
  digest: 'RELEASE_DIGEST',
  approver: 'APPROVER',
  actor: 'TDR_ACTOR',
} as const;

const TDR = ['npx', 'tdr'] as const;
const env = (name: string): Arg => ({ env: name });
const BUILD_URL = env('BUILD_URL');

/** The end-to-end check whose result `tdr check record` stores (prod requires it on staging). */
const E2E_CHECK = 'e2e';

/** The command that runs a one-off task (cli/task.ts): exit 0 only if the task's container exited 0. */
const TASK_RUN = ['task', 'run'] as const;

export function buildJenkinsModel(
  platform: Platform,
  settings: JenkinsSettings = DEFAULT_JENKINS_SETTINGS,
): JenkinsModel {
  const b = new ModelBuilder(platform, settings);
  return b.build();
}

class ModelBuilder {
  private readonly folders: Folder[] = [];
  private readonly jobs: Job[] = [];
  private readonly pipelines = new Map<string, Pipeline>();
  private readonly services: string[];
  private readonly tasks: string[];
  private readonly adminGroup: string;

  constructor(
    private readonly platform: Platform,
    private readonly settings: JenkinsSettings,
  ) {
    const entries = Object.entries(platform.catalogue);
    this.services = entries.filter(([, e]) => e.kind === 'service').map(([n]) => n);
    this.tasks = entries.filter(([, e]) => e.kind === 'task').map(([n]) => n);
    const approvalGroups = Object.values(platform.environments).flatMap((e) =>
      e.promotion?.approval ? [e.promotion.approval.group] : [],
    );
    this.adminGroup = approvalGroups[0] ?? 'admins';
  }

  build(): JenkinsModel {
    const { platform, settings } = this;
    for (const e of Object.values(platform.environments)) {
      this.folders.push({ path: e.name, description: `Jobs acting on the ${e.name} account (${e.kind})` });
    }
    for (const target of platform.promotionPath) this.releaseJobs(target);
    for (const e of Object.values(platform.environments)) this.infraJobs(e.name);
    for (const target of platform.promotionPath) if (this.tasks.length > 0) this.runTaskJob(target);
    this.opsJobs();

    const environments = Object.values(platform.environments).map((e) => e.name);
    const agents: AgentTemplate[] = environments.map((e) => ({
      environment: e,
      label: naming.jenkinsAgentLabel(e),
      region: platform.environments[e].region,
      taskRole: naming.jenkinsNodeRole(e),
      image: settings.agentImage,
      cpu: settings.agentCpu,
      memory: settings.agentMemory,
    }));
    const credentials: Credential[] = [
      {
        id: CREDENTIAL_IDS.github,
        description: 'GitHub machine user: checks out the platform and e2e repositories',
        type: 'usernamePassword',
        parameters: {
          username: naming.mgmtParameter('github/username'),
          password: naming.mgmtParameter('github/password'),
        },
      },
      {
        id: CREDENTIAL_IDS.slack,
        description: 'Slack bot token for release notifications',
        type: 'string',
        parameters: { secret: naming.mgmtParameter('slack/token') },
      },
      {
        id: CREDENTIAL_IDS.grafanaUrl,
        description: 'Amazon Managed Grafana workspace URL (deploy annotations, dashboards publish)',
        type: 'string',
        parameters: { secret: naming.mgmtParameter('grafana/url') },
      },
      {
        id: CREDENTIAL_IDS.grafanaToken,
        description: 'Grafana service-account token with the Editor role',
        type: 'string',
        parameters: { secret: naming.mgmtParameter('grafana/token') },
      },
    ];
    const releaseLocks = this.platform.promotionPath.flatMap((e) =>
      this.services.map((s) => naming.jenkinsReleaseLock(s, e)),
    );
    return {
      folders: this.folders,
      jobs: this.jobs,
      pipelines: [...this.pipelines.values()].filter((p) => p.id !== PLATFORM_PIPELINE_ID),
      platformPipeline: this.pipeline(PLATFORM_PIPELINE_ID),
      agents,
      credentials,
      authorisation: {
        teams: Object.fromEntries(
          [this.adminGroup, settings.developerGroup].map((g) => [g, naming.githubTeam(g)]),
        ),
        adminGroup: this.adminGroup,
        developerGroup: settings.developerGroup,
      },
      releaseLocks,
      slackChannel: settings.slackChannel,
    };
  }

  private pipeline(id: string): Pipeline {
    const p = this.pipelines.get(id);
    if (!p) throw new Error(`no pipeline ${id}`);
    return p;
  }

  private addPipeline(
    p: Omit<Pipeline, 'variables' | 'credentialVariables' | 'post'> & Partial<Pick<Pipeline, 'variables'>>,
  ) {
    if (this.pipelines.has(p.id)) return;
    const pipeline: Pipeline = {
      variables: {},
      credentialVariables: {},
      ...p,
      post: notifyPost(this.settings.slackChannel, p.title),
    };
    // Only the jobs that talk to Grafana are given its token (least privilege).
    const talksToGrafana = allSteps(pipeline).some(
      (s) =>
        s.kind === 'shell' &&
        s.argv[0] === TDR[0] &&
        s.argv[1] === TDR[1] &&
        GRAFANA_COMMANDS.includes(String(s.argv[2])),
    );
    this.pipelines.set(
      p.id,
      talksToGrafana
        ? {
            ...pipeline,
            credentialVariables: {
              GRAFANA_URL: CREDENTIAL_IDS.grafanaUrl,
              GRAFANA_TOKEN: CREDENTIAL_IDS.grafanaToken,
            },
          }
        : pipeline,
    );
  }

  /** Who may start jobs in `e`: where promotion needs an approver, only that group. */
  private runnableBy(e: EnvironmentName): string[] {
    return this.platform.environments[e].promotion?.approval
      ? [this.adminGroup]
      : [this.settings.developerGroup, this.adminGroup];
  }

  private approvalFor(e: EnvironmentName): string | null {
    return this.platform.environments[e].promotion?.approval?.group ?? null;
  }

  private installEngine(): Step[] {
    const { settings } = this;
    return [
      {
        kind: 'checkout',
        url: githubUrl(settings, settings.platformRepository),
        branch: settings.platformBranch,
        credentialsId: CREDENTIAL_IDS.github,
      },
      { kind: 'shell', argv: ['npm', 'ci', '--no-audit', '--no-fund'] },
    ];
  }

  /** Environments whose e2e results a later environment depends on: those that feed another. */
  private feedsAnother(e: EnvironmentName): boolean {
    return Object.values(this.platform.environments).some((x) => x.promotion?.source === e);
  }

  private releaseJobs(target: EnvironmentName): void {
    const promotion = this.platform.environments[target].promotion;
    if (!promotion) return;
    const fromBuild = promotion.source === 'build';
    const runnableBy = this.runnableBy(target);
    const e2eJob = this.feedsAnother(target) ? this.e2eJob(target) : null;
    const releasePipeline = fromBuild
      ? this.deployPipeline(target, e2eJob)
      : this.promotePipeline(target, e2eJob);
    const rollbackPipeline = this.rollbackPipeline(target);
    for (const service of this.services) {
      this.folders.push({ path: `${target}/${service}`, description: `Releases of ${service} in ${target}` });
      const serviceParameter: Parameter = {
        name: 'SERVICE',
        type: 'choice',
        description: 'The service this job releases (fixed for this job)',
        choices: [service],
      };
      this.jobs.push({
        path: `${target}/${service}/${fromBuild ? 'deploy' : 'promote'}`,
        kind: fromBuild ? 'deploy' : 'promote',
        description: fromBuild
          ? `Deploys a build of ${service} to ${target}. Started by ${service}'s build over the Jenkins API; nobody approves.`
          : `Promotes ${service} from ${promotion.source} to ${target}` +
            (promotion.approval ? `; a member of ${promotion.approval.group} approves.` : '.'),
        environment: target,
        service,
        parameters: [
          serviceParameter,
          fromBuild
            ? { name: 'VERSION', type: 'string', defaultValue: '', description: 'Release tag, e.g. v42' }
            : {
                name: 'VERSION',
                type: 'string',
                defaultValue: '',
                description: `Release tag, e.g. v42; empty promotes the version live in ${promotion.source}`,
              },
        ],
        triggers: fromBuild ? [{ kind: 'remote', by: `${service}'s build` }] : [],
        pipeline: releasePipeline,
        runnableBy,
      });
      this.jobs.push({
        path: `${target}/${service}/rollback`,
        kind: 'rollback',
        description: `Rolls ${service} in ${target} back to its previous successful release`,
        environment: target,
        service,
        parameters: [serviceParameter],
        triggers: [],
        pipeline: rollbackPipeline,
        runnableBy,
      });
    }
  }

  private checkService(target: EnvironmentName, withActor: boolean): Step[] {
    return [
      { kind: 'require-choice', parameter: 'SERVICE', choices: this.services },
      {
        kind: 'lookup',
        variable: VARIABLES.lock,
        parameter: 'SERVICE',
        table: Object.fromEntries(this.services.map((s) => [s, naming.jenkinsReleaseLock(s, target)])),
      },
      ...(withActor ? [{ kind: 'capture-actor', variable: VARIABLES.actor } as const] : []),
    ];
  }

  private triggerE2e(e2eJob: string | null, version: string): Step[] {
    if (!e2eJob) return [];
    return [
      {
        kind: 'trigger',
        job: `/${e2eJob}`,
        wait: false,
        parameters: [
          { name: 'SERVICE', value: env('SERVICE') },
          { name: 'VERSION', value: env(version) },
        ],
      },
    ];
  }

  private deployPipeline(target: EnvironmentName, e2eJob: string | null): string {
    const id = `deploy-${target}`;
    this.addPipeline({
      id,
      title: `Deploy to ${target}`,
      environment: target,
      timeoutHours: 2,
      disableConcurrentBuilds: false,
      stages: [
        {
          name: 'Check parameters',
          steps: [
            ...this.checkService(target, false),
            {
              kind: 'require-pattern',
              parameter: 'VERSION',
              pattern: VERSION_PATTERN,
              optional: false,
              hint: 'a release tag such as v42',
            },
          ],
        },
        {
          name: `Deploy to ${target}`,
          agent: target,
          steps: [
            ...this.installEngine(),
            {
              kind: 'lock',
              resourceVariable: VARIABLES.lock,
              steps: [
                { kind: 'milestone', ordinal: 1 },
                {
                  kind: 'shell',
                  argv: [
                    ...TDR,
                    'deploy',
                    '--service',
                    env('SERVICE'),
                    '--env',
                    target,
                    '--version',
                    env('VERSION'),
                  ],
                },
              ],
            },
            ...this.triggerE2e(e2eJob, 'VERSION'),
          ],
        },
      ],
    });
    return id;
  }

  private promotePipeline(target: EnvironmentName, e2eJob: string | null): string {
    const id = `promote-${target}`;
    const promotion = this.platform.environments[target].promotion;
    if (!promotion || promotion.source === 'build') throw new Error(`${target} is not promoted into`);
    const source = promotion.source;
    const approvalGroup = this.approvalFor(target);
    const stages: Stage[] = [
      {
        name: 'Check parameters',
        steps: [
          ...this.checkService(target, true),
          {
            kind: 'require-pattern',
            parameter: 'VERSION',
            pattern: VERSION_PATTERN,
            optional: true,
            hint: `empty (the version live in ${source}) or a release tag such as v42`,
          },
        ],
      },
      {
        name: 'Resolve the release',
        agent: target,
        steps: [
          ...this.installEngine(),
          {
            kind: 'resolve-release',
            statusArgv: [...TDR, 'status', '--service', env('SERVICE'), '--env', source, '-o', 'json'],
            requestedParameter: 'VERSION',
            versionVariable: VARIABLES.version,
            versionPattern: VERSION_PATTERN,
            liveEnvironment: source,
            ...(approvalGroup ? { digestVariable: VARIABLES.digest } : {}),
          },
        ],
      },
    ];
    if (approvalGroup) {
      stages.push(
        this.approvalStage(
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
      );
    }
    stages.push({
      name: `Promote to ${target}`,
      agent: target,
      steps: [
        ...this.installEngine(),
        {
          kind: 'lock',
          resourceVariable: VARIABLES.lock,
          steps: [
            { kind: 'milestone', ordinal: 3 },
            {
              kind: 'shell',
              argv: [
                ...TDR,
                'promote',
                '--service',
                env('SERVICE'),
                '--to',
                target,
                '--version',
                env(VARIABLES.version),
                ...(approvalGroup ? ['--approver', env(VARIABLES.approver)] : []),
                '--actor',
                env(VARIABLES.actor),
                '--build-url',
                BUILD_URL,
              ],
            },
          ],
        },
        ...this.triggerE2e(e2eJob, VARIABLES.version),
      ],
    });
    this.addPipeline({
      id,
      title: `Promote to ${target}`,
      environment: target,
      timeoutHours: approvalGroup ? this.settings.approvalTimeoutHours + 2 : 2,
      disableConcurrentBuilds: false,
      stages,
    });
    return id;
  }

  /**
   * Milestones either side of the input: once a newer build is approved, older waiting ones
   * abort. With `fourEyes`, whoever started the build cannot approve it (the engine checks too).
   */
  private approvalStage(group: string, message: Text, ok: string, fourEyes = false): Stage {
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
          timeoutHours: this.settings.approvalTimeoutHours,
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

  private rollbackPipeline(target: EnvironmentName): string {
    const id = `rollback-${target}`;
    this.addPipeline({
      id,
      title: `Roll back in ${target}`,
      environment: target,
      timeoutHours: 2,
      disableConcurrentBuilds: true,
      stages: [
        { name: 'Check parameters', steps: this.checkService(target, true) },
        {
          name: `Roll back in ${target}`,
          agent: target,
          steps: [
            ...this.installEngine(),
            {
              kind: 'lock',
              resourceVariable: VARIABLES.lock,
              steps: [
                { kind: 'milestone', ordinal: 1 },
                {
                  kind: 'shell',
                  argv: [
                    ...TDR,
                    'rollback',
                    '--service',
                    env('SERVICE'),
                    '--env',
                    target,
                    '--actor',
                    env(VARIABLES.actor),
                    '--build-url',
                    BUILD_URL,
                  ],
                },
              ],
            },
          ],
        },
      ],
    });
    return id;
  }

  private e2eJob(target: EnvironmentName): string {
    const id = `e2e-${target}`;
    const path = `${target}/e2e`;
    const record = (result: 'passed' | 'failed'): Step => ({
      kind: 'shell',
      argv: [
        ...TDR,
        'check',
        'record',
        '--service',
        env('SERVICE'),
        '--env',
        target,
        '--version',
        env('VERSION'),
        '--name',
        E2E_CHECK,
        '--result',
        result,
        '--url',
        BUILD_URL,
      ],
    });
    this.addPipeline({
      id,
      title: `End-to-end tests in ${target}`,
      environment: target,
      timeoutHours: 2,
      disableConcurrentBuilds: false,
      variables: { TDR_ENV: target },
      stages: [
        {
          name: 'Check parameters',
          steps: [
            { kind: 'require-choice', parameter: 'SERVICE', choices: this.services },
            {
              kind: 'require-pattern',
              parameter: 'VERSION',
              pattern: VERSION_PATTERN,
              optional: false,
              hint: 'a release tag such as v42',
            },
          ],
        },
        {
          name: 'End-to-end tests',
          agent: target,
          steps: [
            ...this.installEngine(),
            {
              kind: 'checkout',
              url: githubUrl(this.settings, this.settings.e2eRepository),
              branch: 'main',
              credentialsId: CREDENTIAL_IDS.github,
              dir: 'e2e-tests',
            },
            { kind: 'shell', argv: [...this.settings.e2eCommand], dir: 'e2e-tests' },
          ],
          post: { success: [record('passed')], failure: [record('failed')] },
        },
      ],
    });
    this.jobs.push({
      path,
      kind: 'e2e',
      description: `Runs the end-to-end tests against ${target} and records the result for the release`,
      environment: target,
      parameters: [
        { name: 'SERVICE', type: 'choice', description: 'The service just released', choices: this.services },
        { name: 'VERSION', type: 'string', defaultValue: '', description: 'The version just released' },
      ],
      triggers: [
        {
          kind: 'upstream',
          jobs: this.services.map(
            (s) =>
              `${target}/${s}/${this.platform.environments[target].promotion?.source === 'build' ? 'deploy' : 'promote'}`,
          ),
        },
      ],
      pipeline: id,
      runnableBy: this.runnableBy(target),
    });
    return path;
  }

  private infraJobs(target: EnvironmentName): void {
    const environment = this.platform.environments[target];
    this.folders.push({ path: `${target}/infra`, description: `Pulumi stack of the ${target} account` });
    const stack = naming.pulumiStack(target);
    const login: Step = {
      kind: 'shell',
      argv: ['pulumi', 'login', `s3://${naming.pulumiStateBucket()}`],
    };
    const preview: Step = {
      kind: 'shell',
      argv: ['pulumi', 'preview', '--stack', stack, '--non-interactive', '--diff'],
    };
    // intg follows main with no human; the sandbox is for spikes; every other account waits for an admin.
    const automatic = environment.promotion?.automatic === true || environment.kind === 'sandbox';
    this.addPipeline({
      id: `infra-preview-${target}`,
      title: `Infrastructure preview for ${target}`,
      environment: target,
      timeoutHours: 1,
      disableConcurrentBuilds: false,
      stages: [{ name: 'Preview', agent: target, steps: [...this.installEngine(), login, preview] }],
    });
    const apply: Stage = {
      name: 'Apply',
      agent: target,
      steps: [
        ...this.installEngine(),
        login,
        { kind: 'milestone', ordinal: 3 },
        { kind: 'shell', argv: ['pulumi', 'up', '--yes', '--stack', stack, '--non-interactive'] },
      ],
    };
    this.addPipeline({
      id: `infra-apply-${target}`,
      title: `Infrastructure apply for ${target}`,
      environment: target,
      timeoutHours: automatic ? 2 : this.settings.approvalTimeoutHours + 2,
      disableConcurrentBuilds: true,
      stages: automatic
        ? [apply]
        : [
            { name: 'Preview', agent: target, steps: [...this.installEngine(), login, preview] },
            this.approvalStage(
              this.adminGroup,
              [`Apply the previewed changes to the ${target} stack? Preview: `, BUILD_URL, 'console'],
              `Apply to ${target}`,
            ),
            apply,
          ],
    });
    // Applying to an account that needs approval is itself an admin's job (mgmt runs Jenkins).
    const applyRunnableBy = automatic ? this.runnableBy(target) : [this.adminGroup];
    this.jobs.push({
      path: `${target}/infra/preview`,
      kind: 'infra-preview',
      description: `pulumi preview of the ${stack} stack`,
      environment: target,
      parameters: [],
      triggers: [],
      pipeline: `infra-preview-${target}`,
      runnableBy: this.runnableBy(target),
    });
    this.jobs.push({
      path: `${target}/infra/apply`,
      kind: 'infra-apply',
      description: automatic
        ? `pulumi up of the ${stack} stack, applied on every merge to main`
        : `pulumi up of the ${stack} stack: shows the preview, then waits for a member of ${this.adminGroup}`,
      environment: target,
      parameters: [],
      triggers: [{ kind: 'upstream', jobs: [PLATFORM_JOB] }],
      pipeline: `infra-apply-${target}`,
      runnableBy: applyRunnableBy,
    });
  }

  private runTaskJob(target: EnvironmentName): void {
    const id = `run-task-${target}`;
    const approvalGroup = this.approvalFor(target);
    const stages: Stage[] = [
      {
        name: 'Check parameters',
        steps: [
          { kind: 'require-choice', parameter: 'TASK', choices: this.tasks },
          {
            kind: 'require-pattern',
            parameter: 'VERSION',
            pattern: VERSION_PATTERN,
            optional: false,
            hint: 'a release tag such as v42',
          },
          { kind: 'capture-actor', variable: VARIABLES.actor },
        ],
      },
    ];
    if (approvalGroup) {
      stages.push(
        this.approvalStage(
          approvalGroup,
          ['Run ', env('TASK'), ' ', env('VERSION'), ` in ${target}? Started by `, env(VARIABLES.actor), '.'],
          `Run in ${target}`,
        ),
      );
    }
    stages.push({
      name: 'Run task',
      agent: target,
      steps: [
        ...this.installEngine(),
        {
          kind: 'shell',
          argv: [
            ...TDR,
            ...TASK_RUN,
            '--task',
            env('TASK'),
            '--env',
            target,
            '--version',
            env('VERSION'),
            '--actor',
            env(VARIABLES.actor),
            '--build-url',
            BUILD_URL,
          ],
        },
      ],
    });
    this.addPipeline({
      id,
      title: `One-off task in ${target}`,
      environment: target,
      timeoutHours: approvalGroup ? this.settings.approvalTimeoutHours + 2 : 2,
      disableConcurrentBuilds: true,
      stages,
    });
    this.jobs.push({
      path: `${target}/run-task`,
      kind: 'run-task',
      description: `Runs a one-off ECS task in ${target}: database migrations, reference data (series, departments), Keycloak updates`,
      environment: target,
      parameters: [
        { name: 'TASK', type: 'choice', description: 'The one-off task to run', choices: this.tasks },
        {
          name: 'VERSION',
          type: 'string',
          defaultValue: '',
          description: 'Release tag of the task image, e.g. v42',
        },
      ],
      triggers: [],
      pipeline: id,
      runnableBy: this.runnableBy(target),
    });
  }

  private opsJobs(): void {
    const mgmt: EnvironmentName = 'mgmt';
    const { settings } = this;
    const ops = [settings.developerGroup, this.adminGroup];
    this.addPipeline({
      id: 'seed',
      title: 'Seed jobs',
      environment: mgmt,
      timeoutHours: 1,
      disableConcurrentBuilds: true,
      stages: [
        {
          name: 'Generate jobs',
          agent: mgmt,
          steps: [
            ...this.installEngine(),
            { kind: 'shell', argv: [...TDR, 'jobs', 'build', '--out', settings.outputDir] },
            { kind: 'job-dsl', targets: `${settings.outputDir}/seed.groovy` },
          ],
        },
      ],
    });
    this.jobs.push({
      path: SEED_JOB,
      kind: 'seed',
      description:
        'Recreates every job from pipelines/jenkins: on each controller start and each merge to main',
      environment: mgmt,
      parameters: [],
      triggers: [{ kind: 'upstream', jobs: [PLATFORM_JOB] }],
      pipeline: 'seed',
      runnableBy: ops,
    });
    this.addPipeline({
      id: 'dashboards',
      title: 'Publish dashboards',
      environment: mgmt,
      timeoutHours: 1,
      disableConcurrentBuilds: true,
      stages: [
        {
          name: 'Publish dashboards',
          agent: mgmt,
          steps: [...this.installEngine(), { kind: 'shell', argv: [...TDR, 'dashboards', 'publish'] }],
        },
      ],
    });
    this.jobs.push({
      path: DASHBOARDS_JOB,
      kind: 'dashboards',
      description: 'Publishes the Grafana dashboards generated from the catalogue',
      environment: mgmt,
      parameters: [],
      triggers: [{ kind: 'upstream', jobs: [PLATFORM_JOB] }],
      pipeline: 'dashboards',
      runnableBy: ops,
    });
    this.addPipeline({
      id: 'release-report',
      title: 'Nightly release report',
      environment: mgmt,
      timeoutHours: 1,
      disableConcurrentBuilds: true,
      stages: [
        {
          name: 'Report',
          agent: mgmt,
          steps: [
            ...this.installEngine(),
            { kind: 'shell', argv: [...TDR, 'status', '-o', 'json'], stdoutTo: 'release-report.json' },
            { kind: 'shell', argv: [...TDR, 'status'], stdoutTo: 'release-report.txt' },
            { kind: 'archive', pattern: 'release-report.*' },
          ],
        },
      ],
    });
    this.jobs.push({
      path: 'mgmt/release-report',
      kind: 'release-report',
      description: 'Every night: what version of each service is live where, archived and announced in Slack',
      environment: mgmt,
      parameters: [],
      triggers: [{ kind: 'cron', spec: settings.nightlyReportCron }],
      pipeline: 'release-report',
      runnableBy: ops,
    });
    this.jobs.push({
      path: PLATFORM_JOB,
      kind: 'platform',
      description: 'The platform repository: tests, synth, and on main applies intg and reseeds jobs',
      environment: mgmt,
      parameters: [],
      triggers: [{ kind: 'push' }],
      runnableBy: ops,
      repository: {
        owner: settings.githubOrganisation,
        name: settings.platformRepository,
        credentialsId: CREDENTIAL_IDS.github,
      },
    });
    this.platformPipelineDefinition();
  }

  private platformPipelineDefinition(): void {
    const mgmt: EnvironmentName = 'mgmt';
    const main = this.settings.platformBranch;
    const onMain = (name: string, job: string, wait: boolean): Stage => ({
      name,
      branch: main,
      steps: [{ kind: 'trigger', job: `/${job}`, wait, parameters: [] }],
    });
    const path = this.platform.promotionPath;
    const automatic = path.filter((e) => this.platform.environments[e].promotion?.automatic);
    const byHand = path.filter((e) => !this.platform.environments[e].promotion?.automatic);
    this.addPipeline({
      id: PLATFORM_PIPELINE_ID,
      title: 'TDR platform',
      environment: mgmt,
      timeoutHours: 2,
      disableConcurrentBuilds: true,
      stages: [
        {
          name: 'Build',
          agent: mgmt,
          stages: [
            { name: 'Install', steps: [{ kind: 'checkout-scm' }, { kind: 'shell', argv: ['npm', 'ci'] }] },
            { name: 'Test', steps: [{ kind: 'shell', argv: ['npm', 'test'] }] },
            { name: 'Synth with policies', steps: [{ kind: 'shell', argv: [...TDR, 'synth'] }] },
          ],
        },
        ...automatic.map((e) => onMain(`Apply ${e} infrastructure`, `${e}/infra/apply`, true)),
        onMain('Reseed jobs', SEED_JOB, true),
        onMain('Publish dashboards', DASHBOARDS_JOB, true),
        // Each of these jobs shows its preview and waits for an admin; the platform build does not wait.
        ...byHand.map((e) => onMain(`Request ${e} infrastructure`, `${e}/infra/apply`, false)),
      ],
    });
  }
}

export const PLATFORM_PIPELINE_ID = 'platform';
export const PLATFORM_JOB = 'mgmt/platform';
export const SEED_JOB = 'mgmt/seed';
export const DASHBOARDS_JOB = 'mgmt/dashboards';

function notifyPost(channel: string, title: string): Pipeline['post'] {
  // The build URL names the job and the build number.
  const message = (outcome: string): Text => [`${title} ${outcome}: `, BUILD_URL];
  return {
    success: [{ kind: 'notify', channel, color: 'good', message: message('succeeded') }],
    failure: [{ kind: 'notify', channel, color: 'danger', message: message('failed') }],
  };
}

/** Every step of a pipeline, nested ones (locks, sub-stages, post) included. */
export function allSteps(p: Pipeline): Step[] {
  const fromSteps = (steps: readonly Step[]): Step[] =>
    steps.flatMap((s) => (s.kind === 'lock' ? [s, ...fromSteps(s.steps)] : [s]));
  const fromPost = (post: Pipeline['post'] | undefined): Step[] =>
    fromSteps([...(post?.success ?? []), ...(post?.failure ?? []), ...(post?.always ?? [])]);
  const fromStages = (stages: readonly Stage[]): Step[] =>
    stages.flatMap((st) => [
      ...fromSteps(st.steps ?? []),
      ...fromStages(st.stages ?? []),
      ...fromPost(st.post),
    ]);
  return [...fromStages(p.stages), ...fromPost(p.post)];
}

/** Every stage of a pipeline, nested ones included. */
export function allStages(p: Pipeline): Stage[] {
  const walk = (stages: readonly Stage[]): Stage[] => stages.flatMap((s) => [s, ...walk(s.stages ?? [])]);
  return walk(p.stages);
}
