import { expect } from 'chai';
import type { Dashboard, Panel } from '@grafana/grafana-foundation-sdk/dashboard';
import { findAwsMetric, metricUseProblems, S3_REQUEST_METRICS_BUCKETS } from '../services/aws-metrics';
import { loadPlatform } from '../services/config';
import { naming, roleSuffix } from '../services/naming';
import { ecsServices, oneOffTasks } from '../services/queries';
import { SERVICE_ALARM_LIST, SERVICE_ALARMS, differenceExpression } from '../services/thresholds';
import { generate } from './index';
import { metricUsesOf, parseSearch, searchesIn, type CloudWatchTarget } from './metric-uses';

const platform = loadPlatform({});
const dashboards = generate(platform).dashboards.map((d) => d.model);
const sites = dashboards.flatMap(metricUsesOf);
const workloadEnvs = ['intg', 'staging', 'prod'] as const;
const byUid = (uid: string): Dashboard => dashboards.find((d) => d.uid === uid)!;
const where = (s: { dashboard: string; panel: Panel; target: CloudWatchTarget }) =>
  `${s.dashboard} "${s.panel.title}" ${s.target.refId}`;

/** `now-6h`, `7d` → seconds. */
function windowSeconds(relative: string): number {
  const m = /^(?:now-)?(\d+)([mhd])$/.exec(relative);
  if (!m) throw new Error(`cannot read the time range ${relative}`);
  return Number(m[1]) * { m: 60, h: 3600, d: 86_400 }[m[2] as 'm' | 'h' | 'd'];
}

describe('dashboards read only metrics AWS publishes (services/aws-metrics.ts)', () => {
  it('finds queries on every dashboard', () => {
    for (const d of dashboards)
      expect(
        sites.filter((s) => s.dashboard === d.uid),
        d.uid,
      ).to.have.length.above(0);
  });

  it('every query’s namespace, metric, dimension set, statistic and period is in the table', () => {
    const problems = sites.flatMap((s) => metricUseProblems(s.use).map((p) => `${where(s)}: ${p}`));
    expect(problems).to.deep.equal([]);
  });

  it('a SEARCH uses only Name=value designators of its own schema', () => {
    expect(() =>
      parseSearch(
        '{AWS/ApplicationELB,LoadBalancer,TargetGroup} MetricName="X" TargetGroup:a-tg-intg',
        'Sum',
        '60',
      ),
    ).to.throw(/TargetGroup:a-tg-intg.*not a Name=value designator/);
    const searches = sites.filter((s) => s.via === 'search');
    expect(searches).to.have.length.above(0);
    for (const s of searches) {
      const env = s.dashboard.split('-')[1] as (typeof workloadEnvs)[number];
      if (s.use.namespace === 'AWS/States') {
        // A state machine's ARN holds the account id: its name finds it.
        expect(s.values.StateMachineArn, where(s)).to.match(new RegExp(`^TDR[A-Za-z]+${roleSuffix(env)}$`));
        continue;
      }
      expect(s.values.LoadBalancer, where(s)).to.equal(naming.loadBalancer(env));
      // A service's target group, or the second of its pair (naming.alternateTargetGroup).
      expect(s.values.TargetGroup, where(s)).to.match(new RegExp(`^[a-z]+-(tg|alt)-${env}$`));
    }
  });

  it('every expression references only queries of its own panel', () => {
    for (const d of dashboards) {
      for (const p of (d.panels ?? []) as Panel[]) {
        const targets = (p.targets ?? []) as CloudWatchTarget[];
        const ids = new Set(targets.map((t) => t.id));
        for (const t of targets.filter((x) => x.expression)) {
          const withoutSearches = t.expression!.replace(/SEARCH\([^)]*\)/g, '');
          for (const ref of withoutSearches.match(/\b[a-z][a-z0-9_]*\b/g) ?? []) {
            expect(ids.has(ref), `${d.uid} "${p.title}": ${t.expression} refers to ${ref}`).to.equal(true);
          }
        }
      }
    }
  });

  it('TaskCount is read per cluster: each one-off task by its own cluster, never by task family', () => {
    const taskCounts = sites.filter((s) => s.use.metricName === 'TaskCount');
    for (const s of taskCounts) expect(s.use.dimensions, where(s)).to.deep.equal(['ClusterName']);
    for (const env of workloadEnvs) {
      const clusters = taskCounts
        .filter((s) => s.dashboard === `tdr-${env}-transfers`)
        .map((s) => s.values.ClusterName);
      expect(clusters).to.deep.equal(oneOffTasks(platform.catalogue).map(([t]) => naming.cluster(t, env)));
    }
    expect(taskCounts.filter((s) => s.dashboard === 'tdr-mgmt-platform').map((s) => s.values)).to.deep.equal([
      { ClusterName: naming.jenkinsCluster() },
    ]);
  });

  it('ECR usage is read by the dimensions ECR documents, without Class', () => {
    const ecr = sites.filter((s) => s.use.namespace === 'AWS/Usage');
    expect(ecr).to.have.length(1);
    expect(ecr[0]!.values).to.deep.equal({ Service: 'ECR', Type: 'API', Resource: 'PutImage' });
  });

  it('counts AWS publishes only while non-zero or running are filled, so nothing running reads 0', () => {
    const gappy = sites.filter((s) => {
      const m = findAwsMetric(s.use.namespace, s.use.metricName)!;
      return m.unit === 'Count' && m.reporting !== 'always';
    });
    expect(gappy.length).to.be.greaterThan(10);
    for (const s of gappy) {
      if (s.via === 'search') {
        expect(s.target.expression, where(s)).to.match(/^FILL\(SEARCH\(.*\), 0\)$/);
        continue;
      }
      const expressions = ((s.panel.targets ?? []) as CloudWatchTarget[]).map((t) => t.expression ?? '');
      const filled = new RegExp(`FILL\\(${s.target.id}, (0|REPEAT)\\)`);
      expect(s.target.hide, `${where(s)} is drawn unfilled`).to.equal(true);
      expect(
        expressions.some((e) => filled.test(e)),
        `${where(s)} is never filled`,
      ).to.equal(true);
    }
  });

  it('running tasks (and the controller) fill with 0, and desired with its last value', () => {
    const overview = byUid('tdr-prod-services-overview');
    const panel = overview.panels!.find((p) => p.title === 'frontend: running vs desired tasks') as Panel;
    const expressions = (panel.targets as CloudWatchTarget[]).map((t) => t.expression).filter(Boolean);
    expect(expressions).to.deep.equal(['FILL(running_raw, 0)', 'FILL(desired_raw, REPEAT)']);
    const tile = byUid('tdr-prod-alarms').panels!.find(
      (p) => p.title === naming.alarm('frontend', 'prod', SERVICE_ALARMS.runningBelowDesired.key),
    ) as Panel;
    const value = (tile.targets as CloudWatchTarget[]).find((t) => t.refId === 'value');
    expect(value?.expression).to.equal(differenceExpression('a', 'b'));
  });

  it('every panel’s time range holds at least three of its metrics’ publishing periods', () => {
    for (const s of sites) {
      const metric = findAwsMetric(s.use.namespace, s.use.metricName)!;
      const window = windowSeconds(s.panel.timeFrom ?? byUid(s.dashboard).time!.from);
      expect(
        window,
        `${where(s)}: ${metric.metricName} is published every ${metric.periodSeconds}s`,
      ).to.be.at.least(3 * metric.periodSeconds);
    }
  });

  it('S3 request metrics are read only under the filter infra configures, on the buckets it configures', () => {
    const requestMetrics = sites.filter(
      (s) => findAwsMetric(s.use.namespace, s.use.metricName)!.requires === 's3-request-metrics',
    );
    expect(requestMetrics).to.have.length(workloadEnvs.length);
    for (const s of requestMetrics) {
      const env = s.dashboard.split('-')[1] as (typeof workloadEnvs)[number];
      expect(s.values.FilterId).to.equal(naming.s3RequestMetricsFilter());
      expect(S3_REQUEST_METRICS_BUCKETS.map((fn) => naming.bucket(fn, env))).to.include(s.values.BucketName);
    }
  });

  it('alarm history annotations find exactly the alarms Grafana can match: one statistic each, no metric math', () => {
    for (const env of workloadEnvs) {
      const alarms = ecsServices(platform.catalogue).flatMap(([svc]) =>
        SERVICE_ALARM_LIST.map((a) => ({ name: naming.alarm(svc, env, a.key), alarm: a })),
      );
      const annotations = byUid(`tdr-${env}-alarms`)
        .annotations!.list!.map(
          (a) => a.target as { alarmNamePrefix?: string; statistic?: string } | undefined,
        )
        .filter((t) => t?.alarmNamePrefix);
      expect(annotations).to.have.length(alarms.filter((a) => !a.alarm.minus).length);
      for (const t of annotations) {
        // What Grafana's prefix matching keeps: name prefix, then statistic equality.
        const matched = alarms.filter((a) => a.name.startsWith(t!.alarmNamePrefix!));
        expect(matched, t!.alarmNamePrefix).to.have.length(1);
        expect(matched[0]!.alarm.minus, `${t!.alarmNamePrefix} is metric math`).to.equal(undefined);
        expect(t!.statistic, t!.alarmNamePrefix).to.equal(matched[0]!.alarm.metric.statistic);
      }
    }
  });

  it('finds SEARCH calls in metric math too', () => {
    expect(searchesIn(`FILL(SEARCH('{AWS/S3,BucketName} MetricName="X"', 'Sum', 60), 0)`)).to.have.length(1);
  });
});
