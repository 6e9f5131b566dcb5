/**
 * The one place that asks the model "which entries of this kind": every folder filters the
 * catalogue and the environments through here rather than by `kind` on its own.
 */
import type {
  Catalogue,
  CatalogueEntry,
  EcsServiceEntry,
  FunctionTrigger,
  FunctionTriggerKind,
  LambdaEntry,
  OneOffTaskEntry,
  StateMachineEntry,
  Step,
} from './catalogue';
import {
  ROLLING_WITH_CIRCUIT_BREAKER,
  functionDeliveryFrom,
  type DeliveryStrategy,
  type FunctionDelivery,
} from './delivery';
import type { Environment, EnvironmentKind, EnvironmentName, WorkloadEnvironmentName } from './environments';
import { MAINTENANCE_SUBJECT } from './naming';

export type EntryKind = CatalogueEntry['kind'];
type EntryOfKind<K extends EntryKind> = Extract<CatalogueEntry, { kind: K }>;

/** Entries of the given kinds, in catalogue order, as `[name, entry]`. */
export function entriesOfKind<K extends EntryKind>(
  catalogue: Catalogue,
  ...kinds: readonly K[]
): Array<[string, EntryOfKind<K>]> {
  return Object.entries(catalogue).filter((e): e is [string, EntryOfKind<K>] =>
    (kinds as readonly string[]).includes(e[1].kind),
  );
}

/** Names of the entries of the given kinds, in catalogue order. */
export function namesOfKind(catalogue: Catalogue, ...kinds: readonly EntryKind[]): string[] {
  return entriesOfKind(catalogue, ...kinds).map(([name]) => name);
}

/**
 * Everything the release ledger keeps records of, by its key: the services, functions and one-off
 * tasks of the catalogue, and the environment's maintenance switch.
 */
export function ledgerSubjects(catalogue: Catalogue): string[] {
  return [...namesOfKind(catalogue, 'service', 'lambda', 'task'), MAINTENANCE_SUBJECT];
}

/** The long-running ECS services (what deploy, promote and rollback move). */
export const ecsServices = (catalogue: Catalogue): Array<[string, EcsServiceEntry]> =>
  entriesOfKind(catalogue, 'service');

/** The one-off ECS tasks (what `tdr task run` starts). */
export const oneOffTasks = (catalogue: Catalogue): Array<[string, OneOffTaskEntry]> =>
  entriesOfKind(catalogue, 'task');

/** Everything that runs on ECS (services and one-off tasks): what has a cluster, an image and task roles. */
export const ecsEntries = (catalogue: Catalogue): Array<[string, EcsServiceEntry | OneOffTaskEntry]> =>
  entriesOfKind(catalogue, 'service', 'task');

/** The Lambda functions of the serverless backend (released by moving their `live` alias). */
export const functions = (catalogue: Catalogue): Array<[string, LambdaEntry]> =>
  entriesOfKind(catalogue, 'lambda');

/** The Step Functions state machines (built from the catalogue, never released on their own). */
export const stateMachines = (catalogue: Catalogue): Array<[string, StateMachineEntry]> =>
  entriesOfKind(catalogue, 'stepFunction');

/** Entries built from a source repository: images (services, tasks) and function packages. */
export const builtEntries = (
  catalogue: Catalogue,
): Array<[string, EcsServiceEntry | OneOffTaskEntry | LambdaEntry]> =>
  entriesOfKind(catalogue, 'service', 'task', 'lambda');

/** A function's triggers of one kind. */
export function triggersOfKind<K extends FunctionTriggerKind>(
  entry: LambdaEntry,
  kind: K,
): Array<Extract<FunctionTrigger, { kind: K }>> {
  return entry.triggers.filter((t): t is Extract<FunctionTrigger, { kind: K }> => t.kind === kind);
}

/** The file name a function's package has in the code bucket: its artifact's own. */
export function functionPackageFile(entry: LambdaEntry): string {
  return entry.source.artifact.split('/').at(-1) ?? entry.source.artifact;
}

/** S3 and EventBridge invoke a function asynchronously: a failed event must go somewhere. */
export const ASYNC_TRIGGER_KINDS: readonly FunctionTriggerKind[] = ['s3', 'schedule'];

/**
 * Whether the function needs a dead-letter queue of its own: it has an SQS trigger (the queue's
 * redrive target) or is invoked asynchronously (the on-failure destination).
 */
export const needsDeadLetterQueue = (entry: LambdaEntry): boolean =>
  entry.triggers.some((t) => t.kind === 'sqs' || ASYNC_TRIGGER_KINDS.includes(t.kind));

/** Every `{ function }` / `{ ecsTask }` of `steps` with its path under `at`. */
export function stepReferences(
  steps: readonly Step[],
  at: string,
): Array<{ path: string; function?: string; ecsTask?: string }> {
  return steps.flatMap((step, i) => {
    const here = `${at}.${i}`;
    if ('parallel' in step) return stepReferences(step.parallel, `${here}.parallel`);
    if ('function' in step) return [{ path: `${here}.function`, function: step.function }];
    return [{ path: `${here}.ecsTask`, ecsTask: step.ecsTask }];
  });
}

/** The entry `name` if it is of one of `kinds`, else undefined. */
export function entryOfKind<K extends EntryKind>(
  catalogue: Catalogue,
  name: string,
  ...kinds: readonly K[]
): EntryOfKind<K> | undefined {
  const entry = Object.prototype.hasOwnProperty.call(catalogue, name) ? catalogue[name] : undefined;
  return entry && (kinds as readonly string[]).includes(entry.kind) ? (entry as EntryOfKind<K>) : undefined;
}

/** Environments of the given kinds, in model order. */
export function environmentsOfKind(
  environments: Readonly<Record<EnvironmentName, Environment>>,
  ...kinds: readonly EnvironmentKind[]
): Environment[] {
  return Object.values(environments).filter((e) => kinds.includes(e.kind));
}

/** Names of the workload environments (where the catalogue runs), in model order. */
export const workloadEnvironmentNames = (
  environments: Readonly<Record<EnvironmentName, Environment>>,
): WorkloadEnvironmentName[] =>
  environmentsOfKind(environments, 'workload').map((e) => e.name as WorkloadEnvironmentName);

/** An approver role the platform creates in mgmt, and the environments whose releases it approves. */
export interface ApproverRole {
  readonly roleName: string;
  readonly environments: readonly EnvironmentName[];
}

/** `role/{Name}`: no path (SSO's `aws-reserved/…` roles belong to SSO) and no `*` (a pattern names no one role). */
const PLAIN_APPROVER_ROLE = /^role\/([\w+=,.@-]+)$/;

/**
 * The approvers written as plain roles, each once with every environment it approves, in model
 * order: those the platform creates. Patterns and roles under a path are someone else's to create.
 */
export function approverRoles(environments: Readonly<Record<EnvironmentName, Environment>>): ApproverRole[] {
  const roles = new Map<string, EnvironmentName[]>();
  for (const env of Object.values(environments)) {
    for (const approver of env.promotion?.approval?.approvers ?? []) {
      const roleName = PLAIN_APPROVER_ROLE.exec(approver)?.[1];
      if (!roleName) continue;
      const envs = roles.get(roleName) ?? [];
      if (!envs.includes(env.name)) envs.push(env.name);
      roles.set(roleName, envs);
    }
  }
  return [...roles].map(([roleName, envs]) => ({ roleName, environments: envs }));
}

/**
 * An approver entry naming an IAM Identity Center permission set's roles:
 * `role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_{PermissionSet}_*` (the `*` is the suffix
 * Identity Center gives the role; a permission set's name is 1–32 of `[\w+=,.@-]`, SSO Admin API
 * `CreatePermissionSet` Name). services/validate.ts holds every `aws-reserved/` entry to this form.
 */
export const SSO_APPROVER_ENTRY =
  /^role\/aws-reserved\/sso\.amazonaws\.com\/AWSReservedSSO_([\w+=,.@-]{1,32})_\*$/;

/** The permission sets among `env`'s approvers (SSO_APPROVER_ENTRY), in model order, each once. */
export function approverPermissionSets(env: Environment): string[] {
  const sets: string[] = [];
  for (const approver of env.promotion?.approval?.approvers ?? []) {
    const set = SSO_APPROVER_ENTRY.exec(approver)?.[1];
    if (set && !sets.includes(set)) sets.push(set);
  }
  return sets;
}

/** What every entry built from one repository shares (validation holds them equal). */
export interface SharedSource {
  readonly repository: string;
  readonly mainBranch: string;
  readonly test: string;
  readonly package: string;
}

/** A source repository and the catalogue entries built from it, in catalogue order. */
export interface SourceRepository {
  readonly repository: string;
  /** The first entry's source: validation holds the others' branch and commands equal to it. */
  readonly source: SharedSource;
  /** A file every branch has: the first image's Dockerfile, else the first function's build file. */
  readonly markerFile: string;
  readonly entries: ReadonlyArray<readonly [string, EcsServiceEntry | OneOffTaskEntry | LambdaEntry]>;
}

/** The repositories the catalogue's images and function packages are built from, each once, in catalogue order. */
export function sourceRepositories(catalogue: Catalogue): SourceRepository[] {
  const byRepository = new Map<
    string,
    Array<readonly [string, EcsServiceEntry | OneOffTaskEntry | LambdaEntry]>
  >();
  for (const [name, entry] of builtEntries(catalogue)) {
    const entries = byRepository.get(entry.source.repository) ?? [];
    entries.push([name, entry]);
    byRepository.set(entry.source.repository, entries);
  }
  return [...byRepository].map(([repository, entries]) => {
    const image = entries.find(([, e]) => e.kind !== 'lambda')?.[1];
    const fn = entries.find(([, e]) => e.kind === 'lambda')?.[1];
    return {
      repository,
      source: entries[0]![1].source,
      markerFile:
        image && image.kind !== 'lambda'
          ? image.source.dockerfile
          : fn?.kind === 'lambda'
            ? fn.source.buildFile
            : '',
      entries,
    };
  });
}

/**
 * How a release of `service` moves traffic in `env`: the service's own strategy for that
 * environment, else the environment's, else rolling with the circuit breaker (what every
 * environment did before). Undefined when `service` is not an ECS service of the catalogue.
 */
export function deliveryStrategy(
  model: {
    readonly environments: Readonly<Record<EnvironmentName, Environment>>;
    readonly catalogue: Catalogue;
  },
  service: string,
  env: WorkloadEnvironmentName,
): DeliveryStrategy | undefined {
  const entry = entryOfKind(model.catalogue, service, 'service');
  if (!entry) return undefined;
  return entry.delivery?.[env] ?? model.environments[env].delivery ?? ROLLING_WITH_CIRCUIT_BREAKER;
}

/**
 * The ECS services of `env` whose delivery there pauses for an approval (a PAUSE hook after test
 * traffic: services/delivery.ts `approvalPause`), in catalogue order: those `tdr approve` may find
 * held, and continue through `naming.releaseApprovalRole(env)`.
 */
export function servicesHeldForApproval(
  model: {
    readonly environments: Readonly<Record<EnvironmentName, Environment>>;
    readonly catalogue: Catalogue;
  },
  env: WorkloadEnvironmentName,
): string[] {
  if (!model.environments[env].promotion?.approval) return [];
  return ecsServices(model.catalogue)
    .map(([name]) => name)
    .filter((name) => {
      const d = deliveryStrategy(model, name, env);
      return d !== undefined && d.kind !== 'rolling' && d.approvalPause !== null;
    });
}

/**
 * How a release of function `fn` moves its `live` alias in `env`: the function's own delivery for
 * that environment, else what the environment's strategy means for a function (./delivery.ts
 * `functionDeliveryFrom`: a canary environment gives a canary). Undefined when `fn` is not a
 * function of the catalogue.
 */
export function functionDelivery(
  model: {
    readonly environments: Readonly<Record<EnvironmentName, Environment>>;
    readonly catalogue: Catalogue;
  },
  fn: string,
  env: WorkloadEnvironmentName,
): FunctionDelivery | undefined {
  const entry = entryOfKind(model.catalogue, fn, 'lambda');
  if (!entry) return undefined;
  return entry.delivery?.[env] ?? functionDeliveryFrom(model.environments[env].delivery);
}
