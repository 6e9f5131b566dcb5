/**
 * Grafana alerting as code: for each workload environment a rule group with one rule per CloudWatch
 * alarm infra creates (services/thresholds.ts: same metric, period, threshold, M of N and missing
 * data), the environment's contact points, and one notification policy tree routing by the `env`
 * and `severity` labels. Built with the foundation SDK's alerting types (the provisioning HTTP API's
 * JSON); ./alerting-files.ts renders the same model as Grafana file provisioning, and
 * ./alerting-publisher.ts publishes it through the API.
 *
 * Secrets (Slack webhook URLs, the paging integration key) never appear here: a contact point names
 * the environment variable holding each, which Grafana expands in provisioning files and
 * `tdr dashboards publish` reads when it must write the contact point.
 */
import * as alerting from '@grafana/grafana-foundation-sdk/alerting';
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import type { Dashboard, Panel } from '@grafana/grafana-foundation-sdk/dashboard';
import * as expr from '@grafana/grafana-foundation-sdk/expr';
import type { Platform } from '../services/config';
import type { WorkloadEnvironmentName } from '../services/environments';
import { naming } from '../services/naming';
import { ecsServices, workloadEnvironmentNames } from '../services/queries';
import { SERVICE_ALARM_LIST, differenceExpression, type ServiceAlarm } from '../services/thresholds';
import type { MetricStat } from '../services/aws-metrics';
import { ON_CALL, alertSecretVariable, type ContactChannel } from '../services/on-call';
import { ALARMS } from './alarms';
import { INCIDENT_RUNBOOK_URL, RUNBOOK_URL_ANNOTATION, slackMessageSettings } from './alert-message';
import { ecsServiceDimensions, expressionQuery, metricQuery, targetGroupSearch } from './panels';

/** How often every TDR rule group is evaluated: the shortest alarm period. */
export const RULE_GROUP_INTERVAL_SECONDS = 60;
/** The condition every rule fires on (see `ruleQueries`). */
export const CONDITION_REF = 'breaches';
/** Grafana's reference to server-side expressions. */
const EXPRESSION_DATASOURCE = '__expr__';
/** Labels on every TDR rule, and what the notification policy routes on. */
export const LABELS = { env: 'env', service: 'service', severity: 'severity', alarm: 'alarm' } as const;
export const MANAGED_LABEL = { managed_by: 'tdr' } as const;

/** Grouping shared by every route: one notification per service incident, not per alarm. */
export const GROUPING = {
  groupBy: [LABELS.env, LABELS.service],
  groupWait: '30s',
  groupInterval: '5m',
  /** A page that is not acknowledged is sent again sooner than Slack reminders. */
  pagingRepeatInterval: '1h',
} as const;

/** A contact point setting whose value is a secret: held by an environment variable, never here. */
export interface SecretSetting {
  /** Setting key in Grafana's contact point (`url` for Slack, `integrationKey` for PagerDuty). */
  readonly key: string;
  readonly envVar: string;
}

export interface ContactPointSpec {
  readonly env: WorkloadEnvironmentName;
  readonly channel: ContactChannel;
  /** Without the secret settings, which `secrets` names. */
  readonly contactPoint: alerting.ContactPoint;
  readonly secrets: readonly SecretSetting[];
}

export interface RuleGroupSpec {
  readonly env: WorkloadEnvironmentName;
  readonly folderUid: string;
  readonly folderTitle: string;
  readonly group: alerting.RuleGroup;
}

export interface GeneratedAlerting {
  readonly ruleGroups: readonly RuleGroupSpec[];
  readonly contactPoints: readonly ContactPointSpec[];
  readonly policy: alerting.NotificationPolicy;
}

function contactPoints(env: WorkloadEnvironmentName): ContactPointSpec[] {
  const point = (
    channel: ContactChannel,
    type: 'slack' | 'pagerduty',
    settings: Record<string, unknown>,
    secretKey: string,
  ): ContactPointSpec => ({
    env,
    channel,
    contactPoint: new alerting.ContactPointBuilder()
      .uid(naming.grafanaContactPointUid(env, channel))
      .name(naming.grafanaContactPoint(env, channel))
      .type(type)
      .disableResolveMessage(false)
      .settings(settings)
      .build(),
    secrets: [{ key: secretKey, envVar: alertSecretVariable(env, channel) }],
  });
  const slack = point('slack', 'slack', slackMessageSettings(), 'url');
  if (!ON_CALL[env].pages) return [slack];
  // Only critical alerts are routed here (see the policy tree), so PagerDuty is told so.
  return [
    slack,
    point('paging', 'pagerduty', { severity: 'critical', class: `tdr-${env}` }, 'integrationKey'),
  ];
}

/**
 * The whole tree (Grafana has one per organisation): each environment's alerts go to its Slack,
 * and where it pages, critical ones to the paging contact as well. An alert without an `env`
 * label is a fault of this code; it falls to the root, the most watched channel.
 */
function notificationPolicy(envs: readonly WorkloadEnvironmentName[]): alerting.NotificationPolicy {
  const watched = envs.at(-1)!;
  const route = (env: WorkloadEnvironmentName) => {
    const slack = naming.grafanaContactPoint(env, 'slack');
    const builder = new alerting.NotificationPolicyBuilder()
      .objectMatchers([[LABELS.env, '=', env]])
      .receiver(slack)
      .repeatInterval(ON_CALL[env].repeatInterval);
    if (!ON_CALL[env].pages) return builder;
    return builder.routes([
      new alerting.NotificationPolicyBuilder()
        .objectMatchers([[LABELS.severity, '=', 'critical']])
        .receiver(naming.grafanaContactPoint(env, 'paging'))
        .repeatInterval(GROUPING.pagingRepeatInterval)
        // Carry on to the next route, so a page is posted to Slack too.
        .continueVal(true),
      new alerting.NotificationPolicyBuilder().receiver(slack),
    ]);
  };
  return new alerting.NotificationPolicyBuilder()
    .receiver(naming.grafanaContactPoint(watched, 'slack'))
    .groupBy([...GROUPING.groupBy])
    .groupWait(GROUPING.groupWait)
    .groupInterval(GROUPING.groupInterval)
    .repeatInterval(ON_CALL[watched].repeatInterval)
    .routes(envs.map(route))
    .build();
}

/** Exact `Name="value"` designators: the ECS names are known, unlike the ALB's ARN suffixes. */
function ecsServiceSearch(metric: MetricStat, service: string, env: WorkloadEnvironmentName, period: number) {
  const dimensions = ecsServiceDimensions(service, env);
  const designators = Object.entries(dimensions)
    .map(([k, v]) => `${k}="${v}"`)
    .join(' ');
  return `SEARCH('{${metric.namespace},${Object.keys(dimensions).join(',')}} MetricName="${metric.metricName}" ${designators}', '${metric.statistic}', ${period})`;
}

/**
 * The alarm's own value as one CloudWatch query. Grafana evaluates each query of a rule on its
 * own, so `metric − minus` cannot reference sibling queries as the dashboard tile does: both are
 * SEARCHes summed to one series, filled as the alarm fills them.
 */
function valueQuery(
  alarm: ServiceAlarm,
  service: string,
  env: WorkloadEnvironmentName,
  region: string,
): cog.Builder<cog.Dataquery> {
  const { metric, periodSeconds } = alarm;
  if (alarm.resource === 'target-group') {
    return expressionQuery(
      'value',
      region,
      targetGroupSearch(metric, service, env, periodSeconds),
      alarm.key,
      metric.statistic,
    );
  }
  if (alarm.minus) {
    const sum = (m: MetricStat) => `SUM(${ecsServiceSearch(m, service, env, periodSeconds)})`;
    return expressionQuery(
      'value',
      region,
      differenceExpression(sum(metric), sum(alarm.minus)),
      alarm.key,
      metric.statistic,
    );
  }
  const dimensions = ecsServiceDimensions(service, env);
  return metricQuery('value', region, { ...metric, dimensions }, alarm.key).period(String(periodSeconds));
}

/**
 * CloudWatch's M out of N, exactly: the value over the last N periods, 1 for each period that
 * breaches (`$value > threshold`), summed, and firing when the sum reaches M.
 */
function ruleQueries(
  alarm: ServiceAlarm,
  service: string,
  env: WorkloadEnvironmentName,
  region: string,
): alerting.QueryBuilder[] {
  const window = alarm.evaluationPeriods * alarm.periodSeconds;
  const needed = alarm.datapointsToAlarm ?? alarm.evaluationPeriods;
  const op = alarm.comparison === 'GreaterThanThreshold' ? '>' : '<';
  const node = (refId: string, model: cog.Builder<cog.Dataquery>) =>
    new alerting.QueryBuilder(refId)
      .datasourceUid(EXPRESSION_DATASOURCE)
      .relativeTimeRange({ from: 0, to: 0 })
      .model(model);
  return [
    new alerting.QueryBuilder('value')
      .datasourceUid(naming.grafanaDatasourceUid(env))
      .relativeTimeRange({ from: window, to: 0 })
      .model(valueQuery(alarm, service, env, region)),
    node(
      'breached',
      new expr.TypeMathBuilder().refId('breached').expression(`$value ${op} ${alarm.threshold}`),
    ),
    node(
      'periods',
      new expr.TypeReduceBuilder()
        .refId('periods')
        .expression('breached')
        .reducer('sum')
        .settings({ mode: 'dropNN' }),
    ),
    node(
      CONDITION_REF,
      new expr.TypeThresholdBuilder()
        .refId(CONDITION_REF)
        .expression('periods')
        .conditions([{ evaluator: { type: 'gt', params: [needed - 1] } }]),
    ),
  ];
}

/** CloudWatch's TreatMissingData, as Grafana's no-data state. */
const NO_DATA: Record<ServiceAlarm['treatMissingData'], alerting.Rule['noDataState']> = {
  breaching: 'Alerting',
  notBreaching: 'OK',
  ignore: 'NoData',
  missing: 'NoData',
};

/** What the person paged reads first: what it means, then the commands to run, in order. */
export function runbook(alarm: ServiceAlarm, service: string, env: WorkloadEnvironmentName): string {
  const at = `--service ${service} --env ${env}`;
  return [
    alarm.runbook,
    `First: tdr status ${at} (what runs against what the ledger says), then tdr history ${at} (recent releases).`,
    ...(alarm.severity === 'critical' ? [`If it began with a release: tdr rollback ${at}.`] : []),
    `Logs: CloudWatch log group ${naming.logGroup(service, env)}.`,
  ].join('\n');
}

function summary(alarm: ServiceAlarm, service: string, env: WorkloadEnvironmentName): string {
  const value = alarm.minus
    ? `${alarm.metric.metricName} − ${alarm.minus.metricName}`
    : `${alarm.metric.metricName} (${alarm.metric.statistic})`;
  const op = alarm.comparison === 'GreaterThanThreshold' ? 'above' : 'below';
  const needed = alarm.datapointsToAlarm ?? alarm.evaluationPeriods;
  return `${service} in ${env}: ${value} ${op} ${alarm.threshold} in ${needed} of the last ${alarm.evaluationPeriods} × ${alarm.periodSeconds / 60} min`;
}

/** The alarms dashboard's tile for an alarm (its title is the alarm's name). */
function panelId(alarmsDashboard: Dashboard, title: string): number {
  const panel = (alarmsDashboard.panels ?? []).find((p) => (p as Panel).title === title);
  if (panel?.id === undefined) throw new Error(`${alarmsDashboard.uid} has no panel "${title}"`);
  return panel.id;
}

function ruleGroup(
  platform: Platform,
  env: WorkloadEnvironmentName,
  alarmsDashboard: Dashboard,
  folderUid: string,
): alerting.RuleGroup {
  const region = platform.environments[env].region;
  const group = naming.grafanaRuleGroup(env);
  const rules = ecsServices(platform.catalogue).flatMap(([service]) =>
    SERVICE_ALARM_LIST.map((alarm) => {
      const name = naming.alarm(service, env, alarm.key);
      return (
        new alerting.RuleBuilder(name)
          .uid(naming.grafanaAlertRuleUid(service, env, alarm.key))
          .orgID(1)
          .folderUID(folderUid)
          .ruleGroup(group)
          .condition(CONDITION_REF)
          .queries(ruleQueries(alarm, service, env, region))
          .noDataState(NO_DATA[alarm.treatMissingData])
          // A query that fails (throttling, an expired role) is not an outage: say so, don't page.
          .execErrState('Error')
          // M of N is in the queries; firing at once matches the CloudWatch alarm.
          .forDuration('0s')
          .isPaused(false)
          .labels({
            [LABELS.env]: env,
            [LABELS.service]: service,
            [LABELS.severity]: alarm.severity,
            [LABELS.alarm]: alarm.key,
            ...MANAGED_LABEL,
          })
          .annotations({
            summary: summary(alarm, service, env),
            description: runbook(alarm, service, env),
            [RUNBOOK_URL_ANNOTATION]: INCIDENT_RUNBOOK_URL,
            // Grafana's link from an alert to the panel it watches.
            __dashboardUid__: alarmsDashboard.uid ?? '',
            __panelId__: String(panelId(alarmsDashboard, name)),
          })
      );
    }),
  );
  return new alerting.RuleGroupBuilder(group)
    .folderUid(folderUid)
    .interval(RULE_GROUP_INTERVAL_SECONDS)
    .rules(rules)
    .build();
}

export interface AlertingFolder {
  readonly uid: string;
  readonly title: string;
}

/**
 * Everything alerting, for every workload environment. `dashboardOf` gives an environment's
 * alarms dashboard (the rules link to its tiles), `folderOf` the folder its rules live in.
 */
export function generateAlerting(
  platform: Platform,
  dashboardOf: (env: WorkloadEnvironmentName, key: string) => Dashboard,
  folderOf: (env: WorkloadEnvironmentName) => AlertingFolder,
): GeneratedAlerting {
  const envs = workloadEnvironmentNames(platform.environments);
  return plain({
    ruleGroups: envs.map((env) => {
      const folder = folderOf(env);
      return {
        env,
        folderUid: folder.uid,
        folderTitle: folder.title,
        group: ruleGroup(platform, env, dashboardOf(env, ALARMS), folder.uid),
      };
    }),
    contactPoints: envs.flatMap(contactPoints),
    policy: notificationPolicy(envs),
  });
}

/**
 * As JSON carries it: the SDK's query models carry a marker method and `undefined` fields, which
 * neither Grafana nor a YAML file holds, so comparisons and renderings start from what is sent.
 */
function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
