import {
  CloudWatchClient,
  GetMetricDataCommand,
  PutMetricDataCommand,
  type MetricDatum,
} from '@aws-sdk/client-cloudwatch';
import { expect } from 'chai';
import { percentile, sameValueSamples, weightedPercentile, withPercentiles } from './moto-percentiles';

describe('sandbox/moto-percentiles: percentiles moto does not compute', () => {
  it('is the smallest value with at least p % of the values at or below it', () => {
    const hundred = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(hundred, 95)).to.equal(95);
    expect(percentile(hundred, 50)).to.equal(50);
    expect(percentile(hundred, 100)).to.equal(100);
    expect(percentile([7], 95)).to.equal(7);
    expect(percentile([1, 2, 3], 95)).to.equal(3);
    expect(percentile([], 95)).to.equal(undefined);
  });

  it('over values with counts, is the percentile of the values each written out count times', () => {
    const samples = [
      { value: 0.4, count: 37 },
      { value: 0.05, count: 900 },
      { value: 2.5, count: 3 },
      { value: 0.2, count: 60 },
    ];
    const spelt = samples.flatMap((s) => Array<number>(s.count).fill(s.value));
    for (const p of [1, 50, 90, 95, 96, 99, 99.7, 100])
      expect(weightedPercentile(samples, p), `p${p}`).to.equal(percentile(spelt, p));
    expect(weightedPercentile([{ value: 1, count: 0 }], 95)).to.equal(undefined);
  });

  it("answers p95 from the statistic sets CloudWatch would (one sample, or Min = Max), moto's other statistics untouched", async () => {
    const client = new CloudWatchClient({
      region: 'eu-west-2',
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    });
    const toMoto: string[] = [];
    // In moto's place: every call that gets past withPercentiles is answered here, before it is serialised.
    client.middlewareStack.add(
      (_next, context) => async () => {
        toMoto.push(context.commandName ?? '');
        return { output: { MetricDataResults: [], $metadata: {} }, response: {} };
      },
      { step: 'serialize', priority: 'high', name: 'inMotosPlace' },
    );
    withPercentiles(client);
    const at = new Date('2026-12-06T10:00:30Z');
    const datum = (name: string, d: Partial<MetricDatum>): MetricDatum => ({
      MetricName: name,
      Timestamp: at,
      ...d,
    });
    await client.send(
      new PutMetricDataCommand({
        Namespace: 'T',
        MetricData: [
          datum('same', { StatisticValues: sameValueSamples(0.2, 95) }),
          datum('same', { StatisticValues: sameValueSamples(3, 5) }),
          datum('one', { StatisticValues: { SampleCount: 1, Sum: 4, Minimum: 4, Maximum: 4 } }),
          datum('spread', { StatisticValues: { SampleCount: 10, Sum: 10, Minimum: 0.5, Maximum: 1.5 } }),
          datum('counted', { Values: [1, 2], Counts: [5, 95] }),
        ],
      }),
    );
    const p95 = async (name: string) => {
      const out = await client.send(
        new GetMetricDataCommand({
          StartTime: new Date('2026-12-06T10:00:00Z'),
          EndTime: new Date('2026-12-06T10:01:00Z'),
          MetricDataQueries: [
            {
              Id: 'q',
              MetricStat: { Metric: { Namespace: 'T', MetricName: name }, Period: 60, Stat: 'p95' },
            },
          ],
        }),
      );
      return out.MetricDataResults?.[0]?.Values;
    };
    expect(await p95('same')).to.deep.equal([0.2]);
    expect(await p95('one')).to.deep.equal([4]);
    expect(await p95('spread'), 'no percentile of a spread-out statistic set').to.deep.equal([]);
    expect(await p95('counted')).to.deep.equal([2]);
    expect(toMoto, 'the put reaches moto; percentile queries do not').to.deep.equal(['PutMetricDataCommand']);
    expect(sameValueSamples(0.25, 4)).to.deep.equal({ SampleCount: 4, Sum: 1, Minimum: 0.25, Maximum: 0.25 });
  });
});
