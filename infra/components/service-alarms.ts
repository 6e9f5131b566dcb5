/**
 * The alarms every service has, to the environment's SNS topic. Metric, threshold, period and
 * runbook all come from services/thresholds.ts, the one place the dashboards read them too, so a
 * panel turns red exactly when its alarm fires and the alarm names are the ones Grafana looks for.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { EnvironmentName } from '../../services/environments';
import { naming } from '../../services/naming';
import {
  ROLLBACK_ALARM_LIST,
  SERVICE_ALARM_LIST,
  differenceExpression,
  targetGroupsExpression,
  type AlarmMetric,
  type ServiceAlarm,
} from '../../services/thresholds';

export interface ServiceAlarmsArgs {
  readonly env: EnvironmentName;
  readonly serviceName: string;
  readonly clusterName: string;
  readonly ecsServiceName: string;
  readonly targetGroupArnSuffix: pulumi.Input<string>;
  readonly loadBalancerArnSuffix: pulumi.Input<string>;
  readonly topicArn: pulumi.Input<string>;
}

type Dimensions = Record<string, pulumi.Input<string>>;

export function createServiceAlarms(
  name: string,
  args: ServiceAlarmsArgs,
  parent: pulumi.Resource,
): string[] {
  const dimensions: Record<ServiceAlarm['resource'], Dimensions> = {
    'ecs-service': { ClusterName: args.clusterName, ServiceName: args.ecsServiceName },
    'target-group': { TargetGroup: args.targetGroupArnSuffix, LoadBalancer: args.loadBalancerArnSuffix },
  };
  return SERVICE_ALARM_LIST.map((alarm) => {
    const alarmName = naming.alarm(args.serviceName, args.env, alarm.key);
    new aws.cloudwatch.MetricAlarm(
      `${name}-${alarm.key}`,
      {
        ...metricSpec(alarm, dimensions[alarm.resource]),
        name: alarmName,
        alarmDescription: `${args.ecsServiceName}: ${alarm.runbook}`,
        comparisonOperator: alarm.comparison,
        threshold: alarm.threshold,
        evaluationPeriods: alarm.evaluationPeriods,
        ...(alarm.datapointsToAlarm === undefined ? {} : { datapointsToAlarm: alarm.datapointsToAlarm }),
        treatMissingData: alarm.treatMissingData,
        alarmActions: [args.topicArn],
        okActions: [args.topicArn],
      },
      { parent },
    );
    return alarmName;
  });
}

export interface RollbackAlarmsArgs {
  readonly env: EnvironmentName;
  readonly serviceName: string;
  readonly ecsServiceName: string;
  /** The service's two target groups (ECS swaps their roles at each deployment). */
  readonly targetGroupArnSuffixes: readonly [pulumi.Input<string>, pulumi.Input<string>];
  readonly loadBalancerArnSuffix: pulumi.Input<string>;
  readonly topicArn: pulumi.Input<string>;
}

/**
 * The alarms ECS rolls a deployment back on (services/thresholds.ts ROLLBACK_ALARMS), each the MAX
 * over both target groups. Created before the service, which names them.
 */
export function createRollbackAlarms(
  name: string,
  args: RollbackAlarmsArgs,
  parent: pulumi.Resource,
): aws.cloudwatch.MetricAlarm[] {
  return ROLLBACK_ALARM_LIST.map((alarm) => {
    const query = (id: string, targetGroup: pulumi.Input<string>) => ({
      id,
      returnData: false,
      metric: {
        namespace: alarm.metric.namespace,
        metricName: alarm.metric.metricName,
        stat: alarm.metric.statistic,
        period: alarm.periodSeconds,
        dimensions: { TargetGroup: targetGroup, LoadBalancer: args.loadBalancerArnSuffix },
      },
    });
    return new aws.cloudwatch.MetricAlarm(
      `${name}-${alarm.key}`,
      {
        name: naming.alarm(args.serviceName, args.env, alarm.key),
        alarmDescription: `${args.ecsServiceName}: rolls an in-flight ECS deployment back: ${alarm.source}`,
        comparisonOperator: 'GreaterThanThreshold',
        threshold: alarm.threshold,
        evaluationPeriods: alarm.evaluationPeriods,
        treatMissingData: 'notBreaching',
        metricQueries: [
          query('a', args.targetGroupArnSuffixes[0]),
          query('b', args.targetGroupArnSuffixes[1]),
          {
            id: 'e',
            expression: targetGroupsExpression(alarm),
            label: `${alarm.metric.metricName} ${alarm.metric.statistic}, worse target group`,
            returnData: true,
          },
        ],
        alarmActions: [args.topicArn],
        okActions: [args.topicArn],
      },
      { parent },
    );
  });
}

/** A plain metric alarm, or metric math (`metric − minus`) when the alarm compares two metrics. */
function metricSpec(
  alarm: ServiceAlarm,
  dimensions: Dimensions,
): Pick<
  aws.cloudwatch.MetricAlarmArgs,
  'namespace' | 'metricName' | 'statistic' | 'period' | 'dimensions' | 'metricQueries'
> {
  if (!alarm.minus) {
    return {
      namespace: alarm.metric.namespace,
      metricName: alarm.metric.metricName,
      statistic: alarm.metric.statistic,
      period: alarm.periodSeconds,
      dimensions,
    };
  }
  const query = (id: string, metric: AlarmMetric) => ({
    id,
    returnData: false,
    metric: {
      namespace: metric.namespace,
      metricName: metric.metricName,
      stat: metric.statistic,
      period: alarm.periodSeconds,
      dimensions,
    },
  });
  return {
    metricQueries: [
      query('m', alarm.metric),
      query('minus', alarm.minus),
      {
        id: 'e',
        expression: differenceExpression('m', 'minus'),
        label: `${alarm.metric.metricName} - ${alarm.minus.metricName}`,
        returnData: true,
      },
    ],
  };
}

export class ServiceAlarms extends pulumi.ComponentResource {
  readonly alarmNames: string[];

  constructor(name: string, args: ServiceAlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('tdr:monitoring:ServiceAlarms', name, {}, opts);
    this.alarmNames = createServiceAlarms(name, args, this);
    this.registerOutputs({ alarmNames: this.alarmNames });
  }
}
