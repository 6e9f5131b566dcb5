/**
 * Progressive delivery of an ECS service (blue/green, canary, linear): ECS shifts the traffic
 * itself (`deploymentController.type = ECS`, `deploymentConfiguration.strategy`); the engine
 * follows the service deployment stage by stage, records each stage, judges each bake step with
 * the canary judge (../judge), and stops the deployment with ROLLBACK when the judge does not pass.
 * ECS's own alarms (`deploymentConfiguration.alarms {enable, rollback}`) roll back independently.
 *
 * What it reads, and where each field is defined (ECS API reference; the installed
 * `@aws-sdk/client-ecs` 3.1164 model repeats them in `ServiceDeployment`):
 * - API_ServiceDeployment.html: `status` (PENDING, IN_PROGRESS, SUCCESSFUL, STOPPED,
 *   ROLLBACK_REQUESTED, ROLLBACK_IN_PROGRESS, ROLLBACK_SUCCESSFUL, ROLLBACK_FAILED), `lifecycleStage`,
 *   `statusReason`, `updatedAt`, `rollback {reason, startedAt}`, `alarms {status, triggeredAlarmNames}`,
 *   `lifecycleHookDetails[] {hookId, targetType, status AWAITING_ACTION…, expiresAt}`
 * - API_ServiceRevisionSummary.html: `requestedProductionTrafficWeight`, `requestedTestTrafficWeight`
 *   of the target revision (the split)
 * - API_ContinueServiceDeployment.html (the hook id from lifecycleHookDetails) and
 *   API_StopServiceDeployment.html (stopType ROLLBACK): ../aws/ecs.ts
 * ECS reports no "bake left": it is estimated from the configuration's bake minutes and the
 * deployment's `updatedAt` (when it entered the step), and labelled an estimate where shown.
 */
import type { Service, ServiceDeployment } from '@aws-sdk/client-ecs';
import type { Platform } from '../../../services/config';
import { plannedMinutes, type DeliveryStrategy, type RollingDelivery } from '../../../services/delivery';
import type { WorkloadEnvironmentName } from '../../../services/environments';
import { naming } from '../../../services/naming';
import { deliveryStrategy } from '../../../services/queries';
import { Ecs, IN_FLIGHT } from '../aws/ecs';
import { LoadBalancers } from '../aws/elbv2';
import { describeAlarms, getMetricData } from '../aws/cloudwatch';
import { DeploymentInFlightError } from '../errors';
import { DEFAULT_JUDGE_SETTINGS, judge, metricDataQueries, plan, type JudgeSubject } from '../judge/judge';
import { MAX_STAGES, type DeploymentStage, type ReleaseRecord } from '../ledger/ledger';
import { describeStage } from '../ledger/stage-line';
import type { ReleaseDeps } from '../saga/context';

export type Progressive = Exclude<DeliveryStrategy, RollingDelivery>;

/** The service's strategy in `env` when ECS shifts its traffic (null: rolling, as before). */
export function progressiveDelivery(
  platform: Platform,
  service: string,
  env: WorkloadEnvironmentName,
): Progressive | null {
  const d = deliveryStrategy(platform, service, env);
  return d && d.kind !== 'rolling' ? d : null;
}

/**
 * Whether ECS shifts this service's traffic itself: its `deploymentConfiguration.strategy`
 * (DescribeServices; ROLLING when absent: API_DeploymentConfiguration.html) is BLUE_GREEN, CANARY
 * or LINEAR. The model says what the strategy should be; only infra applies it, so the engine acts
 * on what ECS has (a sandbox on moto, or a service infra has not yet moved, is rolling).
 */
export function shiftsTraffic(svc: Service | undefined): boolean {
  const strategy = svc?.deploymentConfiguration?.strategy ?? 'ROLLING';
  return strategy === 'BLUE_GREEN' || strategy === 'CANARY' || strategy === 'LINEAR';
}

/** Whether ECS will hold the service's deployments for an approval: a PAUSE hook after test traffic. */
export function holdsForApproval(svc: Service | undefined): boolean {
  return (svc?.deploymentConfiguration?.lifecycleHooks ?? []).some(
    (h) => h.targetType === 'PAUSE' && (h.lifecycleStages ?? []).includes('POST_TEST_TRAFFIC_SHIFT'),
  );
}

/**
 * The strategy the engine follows: the model's, when ECS really shifts the service's traffic;
 * null (rolling, as before) otherwise.
 */
export function progressiveFor(
  platform: Platform,
  service: string,
  env: WorkloadEnvironmentName,
  live: Service | undefined,
): Progressive | null {
  const d = progressiveDelivery(platform, service, env);
  return d && shiftsTraffic(live) ? d : null;
}

/** The PAUSE hook holding `d`, if one is (lifecycleHookDetails, status AWAITING_ACTION). */
export function heldBy(d: ServiceDeployment): { hookId: string; expiresAt: Date | null } | undefined {
  const h = (d.lifecycleHookDetails ?? []).find(
    (x) => x.targetType === 'PAUSE' && x.status === 'AWAITING_ACTION' && x.hookId,
  );
  return h?.hookId ? { hookId: h.hookId, expiresAt: h.expiresAt ?? null } : undefined;
}

export const isInFlight = (d: ServiceDeployment): boolean => IN_FLIGHT.includes(d.status ?? 'PENDING');

/** Minutes the step `d` is in bakes for, by the configuration; null when it is no bake. */
function bakeMinutes(d: ServiceDeployment): number | null {
  const c = d.deploymentConfiguration;
  const production = d.targetServiceRevision?.requestedProductionTrafficWeight ?? null;
  if (d.lifecycleStage === 'BAKE_TIME') return c?.bakeTimeInMinutes ?? 0;
  if (d.lifecycleStage !== 'PRODUCTION_TRAFFIC_SHIFT' || production === null) return null;
  if (production <= 0 || production >= 100) return null;
  if (c?.strategy === 'CANARY') return c.canaryConfiguration?.canaryBakeTimeInMinutes ?? null;
  if (c?.strategy === 'LINEAR') return c.linearConfiguration?.stepBakeTimeInMinutes ?? null;
  return null;
}

/** What the engine records of `d` now (pure). */
export function stageOf(d: ServiceDeployment, now: Date): DeploymentStage {
  const minutes = bakeMinutes(d);
  const since = d.updatedAt ? Math.max(0, (now.getTime() - d.updatedAt.getTime()) / 1000) : 0;
  return {
    at: now.toISOString(),
    stage: d.lifecycleStage ?? 'UNKNOWN',
    status: d.status ?? 'UNKNOWN',
    production: d.targetServiceRevision?.requestedProductionTrafficWeight ?? null,
    test: d.targetServiceRevision?.requestedTestTrafficWeight ?? null,
    bakeLeftSeconds:
      minutes === null || !isInFlight(d) ? null : Math.max(0, Math.round(minutes * 60 - since)),
    awaitingApproval: heldBy(d) !== undefined,
  };
}

/** Whether two pictures are the same stage (a new one is recorded only when this is false). */
const sameStage = (a: DeploymentStage | undefined, b: DeploymentStage) =>
  !!a &&
  a.stage === b.stage &&
  a.status === b.status &&
  a.production === b.production &&
  a.test === b.test &&
  a.awaitingApproval === b.awaitingApproval;

/**
 * What makes a stage worth its own ledger record and Grafana mark: ECS's lifecycle stage, whether
 * it is on its way back (ROLLBACK_* statuses) and whether a PAUSE hook holds it. A follower that
 * sees the same key again (a linear deployment's steps within PRODUCTION_TRAFFIC_SHIFT, a stage
 * seen on every poll) writes nothing new: at most 3 × the lifecycle stages
 * (API_ServiceDeployment.html `lifecycleStage`, ten values) per run.
 */
export function stageKey(s: Pick<DeploymentStage, 'stage' | 'status' | 'awaitingApproval'>): string {
  return [
    s.stage,
    s.status.startsWith('ROLLBACK') ? 'rollback' : null,
    s.awaitingApproval ? 'awaiting' : null,
  ]
    .filter(Boolean)
    .join(' ');
}

/** The deployment a run started: the newest one ECS created at or after the run's start. */
export async function deploymentOfRun(
  ecs: Ecs,
  cluster: string,
  service: string,
  run: Pick<ReleaseRecord, 'startedAt' | 'serviceDeployment'>,
): Promise<ServiceDeployment | undefined> {
  if (run.serviceDeployment) return ecs.serviceDeployment(run.serviceDeployment);
  const started = Date.parse(run.startedAt);
  // Clocks differ by seconds between the caller and ECS; a minute's slack, and only the newest.
  return (await ecs.serviceDeployments(cluster, service, 1)).find(
    (d) => (d.createdAt?.getTime() ?? 0) >= started - 60_000,
  );
}

/** The newest deployment of the service ECS is still working on, if any. */
export async function inFlightDeployment(
  ecs: Ecs,
  cluster: string,
  service: string,
): Promise<ServiceDeployment | undefined> {
  return (await ecs.serviceDeployments(cluster, service, 5)).find(isInFlight);
}

/** How a followed deployment ended, or where it stopped being followed. */
export type Followed =
  | { readonly kind: 'succeeded'; readonly d: ServiceDeployment }
  | {
      readonly kind: 'rolled_back';
      readonly d: ServiceDeployment;
      readonly by: string[];
      readonly why: string;
    }
  | { readonly kind: 'failed'; readonly d: ServiceDeployment; readonly why: string }
  | { readonly kind: 'paused'; readonly d: ServiceDeployment; readonly hookId: string }
  | { readonly kind: 'timeout'; readonly d: ServiceDeployment | undefined; readonly why: string };

export interface FollowOptions {
  readonly deps: Pick<ReleaseDeps, 'clients' | 'now' | 'sleep' | 'pollMs' | 'timeoutMs'>;
  readonly env: WorkloadEnvironmentName;
  readonly service: string;
  readonly arn: string;
  readonly delivery: Progressive;
  readonly log: (line: string) => void;
  /** Every stage seen so far (appended to). */
  readonly stages: DeploymentStage[];
  /** Stop following (and say so) when a PAUSE hook holds the deployment. */
  readonly returnAtPause: boolean;
  /** Called between polls: throws to stop (interrupted, lease lost). */
  readonly checkpoint: () => Promise<void>;
  /**
   * Called once per new `stageKey` of the run (keys of `stages` given count as seen) while ECS is
   * still working on it, after `stages` has it: the caller records it (a stage record) and marks
   * it in Grafana. Not called for the stage ECS ends in (the outcome record carries that one).
   */
  readonly onStage?:
    ((stage: DeploymentStage, stages: readonly DeploymentStage[]) => Promise<void>) | undefined;
}

/**
 * Follows the deployment until ECS ends it (or, with `returnAtPause`, until a PAUSE hook holds
 * it): each new stage is logged and kept; each bake step is judged just before it ends, and a
 * judgement that is not a pass stops the deployment with ROLLBACK (no data never promotes).
 */
export async function follow(o: FollowOptions): Promise<Followed> {
  const ecs = new Ecs(o.deps.clients.ecs(o.env));
  // A canary of 15 + 15 minutes outlasts the rolling wait: the plan's minutes come on top, and
  // scaling the new revision up and the old one down may each take as long as a rolling deploy.
  const timeoutMs = 2 * o.deps.timeoutMs + plannedMinutes(o.delivery) * 60_000;
  const start = o.deps.now().getTime();
  const judged = new Set<string>();
  let stopped: string | null = null;
  let last: ServiceDeployment | undefined;
  const recorded = new Set(o.stages.map(stageKey));
  for (;;) {
    const d = await ecs.serviceDeployment(o.arn);
    if (!d) return { kind: 'failed', d: {}, why: `ECS reports service deployment ${o.arn} missing` };
    last = d;
    const now = o.deps.now();
    const stage = stageOf(d, now);
    if (!sameStage(o.stages.at(-1), stage)) {
      if (o.stages.length < MAX_STAGES) o.stages.push(stage);
      o.log(`stage ${describeStage(stage)}`);
    }
    const ended = endOf(d, stopped);
    if (ended) return ended;
    if (!recorded.has(stageKey(stage))) {
      recorded.add(stageKey(stage));
      await o.onStage?.(stage, o.stages);
    }
    const hold = heldBy(d);
    if (hold && o.returnAtPause) return { kind: 'paused', d, hookId: hold.hookId };
    const step = `${stage.stage} ${stage.production}`;
    if (
      !stopped &&
      d.status === 'IN_PROGRESS' &&
      stage.stage === 'PRODUCTION_TRAFFIC_SHIFT' &&
      stage.bakeLeftSeconds !== null &&
      stage.bakeLeftSeconds * 1000 <= o.deps.pollMs &&
      !judged.has(step)
    ) {
      judged.add(step);
      const j = await judgeStep(o, d, now);
      const judgedStage = { ...stage, judgement: j };
      if (o.stages.length < MAX_STAGES) o.stages.push(judgedStage);
      o.log(`judged ${j.verdict}: ${j.reason}`);
      if (j.verdict !== 'pass') {
        await o.checkpoint();
        stopped = `the canary judge said ${j.verdict} at ${stage.production}% (${j.reason})`;
        o.log(`stopping service deployment ${o.arn} with ROLLBACK: ${stopped}`);
        await ecs.stopDeployment(o.arn);
        continue;
      }
    }
    if (now.getTime() - start >= timeoutMs)
      return {
        kind: 'timeout',
        d: last,
        why: `ECS had not ended service deployment ${o.arn} after ${Math.round(timeoutMs / 60_000)} min (${describeStage(stage)})`,
      };
    await o.checkpoint();
    await o.deps.sleep(
      Math.min(o.deps.pollMs, Math.max(1000, (stage.bakeLeftSeconds ?? Infinity) * 1000 - o.deps.pollMs / 2)),
    );
  }
}

/** Where a deployment ECS finished ended; undefined while it is in flight. */
export function endOf(d: ServiceDeployment, stoppedBecause: string | null = null): Followed | undefined {
  switch (d.status) {
    case 'SUCCESSFUL':
      return { kind: 'succeeded', d };
    case 'ROLLBACK_SUCCESSFUL': {
      const by = d.alarms?.triggeredAlarmNames ?? [];
      const why =
        by.length > 0
          ? `rolled back by ${by.join(', ')}`
          : stoppedBecause
            ? `rolled back: ${stoppedBecause}`
            : `rolled back by ECS: ${d.rollback?.reason ?? d.statusReason ?? 'no reason given'}`;
      return { kind: 'rolled_back', d, by, why };
    }
    case 'ROLLBACK_FAILED':
      return { kind: 'failed', d, why: `ECS could not roll back: ${d.statusReason ?? 'no reason given'}` };
    case 'STOPPED':
      return { kind: 'failed', d, why: `ECS stopped the deployment: ${d.statusReason ?? 'no reason given'}` };
    default:
      return undefined;
  }
}

type StepJudgement = NonNullable<DeploymentStage['judgement']>;

/**
 * The canary judge over the step's window: the canary's and the baseline's target groups (the
 * production listener rule's weighted forward, which ECS sets: the smaller non-zero weight is the
 * canary's), CloudWatch GetMetricData, ../judge. Anything missing is inconclusive, never a pass.
 */
async function judgeStep(o: FollowOptions, d: ServiceDeployment, now: Date): Promise<StepJudgement> {
  const inconclusive = (reason: string): StepJudgement => ({
    verdict: 'inconclusive',
    reason,
    evidence: null,
  });
  const cwOf = o.deps.clients.cloudWatch;
  const subject = await canarySubject(o, d.targetServiceRevision?.requestedProductionTrafficWeight);
  if (typeof subject === 'string') return inconclusive(subject);
  const from = d.updatedAt ?? new Date(now.getTime() - 60_000);
  const end = new Date(Math.floor(now.getTime() / 60_000) * 60_000);
  const start = new Date(Math.ceil(from.getTime() / 60_000) * 60_000);
  if (end.getTime() - start.getTime() < 60_000)
    return inconclusive(`the step's window ${start.toISOString()}–${end.toISOString()} is under a minute`);
  const p = plan(subject, { start, end }, now, DEFAULT_JUDGE_SETTINGS);
  const { series } = await getMetricData(cwOf(o.env), metricDataQueries(p), { start, end });
  const j = judge(p, series);
  const reasons = j.checks.filter((c) => c.verdict !== 'pass').map((c) => `${c.check}: ${c.reason}`);
  return {
    verdict: j.verdict,
    reason: reasons.join('; ') || 'every check passed',
    evidence: JSON.parse(JSON.stringify(j)) as Record<string, unknown>,
  };
}

/**
 * The judge's subject from the production listener rule's weights; a string says why not. The
 * canary's target group is the one whose share is the target revision's production weight
 * (API_ServiceRevisionSummary `requestedProductionTrafficWeight`): past 50 % (a linear step at 60 %)
 * it is the larger one.
 */
async function canarySubject(o: FollowOptions, production?: number): Promise<JudgeSubject | string> {
  const svc = await new Ecs(o.deps.clients.ecs(o.env)).activeService(
    naming.cluster(o.service, o.env),
    naming.ecsService(o.service, o.env),
  );
  const rule = svc?.loadBalancers?.find((l) => l.advancedConfiguration?.productionListenerRule)
    ?.advancedConfiguration?.productionListenerRule;
  if (!rule) return 'the service has no production listener rule (loadBalancers[].advancedConfiguration)';
  const weights = await new LoadBalancers(o.deps.clients.elbv2(o.env)).forwardWeights(rule);
  const total = weights.reduce((n, w) => n + w.weight, 0);
  const off = (w: { weight: number }) => Math.abs((w.weight * 100) / (total || 1) - (production ?? 0));
  const live = weights
    .filter((w) => w.weight > 0)
    .sort((a, b) => (production === undefined ? a.weight - b.weight : off(a) - off(b)));
  const [canary, baseline] = live;
  if (!canary || !baseline || live.length !== 2)
    return `the production rule forwards to ${live.length} weighted target group(s), not a canary and a baseline`;
  // At an even split (a linear step at 50 %) the weights cannot say which one is the canary.
  if (canary.weight === baseline.weight)
    return `the production rule splits ${canary.weight}/${baseline.weight}: which target group is the canary's is not known`;
  // listener-rule/app/{name}/{id}/… → app/{name}/{id}; targetgroup/{name}/{id} after the colon.
  const lb = /listener-rule\/(app\/[^/]+\/[^/]+)\//.exec(rule)?.[1];
  const tg = (arn: string) => /:(targetgroup\/[^/]+\/[^/]+)$/.exec(arn)?.[1];
  const [c, b] = [tg(canary.targetGroupArn), tg(baseline.targetGroupArn)];
  if (!lb || !c || !b) return `cannot read CloudWatch dimensions from ${rule} and its target groups`;
  return { kind: 'target-groups', loadBalancer: lb, canary: c, baseline: b };
}

/** A run the ledger left open, settled from what ECS reports of its deployment. */
export function settlementOf(
  run: ReleaseRecord,
  d: ServiceDeployment | undefined,
  now: Date,
): { outcome: 'succeeded' | 'failed' | 'rolled_back'; detail: string; change: Partial<ReleaseRecord> } {
  const what = `run ${run.runId} (${run.version}) wrote ledger #${run.seq} and no outcome`;
  if (!d)
    return {
      outcome: 'failed',
      detail: `${what}; ECS reports no service deployment started by it`,
      change: {},
    };
  if (isInFlight(d)) {
    const hold = heldBy(d);
    throw new DeploymentInFlightError(
      `${what}, and ECS is still working on it: ${describeStage(stageOf(d, now))}. ` +
        (hold
          ? `Approve it (tdr approve --service ${run.service} --env ${run.env}) or roll it back (tdr rollback --service ${run.service} --env ${run.env}).`
          : `Wait for it, or roll it back (tdr rollback --service ${run.service} --env ${run.env}).`),
    );
  }
  const ended = endOf(d) ?? { kind: 'failed' as const, d, why: `ECS reports ${d.status}` };
  const stages = [...(run.stages ?? []), stageOf(d, now)].slice(-MAX_STAGES);
  const change: Partial<ReleaseRecord> = {
    serviceDeployment: d.serviceDeploymentArn ?? run.serviceDeployment,
    stages,
    // The run's newest record may be a stage record; its outcome is of no one stage.
    stage: undefined,
    ...(ended.kind === 'rolled_back' && ended.by.length > 0 ? { rolledBackBy: ended.by } : {}),
  };
  if (ended.kind === 'succeeded')
    return {
      outcome: 'succeeded',
      detail: `${what}; ECS completed service deployment ${d.serviceDeploymentArn}`,
      change,
    };
  if (ended.kind === 'rolled_back')
    return { outcome: 'rolled_back', detail: `${what}; ${ended.why}`, change };
  return { outcome: 'failed', detail: `${what}; ${'why' in ended ? ended.why : d.status}`, change };
}

export type AlarmEvidence = NonNullable<ReleaseRecord['alarmEvidence']>;

/**
 * The evidence of a rollback by alarm, recorded with "rolled back by <alarm>": ECS's own account
 * (`ServiceDeployment.rollback {reason, startedAt}`, `statusReason`) and what CloudWatch says of
 * each alarm ECS names in `alarms.triggeredAlarmNames` (DescribeAlarms: state, state reason, when
 * it changed), asked as the engine sees the rollback, so an alarm that has since gone back to OK
 * says so. Best effort: CloudWatch failing is recorded as `error`, never fails the record.
 * Undefined when no alarm rolled `d` back.
 */
export async function alarmEvidenceOf(
  deps: Pick<ReleaseDeps, 'clients'>,
  env: WorkloadEnvironmentName,
  d: ServiceDeployment,
): Promise<AlarmEvidence | undefined> {
  const names = d.alarms?.triggeredAlarmNames ?? [];
  if (names.length === 0 || !d.status?.startsWith('ROLLBACK')) return undefined;
  const ecs = {
    ecsReason: d.rollback?.reason ?? d.statusReason ?? null,
    rollbackStartedAt: d.rollback?.startedAt?.toISOString() ?? null,
  };
  try {
    return { ...ecs, alarms: await describeAlarms(deps.clients.cloudWatch(env), names), error: null };
  } catch (err) {
    const alarms = names.map((name) => ({ name, state: null, stateReason: null, stateUpdatedAt: null }));
    return { ...ecs, alarms, error: (err as Error).message.split('\n')[0] ?? 'unknown error' };
  }
}
