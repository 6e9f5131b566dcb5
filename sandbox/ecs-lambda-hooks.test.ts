/**
 * The stand-in's AWS_LAMBDA hooks (./ecs-lambda-hooks.ts, ./ecs-deployments.ts) against the
 * developer guide (lambda-lifecycle-hooks.html: a valid hookStatus or a rollback; callBackDelay
 * default 30 s; hookDetails carried) and against the SDK model: the hook details it reports use the
 * members of `DeploymentLifecycleHookDetail$` and the values of its enums (@aws-sdk/client-ecs).
 */
import * as ecsSdk from '@aws-sdk/client-ecs';
import type { DeploymentConfiguration } from '@aws-sdk/client-ecs';
import { expect } from 'chai';
import { EcsDeploymentsStandIn, ManualClock } from './ecs-deployments';
import { DEFAULT_CALL_BACK_SECONDS, readLambdaAnswer } from './ecs-lambda-hooks';

const FN = 'arn:aws:lambda:eu-west-2:222222222222:function:tdr-canary-judge-prod:live';
const config = (hook: Partial<ecsSdk.DeploymentLifecycleHook> = {}): DeploymentConfiguration => ({
  strategy: 'CANARY',
  bakeTimeInMinutes: 1,
  canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 2 },
  lifecycleHooks: [
    {
      targetType: 'AWS_LAMBDA',
      hookTargetArn: FN,
      roleArn: 'arn:aws:iam::222222222222:role/TDRECSCanaryJudgeHookRoleProd',
      lifecycleStages: ['PRODUCTION_TRAFFIC_SHIFT'],
      hookDetails: { windowMinutes: 2 },
      ...hook,
    },
  ],
});

function world(answer: (payload: Record<string, unknown>, n: number) => unknown) {
  const clock = new ManualClock();
  const standIn = new EcsDeploymentsStandIn({ clock, stageSeconds: 30 });
  standIn.addService('c', 's', { desiredCount: 1, config: config() });
  const arn = standIn.startDeployment('c', 's');
  const payloads: Array<Record<string, unknown>> = [];
  const invoke = async (_fn: string, payload: Record<string, unknown>) => {
    payloads.push(payload);
    return answer(payload, payloads.length);
  };
  const describe = () =>
    standIn.describeServiceDeployments({ serviceDeploymentArns: [arn] }).serviceDeployments![0]!;
  /** Minutes pass; ECS invokes what is due each minute. */
  const run = async (minutes: number) => {
    for (let i = 0; i < minutes; i++) {
      clock.advance(60_000);
      await standIn.invokeLambdaHooks(invoke);
    }
    return describe();
  };
  return { payloads, run, describe };
}

describe('test/support: the stand-in’s AWS_LAMBDA hooks', () => {
  it('reads answers as the guide says: a valid hookStatus, callBackDelay default 30 s, else a rollback with why', () => {
    expect(readLambdaAnswer({ hookStatus: 'SUCCEEDED' })).to.deep.equal({ hookStatus: 'SUCCEEDED' });
    expect(readLambdaAnswer({ hookStatus: 'IN_PROGRESS' })).to.deep.include({
      callBackSeconds: DEFAULT_CALL_BACK_SECONDS,
    });
    for (const bad of [
      undefined,
      'SUCCEEDED',
      { hookStatus: 'OK' },
      { hookStatus: 'IN_PROGRESS', callBackDelay: -1 },
    ])
      expect(readLambdaAnswer(bad)).to.be.a('string');
  });

  it('holds the deployment at the canary step until the function SUCCEEDS, passing the split and the hook details back', async () => {
    const w = world((_p, n) =>
      n < 3
        ? { hookStatus: 'IN_PROGRESS', callBackDelay: 60, hookDetails: { seen: n } }
        : { hookStatus: 'SUCCEEDED' },
    );
    const held = await w.run(8);
    expect(held.status).to.equal('IN_PROGRESS');
    const first = w.payloads[0]!;
    const target = held.targetServiceRevision!.arn!;
    expect((first.productionTrafficWeights as Record<string, number>)[target]).to.equal(10);
    expect(first.hookDetails).to.deep.equal({ windowMinutes: 2 });
    expect(w.payloads[1]!.hookDetails).to.deep.equal({ windowMinutes: 2, seen: 1 });
    const done = await w.run(20);
    expect(done.status).to.equal('SUCCESSFUL');
    // Invoked at both shift steps (10 % and 100 %), as the API reference says of PRODUCTION_TRAFFIC_SHIFT.
    expect(w.payloads.map((p) => (p.productionTrafficWeights as Record<string, number>)[target])).to.include(
      100,
    );
    for (const h of done.lifecycleHookDetails!) {
      const names = (
        ecsSdk.DeploymentLifecycleHookDetail$ as unknown as [number, string, string, number, string[]]
      )[4];
      expect(
        Object.keys(h).every((k) => names.includes(k)),
        Object.keys(h).join(),
      ).to.equal(true);
      expect(Object.values(ecsSdk.DeploymentLifecycleHookTargetType)).to.include(h.targetType);
      expect(Object.values(ecsSdk.DeploymentLifecycleHookStatus)).to.include(h.status);
    }
  });

  it('rolls back on FAILED, on an answer without a valid hookStatus, and when the function throws', async () => {
    for (const answer of [
      () => ({ hookStatus: 'FAILED' }),
      () => ({ status: 'SUCCEEDED' }),
      () => {
        throw new Error('boom');
      },
    ]) {
      const w = world(answer);
      const d = await w.run(10);
      expect(d.status).to.equal('ROLLBACK_SUCCESSFUL');
      expect(d.rollback?.reason).to.match(/AWS_LAMBDA/);
      expect(d.lifecycleHookDetails!.find((h) => h.targetType === 'AWS_LAMBDA')!.status).to.equal('FAILED');
    }
  });

  it('refuses an AWS_LAMBDA hook without its function or role, with a timeout, or at a stage it does not model', () => {
    const add = (hook: Partial<ecsSdk.DeploymentLifecycleHook>) =>
      new EcsDeploymentsStandIn({ clock: new ManualClock() }).addService('c', 's', {
        desiredCount: 1,
        config: config(hook),
      });
    expect(() => add({ roleArn: undefined })).to.throw(/roleArn/);
    expect(() => add({ timeoutConfiguration: { timeoutInMinutes: 5 } })).to.throw(/PAUSE hooks only/);
    expect(() => add({ lifecycleStages: ['POST_SCALE_UP'] })).to.throw(/PRODUCTION_TRAFFIC_SHIFT only/);
  });
});
