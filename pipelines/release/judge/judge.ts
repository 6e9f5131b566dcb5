/**
 * The canary judge: from the metrics of the canary and of the baseline over one step's window, pass,
 * fail or inconclusive, with the evidence (queries, values, thresholds, window). No data is never a
 * pass. Pure: `plan` builds the CloudWatch GetMetricData queries, `judge` reads their answers; the
 * call itself is ../aws/cloudwatch.ts's (see ./README.md).
 *
 * Metrics, dimensions and statistics come from services/aws-metrics.ts only (every query is checked
 * against it); thresholds from services/thresholds.ts, the numbers the dashboards and alarms use.
 */
import type { MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { AWS_METRICS, metricUseProblems, type AwsMetric } from '../../../services/aws-metrics';
import { BACKEND_ALARMS, PANEL_THRESHOLDS, SERVICE_ALARMS } from '../../../services/thresholds';
import { ReleaseInputError } from '../errors';

export type Verdict = 'pass' | 'fail' | 'inconclusive';

/** What is judged: two ALB target groups, or two versions of a function behind its alias. */
export type JudgeSubject =
  | {
      readonly kind: 'target-groups';
      /** CloudWatch's `LoadBalancer` dimension value: `app/{name}/{id}` (the ARN's suffix). */
      readonly loadBalancer: string;
      /** `TargetGroup` dimension values: `targetgroup/{name}/{id}`. */
      readonly canary: string;
      readonly baseline: string;
    }
  | {
      readonly kind: 'lambda-versions';
      readonly functionName: string;
      /** The alias the traffic is weighted on (`Resource` = `{function}:{alias}`). */
      readonly alias: string;
      /** `ExecutedVersion` values: published version numbers. */
      readonly canary: string;
      readonly baseline: string;
      /** The function's timeout: the duration panel's red line (and orange at 80 % of it). */
      readonly timeoutSeconds: number;
    };

export interface JudgeWindow {
  readonly start: Date;
  readonly end: Date;
}

export interface JudgeSettings {
  /**
   * Fewer requests (invocations) than this on the canary say nothing: inconclusive. A window with
   * three requests and no error is no evidence of health.
   */
  readonly minRequests: number;
}

export const DEFAULT_JUDGE_SETTINGS: JudgeSettings = { minRequests: 100 };

/** Bounds of a window: whole minutes (the metrics' period), at most a day (the longest bake). */
export const WINDOW_LIMITS = { minSeconds: 60, maxSeconds: 86_400, maxAgeDays: 15 } as const;
export const MIN_REQUESTS_LIMITS = { min: 1, max: 1_000_000 } as const;

/** One query as the evidence records it (and as GetMetricData is asked it). */
export interface QueryEvidence {
  readonly id: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly stat: string;
  readonly periodSeconds: number;
}

export interface JudgePlan {
  readonly subject: JudgeSubject;
  readonly window: { readonly start: string; readonly end: string; readonly seconds: number };
  readonly settings: JudgeSettings;
  readonly queries: readonly QueryEvidence[];
}

/** One query's answer, as ../aws/cloudwatch.ts gives it (every page joined). */
export interface Series {
  readonly values: readonly number[];
  /** `Complete` unless CloudWatch said otherwise (`PartialData`, `Forbidden`, `InternalError`). */
  readonly statusCode: string;
}

export interface CheckResult {
  readonly check: string;
  readonly verdict: Verdict;
  readonly reason: string;
  readonly canary: number | null;
  readonly baseline: number | null;
  readonly threshold: string;
  /** The query ids the check read (in `queries`). */
  readonly queries: readonly string[];
}

export interface Judgement extends JudgePlan {
  readonly verdict: Verdict;
  readonly checks: readonly CheckResult[];
  /** Every value read, by query id: what the verdict rests on. */
  readonly values: Readonly<Record<string, readonly number[]>>;
}

/**
 * The queries for `subject` over `window`; throws ReleaseInputError (kind `invalid`) naming every
 * problem with the window or the settings before anything is asked.
 */
export function plan(
  subject: JudgeSubject,
  window: JudgeWindow,
  now: Date,
  settings: JudgeSettings = DEFAULT_JUDGE_SETTINGS,
): JudgePlan {
  const problems = inputProblems(subject, window, now, settings);
  if (problems.length > 0) throw new ReleaseInputError(`cannot judge: ${problems.join('; ')}`);
  const seconds = (window.end.getTime() - window.start.getTime()) / 1000;
  const queries =
    subject.kind === 'target-groups' ? targetGroupQueries(subject, seconds) : lambdaQueries(subject, seconds);
  // A query CloudWatch would answer with silence (a dimension set AWS does not publish) is a bug here.
  const unsound = queries.flatMap((q) =>
    metricUseProblems({ ...q, dimensions: Object.keys(q.dimensions), statistic: q.stat }),
  );
  if (unsound.length > 0) throw new Error(`the judge built unsound queries: ${unsound.join('; ')}`);
  return {
    subject,
    window: { start: window.start.toISOString(), end: window.end.toISOString(), seconds },
    settings,
    queries,
  };
}

function inputProblems(
  subject: JudgeSubject,
  window: JudgeWindow,
  now: Date,
  settings: JudgeSettings,
): string[] {
  const problems: string[] = [];
  const start = window.start.getTime();
  const end = window.end.getTime();
  if (!Number.isFinite(start) || !Number.isFinite(end)) return ['window: start and end must be dates'];
  const seconds = (end - start) / 1000;
  if (start % 60_000 !== 0 || end % 60_000 !== 0)
    problems.push('window: start and end must be whole minutes (metrics are published per minute)');
  if (seconds < WINDOW_LIMITS.minSeconds || seconds > WINDOW_LIMITS.maxSeconds)
    problems.push(
      `window: ${seconds} s long; must be ${WINDOW_LIMITS.minSeconds}-${WINDOW_LIMITS.maxSeconds} s`,
    );
  if (end > now.getTime()) problems.push('window: ends in the future, where there is no data yet');
  if (now.getTime() - start > WINDOW_LIMITS.maxAgeDays * 86_400_000)
    problems.push(
      `window: starts more than ${WINDOW_LIMITS.maxAgeDays} days ago (CloudWatch keeps minute data that long)`,
    );
  if (
    !Number.isInteger(settings.minRequests) ||
    settings.minRequests < MIN_REQUESTS_LIMITS.min ||
    settings.minRequests > MIN_REQUESTS_LIMITS.max
  )
    problems.push(
      `minRequests: must be a whole number ${MIN_REQUESTS_LIMITS.min}-${MIN_REQUESTS_LIMITS.max}`,
    );
  if (subject.canary === subject.baseline)
    problems.push('canary and baseline are the same: nothing to compare');
  if (subject.kind === 'target-groups') {
    if (!/^app\/[\w-]{1,32}\/[0-9a-f]{16}$/.test(subject.loadBalancer))
      problems.push('loadBalancer: must be app/{name}/{16 hex digits} (the load balancer ARN suffix)');
    for (const [field, tg] of [
      ['canary', subject.canary],
      ['baseline', subject.baseline],
    ] as const)
      if (!/^targetgroup\/[\w-]{1,32}\/[0-9a-f]{16}$/.test(tg))
        problems.push(`${field}: must be targetgroup/{name}/{16 hex digits} (the target group ARN suffix)`);
  } else {
    for (const [field, v] of [
      ['canary', subject.canary],
      ['baseline', subject.baseline],
    ] as const)
      if (!/^[1-9]\d{0,9}$/.test(v))
        problems.push(`${field}: must be a published version number ($LATEST is not one)`);
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(subject.functionName))
      problems.push('functionName: not a Lambda function name');
    if (!/^[A-Za-z0-9_-]{1,128}$/.test(subject.alias)) problems.push('alias: not a Lambda alias name');
  }
  return problems;
}

const query = (
  id: string,
  metric: AwsMetric,
  dimensions: Record<string, string>,
  stat: string,
  periodSeconds: number,
): QueryEvidence => ({
  id,
  namespace: metric.namespace,
  metricName: metric.metricName,
  dimensions,
  stat,
  periodSeconds,
});

/** Counts and the percentile over the whole window (one value each); health per minute (every minute counts). */
function targetGroupQueries(
  s: Extract<JudgeSubject, { kind: 'target-groups' }>,
  seconds: number,
): QueryEvidence[] {
  return (['canary', 'baseline'] as const).flatMap((side) => {
    const dims = { LoadBalancer: s.loadBalancer, TargetGroup: s[side] };
    const health = SERVICE_ALARMS.unhealthyHosts;
    return [
      query(`${side}_requests`, AWS_METRICS.albRequestCount, dims, 'Sum', seconds),
      query(`${side}_5xx`, AWS_METRICS.albTarget5xx, dims, 'Sum', seconds),
      query(`${side}_p95`, AWS_METRICS.albTargetResponseTime, dims, 'p95', seconds),
      query(
        `${side}_unhealthy`,
        AWS_METRICS.albUnhealthyHostCount,
        dims,
        health.metric.statistic,
        health.periodSeconds,
      ),
    ];
  });
}

function lambdaQueries(
  s: Extract<JudgeSubject, { kind: 'lambda-versions' }>,
  seconds: number,
): QueryEvidence[] {
  return (['canary', 'baseline'] as const).flatMap((side) => {
    const dims = {
      FunctionName: s.functionName,
      Resource: `${s.functionName}:${s.alias}`,
      ExecutedVersion: s[side],
    };
    return [
      query(`${side}_invocations`, AWS_METRICS.lambdaInvocations, dims, 'Sum', seconds),
      query(`${side}_errors`, AWS_METRICS.lambdaErrors, dims, 'Sum', seconds),
      query(`${side}_throttles`, AWS_METRICS.lambdaThrottles, dims, 'Sum', seconds),
      query(`${side}_p95`, AWS_METRICS.lambdaDuration, dims, 'p95', seconds),
    ];
  });
}

/** The plan's queries as GetMetricData takes them. */
export function metricDataQueries(p: JudgePlan): MetricDataQuery[] {
  return p.queries.map((q) => ({
    Id: q.id,
    ReturnData: true,
    MetricStat: {
      Metric: {
        Namespace: q.namespace,
        MetricName: q.metricName,
        Dimensions: Object.entries(q.dimensions).map(([Name, Value]) => ({ Name, Value })),
      },
      Period: q.periodSeconds,
      Stat: q.stat,
    },
  }));
}

/** The verdict: any check failing fails; else any inconclusive is inconclusive; else pass. */
export function judge(p: JudgePlan, answers: ReadonlyMap<string, Series>): Judgement {
  const read = new Reader(answers);
  const checks =
    p.subject.kind === 'target-groups'
      ? targetGroupChecks(p, read)
      : lambdaChecks(p, p.subject.timeoutSeconds, read);
  const verdict: Verdict = checks.some((c) => c.verdict === 'fail')
    ? 'fail'
    : checks.some((c) => c.verdict === 'inconclusive')
      ? 'inconclusive'
      : 'pass';
  const values = Object.fromEntries(p.queries.map((q) => [q.id, [...(answers.get(q.id)?.values ?? [])]]));
  return { ...p, verdict, checks, values };
}

/** Reads answers: a missing query, an incomplete answer or no datapoint is `undefined`, never 0. */
class Reader {
  constructor(private readonly answers: ReadonlyMap<string, Series>) {}
  /** Why `id` cannot be read, if it cannot. */
  problem(id: string): string | undefined {
    const a = this.answers.get(id);
    if (!a) return `${id}: no answer`;
    if (a.statusCode !== 'Complete') return `${id}: CloudWatch answered ${a.statusCode}`;
    if (a.values.some((v) => !Number.isFinite(v))) return `${id}: a value that is not a number`;
    return undefined;
  }
  /** The single value of a whole-window query; undefined when there is no datapoint. */
  one(id: string): number | undefined {
    if (this.problem(id)) return undefined;
    const values = this.answers.get(id)!.values;
    return values.length === 0 ? undefined : values.reduce((a, b) => a + b, 0);
  }
  /** A count CloudWatch publishes only when non-zero: no datapoint (in a complete answer) is 0. */
  count(id: string): number | undefined {
    return this.problem(id) ? undefined : (this.one(id) ?? 0);
  }
  all(id: string): readonly number[] | undefined {
    return this.problem(id) ? undefined : this.answers.get(id)!.values;
  }
}

const round = (n: number | undefined | null): number | null =>
  n === undefined || n === null ? null : Math.round(n * 1e6) / 1e6;

/**
 * Whether errors at the canary's rate, over all the traffic both sides had, would breach an alarm:
 * the alarm's threshold is per its period at full traffic, so the canary's share is scaled up to it.
 * Fail when it would and the canary errs more than the baseline; inconclusive when the baseline errs
 * as much (the service is unwell, not the canary).
 */
function errorRateCheck(
  check: string,
  read: Reader,
  ids: { requests: [string, string]; errors: [string, string] },
  alarm: { threshold: number; periodSeconds: number; name: string },
  windowSeconds: number,
  minRequests: number,
): CheckResult {
  const queries = [...ids.requests, ...ids.errors];
  const base = {
    check,
    queries,
    threshold: `> ${alarm.threshold} per ${alarm.periodSeconds} s at full traffic (alarm ${alarm.name})`,
  };
  const unreadable = queries.map((id) => read.problem(id)).filter((p): p is string => p !== undefined);
  const cReq = read.one(ids.requests[0]);
  if (unreadable.length > 0 || cReq === undefined || cReq < minRequests)
    return {
      ...base,
      verdict: 'inconclusive',
      reason:
        unreadable.length > 0
          ? unreadable.join('; ')
          : `the canary had ${cReq ?? 'no'} requests in the window; at least ${minRequests} are needed`,
      canary: null,
      baseline: null,
    };
  const cRate = read.count(ids.errors[0])! / cReq;
  const bReq = read.one(ids.requests[1]) ?? 0;
  const bRate = bReq > 0 ? read.count(ids.errors[1])! / bReq : undefined;
  const projected = cRate * (cReq + bReq) * (alarm.periodSeconds / windowSeconds);
  const values = {
    canary: round(cRate * 100),
    baseline: round(bRate === undefined ? undefined : bRate * 100),
  };
  if (projected <= alarm.threshold)
    return {
      ...base,
      ...values,
      verdict: 'pass',
      reason: `at full traffic ≈ ${round(projected)} per ${alarm.periodSeconds} s`,
    };
  if (bRate !== undefined && bRate >= cRate)
    return {
      ...base,
      ...values,
      verdict: 'inconclusive',
      reason: `≈ ${round(projected)} per ${alarm.periodSeconds} s at full traffic, but the baseline errs as often (${values.baseline} %)`,
    };
  return {
    ...base,
    ...values,
    verdict: 'fail',
    reason: `≈ ${round(projected)} per ${alarm.periodSeconds} s at full traffic, more than the baseline${bRate === undefined ? ' (which had no traffic)' : ''}`,
  };
}

/** A percentile against a warning and a critical line: over critical fails; over warning fails only if worse than the baseline. */
function percentileCheck(
  check: string,
  read: Reader,
  ids: [string, string],
  lines: { warning: number; critical: number; unit: string; source: string },
): CheckResult {
  const base = {
    check,
    queries: ids,
    threshold: `warning ${lines.warning} ${lines.unit}, critical ${lines.critical} ${lines.unit} (${lines.source})`,
  };
  const c = read.one(ids[0]);
  const b = read.one(ids[1]);
  const values = { canary: round(c), baseline: round(b) };
  if (c === undefined)
    return {
      ...base,
      ...values,
      verdict: 'inconclusive',
      reason: read.problem(ids[0]) ?? `${ids[0]}: no data in the window`,
    };
  if (c > lines.critical)
    return {
      ...base,
      ...values,
      verdict: 'fail',
      reason: `canary p95 ${round(c)} ${lines.unit} is over critical`,
    };
  if (c > lines.warning) {
    if (b !== undefined && c > b)
      return {
        ...base,
        ...values,
        verdict: 'fail',
        reason: `canary p95 is over warning and slower than the baseline's ${round(b)}`,
      };
    return {
      ...base,
      ...values,
      verdict: 'inconclusive',
      reason:
        b === undefined
          ? 'canary p95 is over warning and there is no baseline to compare'
          : 'over warning, but no slower than the baseline',
    };
  }
  return {
    ...base,
    ...values,
    verdict: 'pass',
    reason: `canary p95 ${round(c)} ${lines.unit} is under warning`,
  };
}

function targetGroupChecks(p: JudgePlan, read: Reader): CheckResult[] {
  const { target5xx, unhealthyHosts } = SERVICE_ALARMS;
  const p95 = PANEL_THRESHOLDS.p95ResponseSeconds;
  const health = read.all('canary_unhealthy');
  const worst = health && health.length > 0 ? Math.max(...health) : undefined;
  const healthBase = {
    check: 'unhealthy hosts',
    queries: ['canary_unhealthy', 'baseline_unhealthy'],
    threshold: `> ${unhealthyHosts.threshold} in any minute (alarm ${unhealthyHosts.key})`,
  };
  return [
    errorRateCheck(
      '5xx rate (%)',
      read,
      { requests: ['canary_requests', 'baseline_requests'], errors: ['canary_5xx', 'baseline_5xx'] },
      { ...target5xx, name: target5xx.key },
      p.window.seconds,
      p.settings.minRequests,
    ),
    percentileCheck('p95 latency (s)', read, ['canary_p95', 'baseline_p95'], {
      ...p95,
      unit: 's',
      source: 'the services dashboard',
    }),
    worst === undefined
      ? {
          ...healthBase,
          verdict: 'inconclusive',
          reason:
            read.problem('canary_unhealthy') ??
            'no health datapoint: the canary target group reported no targets',
          canary: null,
          baseline: round(read.all('baseline_unhealthy')?.reduce((a, b) => Math.max(a, b), 0)),
        }
      : {
          ...healthBase,
          verdict: worst > unhealthyHosts.threshold ? 'fail' : 'pass',
          reason: `at most ${worst} unhealthy in ${health!.length} minute(s)`,
          canary: worst,
          baseline: round(read.all('baseline_unhealthy')?.reduce((a, b) => Math.max(a, b), 0)),
        },
  ];
}

function lambdaChecks(p: JudgePlan, timeoutSeconds: number, read: Reader): CheckResult[] {
  const { functionErrors } = BACKEND_ALARMS;
  const ids = { requests: ['canary_invocations', 'baseline_invocations'] as [string, string] };
  const timeout = PANEL_THRESHOLDS.lambdaDurationOfTimeoutPercent;
  const timeoutMs = timeoutSeconds * 1000;
  return [
    errorRateCheck(
      'error rate (%)',
      read,
      { ...ids, errors: ['canary_errors', 'baseline_errors'] },
      { ...functionErrors, name: functionErrors.key },
      p.window.seconds,
      p.settings.minRequests,
    ),
    // No alarm watches throttles; the judge holds them to the errors alarm's line (none): a throttled
    // invocation never ran the version being judged.
    errorRateCheck(
      'throttle rate (%)',
      read,
      { ...ids, errors: ['canary_throttles', 'baseline_throttles'] },
      {
        threshold: 0,
        periodSeconds: functionErrors.periodSeconds,
        name: `${functionErrors.key}'s line, no throttle alarm`,
      },
      p.window.seconds,
      p.settings.minRequests,
    ),
    percentileCheck('p95 duration (ms)', read, ['canary_p95', 'baseline_p95'], {
      warning: (timeoutMs * timeout.warning) / 100,
      critical: (timeoutMs * timeout.critical) / 100,
      unit: 'ms',
      source: `the backend dashboard: ${timeout.warning} % and ${timeout.critical} % of the ${timeoutSeconds} s timeout`,
    }),
  ];
}
