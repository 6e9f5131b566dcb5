/**
 * Validation of the platform model: shape (zod) and cross-references, every problem at once,
 * each naming its path (`catalogue.frontend.cpu.prod: …`).
 */
import { z } from 'zod';
import type { Catalogue } from './catalogue';
import {
  ENVIRONMENT_NAMES,
  WEEKDAYS,
  WORKLOAD_ENVIRONMENTS,
  type Environment,
  type EnvironmentName,
} from './environments';
import type { ValidationIssue } from './errors';
import { FARGATE_CPU_SIZES, fargateMemoryFor } from './fargate';
import { MAINTENANCE_SUBJECT, TRAIN_SUBJECT } from './naming';
import { SSO_APPROVER_ENTRY, builtEntries, ecsEntries, ecsServices, entryOfKind } from './queries';

/** The most approver entries (roles or permission sets) an environment may name. */
const APPROVERS_MAX = 10;
import { buildSourceShape, pascal, perEnv, repositoryPath } from './schema-parts';
import { checkBackend, lambdaSchema, stateMachineSchema } from './validate-backend';
import { DEPENDS_ON_MAX, checkTrainOrder } from './train-order';
import { checkDelivery, deliverySchema, serviceDeliverySchema } from './validate-delivery';

export { PlatformConfigError, type ValidationIssue } from './errors';

const envName = z.enum(ENVIRONMENT_NAMES, {
  error: () => `must be one of ${ENVIRONMENT_NAMES.join(', ')}`,
});
const hhmm = z
  .string()
  .regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, { error: 'must be a time HH:MM between 00:00 and 24:00' });
const port = z
  .number()
  .int()
  .min(1, { error: 'must be a port 1-65535' })
  .max(65535, { error: 'must be a port 1-65535' });
const cpu = z.number().refine((v) => FARGATE_CPU_SIZES.includes(v), {
  error: `must be one of the Fargate sizes ${FARGATE_CPU_SIZES.join(', ')}`,
});
const memory = z.number().int().positive({ error: 'must be a positive number of MiB' });
const repo = z
  .string()
  .regex(/^[a-z0-9]+(?:[._-][a-z0-9]+)*$/, {
    error: 'must be an ECR repository name: lowercase letters, digits, . _ -',
  })
  .max(100);

/** Release-train order (issue 26): names of services, functions or tasks released before this one. */
export const dependsOnSchema = z.array(z.string()).max(DEPENDS_ON_MAX).optional();

const sourceSchema = z.strictObject({
  ...buildSourceShape,
  dockerfile: repositoryPath('e.g. Dockerfile or docker/Dockerfile-update'),
});

const freezeWindowSchema = z.strictObject({
  days: z.array(z.enum(WEEKDAYS, { error: `must be one of ${WEEKDAYS.join(', ')}` })).min(1),
  from: hhmm,
  to: hhmm,
  timezone: z.string().refine(isTimeZone, { error: 'must be an IANA time zone such as Europe/London' }),
  reason: z.string().min(1, { error: 'must say why the window exists' }),
});

const promotionSchema = z.strictObject({
  source: z.union([z.literal('build'), envName], {
    error: `must be build or one of ${ENVIRONMENT_NAMES.join(', ')}`,
  }),
  automatic: z.boolean(),
  approval: z
    .object({
      group: z.string().min(1),
      approvers: z
        .array(
          z
            .string()
            .max(512, { error: 'at most 512 characters (an IAM role path and name)' })
            .regex(/^role\/(?:[\w+=,.@*-]+\/)*[\w+=,.@*-]+$/, {
              error: 'must be an IAM role in the mgmt account, role/{path/}{name} (* matches an SSO suffix)',
            })
            // Identity Center's roles are trusted by the approval role per permission set
            // (infra/definitions/release-approval.ts), so an entry under its path must name one.
            .refine((a) => !a.startsWith('role/aws-reserved/') || SSO_APPROVER_ENTRY.test(a), {
              error:
                'an IAM Identity Center approver is role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_{PermissionSet}_* (a permission set name of 1-32 letters, digits or +=,.@_-)',
            }),
        )
        .min(1, { error: 'must name at least one approver role' })
        // Each permission set costs the approval role's trust policy two ARN patterns (about 200
        // characters of IAM's 2,048 by default), so the list is bounded.
        .max(APPROVERS_MAX, { error: `at most ${APPROVERS_MAX} approver entries` }),
      approverMustNotBePromoter: z.boolean(),
    })
    .nullable(),
  soakMinutes: z.number().int().min(0, { error: 'must be a whole number of minutes, 0 or more' }),
  requiredChecks: z.array(z.string().regex(/^[a-z][a-z0-9-]*$/, { error: 'must be a check name like e2e' })),
  freezeWindows: z.array(freezeWindowSchema),
});

const environmentSchema = z.strictObject({
  name: envName,
  kind: z.enum(['management', 'sandbox', 'workload']),
  region: z.string().regex(/^[a-z]{2}-[a-z]+-\d$/, { error: 'must be an AWS region such as eu-west-2' }),
  roleSuffix: z.string().regex(/^[A-Z][a-z]+$/, { error: 'must be capitalised, e.g. Intg' }),
  domain: z.string().nullable(),
  promotion: promotionSchema.nullable(),
  delivery: deliverySchema.optional(),
});

const sidecarSchema = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9-]{0,254}$/),
  image: z.string().min(1),
  cpu: z.number().int().positive(),
  memory: z.number().int().positive(),
  ports: z.array(port),
});

const serviceSchema = z.strictObject({
  dependsOn: dependsOnSchema,
  kind: z.literal('service'),
  pascalName: pascal,
  description: z.string(),
  imageRepository: repo,
  source: sourceSchema,
  containerPort: port,
  healthCheck: z.strictObject({
    path: z.string().startsWith('/', { error: 'must be an absolute path starting with /' }),
    matcher: z
      .string()
      .regex(/^\d{3}(-\d{3})?(,\d{3}(-\d{3})?)*$/, { error: 'must be HTTP codes such as 200,303' }),
    port,
  }),
  cpu: perEnv(cpu),
  memory: perEnv(memory),
  desiredCount: perEnv(z.number().int().min(0, { error: 'must be 0 or more' })),
  hostnamePrefix: z.string().regex(/^[a-z][a-z0-9-]{0,30}$/, { error: 'must be a DNS label' }),
  sidecars: z.array(sidecarSchema),
  database: z.boolean(),
  delivery: serviceDeliverySchema.optional(),
});

function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}

/** A task input: strings need an anchored pattern, booleans have none. */
const taskInputSchema = z
  .strictObject({
    description: z.string().min(1),
    type: z.enum(['string', 'boolean']),
    pattern: z
      .string()
      .regex(/^\^.*\$$/, { error: 'must be anchored: ^…$' })
      .refine(compiles, { error: 'must be a valid regular expression' })
      .optional(),
    variable: z
      .string()
      .regex(/^[A-Z][A-Z0-9_]*$/, { error: 'must be an environment variable (UPPER_SNAKE)' }),
    required: z.boolean(),
  })
  .refine((i) => (i.type === 'string') === (i.pattern !== undefined), {
    error: 'a string input needs a pattern; a boolean one takes none',
  });

const taskSchema = z.strictObject({
  dependsOn: dependsOnSchema,
  /** A train (issue 26) runs it when its image differs between the environments. */
  runOnRelease: z.boolean().optional(),
  kind: z.literal('task'),
  pascalName: pascal,
  description: z.string(),
  imageRepository: repo,
  source: sourceSchema,
  cpu: perEnv(cpu),
  memory: perEnv(memory),
  inputs: z
    .record(z.string().regex(/^[a-z][A-Za-z0-9]*$/, { error: 'input names are camelCase' }), taskInputSchema)
    .refine(
      (inputs) => new Set(Object.values(inputs).map((i) => i.variable)).size === Object.keys(inputs).length,
      {
        error: 'two inputs are passed as the same variable',
      },
    )
    .optional(),
});

/** Keys become cluster, role and target-group names: short enough for every AWS limit. */
export const SERVICE_NAME_PATTERN = /^(?=.{2,21}$)[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

const platformSchema = z.strictObject({
  environments: z.record(envName, environmentSchema),
  catalogue: z.record(
    z
      .string()
      .regex(SERVICE_NAME_PATTERN, {
        error: 'service names are 2-21 lowercase letters or digits, words joined by single hyphens',
      })
      .refine((name) => name !== MAINTENANCE_SUBJECT, {
        error: `"${MAINTENANCE_SUBJECT}" is the ledger's name for the maintenance switch: choose another name`,
      })
      .refine((name) => name !== TRAIN_SUBJECT, {
        error: `"${TRAIN_SUBJECT}" is the ledger's name for release trains: choose another name`,
      }),
    z.discriminatedUnion('kind', [serviceSchema, taskSchema, lambdaSchema, stateMachineSchema], {
      error: 'kind must be service, task, lambda or stepFunction',
    }),
  ),
});

/** Exhaustive over the five environments: zod reports each missing one by name. */
export const accountIdsSchema = z.record(
  envName,
  z
    .string({
      error: (iss) =>
        iss.input === undefined
          ? 'is missing: every account needs a 12-digit id'
          : 'must be a 12-digit AWS account id',
    })
    .regex(/^\d{12}$/, { error: 'must be a 12-digit AWS account id' }),
);

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export function zodIssues(error: z.ZodError, prefix: string): ValidationIssue[] {
  return error.issues.map((issue) => ({
    path: [prefix, ...issue.path.map(String)].filter(Boolean).join('.'),
    // A bad record key carries the key schema's own message one level down.
    message: issue.code === 'invalid_key' ? issue.issues.map((i) => i.message).join('; ') : issue.message,
  }));
}

export interface PlatformModel {
  readonly environments: Readonly<Record<EnvironmentName, Environment>>;
  readonly catalogue: Catalogue;
}

/** Every problem in `input`, shape first, then cross-references. Empty means valid. */
export function validatePlatform(input: unknown): ValidationIssue[] {
  const parsed = platformSchema.safeParse(input);
  if (!parsed.success) return zodIssues(parsed.error, '');
  const model = parsed.data as unknown as PlatformModel;
  return [
    ...checkEnvironments(model),
    ...checkCatalogue(model),
    ...checkBackend(model),
    ...checkDelivery(model),
    ...checkTrainOrder(model.catalogue),
  ];
}

function checkEnvironments({ environments }: PlatformModel): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const name of ENVIRONMENT_NAMES) {
    if (!environments[name]) issues.push({ path: `environments.${name}`, message: 'is missing' });
  }
  for (const [name, env] of Object.entries(environments)) {
    const at = `environments.${name}`;
    if (env.name !== name) issues.push({ path: `${at}.name`, message: `must equal its key "${name}"` });
    const promotion = env.promotion;
    if (!promotion) {
      if (env.kind === 'workload')
        issues.push({ path: `${at}.promotion`, message: 'a workload environment needs a promotion source' });
      continue;
    }
    if (env.kind !== 'workload') {
      issues.push({
        path: `${at}.promotion`,
        message: `only workload environments are promoted into; ${name} is ${env.kind}`,
      });
    }
    if (promotion.source !== 'build') {
      const source = environments[promotion.source];
      if (!source)
        issues.push({
          path: `${at}.promotion.source`,
          message: `"${promotion.source}" is not an environment`,
        });
      else if (source.kind !== 'workload') {
        issues.push({
          path: `${at}.promotion.source`,
          message: `"${promotion.source}" is ${source.kind}: promote only from build or a workload environment`,
        });
      }
    }
    if (promotion.automatic && promotion.approval) {
      issues.push({
        path: `${at}.promotion.approval`,
        message: 'an automatic promotion cannot also require approval',
      });
    }
    promotion.freezeWindows.forEach((w, i) => {
      if (w.from >= w.to)
        issues.push({
          path: `${at}.promotion.freezeWindows.${i}.to`,
          message: `must be after from (${w.from})`,
        });
    });
  }
  issues.push(...checkPromotionCycles(environments));
  return issues;
}

function checkPromotionCycles(environments: PlatformModel['environments']): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const reported = new Set<string>();
  for (const start of Object.keys(environments)) {
    const seen: string[] = [];
    let current: string | undefined = start;
    while (current && current !== 'build') {
      if (seen.includes(current)) {
        const cycle = seen.slice(seen.indexOf(current));
        const key = [...cycle].sort().join(',');
        if (!reported.has(key)) {
          reported.add(key);
          issues.push({
            path: `environments.${current}.promotion.source`,
            message: `promotion path has a cycle: ${[...cycle, current].join(' → ')}`,
          });
        }
        break;
      }
      seen.push(current);
      current = environments[current as EnvironmentName]?.promotion?.source;
    }
  }
  return issues;
}

/**
 * Entries built from one repository share its build job: one main branch, one test command,
 * one package command. The first entry of a repository is the one the others must agree with.
 */
function checkSources({ catalogue }: PlatformModel): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const first = new Map<string, string>();
  for (const [name, entry] of builtEntries(catalogue)) {
    const owner = first.get(entry.source.repository);
    if (!owner) {
      first.set(entry.source.repository, name);
      continue;
    }
    const theirs = entryOfKind(catalogue, owner, 'service', 'task', 'lambda')?.source;
    for (const field of ['mainBranch', 'test', 'package'] as const) {
      if (theirs && theirs[field] !== entry.source[field])
        issues.push({
          path: `catalogue.${name}.source.${field}`,
          message: `must equal ${owner}'s (${JSON.stringify(theirs[field])}): both are built from ${entry.source.repository}`,
        });
    }
  }
  return issues;
}

function checkCatalogue(model: PlatformModel): ValidationIssue[] {
  const { catalogue } = model;
  const issues: ValidationIssue[] = [...checkSources(model)];
  // Role names differ by kind (`EcsTaskRole`, `LambdaRole`, `StateMachineRole`): unique per kind.
  const pascalNames = new Map<string, string>();
  for (const [name, entry] of Object.entries(catalogue)) {
    const family = entry.kind === 'task' ? 'service' : entry.kind;
    const other = pascalNames.get(`${family} ${entry.pascalName}`);
    if (other)
      issues.push({
        path: `catalogue.${name}.pascalName`,
        message: `"${entry.pascalName}" is already used by ${other}`,
      });
    pascalNames.set(`${family} ${entry.pascalName}`, name);
  }
  for (const [name, entry] of ecsEntries(catalogue)) {
    const at = `catalogue.${name}`;
    for (const env of WORKLOAD_ENVIRONMENTS) {
      const allowed = fargateMemoryFor(entry.cpu[env]);
      if (allowed.length > 0 && !allowed.includes(entry.memory[env])) {
        issues.push({
          path: `${at}.memory.${env}`,
          message: `${entry.memory[env]} MiB is not a Fargate size for ${entry.cpu[env]} cpu; allowed: ${allowed[0]}-${allowed[allowed.length - 1]} in steps of ${(allowed[1] ?? 0) - (allowed[0] ?? 0)}`,
        });
      }
    }
  }
  const hostnames = new Map<string, string>();
  for (const [name, entry] of ecsServices(catalogue)) {
    const at = `catalogue.${name}`;
    const hostOwner = hostnames.get(entry.hostnamePrefix);
    if (hostOwner)
      issues.push({
        path: `${at}.hostnamePrefix`,
        message: `"${entry.hostnamePrefix}" is already used by ${hostOwner}`,
      });
    hostnames.set(entry.hostnamePrefix, name);
    const ports = new Map<number, string>([[entry.containerPort, 'containerPort']]);
    entry.sidecars.forEach((sidecar, i) => {
      sidecar.ports.forEach((p, j) => {
        const owner = ports.get(p);
        if (owner)
          issues.push({
            path: `${at}.sidecars.${i}.ports.${j}`,
            message: `port ${p} is already used by ${owner} in this task`,
          });
        ports.set(p, `sidecars.${i}`);
      });
    });
    if (
      entry.healthCheck.port !== entry.containerPort &&
      ports.has(entry.healthCheck.port) &&
      ports.get(entry.healthCheck.port) !== 'containerPort'
    ) {
      issues.push({
        path: `${at}.healthCheck.port`,
        message: `port ${entry.healthCheck.port} belongs to a sidecar, not to ${name}`,
      });
    }
    const sidecarCpu = entry.sidecars.reduce((sum, s) => sum + s.cpu, 0);
    const sidecarMemory = entry.sidecars.reduce((sum, s) => sum + s.memory, 0);
    for (const env of WORKLOAD_ENVIRONMENTS) {
      if (sidecarCpu >= entry.cpu[env]) {
        issues.push({
          path: `${at}.cpu.${env}`,
          message: `${entry.cpu[env]} leaves nothing for ${name} after its sidecars' ${sidecarCpu}`,
        });
      }
      if (sidecarMemory >= entry.memory[env]) {
        issues.push({
          path: `${at}.memory.${env}`,
          message: `${entry.memory[env]} MiB leaves nothing for ${name} after its sidecars' ${sidecarMemory} MiB`,
        });
      }
    }
  }
  return issues;
}
