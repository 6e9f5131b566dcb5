/**
 * What every job-kind module builds from: the platform, the Jenkins settings, the catalogue's
 * services and tasks, and the names jobs share (run-time variables, job paths).
 */
import type { Platform } from '../../../services/config';
import type { EnvironmentName } from '../../../services/environments';
import { namesOfKind } from '../../../services/queries';
import { CREDENTIAL_IDS } from '../credentials';
import type { Arg, Folder, Job, Parameter, Pipeline, Step } from '../model';
import { githubUrl, type JenkinsSettings } from '../settings';
import type { Recorded } from '../tdr-commands';

/** Variables the pipelines set at run time (parameters keep their own names). */
export const VARIABLES = {
  lock: 'RELEASE_LOCK',
  version: 'RELEASE_VERSION',
  digest: 'RELEASE_DIGEST',
  approver: 'APPROVER',
  actor: 'TDR_ACTOR',
} as const;

export const PLATFORM_PIPELINE_ID = 'platform';
export const PLATFORM_JOB = 'mgmt/platform';
export const SEED_JOB = 'mgmt/seed';
export const DASHBOARDS_JOB = 'mgmt/dashboards';
export const BUILD_FOLDER = 'mgmt/build';
export const AGENT_IMAGE_JOB = 'mgmt/agent-image';

/** The job a service's build starts to release to `target` (an environment fed by the build). */
export const deployJobPath = (target: EnvironmentName, service: string): string =>
  `${target}/${service}/deploy`;

/** A value read from the build's environment at run time. */
export const env = (name: string): Arg => ({ env: name });
export const BUILD_URL = env('BUILD_URL');

/** Who started the build and which build it is, for the ledger of the commands that change things. */
export const RECORDED_BY_BUILD: Recorded = {
  actor: env(VARIABLES.actor),
  buildUrl: BUILD_URL,
};

export interface JobContext {
  readonly platform: Platform;
  readonly settings: JenkinsSettings;
  /**
   * What deploy, promote and rollback release, in catalogue order: the ECS services and the Lambda
   * functions (a function release moves its `live` alias; same jobs, same gates and locks).
   */
  readonly services: string[];
  /** Catalogue one-off tasks (run by run-task), in catalogue order. */
  readonly tasks: string[];
  /** The group that approves where promotion needs an approver; it also runs prod and infra applies. */
  readonly adminGroup: string;
}

export function jobContext(platform: Platform, settings: JenkinsSettings): JobContext {
  const approvalGroups = Object.values(platform.environments).flatMap((e) =>
    e.promotion?.approval ? [e.promotion.approval.group] : [],
  );
  return {
    platform,
    settings,
    services: namesOfKind(platform.catalogue, 'service', 'lambda'),
    tasks: namesOfKind(platform.catalogue, 'task'),
    adminGroup: approvalGroups[0] ?? 'admins',
  };
}

/** What one job-kind module adds to the model; the model is their concatenation, in order. */
export interface Contribution {
  readonly folders?: readonly Folder[];
  readonly jobs?: readonly Job[];
  readonly pipelines?: readonly Pipeline[];
}

/** A pipeline shared by every service, and the job that runs it for one service. */
export interface ServiceJobs {
  readonly pipeline: Pipeline;
  job(service: string): Job;
}

/** Who may start jobs in `e`: where promotion needs an approver, only that group. */
export function runnableBy(ctx: JobContext, e: EnvironmentName): string[] {
  return ctx.platform.environments[e].promotion?.approval
    ? [ctx.adminGroup]
    : [ctx.settings.developerGroup, ctx.adminGroup];
}

/** Ops jobs in mgmt: developers and admins. */
export const opsGroups = (ctx: JobContext): string[] => [ctx.settings.developerGroup, ctx.adminGroup];

export function approvalGroupOf(ctx: JobContext, e: EnvironmentName): string | null {
  return ctx.platform.environments[e].promotion?.approval?.group ?? null;
}

/** Checks out the platform repository and installs `tdr` (every agent stage starts with this). */
export function installEngine(ctx: JobContext): Step[] {
  const { settings } = ctx;
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

/** The SERVICE parameter of a job that releases one service (a choice of exactly that one). */
export function serviceParameter(service: string): Parameter {
  return {
    name: 'SERVICE',
    type: 'choice',
    description: 'The service this job releases (fixed for this job)',
    choices: [service],
  };
}
