/**
 * The canary judge as ECS runs it: a prod canary on the service-deployment stand-in
 * (sandbox/ecs-deployments.ts) with the lifecycle hooks infra gives it (the approval PAUSE left out:
 * the approval is proved in pipelines/release/strategies/ecs-progressive.test.ts) and the judge's
 * AWS_LAMBDA hook at PRODUCTION_TRAFFIC_SHIFT, whose handler (pipelines/release/hook) the stand-in
 * invokes in-process after each shift step, as ECS invokes the function (moto runs no Lambda code).
 * The hook reads moto's CloudWatch, where this test puts each minute's ALB metrics of the two target
 * groups as the traffic split says (moto's missing percentiles filled in by sandbox/moto-percentiles),
 * as the function's own role (`TDRCanaryJudgeLambdaRole{Env}`), its calls recorded for
 * `npm run check:aws-calls`.
 */
import { CloudWatchClient, PutMetricDataCommand, type MetricDatum } from '@aws-sdk/client-cloudwatch';
import type {
  DeploymentConfiguration,
  DeploymentLifecycleHook,
  ServiceDeployment,
} from '@aws-sdk/client-ecs';
import { expect } from 'chai';
import { DEFAULT_ENVIRONMENTS } from '../services/environments';
import type { DeliveryStrategy } from '../services/delivery';
import { naming } from '../services/naming';
import { CANARY_JUDGE_FUNCTION } from '../services/platform-functions';
import { SERVICE_ALARMS } from '../services/thresholds';
import { DEFAULT_JUDGE_SETTINGS } from '../pipelines/release/judge/judge';
import { handleLifecycleHook, type LifecycleHookEvent } from '../pipelines/release/hook/ecs-canary-hook';
import { JUDGE_HOOK_STAGE, judgeHook, judgeHookDetails } from '../infra/definitions/ecs-deployment';
import { lambdaArn } from '../infra/definitions/lambda';
import { withPercentiles } from '../sandbox/moto-percentiles';
import { TEST_ACCOUNT_IDS, assumeRole } from './support/accounts';
import { recordingCommand } from './support/aws-calls';
import { EcsDeploymentsStandIn, ManualClock } from '../sandbox/ecs-deployments';

const MINUTE = 60_000;
const PROD = TEST_ACCOUNT_IDS.prod;
const LB = 'app/tdr-prod/0123456789abcdef';
const BLUE = 'targetgroup/frontend-tg-prod/1111111111111111';
const GREEN = 'targetgroup/frontend-alt-prod/2222222222222222';
const JUDGE_ARN = lambdaArn.alias('eu-west-2', PROD, naming.functionName(CANARY_JUDGE_FUNCTION, 'prod'));
const REQUESTS_PER_MINUTE = 1000;

const strategy = DEFAULT_ENVIRONMENTS.prod.delivery! as DeliveryStrategy & { kind: 'canary' };

/** Prod's canary as ECS takes it, with the judge hook infra adds (the API's numbers, hookDetails an object). */
function deploymentConfiguration(): DeploymentConfiguration {
  const details = judgeHookDetails(
    'frontend',
    strategy,
    { loadBalancer: LB, targetGroups: [BLUE, GREEN] },
    DEFAULT_JUDGE_SETTINGS.minRequests,
  )!;
  const hook = judgeHook({
    hookTargetArn: JUDGE_ARN,
    roleArn: naming.roleArn(PROD, naming.ecsJudgeHookRole('prod')),
    hookDetails: JSON.stringify(details),
  });
  return {
    strategy: 'CANARY',
    bakeTimeInMinutes: strategy.bakeTimeInMinutes,
    canaryConfiguration: {
      canaryPercent: strategy.canaryPercent,
      canaryBakeTimeInMinutes: strategy.canaryBakeTimeInMinutes,
    },
    lifecycleHooks: [
      {
        targetType: 'AWS_LAMBDA',
        hookTargetArn: hook.hookTargetArn as string,
        roleArn: hook.roleArn as string,
        lifecycleStages: [...hook.lifecycleStages],
        hookDetails: JSON.parse(hook.hookDetails as string) as NonNullable<
          DeploymentLifecycleHook['hookDetails']
        >,
      },
    ],
  };
}

/** One minute of one target group as the ALB publishes it. */
function albMinute(tg: string, at: Date, requests: number, errors: number): MetricDatum[] {
  const Dimensions = [
    { Name: 'LoadBalancer', Value: LB },
    { Name: 'TargetGroup', Value: tg },
  ];
  const datum = (MetricName: string, Value: number, Unit: 'Count' | 'Seconds'): MetricDatum => ({
    MetricName,
    Dimensions,
    Timestamp: at,
    Value,
    Unit,
  });
  return [
    ...(requests > 0
      ? [datum('RequestCount', requests, 'Count'), datum('TargetResponseTime', 0.2, 'Seconds')]
      : []),
    ...(errors > 0 ? [datum('HTTPCode_Target_5XX_Count', errors, 'Count')] : []),
    datum('UnHealthyHostCount', 0, 'Count'),
  ];
}

interface Run {
  readonly final: ServiceDeployment;
  readonly invocations: number;
  readonly maxProduction: number;
  readonly logs: string[];
}

/** The canary from its start to its end, a minute at a time: traffic as ECS splits it, ECS invoking the hook. */
async function runCanary(canary5xxPerMinute: number): Promise<Run> {
  const clock = new ManualClock(Math.floor(Date.now() / MINUTE) * MINUTE - 3 * 60 * MINUTE);
  const standIn = new EcsDeploymentsStandIn({ clock, accountId: PROD, stageSeconds: 30 });
  standIn.addService('frontend_prod', 'frontend_service_prod', {
    desiredCount: 2,
    config: deploymentConfiguration(),
  });
  const arn = standIn.startDeployment('frontend_prod', 'frontend_service_prod');
  const cw = withPercentiles(
    new CloudWatchClient({
      ...(process.env.AWS_ENDPOINT_URL ? { endpoint: process.env.AWS_ENDPOINT_URL } : {}),
      // The function's own role, as Lambda gives it: its GetMetricData calls (recorded below) are
      // simulated against that role's policy by `npm run check:aws-calls`.
      credentials: await assumeRole(PROD, naming.functionRole('CanaryJudge', 'prod')),
    }),
  );
  const logs: string[] = [];
  let invocations = 0;
  let maxProduction = 0;
  const invoke = async (functionArn: string, payload: Record<string, unknown>) => {
    expect(functionArn, 'ECS invokes the judge’s live alias').to.equal(JUDGE_ARN);
    invocations += 1;
    return recordingCommand(['lambda', CANARY_JUDGE_FUNCTION], process.env, () =>
      handleLifecycleHook(payload as LifecycleHookEvent, {
        cloudWatch: cw,
        now: () => new Date(clock.now()),
        log: (l) => logs.push(l),
      }),
    );
  };
  const describe = () =>
    standIn.describeServiceDeployments({ serviceDeploymentArns: [arn] }).serviceDeployments![0]!;
  for (let minute = 0; minute < 120; minute++) {
    const d = describe();
    if (!['PENDING', 'IN_PROGRESS'].includes(d.status!)) break;
    const canaryShare = d.targetServiceRevision?.requestedProductionTrafficWeight ?? 0;
    maxProduction = Math.max(maxProduction, canaryShare);
    const at = new Date(clock.now() + 1_000);
    const canary = Math.round((REQUESTS_PER_MINUTE * canaryShare) / 100);
    const data = [
      ...albMinute(GREEN, at, canary, canary > 0 ? canary5xxPerMinute : 0),
      ...albMinute(BLUE, at, REQUESTS_PER_MINUTE - canary, 0),
    ];
    for (let i = 0; i < data.length; i += 20)
      await cw.send(
        new PutMetricDataCommand({ Namespace: 'AWS/ApplicationELB', MetricData: data.slice(i, i + 20) }),
      );
    clock.advance(MINUTE);
    await standIn.invokeLambdaHooks(invoke);
  }
  clock.advance(MINUTE);
  return { final: describe(), invocations, maxProduction, logs };
}

const verdicts = (logs: readonly string[]) =>
  logs.flatMap((l) => {
    const j = (JSON.parse(l) as { judgement?: { verdict: string; subject: { canary: string } } }).judgement;
    return j ? [j] : [];
  });

describe('the canary judge as an ECS lifecycle hook, on the service-deployment stand-in and moto’s CloudWatch', function () {
  this.timeout(180_000);

  it('a healthy canary is judged over its bake (IN_PROGRESS a minute apart), SUCCEEDED, and ECS finishes the deployment', async () => {
    const run = await runCanary(0);
    expect(run.final.status).to.equal('SUCCESSFUL');
    const hook = run.final.lifecycleHookDetails!.find((h) => h.targetType === 'AWS_LAMBDA')!;
    expect(hook).to.deep.include({ status: 'SUCCEEDED', targetArn: JUDGE_ARN });
    expect(hook.hookId).to.match(new RegExp(`^${JUDGE_HOOK_STAGE.toLowerCase()}-`));
    // Once per minute of the bake and then some: ECS honoured IN_PROGRESS and callBackDelay.
    expect(run.invocations).to.be.greaterThan(strategy.canaryBakeTimeInMinutes);
    const judged = verdicts(run.logs);
    expect(judged.at(-1)!.verdict).to.equal('pass');
    expect(
      judged.every((j) => j.subject.canary === GREEN),
      'the canary found by its share',
    ).to.equal(true);
  });

  it('a canary returning 5xx is FAILED by the hook before its bake ends, and ECS rolls back before 100 %', async () => {
    // Twice the alarm's line once projected onto all the traffic.
    const perMinute = Math.ceil(
      ((SERVICE_ALARMS.target5xx.threshold * 2) / (SERVICE_ALARMS.target5xx.periodSeconds / 60)) *
        (strategy.canaryPercent / 100),
    );
    const run = await runCanary(perMinute);
    expect(run.final.status).to.equal('ROLLBACK_SUCCESSFUL');
    expect(run.final.rollback?.reason).to.match(/AWS_LAMBDA/);
    expect(run.maxProduction, 'never past the canary').to.equal(strategy.canaryPercent);
    const hook = run.final.lifecycleHookDetails!.find((h) => h.targetType === 'AWS_LAMBDA')!;
    expect(hook.status).to.equal('FAILED');
    expect(verdicts(run.logs).at(-1)!.verdict).to.equal('fail');
    expect(run.invocations).to.be.lessThan(strategy.canaryBakeTimeInMinutes + 2);
  });
});
