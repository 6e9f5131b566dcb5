/**
 * Progressive delivery in the synthesised stacks: each workload service's deployment settings follow
 * its delivery strategy (services/queries.ts `deliveryStrategy`), and side-by-side services get the
 * two target groups, the weighted production and test rules and the infrastructure role ECS needs
 * (infra/definitions/ecs-deployment.ts ECS_ALB_BLUE_GREEN_DOCS).
 */
import { expect } from 'chai';
import type { Platform } from '../services/config';
import { ECS_DEPLOYMENT_STRATEGY } from '../services/delivery';
import { naming } from '../services/naming';
import { deliveryStrategy, ecsServices } from '../services/queries';
import { ROLLBACK_ALARM_LIST } from '../services/thresholds';
import { ECS_LOAD_BALANCER_INFRASTRUCTURE_POLICY_ARN } from './definitions/ecs-deployment';
import { ofType, one, sharedPlatform, synthesizeAll, type Inputs } from './synth.test-helper';

/** The host rules on the public HTTPS listener (not the test listener's). */
const productionRules = (env: 'intg' | 'staging' | 'prod') =>
  ofType(env, 'aws:lb/listenerRule:ListenerRule').filter((r) => !r.name.endsWith('-test-rule'));

describe('infrastructure: progressive delivery (offline synth under Pulumi mocks)', function () {
  this.timeout(60_000);

  let platform: Platform;
  before(async () => {
    await synthesizeAll();
    platform = sharedPlatform();
  });

  it('services leave the task definition to the release engine, and roll back on a failed deployment', () => {
    for (const env of ['intg', 'staging', 'prod'] as const) {
      const services = ofType(env, 'aws:ecs/service:Service');
      expect(services).to.have.length(ecsServices(platform.catalogue).length);
      for (const s of services) {
        const name = ecsServices(platform.catalogue).find(([n]) => s.name === `${n}-service`)![0];
        const strategy = deliveryStrategy(platform, name, env)!;
        const inputs = s.inputs as Inputs;
        expect(s.ignoreChanges, `${env} ${s.name}`).to.include('taskDefinition');
        expect(inputs.deploymentController).to.deep.equal({ type: 'ECS' });
        expect(inputs.deploymentConfiguration.strategy).to.equal(ECS_DEPLOYMENT_STRATEGY[strategy.kind]);
        if (strategy.kind === 'rolling') {
          expect(inputs.deploymentCircuitBreaker).to.deep.equal({ enable: true, rollback: true });
          continue;
        }
        // ECS moves traffic between two target groups through the rules named here, as the role.
        const lb = inputs.loadBalancers[0];
        const advanced = lb.advancedConfiguration;
        expect(lb.targetGroupArn).to.include(`:targetgroup/${naming.targetGroup(name, env)}/`);
        expect(advanced.alternateTargetGroupArn).to.include(
          `:targetgroup/${naming.alternateTargetGroup(name, env)}/`,
        );
        expect(advanced.productionListenerRule).to.include(`:listener-rule/app/${naming.loadBalancer(env)}/`);
        expect(advanced.roleArn).to.match(
          new RegExp(`:role/${naming.ecsLoadBalancerInfrastructureRole(env)}$`),
        );
        if (strategy.testTraffic) {
          expect(advanced.testListenerRule).to.include(`:listener-rule/app/${naming.loadBalancer(env)}/`);
          expect(advanced.testListenerRule).not.to.equal(advanced.productionListenerRule);
        } else expect(advanced.testListenerRule).to.equal(undefined);
        expect(s.ignoreChanges).to.include('loadBalancers');
        expect(inputs.deploymentConfiguration.bakeTimeInMinutes).to.equal(String(strategy.bakeTimeInMinutes));
        if (strategy.alarmRollback) {
          expect(inputs.alarms).to.deep.equal({
            alarmNames: ROLLBACK_ALARM_LIST.map((a) => naming.alarm(name, env, a.key)),
            enable: true,
            rollback: true,
          });
          for (const alarm of inputs.alarms.alarmNames)
            expect(
              ofType(env, 'aws:cloudwatch/metricAlarm:MetricAlarm').map((a) => a.inputs.name),
            ).to.include(alarm);
        }
        expect(inputs.deploymentConfiguration.lifecycleHooks).to.deep.equal(
          strategy.approvalPause
            ? [
                {
                  targetType: 'PAUSE',
                  lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'],
                  timeoutConfiguration: {
                    timeoutInMinutes: String(strategy.approvalPause.timeoutInMinutes),
                    action: 'ROLLBACK',
                  },
                },
              ]
            : undefined,
        );
      }
    }
  });

  it('side-by-side services get weighted rules on the production and test listeners, which ECS then owns', () => {
    const env = 'prod';
    const rules = ofType(env, 'aws:lb/listenerRule:ListenerRule');
    const tests = rules.filter((r) => r.name.endsWith('-test-rule'));
    expect(tests.length).to.be.greaterThan(0);
    const productionListener = productionRules(env)[0]?.inputs.listenerArn;
    for (const r of tests) {
      expect(r.inputs.listenerArn).to.include(`:listener/app/${naming.loadBalancer(env)}/`);
      expect(r.inputs.listenerArn).not.to.equal(productionListener);
      expect(r.ignoreChanges).to.include('actions');
      expect(
        (r.inputs as Inputs).actions[0].forward.targetGroups.map((g: { weight: number }) => g.weight),
      ).to.deep.equal([100, 0]);
    }
    const test = ofType(env, 'aws:lb/listener:Listener').find((l) => l.name === 'public-https-test');
    expect(test?.inputs).to.include({ port: naming.testListenerPort(), protocol: 'HTTPS' });
    expect(
      one(env, 'aws:iam/rolePolicyAttachment:RolePolicyAttachment', 'ecs-lb-infrastructure-role-managed'),
    ).to.include({
      policyArn: ECS_LOAD_BALANCER_INFRASTRUCTURE_POLICY_ARN,
    });
  });
});
