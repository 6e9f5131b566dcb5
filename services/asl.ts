/**
 * Amazon States Language for the catalogue's state machines, generated from their entries rather
 * than pasted JSON, and a validator for what comes out: every `Next` names a state of its scope,
 * every task resource is a function (its `live` alias) or a one-off task of the catalogue.
 *
 * A state machine is its steps in order; each step is a task with the entry's retries, and every
 * step catches any error, hands it to the entry's `onFailure` function (which records the failure,
 * e.g. in the consignment API) and then fails the run. Parallel steps run their tasks side by side.
 * https://docs.aws.amazon.com/step-functions/latest/dg/concepts-amazon-states-language.html
 */
import type { Catalogue, StateMachineEntry, Step } from './catalogue-types';
import type { WorkloadEnvironmentName } from './environments';
import type { ValidationIssue } from './errors';
import { naming } from './naming';
import { entryOfKind } from './queries';

export interface AslState {
  readonly Type: 'Task' | 'Parallel' | 'Fail';
  readonly Comment?: string;
  readonly Resource?: string;
  readonly Parameters?: Readonly<Record<string, unknown>>;
  readonly Branches?: readonly AslDefinition[];
  readonly Retry?: ReadonlyArray<Readonly<Record<string, unknown>>>;
  readonly Catch?: ReadonlyArray<{
    readonly ErrorEquals: readonly string[];
    readonly ResultPath: string;
    readonly Next: string;
  }>;
  readonly ResultPath?: string | null;
  readonly Next?: string;
  readonly End?: boolean;
  readonly Error?: string;
  readonly Cause?: string;
}

export interface AslDefinition {
  readonly Comment?: string;
  readonly StartAt: string;
  readonly TimeoutSeconds?: number;
  readonly States: Readonly<Record<string, AslState>>;
}

/** Where the state machine runs, and the network its ECS tasks get. */
export interface AslTarget {
  readonly env: WorkloadEnvironmentName;
  readonly region: string;
  readonly accountId: string;
  /** Private subnets and security groups of a one-off ECS task step (awsvpc, no public IP). */
  readonly ecsNetwork: {
    readonly subnetIds: readonly string[];
    readonly securityGroupIds: readonly string[];
  };
}

const RECORD_FAILURE = 'RecordFailure';
const FAILED = 'Failed';
/** Step Functions' own integration that runs an ECS task and waits for it to stop. */
export const ECS_RUN_TASK_SYNC = 'arn:aws:states:::ecs:runTask.sync';

/** The ARN triggers call and releases move: the function's `live` alias. */
export function functionAliasArn(fn: string, t: Pick<AslTarget, 'env' | 'region' | 'accountId'>): string {
  return `arn:aws:lambda:${t.region}:${t.accountId}:function:${naming.functionName(fn, t.env)}:${naming.functionAlias()}`;
}

function stepName(step: Step): string {
  if ('function' in step) return step.function;
  if ('ecsTask' in step) return step.ecsTask;
  return step.parallel.map(stepName).join(' + ');
}

function retryOf(entry: StateMachineEntry) {
  const { maxAttempts, intervalSeconds, backoffRate } = entry.retry;
  return maxAttempts === 0
    ? []
    : [
        {
          ErrorEquals: ['States.ALL'],
          MaxAttempts: maxAttempts,
          IntervalSeconds: intervalSeconds,
          BackoffRate: backoffRate,
        },
      ];
}

/** One step as a state, without where it goes next. */
function stateOf(step: Step, entry: StateMachineEntry, t: AslTarget): AslState {
  if ('function' in step) {
    return { Type: 'Task', Resource: functionAliasArn(step.function, t), Retry: retryOf(entry) };
  }
  if ('ecsTask' in step) {
    return {
      Type: 'Task',
      Comment: `one-off ECS task ${step.ecsTask}, waited for until it stops`,
      Resource: ECS_RUN_TASK_SYNC,
      Parameters: {
        Cluster: `arn:aws:ecs:${t.region}:${t.accountId}:cluster/${naming.cluster(step.ecsTask, t.env)}`,
        TaskDefinition: naming.taskFamily(step.ecsTask, t.env),
        LaunchType: 'FARGATE',
        NetworkConfiguration: {
          AwsvpcConfiguration: {
            Subnets: [...t.ecsNetwork.subnetIds],
            SecurityGroups: [...t.ecsNetwork.securityGroupIds],
            AssignPublicIp: 'DISABLED',
          },
        },
      },
      // The task's result is ECS's description of it; the next step needs the execution's input.
      ResultPath: null,
      Retry: retryOf(entry),
    };
  }
  return {
    Type: 'Parallel',
    Branches: step.parallel.map((branch) => {
      const name = stepName(branch);
      return { StartAt: name, States: { [name]: { ...stateOf(branch, entry, t), End: true } } };
    }),
  };
}

/** The entry `name`'s definition in one environment. */
export function stateMachineDefinition(entry: StateMachineEntry, t: AslTarget): AslDefinition {
  const names = entry.steps.map(stepName);
  const states: Record<string, AslState> = {};
  const caught = [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: RECORD_FAILURE }];
  entry.steps.forEach((step, i) => {
    const next = names[i + 1];
    states[names[i]!] = {
      ...stateOf(step, entry, t),
      Catch: caught,
      ...(next ? { Next: next } : { End: true }),
    };
  });
  states[RECORD_FAILURE] = {
    Type: 'Task',
    Comment: `${entry.onFailure} records the failure`,
    Resource: functionAliasArn(entry.onFailure, t),
    Retry: retryOf(entry),
    Next: FAILED,
  };
  states[FAILED] = {
    Type: 'Fail',
    Error: `TDR.${entry.pascalName}Failed`,
    Cause: `a step failed after its retries; ${entry.onFailure} recorded it`,
  };
  return {
    Comment: entry.description,
    StartAt: names[0]!,
    TimeoutSeconds: entry.timeoutSeconds,
    States: states,
  };
}

const LAMBDA_ALIAS_ARN = /^arn:aws:lambda:[a-z0-9-]+:\d{12}:function:([A-Za-z0-9_-]+):([A-Za-z0-9_-]+)$/;

/**
 * What is wrong with `def` for environment `env`: every problem, each with its path inside the
 * definition (`States.download-files.Next`). Empty means valid.
 */
export function validateDefinition(
  def: AslDefinition,
  catalogue: Catalogue,
  env: WorkloadEnvironmentName,
  at = '',
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const states = def.States;
  const path = (s: string) => `${at}States.${s}`;
  if (!Object.prototype.hasOwnProperty.call(states, def.StartAt))
    issues.push({ path: `${at}StartAt`, message: `"${def.StartAt}" is not a state of this scope` });
  let terminal = 0;
  for (const [name, state] of Object.entries(states)) {
    const targets: Array<[string, string]> = [];
    if (state.Next !== undefined) targets.push([`${path(name)}.Next`, state.Next]);
    (state.Catch ?? []).forEach((c, i) => targets.push([`${path(name)}.Catch.${i}.Next`, c.Next]));
    for (const [where, target] of targets) {
      if (!Object.prototype.hasOwnProperty.call(states, target))
        issues.push({ path: where, message: `"${target}" is not a state of this scope` });
    }
    if (state.Type === 'Fail' || state.End) terminal++;
    if (state.Type !== 'Fail' && (state.Next === undefined) === !state.End)
      issues.push({ path: path(name), message: 'needs exactly one of Next or End' });
    if (state.Type === 'Task') issues.push(...checkResource(state, catalogue, env, path(name)));
    (state.Branches ?? []).forEach((b, i) =>
      issues.push(...validateDefinition(b, catalogue, env, `${path(name)}.Branches.${i}.`)),
    );
  }
  if (terminal === 0) issues.push({ path: `${at}States`, message: 'no state ends the execution' });
  return issues;
}

function checkResource(
  state: AslState,
  catalogue: Catalogue,
  env: WorkloadEnvironmentName,
  at: string,
): ValidationIssue[] {
  const resource = state.Resource ?? '';
  if (resource === ECS_RUN_TASK_SYNC) {
    const family = String(state.Parameters?.TaskDefinition ?? '');
    const task = family.endsWith(`-${env}`) ? family.slice(0, -env.length - 1) : '';
    return entryOfKind(catalogue, task, 'task')
      ? []
      : [
          {
            path: `${at}.Parameters.TaskDefinition`,
            message: `"${family}" is not a one-off task of the catalogue in ${env}`,
          },
        ];
  }
  const m = LAMBDA_ALIAS_ARN.exec(resource);
  const fn = m ? m[1]!.replace(/^tdr-/, '').replace(new RegExp(`-${env}$`), '') : '';
  if (!m || !entryOfKind(catalogue, fn, 'lambda') || naming.functionName(fn, env) !== m[1])
    return [
      { path: `${at}.Resource`, message: `"${resource}" is not a function of the catalogue in ${env}` },
    ];
  if (m[2] !== naming.functionAlias())
    return [
      { path: `${at}.Resource`, message: `must call the ${naming.functionAlias()} alias, not ${m[2]}` },
    ];
  return [];
}
