/**
 * The inputs of a one-off task run (`--input KEY=VALUE`, repeatable), checked against the task's
 * declaration in the catalogue before anything is called: every problem at once, each naming the
 * input and what it allows. Pure; the CLI maps the error's kind to exit 2.
 */
import type { TaskInput } from './catalogue';
import { PlatformError } from './errors';

export type TaskInputValue = string | boolean;
export type TaskInputValues = Readonly<Record<string, TaskInputValue>>;

export class TaskInputError extends PlatformError {
  readonly kind = 'invalid';
  constructor(
    readonly task: string,
    readonly problems: readonly string[],
  ) {
    super(`task ${task}: ${problems.join('; ')}`);
    this.name = 'TaskInputError';
  }
}

/** What an input allows, in words: `consignmentId (a string matching ^…$, required)`. */
export function describeInput(name: string, input: TaskInput): string {
  const what =
    input.type === 'boolean' ? 'true or false' : `a string matching ${input.pattern ?? 'anything'}`;
  return `${name} (${what}${input.required ? ', required' : ''})`;
}

function takes(declared: Readonly<Record<string, TaskInput>>): string {
  const names = Object.entries(declared);
  return names.length === 0
    ? 'it takes no inputs'
    : `it takes ${names.map(([n, i]) => describeInput(n, i)).join(', ')}`;
}

function valueProblem(name: string, input: TaskInput, raw: string): string | undefined {
  if (input.type === 'boolean') {
    return raw === 'true' || raw === 'false' ? undefined : `${name} must be true or false, not "${raw}"`;
  }
  if (input.pattern !== undefined && !new RegExp(input.pattern).test(raw)) {
    return `${name} "${raw}" does not match ${input.pattern} (${input.description})`;
  }
  return undefined;
}

/** `KEY=VALUE` pairs → typed values, or a TaskInputError listing every problem. */
export function parseTaskInputs(
  task: string,
  declared: Readonly<Record<string, TaskInput>> | undefined,
  pairs: readonly string[],
): TaskInputValues {
  const inputs = declared ?? {};
  const problems: string[] = [];
  const values: Record<string, TaskInputValue> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) {
      problems.push(`"${pair}" is not KEY=VALUE`);
      continue;
    }
    const name = pair.slice(0, at);
    const raw = pair.slice(at + 1);
    const input = Object.prototype.hasOwnProperty.call(inputs, name) ? inputs[name] : undefined;
    if (!input) {
      problems.push(`${name} is not an input of ${task}: ${takes(inputs)}`);
      continue;
    }
    if (name in values) {
      problems.push(`${name} is given more than once`);
      continue;
    }
    const problem = valueProblem(name, input, raw);
    if (problem) problems.push(problem);
    else values[name] = input.type === 'boolean' ? raw === 'true' : raw;
  }
  for (const [name, input] of Object.entries(inputs)) {
    if (input.required && !(name in values) && !pairs.some((p) => p.startsWith(`${name}=`))) {
      problems.push(`${name} is required: ${describeInput(name, input)}, ${input.description}`);
    }
  }
  if (problems.length > 0) throw new TaskInputError(task, problems);
  return values;
}

/** The container environment a run's inputs become (for the task's container overrides). */
export function taskInputEnvironment(
  declared: Readonly<Record<string, TaskInput>> | undefined,
  values: TaskInputValues,
): Array<{ name: string; value: string }> {
  return Object.entries(values).map(([name, value]) => ({
    name: declared?.[name]?.variable ?? name,
    value: String(value),
  }));
}
