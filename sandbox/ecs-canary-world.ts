/**
 * A progressive ECS deployment in the sandbox: moto runs no deployment stages, so the four
 * service-deployment calls of one service (ListServiceDeployments, DescribeServiceDeployments,
 * ContinueServiceDeployment, StopServiceDeployment) are answered by the platform's own stand-in of
 * ECS's lifecycle (./ecs-deployments.ts, written from the ECS API reference and developer guide it
 * names), in front of moto; every other call goes to moto. Where the stand-in plays ECS, this world
 * also does what ECS does to moto's resources on its behalf:
 * - DescribeServices of the service says what infra would have set (infra/definitions/ecs-deployment.ts
 *   for the model's strategy): `deploymentController.type = ECS`, the `deploymentConfiguration`, and
 *   `loadBalancers[].advancedConfiguration {alternateTargetGroupArn, productionListenerRule, roleArn}`
 *   (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_AdvancedConfiguration.html);
 * - UpdateService of the service (to moto) starts a stand-in deployment, as it starts one in ECS;
 * - the production listener rule's weighted forward (moto's ELBv2, ModifyRule) follows the
 *   stand-in's traffic split, as ECS moves it through its infrastructure role; a rollback puts
 *   moto's service back on the task definition it ran, as ECS does.
 * The clock is the world's: `sleep` moves it at once, and each whole minute it passes puts what an
 * ALB publishes per target group (RequestCount, HTTPCode_Target_5XX_Count when there are some,
 * TargetResponseTime, UnHealthyHostCount: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html)
 * to moto's CloudWatch, split by the rule's weights. The judge and the engine are the real ones,
 * reading moto; moto's missing percentiles are filled by ./moto-percentiles.ts.
 * NOT DONE: no test listener rule (`testListenerRule`) in the sandbox, so the pause names the host
 * without the test listener's port; the stand-in's alarms are never set from moto's CloudWatch (the
 * demo's rollback is the judge's, StopServiceDeployment, not ECS's alarm rollback).
 */
import {
  DescribeServicesCommand,
  UpdateServiceCommand,
  type DeploymentConfiguration,
  type ECSClient,
  type Service,
  type ServiceDeployment,
} from '@aws-sdk/client-ecs';
import {
  CreateTargetGroupCommand,
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
  DescribeTargetGroupsCommand,
  ModifyRuleCommand,
  type ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { PutMetricDataCommand, type MetricDatum } from '@aws-sdk/client-cloudwatch';
import type { DeliveryStrategy } from '../services/delivery';
import type { WorkloadEnvironmentName } from '../services/environments';
import { naming } from '../services/naming';
import { ROLLBACK_ALARM_LIST } from '../services/thresholds';
import { ecsDeploymentSettings } from '../infra/definitions/ecs-deployment';
import type { ReleaseDeps } from '../pipelines/release/saga/context';
import { EcsDeploymentsStandIn } from './ecs-deployments';
import { sameValueSamples, withPercentiles } from './moto-percentiles';

/** How the revision behind one target group answers, per request. */
export interface TargetBehaviour {
  /** Share of requests answered 5xx, 0-1. */
  readonly errorRate: number;
  readonly responseSeconds: number;
}
export const HEALTHY_TARGET: TargetBehaviour = { errorRate: 0, responseSeconds: 0.2 };

/** How often the engine looks at the deployment in the world's time, and its lease's time to live. */
const WORLD_POLL_MS = 30_000;
const WORLD_LEASE_TTL_MS = 15 * 60_000;

/** The four calls the stand-in answers; everything else goes to moto. */
const STAND_IN_CALLS = {
  ListServiceDeploymentsCommand: 'listServiceDeployments',
  DescribeServiceDeploymentsCommand: 'describeServiceDeployments',
  ContinueServiceDeploymentCommand: 'continueServiceDeployment',
  StopServiceDeploymentCommand: 'stopServiceDeployment',
} as const;

/** The SDK's deploymentConfiguration for the model's strategy, as infra sets it (numbers, alarms inside). */
export function deploymentConfigurationOf(
  strategy: DeliveryStrategy,
  service: string,
  env: WorkloadEnvironmentName,
): DeploymentConfiguration {
  const s = ecsDeploymentSettings(
    strategy,
    ROLLBACK_ALARM_LIST.map((a) => naming.alarm(service, env, a.key)),
  );
  const c = s.deploymentConfiguration;
  const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
  return {
    strategy: c.strategy,
    ...(c.bakeTimeInMinutes !== undefined ? { bakeTimeInMinutes: num(c.bakeTimeInMinutes) } : {}),
    ...(c.canaryConfiguration
      ? {
          canaryConfiguration: {
            canaryPercent: c.canaryConfiguration.canaryPercent,
            canaryBakeTimeInMinutes: num(c.canaryConfiguration.canaryBakeTimeInMinutes),
          },
        }
      : {}),
    ...(c.linearConfiguration
      ? {
          linearConfiguration: {
            stepPercent: c.linearConfiguration.stepPercent,
            stepBakeTimeInMinutes: num(c.linearConfiguration.stepBakeTimeInMinutes),
          },
        }
      : {}),
    ...(c.lifecycleHooks
      ? {
          lifecycleHooks: c.lifecycleHooks.map((h) => ({
            targetType: h.targetType,
            lifecycleStages: [...h.lifecycleStages],
            ...(h.timeoutConfiguration
              ? {
                  timeoutConfiguration: {
                    timeoutInMinutes: Number(h.timeoutConfiguration.timeoutInMinutes),
                    action: h.timeoutConfiguration.action,
                  },
                }
              : {}),
          })),
        }
      : {}),
    ...(s.alarms ? { alarms: { alarmNames: [...s.alarms.alarmNames], enable: true, rollback: true } } : {}),
  };
}

export interface EcsCanaryWorldOptions {
  readonly service: string;
  readonly env: WorkloadEnvironmentName;
  readonly config: DeploymentConfiguration;
  /** Requests to the service a minute, split between the target groups by the rule's weights. */
  readonly perMinute: number;
  /** Where the clock starts (default the engine's now). */
  readonly startMs?: number;
  /** How long each stage that is not a bake takes in the stand-in (default 30 s). */
  readonly stageSeconds?: number;
}

export class EcsCanaryWorld {
  readonly standIn: EcsDeploymentsStandIn;
  /** How the newest deployment's target revision answers (the canary); the other side is healthy. */
  canary: TargetBehaviour = HEALTHY_TARGET;
  /** Whole minutes of traffic put so far, and the PutMetricData calls that put them. */
  minutes = 0;
  puts = 0;
  private t: number;
  private readonly cluster: string;
  private readonly ecsService: string;
  private readonly attached = new WeakSet<ECSClient>();
  private lb!: { readonly arn: string; readonly dimension: string };
  private rule!: string;
  /** The two target groups; `live` serves production when no deployment shifts traffic. */
  private tgs!: { live: string; other: string };
  private weights = '';
  /** The deployment in flight: the target group its target revision takes, and what it replaced. */
  private current?: { arn: string; targetGroup: string; sourceTaskDefinition: string; ended: boolean };
  private restoring = false;

  private constructor(
    private readonly base: ReleaseDeps,
    private readonly o: EcsCanaryWorldOptions,
  ) {
    this.t = o.startMs ?? base.now().getTime();
    this.cluster = naming.cluster(o.service, o.env);
    this.ecsService = naming.ecsService(o.service, o.env);
    this.standIn = new EcsDeploymentsStandIn({
      clock: { now: () => this.t },
      stageSeconds: o.stageSeconds ?? 30,
      accountId: base.clients.accountIds[o.env],
    });
    this.standIn.addService(this.cluster, this.ecsService, { desiredCount: 1, config: o.config });
  }

  /** The world for `service` in `env`: its second target group and weighted rule created on moto. */
  static async create(deps: ReleaseDeps, o: EcsCanaryWorldOptions): Promise<EcsCanaryWorld> {
    const w = new EcsCanaryWorld(deps, o);
    await w.twoTargetGroups();
    return w;
  }

  now(): Date {
    return new Date(this.t);
  }

  /** `deps` (the promoter's, or an approver's) in this world: its ECS calls, clock and percentiles. */
  wrap(deps: ReleaseDeps): ReleaseDeps {
    const ecs = deps.clients.ecs(this.o.env);
    if (!this.attached.has(ecs)) {
      this.attached.add(ecs);
      ecs.middlewareStack.add(
        (next, context) => async (args) => {
          const out = await this.answer(context.commandName ?? '', args.input as never, async () => {
            const r = await next(args);
            return r.output;
          });
          return { output: out, response: {} } as never;
        },
        { step: 'initialize', name: 'sandboxServiceDeployments' },
      );
    }
    // moto's percentiles are kept per client (./moto-percentiles.ts): in this environment every
    // deps reads CloudWatch through the client the traffic is put with (moto checks no credentials).
    const clients = {
      ...deps.clients,
      cloudWatch: (e: Parameters<ReleaseDeps['clients']['cloudWatch']>[0]) =>
        withPercentiles((e === this.o.env ? this.base : deps).clients.cloudWatch(e)),
    };
    // Polls and lease renewals in the world's minutes, not the engine's seconds: a 30-minute
    // deployment followed every 5 s would be 360 polls and 90 renewals of the lease on moto.
    return {
      ...deps,
      clients,
      now: () => this.now(),
      sleep: (ms) => this.sleep(ms),
      pollMs: WORLD_POLL_MS,
      leaseTtlMs: Math.max(deps.leaseTtlMs, WORLD_LEASE_TTL_MS),
    };
  }

  /** Moves the clock on; each whole minute passed gets its traffic, put when the minute is over. */
  async sleep(ms: number): Promise<void> {
    const target = this.t + Math.max(0, ms);
    for (let m = Math.floor(this.t / 60_000) + 1; m * 60_000 <= target; m++) {
      this.t = m * 60_000;
      await this.follow();
      await this.minute(new Date((m - 1) * 60_000));
      this.minutes += 1;
    }
    this.t = target;
    await this.follow();
  }

  // --- ECS calls -----------------------------------------------------------------------------

  private async answer(
    command: string,
    input: { service?: string; services?: string[]; taskDefinition?: string },
    moto: () => Promise<unknown>,
  ): Promise<unknown> {
    const method = STAND_IN_CALLS[command as keyof typeof STAND_IN_CALLS];
    if (method) {
      const out = this.standIn[method](input as never);
      await this.follow();
      return out;
    }
    const ours = (s: string | undefined) =>
      !!s && (s === this.ecsService || s.endsWith(`/${this.ecsService}`));
    if (command === 'UpdateServiceCommand' && ours(input.service) && !this.restoring) {
      const before = await this.motoService();
      const out = await moto();
      this.current = {
        arn: this.standIn.startDeployment(this.cluster, this.ecsService),
        targetGroup: this.tgs.other,
        sourceTaskDefinition: before?.taskDefinition ?? '',
        ended: false,
      };
      return out;
    }
    if (command === 'DescribeServicesCommand' && (input.services ?? []).some(ours)) {
      const out = (await moto()) as { services?: Service[] };
      for (const s of out.services ?? []) if (ours(s.serviceName)) Object.assign(s, this.asInfraSetsIt(s));
      return out;
    }
    return moto();
  }

  private asInfraSetsIt(s: Service): Partial<Service> {
    return {
      deploymentController: { type: 'ECS' },
      deploymentConfiguration: structuredClone(this.o.config),
      loadBalancers: [
        {
          targetGroupArn: this.tgs.live,
          containerName: s.loadBalancers?.[0]?.containerName ?? this.o.service,
          containerPort: s.loadBalancers?.[0]?.containerPort ?? 80,
          advancedConfiguration: {
            alternateTargetGroupArn: this.tgs.other,
            productionListenerRule: this.rule,
            roleArn: `arn:aws:iam::${this.base.clients.accountIds[this.o.env]}:role/${naming.ecsLoadBalancerInfrastructureRole(this.o.env)}`,
          },
        },
      ],
    };
  }

  private async motoService(): Promise<Service | undefined> {
    this.restoring = true;
    try {
      const out = await this.base.clients
        .ecs(this.o.env)
        .send(new DescribeServicesCommand({ cluster: this.cluster, services: [this.ecsService] }));
      return out.services?.[0];
    } finally {
      this.restoring = false;
    }
  }

  /**
   * What ECS does to the load balancer and the service as the deployment moves: the production
   * rule's weights follow the split; at the end the target group that serves is the live one, and a
   * rollback puts the service back on its task definition.
   */
  private async follow(): Promise<void> {
    const c = this.current;
    if (!c || c.ended) return;
    const d: ServiceDeployment | undefined = this.standIn.describeServiceDeployments({
      serviceDeploymentArns: [c.arn],
    }).serviceDeployments?.[0];
    const production = d?.targetServiceRevision?.requestedProductionTrafficWeight ?? 0;
    if (d?.status === 'SUCCESSFUL') {
      this.tgs = { live: c.targetGroup, other: this.tgs.live };
      c.ended = true;
      await this.setWeights({ [this.tgs.live]: 100, [this.tgs.other]: 0 });
      return;
    }
    if (d?.status === 'ROLLBACK_SUCCESSFUL' || d?.status === 'STOPPED') {
      c.ended = true;
      await this.setWeights({ [this.tgs.live]: 100, [this.tgs.other]: 0 });
      if (d.status === 'ROLLBACK_SUCCESSFUL' && c.sourceTaskDefinition) {
        this.restoring = true;
        try {
          await this.base.clients.ecs(this.o.env).send(
            new UpdateServiceCommand({
              cluster: this.cluster,
              service: this.ecsService,
              taskDefinition: c.sourceTaskDefinition,
            }),
          );
        } finally {
          this.restoring = false;
        }
      }
      return;
    }
    await this.setWeights({ [this.tgs.live]: 100 - production, [c.targetGroup]: production });
  }

  // --- the load balancer ---------------------------------------------------------------------

  private get elbv2(): ElasticLoadBalancingV2Client {
    return this.base.clients.elbv2(this.o.env);
  }

  /** The service's second target group, and its host rule forwarding to both (100 / 0), as infra has them. */
  private async twoTargetGroups(): Promise<void> {
    const lbs = await this.elbv2.send(
      new DescribeLoadBalancersCommand({ Names: [naming.loadBalancer(this.o.env)] }),
    );
    const lb = lbs.LoadBalancers?.[0];
    if (!lb?.LoadBalancerArn) throw new Error(`no load balancer ${naming.loadBalancer(this.o.env)}`);
    this.lb = { arn: lb.LoadBalancerArn, dimension: lb.LoadBalancerArn.split(':loadbalancer/')[1] ?? '' };
    const primary = (
      await this.elbv2.send(
        new DescribeTargetGroupsCommand({ Names: [naming.targetGroup(this.o.service, this.o.env)] }),
      )
    ).TargetGroups?.[0];
    if (!primary?.TargetGroupArn)
      throw new Error(`no target group ${naming.targetGroup(this.o.service, this.o.env)}`);
    const alternate = await this.elbv2.send(
      new CreateTargetGroupCommand({
        Name: naming.alternateTargetGroup(this.o.service, this.o.env),
        Protocol: primary.Protocol,
        Port: primary.Port,
        VpcId: primary.VpcId,
        TargetType: primary.TargetType,
      }),
    );
    this.tgs = { live: primary.TargetGroupArn, other: alternate.TargetGroups?.[0]?.TargetGroupArn ?? '' };
    const listeners = (
      await this.elbv2.send(new DescribeRulesCommand({ ListenerArn: await this.listener() }))
    ).Rules;
    const rule = (listeners ?? []).find((r) =>
      (r.Actions ?? []).some(
        (a) =>
          a.TargetGroupArn === primary.TargetGroupArn ||
          (a.ForwardConfig?.TargetGroups ?? []).some((t) => t.TargetGroupArn === primary.TargetGroupArn),
      ),
    );
    if (!rule?.RuleArn) throw new Error(`no listener rule forwards to ${primary.TargetGroupArn}`);
    this.rule = rule.RuleArn;
    await this.setWeights({ [this.tgs.live]: 100, [this.tgs.other]: 0 });
  }

  private async listener(): Promise<string> {
    const out = await this.elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: this.lb.arn }));
    const arn = out.Listeners?.[0]?.ListenerArn;
    if (!arn) throw new Error(`${this.lb.arn} has no listener`);
    return arn;
  }

  private async setWeights(weights: Record<string, number>): Promise<void> {
    const key = JSON.stringify(weights);
    if (key === this.weights) return;
    this.weights = key;
    await this.elbv2.send(
      new ModifyRuleCommand({
        RuleArn: this.rule,
        Actions: [
          {
            Type: 'forward',
            ForwardConfig: {
              TargetGroups: Object.entries(weights).map(([TargetGroupArn, Weight]) => ({
                TargetGroupArn,
                Weight,
              })),
            },
          },
        ],
      }),
    );
  }

  // --- the traffic ---------------------------------------------------------------------------

  /** One minute's requests, split by the rule's weights, as the ALB publishes them per target group. */
  private async minute(start: Date): Promise<void> {
    const split = Object.entries(JSON.parse(this.weights || '{}') as Record<string, number>);
    const total = split.reduce((n, [, w]) => n + w, 0) || 1;
    const at = new Date(start.getTime() + 1_000);
    const canaryTg = this.current && !this.current.ended ? this.current.targetGroup : undefined;
    const data: MetricDatum[] = split.flatMap(([tg, w]) => {
      const Dimensions = [
        { Name: 'LoadBalancer', Value: this.lb.dimension },
        { Name: 'TargetGroup', Value: tg.split(':').at(-1) ?? tg },
      ];
      const health: MetricDatum = {
        MetricName: 'UnHealthyHostCount',
        Dimensions,
        Timestamp: at,
        Value: 0,
        Unit: 'Count',
      };
      const n = Math.round((this.o.perMinute * w) / total);
      if (n === 0) return [health];
      const b = tg === canaryTg ? this.canary : HEALTHY_TARGET;
      const errors = Math.round(n * b.errorRate);
      return [
        health,
        { MetricName: 'RequestCount', Dimensions, Timestamp: at, Value: n, Unit: 'Count' },
        ...(errors > 0
          ? [
              {
                MetricName: 'HTTPCode_Target_5XX_Count',
                Dimensions,
                Timestamp: at,
                Value: errors,
                Unit: 'Count' as const,
              },
            ]
          : []),
        {
          MetricName: 'TargetResponseTime',
          Dimensions,
          Timestamp: at,
          StatisticValues: sameValueSamples(b.responseSeconds, n),
          Unit: 'Seconds',
        },
      ];
    });
    const cw = withPercentiles(this.base.clients.cloudWatch(this.o.env));
    // moto answered PutMetricData calls of 80 datums with an HTML 500 (./lambda-traffic.ts): 20 at a time.
    for (let i = 0; i < data.length; i += 20) {
      await cw.send(
        new PutMetricDataCommand({ Namespace: 'AWS/ApplicationELB', MetricData: data.slice(i, i + 20) }),
      );
      this.puts += 1;
    }
  }
}
