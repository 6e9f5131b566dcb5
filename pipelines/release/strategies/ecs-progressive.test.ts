/**
 * A prod canary through the release engine, against the ECS service-deployment stand-in
 * (sandbox/ecs-deployments.ts: stages, traffic split, bake, alarms, the PAUSE hook, Continue,
 * Stop), ELBv2's production rule and CloudWatch's GetMetricData mocked at the client. The clock is
 * the world's: a 15-minute bake runs in milliseconds.
 */
import {
  DescribeServicesCommand,
  UpdateServiceCommand,
  type DeploymentConfiguration,
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
import { mockClient } from 'aws-sdk-client-mock';
import { expect } from 'chai';
import type { DeliveryStrategy } from '../../../services/delivery';
import { naming } from '../../../services/naming';
import { approve } from '../admin/approve';
import type { ReleaseRecord } from '../ledger/ledger';
import { EcsDeploymentsStandIn } from '../../../sandbox/ecs-deployments';
import { ledger, release, world, type World } from '../../../test/support/ecs-world';
import { continueHeldRelease, stopInFlightRelease } from './ecs-progressive-run';
import { releaseService } from './ecs-service-rollout';
import { status } from '../reads/status';
import { renderStatus } from '../../../cli/status';

const MGMT = '123456789012';
const BOB = `arn:aws:iam::${MGMT}:user/bob`;
const ALICE = `arn:aws:sts::${MGMT}:assumed-role/TDRReleaseApproverProd/alice`;
const ALARM = 'frontend-prod-target-5xx';
const LB = 'arn:aws:elasticloadbalancing:eu-west-2:444444444444';
const PROD_RULE = `${LB}:listener-rule/app/tdr-prod/0123456789abcdef/1111111111111111/aaaaaaaaaaaaaaaa`;
const TEST_RULE = `${LB}:listener-rule/app/tdr-prod/0123456789abcdef/2222222222222222/bbbbbbbbbbbbbbbb`;
const BLUE = `${LB}:targetgroup/frontend-prod-blue/1111111111111111`;
const GREEN = `${LB}:targetgroup/frontend-prod-green/2222222222222222`;

interface Canary extends World {
  standIn: EcsDeploymentsStandIn;
  /** What CloudWatch answers per metric name (null: no datapoints). */
  metrics: Record<string, number | null>;
  /** Called on every sleep of the engine, after the clock moved. */
  onTick: Array<() => void>;
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

function canaryWorld(): Canary {
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
  w.ecs.on(DescribeServicesCommand).callsFake(() => ({
    services: [
      {
        status: 'ACTIVE',
        serviceName: 'frontend_service_prod',
        taskDefinition: w.service.td,
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
      },
    ],
  }));
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
  return Object.assign(w, { standIn, metrics, onTick, prod });
}

/** v2 live in staging, then promoted to prod: held at the pause. */
async function promoteToPause(w: Canary) {
  await release(w.deps, {
    action: 'deploy',
    service: 'frontend',
    env: 'intg',
    version: 'v2',
    actor: 'jenkins',
  });
  await release(w.deps, { action: 'promote', service: 'frontend', env: 'staging', actor: 'bob' });
  return releaseService(w.deps, { action: 'promote', service: 'frontend', env: 'prod', actor: 'bob' });
}

const prodRecords = (w: World) =>
  ledger(w).filter((r): r is ReleaseRecord => r.kind === 'release' && r.env === 'prod');

async function approveAsAlice(w: Canary, wait = true) {
  const asAlice = { ...w.deps, clients: { ...w.deps.clients, callerIdentity: async () => ALICE } };
  const rec = await approve(asAlice, { service: 'frontend', env: 'prod' });
  return continueHeldRelease(asAlice, { service: 'frontend', env: 'prod', actor: 'alice', wait }, rec);
}

describe('strategies/ecs-progressive: a prod canary that ECS shifts and the engine follows', function () {
  // Each test takes a release through intg, staging and prod's stages: about a second, more on a busy machine.
  this.timeout(20_000);
  it('pauses for approval on the test listener (exit 0, run open), then promotes with one approval', async () => {
    const w = canaryWorld();
    const held = await promoteToPause(w);
    expect(held.failure).to.equal(null);
    expect(held.result.outcome).to.equal('started');
    expect(w.logs.join('\n')).to.contain(
      'paused for approval on the test listener: https://app.tdr.nationalarchives.gov.uk:8443; run tdr approve --service frontend --env prod',
    );
    const open = prodRecords(w);
    expect(open.map((r) => r.outcome)).to.deep.equal(['started', 'started']);
    expect(open[1]!.detail).to.match(/^awaiting approval/);
    expect(open[1]!.stages!.at(-1)).to.deep.include({
      stage: 'POST_TEST_TRAFFIC_SHIFT',
      awaitingApproval: true,
      test: 100,
      production: 0,
    });
    expect(open[1]!.stages!.map((s) => s.stage)).to.include.members(['PRE_SCALE_UP', 'TEST_TRAFFIC_SHIFT']);

    const { result, failure } = await approveAsAlice(w);
    expect(failure).to.equal(null);
    expect(result.outcome).to.equal('succeeded');
    const done = prodRecords(w).at(-1)!;
    expect(done).to.deep.include({ outcome: 'succeeded', settles: open[1]!.seq });
    expect(done.approval).to.deep.include({ approver: 'alice', via: 'sts', identity: ALICE });
    expect(done.approver).to.equal('alice');
    const judged = done.stages!.filter((s) => s.judgement);
    expect(judged).to.have.length(1);
    expect(judged[0]!.judgement!.verdict).to.equal('pass');
    expect(judged[0]!.production).to.equal(w.prod.canaryPercent);
    const evidence = judged[0]!.judgement!.evidence as { queries: unknown[]; window: { seconds: number } };
    expect(evidence.queries.length).to.be.greaterThan(0);
    expect(evidence.window.seconds).to.be.at.least(60);
    expect(done.stages!.map((s) => s.production)).to.include(100);
    expect(done.stages!.at(-1)!.status).to.equal('SUCCESSFUL');
  });

  it('tdr status shows the stage, the split and "awaiting approval" with the command to run', async () => {
    const w = canaryWorld();
    await promoteToPause(w);
    const [row] = await status(w.deps, { service: 'frontend', env: 'prod' });
    expect(row!.ecs.deployment).to.deep.include({
      stage: 'POST_TEST_TRAFFIC_SHIFT',
      status: 'IN_PROGRESS',
      production: 0,
      test: 100,
      awaitingApproval: true,
      serviceDeployment: prodRecords(w).at(-1)!.serviceDeployment,
    });
    expect(renderStatus([row!])).to.contain(
      'deploying frontend/prod: POST_TEST_TRAFFIC_SHIFT (IN_PROGRESS): production 0%, test 100%, awaiting approval: run tdr approve --service frontend --env prod',
    );
    await approveAsAlice(w);
    const [after] = await status(w.deps, { service: 'frontend', env: 'prod' });
    expect(after!.ecs.deployment).to.equal(null);
  });

  it('a service ECS still rolls (infra not applied) is released rolling, and needs its approval before', async () => {
    const w = canaryWorld();
    const rolling = w.ecs.on(DescribeServicesCommand);
    rolling.callsFake(() => ({
      services: [
        {
          status: 'ACTIVE',
          taskDefinition: w.service.td,
          runningCount: 1,
          desiredCount: 1,
          deployments: [{ status: 'PRIMARY', rolloutState: 'COMPLETED' }],
          deploymentConfiguration: { strategy: 'ROLLING' },
        },
      ],
    }));
    const err = await promoteToPause(w).catch((e: unknown) => e as Error & { kind?: string });
    expect((err as { kind?: string }).kind).to.equal('refused');
    expect((err as Error).message).to.contain('prod needs an approval by one of its approvers (admins)');
    expect(w.logs.join('\n')).to.contain(
      'the model releases frontend in prod canary, but ECS has the service ROLLING',
    );
  });

  it('the promoter cannot approve their own promotion at the pause (four eyes), and ECS keeps holding it', async () => {
    const w = canaryWorld();
    await promoteToPause(w);
    const bobApprover = `arn:aws:sts::${MGMT}:assumed-role/TDRReleaseApproverProd/bob`;
    const asBob = { ...w.deps, clients: { ...w.deps.clients, callerIdentity: async () => bobApprover } };
    const rec = await approve(asBob, { service: 'frontend', env: 'prod' });
    const err = await continueHeldRelease(
      asBob,
      { service: 'frontend', env: 'prod', actor: 'bob' },
      rec,
    ).catch((e: unknown) => e as Error & { kind?: string });
    expect((err as { kind?: string }).kind).to.equal('refused');
    expect((err as Error).message).to.contain('is the promoter');
    const arn = prodRecords(w).at(-1)!.serviceDeployment!;
    const d = w.standIn.describeServiceDeployments({ serviceDeploymentArns: [arn] }).serviceDeployments![0]!;
    expect(d.lifecycleHookDetails![0]!.status).to.equal('AWAITING_ACTION');
  });

  it('a canary that returns 5xx is rolled back by the alarm before 100 % of the traffic, recorded with its evidence', async () => {
    const w = canaryWorld();
    await promoteToPause(w);
    let fired = false;
    w.onTick.push(() => {
      const arn = prodRecords(w).at(-1)?.serviceDeployment;
      if (fired || !arn) return;
      const d = w.standIn.describeServiceDeployments({ serviceDeploymentArns: [arn] })
        .serviceDeployments![0]!;
      if ((d.targetServiceRevision?.requestedProductionTrafficWeight ?? 0) > 0) {
        fired = true;
        w.standIn.setAlarm(ALARM, 'ALARM');
      }
    });
    const { result, failure } = await approveAsAlice(w);
    expect(fired, 'the alarm fired during the canary').to.equal(true);
    expect(result.outcome).to.equal('rolled_back');
    expect(failure).to.contain(`rolled back by ${ALARM}`);
    const done = prodRecords(w).at(-1)!;
    expect(done).to.deep.include({
      outcome: 'rolled_back',
      detail: `rolled back by ${ALARM}`,
      rolledBackBy: [ALARM],
    });
    expect(
      done.stages!.every((s) => (s.production ?? 0) < 100),
      'never all the traffic',
    ).to.equal(true);
    expect(done.stages!.at(-1)!.status).to.equal('ROLLBACK_SUCCESSFUL');
  });

  it('an inconclusive step (no data) never promotes: the engine stops the deployment with ROLLBACK', async () => {
    const w = canaryWorld();
    await promoteToPause(w);
    w.metrics.RequestCount = null;
    w.metrics.HTTPCode_Target_5XX_Count = null;
    w.metrics.TargetResponseTime = null;
    const { result, failure } = await approveAsAlice(w);
    expect(result.outcome).to.equal('rolled_back');
    expect(failure).to.contain('the canary judge said inconclusive');
    const done = prodRecords(w).at(-1)!;
    const judged = done.stages!.filter((s) => s.judgement);
    expect(judged.map((s) => s.judgement!.verdict)).to.deep.equal(['inconclusive']);
    expect(
      done.stages!.every((s) => (s.production ?? 0) < 100),
      'never all the traffic',
    ).to.equal(true);
  });

  it('approve --no-wait continues the deployment and returns at once; the next operation settles it from ECS', async () => {
    const w = canaryWorld();
    await promoteToPause(w);
    const { result, failure } = await approveAsAlice(w, false);
    expect(failure).to.equal(null);
    expect(result.outcome).to.equal('started');
    expect(prodRecords(w).at(-1)!.outcome, 'left open').to.equal('started');
    // No engine judges the canary now: ECS alone takes it to the end.
    w.clock.t += 60 * 60_000;
    await release(w.deps, {
      action: 'deploy',
      service: 'frontend',
      env: 'intg',
      version: 'v3',
      actor: 'jenkins',
    });
    await release(w.deps, { action: 'promote', service: 'frontend', env: 'staging', actor: 'bob' });
    const next = await releaseService(w.deps, {
      action: 'promote',
      service: 'frontend',
      env: 'prod',
      actor: 'bob',
    });
    expect(next.result.settled).to.have.length(1);
    expect(prodRecords(w).find((r) => r.settles !== null)).to.deep.include({
      outcome: 'succeeded',
      version: 'v2',
    });
  });

  it('an open run whose deployment ECS is still working on is a conflict naming approve and rollback', async () => {
    const w = canaryWorld();
    await promoteToPause(w);
    const err = await releaseService(w.deps, {
      action: 'promote',
      service: 'frontend',
      env: 'prod',
      actor: 'bob',
    }).catch((e: unknown) => e as Error & { kind?: string });
    expect((err as { kind?: string }).kind).to.equal('conflict');
    expect((err as Error).message).to.contain('tdr approve --service frontend --env prod');
    expect((err as Error).message).to.contain('tdr rollback --service frontend --env prod');
  });

  it('tdr rollback during the pause stops the deployment with ROLLBACK and records it', async () => {
    const w = canaryWorld();
    await promoteToPause(w);
    const { result, failure } = await stopInFlightRelease(w.deps, {
      service: 'frontend',
      env: 'prod',
      actor: 'carol',
    });
    expect(failure).to.equal(null);
    expect(result.outcome).to.equal('rolled_back');
    const done = prodRecords(w).at(-1)!;
    expect(done.outcome).to.equal('rolled_back');
    expect(done.detail).to.match(/^rolled back by carol \(tdr rollback: StopServiceDeployment ROLLBACK\)/);
  });

  it('a follower stopped mid-canary (SIGTERM) leaves ECS to finish; the next operation settles the run from ECS', async () => {
    const w = canaryWorld();
    await promoteToPause(w);
    const stop = new AbortController();
    w.onTick.push(() => {
      const arn = prodRecords(w).at(-1)?.serviceDeployment;
      if (!arn || stop.signal.aborted) return;
      const d = w.standIn.describeServiceDeployments({ serviceDeploymentArns: [arn] })
        .serviceDeployments![0]!;
      if ((d.targetServiceRevision?.requestedProductionTrafficWeight ?? 0) > 0) stop.abort('SIGTERM');
    });
    const asAlice = {
      ...w.deps,
      signal: stop.signal,
      clients: { ...w.deps.clients, callerIdentity: async () => ALICE },
    };
    const rec = await approve(asAlice, { service: 'frontend', env: 'prod' });
    const err = await continueHeldRelease(
      asAlice,
      { service: 'frontend', env: 'prod', actor: 'alice' },
      rec,
    ).catch((e: unknown) => e as { kind?: string });
    expect(String(err)).to.contain('InterruptedError: interrupted by SIGTERM');
    expect(prodRecords(w).at(-1)!.outcome, 'left open').to.equal('started');
    // ECS goes on alone: the canary bake, the rest of the traffic, the final bake.
    w.clock.t += 60 * 60_000;
    await release(w.deps, {
      action: 'deploy',
      service: 'frontend',
      env: 'intg',
      version: 'v3',
      actor: 'jenkins',
    });
    await release(w.deps, { action: 'promote', service: 'frontend', env: 'staging', actor: 'bob' });
    const next = await releaseService(w.deps, {
      action: 'promote',
      service: 'frontend',
      env: 'prod',
      actor: 'bob',
    });
    expect(next.failure).to.equal(null);
    const settled = prodRecords(w).find((r) => r.settles !== null)!;
    expect(settled).to.deep.include({ outcome: 'succeeded', version: 'v2' });
    expect(settled.detail).to.contain('ECS completed service deployment');
    expect(next.result.settled).to.deep.equal([settled.seq]);
  });
});
