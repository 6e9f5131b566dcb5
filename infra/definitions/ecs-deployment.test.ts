import { expect } from 'chai';
import { DEFAULT_ENVIRONMENTS, WORKLOAD_ENVIRONMENTS } from '../../services/environments';
import { ECS_DEPLOYMENT_STRATEGY } from '../../services/delivery';
import type { DeliveryStrategy } from '../../services/delivery';
import {
  checkHook,
  DeploymentSettingsError,
  ecsDeploymentSettings,
  ecsJudgeHookRole,
  judgeHook,
  judgeHookDetails,
  JUDGE_HOOK_STAGE,
  PAUSE_FORBIDDEN_STAGES,
} from './ecs-deployment';

describe('ECS deployment settings from the delivery model', () => {
  for (const env of WORKLOAD_ENVIRONMENTS) {
    const strategy = DEFAULT_ENVIRONMENTS[env].delivery!;
    it(`${env}: ${strategy.kind} as ECS has it`, () => {
      const s = ecsDeploymentSettings(strategy, ['a1']);
      expect(s.deploymentController).to.deep.equal({ type: 'ECS' });
      expect(s.deploymentConfiguration.strategy).to.equal(ECS_DEPLOYMENT_STRATEGY[strategy.kind]);
      expect(s.sideBySide).to.equal(strategy.kind !== 'rolling');
      // The circuit breaker is ROLLING's only (API_DeploymentConfiguration).
      expect(s.deploymentCircuitBreaker !== undefined).to.equal(strategy.kind === 'rolling');
      expect(s.alarms).to.deep.equal(
        strategy.alarmRollback ? { alarmNames: ['a1'], enable: true, rollback: true } : undefined,
      );
      const pause = strategy.kind === 'rolling' ? null : strategy.approvalPause;
      expect(s.deploymentConfiguration.lifecycleHooks?.[0]).to.deep.equal(
        pause
          ? {
              targetType: 'PAUSE',
              lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'],
              timeoutConfiguration: { timeoutInMinutes: String(pause.timeoutInMinutes), action: 'ROLLBACK' },
            }
          : undefined,
      );
    });
  }

  it('refuses a PAUSE at either forbidden stage, naming the field', () => {
    for (const stage of PAUSE_FORBIDDEN_STAGES) {
      expect(() => checkHook({ targetType: 'PAUSE', lifecycleStages: [stage] }, 'hooks[0]')).to.throw(
        DeploymentSettingsError,
        `hooks[0].lifecycleStages: a PAUSE hook cannot be at ${stage}`,
      );
    }
    expect(() =>
      checkHook({ targetType: 'AWS_LAMBDA', lifecycleStages: ['TEST_TRAFFIC_SHIFT'] }, 'hooks[0]'),
    ).not.to.throw();
  });

  it('refuses a PAUSE timeout outside 1–20160 minutes', () => {
    for (const minutes of ['0', '20161', '1.5']) {
      expect(() =>
        checkHook(
          {
            targetType: 'PAUSE',
            lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'],
            timeoutConfiguration: { timeoutInMinutes: minutes, action: 'ROLLBACK' },
          },
          'h',
        ),
      ).to.throw(/h\.timeoutConfiguration\.timeoutInMinutes/);
    }
  });
});

describe('the canary judge hook (AWS_LAMBDA at the production traffic shift) and its role', () => {
  const names = {
    loadBalancer: 'app/tdr-prod/1',
    targetGroups: ['targetgroup/a/1', 'targetgroup/b/2'] as const,
  };
  const canary = DEFAULT_ENVIRONMENTS.prod.delivery! as DeliveryStrategy & { kind: 'canary' };
  const linear: DeliveryStrategy = {
    kind: 'linear',
    stepPercent: 20,
    stepBakeTimeInMinutes: 4,
    bakeTimeInMinutes: 5,
    testTraffic: false,
    approvalPause: null,
    alarmRollback: true,
  };

  it("judges over the canary's bake, or a linear step's; blue/green and rolling have no baseline beside the canary", () => {
    expect(canary.kind, 'the model gives prod a canary').to.equal('canary');
    expect(judgeHookDetails('frontend', canary, names, 100)).to.deep.equal({
      service: 'frontend',
      ...names,
      windowMinutes: canary.canaryBakeTimeInMinutes,
      minRequests: 100,
    });
    expect(judgeHookDetails('frontend', linear, names, 100)?.windowMinutes).to.equal(4);
    expect(judgeHookDetails('frontend', DEFAULT_ENVIRONMENTS.staging.delivery!, names, 100)).to.equal(
      undefined,
    );
    expect(judgeHookDetails('frontend', DEFAULT_ENVIRONMENTS.intg.delivery!, names, 100)).to.equal(undefined);
  });

  it('refuses a judged strategy with no bake, naming the field (it could never pass)', () => {
    expect(() =>
      judgeHookDetails('frontend', { ...canary, canaryBakeTimeInMinutes: 0 }, names, 100),
    ).to.throw(DeploymentSettingsError, /delivery\.canaryBakeTimeInMinutes/);
    expect(() => judgeHookDetails('frontend', { ...linear, stepBakeTimeInMinutes: 0 }, names, 100)).to.throw(
      /delivery\.stepBakeTimeInMinutes/,
    );
  });

  it('is an AWS_LAMBDA hook at PRODUCTION_TRAFFIC_SHIFT (where a PAUSE may not be) with its target and role', () => {
    const hook = judgeHook({ hookTargetArn: 'fn:live', roleArn: 'role', hookDetails: '{}' });
    expect(hook).to.deep.include({ targetType: 'AWS_LAMBDA', lifecycleStages: [JUDGE_HOOK_STAGE] });
    expect(PAUSE_FORBIDDEN_STAGES).to.include(JUDGE_HOOK_STAGE);
    expect(() => judgeHook({ hookTargetArn: 'fn:live', roleArn: '', hookDetails: '{}' })).to.throw(/roleArn/);
  });

  it('its role is trusted by ECS in this account only and may invoke the judge’s alias and nothing else', () => {
    const alias = 'arn:aws:lambda:eu-west-2:444444444444:function:tdr-canary-judge-prod:live';
    const role = ecsJudgeHookRole('prod', '444444444444', alias);
    expect(role.roleName).to.equal('TDRECSCanaryJudgeHookRoleProd');
    expect(role.trust).to.have.length(1);
    expect(JSON.stringify(role.trust[0])).to.contain('ecs.amazonaws.com').and.contain('444444444444');
    expect(role.statements).to.deep.equal([
      { Sid: 'InvokeCanaryJudge', Effect: 'Allow', Action: ['lambda:InvokeFunction'], Resource: alias },
    ]);
  });
});
