/**
 * A stand-in for the ECS service-deployment lifecycle: moto runs no deployment stages, shifts no
 * traffic and holds no lifecycle hook, so a progressive deployment can be proved only against this.
 *
 * Written from the ECS API reference and the developer guide, which it follows and nothing else:
 * - https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ServiceDeployment.html (the stages:
 *   RECONCILE_SERVICE, PRE_SCALE_UP, SCALE_UP, POST_SCALE_UP, TEST_TRAFFIC_SHIFT, POST_TEST_TRAFFIC_SHIFT,
 *   PRODUCTION_TRAFFIC_SHIFT, POST_PRODUCTION_TRAFFIC_SHIFT, BAKE_TIME, CLEAN_UP; statuses; rollback; alarms)
 * - API_DescribeServiceDeployments.html (≤ 20 ARNs; an unknown one is a failure, not an error),
 *   API_ListServiceDeployments.html (service, cluster, status filter, maxResults 1–100, default 20),
 *   API_ContinueServiceDeployment.html (hookId from lifecycleHookDetails; action CONTINUE | ROLLBACK),
 *   API_StopServiceDeployment.html (stopType ROLLBACK, "the valid values are ROLLBACK")
 * - API_DeploymentLifecycleHook.html (PAUSE "cannot be configured at TEST_TRAFFIC_SHIFT or
 *   PRODUCTION_TRAFFIC_SHIFT"), API_DeploymentLifecycleHookTimeoutConfiguration.html (1–20160
 *   minutes, default 1440; action default ROLLBACK), API_ServiceRevisionSummary.html (traffic weights)
 * - developer guide: deployment-type-blue-green.html, canary-deployment.html, linear-deployment.html
 *   (canary: the canary share, the canary bake, then the rest; linear: equal steps, a step bake
 *   between them and none after 100 %; then BAKE_TIME with both revisions up, then CLEAN_UP).
 * The shapes are the SDK's own types (`@aws-sdk/client-ecs`), and ./ecs-deployments.test.ts checks
 * every member name and enum value it emits against the SDK's runtime schemas.
 *
 * AWS_LAMBDA hooks at PRODUCTION_TRAFFIC_SHIFT: after each shift step the deployment waits on the
 * function, called in-process by `invokeLambdaHooks` (./ecs-lambda-hooks.ts); assumed (the guide is
 * silent): the step's bake begins once the hook has SUCCEEDED. Refused, not modelled: ROLLING
 * (moto's own rollouts cover it), AWS_LAMBDA hooks at other stages or during a rollback,
 * PRE_PRODUCTION_TRAFFIC_SHIFT (not in the SDK's stage enum), StopServiceDeployment ABORT,
 * RECONCILE_SERVICE (only with several ACTIVE revisions), ListServiceDeployments' createdAt filter.
 * Assumed where the reference is silent: each stage that is not a bake, and a rollback, takes
 * `stageSeconds`; ListServiceDeployments lists newest first. Used by the integration tests (behind
 * the proxy, test/support/ecs-deployments-wire.ts) and by `tdr sandbox demo`
 * (./ecs-canary-world.ts, in front of moto for the service-deployment calls only): the sandbox runs it.
 * Driven by an injected clock: nothing happens until a call reads the state, which first brings
 * every deployment up to `clock.now()`, so a test of a 15-minute bake runs in milliseconds.
 */
import {
  ConflictException,
  ContinueServiceDeploymentCommand,
  DescribeServiceDeploymentsCommand,
  ECSClient,
  InvalidParameterException,
  ListServiceDeploymentsCommand,
  ServiceDeploymentNotFoundException,
  StopServiceDeploymentCommand,
  type ContinueServiceDeploymentCommandInput,
  type ContinueServiceDeploymentCommandOutput,
  type DeploymentConfiguration,
  type DeploymentLifecycleHook,
  type DeploymentLifecycleHookAction,
  type DeploymentLifecycleHookDetail,
  type DescribeServiceDeploymentsCommandInput,
  type DescribeServiceDeploymentsCommandOutput,
  type ListServiceDeploymentsCommandInput,
  type ListServiceDeploymentsCommandOutput,
  type ServiceDeployment,
  type ServiceDeploymentBrief,
  type ServiceDeploymentStatus,
  type StopServiceDeploymentCommandInput,
  type StopServiceDeploymentCommandOutput,
} from '@aws-sdk/client-ecs';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import { checkConfiguration, plan, type Phase } from './ecs-deployment-plan';
import { invokeHook, lambdaHookAt, type LambdaInvoke } from './ecs-lambda-hooks';

export { PAUSE_FORBIDDEN } from './ecs-deployment-plan';

export interface Clock {
  now(): number;
}

/** A clock that moves only when told. */
export class ManualClock implements Clock {
  constructor(private t = Date.UTC(2026, 0, 5, 10, 0, 0)) {}
  now(): number {
    return this.t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

const MINUTE = 60_000;
const TERMINAL: readonly ServiceDeploymentStatus[] = [
  'SUCCESSFUL',
  'STOPPED',
  'ROLLBACK_SUCCESSFUL',
  'ROLLBACK_FAILED',
];

type HookState = { readonly detail: DeploymentLifecycleHookDetail & { hookId: string } };

/** An AWS_LAMBDA hook the deployment waits on: when ECS invokes it next, what it carries over. */
interface LambdaHookState extends HookState {
  readonly hook: DeploymentLifecycleHook;
  dueAt: number;
  carried?: Record<string, unknown>;
}

interface Deployment {
  readonly arn: string;
  readonly serviceArn: string;
  readonly clusterArn: string;
  readonly createdAt: number;
  readonly config: DeploymentConfiguration;
  readonly desiredCount: number;
  readonly source: string;
  readonly target: string;
  readonly phases: readonly Phase[];
  status: ServiceDeploymentStatus;
  statusReason?: string;
  updatedAt: number;
  /** Index of the phase in progress; phases.length once they are all done. */
  phase: number;
  phaseStartedAt: number;
  /** A PAUSE hook holding the deployment at the current phase's stage. */
  paused?: HookState;
  /** An AWS_LAMBDA hook holding the deployment after the current phase's traffic shift. */
  lambda?: LambdaHookState;
  hooks: HookState[];
  production: number;
  test: number;
  targetRunning: boolean;
  sourceStopped: boolean;
  rollback?: { reason: string; startedAt: number };
  triggeredAlarms: string[];
  finishedAt?: number;
  stoppedAt?: number;
}

interface StandInService {
  readonly clusterArn: string;
  readonly serviceArn: string;
  desiredCount: number;
  config: DeploymentConfiguration;
  revision: string;
  deployments: Deployment[];
}

export interface StandInOptions {
  readonly clock: Clock;
  readonly region?: string;
  readonly accountId?: string;
  /** How long each stage that is not a bake takes (the reference gives no number). */
  readonly stageSeconds?: number;
}

const invalid = (message: string) => new InvalidParameterException({ message, $metadata: {} });

export class EcsDeploymentsStandIn {
  private readonly clock: Clock;
  private readonly region: string;
  private readonly accountId: string;
  private readonly stageMs: number;
  private readonly services = new Map<string, StandInService>();
  private readonly alarms = new Map<string, 'OK' | 'ALARM'>();
  private sequence = 0;

  constructor(opts: StandInOptions) {
    this.clock = opts.clock;
    this.region = opts.region ?? 'eu-west-2';
    this.accountId = opts.accountId ?? '222222222222';
    this.stageMs = (opts.stageSeconds ?? 30) * 1000;
  }

  /** A service running `revision`, configured as UpdateService would configure it. */
  addService(
    cluster: string,
    service: string,
    opts: { desiredCount: number; config: DeploymentConfiguration; revision?: string },
  ): string {
    checkConfiguration(opts.config);
    const arn = `arn:aws:ecs:${this.region}:${this.accountId}:service/${cluster}/${service}`;
    this.services.set(arn, {
      clusterArn: `arn:aws:ecs:${this.region}:${this.accountId}:cluster/${cluster}`,
      serviceArn: arn,
      desiredCount: opts.desiredCount,
      config: opts.config,
      revision: opts.revision ?? this.revisionArn(cluster, service),
      deployments: [],
    });
    return arn;
  }

  /** What UpdateService with a new task definition starts: a service deployment to a new revision. */
  startDeployment(cluster: string, service: string): string {
    const svc = this.service(cluster, service);
    const live = svc.deployments.find((d) => !TERMINAL.includes(d.status));
    if (live) this.settle(live);
    if (live && !TERMINAL.includes(live.status))
      // ECS would start a new deployment and reconcile (RECONCILE_SERVICE); not modelled.
      throw new Error(`stand-in: ${live.arn} is still ${live.status}; a second deployment is not modelled`);
    const now = this.clock.now();
    const target = this.revisionArn(cluster, service);
    const deployment: Deployment = {
      arn: `arn:aws:ecs:${this.region}:${this.accountId}:service-deployment/${cluster}/${service}/${this.id()}`,
      serviceArn: svc.serviceArn,
      clusterArn: svc.clusterArn,
      createdAt: now,
      config: structuredClone(svc.config),
      desiredCount: svc.desiredCount,
      source: svc.revision,
      target,
      phases: plan(svc.config, this.stageMs),
      status: 'IN_PROGRESS',
      updatedAt: now,
      phase: 0,
      phaseStartedAt: now,
      hooks: [],
      production: 0,
      test: 0,
      targetRunning: false,
      sourceStopped: false,
      triggeredAlarms: [],
    };
    svc.deployments.push(deployment);
    this.enterPhase(deployment, now);
    // ECS watches the alarms from the start: one already firing rolls the deployment back at once.
    this.checkAlarms(deployment, now);
    return deployment.arn;
  }

  /** A CloudWatch alarm changes state now: an alarm the deployment watches rolls it back. */
  setAlarm(name: string, state: 'OK' | 'ALARM'): void {
    this.settleAll();
    this.alarms.set(name, state);
    if (state === 'ALARM') for (const d of this.allDeployments()) this.checkAlarms(d, this.clock.now());
  }

  describeServiceDeployments(
    input: DescribeServiceDeploymentsCommandInput,
  ): DescribeServiceDeploymentsCommandOutput {
    const arns = input.serviceDeploymentArns ?? [];
    if (arns.length === 0 || arns.length > 20)
      throw invalid('serviceDeploymentArns: between 1 and 20 service deployment ARNs');
    this.settleAll();
    const found = arns.map((arn) => [arn, this.deployment(arn)] as const);
    return {
      $metadata: {},
      serviceDeployments: found.flatMap(([, d]) => (d ? [this.shape(d)] : [])),
      failures: found.flatMap(([arn, d]) => (d ? [] : [{ arn, reason: 'MISSING' }])),
    };
  }

  listServiceDeployments(input: ListServiceDeploymentsCommandInput): ListServiceDeploymentsCommandOutput {
    if (input.createdAt) throw new Error('stand-in: the createdAt filter is not modelled');
    const max = input.maxResults ?? 20;
    if (!Number.isInteger(max) || max < 1 || max > 100) throw invalid('maxResults: between 1 and 100');
    const svc = [...this.services.values()].find(
      (s) =>
        (s.serviceArn === input.service || s.serviceArn.endsWith(`/${input.service}`)) &&
        (!input.cluster || s.clusterArn === input.cluster || s.clusterArn.endsWith(`/${input.cluster}`)),
    );
    if (!svc) throw invalid(`service ${input.service} not found in cluster ${input.cluster ?? 'default'}`);
    this.settleAll();
    const all = [...svc.deployments]
      .reverse()
      .filter((d) => !input.status || input.status.length === 0 || input.status.includes(d.status));
    const start = input.nextToken ? Number(input.nextToken) : 0;
    if (!Number.isInteger(start) || start < 0 || start > all.length)
      throw invalid('nextToken: not one of ours');
    const page = all.slice(start, start + max);
    return {
      $metadata: {},
      serviceDeployments: page.map((d) => this.brief(d)),
      ...(start + max < all.length ? { nextToken: String(start + max) } : {}),
    };
  }

  continueServiceDeployment(
    input: ContinueServiceDeploymentCommandInput,
  ): ContinueServiceDeploymentCommandOutput {
    this.settleAll();
    const d = this.deployment(input.serviceDeploymentArn ?? '');
    if (!d)
      throw new ServiceDeploymentNotFoundException({
        message: 'service deployment not found',
        $metadata: {},
      });
    const action: DeploymentLifecycleHookAction = input.action ?? 'CONTINUE';
    if (action !== 'CONTINUE' && action !== 'ROLLBACK') throw invalid('action: CONTINUE or ROLLBACK');
    if (!d.paused || d.paused.detail.hookId !== input.hookId)
      throw invalid(`hookId ${input.hookId}: no paused lifecycle hook with this id in ${d.arn}`);
    const now = this.clock.now();
    d.paused.detail.status = 'SUCCEEDED';
    d.paused = undefined;
    if (action === 'ROLLBACK')
      this.startRollback(d, now, `lifecycle hook ${input.hookId} rolled the deployment back`);
    else this.finishPhase(d, now);
    return { $metadata: {}, serviceDeploymentArn: d.arn };
  }

  stopServiceDeployment(input: StopServiceDeploymentCommandInput): StopServiceDeploymentCommandOutput {
    this.settleAll();
    const d = this.deployment(input.serviceDeploymentArn ?? '');
    if (!d)
      throw new ServiceDeploymentNotFoundException({
        message: 'service deployment not found',
        $metadata: {},
      });
    if ((input.stopType ?? 'ROLLBACK') !== 'ROLLBACK')
      throw new Error(
        `stand-in: stopType ${input.stopType} is not modelled (the reference names ROLLBACK only)`,
      );
    if (TERMINAL.includes(d.status) || d.status.startsWith('ROLLBACK'))
      throw new ConflictException({ message: `service deployment is ${d.status}`, $metadata: {} });
    this.startRollback(d, this.clock.now(), 'stopped by StopServiceDeployment with ROLLBACK');
    return { $metadata: {}, serviceDeploymentArn: d.arn };
  }

  /**
   * ECS invokes each AWS_LAMBDA hook that is due (`invoke`: the handler, in-process) and acts on its
   * answer: IN_PROGRESS again after callBackDelay, SUCCEEDED on to the next phase, FAILED, no valid
   * answer or a throw rolls back. Returns how many it invoked.
   */
  async invokeLambdaHooks(invoke: LambdaInvoke): Promise<number> {
    this.settleAll();
    const due = this.allDeployments().filter((d) => d.lambda && this.clock.now() >= d.lambda.dueAt);
    for (const d of due) {
      const l = d.lambda!;
      const read = await invokeHook(invoke, l.hook, l.carried, d);
      if (d.lambda !== l) continue; // rolled back (an alarm) while it ran
      const now = this.clock.now();
      if (read.hookStatus === 'IN_PROGRESS') {
        [l.dueAt, l.carried] = [now + read.callBackSeconds * 1000, read.hookDetails];
        continue;
      }
      l.detail.status = read.hookStatus;
      d.lambda = undefined;
      if (read.hookStatus === 'SUCCEEDED') this.advance(d, now);
      else this.startRollback(d, now, `lifecycle hook ${l.detail.hookId} (AWS_LAMBDA): ${read.reason}`);
    }
    return due.length;
  }

  /** After a shift step: an AWS_LAMBDA hook at the step's stage holds the deployment until it answers. */
  private holdForLambda(d: Deployment, phase: Phase, at: number): boolean {
    const hook = lambdaHookAt(d.config, phase.stage);
    if (!hook) return false;
    const state: LambdaHookState = {
      detail: {
        hookId: `${phase.stage.toLowerCase()}-${this.id()}`,
        targetType: 'AWS_LAMBDA',
        targetArn: hook.hookTargetArn!,
        status: 'IN_PROGRESS',
      },
      hook,
      dueAt: at,
    };
    d.hooks.push(state);
    d.lambda = state;
    d.updatedAt = at;
    return true;
  }

  /** Answers the four service-deployment commands on a client mocked with aws-sdk-client-mock. */
  install(ecs: AwsClientStub<ECSClient>): void {
    ecs
      .on(DescribeServiceDeploymentsCommand)
      .callsFake((i: DescribeServiceDeploymentsCommandInput) => this.describeServiceDeployments(i));
    ecs
      .on(ListServiceDeploymentsCommand)
      .callsFake((i: ListServiceDeploymentsCommandInput) => this.listServiceDeployments(i));
    ecs
      .on(ContinueServiceDeploymentCommand)
      .callsFake((i: ContinueServiceDeploymentCommandInput) => this.continueServiceDeployment(i));
    ecs
      .on(StopServiceDeploymentCommand)
      .callsFake((i: StopServiceDeploymentCommandInput) => this.stopServiceDeployment(i));
  }

  // --- the lifecycle -------------------------------------------------------------------------

  private settleAll(): void {
    for (const d of this.allDeployments()) this.settle(d);
  }

  /** Brings `d` up to now: finished phases, timed-out hooks, a finished rollback. */
  private settle(d: Deployment): void {
    const now = this.clock.now();
    for (let guard = 0; guard < 10_000 && !TERMINAL.includes(d.status); guard++) {
      if (d.status === 'ROLLBACK_IN_PROGRESS' || d.status === 'ROLLBACK_REQUESTED') {
        const done = (d.rollback?.startedAt ?? now) + this.stageMs;
        if (now < done) return;
        d.status = 'ROLLBACK_SUCCESSFUL';
        d.finishedAt = done;
        d.updatedAt = done;
        this.serviceOf(d).revision = d.source;
        return;
      }
      if (d.paused) {
        const expires = d.paused.detail.expiresAt!.getTime();
        if (now < expires) return;
        d.paused.detail.status = 'TIMED_OUT';
        const action = d.paused.detail.timeoutAction ?? 'ROLLBACK';
        const hookId = d.paused.detail.hookId;
        d.paused = undefined;
        if (action === 'ROLLBACK') this.startRollback(d, expires, `lifecycle hook ${hookId} timed out`);
        else this.finishPhase(d, expires);
        continue;
      }
      if (d.lambda) return;
      const phase = d.phases[d.phase];
      if (!phase) return;
      const ends = d.phaseStartedAt + phase.ms;
      if (now < ends) return;
      this.finishPhase(d, ends);
    }
  }

  private finishPhase(d: Deployment, at: number): void {
    const phase = d.phases[d.phase];
    if (phase) {
      if (phase.production !== undefined) d.production = phase.production;
      if (phase.test !== undefined) d.test = phase.test;
      if (phase.targetRunning) d.targetRunning = true;
      if (phase.sourceStopped) d.sourceStopped = true;
      if (phase.production !== undefined && this.holdForLambda(d, phase, at)) return;
    }
    this.advance(d, at);
  }

  private advance(d: Deployment, at: number): void {
    d.phase += 1;
    d.updatedAt = at;
    if (d.phase >= d.phases.length) {
      d.status = 'SUCCESSFUL';
      d.finishedAt = at;
      this.serviceOf(d).revision = d.target;
      return;
    }
    this.enterPhase(d, at);
  }

  /** A new stage begins: a PAUSE hook at it holds the deployment there. */
  private enterPhase(d: Deployment, at: number): void {
    d.phaseStartedAt = at;
    const phase = d.phases[d.phase];
    if (!phase) return;
    const previous = d.phases[d.phase - 1];
    // A stage that spans several phases (the canary's shift, bake and shift) runs its hooks once.
    if (previous?.stage === phase.stage) return;
    const hook = (d.config.lifecycleHooks ?? []).find(
      (h) => h.targetType === 'PAUSE' && (h.lifecycleStages ?? []).includes(phase.stage as never),
    );
    if (!hook) return;
    const minutes = hook.timeoutConfiguration?.timeoutInMinutes ?? 1440;
    const state: HookState = {
      // ECS's hook ids are opaque; these are unique per deployment and stage.
      detail: {
        hookId: `${phase.stage.toLowerCase()}-${this.id()}`,
        targetType: 'PAUSE',
        status: 'AWAITING_ACTION',
        expiresAt: new Date(at + minutes * MINUTE),
        timeoutAction: hook.timeoutConfiguration?.action ?? 'ROLLBACK',
      },
    };
    d.hooks.push(state);
    d.paused = state;
  }

  private checkAlarms(d: Deployment, at: number): void {
    const alarms = d.config.alarms;
    if (!alarms?.enable || TERMINAL.includes(d.status) || d.status.startsWith('ROLLBACK')) return;
    const firing = (alarms.alarmNames ?? []).filter((n) => this.alarms.get(n) === 'ALARM');
    if (firing.length === 0) return;
    d.triggeredAlarms = firing;
    if (alarms.rollback) {
      this.startRollback(d, at, `CloudWatch alarm(s) ${firing.join(', ')} in ALARM`);
    } else {
      d.status = 'STOPPED';
      d.statusReason = `CloudWatch alarm(s) ${firing.join(', ')} in ALARM`;
      d.stoppedAt = at;
      d.updatedAt = at;
    }
  }

  /** ECS sends all traffic back to the source revision, then scales the target down. */
  private startRollback(d: Deployment, at: number, reason: string): void {
    if (d.lambda?.detail.status === 'IN_PROGRESS') d.lambda.detail.status = 'FAILED';
    d.lambda = undefined;
    if (d.paused) {
      d.paused.detail.status =
        d.paused.detail.status === 'AWAITING_ACTION' ? 'FAILED' : d.paused.detail.status;
      d.paused = undefined;
    }
    d.status = 'ROLLBACK_IN_PROGRESS';
    d.statusReason = reason;
    d.rollback = { reason, startedAt: at };
    d.production = 0;
    d.test = 0;
    d.updatedAt = at;
  }

  // --- shapes --------------------------------------------------------------------------------

  private shape(d: Deployment): ServiceDeployment {
    const stage = d.phases[Math.min(d.phase, d.phases.length - 1)]?.stage;
    const n = d.desiredCount;
    const sourceUp = !d.sourceStopped || d.status.startsWith('ROLLBACK');
    const targetUp = d.targetRunning && d.status !== 'ROLLBACK_SUCCESSFUL';
    return {
      serviceDeploymentArn: d.arn,
      serviceArn: d.serviceArn,
      clusterArn: d.clusterArn,
      createdAt: new Date(d.createdAt),
      startedAt: new Date(d.createdAt),
      updatedAt: new Date(d.updatedAt),
      ...(d.finishedAt !== undefined ? { finishedAt: new Date(d.finishedAt) } : {}),
      ...(d.stoppedAt !== undefined ? { stoppedAt: new Date(d.stoppedAt) } : {}),
      sourceServiceRevisions: [
        {
          arn: d.source,
          requestedTaskCount: sourceUp ? n : 0,
          runningTaskCount: sourceUp ? n : 0,
          pendingTaskCount: 0,
          requestedProductionTrafficWeight: 100 - d.production,
          requestedTestTrafficWeight: 100 - d.test,
        },
      ],
      targetServiceRevision: {
        arn: d.target,
        requestedTaskCount: d.status.startsWith('ROLLBACK') ? 0 : n,
        runningTaskCount: targetUp ? n : 0,
        pendingTaskCount: targetUp || d.status.startsWith('ROLLBACK') ? 0 : n,
        requestedProductionTrafficWeight: d.production,
        requestedTestTrafficWeight: d.test,
      },
      status: d.status,
      ...(d.statusReason ? { statusReason: d.statusReason } : {}),
      ...(stage ? { lifecycleStage: stage } : {}),
      lifecycleHookDetails: d.hooks.map((h) => ({ ...h.detail })),
      deploymentConfiguration: structuredClone(d.config),
      ...(d.rollback
        ? {
            rollback: {
              reason: d.rollback.reason,
              startedAt: new Date(d.rollback.startedAt),
              serviceRevisionArn: d.source,
            },
          }
        : {}),
      alarms: {
        status: !d.config.alarms?.enable
          ? 'DISABLED'
          : d.triggeredAlarms.length > 0
            ? 'TRIGGERED'
            : TERMINAL.includes(d.status)
              ? 'MONITORING_COMPLETE'
              : 'MONITORING',
        alarmNames: [...(d.config.alarms?.alarmNames ?? [])],
        triggeredAlarmNames: [...d.triggeredAlarms],
      },
    };
  }

  private brief(d: Deployment): ServiceDeploymentBrief {
    return {
      serviceDeploymentArn: d.arn,
      serviceArn: d.serviceArn,
      clusterArn: d.clusterArn,
      createdAt: new Date(d.createdAt),
      startedAt: new Date(d.createdAt),
      ...(d.finishedAt !== undefined ? { finishedAt: new Date(d.finishedAt) } : {}),
      targetServiceRevisionArn: d.target,
      status: d.status,
      ...(d.statusReason ? { statusReason: d.statusReason } : {}),
    };
  }

  // --- bookkeeping ---------------------------------------------------------------------------

  private id(): string {
    this.sequence += 1;
    return this.sequence.toString(36).padStart(8, '0');
  }

  private revisionArn(cluster: string, service: string): string {
    return `arn:aws:ecs:${this.region}:${this.accountId}:service-revision/${cluster}/${service}/${this.id()}`;
  }

  private service(cluster: string, service: string): StandInService {
    const svc = this.services.get(
      `arn:aws:ecs:${this.region}:${this.accountId}:service/${cluster}/${service}`,
    );
    if (!svc) throw invalid(`service ${service} not found in cluster ${cluster}`);
    return svc;
  }

  private serviceOf(d: Deployment): StandInService {
    return this.services.get(d.serviceArn)!;
  }

  private allDeployments(): Deployment[] {
    return [...this.services.values()].flatMap((s) => s.deployments);
  }

  private deployment(arn: string): Deployment | undefined {
    return this.allDeployments().find((d) => d.arn === arn);
  }
}
