import { expect } from 'chai';
import type { DataSourceRef, Panel } from '@grafana/grafana-foundation-sdk/dashboard';
import { loadPlatform } from '../services/config';
import { ecsServices, workloadEnvironmentNames } from '../services/queries';
import { SERVICE_ALARM_LIST } from '../services/thresholds';
import {
  annotationQueryProblems,
  metricsQueryProblems,
  panelQueryProblems,
  type QueryJson,
} from './cloudwatch-contract';
import { CLOUDWATCH_TYPE } from './datasources';
import { generate } from './index';

/** A code-mode query exactly as the generator wrote it before statistic was required of it. */
const CODE_MODE_WITHOUT_STATISTIC: QueryJson = {
  queryMode: 'Metrics',
  id: 'value',
  refId: 'value',
  region: 'eu-west-2',
  namespace: '',
  metricQueryType: 0,
  metricEditorMode: 1,
  expression:
    "SEARCH('{AWS/ApplicationELB,LoadBalancer,TargetGroup} MetricName=\"UnHealthyHostCount\"', 'Minimum', 60)",
  label: 'unhealthy-hosts',
};

describe('CloudWatch queries against Grafana’s CloudWatch backend (pkg/tsdb/cloudwatch)', () => {
  const platform = loadPlatform({});
  const set = generate(platform);

  describe('the contract itself', () => {
    it('refuses a code-mode query without a statistic, as validateAndSetDefaults does', () => {
      expect(metricsQueryProblems(CODE_MODE_WITHOUT_STATISTIC)).to.deep.equal([
        'statistic: missing ("query must have either statistic or statistics field")',
      ]);
      expect(metricsQueryProblems({ ...CODE_MODE_WITHOUT_STATISTIC, statistic: 'Minimum' })).to.deep.equal(
        [],
      );
      // The legacy `statistics` array is migrated by getStatistic, so it is accepted too.
      expect(metricsQueryProblems({ ...CODE_MODE_WITHOUT_STATISTIC, statistics: ['Sum'] })).to.deep.equal([]);
    });

    it('asks each mode for the field it sends: expression, namespace and metricName, sqlExpression', () => {
      const base = { queryMode: 'Metrics', refId: 'a', region: 'eu-west-2', statistic: 'Sum' };
      expect(metricsQueryProblems({ ...base, metricQueryType: 0, metricEditorMode: 1 })).to.deep.equal([
        'expression: missing (code mode sends only it)',
      ]);
      expect(metricsQueryProblems({ ...base, metricQueryType: 0, metricEditorMode: 0 })).to.have.length(2);
      expect(metricsQueryProblems({ ...base, metricQueryType: 1 })).to.deep.equal([
        'sqlExpression: missing (Metrics Insights mode sends only it)',
      ]);
      expect(metricsQueryProblems({ ...base, metricQueryType: 2 })[0]).to.match(/^metricQueryType/);
    });

    it('refuses ids GetMetricData refuses, periods it cannot use, queries the backend would skip', () => {
      const ok = { ...CODE_MODE_WITHOUT_STATISTIC, statistic: 'Sum' };
      expect(metricsQueryProblems({ ...ok, id: 'A' })[0]).to.match(/^id:/);
      expect(metricsQueryProblems({ ...ok, period: '90' })[0]).to.match(/^period:/);
      expect(metricsQueryProblems({ ...ok, period: '5m' })).to.deep.equal([]);
      expect(metricsQueryProblems({ ...ok, type: 'logAction' })[0]).to.match(/^type:/);
      expect(metricsQueryProblems({ ...ok, dimensions: { A: 1 } })[0]).to.match(/^dimensions\.A:/);
      expect(panelQueryProblems([ok, ok])).to.deep.equal([
        'id "value" is used twice',
        'refId "value" is used twice',
      ]);
    });

    it('asks an annotation query for a prefix, or for region, namespace, metric and statistic', () => {
      expect(annotationQueryProblems({ queryMode: 'Annotations', prefixMatching: true })).to.deep.equal([
        'alarmNamePrefix: missing (prefix matching lists alarms by it)',
      ]);
      expect(annotationQueryProblems({ queryMode: 'Annotations', region: 'eu-west-2' })).to.have.length(3);
    });
  });

  describe('every generated query', () => {
    const cloudwatch = (ref: DataSourceRef | undefined) => ref?.type === CLOUDWATCH_TYPE;

    it('every panel of every dashboard: each CloudWatch target runs, ids unique within the panel', () => {
      let checked = 0;
      let expected = 0;
      for (const d of set.dashboards) {
        for (const panel of (d.model.panels ?? []) as Panel[]) {
          if (panel.type === 'row') continue;
          const targets = (panel.targets ?? []) as unknown as Array<
            QueryJson & { datasource?: DataSourceRef }
          >;
          expected += targets.length;
          const queries = targets.filter((t) => cloudwatch(t.datasource ?? panel.datasource));
          checked += queries.length;
          expect(panelQueryProblems(queries), `${d.uid} / ${panel.title}`).to.deep.equal([]);
        }
      }
      // Every target of every panel is a CloudWatch query: none escapes the check.
      expect(checked).to.equal(expected).and.to.be.greaterThan(0);
    });

    it('every CloudWatch annotation (alarm history) of every dashboard', () => {
      let checked = 0;
      for (const d of set.dashboards) {
        for (const a of d.model.annotations?.list ?? []) {
          if (!cloudwatch(a.datasource)) continue;
          checked++;
          expect(
            annotationQueryProblems(a.target as unknown as QueryJson),
            `${d.uid} / ${a.name}`,
          ).to.deep.equal([]);
        }
      }
      expect(checked).to.be.greaterThan(0);
    });

    it('every alert rule: its CloudWatch query runs on the alerting path (no `type`, so all return data)', () => {
      const envs = workloadEnvironmentNames(platform.environments);
      const rules = set.alerting.ruleGroups.flatMap((g) => g.group.rules ?? []);
      expect(rules).to.have.length(
        envs.length * ecsServices(platform.catalogue).length * SERVICE_ALARM_LIST.length,
      );
      for (const rule of rules) {
        const queries = rule.data
          .filter((q) => q.datasourceUid !== '__expr__')
          .map((q) => ({ refId: q.refId, model: q.model as unknown as QueryJson }));
        expect(queries, rule.title).to.have.length(1);
        for (const q of queries) expect(q.model.refId, rule.title).to.equal(q.refId);
        // Alerting sends no `type`, so the backend returns every query's data: a hidden helper
        // query would be a second series in the rule, hence exactly one query per rule.
        expect(
          queries.map((q) => q.model.hide ?? false),
          rule.title,
        ).to.deep.equal([false]);
        expect(panelQueryProblems(queries.map((q) => q.model)), rule.title).to.deep.equal([]);
      }
    });
  });
});
