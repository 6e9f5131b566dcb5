/**
 * What the sandbox tells the engine ECS has configured (./ecs-canary-world.ts
 * `deploymentConfigurationOf`): the model's strategy as infra sets it (infra/definitions/ecs-deployment.ts),
 * in the ECS API's shape (numbers where Pulumi takes strings, `alarms` inside), and accepted by the
 * stand-in's own checks of what UpdateService refuses.
 */
import { expect } from 'chai';
import { loadPlatform } from '../services/config';
import { naming } from '../services/naming';
import { deliveryStrategy } from '../services/queries';
import { ROLLBACK_ALARM_LIST } from '../services/thresholds';
import { checkConfiguration } from './ecs-deployment-plan';
import { deploymentConfigurationOf } from './ecs-canary-world';

describe('sandbox/ecs-canary-world: the deployment configuration ECS would report', () => {
  const platform = loadPlatform({});

  it("prod's canary: the model's percent and bakes as numbers, the approval PAUSE hook, the rollback alarms", () => {
    const strategy = deliveryStrategy(platform, 'frontend', 'prod');
    if (strategy?.kind !== 'canary') throw new Error('prod delivers frontend as a canary');
    const c = deploymentConfigurationOf(strategy, 'frontend', 'prod');
    expect(c).to.deep.include({
      strategy: 'CANARY',
      bakeTimeInMinutes: strategy.bakeTimeInMinutes,
      canaryConfiguration: {
        canaryPercent: strategy.canaryPercent,
        canaryBakeTimeInMinutes: strategy.canaryBakeTimeInMinutes,
      },
    });
    expect(c.lifecycleHooks).to.deep.equal([
      {
        targetType: 'PAUSE',
        lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'],
        timeoutConfiguration: {
          timeoutInMinutes: strategy.approvalPause?.timeoutInMinutes,
          action: 'ROLLBACK',
        },
      },
    ]);
    expect(c.alarms).to.deep.equal({
      alarmNames: ROLLBACK_ALARM_LIST.map((a) => naming.alarm('frontend', 'prod', a.key)),
      enable: true,
      rollback: true,
    });
    expect(() => checkConfiguration(c)).to.not.throw();
  });

  it('linear and blue/green: their own members only, each accepted by the stand-in', () => {
    const base = { testTraffic: true, approvalPause: null, alarmRollback: false } as const;
    const linear = deploymentConfigurationOf(
      { ...base, kind: 'linear', stepPercent: 30, stepBakeTimeInMinutes: 3, bakeTimeInMinutes: 1 },
      'frontend',
      'staging',
    );
    expect(linear).to.deep.equal({
      strategy: 'LINEAR',
      bakeTimeInMinutes: 1,
      linearConfiguration: { stepPercent: 30, stepBakeTimeInMinutes: 3 },
    });
    const blueGreen = deploymentConfigurationOf(
      { ...base, kind: 'blueGreen', bakeTimeInMinutes: 10 },
      'frontend',
      'staging',
    );
    expect(blueGreen).to.deep.equal({ strategy: 'BLUE_GREEN', bakeTimeInMinutes: 10 });
    for (const c of [linear, blueGreen]) expect(() => checkConfiguration(c)).to.not.throw();
  });
});
