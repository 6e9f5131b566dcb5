/**
 * What Amazon Managed Grafana's workspace role may read in mgmt itself. The workspace runs with
 * customer-managed permissions (`permissionType: CUSTOMER_MANAGED`), so AMG attaches nothing: "you
 * must create the roles and policies" ("Amazon Managed Grafana permissions and policies for AWS
 * data sources", https://docs.aws.amazon.com/grafana/latest/userguide/AMG-manage-permissions.html).
 * mgmt's datasource (`tdr-cloudwatch-mgmt`) reads with the workspace role's own credentials
 * (authType `default`, no role to assume), so without these the platform dashboard reads nothing.
 *
 * The actions are the CloudWatch part of the policy AMG itself attaches in service-managed mode,
 * AmazonGrafanaCloudWatchAccess
 * (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonGrafanaCloudWatchAccess.html),
 * narrowed to what TDR's mgmt dashboard reads: metrics and TDR's own alarms. Its Logs, EC2, tag and
 * OAM reads are left out: no mgmt panel queries logs, instances, tags or other accounts; nor
 * DescribeAlarmsForMetric: TDR's alarm annotations match alarms by name prefix (DescribeAlarms).
 * Plain data.
 */
import type { PolicyStatement } from './iam';

export function grafanaWorkspaceReadStatements(region: string, accountId: string): PolicyStatement[] {
  return [
    {
      // Metric reads have no resource-level permissions in CloudWatch.
      Sid: 'ReadMgmtMetrics',
      Effect: 'Allow',
      Action: ['cloudwatch:GetMetricData', 'cloudwatch:GetMetricStatistics', 'cloudwatch:ListMetrics'],
      Resource: '*',
    },
    {
      Sid: 'ReadMgmtAlarms',
      Effect: 'Allow',
      Action: ['cloudwatch:DescribeAlarms', 'cloudwatch:DescribeAlarmHistory'],
      Resource: `arn:aws:cloudwatch:${region}:${accountId}:alarm:tdr-*`,
    },
  ];
}
