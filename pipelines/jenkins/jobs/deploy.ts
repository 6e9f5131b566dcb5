/** deploy: a service's build starts it over the Jenkins API to release to the environment fed by the build. */
import type { EnvironmentName } from '../../../services/environments';
import { tdrDeploy } from '../tdr-commands';
import {
  env,
  RECORDED_BY_BUILD,
  runnableBy,
  serviceParameter,
  type JobContext,
  type ServiceJobs,
} from './context';
import { triggerE2e } from './e2e';
import { checkService, releasePipeline, requireVersion } from './skeleton';

export function deployJobs(ctx: JobContext, target: EnvironmentName, e2eJobPath: string | null): ServiceJobs {
  const pipeline = releasePipeline(ctx, {
    id: `deploy-${target}`,
    title: `Deploy to ${target}`,
    environment: target,
    timeoutHours: 2,
    disableConcurrentBuilds: false,
    // The actor is the person who started the build, or `jenkins` when a merge did (the ledger's "who").
    checks: [...checkService(ctx, target, true), requireVersion()],
    action: {
      name: `Deploy to ${target}`,
      lock: { milestone: 1 },
      command: tdrDeploy({
        service: env('SERVICE'),
        env: target,
        version: env('VERSION'),
        ...RECORDED_BY_BUILD,
      }),
      after: triggerE2e(e2eJobPath, 'VERSION'),
    },
  });
  return {
    pipeline,
    job: (service) => ({
      path: `${target}/${service}/deploy`,
      kind: 'deploy',
      description: `Deploys a build of ${service} to ${target}. Started by ${service}'s build over the Jenkins API; nobody approves.`,
      environment: target,
      service,
      parameters: [
        serviceParameter(service),
        { name: 'VERSION', type: 'string', defaultValue: '', description: 'Release tag, e.g. v42' },
      ],
      triggers: [{ kind: 'remote', by: `${service}'s build` }],
      pipeline: pipeline.id,
      runnableBy: runnableBy(ctx, target),
    }),
  };
}
