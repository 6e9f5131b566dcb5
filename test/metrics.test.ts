/**
 * What the dashboards read against what the stacks switch on: a panel on a metric AWS publishes
 * only when something is enabled must find it enabled, on the very resource, in that environment's
 * stack. (The two sides are built separately; only here do they meet.)
 */
import { expect } from 'chai';
import { findAwsMetric } from '../services/aws-metrics';
import { loadPlatform } from '../services/config';
import { ENVIRONMENT_NAMES, type EnvironmentName } from '../services/environments';
import { generate } from '../dashboards/index';
import { metricUsesOf } from '../dashboards/metric-uses';
import type { RecordedResource } from '../infra/policies/evaluate';
import { synthStacks } from '../infra/synth';

describe('dashboards against the stacks: what a panel needs switched on is on', function () {
  this.timeout(120_000);
  const platform = loadPlatform({});
  const sites = generate(platform).dashboards.flatMap((d) => metricUsesOf(d.model));
  const records = new Map<EnvironmentName, readonly RecordedResource[]>();
  const envOf = (uid: string) => uid.split('-')[1] as EnvironmentName;

  before(async () => {
    const envs = ENVIRONMENT_NAMES.filter((e) => sites.some((s) => envOf(s.dashboard) === e));
    for (const r of await synthStacks(envs, { platform }))
      records.set(r.manifest.stack as EnvironmentName, r.records);
  });

  const needing = (prerequisite: string) =>
    sites.filter((s) => findAwsMetric(s.use.namespace, s.use.metricName)?.requires === prerequisite);

  it('every S3 request-metric panel has the bucket metrics configuration its FilterId names', () => {
    const panels = needing('s3-request-metrics');
    expect(panels).to.have.length.above(0);
    for (const s of panels) {
      const configs = (records.get(envOf(s.dashboard)) ?? [])
        .filter((r) => r.type === 'aws:s3/bucketMetric:BucketMetric')
        .map((r) => ({ bucket: r.inputs.bucket, filterId: r.inputs.name }));
      expect(configs, `${s.dashboard} "${s.panel.title}"`).to.deep.include({
        bucket: s.values.BucketName,
        filterId: s.values.FilterId,
      });
    }
  });

  it('every Container Insights panel reads a cluster that has Container Insights on', () => {
    const panels = needing('container-insights');
    expect(panels).to.have.length.above(0);
    for (const s of panels) {
      const cluster = (records.get(envOf(s.dashboard)) ?? []).find(
        (r) => r.type === 'aws:ecs/cluster:Cluster' && r.inputs.name === s.values.ClusterName,
      );
      expect(cluster, `${s.dashboard} "${s.panel.title}" reads cluster ${s.values.ClusterName}`).to.not.equal(
        undefined,
      );
      expect(cluster!.inputs.settings).to.deep.include({ name: 'containerInsights', value: 'enabled' });
    }
  });
});
