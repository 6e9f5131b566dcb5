/**
 * What Grafana's CloudWatch backend accepts, as its source says, so a generated query that Grafana
 * would refuse (or silently skip) is caught here rather than on a dashboard showing an error.
 *
 * Sources (grafana/grafana, `pkg/tsdb/cloudwatch/`):
 * - `models/cloudwatch_query.go`, `ParseMetricDataQueries` and `validateAndSetDefaults`: every
 *   metrics query, whatever its mode, fails with "query must have either statistic or statistics
 *   field" without one; a `type` other than `timeSeriesQuery` (or none, as alerting sends) is
 *   skipped; `period` is empty, `auto`, whole seconds or a Go duration; a dimension value is a string
 *   or an array of strings; `metricEditorMode` absent with an `expression` means code mode.
 * - `models/cloudwatch_query.go`, `GetGetMetricDataAPIMode`: `metricQueryType` 0 (Search) with
 *   `metricEditorMode` 0 (Builder) is a MetricStat (or an inferred SEARCH) built from `namespace`,
 *   `metricName`, `dimensions` and `statistic`; 0 with 1 (Code) sends `expression` as is; 1 (Query,
 *   Metrics Insights) sends `sqlExpression`.
 * - `metric_data_query_builder.go`, `buildMetricDataQuery`: each mode's fields become one
 *   GetMetricData `MetricDataQuery`, whose `Id` CloudWatch requires to match `^[a-z][a-zA-Z0-9_]*$`
 *   and to be unique in the request (GetMetricData API reference, MetricDataQuery.Id:
 *   https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricDataQuery.html) and
 *   whose period is 1, 5, 10, 30 or a multiple of 60 (MetricStat.Period, same reference).
 * - `annotation_query.go`, `executeAnnotationQuery`: an alarm-history annotation either matches by
 *   prefix (`prefixMatching` with `alarmNamePrefix`) or names `region`, `namespace`, `metricName`
 *   and `statistic`, else "invalid annotations query"; its `period` is whole seconds.
 */

/** CloudWatch's `MetricQueryType` and `MetricEditorMode` (kinds/dataquery/types_dataquery_gen.go). */
export const METRIC_QUERY_TYPE = { search: 0, query: 1 } as const;
export const METRIC_EDITOR_MODE = { builder: 0, code: 1 } as const;

/** A query as Grafana receives it: the JSON of a panel target or an alert rule's model. */
export type QueryJson = Readonly<Record<string, unknown>>;

/** `MetricDataQuery.Id` (AWS) and `validMetricDataID` (cloudwatch_query.go). */
const METRIC_DATA_ID = /^[a-z][a-zA-Z0-9_]*$/;
/** Go's `time.ParseDuration`, the units CloudWatch periods can use. */
const GO_DURATION = /^(\d+(\.\d+)?(h|m|s|ms))+$/;

const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.trim().length > 0;

function periodProblem(period: unknown): string | undefined {
  if (period === undefined || period === '' || period === 'auto') return undefined;
  if (typeof period !== 'string')
    return `period: ${JSON.stringify(period)} is not a string ("auto", whole seconds)`;
  if (/^\d+$/.test(period)) {
    const s = Number(period);
    return s > 0 && ([1, 5, 10, 30].includes(s) || s % 60 === 0)
      ? undefined
      : `period: ${period} s is not 1, 5, 10, 30 or a multiple of 60 (GetMetricData MetricStat.Period)`;
  }
  return GO_DURATION.test(period)
    ? undefined
    : `period: "${period}" is neither "auto", seconds nor a duration`;
}

function dimensionProblems(dimensions: unknown): string[] {
  if (dimensions === undefined) return [];
  if (typeof dimensions !== 'object' || dimensions === null || Array.isArray(dimensions))
    return ['dimensions: not an object of name → value(s)'];
  return Object.entries(dimensions as Record<string, unknown>)
    .filter(
      ([, v]) => !(typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string'))),
    )
    .map(
      ([k]) =>
        `dimensions.${k}: neither a string nor an array of strings ("unknown type as dimension value")`,
    );
}

/**
 * What Grafana's CloudWatch backend would refuse in one metrics query (a panel target or an alert
 * rule's query model), each problem naming its field. Empty when it would run.
 */
export function metricsQueryProblems(q: QueryJson): string[] {
  const problems: string[] = [];
  if (q.queryMode !== 'Metrics')
    problems.push(`queryMode: ${JSON.stringify(q.queryMode)}, must be "Metrics"`);
  if (q.type !== undefined && q.type !== 'timeSeriesQuery')
    problems.push(
      `type: "${String(q.type)}" makes the backend skip the query (only "timeSeriesQuery" or none)`,
    );
  const statistics = q.statistics;
  const hasStatistics = Array.isArray(statistics) && statistics.length > 0 && statistics.every(nonEmpty);
  if (!nonEmpty(q.statistic) && !hasStatistics)
    problems.push('statistic: missing ("query must have either statistic or statistics field")');
  if (!nonEmpty(q.region)) problems.push('region: missing');
  if (q.id !== undefined && !(typeof q.id === 'string' && METRIC_DATA_ID.test(q.id)))
    problems.push(`id: ${JSON.stringify(q.id)} does not match ^[a-z][a-zA-Z0-9_]*$ (GetMetricData Id)`);
  const period = periodProblem(q.period);
  if (period) problems.push(period);
  problems.push(...dimensionProblems(q.dimensions));

  const type = q.metricQueryType ?? METRIC_QUERY_TYPE.search;
  const mode =
    q.metricEditorMode ?? (nonEmpty(q.expression) ? METRIC_EDITOR_MODE.code : METRIC_EDITOR_MODE.builder);
  if (type === METRIC_QUERY_TYPE.query) {
    if (!nonEmpty(q.sqlExpression))
      problems.push('sqlExpression: missing (Metrics Insights mode sends only it)');
  } else if (type !== METRIC_QUERY_TYPE.search) {
    problems.push(`metricQueryType: ${JSON.stringify(type)}, must be 0 (search) or 1 (Metrics Insights)`);
  } else if (mode === METRIC_EDITOR_MODE.code) {
    if (!nonEmpty(q.expression)) problems.push('expression: missing (code mode sends only it)');
  } else if (mode === METRIC_EDITOR_MODE.builder) {
    if (!nonEmpty(q.namespace))
      problems.push('namespace: missing (builder mode builds a MetricStat from it)');
    if (!nonEmpty(q.metricName))
      problems.push('metricName: missing (builder mode builds a MetricStat from it)');
  } else {
    problems.push(`metricEditorMode: ${JSON.stringify(mode)}, must be 0 (builder) or 1 (code)`);
  }
  return problems;
}

/**
 * The queries one panel (or one alert rule) sends together: each must pass on its own, and their
 * GetMetricData ids must be unique, as must their refIds (Grafana keys results by refId).
 */
export function panelQueryProblems(queries: readonly QueryJson[]): string[] {
  const problems = queries.flatMap((q) =>
    metricsQueryProblems(q).map((p) => `${String(q.refId ?? '(no refId)')}: ${p}`),
  );
  for (const key of ['id', 'refId'] as const) {
    const seen = new Set<unknown>();
    for (const q of queries) {
      if (q[key] === undefined) continue;
      if (seen.has(q[key])) problems.push(`${key} "${String(q[key])}" is used twice`);
      seen.add(q[key]);
    }
  }
  return problems;
}

/** What `executeAnnotationQuery` would refuse in a CloudWatch alarm-history annotation query. */
export function annotationQueryProblems(q: QueryJson): string[] {
  const problems: string[] = [];
  if (q.queryMode !== 'Annotations')
    problems.push(`queryMode: ${JSON.stringify(q.queryMode)}, must be "Annotations"`);
  if (q.period !== undefined && q.period !== '' && !(typeof q.period === 'string' && /^\d+$/.test(q.period)))
    problems.push(`period: ${JSON.stringify(q.period)} is not whole seconds (ParseInt)`);
  if (q.prefixMatching === true) {
    if (!nonEmpty(q.alarmNamePrefix))
      problems.push('alarmNamePrefix: missing (prefix matching lists alarms by it)');
  } else {
    for (const field of ['region', 'namespace', 'metricName', 'statistic'] as const)
      if (!nonEmpty(q[field])) problems.push(`${field}: missing ("invalid annotations query")`);
  }
  return problems;
}
