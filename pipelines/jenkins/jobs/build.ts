/**
 * build: a multibranch job per source repository of the catalogue, all running one template.
 * Every branch and pull request runs the repository's tests. The main branch then takes the next
 * `vN` from the repository's git tags, builds its images with Kaniko (its own ECS task, started by
 * mgmt's build agent: no Docker daemon, nothing privileged), pushes them to mgmt's ECR, stops on scan findings at or above
 * the configured severity, uploads its function packages with their SHA-256 to mgmt's code bucket
 * (`tdr-backend-code-mgmt/{function}/{vN}/`), pushes the git tag, and starts the deploy job of each
 * of its services and functions in the environments fed by the build (intg) with VERSION and
 * GIT_COMMIT. A branch built with
 * DEPLOY_TO_INTG does the same as `branch-<name>-<sha7>`, without a git tag.
 *
 * agent-image: builds the agent images (pipelines/jenkins/agent/Dockerfile) from a platform release.
 */
import type { EnvironmentName } from '../../../services/environments';
import { KANIKO } from '../../../services/kaniko';
import { naming } from '../../../services/naming';
import { sourceRepositories, type SourceRepository } from '../../../services/queries';
import { VERSION_PATTERN_SOURCE } from '../../../services/versions';
import { buildAgentLabel, platformAgentLabel } from '../agents';
import { CREDENTIAL_IDS } from '../credentials';
import type { Arg, Condition, Job, Pipeline, Stage, Step, Text } from '../model';
import { AGENT_DOCKERFILE, AGENT_IMAGE_TARGETS, agentImageTag, githubUrl } from '../settings';
import {
  AGENT_IMAGE_JOB,
  BUILD_FOLDER,
  BUILD_URL,
  deployJobPath,
  env,
  opsGroups,
  type Contribution,
  type JobContext,
} from './context';
import { checkStage, definePipeline } from './skeleton';

export const BUILD_PIPELINE_ID = 'build';
const MGMT: EnvironmentName = 'mgmt';

/** What the template knows of the repository it is building, set from the project's row. */
const REPO = {
  name: 'REPOSITORY',
  mainBranch: 'MAIN_BRANCH',
  test: 'TEST_COMMAND',
  package: 'PACKAGE_COMMAND',
  /** `dockerfile=ecr-repository` pairs, one per ECS entry built from the repository. */
  images: 'IMAGES',
  /** `artifact=function` pairs, one per function whose package the repository builds. */
  packages: 'PACKAGES',
  /** Comma-separated deploy jobs of its services and functions (none for one-off tasks only). */
  deployJobs: 'DEPLOY_JOBS',
} as const;
const DEPLOY_TO_INTG = 'DEPLOY_TO_INTG';

/** Where the build's own tools are: installed in the build agent image (pipelines/jenkins/agent). */
const TOOLS = {
  nextVersion: 'next-version',
  kanikoBuild: 'kaniko-build',
  scanGate: 'scan-gate',
  uploadPackage: 'upload-package',
} as const;

export const buildJobPath = (repository: string): string => `${BUILD_FOLDER}/${repository}`;

export function buildJobs(ctx: JobContext): Contribution {
  const repositories = sourceRepositories(ctx.platform.catalogue);
  const pipeline = buildPipeline(ctx, repositories);
  return {
    folders: [
      { path: BUILD_FOLDER, description: 'Builds of every source repository: tests, images, vN tags' },
    ],
    pipelines: [pipeline],
    jobs: repositories.map((r) => buildJob(ctx, r)),
  };
}

function buildJob(ctx: JobContext, r: SourceRepository): Job {
  const names = r.entries.map(([name]) => name).join(', ');
  return {
    path: buildJobPath(r.repository),
    kind: 'build',
    description: `Builds ${r.repository} (${names}): tests every branch and pull request; a merge to ${r.source.mainBranch} is tagged, pushed to ECR and deployed`,
    environment: MGMT,
    parameters: [],
    triggers: [{ kind: 'push' }],
    pipeline: BUILD_PIPELINE_ID,
    runnableBy: opsGroups(ctx),
    repository: {
      owner: ctx.settings.githubOrganisation,
      name: r.repository,
      credentialsId: CREDENTIAL_IDS.github,
      markerFile: r.markerFile,
    },
  };
}

/** The environments a build deploys to: those whose promotion source is the build itself. */
function fedByBuild(ctx: JobContext): EnvironmentName[] {
  return ctx.platform.promotionPath.filter((e) => ctx.platform.environments[e].promotion?.source === 'build');
}

function projectTable(ctx: JobContext, repositories: readonly SourceRepository[]): Step {
  const targets = fedByBuild(ctx);
  const table = Object.fromEntries(
    repositories.map((r) => [
      buildJobPath(r.repository),
      {
        [REPO.name]: r.repository,
        [REPO.mainBranch]: r.source.mainBranch,
        [REPO.test]: r.source.test,
        [REPO.package]: r.source.package,
        [REPO.images]: r.entries
          .flatMap(([, e]) => (e.kind === 'lambda' ? [] : [`${e.source.dockerfile}=${e.imageRepository}`]))
          .join(' '),
        [REPO.packages]: r.entries
          .flatMap(([name, e]) => (e.kind === 'lambda' ? [`${e.source.artifact}=${name}`] : []))
          .join(' '),
        [REPO.deployJobs]: r.entries
          .filter(([, e]) => e.kind === 'service' || e.kind === 'lambda')
          .flatMap(([name]) => targets.map((t) => `/${deployJobPath(t, name)}`))
          .join(','),
      },
    ]),
  );
  return { kind: 'project-lookup', table };
}

const onMain: Condition = { kind: 'branch-is', variable: REPO.mainBranch };
/** The main branch, or a branch whose build was asked to deploy. */
const releasing: Condition = {
  kind: 'any-of',
  conditions: [onMain, { kind: 'parameter-true', parameter: DEPLOY_TO_INTG }],
};

/** A stage of the build whose failure says which stage, which commit and whose. */
function step(channel: string, name: string, steps: readonly Step[], when?: readonly Condition[]): Stage {
  const message: Text = [
    env(REPO.name),
    ` build failed at "${name}": commit `,
    env('GIT_COMMIT'),
    ' by ',
    env('GIT_AUTHOR'),
    ' ',
    BUILD_URL,
  ];
  return {
    name,
    ...(when ? { when } : {}),
    steps,
    post: { failure: [{ kind: 'notify', channel, color: 'danger', message }] },
  };
}

const sh = (...argv: Arg[]): Step => ({ kind: 'shell', argv });

// eslint-disable-next-line max-lines-per-function -- a pipeline's stages in the order Jenkins runs them.
function buildPipeline(ctx: JobContext, repositories: readonly SourceRepository[]): Pipeline {
  const channel = ctx.settings.buildSlackChannel;
  const version = env('VERSION');
  const pipeline = definePipeline(ctx, {
    id: BUILD_PIPELINE_ID,
    title: 'Build a source repository (one template for every repository of the catalogue)',
    environment: MGMT,
    timeoutHours: 2,
    // Two builds of one branch at once could both take the same vN.
    disableConcurrentBuilds: true,
    variables: {
      SCAN_FAIL_SEVERITY: ctx.settings.scanFailSeverity,
      BACKEND_CODE_BUCKET: naming.backendCodeBucket(),
    },
    parameters: [
      {
        name: DEPLOY_TO_INTG,
        type: 'boolean',
        defaultValue: 'false',
        description: `Push this branch as branch-<name>-<sha7> and deploy it to ${fedByBuild(ctx).join(', ')} (the main branch always deploys its vN)`,
      },
    ],
    stages: [
      { name: 'Repository', steps: [projectTable(ctx, repositories)] },
      {
        name: 'Build',
        agent: MGMT,
        agentKind: 'build',
        stages: [
          step(channel, 'Checkout', [
            { kind: 'checkout-scm' },
            { kind: 'capture', variable: 'GIT_COMMIT', argv: ['git', 'rev-parse', 'HEAD'] },
            { kind: 'capture', variable: 'GIT_AUTHOR', argv: ['git', 'log', '-1', '--format=%an'] },
          ]),
          step(channel, 'Test', [sh('sh', '-c', env(REPO.test))]),
          step(
            channel,
            'Version',
            [
              {
                kind: 'capture',
                variable: 'VERSION',
                argv: [TOOLS.nextVersion, env('BRANCH_NAME'), env(REPO.mainBranch)],
              },
            ],
            [releasing],
          ),
          step(channel, 'Package', [sh('sh', '-c', env(REPO.package))], [releasing]),
          step(channel, 'Image', [sh(TOOLS.kanikoBuild, version, env(REPO.images))], [releasing]),
          step(
            channel,
            'Scan',
            [sh(TOOLS.scanGate, version, env('SCAN_FAIL_SEVERITY'), env(REPO.images))],
            [releasing],
          ),
          step(
            channel,
            'Upload packages',
            [sh(TOOLS.uploadPackage, version, env(REPO.packages))],
            [releasing],
          ),
          step(
            channel,
            'Tag',
            [
              {
                kind: 'with-git-credentials',
                credentialsId: CREDENTIAL_IDS.github,
                steps: [
                  sh('git', 'tag', version, env('GIT_COMMIT')),
                  sh('git', 'push', 'origin', 'tag', version),
                ],
              },
            ],
            [onMain],
          ),
        ],
      },
      step(
        channel,
        `Deploy to ${fedByBuild(ctx).join(', ')}`,
        [
          {
            kind: 'trigger-each',
            jobsVariable: REPO.deployJobs,
            parameters: [
              { name: 'VERSION', value: version },
              { name: 'GIT_COMMIT', value: env('GIT_COMMIT') },
            ],
          },
        ],
        [releasing],
      ),
    ],
  });
  // Each stage reports its own failure to the build channel; a passing branch build is not news.
  return { ...pipeline, post: {} };
}

/**
 * Builds the agent images from a platform release, tagged `<release>-node<major>`, and the Kaniko
 * image they build with (its own task, scripts/kaniko-build.sh), tagged with the fork's release.
 */
export function agentImageJob(ctx: JobContext): Contribution {
  const { settings } = ctx;
  const id = 'agent-image';
  const images = AGENT_IMAGE_TARGETS.map((i) => `${AGENT_DOCKERFILE}=${i.repository}@${i.target}`).join(' ');
  const kanikoImage = `${AGENT_DOCKERFILE}=${naming.jenkinsImageRepository('kaniko')}@${KANIKO.target}`;
  const tag = env('IMAGE_TAG');
  const pipeline = definePipeline(ctx, {
    id,
    title: 'Build the Jenkins agent images',
    environment: MGMT,
    timeoutHours: 1,
    disableConcurrentBuilds: true,
    stages: [
      checkStage([
        {
          kind: 'require-pattern',
          parameter: 'TDR_VERSION',
          pattern: VERSION_PATTERN_SOURCE,
          optional: false,
          hint: 'a release tag of the platform repository, such as v12',
        },
      ]),
      {
        name: 'Build agent images',
        agent: MGMT,
        agentKind: 'build',
        steps: [
          {
            kind: 'checkout',
            url: githubUrl(settings, settings.platformRepository),
            branch: settings.platformBranch,
            credentialsId: CREDENTIAL_IDS.github,
          },
          sh('git', 'checkout', '--detach', env('TDR_VERSION')),
          {
            kind: 'capture',
            variable: 'IMAGE_TAG',
            argv: ['printf', agentImageTag('%s'), env('TDR_VERSION')],
          },
          sh(TOOLS.kanikoBuild, tag, images),
          sh(TOOLS.scanGate, tag, settings.scanFailSeverity, images),
          // Kaniko's own image is tagged with the fork's release the Dockerfile at TDR_VERSION pins
          // (services/kaniko.ts): the mgmt stack runs it by that tag, and a release that pins the
          // same Kaniko finds its tag already there and builds nothing.
          {
            kind: 'capture',
            variable: 'KANIKO_TAG',
            argv: ['sed', '-n', 's/^ARG KANIKO_VERSION=//p', AGENT_DOCKERFILE],
          },
          sh(TOOLS.kanikoBuild, env('KANIKO_TAG'), kanikoImage),
          sh(TOOLS.scanGate, env('KANIKO_TAG'), settings.scanFailSeverity, kanikoImage),
        ],
      },
    ],
  });
  const job: Job = {
    path: AGENT_IMAGE_JOB,
    kind: 'agent-image',
    description: `Builds the agent images (tdr at TDR_VERSION, Node, Pulumi; build tools for ${buildAgentLabel(MGMT)}; npm test's packages for ${platformAgentLabel(MGMT)}) and Kaniko's own image into mgmt's ECR; pin the result in settings.tdrVersion`,
    environment: MGMT,
    parameters: [
      {
        name: 'TDR_VERSION',
        type: 'string',
        defaultValue: '',
        description: 'The platform release (git tag, e.g. v12) to install as tdr',
      },
    ],
    triggers: [],
    pipeline: id,
    runnableBy: [ctx.adminGroup],
  };
  return { pipelines: [pipeline], jobs: [job] };
}
