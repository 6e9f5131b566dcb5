/**
 * The progressive half of the ECS service rollout (./ecs-service-rollout.ts runs it when the
 * service's delivery strategy in the environment is blue/green, canary or linear), and the two
 * operations on a deployment ECS holds or is still shifting:
 *
 * - `waitProgressive`: after UpdateService, follow the service deployment (./ecs-progressive.ts);
 *   when a PAUSE hook holds it for an approval, record the stages so far (a second `started`
 *   record of the same run: `unsettledRuns` keeps the newest) and end the command successfully,
 *   the run left open "awaiting approval"; the next operation settles it from ECS.
 * - `continueHeldRelease` (`tdr approve` at the pause): the same four-eyes rule as the approval
 *   gate, against the held run's promoter; ContinueServiceDeployment; follow to the end; record.
 * - `stopInFlightRelease` (`tdr rollback` during any in-flight deployment): StopServiceDeployment
 *   with ROLLBACK; follow to the end; record.
 * Both take the release lease, so no other release of the service runs meanwhile.
 *
 * Each new stage (`stageKey`: ECS's lifecycle stage, rolling back or not, held or not) is a stage
 * record (another `started` record of the run, with `stage` and every stage so far) and a Grafana
 * mark, so a killed follower's stages up to the kill stay in the ledger; the outcome these two
 * record is announced (Slack, the Grafana deploy annotation) by the saga's own `notify`.
 */
import type { ServiceDeployment } from '@aws-sdk/client-ecs';
import type { WorkloadEnvironmentName } from '../../../services/environments';
import { naming } from '../../../services/naming';
import { servicesHeldForApproval } from '../../../services/queries';
import { serviceEntry, ledgerOf, leasesOf, workloadEnv, type ReleaseDeps } from '../saga/context';
import { Ecs } from '../aws/ecs';
import { LoadBalancers } from '../aws/elbv2';
import { ReleaseFailedError, ReleaseInputError } from '../errors';
import { approvalGate, approvalOf, GateRefusedError, type GateInput } from '../saga/gates';
import { LeaseGuard } from '../saga/guard';
import { notify, type Notification, type NotificationReport } from '../notify';
import { heldStageRecords, StageMarks } from './ecs-progressive-stages';
import type { Ending, Journal, SagaContext } from '../saga/saga';
import {
  unsettledRuns,
  type ApprovalRecord,
  type DeploymentStage,
  type LedgerRecord,
  type NewRecord,
  type ReleaseRecord,
} from '../ledger/ledger';
import { describeStage } from '../ledger/stage-line';
import {
  alarmEvidenceOf,
  deploymentOfRun,
  follow,
  heldBy,
  inFlightDeployment,
  isInFlight,
  progressiveDelivery,
  progressiveFor,
  settlementOf,
  stageOf,
  type Followed,
  type Progressive,
} from './ecs-progressive';

type Ctx = SagaContext<{ readonly actor: string; readonly service: string }>;

/** How long the engine looks for the deployment an UpdateService started before it gives up. */
const FIND_DEPLOYMENT_MS = 60_000;

/** Follows the deployment `act` started; see the module comment. */
export async function waitProgressive(
  ctx: Ctx,
  delivery: Progressive,
  journal: Journal<ReleaseRecord>,
  registered: string | null,
  previous: string | null,
): Promise<Ending<ReleaseRecord>> {
  const { deps, req, env } = ctx;
  const ecs = new Ecs(deps.clients.ecs(env));
  const cluster = naming.cluster(req.service, env);
  const service = naming.ecsService(req.service, env);
  const arn = registered;
  let d: ServiceDeployment | undefined;
  for (const start = deps.now().getTime(); ;) {
    d = await deploymentOfRun(ecs, cluster, service, journal.state);
    if (d || deps.now().getTime() - start >= FIND_DEPLOYMENT_MS) break;
    await ctx.checkpoint();
    await deps.sleep(deps.pollMs);
  }
  if (!d?.serviceDeploymentArn)
    return {
      open: true,
      detail: `ECS shows no service deployment for this run after ${FIND_DEPLOYMENT_MS / 1000} s; the next operation settles it from ECS`,
    };
  ctx.step(`following service deployment ${d.serviceDeploymentArn} (${delivery.kind})`);
  journal.note({ serviceDeployment: d.serviceDeploymentArn });
  const stages: DeploymentStage[] = [];
  const marks = new StageMarks(deps, env, journal.state.version, ctx.step);
  const record = async (stage: DeploymentStage, detail: string) => {
    await journal.record('started', { detail, stage, stages: [...stages], taskDefinitionAfter: arn });
    // The outcome record carries every stage, not one of them.
    journal.note({ stage: undefined });
    marks.mark(req.service, stage);
  };
  try {
    const followed = await follow({
      deps,
      env,
      service: req.service,
      arn: d.serviceDeploymentArn,
      delivery,
      log: ctx.step,
      stages,
      returnAtPause: true,
      checkpoint: ctx.checkpoint,
      // The stage a PAUSE hook holds is recorded below, with where to try the new revision.
      onStage: (stage) =>
        stage.awaitingApproval ? Promise.resolve() : record(stage, `stage ${describeStage(stage)}`),
    });
    journal.note({ stages });
    if (followed.kind === 'paused') {
      const where = await testListener(deps, env, req.service, followed.d);
      const detail = `awaiting approval: paused for approval on the test listener: ${where}; run tdr approve --service ${req.service} --env ${env}`;
      await record(stages.at(-1) ?? stageOf(followed.d, deps.now()), detail);
      return { open: true, awaiting: true, detail };
    }
    const evidence =
      followed.kind === 'rolled_back' ? await alarmEvidenceOf(deps, env, followed.d) : undefined;
    const ending = endingOf(followed, arn, previous);
    return evidence && !ending.open
      ? { ...ending, change: { ...ending.change, alarmEvidence: evidence } }
      : ending;
  } finally {
    await marks.settled();
  }
}

/** The outcome to record for a followed deployment that ECS ended (or that outlasted the wait). */
function endingOf(f: Followed, arn: string | null, previous: string | null): Ending<ReleaseRecord> {
  switch (f.kind) {
    case 'succeeded':
      return { open: false, outcome: 'succeeded', detail: null, change: { taskDefinitionAfter: arn } };
    case 'rolled_back':
      return {
        open: false,
        outcome: 'rolled_back',
        detail: f.why,
        change: { taskDefinitionAfter: previous, ...(f.by.length ? { rolledBackBy: f.by } : {}) },
      };
    case 'failed':
      return { open: false, outcome: 'failed', detail: f.why, change: { taskDefinitionAfter: arn } };
    case 'timeout':
      return { open: true, detail: `${f.why}; the next operation settles it from ECS` };
    case 'paused':
      return { open: true, awaiting: true, detail: 'awaiting approval' };
  }
}

/** Where the approver tries the new revision: the test listener's protocol and port on the service's host. */
async function testListener(
  deps: ReleaseDeps,
  env: WorkloadEnvironmentName,
  service: string,
  d: ServiceDeployment,
): Promise<string> {
  const host = naming.hostname(
    serviceEntry(deps.platform, service).hostnamePrefix,
    deps.platform.environments[env].domain ?? `${env}.invalid`,
  );
  const rule = (d.deploymentConfiguration ? await liveRule(deps, env, service) : undefined) ?? undefined;
  const listener = rule
    ? await new LoadBalancers(deps.clients.elbv2(env)).listenerOfRule(rule).catch(() => undefined)
    : undefined;
  return listener ? `${listener.protocol}://${host}:${listener.port}` : `https://${host} (test listener)`;
}

async function liveRule(deps: ReleaseDeps, env: WorkloadEnvironmentName, service: string) {
  const svc = await new Ecs(deps.clients.ecs(env)).activeService(
    naming.cluster(service, env),
    naming.ecsService(service, env),
  );
  return svc?.loadBalancers?.find((l) => l.advancedConfiguration?.testListenerRule)?.advancedConfiguration
    ?.testListenerRule;
}

/** Settles an open run of a progressive service from what ECS reports of its deployment. */
export async function settleProgressive(ctx: Ctx, run: ReleaseRecord, open: readonly ReleaseRecord[]) {
  const { deps, req, env } = ctx;
  const ecs = new Ecs(deps.clients.ecs(env));
  const cluster = naming.cluster(req.service, env);
  const service = naming.ecsService(req.service, env);
  // Only the newest open run can own the newest deployment; older ones were superseded.
  if (run !== open.at(-1))
    return {
      outcome: 'failed' as const,
      detail: `run ${run.runId} (${run.version}) wrote ledger #${run.seq} and no outcome; superseded by run ${open.at(-1)?.runId} before its outcome was recorded`,
      change: {},
    };
  const d = await deploymentOfRun(ecs, cluster, service, run);
  const settled = settlementOf(run, d, deps.now());
  const evidence = d && settled.outcome === 'rolled_back' ? await alarmEvidenceOf(deps, env, d) : undefined;
  return evidence ? { ...settled, change: { ...settled.change, alarmEvidence: evidence } } : settled;
}

// ---- tdr approve at the pause, tdr rollback in flight -------------------------------------------

export interface HeldRequest {
  readonly service: string;
  readonly env: string;
  readonly actor: string;
  readonly wait?: boolean | undefined;
}

export interface HeldResult {
  readonly service: string;
  readonly env: WorkloadEnvironmentName;
  readonly serviceDeployment: string;
  readonly outcome: 'started' | 'succeeded' | 'failed' | 'rolled_back';
  readonly detail: string | null;
  readonly stages: readonly DeploymentStage[];
  readonly ledger: readonly number[];
  /** Slack and the Grafana deploy annotation of the outcome (none while the run stays open). */
  readonly notifications?: readonly NotificationReport[];
}

/** Whether `tdr approve` / `tdr rollback` should act on an ECS deployment rather than the ledger alone. */
export function isProgressive(deps: Pick<ReleaseDeps, 'platform'>, service: string, env: string): boolean {
  try {
    return progressiveDelivery(deps.platform, service, workloadEnv(env)) !== null;
  } catch {
    return false;
  }
}

/**
 * Whether the model pauses `service`'s deployments in `env` for an approval (services/queries.ts
 * `servicesHeldForApproval`): only then may `tdr approve` find one held, and only those services
 * does the approval role (infra/definitions/release-approval.ts) reach.
 */
export function pausesForApproval(
  deps: Pick<ReleaseDeps, 'platform'>,
  service: string,
  env: string,
): boolean {
  try {
    return servicesHeldForApproval(deps.platform, workloadEnv(env)).includes(service);
  } catch {
    return false;
  }
}

/** The in-flight deployment of a progressive service, if ECS is working on one. */
export async function inFlight(
  deps: Pick<ReleaseDeps, 'clients' | 'platform'>,
  service: string,
  env: string,
): Promise<ServiceDeployment | undefined> {
  const e = workloadEnv(env);
  const svc = await new Ecs(deps.clients.ecs(e)).activeService(
    naming.cluster(service, e),
    naming.ecsService(service, e),
  );
  // A service ECS rolls (moto's, or one infra has not moved) has no service deployments to follow.
  if (!progressiveFor(deps.platform, service, e, svc)) return undefined;
  return inFlightDeployment(
    new Ecs(deps.clients.ecs(e)),
    naming.cluster(service, e),
    naming.ecsService(service, e),
  );
}

/**
 * `tdr approve` while ECS holds the promotion at its PAUSE hook: `approval` is the record the
 * approver just wrote (../admin/approve.ts), or a train's approval of the member (../train/held.ts);
 * it must pass the approval gate against the held run's promoter (four eyes) before the deployment
 * continues.
 */
export function continueHeldRelease(
  deps: ReleaseDeps,
  req: HeldRequest,
  approval: ApprovalRecord,
): Promise<{ result: HeldResult; failure: string | null }> {
  return underHeldLease(deps, req, 'approve', async (ecs, d, run, here) => {
    const hold = heldBy(d);
    if (!hold)
      throw new ReleaseInputError(
        `env: ${req.service} in ${req.env} is not paused for approval (${describeStage(stageOf(d, deps.now()))})`,
      );
    const env = workloadEnv(req.env);
    const input: GateInput = {
      action: run.action,
      service: run.service,
      target: deps.platform.environments[env],
      version: run.version,
      digest: run.digest,
      actor: run.actor,
      identity: run.identity ?? null,
      buildUrl: run.buildUrl,
      mgmtAccount: deps.clients.accountIds.mgmt,
      breakGlass: run.breakGlass,
      reason: run.reason,
      now: deps.now(),
      upstream: [],
      // Judged on this approval alone, against the stream as the held run found it: one the
      // approver writes now (tdr approve), or one written before the run for its digest and not
      // used by an earlier run of it (a train's, ../train/held.ts); no other approval stands in.
      here: [...here.filter((r) => r.seq < run.seq && r.kind !== 'approval' && !ofRun(r, run)), approval],
    };
    const gate = approvalGate(input);
    deps.log(`gate ${gate.ok ? '[OK]' : '[NG]'} ${gate.gate}: ${gate.detail}`);
    if (!gate.ok) throw new GateRefusedError([gate]);
    const used = approvalOf(input) ?? approval;
    deps.log(`continuing service deployment ${d.serviceDeploymentArn} (lifecycle hook ${hold.hookId})`);
    await ecs.continueDeployment(d.serviceDeploymentArn!, hold.hookId);
    return {
      approver: used.approver,
      approval: {
        seq: used.seq,
        via: used.via,
        approver: used.approver,
        identity: used.identity,
        buildUrl: used.buildUrl,
      },
    };
  });
}

/** One of the held run's own records (its write-ahead and stage records), whatever the view kept. */
function ofRun(r: LedgerRecord, run: ReleaseRecord): boolean {
  return r.kind === 'release' && r.runId === run.runId;
}

/** `tdr rollback` while ECS is working on a deployment: StopServiceDeployment with ROLLBACK. */
export function stopInFlightRelease(
  deps: ReleaseDeps,
  req: HeldRequest,
): Promise<{ result: HeldResult; failure: string | null }> {
  return underHeldLease(deps, req, 'rollback', async (ecs, d) => {
    deps.log(`stopping service deployment ${d.serviceDeploymentArn} with ROLLBACK`);
    await ecs.stopDeployment(d.serviceDeploymentArn!);
    return { stoppedBy: req.actor };
  });
}

type Acting = (
  ecs: Ecs,
  d: ServiceDeployment,
  run: ReleaseRecord,
  here: readonly LedgerRecord[],
) => Promise<Partial<ReleaseRecord> & { stoppedBy?: string }>;

/**
 * Under the service's lease: the in-flight deployment and the open run it belongs to; `act` on
 * it; then follow it to the end and record the run's outcome (or, with --no-wait, leave it open
 * for the next operation to settle from ECS).
 */
async function underHeldLease(
  deps: ReleaseDeps,
  req: HeldRequest,
  what: 'approve' | 'rollback',
  act: Acting,
): Promise<{ result: HeldResult; failure: string | null }> {
  const held = await followHeld(deps, req, what, act);
  if (!held.notice) return held;
  // Only now, with the lease given back (as the saga does): a slow Slack or Grafana holds no one up.
  const notifications = await notify(held.notice, deps.notifier);
  for (const n of notifications)
    deps.log(`[${what} ${req.service} → ${held.result.env}] notify ${n.channel}: ${n.status} (${n.detail})`);
  return { result: { ...held.result, notifications }, failure: held.failure };
}

/** What the held run came to, and the outcome to announce once the lease is given back. */
interface Held {
  readonly result: HeldResult;
  readonly failure: string | null;
  readonly notice?: Notification;
}

async function followHeld(
  deps: ReleaseDeps,
  req: HeldRequest,
  what: 'approve' | 'rollback',
  act: Acting,
): Promise<Held> {
  const env = workloadEnv(req.env);
  const delivery = progressiveDelivery(deps.platform, req.service, env);
  if (!delivery) throw new ReleaseInputError(`service: ${req.service} is released rolling in ${env}`);
  const log = (l: string) => deps.log(`[${what} ${req.service} → ${env}] ${l}`);
  const leases = leasesOf(deps);
  const runId = deps.newRunId();
  const lease = await leases.acquire(
    req.service,
    env,
    `${req.actor} (${what} in flight, run ${runId})`,
    runId,
    deps.leaseTtlMs,
  );
  const guard = new LeaseGuard(leases, lease, deps.leaseTtlMs, deps);
  guard.start();
  try {
    const ecs = new Ecs(deps.clients.ecs(env));
    const ledger = ledgerOf(deps);
    const [view, d] = await Promise.all([
      ledger.view(req.service, env),
      inFlightDeployment(ecs, naming.cluster(req.service, env), naming.ecsService(req.service, env)),
    ]);
    if (!d?.serviceDeploymentArn)
      throw new ReleaseInputError(`env: ECS has no deployment of ${req.service} in flight in ${env}`);
    const run = unsettledRuns(view.records).at(-1);
    if (!run)
      throw new ReleaseFailedError(
        `ECS is working on ${d.serviceDeploymentArn} but the ledger has no open run of ${req.service} in ${env}: adopt it first (tdr adopt)`,
      );
    await guard.checkpoint();
    const change = await act(ecs, d, run, view.records);
    const { stoppedBy, ...recorded } = change;
    const known = { lastSeq: view.lastSeq, records: [...view.records] };
    if (req.wait === false) {
      log(
        'not waiting (--no-wait): the next operation on this service and environment settles the outcome from ECS',
      );
      return {
        result: heldResult(req, env, d.serviceDeploymentArn, 'started', null, run.stages ?? [], []),
        failure: null,
      };
    }
    return await followAndRecord(deps, req, what, guard, {
      arn: d.serviceDeploymentArn,
      run,
      delivery,
      recorded,
      stoppedBy,
      known,
      log,
    });
  } finally {
    guard.stop();
    await leases.release(guard.current).catch(() => undefined);
  }
}

/** After `act`: follow the held deployment to its end, a stage record per new stage, then the outcome. */
async function followAndRecord(
  deps: ReleaseDeps,
  req: HeldRequest,
  what: 'approve' | 'rollback',
  guard: LeaseGuard,
  h: {
    arn: string;
    run: ReleaseRecord;
    delivery: Progressive;
    recorded: Partial<ReleaseRecord>;
    stoppedBy: string | undefined;
    known: { lastSeq: number; records: LedgerRecord[] };
    log: (l: string) => void;
  },
): Promise<Held> {
  const { arn, run, delivery, recorded, stoppedBy, known, log } = h;
  const env = workloadEnv(req.env);
  const stages = [...(run.stages ?? [])];
  const marks = new StageMarks(deps, env, run.version, log);
  const { onStage, written } = heldStageRecords(deps, { run, recorded, stages, known, marks, log });
  try {
    const followed = await follow({
      deps: { ...deps, sleep: guard.sleep },
      env,
      service: req.service,
      arn: arn,
      delivery,
      log,
      stages,
      returnAtPause: false,
      checkpoint: () => guard.checkpoint(),
      onStage,
    });
    if (followed.kind === 'timeout' || followed.kind === 'paused') {
      log(
        `${'why' in followed ? followed.why : 'paused'}: the run stays open; the next operation settles it from ECS`,
      );
      return {
        result: heldResult(req, env, arn, 'started', null, stages, written),
        failure: `service deployment ${arn} did not end while followed`,
      };
    }
    await guard.held();
    const held = await recordHeld(deps, req, what, {
      run,
      stages,
      followed,
      recorded,
      stoppedBy,
      known,
      log,
    });
    return { ...held, result: { ...held.result, ledger: [...written, ...held.result.ledger] } };
  } finally {
    await marks.settled();
  }
}

/** The held run's outcome, from where ECS ended the deployment, appended as its settlement. */
async function recordHeld(
  deps: ReleaseDeps,
  req: HeldRequest,
  what: 'approve' | 'rollback',
  h: {
    run: ReleaseRecord;
    stages: DeploymentStage[];
    followed: Exclude<Followed, { kind: 'timeout' | 'paused' }>;
    recorded: Partial<ReleaseRecord>;
    stoppedBy: string | undefined;
    known: { lastSeq: number; records: LedgerRecord[] };
    log: (l: string) => void;
  },
): Promise<Held> {
  const { run, stages, followed, known, log } = h;
  const env = workloadEnv(req.env);
  const { seq: _s, recordedAt: _r, schema: _c, stage: _stage, ...base } = run;
  const settled = settlementOf({ ...run, stages }, followed.d, deps.now());
  const evidence =
    settled.outcome === 'rolled_back' ? await alarmEvidenceOf(deps, env, followed.d) : undefined;
  const detail =
    what === 'rollback' && settled.outcome === 'rolled_back'
      ? `rolled back by ${h.stoppedBy} (tdr rollback: StopServiceDeployment ROLLBACK) while ${describeStage(stages.at(-2) ?? stageOf(followed.d, deps.now()))}`
      : followed.kind === 'rolled_back' || followed.kind === 'failed'
        ? followed.why
        : null;
  const rec = await ledgerOf(deps).append(
    {
      ...base,
      ...h.recorded,
      ...settled.change,
      ...(evidence ? { alarmEvidence: evidence } : {}),
      outcome: settled.outcome,
      detail,
      taskDefinitionAfter:
        settled.outcome === 'succeeded' ? run.taskDefinitionAfter : run.taskDefinitionBefore,
      finishedAt: deps.now().toISOString(),
      settles: run.seq,
    } as NewRecord,
    known,
  );
  log(`ledger #${rec.seq}: ${settled.outcome}${detail ? ` (${detail})` : ''}`);
  const ok = what === 'rollback' ? settled.outcome === 'rolled_back' : settled.outcome === 'succeeded';
  const arn = followed.d.serviceDeploymentArn ?? run.serviceDeployment ?? '';
  return {
    // Announced as the saga announces a run's outcome: the run's action and actor, this outcome.
    notice: {
      service: run.service,
      env,
      version: run.version,
      digest: run.digest,
      action: run.action,
      outcome: settled.outcome,
      actor: run.actor,
      detail,
      time: deps.now(),
    },
    result: heldResult(req, env, arn, settled.outcome, detail, stages, [rec.seq]),
    failure: ok
      ? null
      : `${what} of ${req.service} in ${env}: ${settled.outcome}${detail ? `: ${detail}` : ''}`,
  };
}

function heldResult(
  req: HeldRequest,
  env: WorkloadEnvironmentName,
  serviceDeployment: string,
  outcome: HeldResult['outcome'],
  detail: string | null,
  stages: readonly DeploymentStage[],
  ledger: readonly number[],
): HeldResult {
  return { service: req.service, env, serviceDeployment, outcome, detail, stages, ledger };
}

export { heldBy, isInFlight };
