/**
 * An ECS service rollout (after ecspresso's deploy.go), the saga's strategy for deploy, promote and
 * rollback; they differ only in where the version comes from and which gates apply:
 *
 *   resolve the version to its digest → check every gate → register a task-definition revision
 *   (the current one with the new image digest) → update the service → wait for steady state or
 *   failure → on failure roll back to the previous revision and wait again.
 */
import type { WorkloadEnvironmentName } from '../../../services/environments';
import { naming } from '../../../services/naming';
import { ledgerOf, serviceEntry, type ReleaseDeps } from '../saga/context';
import { Ecs, imageOf, type Live } from '../aws/ecs';
import { GateRefusedError, approvalOf, evaluateGates, type GateInput } from '../saga/gates';
import { short, type GateVerdict } from '../verdict';
import { digestOf, imageGate, resolveVersion, type ResolvedImage } from '../aws/images';
import {
  currentRelease,
  unsettledRuns,
  type DeploymentStage,
  type ApprovalRecord,
  type LedgerRecord,
  type ReleaseAction,
  type ReleaseOutcome,
  type ReleaseRecord,
  REJECTIONS_STREAM,
} from '../ledger/ledger';
import type { NotificationReport } from '../notify';
import {
  runSaga,
  type Ending,
  type Finished,
  type Journal,
  type Prepared,
  type ReleaseStrategy,
  type RunView,
  type SagaContext,
  type Settlement,
  type UnrecordedRun,
} from '../saga/saga';
import {
  chooseVersion,
  knownCommit,
  promotionSource,
  requestValidator,
  type ReleaseRequest,
  auditOf,
} from '../saga/request';
import { taskDefinitionDiff, withImage } from './taskdef';
import { throttledProgress } from '../wait';
import { holdsForApproval, progressiveDelivery, progressiveFor, type Progressive } from './ecs-progressive';
import { settleProgressive, waitProgressive } from './ecs-progressive-run';

export type { ReleaseRequest } from '../saga/request';

export interface ReleasePlan {
  readonly action: ReleaseAction;
  readonly service: string;
  readonly env: WorkloadEnvironmentName;
  readonly sourceEnv: string | null;
  readonly version: string;
  readonly digest: string | null;
  readonly image: string | null;
  readonly from: {
    readonly version: string | null;
    readonly digest: string | null;
    readonly taskDefinition: string | null;
  };
  readonly taskDefinitionDiff: readonly string[];
  readonly gates: readonly GateVerdict[];
}

export interface ReleaseResult extends ReleasePlan {
  readonly outcome: 'planned' | ReleaseOutcome;
  readonly taskDefinition: string | null;
  readonly detail: string | null;
  readonly ledger: readonly number[];
  readonly settled: readonly number[];
  readonly notifications: readonly NotificationReport[];
  /** Progressive delivery: each stage of the ECS service deployment the engine followed. */
  readonly stages?: readonly DeploymentStage[];
  /** Progressive delivery: ECS holds the deployment for `tdr approve` (the run stays open). */
  readonly awaitingApproval?: boolean;
}

/** A dry run that a gate refused: the refusal, and the plan it stopped. */
export class ReleaseRefusedError extends GateRefusedError {
  constructor(
    verdicts: readonly GateVerdict[],
    readonly plan: ReleasePlan,
  ) {
    super(verdicts);
  }
}

/** Deploys, promotes or rolls back one service in one environment. */
export function releaseService(deps: ReleaseDeps, req: ReleaseRequest): Promise<Finished<ReleaseResult>> {
  return runSaga(deps, ecsServiceRollout, req);
}

/** Checks the request's own fields, before any AWS call. */
export const validateRequest = requestValidator(serviceEntry);

interface Rollout extends Prepared {
  readonly sourceEnv: string | null;
  readonly version: string | undefined;
  readonly resolved: ResolvedImage | null;
  readonly here: readonly LedgerRecord[];
  readonly upstream: readonly LedgerRecord[];
  readonly identity: string;
  /** The approval the gate accepted, if the target needs one. */
  readonly approval: ApprovalRecord | null;
  /** ECS shifts the traffic (blue/green, canary, linear); null: rolling, as before. */
  readonly delivery: Progressive | null;
}

interface RolloutRun {
  readonly plan: ReleasePlan;
  readonly live: Live;
  readonly record: UnrecordedRun<ReleaseRecord>;
  readonly delivery: Progressive | null;
  /** The revision registered by `act`. */
  registered?: string;
}

type Ctx = SagaContext<ReleaseRequest>;

const ecsServiceRollout: ReleaseStrategy<
  ReleaseRequest,
  Rollout,
  Live,
  RolloutRun,
  ReleaseRecord,
  ReleaseResult
> = {
  subject: (req) => req.service,
  action: (req) => req.action,
  validate: validateRequest,
  prepare,
  async dryRun(ctx, prep) {
    const plan = planFrom(ctx, prep, await liveOf(ctx), prep.here);
    ctx.step('dry run: nothing changed');
    if (prep.gates.some((g) => !g.ok)) throw new ReleaseRefusedError(prep.gates, plan);
    return {
      ...plan,
      outcome: 'planned',
      taskDefinition: null,
      detail: null,
      ledger: [],
      settled: [],
      notifications: [],
    };
  },
  observe: (ctx) => liveOf(ctx),
  openRuns: unsettledRuns,
  settle: async (ctx, live, run, open) =>
    progressiveFor(ctx.deps.platform, ctx.req.service, ctx.env, live.service)
      ? settleProgressive(ctx, run, open)
      : settleCrashedRun(ctx, live, run, open),
  begin,
  started: (run) => run.record,
  act,
  wait: async (ctx, run, journal) => {
    if (run.delivery)
      return waitProgressive(
        ctx,
        run.delivery,
        journal,
        run.registered ?? null,
        run.live.service.taskDefinition ?? null,
      );
    const arn = run.registered ?? '';
    const waited = await waitFor(ctx, arn, 'waiting for steady state');
    if (waited.ok)
      return { open: false, outcome: 'succeeded', detail: null, change: { taskDefinitionAfter: arn } };
    ctx.step(`rollout failed: ${waited.reason}`);
    return { open: false, outcome: 'failed', detail: waited.reason, change: { taskDefinitionAfter: arn } };
  },
  undo,
  notifies: true,
  result: resultOf,
  failure: (ctx, rec) =>
    `${rec.action} of ${rec.service} ${rec.version} to ${ctx.env} ${rec.outcome.replace('_', ' ')}: ${rec.detail}`,
};

/** Which version and digest we are asked to release, and every gate's verdict on it. */
async function prepare(ctx: Ctx): Promise<Rollout> {
  const { deps, req, env } = ctx;
  const entry = serviceEntry(deps.platform, req.service);
  const sourceEnv = promotionSource(deps, req, env);
  const ledger = ledgerOf(deps);
  ctx.step('reading the ledger');
  const [here, upstream, rejections] = await Promise.all([
    ledger.view(req.service, env).then((v) => v.records),
    sourceEnv ? ledger.view(req.service, sourceEnv).then((v) => v.records) : Promise.resolve([]),
    ledger.view(req.service, REJECTIONS_STREAM).then((v) => v.records),
  ]);
  const version = chooseVersion(req, here, upstream, sourceEnv);
  const [resolved, identity] = await Promise.all([
    version ? resolveVersion(deps.clients.mgmt.ecr, entry.imageRepository, version) : null,
    deps.clients.callerIdentity(),
  ]);
  const delivery = await deliveryOf(ctx);
  const input: GateInput = {
    action: req.action,
    service: req.service,
    target: deps.platform.environments[env],
    version: version ?? null,
    digest: resolved?.digest ?? '',
    actor: req.actor,
    identity,
    buildUrl: req.buildUrl ?? null,
    mgmtAccount: deps.clients.accountIds.mgmt,
    breakGlass: req.breakGlass ?? false,
    reason: req.reason ?? null,
    now: deps.now(),
    upstream,
    here,
    // ECS holds the deployment on the test listener; the approval is given there (tdr approve).
    approvalAtPause: !!delivery?.holds && req.action !== 'rollback',
    rejections,
  };
  const gates: GateVerdict[] = version ? [imageGate(entry.imageRepository, version, resolved)] : [];
  gates.push(...evaluateGates(input));
  for (const g of gates) ctx.step(`gate ${g.ok ? '[OK]' : '[NG]'} ${g.gate}: ${g.detail}`);
  const approval = approvalOf(input);
  return {
    gates,
    what: `${req.action} ${version}`,
    sourceEnv,
    version,
    resolved,
    here,
    upstream,
    identity,
    approval,
    delivery: delivery?.strategy ?? null,
  };
}

/**
 * The progressive strategy this release follows, read beside what ECS has: the model's, when the
 * live service's deployment configuration shifts traffic (else rolling, said when the model
 * disagrees); `holds` when the model asks for an approval pause and ECS has the PAUSE hook for it.
 */
async function deliveryOf(ctx: Ctx): Promise<{ strategy: Progressive; holds: boolean } | null> {
  const { deps, req, env } = ctx;
  const model = progressiveDelivery(deps.platform, req.service, env);
  if (!model) return null;
  const svc = await ecsOf(ctx).activeService(
    naming.cluster(req.service, env),
    naming.ecsService(req.service, env),
  );
  const strategy = progressiveFor(deps.platform, req.service, env, svc);
  if (!strategy) {
    ctx.step(
      `the model releases ${req.service} in ${env} ${model.kind}, but ECS has the service ${svc?.deploymentConfiguration?.strategy ?? 'ROLLING'}: released rolling (infra applies the strategy)`,
    );
    return null;
  }
  return { strategy, holds: !!strategy.approvalPause && holdsForApproval(svc) };
}

function liveOf(ctx: Ctx): Promise<Live> {
  const { req, env } = ctx;
  return ecsOf(ctx).live(naming.cluster(req.service, env), naming.ecsService(req.service, env));
}

function ecsOf(ctx: Ctx): Ecs {
  return new Ecs(ctx.deps.clients.ecs(ctx.env));
}

function planFrom(ctx: Ctx, prep: Rollout, live: Live, records: readonly LedgerRecord[]): ReleasePlan {
  const { req, env } = ctx;
  const current = currentRelease(records);
  const container = naming.containerName(req.service);
  const next = prep.resolved ? withImage(live.taskDefinition, container, prep.resolved.image) : null;
  return {
    action: req.action,
    service: req.service,
    env,
    sourceEnv: prep.sourceEnv,
    version: prep.version ?? '(none)',
    digest: prep.resolved?.digest ?? null,
    image: prep.resolved?.image ?? null,
    from: {
      version: current?.version ?? null,
      digest: digestOf(imageOf(live.taskDefinition, container)) ?? current?.digest ?? null,
      taskDefinition: live.service.taskDefinition ?? null,
    },
    taskDefinitionDiff: next ? taskDefinitionDiff(live.taskDefinition, next) : [],
    gates: prep.gates,
  };
}

function begin(
  ctx: Ctx,
  prep: Rollout,
  live: Live,
  known: readonly LedgerRecord[],
  runId: string,
): RolloutRun {
  const { deps, req, env } = ctx;
  const { resolved, version } = prep;
  // The saga stops at any refused gate, and a missing version or image is one.
  if (!resolved || !version) throw new GateRefusedError(prep.gates);
  const record: UnrecordedRun<ReleaseRecord> = {
    kind: 'release',
    runId,
    action: req.action,
    service: req.service,
    env,
    version,
    digest: resolved.digest,
    image: resolved.image,
    // Known from the build's deploy; promotions and rollbacks carry it forward from the record
    // of the same digest upstream or here.
    gitCommit: req.gitCommit || knownCommit([...prep.upstream, ...prep.here], resolved.digest),
    taskDefinitionBefore: live.service.taskDefinition ?? null,
    ...auditOf(deps, env, prep),
    buildUrl: req.buildUrl ?? null,
    sourceEnv: prep.sourceEnv,
    reason: req.reason ?? null,
    breakGlass: req.breakGlass ?? false,
    gates: prep.gates.map((g) => ({ gate: g.gate, ok: g.ok, detail: g.detail })),
    actor: req.actor,
    startedAt: deps.now().toISOString(),
    settles: null,
    outcome: 'started',
    taskDefinitionAfter: null,
    finishedAt: null,
    detail: null,
  };
  return { plan: planFrom(ctx, prep, live, known), live, record, delivery: prep.delivery };
}

/**
 * Registers the new revision and points the service at it. An error before the update changed
 * nothing, which is recorded; an error after it leaves the outcome to ECS.
 */
async function act(ctx: Ctx, run: RolloutRun, journal: Journal<ReleaseRecord>) {
  const { req, env } = ctx;
  const cluster = naming.cluster(req.service, env);
  const serviceName = naming.ecsService(req.service, env);
  const next = withImage(run.live.taskDefinition, naming.containerName(req.service), run.record.image);
  const ecs = ecsOf(ctx);
  try {
    // A revision registered twice (a retry after a lost reply) is harmless: only the service's
    // pointer changes what runs.
    await ctx.checkpoint();
    const arn = await ecs.registerTaskDefinition(next);
    run.registered = arn;
    ctx.step(`registered ${arn}`);
    await ctx.checkpoint();
    await ecs.deploy(cluster, serviceName, arn, `updating ECS service ${serviceName} to ${arn}`);
  } catch (err) {
    // UpdateService may have applied with its reply lost: what the service points at says.
    const updated = run.registered ? await pointsAt(ecs, cluster, serviceName, run.registered) : false;
    if (updated === undefined) {
      ctx.step(
        `outcome unknown (${(err as Error).message}); ledger #${journal.seqs[0]} is left open: the next operation settles it from ECS`,
      );
      throw err;
    }
    if (!updated) {
      const detail = `nothing changed: ${(err as Error).message}`;
      await journal.finish('failed', { detail, taskDefinitionAfter: null });
      throw err;
    }
    ctx.step(
      `the update's reply was lost (${(err as Error).message}), but ECS shows the service on ${run.registered}`,
    );
  }
  ctx.step(`service ${serviceName} updated`);
  return {
    ok: true as const,
    noWait: 'the next operation on this service and environment settles the outcome from ECS',
  };
}

/** Whether the service points at `arn`; undefined when ECS cannot be asked either. */
async function pointsAt(
  ecs: Ecs,
  cluster: string,
  service: string,
  arn: string,
): Promise<boolean | undefined> {
  try {
    return (await ecs.activeService(cluster, service))?.taskDefinition === arn;
  } catch {
    return undefined;
  }
}

/** Back to the revision that ran before. */
async function undo(
  ctx: Ctx,
  run: RolloutRun,
  failed: Ending<ReleaseRecord> & { open: false },
): Promise<Ending<ReleaseRecord>> {
  const { req, env } = ctx;
  const arn = run.registered ?? null;
  const previous = run.live.service.taskDefinition;
  // ECS rolls a progressive deployment back itself; one that failed to is not ours to redeploy.
  if (run.delivery) return failed;
  if (!previous) {
    const detail = `${failed.detail}; no previous revision to roll back to`;
    return { open: false, outcome: 'failed', detail, change: { taskDefinitionAfter: arn } };
  }
  ctx.step(`rolling back to ${previous}`);
  const serviceName = naming.ecsService(req.service, env);
  const cluster = naming.cluster(req.service, env);
  await ecsOf(ctx).deploy(
    cluster,
    serviceName,
    previous,
    `rolling ECS service ${serviceName} back to ${previous}`,
  );
  const back = await waitFor(ctx, previous, 'waiting for the rollback');
  return back.ok
    ? {
        open: false,
        outcome: 'rolled_back',
        detail: `${failed.detail}; rolled back to ${previous}`,
        change: { taskDefinitionAfter: previous },
      }
    : {
        open: false,
        outcome: 'failed',
        detail: `${failed.detail}; rollback to ${previous} also failed: ${back.reason}`,
        change: { taskDefinitionAfter: arn },
      };
}

function waitFor(ctx: Ctx, arn: string, what: string) {
  const { deps, req, env } = ctx;
  return ecsOf(ctx).waitForSteadyState(
    naming.cluster(req.service, env),
    naming.ecsService(req.service, env),
    arn,
    {
      clock: {
        now: () => deps.now().getTime(),
        sleep: deps.sleep,
        pollMs: deps.pollMs,
        timeoutMs: deps.timeoutMs,
      },
      progress: throttledProgress(ctx.step, what),
    },
  );
}

function resultOf(run: RolloutRun, view: RunView<ReleaseRecord>): ReleaseResult {
  return {
    ...run.plan,
    outcome: view.outcome,
    // Not waiting, the revision is known before any outcome records it.
    taskDefinition: view.outcome === 'started' ? (run.registered ?? null) : view.record.taskDefinitionAfter,
    detail: view.record.detail,
    ledger: view.ledger,
    settled: view.settled,
    notifications: view.notifications,
    ...(run.delivery
      ? {
          stages: view.record.stages ?? [],
          awaitingApproval: view.outcome === 'started' && !!view.record.stages?.at(-1)?.awaitingApproval,
        }
      : {}),
  };
}

/**
 * A run that wrote `started` and never its outcome crashed (we hold the lease, so it is not
 * running). ECS knows what really happened: if the service runs that run's digest steadily, the
 * run succeeded; otherwise it failed.
 */
function settleCrashedRun(
  ctx: Ctx,
  live: Live,
  run: ReleaseRecord,
  open: readonly ReleaseRecord[],
): Settlement<ReleaseRecord> {
  const liveDigest = digestOf(imageOf(live.taskDefinition, naming.containerName(run.service)));
  const { service } = live;
  const steady = (service.deployments ?? []).length === 1 && service.runningCount === service.desiredCount;
  const newest = open.at(-1);
  const runsIt = liveDigest === run.digest;
  // Only the newest open run can be what ECS runs now; any older one was superseded by it.
  const succeeded = run === newest && runsIt && steady;
  const what = `run ${run.runId} (${run.version}) wrote ledger #${run.seq} and no outcome`;
  const detail =
    run !== newest
      ? `${what}; superseded by run ${newest?.runId} before its outcome was recorded`
      : succeeded
        ? `${what}; ECS runs its digest steadily (${service.taskDefinition})`
        : runsIt
          ? `${what}; ECS runs its digest but is not steady (running ${service.runningCount}/${service.desiredCount}, ${(service.deployments ?? []).length} deployments), and this release supersedes it`
          : `${what}; ECS runs ${liveDigest ? short(liveDigest) : 'an unpinned image'} (${service.taskDefinition}), not ${short(run.digest)}`;
  return {
    outcome: succeeded ? 'succeeded' : 'failed',
    detail,
    change: { taskDefinitionAfter: service.taskDefinition ?? null },
  };
}
