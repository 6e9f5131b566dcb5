/**
 * Linear and blue/green through the release engine, on moto with the ECS service-deployment
 * stand-in in front of it (sandbox/ecs-canary-world.ts, as `tdr sandbox demo` runs its canaries):
 * frontend v2 deployed to intg (rolling, moto), then promoted to staging with staging's delivery
 * set to a linear shift or blue/green. The world's clock moves as the engine sleeps, each minute's
 * ALB metrics go to moto's CloudWatch by the production rule's weights, and the engine's judge
 * reads them. Checked against the stand-in and the model: the stages seen, each production step of
 * the linear shift (stepPercent, from the developer guide's linear-deployment.html: equal steps,
 * a step bake between them, none after 100 %), a judgement per step bake with the canary's target
 * group taking that step's share, and the bake after the shift (bakeTimeInMinutes). Bakes of a few
 * minutes: each test takes seconds.
 */
import { expect } from 'chai';
import { loadPlatform, type Platform } from '../services/config';
import {
  linearBakedSteps,
  linearShifts,
  type BlueGreenDelivery,
  type DeliveryStrategy,
  type LinearDelivery,
} from '../services/delivery';
import { releaseClients } from '../pipelines/release/aws/aws';
import type { DeploymentStage } from '../pipelines/release/ledger/ledger';
import type { ReleaseDeps } from '../pipelines/release/saga/context';
import { releaseService } from '../pipelines/release/strategies/ecs-service-rollout';
import { EcsCanaryWorld, deploymentConfigurationOf } from '../sandbox/ecs-canary-world';
import { sandboxUp } from './support/release';

type Env = Record<string, string | undefined>;
const SERVICE = 'frontend';

async function engine(env: Env, delivery: DeliveryStrategy): Promise<ReleaseDeps> {
  const base = loadPlatform(env);
  const platform: Platform = {
    ...base,
    environments: { ...base.environments, staging: { ...base.environments.staging, delivery } },
  };
  let run = 0;
  return {
    clients: await releaseClients({ region: 'eu-west-2', sessionName: 'tdr-bob', env }),
    platform,
    now: () => new Date(),
    sleep: async () => {},
    log: () => {},
    notifier: {},
    pollMs: 20,
    // The follower's limit is twice this plus the planned minutes (ecs-progressive.ts `follow`).
    timeoutMs: 600_000,
    leaseTtlMs: 600_000,
    newRunId: () => `progressive-${++run}`,
  };
}

/** frontend v2 to intg (rolling on moto), then promoted to staging in the world: its stages. */
async function promoteToStaging(delivery: DeliveryStrategy) {
  const env = await sandboxUp();
  const deps = await engine(env, delivery);
  const deployed = await releaseService(deps, {
    action: 'deploy',
    service: SERVICE,
    env: 'intg',
    version: 'v2',
    actor: 'jenkins',
  });
  expect(deployed.failure).to.equal(null);
  const world = await EcsCanaryWorld.create(deps, {
    service: SERVICE,
    env: 'staging',
    config: deploymentConfigurationOf(delivery, SERVICE, 'staging'),
    perMinute: 3000,
    // Each stage outlasts the engine's poll in the world (30 s), so every one is seen.
    stageSeconds: 60,
  });
  const started = world.now().getTime();
  const { result, failure } = await releaseService(world.wrap(deps), {
    action: 'promote',
    service: SERVICE,
    env: 'staging',
    actor: 'bob',
  });
  expect(failure, String(result.detail)).to.equal(null);
  expect(result.outcome).to.equal('succeeded');
  const stages = (result.stages ?? []) as DeploymentStage[];
  return { stages, world, minutes: (world.now().getTime() - started) / 60_000 };
}

/**
 * Each production weight the target revision had, once, in order. ECS reports a shift's weight once
 * it is made, so the last (100 %) is seen in the stage after PRODUCTION_TRAFFIC_SHIFT.
 */
const steps = (stages: readonly DeploymentStage[]) =>
  stages
    .filter((s) => (s.production ?? 0) > 0)
    .map((s) => s.production)
    .filter((p, i, all) => all.indexOf(p) === i);

/** Whether the test listener took all its traffic before production took any. */
function testFirst(stages: readonly DeploymentStage[]): boolean {
  const test = stages.findIndex((s) => s.test === 100);
  const production = stages.findIndex((s) => (s.production ?? 0) > 0);
  return test >= 0 && production > test;
}

describe('linear and blue/green through the engine on the ECS stand-in (moto)', function () {
  this.timeout(180_000);

  it('linear: every step of stepPercent, each step bake judged on the canary target group, then the bake', async () => {
    const linear: LinearDelivery = {
      kind: 'linear',
      stepPercent: 30,
      // The judge's window is the step's whole minutes before its last poll: 3 minutes give it two.
      stepBakeTimeInMinutes: 3,
      bakeTimeInMinutes: 1,
      testTraffic: true,
      approvalPause: null,
      alarmRollback: true,
    };
    const { stages, minutes } = await promoteToStaging(linear);
    const expected = Array.from({ length: linearShifts(linear.stepPercent) }, (_, i) =>
      Math.min(100, (i + 1) * linear.stepPercent),
    );
    expect(steps(stages)).to.deep.equal(expected);
    expect(testFirst(stages), 'all test traffic before any production traffic').to.equal(true);
    // One judgement per step bake (none after 100 %), each a pass, each of the step's share.
    const judged = stages.filter((s) => s.judgement);
    expect(judged.map((s) => [s.production, s.judgement?.verdict])).to.deep.equal(
      expected.slice(0, linearBakedSteps(linear.stepPercent)).map((p) => [p, 'pass']),
    );
    for (const s of judged) {
      const values = (s.judgement?.evidence as { values: Record<string, number[]> }).values;
      const canary = values.canary_requests?.reduce((a, b) => a + b, 0) ?? 0;
      const baseline = values.baseline_requests?.reduce((a, b) => a + b, 0) ?? 0;
      expect(canary / (canary + baseline), `the canary's share at ${s.production}%`).to.be.closeTo(
        (s.production ?? 0) / 100,
        0.02,
      );
    }
    // The bake after the shift, with its time left estimated, then the clean-up.
    const bake = stages.find((s) => s.stage === 'BAKE_TIME');
    expect(bake?.bakeLeftSeconds).to.be.within(1, linear.bakeTimeInMinutes * 60);
    expect(stages.at(-1)?.stage).to.equal('CLEAN_UP');
    const planned =
      linear.bakeTimeInMinutes + linear.stepBakeTimeInMinutes * linearBakedSteps(linear.stepPercent);
    expect(minutes).to.be.at.least(planned);
  });

  it('blue/green: test traffic, all production at once, no judgement, then the bake', async () => {
    const blueGreen: BlueGreenDelivery = {
      kind: 'blueGreen',
      bakeTimeInMinutes: 3,
      testTraffic: true,
      approvalPause: null,
      alarmRollback: true,
    };
    const { stages, minutes } = await promoteToStaging(blueGreen);
    const seen = ['TEST_TRAFFIC_SHIFT', 'PRODUCTION_TRAFFIC_SHIFT', 'BAKE_TIME', 'CLEAN_UP'];
    const order = stages.map((s) => s.stage).filter((s, i, all) => all.indexOf(s) === i && seen.includes(s));
    expect(order).to.deep.equal(['TEST_TRAFFIC_SHIFT', 'PRODUCTION_TRAFFIC_SHIFT', 'BAKE_TIME', 'CLEAN_UP']);
    expect(steps(stages)).to.deep.equal([100]);
    expect(testFirst(stages), 'all test traffic before any production traffic').to.equal(true);
    expect(stages.filter((s) => s.judgement)).to.deep.equal([]);
    const bake = stages.find((s) => s.stage === 'BAKE_TIME');
    expect(bake?.bakeLeftSeconds).to.be.within(1, blueGreen.bakeTimeInMinutes * 60);
    expect(minutes).to.be.at.least(blueGreen.bakeTimeInMinutes);
  });
});
