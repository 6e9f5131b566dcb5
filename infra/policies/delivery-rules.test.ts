import { expect } from 'chai';
import { DEFAULT_ENVIRONMENTS } from '../../services/environments';
import { ecsDeploymentSettings, judgeHook, judgeHookDetails } from '../definitions/ecs-deployment';
import * as rules from './delivery-rules';
import { describePolicyCases, res, violations, type PolicyCase } from './fixtures.test-helper';

/** A service as infra/components/ecs-service.ts declares it, from the prod strategy of the model. */
const prod = ecsDeploymentSettings(DEFAULT_ENVIRONMENTS.prod.delivery!, ['tdr-frontend-prod-rollback-5xx']);
const service = (name: string, inputs: Record<string, unknown>) =>
  res('aws:ecs/service:Service', 'frontend-service', { name, ...inputs });
const prodService = (extra: Record<string, unknown> = {}) =>
  service('frontend_service_prod', {
    deploymentController: prod.deploymentController,
    deploymentConfiguration: prod.deploymentConfiguration,
    alarms: prod.alarms,
    ...extra,
  });

/** The judge hook infra adds to a canary (infra/components/ecs-service.ts), with details as infra writes them. */
const judged = (details: unknown = judgeDetails) =>
  prodService({
    deploymentConfiguration: {
      ...prod.deploymentConfiguration,
      lifecycleHooks: [
        ...(prod.deploymentConfiguration.lifecycleHooks ?? []),
        judgeHook({
          hookTargetArn: 'arn:aws:lambda:eu-west-2:444444444444:function:tdr-canary-judge-prod:live',
          roleArn: 'arn:aws:iam::444444444444:role/TDRECSCanaryJudgeHookRoleProd',
          hookDetails: JSON.stringify(details),
        }),
      ],
    },
  });
const judgeDetails = judgeHookDetails(
  'frontend',
  DEFAULT_ENVIRONMENTS.prod.delivery!,
  {
    loadBalancer: 'app/tdr-prod/0123456789abcdef',
    targetGroups: [
      'targetgroup/frontend-tg-prod/1111111111111111',
      'targetgroup/frontend-alt-prod/2222222222222222',
    ],
  },
  100,
);

export const DELIVERY_CASES: PolicyCase[] = [
  {
    policy: rules.ecsProgressiveJudgeHook,
    compliant: 'the prod canary with the judge hook at PRODUCTION_TRAFFIC_SHIFT, and a rolling intg service',
    compliantResources: [judged(), service('frontend_service_intg', {})],
    violating: 'the prod canary with only its PAUSE, and one whose judge hook names one target group',
    violatingResources: [
      prodService(),
      judged({ ...judgeDetails, targetGroups: ['targetgroup/frontend-tg-prod/1'] }),
    ],
    message: /CANARY deployment no one judges if Jenkins is down[\s\S]*hookDetails\.targetGroups/,
  },
  {
    policy: rules.ecsProdAlarmRollback,
    compliant: 'a prod service with alarm rollback, and an intg service without',
    compliantResources: [prodService(), service('frontend_service_intg', {})],
    violating: 'a prod service whose alarms do not roll back',
    violatingResources: [prodService({ alarms: { ...prod.alarms, rollback: false } })],
    message: /prod service without alarm rollback/,
  },
  {
    policy: rules.ecsProgressiveBake,
    compliant: 'the prod canary (15-minute canary bake)',
    compliantResources: [prodService()],
    violating: 'a canary with no canary bake, and a linear deployment with no step bake',
    violatingResources: [
      prodService({
        deploymentConfiguration: {
          ...prod.deploymentConfiguration,
          canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: '0' },
        },
      }),
      service('frontend_service_staging', {
        deploymentConfiguration: { strategy: 'LINEAR', linearConfiguration: { stepPercent: 10 } },
      }),
    ],
    message: /CANARY deployment without a bake[\s\S]*LINEAR deployment without a bake/,
  },
  {
    policy: rules.ecsPauseHookStages,
    compliant: 'a PAUSE after test traffic with a 120-minute timeout',
    compliantResources: [prodService()],
    violating: 'a PAUSE at PRODUCTION_TRAFFIC_SHIFT',
    violatingResources: [
      prodService({
        deploymentConfiguration: {
          ...prod.deploymentConfiguration,
          lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['PRODUCTION_TRAFFIC_SHIFT'] }],
        },
      }),
    ],
    message: /PAUSE hook cannot be at PRODUCTION_TRAFFIC_SHIFT/,
  },
];

describe('delivery policies', () => {
  describePolicyCases(DELIVERY_CASES);

  it('a PAUSE at TEST_TRAFFIC_SHIFT and a timeout beyond 14 days are refused too', async () => {
    const found = await violations(rules.ecsPauseHookStages, [
      prodService({
        deploymentConfiguration: {
          ...prod.deploymentConfiguration,
          lifecycleHooks: [
            {
              targetType: 'PAUSE',
              lifecycleStages: ['TEST_TRAFFIC_SHIFT'],
              timeoutConfiguration: { timeoutInMinutes: '20161', action: 'ROLLBACK' },
            },
          ],
        },
      }),
    ]);
    expect(found.map((v) => v.message).join('\n')).to.match(/TEST_TRAFFIC_SHIFT[\s\S]*20161/);
  });
});
