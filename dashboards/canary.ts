/**
 * Canary against baseline: for each service that ECS shifts traffic for in an environment (blue/green,
 * canary, linear: services/delivery.ts), its two target groups side by side — requests (the traffic
 * split), server errors and p95 latency — so the new revision's group can be read against the old
 * one's at every stage. ECS swaps the two groups' roles at each deployment, so neither is "the
 * canary" by name: each series is labelled with its target group (the requests panel shows which
 * one takes the shifted share), and the marks say which stage ran.
 *
 * Marks: a deployment's stages are not CloudWatch data (ECS publishes them through
 * DescribeServiceDeployments and EventBridge only), and Grafana's CloudWatch datasource annotates
 * only from alarm history, and then only single-metric alarms (grafana/grafana
 * `pkg/tsdb/cloudwatch/annotation_query.go`; the rollback alarms are metric math: dashboards/alarms.ts).
 * So stage marks are Grafana annotations, tagged `naming.deployStageAnnotationTags`, beside the deploy
 * marks: the release engine writes one per stage record of a run (pipelines/release/notify.ts
 * `markStage`), and this query asks for all of `naming.deployStageAnnotationFilter` (`matchAny`
 * false: "match all tags", Grafana HTTP API, Find Annotations:
 * https://grafana.com/docs/grafana/latest/developers/http_api/annotations/).
 */
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as units from '@grafana/grafana-foundation-sdk/units';
import { AWS_METRICS, findAwsMetric, metricStat, type MetricStat } from '../services/aws-metrics';
import type { Platform } from '../services/config';
import type { WorkloadEnvironmentName } from '../services/environments';
import { naming } from '../services/naming';
import { deliveryStrategy, ecsServices } from '../services/queries';
import { PANEL_THRESHOLDS, ROLLBACK_ALARMS } from '../services/thresholds';
import { DEFAULT_NAVIGATION, serviceLinks, type Navigation } from './navigation';
import {
  baseDashboard,
  deployAnnotations,
  expressionQuery,
  finish,
  GRAFANA_BUILTIN_DATASOURCE,
  panelSteps,
  timeseriesPanel,
} from './panels';

export const CANARY = 'canary';

/** The services whose releases in `env` run two revisions side by side. */
export function sideBySideServices(platform: Platform, env: WorkloadEnvironmentName): string[] {
  return ecsServices(platform.catalogue)
    .map(([name]) => name)
    .filter((name) => (deliveryStrategy(platform, name, env)?.kind ?? 'rolling') !== 'rolling');
}

/**
 * One target group's series by a CloudWatch SEARCH: ALB metrics carry `targetgroup/{name}/{id}`, whose
 * id no configuration knows (dashboards/panels.ts `targetGroupSearch`); the two names of a pair share
 * no partial token (naming.alternateTargetGroup), so each search finds its own group only. Counts
 * the ALB reports only when non-zero are filled with 0.
 */
export function oneTargetGroupSearch(
  metric: MetricStat,
  targetGroup: string,
  env: WorkloadEnvironmentName,
  periodSeconds: number,
): string {
  const search = `SEARCH('{${metric.namespace},LoadBalancer,TargetGroup} MetricName="${metric.metricName}" LoadBalancer=${naming.loadBalancer(env)} TargetGroup=${targetGroup}', '${metric.statistic}', ${periodSeconds})`;
  return findAwsMetric(metric.namespace, metric.metricName)?.reporting === 'nonzero'
    ? `FILL(${search}, 0)`
    : search;
}

/** Deployment-stage marks: Grafana annotations the release engine tags (naming.deployStageAnnotationTags). */
export function stageAnnotations(env: WorkloadEnvironmentName): dashboard.AnnotationQueryBuilder {
  return new dashboard.AnnotationQueryBuilder()
    .name('Deployment stages')
    .datasource(GRAFANA_BUILTIN_DATASOURCE)
    .enable(true)
    .iconColor('purple')
    .target(
      new dashboard.AnnotationTargetBuilder()
        .type('tags')
        .tags(naming.deployStageAnnotationFilter(env))
        .matchAny(false)
        .limit(500),
    );
}

export function canary(
  platform: Platform,
  env: WorkloadEnvironmentName,
  nav: Navigation = DEFAULT_NAVIGATION,
): dashboard.Dashboard | undefined {
  const services = sideBySideServices(platform, env);
  if (services.length === 0) return undefined;
  const region = platform.environments[env].region;
  const builder = baseDashboard(
    env,
    CANARY,
    `TDR ${env} — canary against baseline`,
    `Each service's two target groups side by side during a progressive deployment; blue marks are deploys, purple their stages`,
  )
    .annotation(deployAnnotations(env))
    .annotation(stageAnnotations(env));
  const { target5xx, p95Latency } = ROLLBACK_ALARMS;
  for (const service of services) {
    const links = serviceLinks(nav, region, env, service);
    // Each of the pair by its name: which one runs the new revision flips at every deployment.
    const groups = [naming.targetGroup(service, env), naming.alternateTargetGroup(service, env)];
    const query = (id: string, metric: MetricStat, period: number) =>
      groups.map((group, i) =>
        expressionQuery(
          `${id}_${i === 0 ? 'tg' : 'alt'}`,
          region,
          oneTargetGroupSearch(metric, group, env, period),
          group,
          metric.statistic,
        ),
      );
    const pair = groups.join(' and ');
    builder.withRow(
      new dashboard.RowBuilder(`${service} — ${deliveryStrategy(platform, service, env)?.kind}`),
    );
    builder
      .withPanel(
        timeseriesPanel({
          title: `${service}: requests by target group`,
          description: `Requests the load balancer sent to ${pair}: the traffic split at each stage (test traffic, the canary's share, the rest).`,
          unit: units.Short,
          targets: query('requests', metricStat(AWS_METRICS.albRequestCount, 'Sum'), 60),
          links,
        }),
      )
      .withPanel(
        timeseriesPanel({
          title: `${service}: server errors by target group`,
          description: `5xx answered by ${pair}, per ${target5xx.periodSeconds / 60} minutes. ECS rolls the deployment back past ${target5xx.threshold} in either group (alarm ${naming.alarm(service, env, target5xx.key)}); the canary judge holds the new group to the old one's rate.`,
          unit: units.Short,
          targets: query('errors5xx', target5xx.metric, target5xx.periodSeconds),
          links,
        }),
      )
      .withPanel(
        timeseriesPanel({
          title: `${service}: p95 response time by target group`,
          description: `95th percentile response time of ${pair} (orange from ${PANEL_THRESHOLDS.p95ResponseSeconds.warning}s, red from ${PANEL_THRESHOLDS.p95ResponseSeconds.critical}s; alarm ${naming.alarm(service, env, p95Latency.key)} rolls the deployment back).`,
          unit: units.Seconds,
          targets: query('p95', p95Latency.metric, p95Latency.periodSeconds),
          steps: panelSteps(PANEL_THRESHOLDS.p95ResponseSeconds),
          links,
        }),
      );
  }
  return finish(builder);
}
