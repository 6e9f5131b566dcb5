/**
 * `tdr dashboards publish` creates and updates the `tdr-cloudwatch-*` datasources through Grafana's
 * data source HTTP API (Amazon Managed Grafana reads no provisioning files), against the fake
 * Grafana on 127.0.0.1 (test/support/fake-grafana-datasources.ts says which documented shapes).
 */
import { expect } from 'chai';
import { loadPlatform } from '../services/config';
import { naming } from '../services/naming';
import { generate, type GeneratedSet } from '../dashboards/index';
import { datasourceBody } from '../dashboards/datasources';
import { GrafanaClient } from '../dashboards/grafana-client';
import { PublishError, publish, writes } from '../dashboards/publisher';
import { FakeGrafana } from './support/fake-grafana';
import { TEST_ACCOUNT_IDS } from './support/accounts';

const COMMIT = '0123456789abcdef0123456789abcdef01234567';

describe('dashboards publish: datasources (fake Grafana over HTTP)', () => {
  let grafana: FakeGrafana;
  let set: GeneratedSet;
  const client = () => new GrafanaClient({ url: grafana.url, token: grafana.token, retryDelayMs: 5 });
  /** Datasources only: the rest of a publish is tested in dashboards-publish.test.ts. */
  const only = (s: GeneratedSet) => ({ datasources: s.datasources, folders: [], dashboards: [] });
  const datasourceWrites = () => grafana.writes().filter((r) => r.path.startsWith('/api/datasources'));

  before(() => {
    set = generate(loadPlatform({}), TEST_ACCOUNT_IDS);
  });
  beforeEach(async () => {
    grafana = await FakeGrafana.start();
  });
  afterEach(async () => {
    await grafana.stop();
  });

  it('creates one per monitored environment, each workload one assuming its monitoring role', async () => {
    const report = await publish(client(), only(set), { commit: COMMIT });

    expect(report.entries.map((e) => `${e.kind} ${e.uid} ${e.action}`)).to.deep.equal(
      set.datasources.map((d) => `datasource ${d.uid} created`),
    );
    expect([...grafana.datasources.byUid.keys()]).to.deep.equal(set.datasources.map((d) => d.uid));
    for (const d of set.datasources) {
      const stored = grafana.datasources.byUid.get(d.uid)!;
      expect(stored).to.include({ name: d.name, type: 'cloudwatch', access: 'proxy' });
      const role =
        d.env === 'mgmt'
          ? undefined
          : naming.roleArn(TEST_ACCOUNT_IDS[d.env], naming.grafanaMonitoringRole(d.env));
      expect(stored.jsonData, d.uid).to.deep.equal({
        authType: 'default',
        defaultRegion: d.region,
        ...(role ? { assumeRoleArn: role } : {}),
      });
    }
  });

  it('writes nothing the second time', async () => {
    await publish(client(), only(set), { commit: COMMIT });
    const before = grafana.writes().length;
    const report = await publish(client(), only(set), { commit: COMMIT });
    expect(grafana.writes()).to.have.length(before);
    expect(report.entries.every((e) => e.action === 'unchanged')).to.equal(true);
  });

  it('puts back a datasource changed in Grafana, passing the version it read; leaves the others', async () => {
    await publish(client(), only(set), { commit: COMMIT });
    const [mgmt, workload] = [set.datasources[0]!, set.datasources[1]!];
    expect(mgmt.env).to.equal('mgmt');
    const stored = grafana.datasources.byUid.get(workload.uid)!;
    grafana.datasources.byUid.set(workload.uid, {
      ...stored,
      jsonData: { ...stored.jsonData, assumeRoleArn: 'arn:aws:iam::999999999999:role/Other' },
      version: 4,
    });
    // A key the code never sets is a difference too: mgmt reads with the workspace role alone.
    const m = grafana.datasources.byUid.get(mgmt.uid)!;
    grafana.datasources.byUid.set(mgmt.uid, { ...m, jsonData: { ...m.jsonData, assumeRoleArn: 'arn:x' } });
    const before = grafana.requests.length;

    const report = await publish(client(), only(set), { commit: COMMIT });

    expect(writes(report).map((e) => e.uid)).to.deep.equal([mgmt.uid, workload.uid]);
    const put = grafana.requests
      .slice(before)
      .find((r) => r.method === 'PUT' && r.path.endsWith(workload.uid));
    expect((put!.body as { version: number }).version).to.equal(4);
    expect(grafana.datasources.byUid.get(workload.uid)!.jsonData).to.deep.equal(
      datasourceBody(workload).jsonData,
    );
    expect(grafana.datasources.byUid.get(mgmt.uid)!.jsonData).to.deep.equal(datasourceBody(mgmt).jsonData);
  });

  it('refuses, before writing anything, datasources whose account ids are not known', async () => {
    const offline = generate(loadPlatform({}));
    const err = (await publish(
      client(),
      { ...only(offline), folders: offline.folders },
      { commit: COMMIT },
    ).catch((e: unknown) => e)) as PublishError;
    expect(err).to.be.instanceOf(PublishError);
    expect(err.kind).to.equal('invalid');
    expect(err.message).to.match(/account ids of intg, staging, prod are not known: set TDR_ACCOUNT_IDS/);
    expect(grafana.writes()).to.deep.equal([]);
  });

  it('refuses, before writing anything, to change a datasource provisioned from a file', async () => {
    const target = set.datasources[2]!;
    grafana.datasources.seed({ uid: target.uid, name: target.name, type: 'cloudwatch', readOnly: true });
    const err = (await publish(client(), only(set), { commit: COMMIT }).catch(
      (e: unknown) => e,
    )) as PublishError;
    expect(err.kind).to.equal('invalid');
    expect(err.message).to.include(`datasource ${target.uid} was provisioned from a file`);
    expect(datasourceWrites()).to.deep.equal([]);
  });

  it('reports a name another datasource holds (409) with what was already written', async () => {
    const victim = set.datasources[1]!;
    grafana.datasources.seed({ uid: 'someone-elses', name: victim.name, type: 'cloudwatch' });
    const err = (await publish(client(), only(set), { commit: COMMIT }).catch(
      (e: unknown) => e,
    )) as PublishError;
    expect(err.failed).to.deep.equal({ kind: 'datasource', uid: victim.uid, title: victim.name });
    expect(err.message).to.include('409').and.include('same name already exists');
    expect(writes(err.report).map((e) => e.uid)).to.deep.equal([set.datasources[0]!.uid]);
  });
});
