/**
 * Builds the Jenkins model from the platform model: every service × environment on the promotion
 * path gets its release jobs, every account its infrastructure jobs, mgmt the ops jobs. Adding a
 * service to the catalogue adds its jobs here; nothing is listed by hand.
 *
 * Each job kind lives in its own module under `jobs/` and returns its folders, jobs and
 * pipelines; this file only puts them in order (the order the seed creates them in).
 */
import type { Platform } from '../../services/config';
import { naming } from '../../services/naming';
import { workloadEnvironmentNames } from '../../services/queries';
import { buildAgentLabel, platformAgentLabel } from './agents';
import { jenkinsCredentials } from './credentials';
import { agentImageJob, buildJobs } from './jobs/build';
import { jobContext, type Contribution } from './jobs/context';
import { dashboardsJob } from './jobs/dashboards';
import { infraJobs } from './jobs/infra';
import { ledgerAdoptJob } from './jobs/adopt';
import { maintenanceJobs } from './jobs/maintenance';
import { platformJob, platformPipeline } from './jobs/platform';
import { releaseJobs } from './jobs/release';
import { releaseReportJob } from './jobs/report';
import { seedJob } from './jobs/seed';
import { runTaskJobs } from './jobs/task';
import { releaseTrainJobs } from './jobs/train';
import type { AgentTemplate, JenkinsModel } from './model';
import { DEFAULT_JENKINS_SETTINGS, type JenkinsSettings } from './settings';

export { allStages, allSteps } from './walk';

export function buildJenkinsModel(
  platform: Platform,
  settings: JenkinsSettings = DEFAULT_JENKINS_SETTINGS,
): JenkinsModel {
  const ctx = jobContext(platform, settings);
  const environments = Object.values(platform.environments);
  const parts: Contribution[] = [
    {
      folders: environments.map((e) => ({
        path: e.name,
        description: `Jobs acting on the ${e.name} account (${e.kind})`,
      })),
    },
    ...platform.promotionPath.flatMap((target) => releaseJobs(ctx, target)),
    ...environments.map((e) => infraJobs(ctx, e.name)),
    ...platform.promotionPath.map((target) => runTaskJobs(ctx, target)),
    ...platform.promotionPath.map((target) => maintenanceJobs(ctx, target)),
    ...platform.promotionPath.map((target) => ledgerAdoptJob(ctx, target)),
    ...platform.promotionPath.map((target) => releaseTrainJobs(ctx, target)),
    seedJob(ctx),
    dashboardsJob(ctx),
    releaseReportJob(ctx),
    { jobs: [platformJob(ctx)] },
    buildJobs(ctx),
    agentImageJob(ctx),
  ];
  return {
    folders: parts.flatMap((p) => p.folders ?? []),
    jobs: parts.flatMap((p) => p.jobs ?? []),
    pipelines: parts.flatMap((p) => p.pipelines ?? []),
    platformPipeline: platformPipeline(ctx),
    agents: agentTemplates(platform, settings),
    credentials: jenkinsCredentials(workloadEnvironmentNames(platform.environments)),
    authorisation: {
      teams: Object.fromEntries(
        [ctx.adminGroup, settings.developerGroup].map((g) => [g, naming.githubTeam(g)]),
      ),
      adminGroup: ctx.adminGroup,
      developerGroup: settings.developerGroup,
    },
    releaseLocks: platform.promotionPath.flatMap((e) =>
      ctx.services.map((s) => naming.jenkinsReleaseLock(s, e)),
    ),
    slackChannel: settings.slackChannel,
  };
}

/** The controller's ECS cloud templates: per environment its release and infra agents; in mgmt the build and platform agents. */
function agentTemplates(platform: Platform, settings: JenkinsSettings): AgentTemplate[] {
  const environments = Object.values(platform.environments);
  const agent = (e: (typeof environments)[number], label: string, taskRole: string): AgentTemplate => ({
    environment: e.name,
    label,
    region: e.region,
    taskRole,
    executionRole: naming.jenkinsAgentExecutionRole(),
    image: settings.agentImage,
    cpu: settings.agentCpu,
    memory: settings.agentMemory,
  });
  // Images are built and pushed in mgmt only, by the same task role as mgmt's other jobs.
  const mgmt = platform.environments.mgmt;
  const agents: AgentTemplate[] = [
    ...environments.map((e) => agent(e, naming.jenkinsAgentLabel(e.name), naming.jenkinsNodeRole(e.name))),
    // The infra jobs' agents (their roles come from the bootstrap).
    ...environments.map((e) =>
      agent(e, naming.jenkinsInfraAgentLabel(e.name), naming.jenkinsInfraRole(e.name)),
    ),
    {
      environment: mgmt.name,
      label: buildAgentLabel(mgmt.name),
      region: mgmt.region,
      taskRole: naming.jenkinsNodeRole(mgmt.name),
      executionRole: naming.jenkinsAgentExecutionRole(),
      image: settings.buildAgentImage,
      cpu: settings.buildAgentCpu,
      memory: settings.buildAgentMemory,
    },
    {
      // The platform's own pipeline: `npm test` (against moto) and an offline synth, on every branch
      // and pull request: a role with no permission, so no branch's code holds AWS credentials.
      environment: mgmt.name,
      label: platformAgentLabel(mgmt.name),
      region: mgmt.region,
      taskRole: naming.jenkinsPlatformAgentRole(),
      executionRole: naming.jenkinsAgentExecutionRole(),
      image: settings.platformAgentImage,
      cpu: settings.platformAgentCpu,
      memory: settings.platformAgentMemory,
    },
  ];
  return agents;
}
