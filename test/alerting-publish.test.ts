/**
 * Publishing alerting (rule groups, contact points, the policy tree) over real HTTP against the
 * fake Grafana's provisioning API: once, idempotently, putting back what was changed in Grafana,
 * and never without the secrets a contact point needs.
 */
import { expect } from 'chai';
import { loadPlatform } from '../services/config';
import { generate, type GeneratedSet } from '../dashboards/index';
import { GrafanaClient } from '../dashboards/grafana-client';
import { PublishError, publish, writes } from '../dashboards/publisher';
import { covers } from '../dashboards/alerting-publisher';
import { FakeGrafana } from './support/fake-grafana';
import { TEST_ACCOUNT_IDS } from './support/accounts';
import { FakeAlerting, REDACTED } from './support/fake-grafana-alerting';
import { fakeAlertingSecrets } from './support/alerting';
import { runTdr } from './support/cli';

const COMMIT = '0123456789abcdef0123456789abcdef01234567';

describe('alerting publish (fake Grafana over HTTP)', () => {
  let grafana: FakeGrafana;
  let set: GeneratedSet;
  let secrets: Record<string, string>;
  const client = () => new GrafanaClient({ url: grafana.url, token: grafana.token, retryDelayMs: 5 });
  const run = (extra: { dryRun?: boolean; secrets?: Record<string, string | undefined> } = {}) =>
    publish(client(), set, { commit: COMMIT, secrets, ...extra });

  before(() => {
    set = generate(loadPlatform({}), TEST_ACCOUNT_IDS);
    secrets = fakeAlertingSecrets(set.alerting);
  });
  beforeEach(async () => {
    grafana = await FakeGrafana.start();
  });
  afterEach(async () => {
    await grafana.stop();
  });

  it('creates every contact point, the policy tree and each environment’s rule group', async () => {
    const report = await run();

    const alerting = report.entries.filter((e) => !['datasource', 'folder', 'dashboard'].includes(e.kind));
    expect(alerting.map((e) => `${e.kind} ${e.action}`)).to.deep.equal([
      ...set.alerting.contactPoints.map(() => 'contact-point created'),
      'notification-policy updated',
      ...set.alerting.ruleGroups.map(() => 'rule-group created'),
    ]);
    for (const spec of set.alerting.ruleGroups) {
      const stored = grafana.alerting.ruleGroups.get(FakeAlerting.key(spec.folderUid, spec.group.title!));
      expect(stored?.rules.map((r) => r.uid)).to.deep.equal(spec.group.rules!.map((r) => r.uid));
      expect(covers(stored, spec.group), spec.group.title).to.equal(true);
    }
    for (const spec of set.alerting.contactPoints) {
      const stored = grafana.alerting.contactPoints.get(spec.contactPoint.uid!)!;
      for (const s of spec.secrets) expect(stored.settings[s.key]).to.equal(secrets[s.envVar]);
    }
    expect(covers(grafana.alerting.policyTree, set.alerting.policy)).to.equal(true);
  });

  it('writes nothing on a second publish', async () => {
    await run();
    const before = grafana.requests.length;

    const report = await run();

    expect(grafana.requests.slice(before).filter((r) => r.method !== 'GET')).to.deep.equal([]);
    expect(writes(report)).to.deep.equal([]);
  });

  it('puts back a rule edited in Grafana, and only its group', async () => {
    await run();
    const target = set.alerting.ruleGroups.find((g) => g.env === 'prod')!;
    const uid = target.group.rules![1]!.uid!;
    const stored = grafana.alerting.rule(uid)!;
    const data = stored.data as Array<{ refId: string; model: { expression?: string } }>;
    data.find((q) => q.refId === 'breached')!.model.expression = '$value > 100000';
    stored.labels = { ...(stored.labels as object), severity: 'warning' };
    const before = grafana.requests.length;

    const report = await run();

    expect(writes(report).map((e) => `${e.kind} ${e.uid} ${e.action}`)).to.deep.equal([
      `rule-group ${target.folderUid}/${target.group.title} updated`,
    ]);
    const puts = grafana.requests.slice(before).filter((r) => r.method !== 'GET');
    expect(puts.map((r) => `${r.method} ${r.path}`)).to.deep.equal([
      `PUT /api/v1/provisioning/folder/${target.folderUid}/rule-groups/${target.group.title}`,
    ]);
    const back = grafana.alerting.rule(uid)!;
    expect(covers(back, target.group.rules![1])).to.equal(true);
    expect(back.labels).to.deep.include({ severity: 'critical' });
  });

  it('puts back a rule deleted in Grafana and a policy tree edited there', async () => {
    await run();
    const target = set.alerting.ruleGroups[0]!;
    const group = grafana.alerting.ruleGroups.get(FakeAlerting.key(target.folderUid, target.group.title!))!;
    group.rules.pop();
    grafana.alerting.policyTree = { ...grafana.alerting.policyTree, routes: [] };

    const report = await run();

    expect(writes(report).map((e) => `${e.kind} ${e.action}`)).to.deep.equal([
      'notification-policy updated',
      'rule-group updated',
    ]);
    expect(group.rules).to.have.length(target.group.rules!.length - 1);
    expect(
      grafana.alerting.ruleGroups.get(FakeAlerting.key(target.folderUid, target.group.title!))!.rules,
    ).to.have.length(target.group.rules!.length);
    expect(covers(grafana.alerting.policyTree, set.alerting.policy)).to.equal(true);
  });

  it('a contact point changed in Grafana is rewritten with its secret; secrets read back redacted are not compared', async () => {
    await run();
    const spec = set.alerting.contactPoints[0]!;
    const stored = grafana.alerting.contactPoints.get(spec.contactPoint.uid!)!;
    stored.settings = { ...stored.settings, title: 'edited by hand' };
    const rotated = { ...secrets, [spec.secrets[0]!.envVar]: 'https://alerts.example.test/rotated' };

    const report = await run({ secrets: rotated });

    expect(writes(report).map((e) => `${e.kind} ${e.uid} ${e.action}`)).to.deep.equal([
      `contact-point ${spec.contactPoint.uid} updated`,
    ]);
    const now = grafana.alerting.contactPoints.get(spec.contactPoint.uid!)!;
    expect(now.settings.title).to.equal((spec.contactPoint.settings as { title: string }).title);
    expect(now.settings[spec.secrets[0]!.key]).to.equal('https://alerts.example.test/rotated');
    const read = await client().listContactPoints();
    expect(read.find((c) => c.uid === spec.contactPoint.uid)!.settings).to.deep.include({
      [spec.secrets[0]!.key]: REDACTED,
    });
  });

  it('without a secret it must write, stops before writing anything, naming the variable (invalid)', async () => {
    const { TDR_ALERTS_PAGERDUTY_KEY_PROD: _p, ...withoutPaging } = secrets;

    const err = (await run({ secrets: withoutPaging }).catch((e: unknown) => e)) as PublishError;

    expect(err).to.be.instanceOf(PublishError);
    expect(err.kind).to.equal('invalid');
    expect(err.message).to.match(/before writing anything/);
    expect(err.message).to.include('TDR_ALERTS_PAGERDUTY_KEY_PROD is not set');
    expect(grafana.writes()).to.deep.equal([]);
  });

  it('a dry run plans alerting without secrets and writes nothing', async () => {
    const report = await run({ dryRun: true, secrets: {} });

    expect(grafana.writes()).to.deep.equal([]);
    expect(report.entries.filter((e) => e.kind === 'rule-group').map((e) => e.action)).to.deep.equal(
      set.alerting.ruleGroups.map(() => 'created'),
    );
  });

  it('a rule group Grafana rejects names the group and reports what was written before it', async () => {
    const victim = set.alerting.ruleGroups[1]!;
    grafana.inject({
      method: 'PUT',
      path: new RegExp(`/rule-groups/${victim.group.title}$`),
      status: 400,
      body: { message: 'invalid alert rule' },
    });

    const err = (await run().catch((e: unknown) => e)) as PublishError;

    expect(err).to.be.instanceOf(PublishError);
    expect(err.failed).to.deep.equal({
      kind: 'rule-group',
      uid: `${victim.folderUid}/${victim.group.title}`,
      title: victim.group.title,
    });
    expect(err.message).to.include('Grafana rejected it (400 invalid alert rule)');
    expect(writes(err.report).filter((e) => e.kind === 'rule-group')).to.have.length(1);
  });

  it('tdr dashboards publish: exit 2 without the secrets, then publishes with them, then writes nothing', async () => {
    const { TDR_CONFIG: _c, TDR_ACCOUNT_IDS: _a, GRAFANA_TOKEN: _t, ...clean } = process.env;
    const env = {
      ...clean,
      GRAFANA_TOKEN: grafana.token,
      GIT_COMMIT: COMMIT,
      TDR_ACCOUNT_IDS: JSON.stringify(TEST_ACCOUNT_IDS),
    };

    const refused = await runTdr(['dashboards', 'publish', '--url', grafana.url], env);
    expect(refused.code).to.equal(2);
    expect(refused.stderr).to.match(/TDR_ALERTS_SLACK_URL_INTG, .* are not set/);
    expect(grafana.writes()).to.deep.equal([]);

    const first = await runTdr(['dashboards', 'publish', '--url', grafana.url], { ...env, ...secrets });
    expect(first.code, first.stderr).to.equal(0);
    expect(first.stdout).to.match(/created\s+rule-group\s+tdr-prod\/tdr-prod-services/);
    for (const value of Object.values(secrets)) expect(first.stdout + first.stderr).to.not.include(value);

    const before = grafana.writes().length;
    const second = await runTdr(['dashboards', 'publish', '--url', grafana.url], { ...env, ...secrets });
    expect(second.code, second.stderr).to.equal(0);
    expect(grafana.writes()).to.have.length(before);
  });
});
