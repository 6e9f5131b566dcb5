/**
 * `tdr task run`: a one-off task (migrations, reference data, exports, Keycloak updates) run at a
 * release version, as the saga's strategy:
 *
 *   resolve the version to its digest → read the family's current revision → find the network →
 *   (lease, write-ahead `started`) → register a revision (the current one with the new image
 *   digest) → RunTask → record `running` with the task ARN → wait until the task STOPPED → the
 *   essential container's exit code and ECS's stop reason decide `succeeded` or `failed`.
 *
 * A run left `started` or `running` (--no-wait, a crash) is settled from ECS by the next run of
 * the same task in the same environment; while its task still runs, the next run is a conflict.
 * A wait that times out leaves the run `running`: an export can outlast any timeout.
 *
 * Network: infra runs every service of an environment in that environment's private subnets, with
 * no public IP, and gives one-off tasks no network of their own. An awsvpc task therefore runs with
 * the awsvpc configuration of one of the environment's ECS services: the service whose name the
 * task's name begins with, ignoring hyphens (`consignment-api-data` → `consignmentapi`, whose
 * security group the database admits; `keycloak-update` → `keycloak`), else the first service of
 * the catalogue that has one. Never a public IP. A definition in another network mode (the
 * sandbox's: moto cannot attach awsvpc tasks without subnets) needs none.
 */
import type { AwsVpcConfiguration, Task, TaskDefinition } from '@aws-sdk/client-ecs';
import type { Platform } from '../../../services/config';
import type { WorkloadEnvironmentName } from '../../../services/environments';
import { naming } from '../../../services/naming';
import { parseTaskInputs, taskInputEnvironment, type TaskInputValues } from '../../../services/task-inputs';
import { buildVersionProblem } from '../../../services/versions';
import { ledgerOf, releasableServices, taskEntry, workloadEnv, type ReleaseDeps } from '../saga/context';
import { Ecs } from '../aws/ecs';
import { ReleaseFailedError, ReleaseInputError, TaskStillRunningError, httpStatusOf } from '../errors';
import { GateRefusedError, rejectionVerdict, versionVerdict } from '../saga/gates';
import { checkBuildUrl } from '../saga/request';
import type { TrainPass } from '../saga/train-lease';
import { personName } from '../aws/identity';
import { imageGate, resolveVersion } from '../aws/images';
import {
  REJECTIONS_STREAM,
  type LedgerRecord,
  type TaskRunOutcome,
  type TaskRunRecord,
} from '../ledger/ledger';
import {
  runSaga,
  type Acted,
  type Ending,
  type Finished,
  type Journal,
  type Prepared,
  type ReleaseStrategy,
  type SagaContext,
  type Settlement,
  type UnrecordedRun,
} from '../saga/saga';
import { taskDefinitionDiff, withImage } from './taskdef';
import { throttledProgress } from '../wait';

export interface TaskRunRequest {
  readonly task: string;
  readonly env: string;
  readonly version: string;
  readonly actor: string;
  readonly buildUrl?: string | null | undefined;
  readonly dryRun?: boolean | undefined;
  readonly wait?: boolean | undefined;
  /** `KEY=VALUE` pairs, checked against the task's declared inputs before any AWS call. */
  readonly inputs?: readonly string[] | undefined;
  /** A release train's own member run (../saga/train-lease.ts); never set by a person. */
  readonly train?: TrainPass | undefined;
}

export interface TaskRunPlan {
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
  /** The inputs, by name, passed as the container's environment. */
  readonly inputs: TaskInputValues;
}

export interface TaskRunResult extends TaskRunPlan {
  readonly outcome: 'planned' | TaskRunOutcome;
  readonly taskDefinition: string | null;
  readonly taskArn: string | null;
  readonly exitCode: number | null;
  readonly stopCode: string | null;
  readonly stopReason: string | null;
  readonly detail: string | null;
  readonly ledger: readonly number[];
}

/** Runs a one-off task at a version and waits for its essential container's exit code. */
export function runTask(deps: ReleaseDeps, req: TaskRunRequest): Promise<Finished<TaskRunResult>> {
  return runSaga(deps, ecsTaskRun, req);
}

/** Checks the request's own fields, before any AWS call. */
export function validateTaskRun(
  deps: Pick<ReleaseDeps, 'platform'>,
  req: TaskRunRequest,
): WorkloadEnvironmentName {
  const entry = taskEntry(deps.platform, req.task);
  const env = workloadEnv(req.env);
  parseTaskInputs(req.task, entry.inputs, req.inputs ?? []);
  const problem = buildVersionProblem(req.version);
  if (problem) throw new ReleaseInputError(`version: ${problem}`);
  if (!req.actor.trim()) throw new ReleaseInputError('actor: must not be empty');
  personName(req.actor, 'actor');
  checkBuildUrl(req.buildUrl);
  return env;
}

interface TaskPrep extends Prepared {
  readonly plan: TaskRunPlan;
  readonly next: ReturnType<typeof withImage>;
  readonly network: Network;
  /** The revision copied, as the records name it. */
  readonly current: string | null;
}

interface TaskRun extends TaskPrep {
  readonly record: UnrecordedRun<TaskRunRecord>;
}

type Ctx = SagaContext<TaskRunRequest>;
type Facts = Pick<TaskRunRecord, 'exitCode' | 'stopCode' | 'stopReason'>;
const NO_FACTS: Facts = { exitCode: null, stopCode: null, stopReason: null };

const ecsTaskRun: ReleaseStrategy<TaskRunRequest, TaskPrep, null, TaskRun, TaskRunRecord, TaskRunResult> = {
  subject: (req) => req.task,
  action: () => 'task-run',
  validate: validateTaskRun,
  prepare,
  async dryRun(ctx, prep) {
    ctx.step('dry run: nothing changed');
    const none = { taskDefinition: null, taskArn: null, ...NO_FACTS };
    return { ...prep.plan, ...none, outcome: 'planned', detail: null, ledger: [] };
  },
  // Everything the run needs was read before the lease; only the ledger is read again.
  observe: async () => null,
  openRuns,
  settle: (ctx, _live, run) => settleOpenRun(ctx, run),
  begin: (ctx, prep, _live, _known, runId) => ({
    ...prep,
    record: {
      kind: 'task',
      runId,
      action: 'task-run',
      service: ctx.req.task,
      env: ctx.env,
      version: ctx.req.version,
      digest: prep.plan.digest,
      image: prep.plan.image,
      actor: ctx.req.actor,
      buildUrl: ctx.req.buildUrl ?? null,
      taskDefinitionBefore: prep.current,
      startedAt: ctx.deps.now().toISOString(),
      settles: null,
      outcome: 'started',
      taskDefinition: null,
      taskArn: null,
      ...NO_FACTS,
      finishedAt: null,
      detail: null,
      ...(Object.keys(prep.plan.inputs).length > 0 ? { inputs: prep.plan.inputs } : {}),
    },
  }),
  started: (run) => run.record,
  act,
  wait,
  notifies: false,
  result: (run, view) => ({
    ...run.plan,
    outcome: view.outcome,
    taskDefinition: view.record.taskDefinition,
    taskArn: view.record.taskArn,
    exitCode: view.record.exitCode,
    stopCode: view.record.stopCode,
    stopReason: view.record.stopReason,
    detail: view.record.detail,
    ledger: view.ledger,
  }),
  failure: (ctx, rec, open) =>
    `task ${rec.service} ${rec.version} in ${ctx.env}${open ? '' : ` ${rec.outcome}`}: ${rec.detail}`,
};

/** The version's digest, the revision to copy and the network: nothing changes yet. */
async function prepare(ctx: Ctx): Promise<TaskPrep> {
  const { deps, req, env } = ctx;
  const entry = taskEntry(deps.platform, req.task);
  const cluster = naming.cluster(req.task, env);
  const family = naming.taskFamily(req.task, env);
  const version = versionVerdict(deps.platform.environments[env], req.version);
  if (!version.ok) throw new GateRefusedError([version]);
  // Rejected means rejected (issue 26): a rejected version of a task is never run, anywhere.
  const rejections = await ledgerOf(deps).view(req.task, REJECTIONS_STREAM);
  const rejected = rejectionVerdict(rejections.records, req.task, req.version);
  if (!rejected.ok) throw new GateRefusedError([rejected]);
  const resolved = await resolveVersion(deps.clients.mgmt.ecr, entry.imageRepository, req.version);
  if (!resolved) throw new GateRefusedError([imageGate(entry.imageRepository, req.version, null)]);
  ctx.step(`${entry.imageRepository}:${req.version} is ${resolved.digest}`);
  const ecs = ecsOf(ctx);
  const current = await ecs.latestRevision(family, env);
  if (!current) {
    throw new ReleaseFailedError(
      `task family ${family} has no revision in ${env}: infra must create it first (pulumi up for the ${env} stack; locally tdr sandbox up)`,
    );
  }
  const next = withImage(current, naming.containerName(req.task), resolved.image);
  const network = await networkFor(deps.platform, ecs, req.task, env, current);
  const plan: TaskRunPlan = {
    task: req.task,
    env,
    cluster,
    version: req.version,
    digest: resolved.digest,
    image: resolved.image,
    taskDefinitionBefore: current.taskDefinitionArn ?? family,
    taskDefinitionDiff: taskDefinitionDiff(current, next),
    network: network.source,
    inputs: parseTaskInputs(req.task, entry.inputs, req.inputs ?? []),
  };
  ctx.step(`network: ${network.source}`);
  return {
    gates: [],
    what: `task-run ${req.version}`,
    plan,
    next,
    network,
    current: current.taskDefinitionArn ?? null,
  };
}

function ecsOf(ctx: Ctx): Ecs {
  return new Ecs(ctx.deps.clients.ecs(ctx.env));
}

/** Registers the revision and runs it. An error here means nothing ran: the run failed. */
async function act(ctx: Ctx, run: TaskRun, journal: Journal<TaskRunRecord>): Promise<Acted<TaskRunRecord>> {
  const { req, env } = ctx;
  const ecs = ecsOf(ctx);
  let started: Awaited<ReturnType<Ecs['runTask']>>;
  try {
    await ctx.checkpoint();
    const arn = await ecs.registerTaskDefinition(run.next);
    journal.note({ taskDefinition: arn });
    ctx.step(`registered ${arn}`);
    await ctx.checkpoint();
    started = await ecs.runTask({
      // The SDK retries a RunTask whose reply was lost: ECS starts one task per token.
      clientToken: run.record.runId,
      cluster: naming.cluster(req.task, env),
      taskDefinition: arn,
      launchType: 'FARGATE',
      count: 1,
      startedBy: startedBy(req.actor, run.record.runId),
      ...(run.network.configuration
        ? { networkConfiguration: { awsvpcConfiguration: run.network.configuration } }
        : {}),
      ...inputOverrides(ctx, run.plan.inputs),
    });
  } catch (err) {
    if (refusedByEcs(err)) return { ok: false, detail: `nothing ran: ${(err as Error).message}` };
    // No reply (a reset, a timeout, 5xx after the SDK's retries): ECS may have started the task.
    // Only ECS can say: the task this run started is marked with the run's id.
    const found = await ecs
      .tasksStartedBy(naming.cluster(req.task, env), startedBy(req.actor, run.record.runId))
      .catch(() => {
        // Not even that can be read: the run stays open (write-ahead `started`); the next run settles it.
        throw err;
      });
    const task = found[0];
    if (!task?.taskArn)
      return {
        ok: false,
        detail: `nothing ran: ${(err as Error).message} (and ECS lists no task started by this run)`,
      };
    ctx.step(`RunTask's reply was lost (${(err as Error).message}); ECS did start ${task.taskArn}`);
    started = { ok: true, task: { ...task, taskArn: task.taskArn } };
  }
  if (!started.ok) return { ok: false, detail: `ECS placed no task: ${started.reason}` };
  await journal.record('running', { taskArn: started.task.taskArn });
  return { ok: true, noWait: `follow it in ECS as ${started.task.taskArn}` };
}

/** Waits for STOPPED; the essential container's exit code is the outcome. */
async function wait(ctx: Ctx, run: TaskRun, journal: Journal<TaskRunRecord>): Promise<Ending<TaskRunRecord>> {
  const { deps } = ctx;
  const taskArn = journal.state.taskArn ?? '';
  const stopped = await ecsOf(ctx).waitForTaskStop(run.plan.cluster, taskArn, {
    clock: {
      now: () => deps.now().getTime(),
      sleep: deps.sleep,
      pollMs: deps.pollMs,
      timeoutMs: deps.timeoutMs,
    },
    progress: throttledProgress(ctx.step, 'waiting for the task to stop'),
  });
  if (!stopped) {
    return {
      open: true,
      detail: `stopped waiting after ${Math.round(deps.timeoutMs / 1000)} s; task ${taskArn} is not STOPPED yet: ledger #${journal.seqs.at(-1)} stays running, and the next run settles it from ECS`,
    };
  }
  const ended = endOf(stopped, naming.containerName(ctx.req.task));
  return {
    open: false,
    outcome: ended.outcome,
    detail: ended.outcome === 'succeeded' ? null : ended.detail,
    change: ended.facts,
  };
}

/** The inputs as the essential container's environment; no overrides without inputs. */
function inputOverrides(ctx: Ctx, values: TaskInputValues) {
  const environment = taskInputEnvironment(taskEntry(ctx.deps.platform, ctx.req.task).inputs, values);
  if (environment.length === 0) return {};
  return { overrides: { containerOverrides: [{ name: naming.containerName(ctx.req.task), environment }] } };
}

/**
 * Marks the task with the run and who ran it: `tdr-{runId}/{actor}`, so that the run finds its own
 * task when RunTask's reply is lost or the run is killed before recording it. ECS accepts up to
 * 128 letters, digits, `-`, `_` and `/` (the run id comes first, so a long actor is what is cut).
 */
export function startedBy(actor: string, runId: string): string {
  return `tdr-${runId}/${actor}`.replace(/[^A-Za-z0-9_/-]/g, '-').slice(0, 128);
}

/** ECS answered and refused (a 4xx other than throttling): the task certainly did not start. */
function refusedByEcs(err: unknown): boolean {
  const status = httpStatusOf(err);
  return status !== undefined && status >= 400 && status < 500 && status !== 429;
}

interface End {
  readonly outcome: 'succeeded' | 'failed';
  readonly detail: string;
  readonly facts: Facts;
}

/** How a STOPPED task ended: its essential container's exit code decides. */
export function endOf(task: Task, container: string): End {
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

/** Runs whose newest record is `started` or `running`. */
function openRuns(records: readonly LedgerRecord[]): TaskRunRecord[] {
  const newest = new Map<string, TaskRunRecord>();
  for (const r of records) if (r.kind === 'task') newest.set(r.runId, r);
  return [...newest.values()].filter((r) => r.outcome === 'started' || r.outcome === 'running');
}

/**
 * A STOPPED task's outcome is the run's; one still running refuses this run (a conflict), since
 * two migrations or exports at once is exactly what the lease is for.
 */
async function settleOpenRun(ctx: Ctx, run: TaskRunRecord): Promise<Settlement<TaskRunRecord>> {
  const what = `run ${run.runId} (${run.version}) left ledger #${run.seq} ${run.outcome}`;
  const unknown = (detail: string): Settlement<TaskRunRecord> => ({
    outcome: 'failed',
    detail: `${what}; ${detail}`,
    change: NO_FACTS,
  });
  const cluster = naming.cluster(run.service, ctx.env);
  const ecs = ecsOf(ctx);
  // Killed between RunTask and recording its ARN: the task, if any, is marked with the run's id.
  const task = run.taskArn
    ? (await ecs.task(cluster, run.taskArn)).task
    : (await ecs.tasksStartedBy(cluster, startedBy(run.actor, run.runId)))[0];
  if (!run.taskArn && !task)
    return unknown('no task was started by it (ECS lists none marked with its run id)');
  if (!task) return unknown(`ECS no longer knows its task ${run.taskArn}, so its outcome is unknown`);
  if (task.lastStatus !== 'STOPPED') {
    throw new TaskStillRunningError(
      `${what}: its task ${task.taskArn ?? run.taskArn} is still ${task.lastStatus ?? 'running'}`,
    );
  }
  const end = endOf(task, naming.containerName(run.service));
  return { outcome: end.outcome, detail: `${what}; ${end.detail}`, change: end.facts };
}

interface Network {
  readonly source: string;
  readonly configuration?: AwsVpcConfiguration;
}

async function networkFor(
  platform: Platform,
  ecs: Ecs,
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
    const name = naming.ecsService(service, env);
    const found = await ecs.activeService(naming.cluster(service, env), name, ' for its network');
    const vpc = found?.networkConfiguration?.awsvpcConfiguration;
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
