/**
 * The alarms of one function or state machine, to the environment's SNS topic: metric, threshold,
 * period and runbook from services/thresholds.ts (BACKEND_ALARMS), named `naming.alarm(entry, env,
 * key)` as the backend dashboard's panels and the alarms dashboard read them.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { EnvironmentName } from '../../services/environments';
import { naming } from '../../services/naming';
import type { BackendAlarm } from '../../services/thresholds';

export interface BackendAlarmsArgs {
  readonly env: EnvironmentName;
  /** The catalogue entry the alarms are named after. */
  readonly entryName: string;
  /** What the alarm descriptions name (`tdr-checksum-intg`). */
  readonly resourceName: string;
  readonly alarms: ReadonlyArray<{
    readonly alarm: BackendAlarm;
    readonly dimensions: Readonly<Record<string, pulumi.Input<string>>>;
  }>;
  readonly topicArn: pulumi.Input<string>;
}

export class BackendAlarms extends pulumi.ComponentResource {
  readonly alarmNames: string[];

  constructor(name: string, args: BackendAlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('tdr:monitoring:BackendAlarms', name, {}, opts);
    this.alarmNames = args.alarms.map(({ alarm, dimensions }) => {
      const alarmName = naming.alarm(args.entryName, args.env, alarm.key);
      new aws.cloudwatch.MetricAlarm(
        `${name}-${alarm.key}`,
        {
          name: alarmName,
          alarmDescription: `${args.resourceName}: ${alarm.runbook}`,
          namespace: alarm.metric.namespace,
          metricName: alarm.metric.metricName,
          statistic: alarm.metric.statistic,
          period: alarm.periodSeconds,
          dimensions: { ...dimensions },
          comparisonOperator: alarm.comparison,
          threshold: alarm.threshold,
          evaluationPeriods: alarm.evaluationPeriods,
          treatMissingData: alarm.treatMissingData,
          alarmActions: [args.topicArn],
          okActions: [args.topicArn],
        },
        { parent: this },
      );
      return alarmName;
    });
    this.registerOutputs({ alarmNames: this.alarmNames });
  }
}
