/**
 * The numbers behind every CloudWatch alarm the infrastructure creates for an ECS service, in one
 * place: infra builds its alarms from these entries and the dashboards draw the same numbers as
 * panel thresholds, so a panel turns red exactly when its alarm would. Plain data; imports nothing.
 */

export type AlarmComparison = 'GreaterThanThreshold' | 'LessThanThreshold';

/** Which resource's dimensions the alarm watches. */
export type AlarmResource =
  /** `ClusterName` + `ServiceName` of the service's ECS service. */
  | 'ecs-service'
  /** `TargetGroup` + `LoadBalancer` of the service's ALB target group. */
  | 'target-group';

export type AlarmStatistic = 'Average' | 'Sum' | 'Maximum' | 'Minimum';

/** One metric as CloudWatch names it. */
export interface AlarmMetric {
  readonly namespace: string;
  readonly metricName: string;
  readonly statistic: AlarmStatistic;
}

export interface ServiceAlarm {
  /** Last part of the alarm's name: `naming.alarm(service, env, key)`. */
  readonly key: string;
  readonly resource: AlarmResource;
  readonly metric: AlarmMetric;
  /**
   * When set, the alarm watches `metric − minus` (metric math) rather than `metric` alone, e.g.
   * running tasks minus desired tasks.
   */
  readonly minus?: AlarmMetric;
  readonly comparison: AlarmComparison;
  readonly threshold: number;
  /** Grafana unit id of the watched value (`percent`, `short` for counts). */
  readonly unit: 'percent' | 'short';
  readonly periodSeconds: number;
  readonly evaluationPeriods: number;
  /** What the alarm means and what to do when it fires (alarm description and panel text). */
  readonly runbook: string;
}

const ECS_INSIGHTS = 'ECS/ContainerInsights';

export const SERVICE_ALARMS = {
  cpuHigh: {
    key: 'cpu-high',
    resource: 'ecs-service',
    metric: { namespace: 'AWS/ECS', metricName: 'CPUUtilization', statistic: 'Average' },
    comparison: 'GreaterThanThreshold',
    threshold: 80,
    unit: 'percent',
    periodSeconds: 300,
    evaluationPeriods: 3,
    runbook:
      'CPU above 80% for 15 minutes: check the request rate for a traffic spike and the logs for a busy loop; if load is genuine, raise the cpu for this environment in services/catalogue.ts or the desired count.',
  },
  target5xx: {
    key: 'target-5xx',
    resource: 'target-group',
    metric: { namespace: 'AWS/ApplicationELB', metricName: 'HTTPCode_Target_5XX_Count', statistic: 'Sum' },
    comparison: 'GreaterThanThreshold',
    threshold: 50,
    unit: 'short',
    periodSeconds: 300,
    evaluationPeriods: 1,
    runbook:
      'More than 50 server errors in 5 minutes: read the service log group for stack traces; if it began with a deploy (see the deploy annotations), roll back with tdr rollback.',
  },
  runningBelowDesired: {
    key: 'running-below-desired',
    resource: 'ecs-service',
    metric: { namespace: ECS_INSIGHTS, metricName: 'RunningTaskCount', statistic: 'Minimum' },
    minus: { namespace: ECS_INSIGHTS, metricName: 'DesiredTaskCount', statistic: 'Maximum' },
    comparison: 'LessThanThreshold',
    threshold: 0,
    unit: 'short',
    periodSeconds: 300,
    evaluationPeriods: 2,
    runbook:
      'Fewer tasks running than desired for 10 minutes: look at the ECS service events for tasks that fail to start (image pull, secrets, health check) and at the stopped tasks’ stop reason.',
  },
  unhealthyHosts: {
    key: 'unhealthy-hosts',
    resource: 'target-group',
    metric: { namespace: 'AWS/ApplicationELB', metricName: 'UnHealthyHostCount', statistic: 'Maximum' },
    comparison: 'GreaterThanThreshold',
    threshold: 0,
    unit: 'short',
    periodSeconds: 60,
    evaluationPeriods: 3,
    runbook:
      'A target failed the load balancer health check for 3 minutes: compare the health check path and matcher in services/catalogue.ts with what the container answers, and read the task’s log.',
  },
} as const satisfies Record<string, ServiceAlarm>;

export type ServiceAlarmName = keyof typeof SERVICE_ALARMS;

/** Every alarm each ECS service gets, in a stable order. */
export const SERVICE_ALARM_LIST: readonly ServiceAlarm[] = Object.values(SERVICE_ALARMS);
