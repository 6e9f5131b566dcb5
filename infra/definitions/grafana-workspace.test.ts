import { expect } from 'chai';
import type { Statement } from '../policies/documents';
import { grafanaWorkspaceReadStatements } from './grafana-workspace';
import { allows } from './iam-simulator.test-helper';

describe('the Grafana workspace role in mgmt', () => {
  const statements = grafanaWorkspaceReadStatements('eu-west-2', '123456789012') as Statement[];

  it('may read mgmt metrics, what the CloudWatch datasource calls for panels and alarm annotations', async () => {
    // pkg/tsdb/cloudwatch: GetMetricData for panels, ListMetrics for the editor and SEARCH,
    // DescribeAlarms (prefix matching) and DescribeAlarmHistory for alarm annotations.
    for (const action of ['GetMetricData', 'ListMetrics', 'GetMetricStatistics'])
      expect(await allows(statements, { action: `cloudwatch:${action}`, resource: '*' }), action).to.equal(
        true,
      );
    const alarm = 'arn:aws:cloudwatch:eu-west-2:123456789012:alarm:tdr-jenkins-mgmt-cpu-high';
    for (const action of ['DescribeAlarms', 'DescribeAlarmHistory'])
      expect(await allows(statements, { action: `cloudwatch:${action}`, resource: alarm }), action).to.equal(
        true,
      );
  });

  it('reads only: no write, no other account’s alarms, no logs', async () => {
    expect(await allows(statements, { action: 'cloudwatch:PutMetricAlarm', resource: '*' })).to.equal(false);
    expect(await allows(statements, { action: 'cloudwatch:PutMetricData', resource: '*' })).to.equal(false);
    expect(
      await allows(statements, {
        action: 'cloudwatch:DescribeAlarms',
        resource: 'arn:aws:cloudwatch:eu-west-2:999999999999:alarm:tdr-x',
      }),
    ).to.equal(false);
    expect(await allows(statements, { action: 'logs:StartQuery', resource: '*' })).to.equal(false);
  });
});
