/**
 * run-task: one job per environment on the promotion path that runs a catalogue one-off task
 * (database migrations, reference data, Keycloak updates), approved where releases are.
 */
import type { EnvironmentName } from '../../../services/environments';
import { tdrTaskRun } from '../tdr-commands';
import {
  approvalGroupOf,
  RECORDED_BY_BUILD,
  env,
  runnableBy,
  VARIABLES,
  type Contribution,
  type JobContext,
} from './context';
import { approvalStage, releasePipeline, requireVersion, timeoutHours } from './skeleton';

export function runTaskJobs(ctx: JobContext, target: EnvironmentName): Contribution {
  if (ctx.tasks.length === 0) return {};
  const id = `run-task-${target}`;
  const approvalGroup = approvalGroupOf(ctx, target);
  const pipeline = releasePipeline(ctx, {
    id,
    title: `One-off task in ${target}`,
    environment: target,
    timeoutHours: timeoutHours(ctx, approvalGroup !== null),
    disableConcurrentBuilds: true,
    checks: [
      { kind: 'require-choice', parameter: 'TASK', choices: ctx.tasks },
      requireVersion(),
      { kind: 'capture-actor', variable: VARIABLES.actor },
    ],
    gates: approvalGroup
      ? [
          approvalStage(
            ctx,
            approvalGroup,
            [
              'Run ',
              env('TASK'),
              ' ',
              env('VERSION'),
              ` in ${target}? Started by `,
              env(VARIABLES.actor),
              '.',
            ],
            `Run in ${target}`,
          ),
        ]
      : [],
    action: {
      name: 'Run task',
      command: tdrTaskRun({
        task: env('TASK'),
        env: target,
        version: env('VERSION'),
        ...RECORDED_BY_BUILD,
      }),
    },
  });
  return {
    pipelines: [pipeline],
    jobs: [
      {
        path: `${target}/run-task`,
        kind: 'run-task',
        description: `Runs a one-off ECS task in ${target}: database migrations, reference data (series, departments), Keycloak updates`,
        environment: target,
        parameters: [
          { name: 'TASK', type: 'choice', description: 'The one-off task to run', choices: ctx.tasks },
          {
            name: 'VERSION',
            type: 'string',
            defaultValue: '',
            description: 'Release tag of the task image, e.g. v42',
          },
        ],
        triggers: [],
        pipeline: id,
        runnableBy: runnableBy(ctx, target),
      },
    ],
  };
}
