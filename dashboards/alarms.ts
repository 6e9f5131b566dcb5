/**
 * Alarms: every CloudWatch alarm infra creates for the services and the serverless backend of one
 * environment, one stat per alarm, evaluating the alarm's own metric against the alarm's own
 * threshold (services/thresholds), so the tile is red exactly when the alarm is in ALARM.
 */
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import * as cloudwatch from '@grafana/grafana-foundation-sdk/cloudwatch';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import type { Platform } from '../services/config';
import type { WorkloadEnvironmentName } from '../services/environments';
import { naming } from '../services/naming';
import {
  BACKEND_ALARMS,
  SERVICE_ALARM_LIST,
  differenceExpression,
  type BackendAlarm,
  type ServiceAlarm,
} from '../services/thresholds';
import { stateMachineSearch } from './backend';
import { ecsServices, functions, needsDeadLetterQueue, stateMachines } from '../services/queries';
import {
  alarmSteps,
  baseDashboard,
  ecsServiceDimensions,
  expressionQuery,
  filledQuery,
  finish,
  metricQuery,
  statPanel,
  targetGroupSearch,
  ENVIRONMENT_DATASOURCE,
} from './panels';

export const ALARMS = 'alarms';

function alarmTargets(
  alarm: ServiceAlarm,
  service: string,
  env: WorkloadEnvironmentName,
  region: string,
): Array<cog.Builder<cog.Dataquery>> {
  const { metric, periodSeconds } = alarm;
  if (alarm.resource === 'target-group') {
    return [
      expressionQuery(
        'value',
        region,
        targetGroupSearch(metric, service, env, periodSeconds),
        alarm.key,
        metric.statistic,
      ),
    ];
  }
  const dimensions = ecsServiceDimensions(service, env);
  const period = String(periodSeconds);
  if (!alarm.minus)
    return [metricQuery('value', region, { ...metric, dimensions }, alarm.key).period(period)];
  // The alarm's own expression over the alarm's own period, so the tile shows what it evaluates.
  return [
    metricQuery('a', region, { ...metric, dimensions }, metric.metricName, true).period(period),
    metricQuery('b', region, { ...alarm.minus, dimensions }, alarm.minus.metricName, true).period(period),
    expressionQuery('value', region, differenceExpression('a', 'b'), alarm.key, metric.statistic),
  ];
}

/**
 * State changes of one alarm (CloudWatch alarm history). Grafana's prefix-matching annotation
 * query calls DescribeAlarms with the name and action prefixes, then keeps only alarms whose
 * statistic equals the query's (no statistic keeps none of them) and dereferences each alarm's
 * namespace, statistic and period, which a metric-math alarm does not have. So each single-metric
 * alarm gets a query of its own, by its full name and its statistic; metric-math alarms get none
 * (their tile on this dashboard shows their state). Every TDR alarm notifies an SNS topic in the
 * environment's region, which is the action prefix.
 */
function alarmHistory(
  alarm: ServiceAlarm,
  service: string,
  env: WorkloadEnvironmentName,
  region: string,
): dashboard.AnnotationQueryBuilder | undefined {
  if (alarm.minus) return undefined;
  const name = naming.alarm(service, env, alarm.key);
  const query = new cloudwatch.CloudWatchAnnotationQueryBuilder()
    .refId(`history_${service}_${alarm.key}`.replace(/-/g, '_'))
    .queryMode(cloudwatch.CloudWatchQueryMode.Annotations)
    .region(region)
    .namespace('')
    .prefixMatching(true)
    .alarmNamePrefix(name)
    .actionPrefix(`arn:aws:sns:${region}:`)
    .statistic(alarm.metric.statistic);
  return new dashboard.AnnotationQueryBuilder()
    .name(`${name} changes`)
    .datasource(ENVIRONMENT_DATASOURCE)
    .enable(true)
    .iconColor('red')
    .target(
      // The SDK types `target` as Grafana's own tag filter, but datasource annotations (standard
      // annotation support) carry their datasource's query there, as CloudWatch's does.
      query as unknown as cog.Builder<dashboard.AnnotationTarget>,
    );
}

export function alarms(platform: Platform, env: WorkloadEnvironmentName): dashboard.Dashboard {
  const region = platform.environments[env].region;
  const builder = baseDashboard(
    env,
    ALARMS,
    `TDR ${env} — alarms`,
    `Every CloudWatch alarm on the TDR services in ${env}: red means the alarm's condition holds now`,
  );
  for (const [service] of ecsServices(platform.catalogue)) {
    builder.withRow(new dashboard.RowBuilder(service));
    for (const alarm of SERVICE_ALARM_LIST) {
      const history = alarmHistory(alarm, service, env, region);
      if (history) builder.annotation(history);
      const name = naming.alarm(service, env, alarm.key);
      builder.withPanel(
        statPanel({
          title: name,
          description: `${alarm.metric.metricName}${alarm.minus ? ` − ${alarm.minus.metricName}` : ''} (${alarm.metric.statistic}, ${alarm.periodSeconds}s) ${alarm.comparison === 'GreaterThanThreshold' ? '>' : '<'} ${alarm.threshold}. ${alarm.runbook}`,
          unit: alarm.unit,
          targets: alarmTargets(alarm, service, env, region),
          steps: alarmSteps(alarm),
        }),
      );
    }
  }
  backendAlarmRows(builder, platform, env, region);
  return finish(builder);
}

/** The backend's alarms: a function's errors and dead letters, a state machine's failed executions. */
function backendAlarmRows(
  builder: dashboard.DashboardBuilder,
  platform: Platform,
  env: WorkloadEnvironmentName,
  region: string,
): void {
  const tile = (entry: string, alarm: BackendAlarm, targets: ReadonlyArray<cog.Builder<cog.Dataquery>>) =>
    statPanel({
      title: naming.alarm(entry, env, alarm.key),
      description: `${alarm.metric.metricName} (${alarm.metric.statistic}, ${alarm.periodSeconds}s) > ${alarm.threshold}. ${alarm.runbook}`,
      unit: alarm.unit,
      width: 4,
      targets,
      steps: alarmSteps(alarm),
    });
  const { functionErrors, deadLetterMessages, executionsFailed } = BACKEND_ALARMS;
  const period = (a: BackendAlarm) => String(a.periodSeconds);
  builder.withRow(new dashboard.RowBuilder('serverless backend'));
  for (const [name, entry] of functions(platform.catalogue)) {
    const dimensions = { FunctionName: naming.functionName(name, env) };
    builder.withPanel(
      tile(
        name,
        functionErrors,
        filledQuery(
          'value',
          region,
          { ...functionErrors.metric, dimensions },
          functionErrors.key,
          '0',
          period(functionErrors),
        ),
      ),
    );
    if (needsDeadLetterQueue(entry)) {
      const q = { QueueName: naming.functionDeadLetterQueue(name, env) };
      builder.withPanel(
        tile(name, deadLetterMessages, [
          metricQuery(
            'value',
            region,
            { ...deadLetterMessages.metric, dimensions: q },
            deadLetterMessages.key,
          ).period(period(deadLetterMessages)),
        ]),
      );
    }
  }
  for (const [name, entry] of stateMachines(platform.catalogue)) {
    const search = stateMachineSearch(
      executionsFailed.metric,
      naming.stateMachine(entry.pascalName, env),
      executionsFailed.periodSeconds,
    );
    builder.withPanel(
      tile(name, executionsFailed, [
        expressionQuery('value', region, search, executionsFailed.key, executionsFailed.metric.statistic),
      ]),
    );
  }
}
