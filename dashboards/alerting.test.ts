import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { parse } from 'yaml';
import type * as alerting from '@grafana/grafana-foundation-sdk/alerting';
import type { Panel } from '@grafana/grafana-foundation-sdk/dashboard';
import { loadPlatform } from '../services/config';
import { metricUseProblems } from '../services/aws-metrics';
import { naming } from '../services/naming';
import { ecsServices, workloadEnvironmentNames } from '../services/queries';
import { SERVICE_ALARMS, SERVICE_ALARM_LIST } from '../services/thresholds';
import { scanForSecrets } from '../pipelines/jenkins/secret-scan';
import { expectGolden } from '../test/support/golden';
import { ON_CALL, alertSecretVariable } from '../services/on-call';
import { CONDITION_REF, LABELS } from './alerting';
import { alertingFiles } from './alerting-files';
import { buildDashboards, generate } from './index';
import { metricUsesOfTargets, type CloudWatchTarget } from './metric-uses';

const GOLDEN = join(__dirname, '..', 'testdata', 'dashboards', 'alerting');

type Labels = Readonly<Record<string, string>>;

/**
 * Alertmanager's routing, enough to prove the tree: a route takes an alert its matchers match; its
 * children are tried in order (a match stops the search unless it says `continue`); a route none
 * of whose children took the alert notifies its own receiver.
 */
function receiversFor(route: alerting.NotificationPolicy, labels: Labels): string[] {
  const matches = (r: alerting.NotificationPolicy) =>
    (r.object_matchers ?? []).every(([name, op, value]) => op === '=' && labels[name!] === value);
  const walk = (r: alerting.NotificationPolicy, inherited: string): string[] => {
    const receiver = r.receiver ?? inherited;
    const taken: string[] = [];
    for (const child of r.routes ?? []) {
      if (!matches(child)) continue;
      taken.push(...walk(child, receiver));
      if (!child.continue) break;
    }
    return taken.length > 0 ? taken : [receiver];
  };
  return walk(route, route.receiver ?? '');
}

describe('alerting', () => {
  const platform = loadPlatform({});
  const set = generate(platform);
  const { alerting: model } = set;
  const envs = workloadEnvironmentNames(platform.environments);
  const rules = model.ruleGroups.flatMap((g) => (g.group.rules ?? []).map((rule) => ({ env: g.env, rule })));

  it('renders provisioning/alerting files that match their golden YAML', () => {
    for (const [name, text] of alertingFiles(model)) expectGolden(join(GOLDEN, name), text);
  });

  it('has a rule group per workload environment, in that environment’s folder', () => {
    expect(model.ruleGroups.map((g) => [g.env, g.folderUid, g.group.title])).to.deep.equal(
      envs.map((e) => [e, naming.grafanaFolderUid(e), naming.grafanaRuleGroup(e)]),
    );
    for (const { rule } of rules) {
      const group = model.ruleGroups.find((g) => g.group.title === rule.ruleGroup)!;
      expect(rule.folderUID, rule.title).to.equal(group.folderUid);
    }
  });

  it('gives every service every alarm as a rule; each prod service at least 5xx, unhealthy hosts and running below desired', () => {
    const services = ecsServices(platform.catalogue).map(([s]) => s);
    expect(rules).to.have.length(envs.length * services.length * SERVICE_ALARM_LIST.length);
    const { target5xx, unhealthyHosts, runningBelowDesired } = SERVICE_ALARMS;
    for (const service of services) {
      for (const alarm of [target5xx, unhealthyHosts, runningBelowDesired]) {
        const rule = rules.find((r) => r.rule.title === naming.alarm(service, 'prod', alarm.key));
        expect(rule, `${service} ${alarm.key}`).to.not.equal(undefined);
        expect(rule!.rule.labels).to.deep.include({ env: 'prod', service, severity: 'critical' });
      }
    }
  });

  it('gives rules unique uids Grafana accepts (at most 40 characters)', () => {
    const uids = rules.map((r) => r.rule.uid!);
    expect(new Set(uids).size).to.equal(uids.length);
    for (const uid of uids) expect(uid.length, uid).to.be.at.most(40);
    const long = (key: string) => naming.grafanaAlertRuleUid('a-very-long-service-name', 'staging', key);
    expect(long('running-below-desired'))
      .to.have.length(40)
      .and.match(/^a-very-long-service-name-stagin-[0-9a-f]{8}$/);
    expect(long('running-below-desired')).to.not.equal(long('running-below-desired-2'));
  });

  it('says in every rule which service and environment, what to do first, and links the panel it watches', () => {
    const byUid = new Map(set.dashboards.map((d) => [d.uid, d.model]));
    for (const { env, rule } of rules) {
      const { service, alarm: key, severity } = rule.labels!;
      const a = rule.annotations!;
      expect(a.summary, rule.title).to.include(`${service} in ${env}`);
      expect(a.description, rule.title).to.include(`tdr status --service ${service} --env ${env}`);
      expect(a.description, rule.title).to.include(naming.logGroup(service!, env));
      if (severity === 'critical')
        expect(a.description, rule.title).to.include(`tdr rollback --service ${service} --env ${env}`);
      const alarm = SERVICE_ALARM_LIST.find((x) => x.key === key)!;
      expect(a.description, rule.title).to.include(alarm.runbook);
      const dashboard = byUid.get(a.__dashboardUid__!);
      expect(dashboard, rule.title).to.not.equal(undefined);
      const panel = (dashboard!.panels ?? []).find((p) => String(p.id) === a.__panelId__) as Panel;
      expect(panel?.title, rule.title).to.equal(rule.title);
    }
  });

  it('evaluates the CloudWatch alarm’s own question: threshold, M of N, window and missing data', () => {
    for (const { env, rule } of rules) {
      const alarm = SERVICE_ALARM_LIST.find((x) => x.key === rule.labels!.alarm)!;
      const byRef = new Map(rule.data.map((q) => [q.refId, q]));
      const value = byRef.get('value')!;
      expect(value.datasourceUid).to.equal(naming.grafanaDatasourceUid(env));
      expect(value.relativeTimeRange).to.deep.equal({
        from: alarm.evaluationPeriods * alarm.periodSeconds,
        to: 0,
      });
      const op = alarm.comparison === 'GreaterThanThreshold' ? '>' : '<';
      expect((byRef.get('breached')!.model as unknown as { expression: string }).expression).to.equal(
        `$value ${op} ${alarm.threshold}`,
      );
      const condition = byRef.get(CONDITION_REF)!.model as unknown as {
        conditions: Array<{ evaluator: { type: string; params: number[] } }>;
      };
      expect(rule.condition).to.equal(CONDITION_REF);
      expect(condition.conditions[0]!.evaluator).to.deep.equal({
        type: 'gt',
        params: [(alarm.datapointsToAlarm ?? alarm.evaluationPeriods) - 1],
      });
      expect(rule.noDataState, rule.title).to.equal(
        alarm.treatMissingData === 'breaching' ? 'Alerting' : 'OK',
      );
    }
  });

  it('reads only metrics of services/aws-metrics.ts, by dimension sets AWS publishes', () => {
    for (const { rule } of rules) {
      const targets = rule.data
        .filter((q) => q.datasourceUid !== '__expr__')
        .map((q) => q.model as unknown as CloudWatchTarget);
      const sites = metricUsesOfTargets(rule.title, { title: rule.title } as Panel, targets);
      expect(sites.length, rule.title).to.be.greaterThan(0);
      for (const site of sites) expect(metricUseProblems(site.use), rule.title).to.deep.equal([]);
    }
  });

  it('routes by env and severity: Slack everywhere, prod’s critical alerts page as well', () => {
    const names = new Set(model.contactPoints.map((c) => c.contactPoint.name));
    const referenced = (r: alerting.NotificationPolicy): string[] => [
      ...(r.receiver ? [r.receiver] : []),
      ...(r.routes ?? []).flatMap(referenced),
    ];
    for (const r of referenced(model.policy)) expect(names.has(r), r).to.equal(true);
    expect(model.policy.group_by).to.deep.equal([LABELS.env, LABELS.service]);
    expect(model.policy.group_wait).to.be.a('string');
    expect(model.policy.group_interval).to.be.a('string');
    for (const env of envs) {
      const slack = naming.grafanaContactPoint(env, 'slack');
      const paging = naming.grafanaContactPoint(env, 'paging');
      expect(receiversFor(model.policy, { env, severity: 'warning' }), env).to.deep.equal([slack]);
      expect(receiversFor(model.policy, { env, severity: 'critical' }), env).to.deep.equal(
        ON_CALL[env].pages ? [paging, slack] : [slack],
      );
      const route = model.policy.routes!.find((r) => r.object_matchers?.[0]?.[2] === env)!;
      expect(route.repeat_interval, env).to.equal(ON_CALL[env].repeatInterval);
    }
    expect(ON_CALL.prod.pages).to.equal(true);
    expect(ON_CALL.intg.pages || ON_CALL.staging.pages).to.equal(false);
  });

  it('names each contact point secret by its variable and never holds a value', () => {
    for (const c of model.contactPoints) {
      expect(c.secrets.map((s) => s.envVar)).to.deep.equal([alertSecretVariable(c.env, c.channel)]);
      for (const s of c.secrets) expect(c.contactPoint.settings).to.not.have.property(s.key);
    }
  });

  it('writes the files under provisioning/alerting, with no secret in any generated file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tdr-alerting-'));
    try {
      const { files } = await buildDashboards(dir, {}, platform);
      expect((await readdir(join(dir, 'provisioning', 'alerting'))).sort()).to.deep.equal(
        alertingFiles(model)
          .map(([name]) => name)
          .sort(),
      );
      for (const f of files) expect(scanForSecrets(await readFile(f, 'utf8')), f).to.deep.equal([]);
      const prod = parse(await readFile(join(dir, 'provisioning', 'alerting', 'tdr-prod.yaml'), 'utf8')) as {
        contactPoints: Array<{ receivers: Array<{ settings: Record<string, string> }> }>;
      };
      const settings = prod.contactPoints.flatMap((c) => c.receivers.map((r) => r.settings));
      expect(settings.map((s) => s.url ?? s.integrationKey)).to.deep.equal([
        '${TDR_ALERTS_SLACK_URL_PROD}',
        '${TDR_ALERTS_PAGERDUTY_KEY_PROD}',
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
