/**
 * Small vocabulary over the Grafana foundation SDK shared by every TDR dashboard: CloudWatch
 * queries, panels that always carry a unit and a "what to do" description, and alarm thresholds.
 */
import * as cog from '@grafana/grafana-foundation-sdk/cog';
import * as cloudwatch from '@grafana/grafana-foundation-sdk/cloudwatch';
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import type { EnvironmentName } from '../services/environments';
import { naming } from '../services/naming';
import { findAwsMetric, type MetricStat, type Statistic } from '../services/aws-metrics';
import type { PanelThreshold, ServiceAlarm } from '../services/thresholds';
import { CLOUDWATCH_TYPE, GENERATED_MARKER } from './datasources';

export const MANAGED_TAG = 'managed-by-tdr';

/**
 * "The CloudWatch datasource of this dashboard's environment": what panels and queries are built
 * with, replaced by `finish` with that environment's own datasource. A dashboard has no datasource
 * variable, so a prod dashboard can never be switched to read intg (or the reverse) by accident.
 */
export const ENVIRONMENT_DATASOURCE: dashboard.DataSourceRef = {
  type: CLOUDWATCH_TYPE,
  uid: '$environment-datasource',
};

/** The datasource reading `env`'s account. */
export function environmentDatasource(env: EnvironmentName): dashboard.DataSourceRef {
  return { type: CLOUDWATCH_TYPE, uid: naming.grafanaDatasourceUid(env) };
}

/** Grafana's own annotation store, where the release engine writes deploy annotations. */
export const GRAFANA_BUILTIN_DATASOURCE: dashboard.DataSourceRef = { type: 'grafana', uid: '-- Grafana --' };

/** Tags the release engine puts on a deploy annotation; dashboards filter on `deploy` + environment. */
export const deployAnnotationTags = naming.deployAnnotationTags;

/** Deploy annotations written by the release engine in this environment. */
export function deployAnnotations(env: EnvironmentName): dashboard.AnnotationQueryBuilder {
  return new dashboard.AnnotationQueryBuilder()
    .name('Deploys')
    .datasource(GRAFANA_BUILTIN_DATASOURCE)
    .enable(true)
    .iconColor('blue')
    .target(
      new dashboard.AnnotationTargetBuilder().type('tags').tags(['deploy', env]).matchAny(false).limit(100),
    );
}

/** A metric of services/aws-metrics.ts, one statistic, and the values of its dimensions. */
export interface MetricSelection extends MetricStat {
  readonly dimensions: Readonly<Record<string, string>>;
  /**
   * `subset` finds every metric carrying at least these dimensions (Grafana turns it into a
   * SEARCH); for a metric whose full dimension set AWS does not document. Default `exact`.
   */
  readonly match?: 'exact' | 'subset';
}

/** A CloudWatch metric by its dimensions (builder mode). */
export function metricQuery(
  refId: string,
  region: string,
  m: MetricSelection,
  label: string,
  hidden = false,
): cloudwatch.CloudWatchMetricsQueryBuilder {
  return new cloudwatch.CloudWatchMetricsQueryBuilder()
    .refId(refId)
    .id(refId)
    .queryMode(cloudwatch.CloudWatchQueryMode.Metrics)
    .metricQueryType(cloudwatch.MetricQueryType.Search)
    .metricEditorMode(cloudwatch.MetricEditorMode.Builder)
    .region(region)
    .namespace(m.namespace)
    .metricName(m.metricName)
    .dimensions({ ...m.dimensions })
    .matchExact(m.match !== 'subset')
    .statistic(m.statistic)
    .label(label)
    .hide(hidden);
}

/**
 * A metric-math or SEARCH expression (code mode); `id`s of other queries may be referenced.
 * `statistic` is what the expression computes (a SEARCH's own, or that of the queries it combines):
 * Grafana's CloudWatch backend sends only the expression in code mode, but refuses a query with
 * no statistic in any mode (pkg/tsdb/cloudwatch/models/cloudwatch_query.go, validateAndSetDefaults;
 * ./cloudwatch-contract.ts).
 */
export function expressionQuery(
  refId: string,
  region: string,
  expression: string,
  label: string,
  statistic: Statistic,
): cloudwatch.CloudWatchMetricsQueryBuilder {
  return new cloudwatch.CloudWatchMetricsQueryBuilder()
    .refId(refId)
    .id(refId)
    .queryMode(cloudwatch.CloudWatchQueryMode.Metrics)
    .metricQueryType(cloudwatch.MetricQueryType.Search)
    .metricEditorMode(cloudwatch.MetricEditorMode.Code)
    .region(region)
    .namespace('')
    .expression(expression)
    .statistic(statistic)
    .label(label);
}

/**
 * A metric with its gaps filled: `0` for things AWS publishes only while they exist or are
 * non-zero (so nothing running reads 0, not a gap), `REPEAT` for a setting such as the desired
 * count that stays what it was (AWS_DOCS.metricMath). The raw query is hidden; the panel shows
 * `FILL(raw, …)` under `refId`.
 */
export function filledQuery(
  refId: string,
  region: string,
  m: MetricSelection,
  label: string,
  fill: '0' | 'REPEAT' = '0',
  period?: string,
): Array<cloudwatch.CloudWatchMetricsQueryBuilder> {
  const raw = metricQuery(`${refId}_raw`, region, m, `${label} (raw)`, true);
  if (period) raw.period(period);
  return [raw, expressionQuery(refId, region, `FILL(${refId}_raw, ${fill})`, label, m.statistic)];
}

export type ThresholdSteps = dashboard.Threshold[];

/** Colours for a value no alarm watches: orange from `warning`, red from `critical`. */
export function panelSteps(t: PanelThreshold): ThresholdSteps {
  return [
    { value: null, color: 'green' },
    { value: t.warning, color: 'orange' },
    { value: t.critical, color: 'red' },
  ];
}

/**
 * Panel colours for an alarm: red exactly where the alarm breaches. Grafana colours a value by the
 * last step it is greater than or equal to, while CloudWatch's comparisons are strict; for counts
 * (whole numbers) `> n` is therefore the step `n + 1`, for percentages the step is the threshold.
 */
export function alarmSteps(alarm: Pick<ServiceAlarm, 'comparison' | 'threshold' | 'unit'>): ThresholdSteps {
  if (alarm.comparison === 'LessThanThreshold') {
    return [
      { value: null, color: 'red' },
      { value: alarm.threshold, color: 'green' },
    ];
  }
  const breachFrom = alarm.unit === 'short' ? alarm.threshold + 1 : alarm.threshold;
  return [
    { value: null, color: 'green' },
    { value: breachFrom, color: 'red' },
  ];
}

export interface PanelSpec {
  readonly title: string;
  /** What the panel shows and what to do when the value is bad. */
  readonly description: string;
  readonly unit: string;
  readonly targets: ReadonlyArray<cog.Builder<cog.Dataquery>>;
  readonly steps?: ThresholdSteps;
  /** A relative time of its own, e.g. `7d` for metrics AWS publishes once a day. */
  readonly timeFrom?: string;
  readonly width?: number;
  readonly height?: number;
  /** Links in the panel's header (e.g. the service's log group and release history). */
  readonly links?: ReadonlyArray<cog.Builder<dashboard.DashboardLink>>;
}

function thresholds(steps: ThresholdSteps): dashboard.ThresholdsConfigBuilder {
  return new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps(steps);
}

export function timeseriesPanel(spec: PanelSpec): timeseries.PanelBuilder {
  const panel = new timeseries.PanelBuilder()
    .title(spec.title)
    .description(spec.description)
    .datasource(ENVIRONMENT_DATASOURCE)
    .targets([...spec.targets])
    .unit(spec.unit)
    .min(0)
    .span(spec.width ?? 6)
    .height(spec.height ?? 8)
    .legend(
      new common.VizLegendOptionsBuilder()
        .showLegend(true)
        .displayMode(common.LegendDisplayMode.List)
        .placement(common.LegendPlacement.Bottom),
    );
  if (spec.timeFrom) panel.timeFrom(spec.timeFrom);
  if (spec.links) panel.links([...spec.links]);
  if (spec.steps) {
    panel
      .thresholds(thresholds(spec.steps))
      .thresholdsStyle(
        new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.LineAndArea),
      );
  }
  return panel;
}

export function statPanel(spec: PanelSpec): stat.PanelBuilder {
  const panel = new stat.PanelBuilder()
    .title(spec.title)
    .description(spec.description)
    .datasource(ENVIRONMENT_DATASOURCE)
    .targets([...spec.targets])
    .unit(spec.unit)
    .span(spec.width ?? 6)
    .height(spec.height ?? 4)
    .colorMode(common.BigValueColorMode.Background)
    .graphMode(common.BigValueGraphMode.Area)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']));
  if (spec.timeFrom) panel.timeFrom(spec.timeFrom);
  if (spec.links) panel.links([...spec.links]);
  if (spec.steps) panel.thresholds(thresholds(spec.steps));
  return panel;
}

/** The environment each builder was started for (by `baseDashboard`). */
const environmentOf = new WeakMap<dashboard.DashboardBuilder, EnvironmentName>();

/**
 * Builds, numbers panels in grid order so ids (and annotation filters) are stable, and points
 * everything built with ENVIRONMENT_DATASOURCE at the environment's own datasource.
 */
export function finish(builder: dashboard.DashboardBuilder): dashboard.Dashboard {
  const model = builder.build();
  const env = environmentOf.get(builder);
  if (!env) throw new Error(`dashboard "${model.title}" was not started with baseDashboard`);
  const fixed = environmentDatasource(env);
  const fix = (holder: { datasource?: dashboard.DataSourceRef }) => {
    if (holder.datasource?.uid === ENVIRONMENT_DATASOURCE.uid) holder.datasource = fixed;
  };
  (model.panels ?? []).forEach((p, i) => {
    p.id = i + 1;
    fix(p);
    for (const t of (p as dashboard.Panel).targets ?? []) fix(t as { datasource?: dashboard.DataSourceRef });
  });
  for (const a of model.annotations?.list ?? []) fix(a);
  return model;
}

/** The frame every TDR dashboard shares: fixed uid, the managed tag, the generated marker. */
export function baseDashboard(
  env: EnvironmentName,
  key: string,
  title: string,
  purpose: string,
): dashboard.DashboardBuilder {
  const builder = new dashboard.DashboardBuilder(title)
    .uid(naming.grafanaDashboardUid(env, key))
    .description(`${purpose} (${GENERATED_MARKER}; changes made in Grafana are replaced on publish)`)
    .tags([MANAGED_TAG, env])
    .editable()
    .timezone('browser')
    .time({ from: 'now-6h', to: 'now' })
    .refresh('1m')
    .tooltip(dashboard.DashboardCursorSync.Crosshair);
  environmentOf.set(builder, env);
  return builder;
}

export function ecsServiceDimensions(service: string, env: EnvironmentName): Record<string, string> {
  return { ClusterName: naming.cluster(service, env), ServiceName: naming.ecsService(service, env) };
}

/**
 * ALB metrics are dimensioned by `targetgroup/{name}/{generated id}` (and the load balancer by
 * `app/{name}/{id}`), which no configuration knows, so they are found with a CloudWatch SEARCH.
 * `Name=value` designators with unquoted values are partial matches on the value's tokens, so the
 * names find their ARN suffixes (AWS_DOCS.searchSyntax). Counts the ALB reports only when non-zero
 * are filled with 0.
 */
export function targetGroupSearch(
  metric: MetricStat,
  service: string,
  env: EnvironmentName,
  periodSeconds: number,
): string {
  const search = `SEARCH('{${metric.namespace},LoadBalancer,TargetGroup} MetricName="${metric.metricName}" LoadBalancer=${naming.loadBalancer(env)} TargetGroup=${naming.targetGroup(service, env)}', '${metric.statistic}', ${periodSeconds})`;
  return findAwsMetric(metric.namespace, metric.metricName)?.reporting === 'nonzero'
    ? `FILL(${search}, 0)`
    : search;
}
