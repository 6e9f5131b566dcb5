/**
 * run-task: one job per environment on the promotion path that runs a catalogue one-off task
 * (database migrations, reference data, Keycloak updates, re-exporting a consignment), approved
 * where releases are. Every input a task declares in the catalogue is a parameter of the job,
 * named by the variable it reaches the container as and checked against its pattern first.
 */
import type { TaskInput } from '../../../services/catalogue';
import type { EnvironmentName } from '../../../services/environments';
import { oneOffTasks } from '../../../services/queries';
import { describeInput } from '../../../services/task-inputs';
import type { Parameter, Step } from '../model';
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

/** A declared input, with the tasks that declare it (one parameter serves them all). */
interface InputParameter {
  readonly name: string;
  readonly input: TaskInput;
  readonly tasks: readonly string[];
}

/** The job parameters for every task's inputs, by variable; one variable must mean one thing. */
export function inputParameters(ctx: JobContext): InputParameter[] {
  const byVariable = new Map<string, InputParameter>();
  for (const [task, entry] of oneOffTasks(ctx.platform.catalogue)) {
    for (const [name, input] of Object.entries(entry.inputs ?? {})) {
      const seen = byVariable.get(input.variable);
      if (
        seen &&
        (seen.name !== name || seen.input.type !== input.type || seen.input.pattern !== input.pattern)
      ) {
        throw new Error(
          `run-task: ${task}.${name} and ${seen.tasks.join(', ')}.${seen.name} are both passed as ${input.variable} but differ`,
        );
      }
      byVariable.set(input.variable, { name, input, tasks: [...(seen?.tasks ?? []), task] });
    }
  }
  return [...byVariable.values()];
}

function parameterOf(p: InputParameter): Parameter {
  const description = `${p.tasks.join(', ')} only: ${p.input.description}; ${describeInput(p.name, p.input)}`;
  return p.input.type === 'boolean'
    ? { name: p.input.variable, type: 'boolean', defaultValue: 'false', description }
    : { name: p.input.variable, type: 'string', defaultValue: '', description };
}

/** A string input is checked against its pattern before anything runs (empty: not given). */
function checkOf(p: InputParameter): Step[] {
  if (p.input.type !== 'string' || p.input.pattern === undefined) return [];
  return [
    {
      kind: 'require-pattern',
      parameter: p.input.variable,
      pattern: p.input.pattern,
      optional: true,
      hint: `a value matching ${p.input.pattern} (${p.name}: ${p.input.description})`,
    },
  ];
}

export function runTaskJobs(ctx: JobContext, target: EnvironmentName): Contribution {
  if (ctx.tasks.length === 0) return {};
  const id = `run-task-${target}`;
  const approvalGroup = approvalGroupOf(ctx, target);
  const inputs = inputParameters(ctx);
  const pipeline = releasePipeline(ctx, {
    id,
    title: `One-off task in ${target}`,
    environment: target,
    timeoutHours: timeoutHours(ctx, approvalGroup !== null),
    disableConcurrentBuilds: true,
    checks: [
      { kind: 'require-choice', parameter: 'TASK', choices: ctx.tasks },
      requireVersion(),
      ...inputs.flatMap(checkOf),
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
    // One stage per task, run only for the chosen TASK, passing that task's inputs only: tdr
    // refuses an input the task does not declare.
    action: oneOffTasks(ctx.platform.catalogue).map(([task, entry]) => ({
      name: `Run ${task}`,
      when: [{ kind: 'parameter-is', parameter: 'TASK', value: task }],
      command: tdrTaskRun({
        task,
        env: target,
        version: env('VERSION'),
        inputs: Object.entries(entry.inputs ?? {}).map(([name, input]) => ({
          name,
          value: env(input.variable),
        })),
        ...RECORDED_BY_BUILD,
      }),
    })),
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
          ...inputs.map(parameterOf),
        ],
        triggers: [],
        pipeline: id,
        runnableBy: runnableBy(ctx, target),
      },
    ],
  };
}
