/**
 * The publisher and `tdr dashboards publish` over real HTTP against the fake Grafana on 127.0.0.1.
 */
import { execFileSync } from 'node:child_process';
import { expect } from 'chai';
import { loadPlatform } from '../services/config';
import { generate, type GeneratedSet } from '../dashboards/index';
import { GrafanaClient, GrafanaUnauthorisedError } from '../dashboards/grafana-client';
import { PublishError, publish, writes } from '../dashboards/publisher';
import { MANAGED_TAG, deployAnnotationTags } from '../dashboards/panels';
import { FakeGrafana } from './support/fake-grafana';
import { TEST_ACCOUNT_IDS } from './support/accounts';
import { runTdr } from './support/cli';
import { alertingEntryCount, fakeAlertingSecrets } from './support/alerting';

const COMMIT = '0123456789abcdef0123456789abcdef01234567';
const SECRETS = fakeAlertingSecrets(generate(loadPlatform({})).alerting);

describe('dashboards publish (fake Grafana over HTTP)', () => {
  let grafana: FakeGrafana;
  let set: GeneratedSet;
  const client = (token = grafana.token) => new GrafanaClient({ url: grafana.url, token, retryDelayMs: 5 });

  before(() => {
    set = generate(loadPlatform({}), TEST_ACCOUNT_IDS);
  });
  beforeEach(async () => {
    grafana = await FakeGrafana.start();
  });
  afterEach(async () => {
    await grafana.stop();
  });

  it('creates every folder and dashboard in an empty Grafana, with the commit in each version message', async () => {
    const report = await publish(client(), set, { commit: COMMIT, secrets: SECRETS });

    expect(report.entries.filter((e) => e.kind === 'folder').map((e) => e.action)).to.deep.equal(
      set.folders.map(() => 'created'),
    );
    expect(report.entries.filter((e) => e.kind === 'dashboard' && e.action === 'created')).to.have.length(
      set.dashboards.length,
    );
    expect([...grafana.folders.keys()].sort()).to.deep.equal(set.folders.map((f) => f.uid).sort());
    for (const d of set.dashboards) {
      const stored = grafana.dashboards.get(d.uid);
      expect(stored, d.uid).to.not.equal(undefined);
      expect(stored!.folderUid).to.equal(d.folderUid);
      expect(stored!.messages).to.deep.equal([`tdr dashboards publish from commit ${COMMIT}`]);
      expect(stored!.dashboard.tags).to.include(MANAGED_TAG);
    }
  });

  it('writes nothing on a second publish of unchanged dashboards', async () => {
    await publish(client(), set, { commit: COMMIT, secrets: SECRETS });
    const before = grafana.requests.length;

    const report = await publish(client(), set, { commit: 'another-commit', secrets: SECRETS });

    const second = grafana.requests.slice(before);
    expect(
      second.filter((r) => r.method !== 'GET'),
      'write requests',
    ).to.deep.equal([]);
    expect(report.entries.every((e) => e.action === 'unchanged')).to.equal(true);
    expect(report.entries).to.have.length(
      set.datasources.length + set.folders.length + set.dashboards.length + alertingEntryCount(set.alerting),
    );
  });

  it('re-saves only a dashboard edited in Grafana, passing the version it read', async () => {
    await publish(client(), set, { commit: COMMIT, secrets: SECRETS });
    const target = set.dashboards[1]!;
    const stored = grafana.dashboards.get(target.uid)!;
    stored.dashboard = { ...stored.dashboard, title: 'edited by hand', version: 7 };

    const report = await publish(client(), set, { commit: 'c2', secrets: SECRETS });

    expect(writes(report)).to.deep.equal([
      { kind: 'dashboard', uid: target.uid, title: target.title, action: 'updated' },
    ]);
    const save = grafana.writes().at(-1)!;
    expect(save.path).to.equal('/api/dashboards/db');
    expect(save.body).to.deep.include({ folderUid: target.folderUid, overwrite: false });
    expect((save.body as { dashboard: { version: number } }).dashboard.version).to.equal(7);
    expect(grafana.dashboards.get(target.uid)!.dashboard.title).to.equal(target.title);
    expect(grafana.dashboards.get(target.uid)!.messages.at(-1)).to.equal(
      'tdr dashboards publish from commit c2',
    );
  });

  it('moves a dashboard found in the wrong folder, and renames a folder whose title drifted', async () => {
    await publish(client(), set, { commit: COMMIT, secrets: SECRETS });
    const moved = set.dashboards[0]!;
    grafana.dashboards.get(moved.uid)!.folderUid = '';
    const folder = set.folders[0]!;
    grafana.folders.get(folder.uid)!.title = 'renamed by hand';

    const report = await publish(client(), set, { commit: COMMIT, secrets: SECRETS });

    expect(writes(report).map((e) => `${e.kind} ${e.uid} ${e.action}`)).to.deep.equal([
      `folder ${folder.uid} updated`,
      `dashboard ${moved.uid} updated`,
    ]);
    expect(grafana.folders.get(folder.uid)!.title).to.equal(folder.title);
    expect(grafana.dashboards.get(moved.uid)!.folderUid).to.equal(moved.folderUid);
  });

  it('creates only the folder Grafana answers 404 for', async () => {
    for (const f of set.folders.slice(1)) grafana.seedFolder(f.uid, f.title);

    const report = await publish(client(), set, { commit: COMMIT, secrets: SECRETS });

    const folderGets = grafana.requests.filter(
      (r) => r.method === 'GET' && r.path.startsWith('/api/folders/'),
    );
    expect(folderGets).to.have.length(set.folders.length);
    expect(report.entries.filter((e) => e.kind === 'folder').map((e) => e.action)).to.deep.equal([
      'created',
      ...set.folders.slice(1).map(() => 'unchanged'),
    ]);
    expect(grafana.writes().filter((r) => r.path === '/api/folders')).to.have.length(1);
  });

  it('removes managed dashboards that are no longer generated and leaves hand-made ones alone', async () => {
    grafana.seedDashboard({ uid: 'tdr-intg-retired', title: 'Retired', tags: [MANAGED_TAG, 'intg'] });
    grafana.seedDashboard({ uid: 'hand-made', title: 'Made by hand', tags: ['ops'] });

    const report = await publish(client(), set, { commit: COMMIT, secrets: SECRETS });

    expect(report.entries.filter((e) => e.action === 'removed')).to.deep.equal([
      { kind: 'dashboard', uid: 'tdr-intg-retired', title: 'Retired', action: 'removed' },
    ]);
    expect(grafana.dashboards.has('tdr-intg-retired')).to.equal(false);
    expect(grafana.dashboards.has('hand-made')).to.equal(true);
  });

  it('--dry-run reports creations and removals without writing anything', async () => {
    grafana.seedDashboard({ uid: 'tdr-intg-retired', title: 'Retired', tags: [MANAGED_TAG] });

    const report = await publish(client(), set, { commit: COMMIT, dryRun: true, secrets: SECRETS });

    expect(report.dryRun).to.equal(true);
    expect(grafana.writes()).to.deep.equal([]);
    expect(report.entries.filter((e) => e.action === 'created')).to.have.length(
      set.datasources.length +
        set.folders.length +
        set.dashboards.length +
        set.alerting.contactPoints.length +
        set.alerting.ruleGroups.length,
    );
    expect(report.entries.filter((e) => e.action === 'removed').map((e) => e.uid)).to.deep.equal([
      'tdr-intg-retired',
    ]);
  });

  it('a bad token fails before anything is written, and the token appears nowhere', async () => {
    const err = await publish(client('glsa_wrong_token_value'), set, {
      commit: COMMIT,
      secrets: SECRETS,
    }).then(
      () => expect.fail('publish succeeded with a bad token'),
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(PublishError);
    const e = err as PublishError;
    expect(e.message).to.match(/before writing anything/);
    expect(e.message).to.match(/401/);
    expect(e.message).to.match(/nothing had been written/);
    expect(e.message).to.not.include('glsa_wrong_token_value');
    expect(e.kind).to.equal('failed');
    expect(grafana.writes()).to.deep.equal([]);
  });

  it('a 412 version mismatch names the dashboard and reports what was already written', async () => {
    const victim = set.dashboards[2]!;
    grafana.inject({
      method: 'POST',
      path: /^\/api\/dashboards\/db$/,
      when: savesOf(victim.uid),
      status: 412,
      body: { message: 'The dashboard has been changed by someone else', status: 'version-mismatch' },
    });

    const err = (await publish(client(), set, { commit: COMMIT, secrets: SECRETS }).catch(
      (e: unknown) => e,
    )) as PublishError;

    expect(err).to.be.instanceOf(PublishError);
    expect(err.failed).to.deep.equal({ kind: 'dashboard', uid: victim.uid, title: victim.title });
    expect(err.message).to.include(`dashboard ${victim.uid}`);
    expect(err.message).to.include('version-mismatch');
    const written = writes(err.report).map((e) => `${e.kind} ${e.uid} ${e.action}`);
    expect(written).to.deep.equal([
      ...set.datasources.map((d) => `datasource ${d.uid} created`),
      ...set.folders.map((f) => `folder ${f.uid} created`),
      `dashboard ${set.dashboards[0]!.uid} created`,
      `dashboard ${set.dashboards[1]!.uid} created`,
    ]);
    for (const w of written) expect(err.message).to.include(w);
    expect([...grafana.dashboards.keys()]).to.deep.equal([set.dashboards[0]!.uid, set.dashboards[1]!.uid]);
  });

  it('a title clash Grafana rejects (412 name-exists) names the dashboard', async () => {
    const victim = set.dashboards[0]!;
    grafana.seedFolder(victim.folderUid, set.folders.find((f) => f.uid === victim.folderUid)!.title);
    grafana.seedDashboard({ uid: 'hand-made-copy', title: victim.title, tags: [] }, victim.folderUid);

    const err = (await publish(client(), set, { commit: COMMIT, secrets: SECRETS }).catch(
      (e: unknown) => e,
    )) as PublishError;

    expect(err).to.be.instanceOf(PublishError);
    expect(err.failed.uid).to.equal(victim.uid);
    expect(err.message).to.match(/name-exists/);
  });

  it('retries 5xx answers and then succeeds', async () => {
    const victim = set.dashboards[3]!;
    grafana.inject({
      method: 'POST',
      path: /^\/api\/dashboards\/db$/,
      when: savesOf(victim.uid),
      status: 503,
      times: 2,
    });
    grafana.inject({ method: 'GET', path: /^\/api\/search/, status: 502, times: 1 });

    const report = await publish(client(), set, { commit: COMMIT, secrets: SECRETS });

    expect(report.entries.find((e) => e.uid === victim.uid)!.action).to.equal('created');
    const saves = grafana.requests.filter((r) => r.method === 'POST' && savesOf(victim.uid)(r.body));
    expect(saves).to.have.length(3);
    expect(grafana.requests.filter((r) => r.path.startsWith('/api/search'))).to.have.length(2);
    expect(grafana.dashboards.get(victim.uid)!.dashboard.version).to.equal(1);
  });

  it('gives up after the retries with an error naming the dashboard and the attempts', async () => {
    const victim = set.dashboards[1]!;
    grafana.inject({
      method: 'POST',
      path: /^\/api\/dashboards\/db$/,
      when: savesOf(victim.uid),
      status: 500,
      times: 99,
    });

    const err = (await publish(client(), set, { commit: COMMIT, secrets: SECRETS }).catch(
      (e: unknown) => e,
    )) as PublishError;

    expect(err).to.be.instanceOf(PublishError);
    expect(err.message).to.include(`saving dashboard ${victim.uid}`);
    expect(err.message).to.match(/500 .* after 4 attempts/);
    expect(grafana.requests.filter((r) => r.method === 'POST' && savesOf(victim.uid)(r.body))).to.have.length(
      4,
    );
  });

  it('a save whose answer was lost (5xx after storing) is retried without a false conflict', async () => {
    const victim = set.dashboards[0]!;
    grafana.inject({
      method: 'POST',
      path: /^\/api\/dashboards\/db$/,
      when: savesOf(victim.uid),
      status: 502,
      afterApplying: true,
    });

    const report = await publish(client(), set, { commit: COMMIT, secrets: SECRETS });

    // The retry met 412 version-mismatch (the first save had landed); the re-read showed our model.
    expect(report.entries.find((e) => e.uid === victim.uid)!.action).to.equal('created');
    expect(grafana.requests.filter((r) => r.method === 'POST' && savesOf(victim.uid)(r.body))).to.have.length(
      2,
    );
    expect(grafana.dashboards.get(victim.uid)!.dashboard.version).to.equal(1);
  });

  it('an unreachable Grafana fails before writing, naming the URL', async () => {
    const url = grafana.url;
    await grafana.stop();
    const err = (await publish(new GrafanaClient({ url, token: 't', retries: 1, retryDelayMs: 5 }), set, {
      commit: COMMIT,
    }).catch((e: unknown) => e)) as PublishError;
    grafana = await FakeGrafana.start();

    expect(err).to.be.instanceOf(PublishError);
    expect(err.message).to.include(url);
    expect(err.message).to.match(/did not answer after 2 attempts \(ECONNREFUSED\)/);
    expect(err.message).to.match(/nothing had been written/);
  });
});

describe('GrafanaClient.createAnnotation (fake Grafana over HTTP)', () => {
  let grafana: FakeGrafana;
  beforeEach(async () => {
    grafana = await FakeGrafana.start();
  });
  afterEach(async () => {
    await grafana.stop();
  });

  it('posts a deploy annotation and returns its id', async () => {
    const client = new GrafanaClient({ url: grafana.url, token: grafana.token });
    const tags = deployAnnotationTags('frontend', 'intg', 'v42');

    const { id } = await client.createAnnotation({
      time: 1_700_000_000_000,
      tags,
      text: 'frontend v42 deployed',
    });

    expect(grafana.annotations).to.deep.equal([
      {
        id,
        time: 1_700_000_000_000,
        tags: ['deploy', 'frontend', 'intg', 'v42'],
        text: 'frontend v42 deployed',
      },
    ]);
    expect(grafana.requests[0]!.authorization).to.equal(`Bearer ${grafana.token}`);
  });

  it('maps 401 to GrafanaUnauthorisedError that says what was attempted', async () => {
    const client = new GrafanaClient({ url: grafana.url, token: 'nope-secret' });
    const err = await client
      .createAnnotation({ time: 1, tags: ['deploy'], text: 'x' })
      .catch((e: unknown) => e);
    expect(err).to.be.instanceOf(GrafanaUnauthorisedError);
    expect((err as Error).message).to.match(/^adding annotation "x": Grafana refused the token \(401/);
    expect((err as Error).message).to.not.include('nope-secret');
  });
});

describe('tdr dashboards publish (CLI against fake Grafana)', () => {
  let grafana: FakeGrafana;
  beforeEach(async () => {
    grafana = await FakeGrafana.start();
  });
  afterEach(async () => {
    await grafana.stop();
  });
  const env = (token: string | undefined) => ({
    ...cleanEnv(),
    ...SECRETS,
    GRAFANA_TOKEN: token,
    GIT_COMMIT: COMMIT,
    TDR_ACCOUNT_IDS: JSON.stringify(TEST_ACCOUNT_IDS),
  });

  it('publishes, then reports everything unchanged on a second run', async () => {
    const first = await runTdr(['dashboards', 'publish', '--url', grafana.url], env(grafana.token));
    expect(first.code, first.stderr).to.equal(0);
    expect(first.stdout).to.match(/^ACTION\s+KIND\s+UID\s+TITLE/);
    expect(first.stdout).to.match(/created\s+dashboard\s+tdr-prod-services-overview/);

    const second = await runTdr(
      ['-o', 'json', 'dashboards', 'publish', '--url', grafana.url],
      env(grafana.token),
    );
    expect(second.code, second.stderr).to.equal(0);
    const report = JSON.parse(second.stdout) as { entries: Array<{ action: string }> };
    expect(new Set(report.entries.map((e) => e.action))).to.deep.equal(new Set(['unchanged']));
    expect(second.stderr).to.match(/0 created, 0 updated, \d+ unchanged, 0 removed/);
  });

  it('without GIT_COMMIT, records the checkout’s HEAD in each version message', async () => {
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
    const { GIT_COMMIT: _g, ...withoutCommit } = env(grafana.token);
    const r = await runTdr(['dashboards', 'publish', '--url', grafana.url], withoutCommit);
    expect(r.code, r.stderr).to.equal(0);
    const messages = [...grafana.dashboards.values()].map((d) => d.messages.at(-1));
    expect(new Set(messages)).to.deep.equal(new Set([`tdr dashboards publish from commit ${head}`]));
  });

  it('--dry-run writes nothing', async () => {
    const r = await runTdr(['dashboards', 'publish', '--url', grafana.url, '--dry-run'], env(grafana.token));
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/created \(dry run\)\s+folder\s+tdr-intg/);
    expect(grafana.writes()).to.deep.equal([]);
  });

  it('a bad token exits 1 with a clear error and never prints the token', async () => {
    const r = await runTdr(['dashboards', 'publish', '--url', grafana.url], env('glsa_do_not_print_me'));
    expect(r.code).to.equal(1);
    expect(r.stderr).to.match(/error: publishing to .* failed before writing anything: .*401/);
    expect(r.stdout + r.stderr).to.not.include('glsa_do_not_print_me');
  });

  it('a rejected dashboard exits 1 and prints the folders and dashboards already written', async () => {
    grafana.inject({
      method: 'POST',
      path: /^\/api\/dashboards\/db$/,
      when: savesOf('tdr-intg-transfers'),
      status: 400,
      body: { message: 'bad panel' },
    });
    const r = await runTdr(['dashboards', 'publish', '--url', grafana.url], env(grafana.token));
    expect(r.code).to.equal(1);
    expect(r.stderr).to.include('at dashboard tdr-intg-transfers');
    expect(r.stderr).to.include('Grafana rejected it (400 bad panel)');
    expect(r.stdout).to.match(/created\s+folder\s+tdr-intg/);
    expect(r.stdout).to.match(/created\s+dashboard\s+tdr-intg-services-overview/);
  });

  it('without GRAFANA_TOKEN or with a malformed URL exits 2 and calls nothing', async () => {
    const noToken = await runTdr(['dashboards', 'publish', '--url', grafana.url], env(undefined));
    expect(noToken.code).to.equal(2);
    expect(noToken.stderr).to.match(/GRAFANA_TOKEN is not set/);
    const badUrl = await runTdr(['dashboards', 'publish', '--url', 'grafana.example'], env('t'));
    expect(badUrl.code).to.equal(2);
    expect(badUrl.stderr).to.match(/--url grafana.example is not an http\(s\) URL/);
    expect(grafana.requests).to.deep.equal([]);
  });
});

function savesOf(uid: string) {
  return (body: unknown) => (body as { dashboard?: { uid?: string } }).dashboard?.uid === uid;
}

function cleanEnv(): Record<string, string | undefined> {
  const { TDR_CONFIG: _c, TDR_ACCOUNT_IDS: _a, GRAFANA_TOKEN: _t, ...rest } = process.env;
  return rest;
}
