/**
 * A prod canary for the release engine's unit tests (pipelines/release/strategies/ecs-progressive*.test.ts):
 * the ECS service-deployment stand-in (./ecs-deployments.ts: stages, traffic split, bake, alarms, the
 * PAUSE hook, Continue, Stop), ELBv2's production rule and CloudWatch (GetMetricData, DescribeAlarms)
 * mocked at the client. The clock is the world's: a 15-minute bake runs in milliseconds.
 */
import {
  DescribeServicesCommand,
  UpdateServiceCommand,
  type DeploymentConfiguration,
  type Service,
} from '@aws-sdk/client-ecs';
import {
  CloudWatchClient,
  GetMetricDataCommand,
  type GetMetricDataCommandInput,
} from '@aws-sdk/client-cloudwatch';
import {
  DescribeListenersCommand,
  DescribeRulesCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { expect } from 'chai';
import type { DeliveryStrategy } from '../../services/delivery';
import { naming } from '../../services/naming';
import { approve } from '../../pipelines/release/admin/approve';
import type { ReleaseRecord } from '../../pipelines/release/ledger/ledger';
import { continueHeldRelease } from '../../pipelines/release/strategies/ecs-progressive-run';
import { releaseService } from '../../pipelines/release/strategies/ecs-service-rollout';
import { EcsDeploymentsStandIn } from '../../sandbox/ecs-deployments';
import { ledger, release, world, type World } from './ecs-world';

export const MGMT = '123456789012';
export const BOB = `arn:aws:iam::${MGMT}:user/bob`;
export const ALICE = `arn:aws:sts::${MGMT}:assumed-role/TDRReleaseApproverProd/alice`;
export const ALARM = 'frontend-prod-target-5xx';
export const LB = 'arn:aws:elasticloadbalancing:eu-west-2:444444444444';
export const PROD_RULE = `${LB}:listener-rule/app/tdr-prod/0123456789abcdef/1111111111111111/aaaaaaaaaaaaaaaa`;
export const TEST_RULE = `${LB}:listener-rule/app/tdr-prod/0123456789abcdef/2222222222222222/bbbbbbbbbbbbbbbb`;
export const BLUE = `${LB}:targetgroup/frontend-prod-blue/1111111111111111`;
export const GREEN = `${LB}:targetgroup/frontend-prod-green/2222222222222222`;

export interface Canary extends World {
  standIn: EcsDeploymentsStandIn;
  /** What CloudWatch answers per metric name (null: no datapoints). */
  metrics: Record<string, number | null>;
  /** Called on every sleep of the engine, after the clock moved. */
  onTick: Array<() => void>;
  /** CloudWatch at the client (DescribeAlarms answers are the test's). */
  cw: AwsClientStub<CloudWatchClient>;
  prod: DeliveryStrategy & { kind: 'canary' };
}

/** The ECS configuration the prod strategy stands for (infra's job; here written out from delivery.ts). */
function ecsConfig(d: DeliveryStrategy & { kind: 'canary' }): DeploymentConfiguration {
  return {
    strategy: 'CANARY',
    bakeTimeInMinutes: d.bakeTimeInMinutes,
    canaryConfiguration: {
      canaryPercent: d.canaryPercent,
      canaryBakeTimeInMinutes: d.canaryBakeTimeInMinutes,
    },
    lifecycleHooks: d.approvalPause
      ? [
          {
            targetType: 'PAUSE',
            lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'],
            timeoutConfiguration: { timeoutInMinutes: d.approvalPause.timeoutInMinutes, action: 'ROLLBACK' },
          },
        ]
      : [],
    alarms: { alarmNames: [ALARM], enable: true, rollback: true },
  };
}

/**
 * What DescribeServices says of frontend's prod service: ECS-controlled, the prod canary's
 * configuration, two target groups and both listener rules (tests of several services reuse it).
 */
export function prodCanaryService(td: string, prod: DeliveryStrategy & { kind: 'canary' }): Service {
  return {
    status: 'ACTIVE',
    serviceName: 'frontend_service_prod',
    taskDefinition: td,
    runningCount: 1,
    desiredCount: 1,
    deployments: [{ status: 'PRIMARY', rolloutState: 'COMPLETED' }],
    deploymentController: { type: 'ECS' },
    deploymentConfiguration: ecsConfig(prod),
    loadBalancers: [
      {
        targetGroupArn: BLUE,
        advancedConfiguration: {
          alternateTargetGroupArn: GREEN,
          productionListenerRule: PROD_RULE,
          testListenerRule: TEST_RULE,
          roleArn: 'arn:aws:iam::444444444444:role/ecs-infrastructure',
        },
      },
    ],
  };
}

export function canaryWorld(): Canary {
  const w = world();
  const prod = w.deps.platform.environments.prod.delivery as DeliveryStrategy & { kind: 'canary' };
  expect(prod.kind, 'the model gives prod a canary').to.equal('canary');
  // Loosened as only a local sandbox may (services/config.ts): no soak, no checks; staging rolling.
  const p = w.deps.platform;
  const platform = {
    ...p,
    environments: {
      ...p.environments,
      staging: {
        ...p.environments.staging,
        delivery: { kind: 'rolling', circuitBreaker: true, alarmRollback: false },
      },
      prod: {
        ...p.environments.prod,
        promotion: { ...p.environments.prod.promotion!, soakMinutes: 0, requiredChecks: [] },
      },
    },
  } as typeof p;
  const standIn = new EcsDeploymentsStandIn({ clock: { now: () => w.clock.t } });
  standIn.install(w.ecs);
  standIn.addService(naming.cluster('frontend', 'prod'), naming.ecsService('frontend', 'prod'), {
    desiredCount: 2,
    config: ecsConfig(prod),
  });
  const onUpdate = w.ecs.commandCalls(UpdateServiceCommand).length;
  void onUpdate;
  w.ecs
    .on(UpdateServiceCommand)
    .callsFake((input: { cluster: string; service: string; taskDefinition: string }) => {
      w.service.td = input.taskDefinition;
      if (input.cluster === naming.cluster('frontend', 'prod'))
        standIn.startDeployment(input.cluster, input.service);
      return { service: { taskDefinition: input.taskDefinition } };
    });
  w.ecs.on(DescribeServicesCommand).callsFake(() => ({ services: [prodCanaryService(w.service.td, prod)] }));
  const elbv2Client = new ElasticLoadBalancingV2Client({ region: 'eu-west-2' });
  const elbv2 = mockClient(elbv2Client);
  elbv2.on(DescribeRulesCommand).callsFake(() => {
    const canary = standIn.describeServiceDeployments;
    void canary;
    return {
      Rules: [
        {
          RuleArn: PROD_RULE,
          Actions: [
            {
              Type: 'forward',
              ForwardConfig: {
                TargetGroups: [
                  { TargetGroupArn: BLUE, Weight: 90 },
                  { TargetGroupArn: GREEN, Weight: 10 },
                ],
              },
            },
          ],
        },
      ],
    };
  });
  elbv2.on(DescribeListenersCommand).resolves({ Listeners: [{ Port: 8443, Protocol: 'HTTPS' }] });
  const cwClient = new CloudWatchClient({ region: 'eu-west-2' });
  const cw = mockClient(cwClient);
  const metrics: Record<string, number | null> = {
    RequestCount: 1000,
    HTTPCode_Target_5XX_Count: 0,
    TargetResponseTime: 0.2,
    UnHealthyHostCount: 0,
  };
  cw.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => ({
    MetricDataResults: (input.MetricDataQueries ?? []).map((q) => {
      const v = metrics[q.MetricStat?.Metric?.MetricName ?? ''];
      const minutes = q.MetricStat?.Stat === 'Minimum' ? 15 : 1;
      return {
        Id: q.Id,
        StatusCode: 'Complete',
        Values: v === null || v === undefined ? [] : Array(minutes).fill(v),
      };
    }),
  }));
  const onTick: Array<() => void> = [];
  const clients = {
    ...w.deps.clients,
    elbv2: () => elbv2Client,
    cloudWatch: () => cwClient,
    callerIdentity: async () => BOB,
  };
  w.deps = {
    ...w.deps,
    platform,
    clients,
    // ECS's stages (30 s each in the stand-in) come on top of the plan's 30 minutes of bake.
    timeoutMs: 5 * 60_000,
    sleep: async (ms) => {
      w.clock.t += ms;
      for (const f of onTick) f();
    },
  };
  return Object.assign(w, { standIn, metrics, onTick, prod, cw });
}

/** v2 live in staging, then promoted to prod: held at the pause. */
export function promoteToPause(w: Canary) {
  return promoteToProd(w, 'v2');
}

/** `version` deployed to intg, promoted to staging, then promoted to prod (the next release). */
export async function promoteToProd(w: World, version: string) {
  await release(w.deps, { action: 'deploy', service: 'frontend', env: 'intg', version, actor: 'jenkins' });
  await release(w.deps, { action: 'promote', service: 'frontend', env: 'staging', actor: 'bob' });
  return releaseService(w.deps, { action: 'promote', service: 'frontend', env: 'prod', actor: 'bob' });
}

export const prodRecords = (w: World) =>
  ledger(w).filter((r): r is ReleaseRecord => r.kind === 'release' && r.env === 'prod');

export async function approveAsAlice(w: Canary, wait = true) {
  const asAlice = { ...w.deps, clients: { ...w.deps.clients, callerIdentity: async () => ALICE } };
  const rec = await approve(asAlice, { service: 'frontend', env: 'prod' });
  return continueHeldRelease(asAlice, { service: 'frontend', env: 'prod', actor: 'alice', wait }, rec);
}
