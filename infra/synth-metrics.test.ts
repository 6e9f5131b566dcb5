/**
 * The synthesized stacks' alarms, metrics and ARNs against what AWS has (services/aws-metrics.ts),
 * and the account ids that stacks rendered together must agree on.
 */
import { expect } from 'chai';
import { ENVIRONMENT_NAMES, type EnvironmentName } from '../services/environments';
import { naming } from '../services/naming';
import { metricUseProblems, S3_REQUEST_METRICS_BUCKETS } from '../services/aws-metrics';
import { SERVICE_ALARM_LIST } from '../services/thresholds';
import { StackConfigError } from './config';
import { checkAccountsAgree, loadStackConfig, MOCK_ARNS } from './synth';
import { ofType, one, readRaw, stack, synthesizeAll, type Inputs } from './synth.test-helper';

describe('infrastructure (offline synth under Pulumi mocks)', function () {
  this.timeout(60_000);
  before(synthesizeAll);

  describe('metrics and ARNs as AWS has them', () => {
    const alarmsOf = (name: EnvironmentName) =>
      ofType(name, 'aws:cloudwatch/metricAlarm:MetricAlarm').map((a) => a.inputs as Inputs);

    it('every alarm reads a metric, dimension set, statistic and period of services/aws-metrics.ts', () => {
      const problems: string[] = [];
      for (const name of ENVIRONMENT_NAMES) {
        for (const a of alarmsOf(name)) {
          const metrics = a.metricQueries
            ? (a.metricQueries as Inputs[])
                .filter((q) => q.metric)
                .map((q) => ({ ...q.metric, statistic: q.metric.stat }))
            : [a];
          for (const m of metrics) {
            problems.push(
              ...metricUseProblems({
                namespace: m.namespace,
                metricName: m.metricName,
                dimensions: Object.keys(m.dimensions ?? {}),
                statistic: m.statistic,
                periodSeconds: m.period,
              }).map((p) => `${name} ${a.name}: ${p}`),
            );
          }
        }
      }
      expect(problems).to.deep.equal([]);
      expect(alarmsOf('prod')).to.have.length.above(0);
    });

    it('each alarm treats missing data as services/thresholds says: running below desired breaches', () => {
      for (const name of ['intg', 'staging', 'prod'] as const) {
        for (const alarm of SERVICE_ALARM_LIST) {
          const a = one(name, 'aws:cloudwatch/metricAlarm:MetricAlarm', `frontend-alarms-${alarm.key}`);
          expect(a.treatMissingData, `${name} ${alarm.key}`).to.equal(alarm.treatMissingData);
          expect(a.datapointsToAlarm, `${name} ${alarm.key}`).to.equal(alarm.datapointsToAlarm);
        }
        expect(
          one(name, 'aws:cloudwatch/metricAlarm:MetricAlarm', 'frontend-alarms-running-below-desired')
            .treatMissingData,
        ).to.equal('breaching');
      }
    });

    it('every bucket whose request metrics the dashboards read has a whole-bucket metrics configuration', () => {
      for (const name of ['intg', 'staging', 'prod'] as const) {
        const configs = ofType(name, 'aws:s3/bucketMetric:BucketMetric').map((r) => r.inputs as Inputs);
        expect(configs.map((c) => [c.bucket, c.name, c.filter])).to.deep.equal(
          S3_REQUEST_METRICS_BUCKETS.map((fn) => [
            naming.bucket(fn, name),
            naming.s3RequestMetricsFilter(),
            undefined,
          ]),
        );
      }
    });

    it('the export bucket notifies its topic by the topic’s own ARN', () => {
      for (const name of ['intg', 'staging', 'prod'] as const) {
        const notification = one(
          name,
          'aws:s3/bucketNotification:BucketNotification',
          'consignment-export-notification',
        );
        const accountId = stack(name).manifest.accountId;
        expect(notification.topics[0].topicArn).to.equal(
          `arn:aws:sns:eu-west-2:${accountId}:${naming.exportNotificationsTopic(name)}`,
        );
      }
    });

    it('mocked ARNs have their type’s real shape: SNS ARNs name declared topics, no ARN names a logical resource', () => {
      const services = new Set([
        'sns',
        's3',
        'iam',
        'kms',
        'logs',
        'cloudwatch',
        'ecr',
        'ecs',
        'elasticloadbalancing',
        'acm',
        'rds',
        'elasticfilesystem',
        'grafana',
        'ec2',
        'ssm',
        'secretsmanager',
        'sts',
        'application-autoscaling',
        'autoscaling',
        'chatbot',
        'sqs',
        'lambda',
        'states',
        'events',
      ]);
      for (const name of ENVIRONMENT_NAMES) {
        const { manifest, records } = stack(name);
        const topics = new Set(
          records.filter((r) => r.type === 'aws:sns/topic:Topic').map((r) => r.inputs.name),
        );
        const logicalOnly = new Set(
          records.filter((r) => r.custom && r.inputs.name !== r.name).map((r) => r.name),
        );
        const arns = JSON.stringify(manifest.resources).match(/arn:aws:[^"]*/g) ?? [];
        expect(arns, name).to.have.length.above(0);
        for (const a of arns) {
          const [, , service, , , ...rest] = a.split(':');
          expect(services.has(service!), `${name}: ${a}`).to.equal(true);
          if (service === 'sns' && !rest.join(':').includes('*'))
            expect(topics.has(rest.join(':')), `${name}: ${a}`).to.equal(true);
          const last = a.split(/[:/]/).pop()!;
          expect(logicalOnly.has(last), `${name}: ${a} ends in a Pulumi logical name`).to.equal(false);
        }
        for (const r of records.filter((x) => x.custom && x.type.startsWith('aws:'))) {
          expect(MOCK_ARNS, `${r.type}: add its ARN shape (or null) to MOCK_ARNS`).to.have.property(r.type);
        }
      }
    });
  });

  it('stacks rendered together must agree on account ids (exit 2 naming both keys)', () => {
    const configs = ENVIRONMENT_NAMES.map((s) => loadStackConfig(s));
    expect(() => checkAccountsAgree(configs)).not.to.throw();
    const intg = loadStackConfig('intg', {
      rawConfig: { ...readRaw('intg'), 'tdr:accountId': '999999999999', 'tdr:mgmtAccountId': '123456789099' },
    });
    let error: unknown;
    try {
      checkAccountsAgree(configs.map((c) => (c.stack === 'intg' ? intg : c)));
    } catch (err) {
      error = err;
    }
    expect(error).to.be.instanceOf(StackConfigError);
    expect((error as StackConfigError).issues.map((i) => i.path)).to.deep.equal([
      'Pulumi.mgmt.yaml tdr:workloadAccountIds.intg',
      'Pulumi.intg.yaml tdr:mgmtAccountId',
    ]);
  });
});
