import { expect } from 'chai';
import { DEFAULT_ENVIRONMENTS, WORKLOAD_ENVIRONMENTS } from '../../services/environments';
import { ECS_DEPLOYMENT_STRATEGY } from '../../services/delivery';
import {
  checkHook,
  DeploymentSettingsError,
  ecsDeploymentSettings,
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
