/**
 * CloudWatch for the canary judge: GetMetricData, every page, read-only
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html: at most
 * 500 queries a call; an answer may come in pages joined by NextToken, and each result says whether
 * it is `Complete`, `PartialData`, `Forbidden` or `InternalError`).
 *
 * The client for a workload account is built here, not in ./aws.ts (the release engine's clients,
 * which the saga owns), from the same pieces: the assumed role of that account and the SDK's retries.
 */
import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  type MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import { STSClient } from '@aws-sdk/client-sts';
import type { AccountIds } from '../../../services/config';
import type { EnvironmentName } from '../../../services/environments';
import { attempt } from '../errors';
import { assumedRoleCredentials, RETRY_CONFIG, workloadRoleName, type WorkloadRole } from './aws';

/** GetMetricData's own limit on queries per call. */
export const MAX_QUERIES = 500;
/** A bound on pages: a judgement's few queries over one window never need more than a handful. */
export const MAX_PAGES = 50;

export interface MetricSeries {
  readonly values: number[];
  readonly timestamps: Date[];
  /** The last page's status for this query: `Complete` once every page was read. */
  readonly statusCode: string;
  readonly messages: string[];
}

export interface MetricData {
  readonly series: ReadonlyMap<string, MetricSeries>;
  /** GetMetricData calls made (the cost of one judgement). */
  readonly requests: number;
}

/** Every query's datapoints in the window, oldest first, all pages joined. */
export async function getMetricData(
  cw: CloudWatchClient,
  queries: readonly MetricDataQuery[],
  window: { readonly start: Date; readonly end: Date },
): Promise<MetricData> {
  if (queries.length === 0 || queries.length > MAX_QUERIES)
    throw new Error(`GetMetricData takes 1-${MAX_QUERIES} queries; given ${queries.length}`);
  const series = new Map<
    string,
    { values: number[]; timestamps: Date[]; statusCode: string; messages: string[] }
  >();
  let nextToken: string | undefined;
  let requests = 0;
  do {
    if (requests >= MAX_PAGES)
      throw new Error(`GetMetricData still had pages after ${MAX_PAGES} calls: refusing to read on`);
    const token = nextToken;
    const out = await attempt('reading the canary and baseline metrics from CloudWatch (GetMetricData)', () =>
      cw.send(
        new GetMetricDataCommand({
          MetricDataQueries: [...queries],
          StartTime: window.start,
          EndTime: window.end,
          ScanBy: 'TimestampAscending',
          ...(token ? { NextToken: token } : {}),
        }),
      ),
    );
    requests += 1;
    for (const r of out.MetricDataResults ?? []) {
      if (!r.Id) continue;
      const s = series.get(r.Id) ?? { values: [], timestamps: [], statusCode: 'Complete', messages: [] };
      s.values.push(...(r.Values ?? []));
      s.timestamps.push(...(r.Timestamps ?? []));
      s.statusCode = r.StatusCode ?? 'Complete';
      s.messages.push(...(r.Messages ?? []).map((m) => `${m.Code ?? ''}: ${m.Value ?? ''}`));
      series.set(r.Id, s);
    }
    nextToken = out.NextToken;
  } while (nextToken);
  return { series, requests };
}

/** What CloudWatch says of one alarm now (DescribeAlarms). */
export interface AlarmState {
  readonly name: string;
  /** OK, ALARM, INSUFFICIENT_DATA; null when CloudWatch has no such alarm. */
  readonly state: string | null;
  readonly stateReason: string | null;
  readonly stateUpdatedAt: string | null;
}

/** DescribeAlarms' own limit on AlarmNames. */
export const MAX_ALARM_NAMES = 100;

/**
 * The state of each named alarm, metric or composite (API_DescribeAlarms.html: `AlarmNames` at most
 * 100, `AlarmTypes`; `StateValue`, `StateReason`, `StateUpdatedTimestamp` of MetricAlarm and
 * CompositeAlarm). Read-only; an alarm CloudWatch does not have is answered with nulls.
 */
export async function describeAlarms(cw: CloudWatchClient, names: readonly string[]): Promise<AlarmState[]> {
  const asked = [...new Set(names)].slice(0, MAX_ALARM_NAMES);
  if (asked.length === 0) return [];
  const out = await attempt(`describing CloudWatch alarms ${asked.join(', ')}`, () =>
    cw.send(
      new DescribeAlarmsCommand({
        AlarmNames: asked,
        AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
        MaxRecords: MAX_ALARM_NAMES,
      }),
    ),
  );
  const found = [...(out?.MetricAlarms ?? []), ...(out?.CompositeAlarms ?? [])];
  return asked.map((name) => {
    const a = found.find((x) => x.AlarmName === name);
    return {
      name,
      state: a?.StateValue ?? null,
      stateReason: a?.StateReason ?? null,
      stateUpdatedAt: a?.StateUpdatedTimestamp?.toISOString() ?? null,
    };
  });
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * CloudWatch in the account of `env`, through its workload role (`TDRJenkinsECSUpdateRole{Env}`, or
 * the reader role). AWS_ENDPOINT_URL (moto) is passed explicitly, as ./aws.ts does.
 */
export function workloadCloudWatch(opts: {
  readonly env: EnvironmentName;
  readonly region: string;
  readonly accountIds: AccountIds;
  readonly role: WorkloadRole;
  readonly sessionName: string;
  readonly processEnv: Env;
}): CloudWatchClient {
  const endpoint = opts.processEnv.AWS_ENDPOINT_URL ? { endpoint: opts.processEnv.AWS_ENDPOINT_URL } : {};
  const sts = new STSClient({ region: opts.region, ...endpoint, ...RETRY_CONFIG });
  return new CloudWatchClient({
    region: opts.region,
    ...endpoint,
    ...RETRY_CONFIG,
    credentials: assumedRoleCredentials(
      sts,
      opts.accountIds[opts.env],
      workloadRoleName(opts.role, opts.env),
      opts.sessionName,
    ),
  });
}
