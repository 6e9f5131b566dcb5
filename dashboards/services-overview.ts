/** Services overview: a row per catalogue service in one environment, with deploys marked. */
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as units from '@grafana/grafana-foundation-sdk/units';
import type { Platform } from '../services/config';
import type { WorkloadEnvironmentName } from '../services/environments';
import { naming } from '../services/naming';
import { AWS_METRICS, metricStat, type MetricStat } from '../services/aws-metrics';
import { PANEL_THRESHOLDS, SERVICE_ALARMS } from '../services/thresholds';
import { ecsServices } from '../services/queries';
import {
  alarmSteps,
  baseDashboard,
  ecsServiceDimensions,
  expressionQuery,
  filledQuery,
  finish,
  metricQuery,
  panelSteps,
  targetGroupSearch,
  timeseriesPanel,
  type PanelSpec,
} from './panels';
import { DEFAULT_NAVIGATION, serviceLinks, type Navigation } from './navigation';

export const SERVICES_OVERVIEW = 'services-overview';

// eslint-disable-next-line max-lines-per-function -- a dashboard's panels in the order Grafana shows them: the layout reads top to bottom here.
export function servicesOverview(
  platform: Platform,
  env: WorkloadEnvironmentName,
  nav: Navigation = DEFAULT_NAVIGATION,
): dashboard.Dashboard {
  const region = platform.environments[env].region;
  const builder = baseDashboard(
    env,
    SERVICES_OVERVIEW,
    `TDR ${env} — services overview`,
    `Traffic, errors, latency and capacity of every TDR service in ${env}; blue marks are deploys`,
  );
  const { cpuHigh, target5xx, runningBelowDesired, unhealthyHosts } = SERVICE_ALARMS;
  const { p95ResponseSeconds: p95, memoryPercent: memory } = PANEL_THRESHOLDS;

  for (const [service, entry] of ecsServices(platform.catalogue)) {
    const ecs = ecsServiceDimensions(service, env);
    const alb = (id: string, metric: MetricStat, label: string, period = 300) =>
      expressionQuery(id, region, targetGroupSearch(metric, service, env, period), label, metric.statistic);
    // Rows carry no links in Grafana, so each of the row's panels links to the logs and releases.
    const links = serviceLinks(nav, region, env, service);
    const panel = (spec: Omit<PanelSpec, 'links'>) => timeseriesPanel({ ...spec, links });
    builder.withRow(new dashboard.RowBuilder(`${service} — ${entry.description}`));
    builder
      .withPanel(
        panel({
          title: `${service}: requests`,
          description: `Requests the load balancer sent to ${naming.targetGroup(service, env)}. A drop to zero while users are active means the service is unreachable: check running tasks and unhealthy hosts beside this panel.`,
          unit: units.Short,
          targets: [alb('requests', metricStat(AWS_METRICS.albRequestCount, 'Sum'), 'requests')],
        }),
      )
      .withPanel(
        panel({
          title: `${service}: target 5XX`,
          description: `Server errors returned by ${service} (alarm ${naming.alarm(service, env, target5xx.key)} above ${target5xx.threshold} per 5 minutes). ${target5xx.runbook}`,
          unit: units.Short,
          targets: [alb('errors5xx', target5xx.metric, '5XX')],
          steps: alarmSteps(target5xx),
        }),
      )
      .withPanel(
        panel({
          title: `${service}: target 4XX`,
          description: `Client errors returned by ${service}. A sudden rise after a deploy usually means a broken route or changed authentication; compare with the deploy marks and roll back if they line up.`,
          unit: units.Short,
          targets: [alb('errors4xx', metricStat(AWS_METRICS.albTarget4xx, 'Sum'), '4XX')],
        }),
      )
      .withPanel(
        panel({
          title: `${service}: p95 response time`,
          description: `95th percentile time ${service} takes to answer the load balancer (orange from ${p95.warning}s, red from ${p95.critical}s). When it climbs, look at CPU and memory beside it and at the database for slow queries.`,
          unit: units.Seconds,
          targets: [alb('p95', metricStat(AWS_METRICS.albTargetResponseTime, 'p95'), 'p95')],
          steps: panelSteps(p95),
        }),
      )
      .withPanel(
        panel({
          title: `${service}: CPU`,
          description: `Average CPU of the ${naming.ecsService(service, env)} tasks (alarm ${naming.alarm(service, env, cpuHigh.key)}). ${cpuHigh.runbook}`,
          unit: units.Percent,
          targets: [metricQuery('cpu', region, { ...cpuHigh.metric, dimensions: ecs }, 'CPU')],
          steps: alarmSteps(cpuHigh),
        }),
      )
      .withPanel(
        panel({
          title: `${service}: memory`,
          description: `Average memory of the ${naming.ecsService(service, env)} tasks (orange from ${memory.warning}%, red from ${memory.critical}%). Near 100% the task is killed (OutOfMemory in the stopped reason): raise memory in services/catalogue.ts or look for a leak.`,
          steps: panelSteps(memory),
          unit: units.Percent,
          targets: [
            metricQuery(
              'memory',
              region,
              { ...metricStat(AWS_METRICS.ecsMemoryUtilization, 'Average'), dimensions: ecs },
              'memory',
            ),
          ],
        }),
      )
      .withPanel(
        panel({
          title: `${service}: running vs desired tasks`,
          description: `Tasks running against tasks wanted; 0 when none runs, since Container Insights then publishes nothing (alarm ${naming.alarm(service, env, runningBelowDesired.key)}). ${runningBelowDesired.runbook}`,
          unit: units.Short,
          targets: [
            ...filledQuery('running', region, { ...runningBelowDesired.metric, dimensions: ecs }, 'running'),
            ...filledQuery(
              'desired',
              region,
              { ...runningBelowDesired.minus, dimensions: ecs },
              'desired',
              'REPEAT',
            ),
          ],
        }),
      )
      .withPanel(
        panel({
          title: `${service}: unhealthy hosts`,
          description: `Targets failing the load balancer health check on ${entry.healthCheck.path} (alarm ${naming.alarm(service, env, unhealthyHosts.key)}). ${unhealthyHosts.runbook}`,
          unit: units.Short,
          targets: [alb('unhealthy', unhealthyHosts.metric, 'unhealthy', unhealthyHosts.periodSeconds)],
          steps: alarmSteps(unhealthyHosts),
        }),
      );
  }
  return finish(builder);
}
