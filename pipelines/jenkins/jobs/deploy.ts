/** deploy: a service's build starts it over the Jenkins API to release to the environment fed by the build. */
import type { EnvironmentName } from '../../../services/environments';
import type { Step } from '../model';
import { tdrDeploy } from '../tdr-commands';
import { BUILD_VERSION_PATTERN_SOURCE, VERSION_PATTERN_SOURCE } from '../../../services/versions';
import {
  deployJobPath,
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
    checks: [
      ...checkService(ctx, target, true),
      // A branch build (branch-<name>-<sha7>) may go where builds go, and nowhere further.
      requireVersion(
        false,
        'a release tag such as v42 or a branch build such as branch-fix-1a2b3c4',
        BUILD_VERSION_PATTERN_SOURCE,
      ),
      {
        kind: 'require-pattern',
        parameter: 'GIT_COMMIT',
        pattern: '^[0-9a-f]{7,40}$',
        optional: true,
        hint: 'a git commit (7 to 40 lowercase hexadecimal digits)',
      },
    ],
    action: {
      name: `Deploy to ${target}`,
      lock: { milestone: 1 },
      command: tdrDeploy({
        service: env('SERVICE'),
        env: target,
        version: env('VERSION'),
        gitCommit: env('GIT_COMMIT'),
        ...RECORDED_BY_BUILD,
      }),
      // e2e checks release versions only; a branch build is a developer's own test.
      after: releaseOnly(triggerE2e(e2eJobPath, 'VERSION')),
    },
  });
  return {
    pipeline,
    job: (service) => ({
      path: deployJobPath(target, service),
      kind: 'deploy',
      description: `Deploys a build of ${service} to ${target}. Started by ${service}'s build over the Jenkins API; nobody approves.`,
      environment: target,
      service,
      parameters: [
        serviceParameter(service),
        {
          name: 'VERSION',
          type: 'string',
          defaultValue: '',
          description: 'Release tag, e.g. v42, or a branch build, e.g. branch-fix-1a2b3c4',
        },
        {
          name: 'GIT_COMMIT',
          type: 'string',
          defaultValue: '',
          description: 'The commit the version was built from (the build passes it; recorded in the ledger)',
        },
      ],
      triggers: [{ kind: 'remote', by: `${service}'s build` }],
      pipeline: pipeline.id,
      runnableBy: runnableBy(ctx, target),
    }),
  };
}

function releaseOnly(steps: readonly Step[]): Step[] {
  return steps.length === 0
    ? []
    : [{ kind: 'if-matches', parameter: 'VERSION', pattern: VERSION_PATTERN_SOURCE, steps }];
}
