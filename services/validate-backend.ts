/**
 * Validation of the serverless backend's entries: Lambda functions (runtime, memory, timeout,
 * triggers) and Step Functions state machines (every step names an entry that exists, and the
 * function knows it is called from there). Shape first (zod, in ./validate.ts's union), then
 * cross-references, every problem at once, each naming its field.
 */
import { z } from 'zod';
import { LAMBDA_RUNTIMES, type Catalogue, type Step } from './catalogue';
import type { ValidationIssue } from './errors';
import { WORKLOAD_BUCKET_FUNCTIONS } from './naming';
import { entryOfKind, functions, stateMachines, stepReferences } from './queries';
import { buildSourceShape, pascal, perEnv, repositoryPath } from './schema-parts';
import { functionDeliveryOverridesSchema } from './validate-delivery';

/** Lambda's limits: memory 128–10,240 MiB, timeout at most 900 seconds (15 minutes). */
export const LAMBDA_MEMORY_MIB = { min: 128, max: 10_240 } as const;
export const LAMBDA_MAX_TIMEOUT_SECONDS = 900;

const memory = z
  .number()
  .int({ error: 'must be a whole number of MiB' })
  .min(LAMBDA_MEMORY_MIB.min, { error: `must be ${LAMBDA_MEMORY_MIB.min}-${LAMBDA_MEMORY_MIB.max} MiB` })
  .max(LAMBDA_MEMORY_MIB.max, { error: `must be ${LAMBDA_MEMORY_MIB.min}-${LAMBDA_MEMORY_MIB.max} MiB` });
const timeout = z
  .number()
  .int({ error: 'must be a whole number of seconds' })
  .min(1, { error: `must be 1-${LAMBDA_MAX_TIMEOUT_SECONDS} seconds` })
  .max(LAMBDA_MAX_TIMEOUT_SECONDS, {
    error: `must be at most ${LAMBDA_MAX_TIMEOUT_SECONDS} seconds (Lambda's limit)`,
  });
const bucket = z.enum(WORKLOAD_BUCKET_FUNCTIONS, {
  error: `must be one of the workload buckets ${WORKLOAD_BUCKET_FUNCTIONS.join(', ')}`,
});
const entryName = z.string().regex(/^[a-z][a-z0-9-]*$/, { error: 'must name a catalogue entry' });

const triggerSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({
      kind: z.literal('s3'),
      bucket,
      events: z
        .array(z.string().regex(/^s3:[A-Za-z]+:[A-Za-z*]+$/, { error: 'must be an S3 event type' }))
        .min(1),
    }),
    z.strictObject({
      kind: z.literal('sqs'),
      queue: z
        .string()
        .regex(/^[a-z][a-z0-9-]{0,40}$/, { error: 'must be a queue name (lowercase, hyphens)' }),
      batchSize: z.number().int().min(1).max(10_000),
      deadLetterQueue: z.strictObject({ maxReceiveCount: z.number().int().min(1).max(1000) }).optional(),
    }),
    z.strictObject({
      kind: z.literal('schedule'),
      expression: z.string().regex(/^(rate|cron)\(.+\)$/, { error: 'must be rate(…) or cron(…)' }),
    }),
    z.strictObject({ kind: z.literal('stepFunction'), stateMachine: entryName }),
    z.strictObject({ kind: z.literal('apiGateway'), api: z.string().regex(/^[a-z][a-z0-9-]*$/) }),
  ],
  { error: 'kind must be s3, sqs, schedule, stepFunction or apiGateway' },
);

export const lambdaSchema = z.strictObject({
  dependsOn: z.array(z.string()).max(20).optional(),
  kind: z.literal('lambda'),
  pascalName: pascal,
  description: z.string(),
  source: z.strictObject({
    ...buildSourceShape,
    artifact: repositoryPath('e.g. target/scala-2.13/checksum.jar').regex(/\.(jar|zip)$/, {
      error: 'must be a .jar or .zip file',
    }),
    buildFile: repositoryPath('e.g. build.sbt'),
  }),
  runtime: z.enum(LAMBDA_RUNTIMES, { error: `must be one of the runtimes ${LAMBDA_RUNTIMES.join(', ')}` }),
  handler: z.string().min(1, { error: 'must name the handler' }),
  memory: perEnv(memory),
  timeoutSeconds: perEnv(timeout),
  reservedConcurrency: z.number().int().min(1, { error: 'must be 1 or more, or null' }).nullable(),
  network: z.strictObject({ vpc: z.boolean(), database: z.string().optional() }),
  triggers: z.array(triggerSchema),
  access: z.strictObject({
    readBuckets: z.array(bucket),
    writeBuckets: z.array(bucket),
    parameters: z.array(
      z.string().regex(/^\/\{env\}\/[A-Za-z0-9_./-]+$/, {
        error: 'must be an SSM path under the environment: /{env}/…',
      }),
    ),
    topics: z.array(z.enum(['consignment-export', 'notifications'])),
    readMetrics: z.boolean().optional(),
  }),
  delivery: functionDeliveryOverridesSchema.optional(),
});

const stepSchema: z.ZodType<Step> = z.lazy(() =>
  z.union(
    [
      z.strictObject({ function: entryName }),
      z.strictObject({ ecsTask: entryName }),
      z
        .object({ parallel: z.array(stepSchema).min(2, { error: 'a parallel step has 2 or more branches' }) })
        .strict(),
    ],
    { error: 'a step is { function }, { ecsTask } or { parallel: [steps] }' },
  ),
);

export const stateMachineSchema = z.strictObject({
  kind: z.literal('stepFunction'),
  pascalName: pascal,
  description: z.string(),
  steps: z.array(stepSchema).min(1, { error: 'a state machine has at least one step' }),
  retry: z.strictObject({
    maxAttempts: z.number().int().min(0).max(10),
    intervalSeconds: z.number().int().min(1),
    backoffRate: z.number().min(1),
  }),
  onFailure: entryName,
  timeoutSeconds: z.number().int().positive(),
});

/** Cross-references of functions and state machines (shapes are already valid). */
export function checkBackend({ catalogue }: { readonly catalogue: Catalogue }): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const fnNames = functions(catalogue).map(([n]) => n);
  const fnList = fnNames.join(', ');
  for (const [name, entry] of functions(catalogue)) {
    const at = `catalogue.${name}`;
    entry.triggers.forEach((t, i) => {
      if (t.kind === 'sqs' && !t.deadLetterQueue)
        issues.push({
          path: `${at}.triggers.${i}.deadLetterQueue`,
          message: `an SQS trigger needs a dead-letter queue ({ maxReceiveCount }): a message that keeps failing must not be retried forever`,
        });
      if (t.kind === 'stepFunction') {
        const machine = entryOfKind(catalogue, t.stateMachine, 'stepFunction');
        if (!machine)
          issues.push({
            path: `${at}.triggers.${i}.stateMachine`,
            message: `"${t.stateMachine}" is not a stepFunction of the catalogue`,
          });
        else if (!usesFunction(machine.steps, machine.onFailure, name))
          issues.push({
            path: `${at}.triggers.${i}.stateMachine`,
            message: `${t.stateMachine} has no step calling ${name}`,
          });
      }
    });
    const db = entry.network.database;
    if (db !== undefined) {
      const owner = entryOfKind(catalogue, db, 'service');
      if (!owner?.database)
        issues.push({
          path: `${at}.network.database`,
          message: `"${db}" is not a catalogue service with a database`,
        });
      if (!entry.network.vpc)
        issues.push({
          path: `${at}.network.vpc`,
          message: 'must be true: the database is only reachable in the VPC',
        });
    }
  }
  for (const [name, machine] of stateMachines(catalogue)) {
    const at = `catalogue.${name}`;
    const refs = [
      ...stepReferences(machine.steps, `${at}.steps`),
      { path: `${at}.onFailure`, function: machine.onFailure },
    ];
    for (const ref of refs) {
      if (ref.function !== undefined) {
        const fn = entryOfKind(catalogue, ref.function, 'lambda');
        if (!fn)
          issues.push({
            path: ref.path,
            message: `"${ref.function}" is not a lambda of the catalogue; valid: ${fnList}`,
          });
        else if (!fn.triggers.some((t) => t.kind === 'stepFunction' && t.stateMachine === name))
          issues.push({
            path: ref.path,
            message: `${ref.function} must list { kind: 'stepFunction', stateMachine: '${name}' } in its triggers (its role and permissions follow from them)`,
          });
      }
      if (ref.ecsTask !== undefined && !entryOfKind(catalogue, ref.ecsTask, 'task'))
        issues.push({ path: ref.path, message: `"${ref.ecsTask}" is not a one-off task of the catalogue` });
    }
  }
  return issues;
}

function usesFunction(steps: readonly Step[], onFailure: string, fn: string): boolean {
  return onFailure === fn || stepReferences(steps, '').some((r) => r.function === fn);
}
