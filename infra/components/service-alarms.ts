/**
 * The four alarms every service has, to the environment's SNS topic: CPU above 80 %, target 5XX
 * above 50 in five minutes, fewer running tasks than desired, and any unhealthy target.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { EnvironmentName } from '../../services/environments';
import { naming } from '../../services/naming';

export interface ServiceAlarmsArgs {
  readonly env: EnvironmentName;
  readonly serviceName: string;
  readonly clusterName: string;
  readonly ecsServiceName: string;
  readonly desiredCount: number;
  readonly targetGroupArnSuffix: pulumi.Input<string>;
  readonly loadBalancerArnSuffix: pulumi.Input<string>;
  readonly topicArn: pulumi.Input<string>;
}

export const ALARM_THRESHOLDS = { cpuPercent: 80, target5xxPerFiveMinutes: 50 } as const;

export function createServiceAlarms(
  name: string,
  args: ServiceAlarmsArgs,
  parent: pulumi.Resource,
): string[] {
  const ecs = { ClusterName: args.clusterName, ServiceName: args.ecsServiceName };
  const alb = { TargetGroup: args.targetGroupArnSuffix, LoadBalancer: args.loadBalancerArnSuffix };
  const alarms: Array<{
    metric: string;
    description: string;
    spec: Omit<aws.cloudwatch.MetricAlarmArgs, 'name' | 'alarmActions' | 'okActions'>;
  }> = [
    {
      metric: 'cpu-high',
      description: `CPU of ${args.ecsServiceName} above ${ALARM_THRESHOLDS.cpuPercent}%`,
      spec: {
        namespace: 'AWS/ECS',
        metricName: 'CPUUtilization',
        dimensions: ecs,
        statistic: 'Average',
        period: 300,
        evaluationPeriods: 2,
        threshold: ALARM_THRESHOLDS.cpuPercent,
        comparisonOperator: 'GreaterThanThreshold',
      },
    },
    {
      metric: 'target-5xx',
      description: `More than ${ALARM_THRESHOLDS.target5xxPerFiveMinutes} 5XX responses from ${args.ecsServiceName} in 5 minutes`,
      spec: {
        namespace: 'AWS/ApplicationELB',
        metricName: 'HTTPCode_Target_5XX_Count',
        dimensions: alb,
        statistic: 'Sum',
        period: 300,
        evaluationPeriods: 1,
        threshold: ALARM_THRESHOLDS.target5xxPerFiveMinutes,
        comparisonOperator: 'GreaterThanThreshold',
        treatMissingData: 'notBreaching',
      },
    },
    {
      metric: 'running-tasks',
      description: `${args.ecsServiceName} runs fewer than ${args.desiredCount} tasks`,
      spec: {
        namespace: 'ECS/ContainerInsights',
        metricName: 'RunningTaskCount',
        dimensions: ecs,
        statistic: 'Minimum',
        period: 60,
        evaluationPeriods: 5,
        threshold: args.desiredCount,
        comparisonOperator: 'LessThanThreshold',
        treatMissingData: 'breaching',
      },
    },
    {
      metric: 'unhealthy-hosts',
      description: `${args.ecsServiceName} has unhealthy targets`,
      spec: {
        namespace: 'AWS/ApplicationELB',
        metricName: 'UnHealthyHostCount',
        dimensions: alb,
        statistic: 'Maximum',
        period: 60,
        evaluationPeriods: 3,
        threshold: 0,
        comparisonOperator: 'GreaterThanThreshold',
      },
    },
  ];
  return alarms.map(({ metric, description, spec }) => {
    const alarmName = naming.alarm(args.serviceName, args.env, metric);
    new aws.cloudwatch.MetricAlarm(
      `${name}-${metric}`,
      {
        ...spec,
        name: alarmName,
        alarmDescription: description,
        alarmActions: [args.topicArn],
        okActions: [args.topicArn],
      },
      { parent },
    );
    return alarmName;
  });
}

export class ServiceAlarms extends pulumi.ComponentResource {
  readonly alarmNames: string[];

  constructor(name: string, args: ServiceAlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('tdr:monitoring:ServiceAlarms', name, {}, opts);
    this.alarmNames = createServiceAlarms(name, args, this);
    this.registerOutputs({ alarmNames: this.alarmNames });
  }
}
