/**
 * platform: the platform repository's own multibranch job. Its pipeline (the root Jenkinsfile)
 * tests and synthesises every branch; on main it applies the automatic environments' stacks,
 * reseeds the jobs, publishes dashboards, and starts (without waiting for) the applies that an
 * admin approves.
 */
import type { EnvironmentName } from '../../../services/environments';
import { CREDENTIAL_IDS } from '../credentials';
import type { Job, Pipeline, Stage } from '../model';
import { runTdr, tdrSynth } from '../tdr-commands';
import {
  DASHBOARDS_JOB,
  opsGroups,
  PLATFORM_JOB,
  PLATFORM_PIPELINE_ID,
  SEED_JOB,
  type JobContext,
} from './context';
import { definePipeline } from './skeleton';

export function platformJob(ctx: JobContext): Job {
  const { settings } = ctx;
  return {
    path: PLATFORM_JOB,
    kind: 'platform',
    description: 'The platform repository: tests, synth, and on main applies intg and reseeds jobs',
    environment: 'mgmt',
    parameters: [],
    triggers: [{ kind: 'push' }],
    runnableBy: opsGroups(ctx),
    repository: {
      owner: settings.githubOrganisation,
      name: settings.platformRepository,
      credentialsId: CREDENTIAL_IDS.github,
    },
  };
}

export function platformPipeline(ctx: JobContext): Pipeline {
  const mgmt: EnvironmentName = 'mgmt';
  const onMain = (name: string, job: string, wait: boolean): Stage => ({
    name,
    branch: ctx.settings.platformBranch,
    steps: [{ kind: 'trigger', job: `/${job}`, wait, parameters: [] }],
  });
  const { environments, promotionPath } = ctx.platform;
  const automatic = promotionPath.filter((e) => environments[e].promotion?.automatic);
  const byHand = promotionPath.filter((e) => !environments[e].promotion?.automatic);
  return definePipeline(ctx, {
    id: PLATFORM_PIPELINE_ID,
    title: 'TDR platform',
    environment: mgmt,
    timeoutHours: 2,
    disableConcurrentBuilds: true,
    stages: [
      {
        name: 'Build',
        agent: mgmt,
        // `npm test` needs moto_server, groovy, chromium, a JRE and the Job DSL engine's build
        // dependencies, which only the platform agent image has (pipelines/jenkins/agent/Dockerfile).
        agentKind: 'platform',
        stages: [
          { name: 'Install', steps: [{ kind: 'checkout-scm' }, { kind: 'shell', argv: ['npm', 'ci'] }] },
          { name: 'Test', steps: [{ kind: 'shell', argv: ['npm', 'test'] }] },
          { name: 'Synth with policies', steps: [runTdr(tdrSynth())] },
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
