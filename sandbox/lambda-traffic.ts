/**
 * Invocations of a function's alias in the sandbox, as CloudWatch would count them: moto runs no
 * code, so nothing publishes Lambda's metrics there. Each minute reads the alias (its version and
 * any `RoutingConfig.AdditionalVersionWeights`), splits that minute's invocations between the
 * versions by weight, as Lambda's alias routing does, and puts what Lambda publishes per version
 * (https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html): `Invocations`,
 * `Errors`, `Throttles` (Sum) and `Duration` (every invocation's), with the dimensions
 * `FunctionName`, `Resource` (`function:alias`) and `ExecutedVersion`. How each version behaves
 * (its error rate, its duration) is the caller's: a healthy build, or one with an error burst.
 */
import { PutMetricDataCommand, type CloudWatchClient, type MetricDatum } from '@aws-sdk/client-cloudwatch';
import { aliasWeight, type Lambda } from '../pipelines/release/aws/lambda';
import { sameValueSamples } from './moto-percentiles';

export interface VersionBehaviour {
  /** Share of invocations that fail, 0-1. */
  readonly errorRate: number;
  readonly durationMs: number;
}

/** moto answered PutMetricData calls of 80 datums with an HTML 500: a few at a time. */
const BATCH = 20;

export class AliasTraffic {
  /** PutMetricData calls made. */
  puts = 0;

  constructor(
    private readonly lambda: Lambda,
    private readonly cw: CloudWatchClient,
    private readonly fn: string,
    private readonly alias: string,
    private readonly behaviour: (version: string, minute: Date) => VersionBehaviour,
  ) {}

  /** One minute's `invocations`, timestamped inside the minute that starts at `minute`. */
  async minute(minute: Date, invocations: number): Promise<Record<string, number>> {
    const a = await this.lambda.alias(this.fn, this.alias);
    if (!a?.FunctionVersion) throw new Error(`${this.fn} has no ${this.alias} alias`);
    const extra = aliasWeight(a);
    const split: Record<string, number> = {};
    const toExtra = extra ? Math.round(invocations * extra.weight) : 0;
    split[a.FunctionVersion] = invocations - toExtra;
    if (extra) split[extra.version] = toExtra;
    const at = new Date(minute.getTime() + 1_000);
    const data: MetricDatum[] = Object.entries(split)
      .filter(([, n]) => n > 0)
      .flatMap(([version, n]) => {
        const b = this.behaviour(version, minute);
        const errors = Math.round(n * b.errorRate);
        const Dimensions = [
          { Name: 'FunctionName', Value: this.fn },
          { Name: 'Resource', Value: `${this.fn}:${this.alias}` },
          { Name: 'ExecutedVersion', Value: version },
        ];
        const count = (MetricName: string, Value: number): MetricDatum => ({
          MetricName,
          Dimensions,
          Timestamp: at,
          Value,
          Unit: 'Count',
        });
        return [
          count('Invocations', n),
          count('Errors', errors),
          count('Throttles', 0),
          {
            MetricName: 'Duration',
            Dimensions,
            Timestamp: at,
            StatisticValues: sameValueSamples(b.durationMs, n),
            Unit: 'Milliseconds',
          },
        ];
      });
    for (let i = 0; i < data.length; i += BATCH) {
      await this.cw.send(
        new PutMetricDataCommand({ Namespace: 'AWS/Lambda', MetricData: data.slice(i, i + BATCH) }),
      );
      this.puts += 1;
    }
    return split;
  }
}

/**
 * A clock for a canary in the sandbox: `sleep` moves time on at once, and each whole minute it
 * passes gets `perMinute` invocations of the alias (put when the minute is over, as CloudWatch has
 * a minute's metrics only after it). The bake of a prod canary (15 minutes) then takes seconds.
 */
export function trafficClock(
  startMs: number,
  traffic: AliasTraffic,
  perMinute: number,
): { now: () => Date; sleep: (ms: number) => Promise<void>; readonly minutes: number } {
  let now = startMs;
  let minutes = 0;
  return {
    now: () => new Date(now),
    async sleep(ms: number) {
      const target = now + Math.max(0, ms);
      for (let m = Math.floor(now / 60_000) + 1; m * 60_000 <= target; m++) {
        await traffic.minute(new Date((m - 1) * 60_000), perMinute);
        minutes += 1;
      }
      now = target;
    },
    get minutes() {
      return minutes;
    },
  };
}
