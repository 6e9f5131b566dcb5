/**
 * The canary hook's handler with CloudWatch mocked at the client (aws-sdk-client-mock), invoked
 * with the payload the ECS developer guide documents (deployment-lifecycle-hooks.html: serviceArn,
 * targetServiceRevisionArn, testTrafficWeights, productionTrafficWeights; hookDetails from the
 * hook's configuration and the last IN_PROGRESS answer).
 */
import { CloudWatchClient, GetMetricDataCommand, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { expect } from 'chai';
import type { JudgeHookDetails } from '../../../services/platform-functions';
import { SERVICE_ALARMS } from '../../../services/thresholds';
import { CALL_BACK_SECONDS, handleLifecycleHook, type LifecycleHookEvent } from './ecs-canary-hook';

const REVISION = (n: string) => `arn:aws:ecs:eu-west-2:444444444444:service-revision/tdr-prod/frontend/${n}`;
const T0 = Date.parse('2026-12-06T10:00:00Z');

/** A payload as the ECS developer guide shows it, with this service's hook details. */
function event(hookDetails: object, canaryShare = 10): LifecycleHookEvent {
  return {
    serviceArn: 'arn:aws:ecs:eu-west-2:444444444444:service/tdr-prod/frontend',
    targetServiceRevisionArn: REVISION('2'),
    testTrafficWeights: {},
    productionTrafficWeights: { [REVISION('1')]: 100 - canaryShare, [REVISION('2')]: canaryShare },
    hookDetails: hookDetails as Readonly<Record<string, unknown>>,
  };
}
const GREEN = 'targetgroup/frontend-prod-green/1111111111111111';
const BLUE = 'targetgroup/frontend-prod-blue/2222222222222222';
/** As infra writes them (infra/definitions/ecs-deployment.ts `judgeHook`): the pair, in no particular order. */
const DETAILS: JudgeHookDetails = {
  service: 'frontend',
  loadBalancer: 'app/tdr-prod/0123456789abcdef',
  targetGroups: [BLUE, GREEN],
  windowMinutes: 5,
  minRequests: 100,
};

/**
 * CloudWatch answering every query by its TargetGroup dimension: the canary (GREEN, taking 10 % of
 * the requests) with `canary5xx` errors, the baseline (BLUE) with none; p95 0.2 s, hosts healthy.
 */
function cloudWatch(
  canary5xx: number,
  requests = 1000,
  canaryGroup = GREEN,
  baselineRequests = requests * 9,
) {
  const client = new CloudWatchClient({ region: 'eu-west-2' });
  const mock = mockClient(client);
  mock.on(GetMetricDataCommand).callsFake((input: { MetricDataQueries: MetricDataQuery[] }) => ({
    MetricDataResults: input.MetricDataQueries.map((q) => {
      const id = q.Id!;
      const group = q.MetricStat!.Metric!.Dimensions!.find((d) => d.Name === 'TargetGroup')!.Value;
      const isCanary = group === canaryGroup;
      const values = id.endsWith('_requests')
        ? [isCanary ? requests : baselineRequests]
        : id.endsWith('_5xx')
          ? isCanary && canary5xx > 0
            ? [canary5xx]
            : []
          : id.endsWith('_p95')
            ? [0.2]
            : [0, 0, 0, 0, 0];
      return { Id: id, Values: values, StatusCode: 'Complete' };
    }),
  }));
  return { client, mock };
}

const run = (
  cw: CloudWatchClient,
  at: number,
  details: Readonly<Record<string, unknown>> | JudgeHookDetails,
  logs: string[] = [],
  share = 10,
) =>
  handleLifecycleHook(event(details, share), {
    cloudWatch: cw,
    now: () => new Date(at),
    log: (l) => logs.push(l),
  });

describe('pipelines/release/hook: the canary judge as an ECS lifecycle hook', () => {
  it('answers IN_PROGRESS a minute apart, carrying when it started, until the window is over; then SUCCEEDED on a pass', async () => {
    const { client, mock } = cloudWatch(0);
    const first = await run(client, T0 + 5_000, DETAILS);
    expect(first).to.deep.equal({
      hookStatus: 'IN_PROGRESS',
      callBackDelay: CALL_BACK_SECONDS,
      hookDetails: { ...DETAILS, startedAt: new Date(T0).toISOString() },
    });
    expect(mock.calls()).to.have.length(0);
    const mid = await run(client, T0 + 3 * 60_000, first.hookDetails!);
    expect(mid.hookStatus).to.equal('IN_PROGRESS');
    const logs: string[] = [];
    const last = await run(client, T0 + 6 * 60_000, first.hookDetails!, logs);
    expect(last).to.deep.equal({ hookStatus: 'SUCCEEDED' });
    const window = (JSON.parse(logs.at(-1)!) as { judgement: { window: { seconds: number } } }).judgement
      .window;
    expect(window.seconds).to.equal(5 * 60);
  });

  it('answers FAILED as soon as the judge fails (a 5xx burst), before the window is over', async () => {
    const { client } = cloudWatch(SERVICE_ALARMS.target5xx.threshold * 10);
    const logs: string[] = [];
    const a = await run(client, T0 + 3 * 60_000, { ...DETAILS, startedAt: new Date(T0).toISOString() }, logs);
    expect(a).to.deep.equal({ hookStatus: 'FAILED' });
    const evidence = JSON.parse(logs[0]!) as { final: boolean; judgement: { verdict: string } };
    expect(evidence).to.deep.include({ final: false });
    expect(evidence.judgement.verdict).to.equal('fail');
  });

  it('no data is never a pass: an inconclusive window at the end is FAILED', async () => {
    const { client } = cloudWatch(0, 5);
    const a = await run(client, T0 + 6 * 60_000, { ...DETAILS, startedAt: new Date(T0).toISOString() });
    expect(a).to.deep.equal({ hookStatus: 'FAILED' });
  });

  it('a hook configured wrongly fails the deployment (rolls back) and says why in its log', async () => {
    const { client, mock } = cloudWatch(0);
    for (const bad of [
      {},
      { ...DETAILS, windowMinutes: 0 },
      { ...DETAILS, startedAt: 'yesterday' },
      { ...DETAILS, targetGroups: [BLUE] },
      { ...DETAILS, targetGroups: [BLUE, BLUE] },
      { ...DETAILS, minRequests: 0 },
    ]) {
      const logs: string[] = [];
      expect(await run(client, T0, bad, logs)).to.deep.equal({ hookStatus: 'FAILED' });
      expect(logs.join()).to.match(/hookDetails/);
    }
    expect(mock.calls()).to.have.length(0);
  });

  const started = { ...DETAILS, startedAt: new Date(T0).toISOString() };
  const verdictOf = (logs: string[]) =>
    (JSON.parse(logs.at(-1)!) as { judgement: { verdict: string; subject: { canary: string } } }).judgement;

  it('finds the canary’s target group from the new revision’s share, whichever of the pair it is (ECS swaps them)', async () => {
    for (const canaryGroup of [GREEN, BLUE]) {
      const { client } = cloudWatch(0, 1000, canaryGroup);
      const logs: string[] = [];
      expect(await run(client, T0 + 6 * 60_000, started, logs)).to.deep.equal({ hookStatus: 'SUCCEEDED' });
      expect(verdictOf(logs).subject.canary).to.equal(canaryGroup);
      const burst = cloudWatch(SERVICE_ALARMS.target5xx.threshold * 10, 1000, canaryGroup);
      expect(await run(burst.client, T0 + 6 * 60_000, started, logs)).to.deep.equal({ hookStatus: 'FAILED' });
      expect(verdictOf(logs)).to.deep.include({ verdict: 'fail' });
      expect(verdictOf(logs).subject.canary).to.equal(canaryGroup);
    }
  });

  it('above half the traffic the canary is the busier group (a late linear step)', async () => {
    const { client } = cloudWatch(0, 9000, GREEN, 1000);
    const logs: string[] = [];
    expect(await run(client, T0 + 6 * 60_000, started, logs, 90)).to.deep.equal({ hookStatus: 'SUCCEEDED' });
    expect(verdictOf(logs).subject.canary).to.equal(GREEN);
  });

  it('an even split is judged both ways round: SUCCEEDED only if both pass, FAILED if either fails', async () => {
    const healthy = cloudWatch(0, 1000, GREEN, 1000);
    const logs: string[] = [];
    expect(await run(healthy.client, T0 + 6 * 60_000, started, logs, 50)).to.deep.equal({
      hookStatus: 'SUCCEEDED',
    });
    expect(verdictOf(logs).verdict).to.equal('pass');
    const burst = cloudWatch(SERVICE_ALARMS.target5xx.threshold * 10, 1000, GREEN, 1000);
    expect(await run(burst.client, T0 + 6 * 60_000, started, logs, 50)).to.deep.equal({
      hookStatus: 'FAILED',
    });
  });

  it('no split to judge (0 %: a rollback, 100 %: the last shift) is SUCCEEDED at once, reading nothing; no share at all is FAILED', async () => {
    for (const share of [0, 100]) {
      const { client, mock } = cloudWatch(0);
      expect(await run(client, T0, started, [], share)).to.deep.equal({ hookStatus: 'SUCCEEDED' });
      expect(mock.calls()).to.have.length(0);
    }
    const { client } = cloudWatch(0);
    const logs: string[] = [];
    const answer = await handleLifecycleHook(
      { ...event(started), productionTrafficWeights: {} },
      { cloudWatch: client, now: () => new Date(T0), log: (l) => logs.push(l) },
    );
    expect(answer).to.deep.equal({ hookStatus: 'FAILED' });
    expect(logs.join()).to.match(/productionTrafficWeights/);
  });

  it('reads the payload under executionDetails too (executionId, lifecycleStage, resourceArn beside it)', async () => {
    const { client } = cloudWatch(0);
    const { hookDetails, ...inner } = event(started);
    const answer = await handleLifecycleHook(
      { executionDetails: inner, lifecycleStage: 'PRODUCTION_TRAFFIC_SHIFT', hookDetails },
      { cloudWatch: client, now: () => new Date(T0 + 6 * 60_000), log: () => undefined },
    );
    expect(answer).to.deep.equal({ hookStatus: 'SUCCEEDED' });
  });
});
