/** rollback: a service in an environment back to its previous successful release. */
import type { EnvironmentName } from '../../../services/environments';
import { tdrRollback } from '../tdr-commands';
import {
  RECORDED_BY_BUILD,
  env,
  runnableBy,
  serviceParameter,
  type JobContext,
  type ServiceJobs,
} from './context';
import { checkService, releasePipeline } from './skeleton';

export function rollbackJobs(ctx: JobContext, target: EnvironmentName): ServiceJobs {
  const pipeline = releasePipeline(ctx, {
    id: `rollback-${target}`,
    title: `Roll back in ${target}`,
    environment: target,
    timeoutHours: 2,
    disableConcurrentBuilds: true,
    checks: checkService(ctx, target, true),
    action: {
      name: `Roll back in ${target}`,
      lock: { milestone: 1 },
      command: tdrRollback({
        service: env('SERVICE'),
        env: target,
        ...RECORDED_BY_BUILD,
      }),
    },
  });
  return {
    pipeline,
    job: (service) => ({
      path: `${target}/${service}/rollback`,
      kind: 'rollback',
      description: `Rolls ${service} in ${target} back to its previous successful release`,
      environment: target,
      service,
      parameters: [serviceParameter(service)],
      triggers: [],
      pipeline: pipeline.id,
      runnableBy: runnableBy(ctx, target),
    }),
  };
}
