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
import { CANARY_JUDGE_FUNCTION } from '../services/platform-functions';
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
        const hooks = (inputs.deploymentConfiguration.lifecycleHooks ?? []) as Array<Record<string, unknown>>;
        const pauses = hooks.filter((h) => h.targetType === 'PAUSE');
        const judges = hooks.filter((h) => h.targetType === 'AWS_LAMBDA');
        expect(pauses.length + judges.length, 'every hook is a PAUSE or the judge').to.equal(hooks.length);
        // The judge: where canary and baseline both take production traffic, on the judge's live alias.
        const judged = strategy.kind === 'canary' || strategy.kind === 'linear';
        expect(judges, `${name} in ${env}: judged`).to.have.length(judged ? 1 : 0);
        if (judged) {
          const j = judges[0]!;
          expect(j.lifecycleStages).to.deep.equal(['PRODUCTION_TRAFFIC_SHIFT']);
          expect(j.hookTargetArn).to.match(
            new RegExp(
              `:function:${naming.functionName(CANARY_JUDGE_FUNCTION, env)}:${naming.functionAlias()}$`,
            ),
          );
          expect(j.roleArn).to.match(new RegExp(`:role/${naming.ecsJudgeHookRole(env)}$`));
          const details = (typeof j.hookDetails === 'string' ? JSON.parse(j.hookDetails) : j.hookDetails) as {
            service: string;
            loadBalancer: string;
            targetGroups: string[];
            windowMinutes: number;
          };
          expect(details.service).to.equal(name);
          expect(details.loadBalancer).to.match(new RegExp(`^app/${naming.loadBalancer(env)}/`));
          expect(details.targetGroups.map((g) => g.split('/')[1])).to.have.members([
            naming.targetGroup(name, env),
            naming.alternateTargetGroup(name, env),
          ]);
          expect(details.windowMinutes).to.equal(
            strategy.kind === 'canary' ? strategy.canaryBakeTimeInMinutes : strategy.stepBakeTimeInMinutes,
          );
          const fn = ofType(env, 'aws:lambda/function:Function').find(
            (f) => f.inputs.name === naming.functionName(CANARY_JUDGE_FUNCTION, env),
          );
          expect(fn, 'the judge function is in the stack').to.not.equal(undefined);
        }
        expect(pauses.length > 0 ? pauses : undefined).to.deep.equal(
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
