/**
 * Every AWS CloudWatch metric the platform reads, as AWS documents it: namespace, name, the
 * dimension sets AWS publishes it with, the statistics that mean something for it, and how often
 * AWS publishes it. Dashboards, alarms and alert rules take their metrics from this table only, and
 * tests refuse any query whose metric or dimension set is not here (CloudWatch answers a query on
 * an unpublished dimension set with no data and no error, so nothing else would catch it).
 *
 * Each row cites the AWS page it was checked against. Plain data; imports nothing.
 */

export type Statistic = 'Average' | 'Sum' | 'Minimum' | 'Maximum' | 'SampleCount' | `p${number}`;

/** What must be switched on before AWS publishes the metric at all. */
export type Prerequisite =
  /** Container Insights on the ECS cluster (`containerInsights` cluster setting; billed as custom metrics). */
  | 'container-insights'
  /** An S3 bucket metrics configuration whose id is the `FilterId` (billed per metric). */
  | 's3-request-metrics';

/**
 * When AWS publishes a data point. Anything but `always` leaves a gap where the true value is 0
 * (or where the thing is down), so a panel counting it must fill the gap.
 */
export type Reporting =
  | 'always'
  /** Only periods with a non-zero value (ALB error counts, S3 request counts). */
  | 'nonzero'
  /** Only while the resource has tasks in RUNNING: a service with no running task publishes nothing. */
  | 'while-tasks-run';

export interface AwsMetric {
  readonly namespace: string;
  readonly metricName: string;
  /** Every dimension set AWS publishes the metric with; a query must use exactly one of them. */
  readonly dimensionSets: ReadonlyArray<readonly string[]>;
  /** The statistics AWS names as meaningful for this metric. */
  readonly statistics: readonly Statistic[];
  /** The unit AWS documents (`None` for CPU units). */
  readonly unit: 'Count' | 'Percent' | 'Seconds' | 'Milliseconds' | 'Bytes' | 'None';
  /** How often AWS publishes a data point: a shorter period only shows gaps. */
  readonly periodSeconds: number;
  readonly reporting: Reporting;
  readonly requires?: Prerequisite;
  /** The AWS documentation page this row was checked against. */
  readonly source: string;
}

export const AWS_DOCS = {
  ecs: 'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/available-metrics.html',
  containerInsights:
    'https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Container-Insights-metrics-ECS.html',
  alb: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html',
  s3: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/metrics-dimensions.html',
  s3RequestMetricsConfiguration:
    'https://docs.aws.amazon.com/AmazonS3/latest/userguide/metrics-configurations.html',
  ecrUsage: 'https://docs.aws.amazon.com/AmazonECR/latest/userguide/monitoring-usage.html',
  metricMath: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html',
  searchSyntax:
    'https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/search-expression-syntax.html',
  lambda: 'https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html',
  sqs: 'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-available-cloudwatch-metrics.html',
  states: 'https://docs.aws.amazon.com/step-functions/latest/dg/procedure-cw-metrics.html',
  alarmsMissingData:
    'https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarms-and-missing-data',
} as const;

const CONTAINER_INSIGHTS = 'ECS/ContainerInsights';
const ALB = 'AWS/ApplicationELB';
const MINUTE = 60;
const DAY = 86_400;

/** ALB per-target-group metrics are also published per load balancer and per zone. */
const ALB_DIMENSION_SETS = [
  ['LoadBalancer'],
  ['LoadBalancer', 'TargetGroup'],
  ['AvailabilityZone', 'LoadBalancer'],
  ['AvailabilityZone', 'LoadBalancer', 'TargetGroup'],
] as const;

/** A target-group health metric exists only with a target group. */
const ALB_HEALTH_DIMENSION_SETS = [
  ['LoadBalancer', 'TargetGroup'],
  ['AvailabilityZone', 'LoadBalancer', 'TargetGroup'],
] as const;

/** Container Insights resource metrics: per task family, per service, per cluster. */
const INSIGHTS_RESOURCE_DIMENSION_SETS = [
  ['ClusterName', 'TaskDefinitionFamily'],
  ['ClusterName', 'ServiceName'],
  ['ClusterName'],
] as const;

const albCount = (metricName: string): AwsMetric => ({
  namespace: ALB,
  metricName,
  dimensionSets: ALB_DIMENSION_SETS,
  // "Minimum, Maximum, and Average all return 1."
  statistics: ['Sum'],
  unit: 'Count',
  periodSeconds: MINUTE,
  reporting: 'nonzero',
  source: AWS_DOCS.alb,
});

const ecsUtilization = (metricName: string): AwsMetric => ({
  namespace: 'AWS/ECS',
  metricName,
  dimensionSets: [['ClusterName', 'ServiceName'], ['ClusterName']],
  statistics: ['Average', 'Minimum', 'Maximum'],
  unit: 'Percent',
  periodSeconds: MINUTE,
  reporting: 'while-tasks-run',
  source: AWS_DOCS.ecs,
});

const insightsCount = (metricName: string, dimensionSets: AwsMetric['dimensionSets']): AwsMetric => ({
  namespace: CONTAINER_INSIGHTS,
  metricName,
  dimensionSets,
  statistics: ['Average', 'Minimum', 'Maximum'],
  unit: 'Count',
  periodSeconds: MINUTE,
  reporting: 'while-tasks-run',
  requires: 'container-insights',
  source: AWS_DOCS.containerInsights,
});

/**
 * AWS/Lambda: per function, and per alias or version (`Resource` = `function:alias`); sent only
 * for minutes in which the function was invoked.
 */
const LAMBDA_DIMENSION_SETS = [
  ['FunctionName'],
  ['FunctionName', 'Resource'],
  ['FunctionName', 'Resource', 'ExecutedVersion'],
] as const;

const lambdaCount = (metricName: string): AwsMetric => ({
  namespace: 'AWS/Lambda',
  metricName,
  dimensionSets: LAMBDA_DIMENSION_SETS,
  statistics: ['Sum'],
  unit: 'Count',
  periodSeconds: MINUTE,
  reporting: 'nonzero',
  source: AWS_DOCS.lambda,
});

/** AWS/SQS queue metrics, every minute while the queue is active (up to six hours after its last use). */
const sqsGauge = (metricName: string, unit: AwsMetric['unit']): AwsMetric => ({
  namespace: 'AWS/SQS',
  metricName,
  dimensionSets: [['QueueName']],
  statistics: ['Average', 'Minimum', 'Maximum', 'Sum'],
  unit,
  periodSeconds: MINUTE,
  reporting: 'always',
  source: AWS_DOCS.sqs,
});

/** AWS/States execution counts, per state machine, only for minutes with executions. */
const statesCount = (metricName: string): AwsMetric => ({
  namespace: 'AWS/States',
  metricName,
  dimensionSets: [['StateMachineArn']],
  statistics: ['Sum'],
  unit: 'Count',
  periodSeconds: MINUTE,
  reporting: 'nonzero',
  source: AWS_DOCS.states,
});

export const AWS_METRICS = {
  // AWS/ECS: free, sent every minute, and only for services that have RUNNING tasks.
  ecsCpuUtilization: ecsUtilization('CPUUtilization'),
  ecsMemoryUtilization: ecsUtilization('MemoryUtilization'),

  // ECS/ContainerInsights: only on clusters with Container Insights on.
  runningTaskCount: insightsCount('RunningTaskCount', [['ClusterName', 'ServiceName']]),
  desiredTaskCount: insightsCount('DesiredTaskCount', [['ClusterName', 'ServiceName']]),
  /** Tasks running in a cluster: published per cluster only, never per task family. */
  taskCount: insightsCount('TaskCount', [['ClusterName']]),
  /** CPU units reserved by running tasks: the per-family view a shared cluster offers. */
  cpuReserved: {
    namespace: CONTAINER_INSIGHTS,
    metricName: 'CpuReserved',
    dimensionSets: INSIGHTS_RESOURCE_DIMENSION_SETS,
    statistics: ['Average', 'Minimum', 'Maximum', 'Sum'],
    unit: 'None',
    periodSeconds: MINUTE,
    reporting: 'while-tasks-run',
    requires: 'container-insights',
    source: AWS_DOCS.containerInsights,
  },

  // AWS/ApplicationELB: every 60 seconds while requests flow.
  albRequestCount: albCount('RequestCount'),
  albTarget4xx: albCount('HTTPCode_Target_4XX_Count'),
  albTarget5xx: albCount('HTTPCode_Target_5XX_Count'),
  albTargetResponseTime: {
    namespace: ALB,
    metricName: 'TargetResponseTime',
    dimensionSets: ALB_DIMENSION_SETS,
    statistics: ['Average', 'p50', 'p90', 'p95', 'p99'],
    unit: 'Seconds',
    periodSeconds: MINUTE,
    reporting: 'nonzero',
    source: AWS_DOCS.alb,
  },
  /**
   * Minimum and Maximum are what individual load balancer nodes report: Maximum is one node's (or
   * one zone's) view and flaps, Minimum is what every node agrees on.
   */
  albUnhealthyHostCount: {
    namespace: ALB,
    metricName: 'UnHealthyHostCount',
    dimensionSets: ALB_HEALTH_DIMENSION_SETS,
    statistics: ['Minimum', 'Average'],
    unit: 'Count',
    periodSeconds: MINUTE,
    reporting: 'always',
    source: AWS_DOCS.alb,
  },

  // AWS/S3 storage metrics: free, once a day.
  s3NumberOfObjects: {
    namespace: 'AWS/S3',
    metricName: 'NumberOfObjects',
    dimensionSets: [['BucketName', 'StorageType']],
    statistics: ['Average'],
    unit: 'Count',
    periodSeconds: DAY,
    reporting: 'always',
    source: AWS_DOCS.s3,
  },
  s3BucketSizeBytes: {
    namespace: 'AWS/S3',
    metricName: 'BucketSizeBytes',
    dimensionSets: [['BucketName', 'StorageType']],
    statistics: ['Average'],
    unit: 'Bytes',
    periodSeconds: DAY,
    reporting: 'always',
    source: AWS_DOCS.s3,
  },
  // AWS/S3 request metrics: opt-in per bucket, every minute.
  s3PutRequests: {
    namespace: 'AWS/S3',
    metricName: 'PutRequests',
    dimensionSets: [['BucketName', 'FilterId']],
    statistics: ['Sum'],
    unit: 'Count',
    periodSeconds: MINUTE,
    reporting: 'nonzero',
    requires: 's3-request-metrics',
    source: AWS_DOCS.s3,
  },

  /**
   * ECR API calls (AWS/Usage). ECR documents `Service`, `Type` and `Resource`, and says it does not
   * use `Class`. It counts calls: one `PutImage` per tag pushed, not per image.
   */
  ecrCallCount: {
    namespace: 'AWS/Usage',
    metricName: 'CallCount',
    dimensionSets: [['Resource', 'Service', 'Type']],
    statistics: ['Sum'],
    unit: 'Count',
    periodSeconds: MINUTE,
    reporting: 'nonzero',
    source: AWS_DOCS.ecrUsage,
  },

  // AWS/Lambda: the serverless backend's functions.
  lambdaInvocations: lambdaCount('Invocations'),
  lambdaErrors: lambdaCount('Errors'),
  lambdaThrottles: lambdaCount('Throttles'),
  lambdaDuration: {
    namespace: 'AWS/Lambda',
    metricName: 'Duration',
    dimensionSets: LAMBDA_DIMENSION_SETS,
    statistics: ['Average', 'Minimum', 'Maximum', 'p50', 'p90', 'p95', 'p99'],
    unit: 'Milliseconds',
    periodSeconds: MINUTE,
    reporting: 'nonzero',
    source: AWS_DOCS.lambda,
  },

  // AWS/SQS: trigger queues and dead-letter queues.
  sqsMessagesVisible: sqsGauge('ApproximateNumberOfMessagesVisible', 'Count'),
  sqsAgeOfOldestMessage: sqsGauge('ApproximateAgeOfOldestMessage', 'Seconds'),

  // AWS/States: the state machines.
  statesExecutionsStarted: statesCount('ExecutionsStarted'),
  statesExecutionsSucceeded: statesCount('ExecutionsSucceeded'),
  statesExecutionsFailed: statesCount('ExecutionsFailed'),
  statesExecutionsTimedOut: statesCount('ExecutionsTimedOut'),
  statesExecutionTime: {
    namespace: 'AWS/States',
    metricName: 'ExecutionTime',
    dimensionSets: [['StateMachineArn']],
    statistics: ['Average', 'Minimum', 'Maximum', 'p50', 'p90', 'p95', 'p99'],
    unit: 'Milliseconds',
    periodSeconds: MINUTE,
    reporting: 'nonzero',
    source: AWS_DOCS.states,
  },
} as const satisfies Record<string, AwsMetric>;

export type AwsMetricKey = keyof typeof AWS_METRICS;

/**
 * Buckets (by function) whose S3 request metrics the dashboards read: each gets a whole-bucket
 * metrics configuration with id `naming.s3RequestMetricsFilter()`, which becomes the `FilterId`
 * (AWS_DOCS.s3RequestMetricsConfiguration). Request metrics are billed, so only where read.
 */
export const S3_REQUEST_METRICS_BUCKETS = ['upload-files-quarantine'] as const;

export const AWS_METRIC_LIST: readonly AwsMetric[] = Object.values(AWS_METRICS);

/** One metric with one of its statistics: what a query or an alarm reads. */
export interface MetricStat {
  readonly namespace: string;
  readonly metricName: string;
  readonly statistic: Statistic;
}

export function metricStat(metric: AwsMetric, statistic: Statistic): MetricStat {
  return { namespace: metric.namespace, metricName: metric.metricName, statistic };
}

export function findAwsMetric(namespace: string, metricName: string): AwsMetric | undefined {
  return AWS_METRIC_LIST.find((m) => m.namespace === namespace && m.metricName === metricName);
}

export interface MetricUse {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: readonly string[];
  readonly statistic?: string;
  readonly periodSeconds?: number;
  /**
   * `exact`: the query names every dimension of the metric (CloudWatch's own matching);
   * `subset`: a search that also finds metrics with more dimensions than it names.
   */
  readonly match?: 'exact' | 'subset';
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().every((x, i) => x === [...b].sort()[i]);

/** What is wrong with a query or alarm on `use`, by the table; empty when it is sound. */
export function metricUseProblems(use: MetricUse): string[] {
  const name = `${use.namespace} ${use.metricName}`;
  const metric = findAwsMetric(use.namespace, use.metricName);
  if (!metric) return [`${name} is not in services/aws-metrics.ts`];
  const problems: string[] = [];
  const fits =
    use.match === 'subset'
      ? metric.dimensionSets.some((set) => use.dimensions.every((d) => set.includes(d)))
      : metric.dimensionSets.some((set) => sameSet(set, use.dimensions));
  if (!fits) {
    problems.push(
      `${name} is not published by [${[...use.dimensions].sort().join(', ')}]; AWS publishes it by ${metric.dimensionSets.map((s) => `[${s.join(', ')}]`).join(' or ')} (${metric.source})`,
    );
  }
  if (use.statistic !== undefined && !metric.statistics.includes(use.statistic as Statistic)) {
    problems.push(
      `${name}: ${use.statistic} is not one of ${metric.statistics.join(', ')} (${metric.source})`,
    );
  }
  if (use.periodSeconds !== undefined && use.periodSeconds % metric.periodSeconds !== 0) {
    problems.push(`${name}: period ${use.periodSeconds}s is not a multiple of its ${metric.periodSeconds}s`);
  }
  return problems;
}
