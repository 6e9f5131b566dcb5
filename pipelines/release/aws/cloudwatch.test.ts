import { CloudWatchClient, DescribeAlarmsCommand, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { expect } from 'chai';
import { AwsCallError } from '../errors';
import { metricDataQueries, plan } from '../judge/judge';
import { describeAlarms, getMetricData, MAX_ALARM_NAMES, MAX_QUERIES } from './cloudwatch';

const NOW = new Date('2026-01-05T10:30:00Z');
const WINDOW = { start: new Date('2026-01-05T10:10:00Z'), end: new Date('2026-01-05T10:20:00Z') };
const p = plan(
  {
    kind: 'target-groups',
    loadBalancer: 'app/tdr-prod/0123456789abcdef',
    canary: 'targetgroup/frontend-prod-green/1111111111111111',
    baseline: 'targetgroup/frontend-prod-blue/2222222222222222',
  },
  WINDOW,
  NOW,
);

describe('pipelines/release/aws/cloudwatch: GetMetricData for the judge', () => {
  const client = new CloudWatchClient({
    region: 'eu-west-2',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
  const cw = mockClient(client);
  beforeEach(() => cw.reset());

  it('asks every query for the window and joins the pages, counting the calls', async () => {
    const t = (m: number) => new Date(WINDOW.start.getTime() + m * 60_000);
    cw.on(GetMetricDataCommand)
      .resolvesOnce({
        MetricDataResults: [
          { Id: 'canary_unhealthy', Values: [0, 0], Timestamps: [t(0), t(1)], StatusCode: 'PartialData' },
        ],
        NextToken: 'page2',
      })
      .resolvesOnce({
        MetricDataResults: [
          { Id: 'canary_unhealthy', Values: [1], Timestamps: [t(2)], StatusCode: 'Complete' },
          { Id: 'canary_requests', Values: [], Timestamps: [], StatusCode: 'Complete' },
        ],
      });
    const { series, requests } = await getMetricData(client, metricDataQueries(p), WINDOW);
    expect(requests).to.equal(2);
    expect(series.get('canary_unhealthy')).to.deep.include({ values: [0, 0, 1], statusCode: 'Complete' });
    expect(series.get('canary_requests')?.values).to.deep.equal([]);
    const calls = cw.commandCalls(GetMetricDataCommand).map((c) => c.args[0].input);
    expect(calls.map((c) => c.NextToken)).to.deep.equal([undefined, 'page2']);
    for (const c of calls) {
      expect(c).to.include({ StartTime: WINDOW.start, EndTime: WINDOW.end, ScanBy: 'TimestampAscending' });
      expect(c.MetricDataQueries?.map((q) => q.Id)).to.deep.equal(p.queries.map((q) => q.id));
    }
  });

  it('says what it was doing when CloudWatch refuses', async () => {
    cw.on(GetMetricDataCommand).rejects(Object.assign(new Error('not authorized'), { name: 'AccessDenied' }));
    const err = await getMetricData(client, metricDataQueries(p), WINDOW).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(AwsCallError);
    expect((err as Error).message).to.match(/GetMetricData.*AccessDenied: not authorized/);
  });

  it('refuses more queries than one call takes, and a NextToken that never ends', async () => {
    const many = Array.from({ length: MAX_QUERIES + 1 }, (_, i) => ({
      ...metricDataQueries(p)[0]!,
      Id: `q${i}`,
    }));
    const tooMany = await getMetricData(client, many, WINDOW).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(tooMany?.message).to.match(/1-500 queries/);
    expect(cw.commandCalls(GetMetricDataCommand)).to.have.length(0);
    cw.on(GetMetricDataCommand).resolves({ MetricDataResults: [], NextToken: 'again' });
    const endless = await getMetricData(client, metricDataQueries(p), WINDOW).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(endless?.message).to.match(/still had pages/);
  });
});

describe('pipelines/release/aws/cloudwatch: DescribeAlarms for a rollback’s evidence', () => {
  const client = new CloudWatchClient({
    region: 'eu-west-2',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
  const cw = mockClient(client);
  beforeEach(() => cw.reset());

  it('asks once for each name (at most DescribeAlarms’ 100), metric and composite, and answers in the order asked', async () => {
    const at = new Date('2026-01-05T10:31:00Z');
    cw.on(DescribeAlarmsCommand).resolves({
      MetricAlarms: [
        { AlarmName: 'b', StateValue: 'ALARM', StateReason: 'Threshold Crossed', StateUpdatedTimestamp: at },
      ],
      CompositeAlarms: [
        { AlarmName: 'a', StateValue: 'OK', StateReason: 'back to OK', StateUpdatedTimestamp: at },
      ],
    });
    const names = ['a', 'b', 'a', 'gone', ...Array.from({ length: 150 }, (_, i) => `x${i}`)];
    const states = await describeAlarms(client, names);
    const input = cw.commandCalls(DescribeAlarmsCommand)[0]!.args[0].input;
    expect(cw.commandCalls(DescribeAlarmsCommand)).to.have.length(1);
    expect(input.AlarmNames).to.have.length(MAX_ALARM_NAMES);
    expect(input.AlarmNames!.slice(0, 3)).to.deep.equal(['a', 'b', 'gone']);
    expect(input.AlarmTypes).to.deep.equal(['MetricAlarm', 'CompositeAlarm']);
    expect(states.slice(0, 3)).to.deep.equal([
      { name: 'a', state: 'OK', stateReason: 'back to OK', stateUpdatedAt: at.toISOString() },
      { name: 'b', state: 'ALARM', stateReason: 'Threshold Crossed', stateUpdatedAt: at.toISOString() },
      { name: 'gone', state: null, stateReason: null, stateUpdatedAt: null },
    ]);
    expect(await describeAlarms(client, [])).to.deep.equal([]);
    expect(cw.commandCalls(DescribeAlarmsCommand)).to.have.length(1);
  });

  it('wraps a refusal with what it was doing', async () => {
    cw.on(DescribeAlarmsCommand).rejects(
      Object.assign(new Error('not authorized'), { name: 'AccessDenied' }),
    );
    const err = await describeAlarms(client, ['a']).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(AwsCallError);
    expect(String((err as Error).message)).to.contain('describing CloudWatch alarms a');
  });
});
