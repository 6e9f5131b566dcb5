import { expect } from 'chai';
import { AWS_DOCS, AWS_METRIC_LIST, AWS_METRICS, metricUseProblems } from './aws-metrics';
import { SERVICE_ALARM_LIST, SERVICE_ALARMS } from './thresholds';

/** The dimensions infra gives each alarm resource (infra/components/service-alarms.ts). */
const ALARM_DIMENSIONS = {
  'ecs-service': ['ClusterName', 'ServiceName'],
  'target-group': ['LoadBalancer', 'TargetGroup'],
} as const;

describe('services/aws-metrics', () => {
  it('every row cites an AWS documentation page and has a dimension set, statistics and a period', () => {
    const pages = new Set<string>(Object.values(AWS_DOCS));
    for (const m of AWS_METRIC_LIST) {
      const name = `${m.namespace} ${m.metricName}`;
      expect(pages.has(m.source), name).to.equal(true);
      expect(m.source, name).to.match(/^https:\/\/docs\.aws\.amazon\.com\//);
      expect(m.dimensionSets, name).to.have.length.above(0);
      expect(m.statistics, name).to.have.length.above(0);
      expect(m.periodSeconds % 60, name).to.equal(0);
    }
    const keys = AWS_METRIC_LIST.map((m) => `${m.namespace} ${m.metricName}`);
    expect(new Set(keys).size).to.equal(keys.length);
  });

  it('refuses what AWS does not publish: TaskCount by family, ECR Class, unhealthy hosts by Maximum, hourly S3 storage', () => {
    const problems = (use: Parameters<typeof metricUseProblems>[0]) => metricUseProblems(use).join('\n');
    expect(
      problems({
        namespace: 'ECS/ContainerInsights',
        metricName: 'TaskCount',
        dimensions: ['ClusterName', 'TaskDefinitionFamily'],
      }),
    ).to.match(/not published by \[ClusterName, TaskDefinitionFamily\]; AWS publishes it by \[ClusterName\]/);
    expect(
      problems({
        namespace: 'AWS/Usage',
        metricName: 'CallCount',
        dimensions: ['Class', 'Resource', 'Service', 'Type'],
      }),
    ).to.match(/not published by/);
    expect(
      problems({
        namespace: 'AWS/ApplicationELB',
        metricName: 'UnHealthyHostCount',
        dimensions: ['LoadBalancer', 'TargetGroup'],
        statistic: 'Maximum',
      }),
    ).to.match(/Maximum is not one of Minimum, Average/);
    expect(
      problems({
        namespace: 'AWS/S3',
        metricName: 'NumberOfObjects',
        dimensions: ['BucketName', 'StorageType'],
        periodSeconds: 3600,
      }),
    ).to.match(/period 3600s is not a multiple of its 86400s/);
    expect(problems({ namespace: 'AWS/ECS', metricName: 'Nonsense', dimensions: [] })).to.match(/not in/);
    expect(
      metricUseProblems({
        namespace: 'AWS/Usage',
        metricName: 'CallCount',
        dimensions: ['Service', 'Type', 'Resource'],
        match: 'subset',
      }),
    ).to.deep.equal([]);
  });

  it('every service alarm reads a metric, dimension set, statistic and period AWS publishes', () => {
    for (const alarm of SERVICE_ALARM_LIST) {
      for (const m of [alarm.metric, ...(alarm.minus ? [alarm.minus] : [])]) {
        expect(
          metricUseProblems({
            ...m,
            dimensions: ALARM_DIMENSIONS[alarm.resource],
            periodSeconds: alarm.periodSeconds,
          }),
          alarm.key,
        ).to.deep.equal([]);
      }
      if (alarm.datapointsToAlarm !== undefined)
        expect(alarm.datapointsToAlarm, alarm.key).to.be.within(1, alarm.evaluationPeriods);
    }
  });

  it('alarms on things AWS stops publishing when they are down fire on missing data; counts of errors do not', () => {
    expect(SERVICE_ALARMS.runningBelowDesired.treatMissingData).to.equal('breaching');
    // A crash loop with one desired task must show minutes at 0, not a five-minute minimum of 1.
    expect(SERVICE_ALARMS.runningBelowDesired.periodSeconds).to.equal(
      AWS_METRICS.runningTaskCount.periodSeconds,
    );
    expect(SERVICE_ALARMS.target5xx.treatMissingData).to.equal('notBreaching');
    expect(SERVICE_ALARMS.unhealthyHosts.metric.statistic).to.equal('Minimum');
  });
});
