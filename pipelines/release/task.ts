/**
 * `tdr task run`: a one-off task (migrations, reference data, exports, Keycloak updates) run at a
 * release version, as a readable script:
 *
 *   validate → resolve the version to its digest → read the family's current revision → find the
 *   network → take the lease (the deployments' lease, task × environment) → write-ahead ledger
 *   record `started` → register a revision (the current one with the new image digest) → RunTask
 *   → record `running` with the task ARN → wait until the task STOPPED → record `succeeded` or
 *   `failed` with the essential container's exit code and ECS's stop reason → release the lease.
 *
 * A run left `started` or `running` (--no-wait, a crash) is settled from ECS by the next run of
 * the same task in the same environment; while its task still runs, the next run exits 4.
 *
 * Network: infra runs every service of an environment in that environment's private subnets, with
 * no public IP, and gives one-off tasks no network of their own. An awsvpc task therefore runs with
 * the awsvpc configuration of one of the environment's ECS services: the service whose name the
 * task's name begins with, ignoring hyphens (`consignment-api-data` → `consignmentapi`, whose
 * security group the database admits; `keycloak-update` → `keycloak`), else the first service of
 * the catalogue that has one. Never a public IP. A definition in another network mode (the
 * sandbox's: moto cannot attach awsvpc tasks without subnets) needs none.
 */
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  type AwsVpcConfiguration,
  type ECSClient,
  type Task,
  type TaskDefinition,
} from '@aws-sdk/client-ecs';
import type { Platform } from '../../services/config';
import type { OneOffTaskEntry } from '../../services/catalogue';
import type { WorkloadEnvironmentName } from '../../services/environments';
import { naming } from '../../services/naming';
import { ledgerOf, leasesOf, releasableServices, workloadEnv, type ReleaseDeps } from './context';
import {
  AwsCallError,
  GateRefusedError,
  ReleaseFailedError,
  TaskStillRunningError,
  ReleaseInputError,
  attempt,
  errorName,
} from './errors';
import { VERSION_PATTERN } from './gates';
import { resolveVersion } from './images';
import type { Ledger, LedgerRecord, TaskRunOutcome, TaskRunRecord } from './ledger';
import { taskDefinitionDiff, withImage } from './taskdef';

export interface TaskRunRequest {
  readonly task: string;
  readonly env: string;
  readonly version: string;
  readonly actor: string;
  readonly buildUrl?: string | null | undefined;
  readonly dryRun?: boolean | undefined;
  readonly wait?: boolean | undefined;
}

export interface TaskRunResult {
  readonly task: string;
  readonly env: WorkloadEnvironmentName;
  readonly cluster: string;
  readonly version: string;
  readonly digest: string;
  readonly image: string;
  readonly taskDefinitionBefore: string;
  readonly taskDefinitionDiff: readonly string[];
  /** Where the awsvpc configuration came from, or why there is none. */
  readonly network: string;
  readonly outcome: 'planned' | TaskRunOutcome;
  readonly taskDefinition: string | null;
  readonly taskArn: string | null;
  readonly exitCode: number | null;
  readonly stopCode: string | null;
  readonly stopReason: string | null;
  readonly detail: string | null;
  readonly ledger: readonly number[];
}

/** The catalogue entry of a one-off task, or an input error listing the valid ones. */
export function taskEntry(platform: Platform, task: string): OneOffTaskEntry {
  const entry = platform.catalogue[task];
  if (!entry || entry.kind !== 'task') {
    throw new ReleaseInputError(
      `task: unknown task ${JSON.stringify(task)}; valid: ${oneOffTasks(platform).join(', ')}`,
    );
  }
  return entry;
}

export function oneOffTasks(platform: Platform): string[] {
  return Object.entries(platform.catalogue)
    .filter(([, e]) => e.kind === 'task')
    .map(([n]) => n);
}

/** Checks the request's own fields, before any AWS call. */
export function validateTaskRun(
  deps: Pick<ReleaseDeps, 'platform'>,
  req: TaskRunRequest,
): WorkloadEnvironmentName {
  taskEntry(deps.platform, req.task);
  const env = workloadEnv(req.env);
  if (!VERSION_PATTERN.test(req.version)) {
    throw new ReleaseInputError(
      `version: ${JSON.stringify(req.version)} is not a release version; expected v followed by digits, e.g. v42`,
    );
  }
  if (!req.actor.trim()) throw new ReleaseInputError('actor: must not be empty');
  return env;
}

export async function runTask(deps: ReleaseDeps, req: TaskRunRequest): Promise<TaskRunResult> {
  const env = validateTaskRun(deps, req);
  const entry = taskEntry(deps.platform, req.task);
  const cluster = naming.cluster(req.task, env);
  const family = naming.taskFamily(req.task, env);
  const container = naming.containerName(req.task);
  const ecs = deps.clients.ecs(env);
  const step = (s: string) => deps.log(`[task-run ${req.task} → ${env}] ${s}`);

  // 1. Resolve the version, read the current revision and find the network: nothing changes yet.
  const resolved = await resolveVersion(deps.clients.mgmt.ecr, entry.imageRepository, req.version);
  if (!resolved) {
    throw new GateRefusedError([
      {
        gate: 'image',
        ok: false,
        detail: `${req.version} does not exist in ECR repository ${entry.imageRepository}`,
      },
    ]);
  }
  step(`${entry.imageRepository}:${req.version} is ${resolved.digest}`);
  const current = await currentRevision(ecs, family, env);
  const next = withImage(current, container, resolved.image);
  const network = await networkFor(deps.platform, ecs, req.task, env, current);
  const plan = {
    task: req.task,
    env,
    cluster,
    version: req.version,
    digest: resolved.digest,
    image: resolved.image,
    taskDefinitionBefore: current.taskDefinitionArn ?? family,
    taskDefinitionDiff: taskDefinitionDiff(current, next),
    network: network.source,
  };
  step(`network: ${network.source}`);
  const empty = { taskDefinition: null, taskArn: null, exitCode: null, stopCode: null, stopReason: null };
  if (req.dryRun) {
    step('dry run: nothing changed');
    return { ...plan, ...empty, outcome: 'planned', detail: null, ledger: [] };
  }

  // 2. The same lease as deployments: one run of a task per environment at a time.
  const runId = deps.newRunId();
  const leases = leasesOf(deps);
  const lease = await leases.acquire(
    req.task,
    env,
    `${req.actor} (task-run ${req.version}, run ${runId})`,
    runId,
    deps.leaseTtlMs,
  );
  step(`lease taken (expires ${lease.expiresAt})`);
  try {
    const ledger = ledgerOf(deps);
    const known: LedgerRecord[] = await ledger.records(req.task, env);
    const settled = await settleOpenRuns(deps, ecs, ledger, cluster, container, known, req.actor);
    known.push(...settled);
    const base = {
      kind: 'task' as const,
      runId,
      action: 'task-run' as const,
      service: req.task,
      env,
      version: req.version,
      digest: resolved.digest,
      image: resolved.image,
      actor: req.actor,
      buildUrl: req.buildUrl ?? null,
      taskDefinitionBefore: current.taskDefinitionArn ?? null,
      startedAt: deps.now().toISOString(),
      settles: null,
    };
    let state: Omit<TaskRunRecord, keyof typeof base | 'seq' | 'recordedAt' | 'schema' | 'outcome'> = {
      ...empty,
      finishedAt: null,
      detail: null,
    };
    const seqs: number[] = [];
    const record = async (outcome: TaskRunOutcome, change: Partial<typeof state> = {}) => {
      state = { ...state, ...change };
      const rec = await ledger.append({ ...base, ...state, outcome }, known);
      known.push(rec);
      seqs.push(rec.seq);
      step(`ledger #${rec.seq}: ${outcome}${state.detail ? ` (${state.detail})` : ''}`);
    };
    const result = (outcome: TaskRunOutcome): TaskRunResult => ({
      ...plan,
      outcome,
      taskDefinition: state.taskDefinition,
      taskArn: state.taskArn,
      exitCode: state.exitCode,
      stopCode: state.stopCode,
      stopReason: state.stopReason,
      detail: state.detail,
      ledger: seqs,
    });
    const fail = async (detail: string, change: Partial<typeof state> = {}): Promise<never> => {
      await record('failed', { ...change, detail, finishedAt: deps.now().toISOString() });
      throw Object.assign(
        new ReleaseFailedError(`task ${req.task} ${req.version} in ${env} failed: ${detail}`),
        { result: result('failed') },
      );
    };

    // 3. Write-ahead, then register and run. An AWS error here means nothing ran; it is recorded.
    await record('started');
    let task: Task;
    try {
      const registered = await attempt(`registering a revision of task family ${family}`, () =>
        ecs.send(new RegisterTaskDefinitionCommand(next)),
      );
      const arn = registered.taskDefinition?.taskDefinitionArn;
      if (!arn) throw new ReleaseFailedError(`RegisterTaskDefinition returned no ARN for ${family}`);
      state = { ...state, taskDefinition: arn };
      step(`registered ${arn}`);
      const ran = await attempt(`running task ${arn} in cluster ${cluster}`, () =>
        ecs.send(
          new RunTaskCommand({
            cluster,
            taskDefinition: arn,
            launchType: 'FARGATE',
            count: 1,
            startedBy: startedBy(req.actor),
            ...(network.configuration
              ? { networkConfiguration: { awsvpcConfiguration: network.configuration } }
              : {}),
          }),
        ),
      );
      const started = ran.tasks?.[0];
      if (!started?.taskArn) {
        const why = (ran.failures ?? []).map((f) =>
          `${f.arn ?? ''} ${f.reason ?? ''} ${f.detail ?? ''}`.trim(),
        );
        return await fail(`ECS placed no task: ${why.join('; ') || 'no failure given'}`);
      }
      task = started;
    } catch (err) {
      if ((err as { result?: unknown }).result) throw err;
      return await fail(`nothing ran: ${(err as Error).message}`);
    }
    await record('running', { taskArn: task.taskArn ?? null });

    if (req.wait === false) {
      step(`not waiting (--no-wait): follow it in ECS as ${task.taskArn}`);
      return result('running');
    }

    // 4. Wait for STOPPED; the essential container's exit code is the outcome.
    const stopped = await waitForStop(deps, ecs, cluster, task.taskArn ?? '', step);
    if (!stopped) {
      // The task may yet succeed (an export can outlast any timeout): the run stays `running`,
      // and the next run of this task here settles it from ECS.
      const detail = `stopped waiting after ${Math.round(deps.timeoutMs / 1000)} s; task ${task.taskArn} is not STOPPED yet: ledger #${seqs.at(-1)} stays running, and the next run settles it from ECS`;
      step(detail);
      state = { ...state, detail };
      throw Object.assign(new ReleaseFailedError(`task ${req.task} ${req.version} in ${env}: ${detail}`), {
        result: result('running'),
      });
    }
    const ended = endOf(stopped, container);
    const facts = { ...ended.facts, finishedAt: deps.now().toISOString() };
    if (ended.outcome === 'succeeded') {
      await record('succeeded', facts);
      return result('succeeded');
    }
    return await fail(ended.detail, facts);
  } finally {
    await leases.release(lease);
  }
}

/** ECS accepts up to 128 letters, digits, `-`, `_` and `/` in startedBy. */
export function startedBy(actor: string): string {
  return `tdr-${actor}`.replace(/[^A-Za-z0-9_/-]/g, '-').slice(0, 128);
}

/** How a STOPPED task ended: its essential container's exit code decides. */
export function endOf(
  task: Task,
  container: string,
): {
  outcome: 'succeeded' | 'failed';
  detail: string;
  facts: { exitCode: number | null; stopCode: string | null; stopReason: string | null };
} {
  const essential = task.containers?.find((c) => c.name === container);
  const exitCode = essential?.exitCode ?? null;
  const facts = { exitCode, stopCode: task.stopCode ?? null, stopReason: task.stoppedReason ?? null };
  if (exitCode === 0) return { outcome: 'succeeded', detail: `container ${container} exited 0`, facts };
  return {
    outcome: 'failed',
    detail:
      exitCode === null
        ? `container ${container} never ran to an exit code (${task.stopCode ?? 'no stop code'}: ${task.stoppedReason ?? 'no reason given'}${essential?.reason ? `; ${essential.reason}` : ''})`
        : `container ${container} exited ${exitCode}`,
    facts,
  };
}

/**
 * Runs whose newest record is `started` or `running` (--no-wait, or a crash) are settled from ECS
 * before the next run: a STOPPED task's outcome is appended; one still running refuses this run
 * (exit 4), since two migrations or exports at once is exactly what the lease is for.
 */
async function settleOpenRuns(
  deps: Pick<ReleaseDeps, 'now' | 'log'>,
  ecs: ECSClient,
  ledger: Ledger,
  cluster: string,
  container: string,
  records: readonly LedgerRecord[],
  settledBy: string,
): Promise<LedgerRecord[]> {
  const newest = new Map<string, TaskRunRecord>();
  for (const r of records) if (r.kind === 'task') newest.set(r.runId, r);
  const open = [...newest.values()].filter((r) => r.outcome === 'started' || r.outcome === 'running');
  const known = [...records];
  const out: LedgerRecord[] = [];
  for (const run of open) {
    const what = `run ${run.runId} (${run.version}) left ledger #${run.seq} ${run.outcome}`;
    let end: ReturnType<typeof endOf> | undefined;
    if (!run.taskArn) {
      end = {
        outcome: 'failed',
        detail: 'it stopped before ECS accepted a task (no task ARN recorded)',
        facts: { exitCode: null, stopCode: null, stopReason: null },
      };
    } else {
      const arn = run.taskArn;
      const described = await attempt(`describing task ${arn} in cluster ${cluster}`, () =>
        ecs.send(new DescribeTasksCommand({ cluster, tasks: [arn] })),
      );
      const task = described.tasks?.[0];
      if (!task) {
        end = {
          outcome: 'failed',
          detail: `ECS no longer knows its task ${arn}, so its outcome is unknown`,
          facts: { exitCode: null, stopCode: null, stopReason: null },
        };
      } else if (task.lastStatus !== 'STOPPED') {
        throw new TaskStillRunningError(`${what}: its task ${arn} is still ${task.lastStatus ?? 'running'}`);
      } else {
        end = endOf(task, container);
      }
    }
    const detail = `settled by ${settledBy}: ${what}; ${end.detail}`;
    deps.log(`[task-run ${run.service} → ${run.env}] ${detail}`);
    const { seq: _seq, recordedAt: _at, schema: _schema, ...rest } = run;
    const rec = await ledger.append(
      {
        ...rest,
        ...end.facts,
        outcome: end.outcome,
        detail,
        finishedAt: deps.now().toISOString(),
        settles: run.seq,
      },
      known,
    );
    known.push(rec);
    out.push(rec);
  }
  return out;
}

async function currentRevision(ecs: ECSClient, family: string, env: string): Promise<TaskDefinition> {
  try {
    const out = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: family }));
    // A family whose revisions were all deregistered has nothing to copy either.
    if (out.taskDefinition && out.taskDefinition.status !== 'INACTIVE') return out.taskDefinition;
  } catch (err) {
    // ECS answers an unknown family with a ClientException; anything else is a real failure.
    if (errorName(err) !== 'ClientException')
      throw new AwsCallError(`describing task family ${family} in ${env}`, err);
  }
  throw new ReleaseFailedError(
    `task family ${family} has no revision in ${env}: infra must create it first (pulumi up for the ${env} stack; locally tdr sandbox up)`,
  );
}

interface Network {
  readonly source: string;
  readonly configuration?: AwsVpcConfiguration;
}

async function networkFor(
  platform: Platform,
  ecs: ECSClient,
  task: string,
  env: WorkloadEnvironmentName,
  td: TaskDefinition,
): Promise<Network> {
  if (td.networkMode !== 'awsvpc') {
    return { source: `none (network mode ${td.networkMode ?? 'default'} takes no awsvpc configuration)` };
  }
  const squashed = task.replace(/-/g, '');
  const services = releasableServices(platform);
  const ordered = [
    ...services.filter((s) => squashed.startsWith(s)),
    ...services.filter((s) => !squashed.startsWith(s)),
  ];
  for (const service of ordered) {
    const cluster = naming.cluster(service, env);
    const name = naming.ecsService(service, env);
    const out = await attempt(`describing ECS service ${name} in cluster ${cluster} for its network`, () =>
      ecs.send(new DescribeServicesCommand({ cluster, services: [name] })),
    );
    const vpc = out.services?.find((s) => s.status === 'ACTIVE')?.networkConfiguration?.awsvpcConfiguration;
    if (vpc?.subnets?.length) {
      return {
        source: `subnets and security groups of ${name}, no public IP`,
        configuration: {
          subnets: vpc.subnets,
          securityGroups: vpc.securityGroups ?? [],
          assignPublicIp: 'DISABLED',
        },
      };
    }
  }
  throw new ReleaseFailedError(
    `no ECS service in ${env} has an awsvpc network configuration for ${task} to borrow (looked at ${ordered.map((s) => naming.ecsService(s, env)).join(', ')}): provision the ${env} stack first`,
  );
}

async function waitForStop(
  deps: ReleaseDeps,
  ecs: ECSClient,
  cluster: string,
  taskArn: string,
  step: (s: string) => void,
): Promise<Task | undefined> {
  const start = deps.now().getTime();
  let lastLine = '';
  let lastAt = -Infinity;
  for (;;) {
    const elapsedMs = deps.now().getTime() - start;
    const out = await attempt(`describing task ${taskArn} in cluster ${cluster}`, () =>
      ecs.send(new DescribeTasksCommand({ cluster, tasks: [taskArn] })),
    );
    const task = out.tasks?.[0];
    if (!task) {
      const why = (out.failures ?? []).map((f) => f.reason).join('; ');
      throw new ReleaseFailedError(`ECS no longer knows task ${taskArn}${why ? `: ${why}` : ''}`);
    }
    const line = `task ${task.lastStatus ?? 'UNKNOWN'}`;
    if (line !== lastLine || elapsedMs - lastAt >= 30_000) {
      step(`waiting for the task to stop: ${Math.round(elapsedMs / 1000)} s elapsed, ${line}`);
      lastLine = line;
      lastAt = elapsedMs;
    }
    if (task.lastStatus === 'STOPPED') return task;
    if (elapsedMs >= deps.timeoutMs) return undefined;
    await deps.sleep(Math.min(deps.pollMs, Math.max(0, deps.timeoutMs - elapsedMs)));
  }
}
