/**
 * The numbers behind every CloudWatch alarm the infrastructure creates for an ECS service, in one
 * place: infra builds its alarms from these entries and the dashboards draw the same numbers as
 * panel thresholds, so a panel turns red exactly when its alarm would. Metrics come from
 * ./aws-metrics.ts only. Plain data; imports nothing outside services/.
 */
import { AWS_METRICS, metricStat, type MetricStat } from './aws-metrics';

export type AlarmComparison = 'GreaterThanThreshold' | 'LessThanThreshold';

/** Which resource's dimensions the alarm watches. */
export type AlarmResource =
  /** `ClusterName` + `ServiceName` of the service's ECS service. */
  | 'ecs-service'
  /** `TargetGroup` + `LoadBalancer` of the service's ALB target group. */
  | 'target-group';

/** One metric and statistic as CloudWatch names them. */
export type AlarmMetric = MetricStat;

/** CloudWatch's `TreatMissingData` values. */
export type MissingData = 'breaching' | 'notBreaching' | 'ignore' | 'missing';

export interface ServiceAlarm {
  /** Last part of the alarm's name: `naming.alarm(service, env, key)`. */
  readonly key: string;
  readonly resource: AlarmResource;
  readonly metric: AlarmMetric;
  /**
   * When set, the alarm watches `metric − minus` (metric math, see `differenceExpression`) rather
   * than `metric` alone, e.g. running tasks minus desired tasks.
   */
  readonly minus?: AlarmMetric;
  readonly comparison: AlarmComparison;
  readonly threshold: number;
  /** Grafana unit id of the watched value (`percent`, `short` for counts). */
  readonly unit: 'percent' | 'short';
  readonly periodSeconds: number;
  readonly evaluationPeriods: number;
  /** M of N: how many of the `evaluationPeriods` must breach (all of them when unset). */
  readonly datapointsToAlarm?: number;
  /** What no data means for this alarm's question, and why (AWS_DOCS.alarmsMissingData). */
  readonly treatMissingData: MissingData;
  /** What the alarm means and what to do when it fires (alarm description and panel text). */
  readonly runbook: string;
  /**
   * `critical`: users are (or are about to be) affected, so in prod it pages someone as well as
   * posting to Slack; `warning`: Slack only, someone looks in working hours.
   */
  readonly severity: AlertSeverity;
}

export type AlertSeverity = 'critical' | 'warning';

/**
 * `metric − minus` for ids `m` and `minus`. A service with no running task publishes neither
 * metric, so running is filled with 0 and desired with its last value: the difference is then
 * negative exactly when the service is down (FILL, AWS_DOCS.metricMath). Arithmetic would read a
 * missing point as 0 too, but only where the other series has one.
 */
export function differenceExpression(metricId: string, minusId: string): string {
  return `FILL(${metricId}, 0) - FILL(${minusId}, REPEAT)`;
}

export const SERVICE_ALARMS = {
  cpuHigh: {
    key: 'cpu-high',
    severity: 'warning',
    resource: 'ecs-service',
    metric: metricStat(AWS_METRICS.ecsCpuUtilization, 'Average'),
    comparison: 'GreaterThanThreshold',
    threshold: 80,
    unit: 'percent',
    periodSeconds: 300,
    evaluationPeriods: 3,
    // No tasks means no CPU to be high: that is running-below-desired's alarm, not this one.
    treatMissingData: 'notBreaching',
    runbook:
      'CPU above 80% for 15 minutes: check the request rate for a traffic spike and the logs for a busy loop; if load is genuine, raise the cpu for this environment in services/catalogue.ts or the desired count.',
  },
  target5xx: {
    key: 'target-5xx',
    severity: 'critical',
    resource: 'target-group',
    metric: metricStat(AWS_METRICS.albTarget5xx, 'Sum'),
    comparison: 'GreaterThanThreshold',
    threshold: 50,
    unit: 'short',
    periodSeconds: 300,
    evaluationPeriods: 1,
    // The ALB publishes error counts only when there are some: no data is no errors.
    treatMissingData: 'notBreaching',
    runbook:
      'More than 50 server errors in 5 minutes: read the service log group for stack traces; if it began with a deploy (see the deploy annotations), roll back with tdr rollback.',
  },
  runningBelowDesired: {
    key: 'running-below-desired',
    severity: 'critical',
    resource: 'ecs-service',
    metric: metricStat(AWS_METRICS.runningTaskCount, 'Minimum'),
    minus: metricStat(AWS_METRICS.desiredTaskCount, 'Maximum'),
    comparison: 'LessThanThreshold',
    threshold: 0,
    unit: 'short',
    // Per minute, so a minute with no task running is a 0 and a crash loop cannot hide behind a
    // five-minute minimum of 1; 5 of 10, so a FILLed latest minute cannot stick the alarm.
    periodSeconds: 60,
    evaluationPeriods: 10,
    datapointsToAlarm: 5,
    // Container Insights publishes nothing for a service with no running task: that is the failure.
    treatMissingData: 'breaching',
    runbook:
      'Fewer tasks running than desired in 5 of the last 10 minutes: look at the ECS service events for tasks that fail to start (image pull, secrets, health check) and at the stopped tasks’ stop reason.',
  },
  unhealthyHosts: {
    key: 'unhealthy-hosts',
    severity: 'critical',
    resource: 'target-group',
    metric: metricStat(AWS_METRICS.albUnhealthyHostCount, 'Minimum'),
    comparison: 'GreaterThanThreshold',
    threshold: 0,
    unit: 'short',
    periodSeconds: 60,
    evaluationPeriods: 3,
    // Health is reported while health checks run; none means no targets, which running-below-desired sees.
    treatMissingData: 'notBreaching',
    runbook:
      'A target failed the load balancer health check for 3 minutes: compare the health check path and matcher in services/catalogue.ts with what the container answers, and read the task’s log.',
  },
} as const satisfies Record<string, ServiceAlarm>;

export type ServiceAlarmName = keyof typeof SERVICE_ALARMS;

/** Every alarm each ECS service gets, in a stable order. */
export const SERVICE_ALARM_LIST: readonly ServiceAlarm[] = Object.values(SERVICE_ALARMS);

/** Colours for a panel no alarm watches: a value worth a look, and one users feel. */
export interface PanelThreshold {
  readonly warning: number;
  readonly critical: number;
}

export const PANEL_THRESHOLDS = {
  /** Seconds the slowest 5% of requests take: TDR's pages answer well under a second. */
  p95ResponseSeconds: { warning: 1, critical: 3 },
  /** Percent of the task's memory: near 100% ECS kills the task (OutOfMemory). */
  memoryPercent: { warning: 80, critical: 90 },
  /**
   * A function's p95 duration as a percent of its timeout: at 100 % Lambda kills the run. The
   * backend dashboard draws the same lines (dashboards/backend.ts TIMEOUT_WARNING_PERCENT, not yet
   * read from here); the canary judge holds a new version to them.
   */
  lambdaDurationOfTimeoutPercent: { warning: 80, critical: 100 },
} as const satisfies Record<string, PanelThreshold>;
/** Which backend resource's dimensions a backend alarm watches. */
export type BackendAlarmResource =
  /** `FunctionName` of the function (every version and alias). */
  | 'function'
  /** `QueueName` of the function's dead-letter queue. */
  | 'dead-letter-queue'
  /** `StateMachineArn` of the state machine. */
  | 'state-machine';

/** An alarm of the serverless backend: one metric, no metric math. */
export interface BackendAlarm extends Omit<ServiceAlarm, 'resource' | 'minus'> {
  readonly resource: BackendAlarmResource;
}

export const BACKEND_ALARMS = {
  functionErrors: {
    key: 'errors',
    severity: 'warning',
    resource: 'function',
    metric: metricStat(AWS_METRICS.lambdaErrors, 'Sum'),
    comparison: 'GreaterThanThreshold',
    threshold: 0,
    unit: 'short',
    periodSeconds: 300,
    evaluationPeriods: 1,
    // Lambda publishes Errors only for minutes with invocations: none is no error.
    treatMissingData: 'notBreaching',
    runbook:
      'The function failed at least once in 5 minutes: read its log group (/aws/lambda/…) for the exception; if it began with a release, roll back with tdr rollback (the live alias moves back).',
  },
  deadLetterMessages: {
    key: 'dlq-messages',
    severity: 'critical',
    resource: 'dead-letter-queue',
    metric: metricStat(AWS_METRICS.sqsMessagesVisible, 'Maximum'),
    comparison: 'GreaterThanThreshold',
    threshold: 0,
    unit: 'short',
    periodSeconds: 300,
    evaluationPeriods: 1,
    // An idle queue stops publishing after six hours: an empty one, which is not a failure.
    treatMissingData: 'notBreaching',
    runbook:
      'Events or messages the function gave up on are waiting in its dead-letter queue: read one to see the failure, fix the cause, then redrive the queue (SQS console or start-message-move-task).',
  },
  executionsFailed: {
    key: 'executions-failed',
    severity: 'critical',
    resource: 'state-machine',
    metric: metricStat(AWS_METRICS.statesExecutionsFailed, 'Sum'),
    comparison: 'GreaterThanThreshold',
    threshold: 0,
    unit: 'short',
    periodSeconds: 300,
    evaluationPeriods: 1,
    // Step Functions publishes counts only for minutes with executions.
    treatMissingData: 'notBreaching',
    runbook:
      'An execution failed after its retries (its failure was recorded by the catch step): open the execution in the Step Functions console to see which step failed and why, then that function’s log group.',
  },
} as const satisfies Record<string, BackendAlarm>;

export const BACKEND_ALARM_LIST: readonly BackendAlarm[] = Object.values(BACKEND_ALARMS);

/**
 * The alarms ECS watches during a progressive deployment and rolls it back on
 * (`deploymentConfiguration.alarms {alarmNames, enable, rollback}`, ./delivery.ts). A service behind
 * ECS blue/green, canary or linear has two target groups whose roles swap at every deployment, so
 * each alarm watches both (`MAX` over the two, by `targetGroupsExpression`): whichever runs the new
 * revision, and the old one while it still serves. The numbers are the ones the dashboards draw:
 * SERVICE_ALARMS.target5xx (server errors per 5 minutes), PANEL_THRESHOLDS.p95ResponseSeconds
 * (critical line) and SERVICE_ALARMS.unhealthyHosts. No data is not breaching: a target group with
 * no traffic says nothing, and the canary judge (pipelines/release/judge/) is what refuses to pass
 * on no data. A canary with a small share must err more often to cross a count threshold made for
 * full traffic; the judge scales the canary's count up to full traffic, the alarm does not.
 */
export interface RollbackAlarm {
  /** Last part of the alarm's name: `naming.alarm(service, env, key)`. */
  readonly key: string;
  readonly metric: AlarmMetric;
  /** Counts the ALB publishes only when non-zero are filled with 0 before the MAX. */
  readonly fillZero: boolean;
  readonly threshold: number;
  readonly periodSeconds: number;
  readonly evaluationPeriods: number;
  /** Where the number comes from, for the alarm description. */
  readonly source: string;
}

export const ROLLBACK_ALARMS = {
  target5xx: {
    key: 'rollback-5xx',
    metric: SERVICE_ALARMS.target5xx.metric,
    fillZero: true,
    threshold: SERVICE_ALARMS.target5xx.threshold,
    periodSeconds: SERVICE_ALARMS.target5xx.periodSeconds,
    evaluationPeriods: SERVICE_ALARMS.target5xx.evaluationPeriods,
    source: `more than ${SERVICE_ALARMS.target5xx.threshold} server errors per 5 minutes in either target group (alarm ${SERVICE_ALARMS.target5xx.key})`,
  },
  p95Latency: {
    key: 'rollback-p95',
    metric: metricStat(AWS_METRICS.albTargetResponseTime, 'p95'),
    fillZero: false,
    threshold: PANEL_THRESHOLDS.p95ResponseSeconds.critical,
    // Per minute, three in a row: one slow minute (a cold cache) is not a failed revision.
    periodSeconds: 60,
    evaluationPeriods: 3,
    source: `p95 response time above ${PANEL_THRESHOLDS.p95ResponseSeconds.critical} s (the dashboards' critical line) for 3 minutes in either target group`,
  },
  unhealthyHosts: {
    key: 'rollback-unhealthy',
    metric: SERVICE_ALARMS.unhealthyHosts.metric,
    fillZero: false,
    threshold: SERVICE_ALARMS.unhealthyHosts.threshold,
    periodSeconds: SERVICE_ALARMS.unhealthyHosts.periodSeconds,
    evaluationPeriods: SERVICE_ALARMS.unhealthyHosts.evaluationPeriods,
    source: `an unhealthy target for 3 minutes in either target group (alarm ${SERVICE_ALARMS.unhealthyHosts.key})`,
  },
} as const satisfies Record<string, RollbackAlarm>;

export const ROLLBACK_ALARM_LIST: readonly RollbackAlarm[] = Object.values(ROLLBACK_ALARMS);

/** `MAX([a, b])` of two per-target-group series, ids `a` and `b` (CloudWatch metric math, AWS_DOCS.metricMath). */
export function targetGroupsExpression(alarm: RollbackAlarm): string {
  const [a, b] = alarm.fillZero ? ['FILL(a, 0)', 'FILL(b, 0)'] : ['a', 'b'];
  return `MAX([${a}, ${b}])`;
}
