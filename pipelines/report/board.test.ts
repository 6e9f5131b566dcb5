/** The board's data from a scenario whose answers are known by construction. */
import { expect } from 'chai';
import { DEFAULT_CATALOGUE } from '../../services/catalogue';
import { loadPlatform } from '../../services/config';
import { ecsServices, namesOfKind } from '../../services/queries';
import { LedgerBuilder, digestOfVersion } from '../../test/support/ledger-records';
import {
  MAINTENANCE_OFF,
  SCENARIO_FACTS,
  SCENARIO_NOW,
  XSS,
  scenarioInput,
} from '../../test/support/report-scenario';
import { boardModelOf, buildBoard, promoteCommand, type BoardData } from './board';
import { formatDays } from './format';
import { recordsOf } from './runs';
import type { ReleaseRecord } from '../release/ledger/ledger';

function cell(board: BoardData, service: string, env: string) {
  const c = board.rows.find((r) => r.service === service)?.cells.find((x) => x.env === env);
  if (!c) throw new Error(`no cell ${service} × ${env}`);
  return c;
}
const texts = (c: { badges: readonly { text: string }[] }) => c.badges.map((b) => b.text);

describe('release board data', () => {
  const board = buildBoard(scenarioInput());

  it('derives its model from the platform: every ECS service and every Lambda function × the promotion path in order', () => {
    const model = boardModelOf(loadPlatform({}));
    const functions = namesOfKind(DEFAULT_CATALOGUE, 'lambda');
    expect(functions.length).to.be.above(0);
    expect(model.services).to.deep.equal([
      ...ecsServices(DEFAULT_CATALOGUE).map(([name]) => ({ name, kind: 'service' })),
      ...functions.map((name) => ({ name, kind: 'function' })),
    ]);
    expect(model.environments).to.deep.equal([
      { name: 'intg', source: null },
      { name: 'staging', source: 'intg' },
      { name: 'prod', source: 'staging' },
    ]);
  });

  it('a lagging environment says by how many versions and days, and the command waits for it', () => {
    const { service, env, behindBy, of, days, waits } = SCENARIO_FACTS.lagging;
    const c = cell(board, service, env);
    expect(c.current).to.deep.include({ version: 'v10', by: 'alice', approver: 'carol' });
    expect(c.behind).to.deep.include({ of, versions: behindBy });
    expect(formatDays(c.behind?.days ?? 0)).to.equal(days);
    expect(c.tone).to.equal('warn');
    expect(texts(c)).to.deep.equal([`behind staging by 2 versions, ${days}`]);
    const w = board.waiting.find((x) => x.service === service && x.to === env);
    expect(w).to.deep.include({
      from: 'staging',
      version: waits,
      versionsBehind: 2,
      command: 'tdr promote --service frontend --to prod --version v12',
      jenkinsUrl: 'https://jenkins.example/job/promote-frontend-prod/',
      lastAttemptFailed: false,
    });
    expect(w?.waitingDays).to.be.closeTo(1 - 4 / 1440, 1e-9);
  });

  it('an environment level with the one before is up to date and waits for nothing', () => {
    const c = cell(board, 'frontend', 'staging');
    expect(c.behind).to.deep.include({ of: 'intg', versions: 0, days: null, newest: null });
    expect(texts(c)).to.deep.equal(['up to date']);
    expect(c.tone).to.equal('good');
    expect(board.waiting.filter((w) => w.service === 'frontend').map((w) => w.to)).to.deep.equal(['prod']);
  });

  it('drift: the runtime runs another digest than the ledger says, named by version', () => {
    const c = cell(board, SCENARIO_FACTS.drifted.service, SCENARIO_FACTS.drifted.env);
    expect(c.drift).to.have.length(1);
    expect(c.drift[0]).to.match(/^the runtime runs v4 \(sha256:[0-9a-f]{12}\); the ledger says v5 \(sha256:/);
    expect(c.tone).to.equal('bad');
    expect(texts(c)).to.include('drift: runtime differs from ledger');
  });

  it('an open run and a held lease show, and the failed prod release waits with its failure noted', () => {
    const staging = cell(board, 'keycloak', 'staging');
    expect(staging.openRuns).to.have.length(1);
    expect(staging.lease).to.deep.include({ holder: 'bob', expired: false });
    expect(texts(staging)).to.include.members(['release running: v3 by bob', 'lease held by bob']);
    const prod = cell(board, 'keycloak', 'prod');
    expect(prod.current?.version).to.equal('v1');
    expect(prod.lastOutcome).to.deep.include({ outcome: 'rolled_back', version: 'v2' });
    expect(texts(prod)[0]).to.equal('last release rolled back: v2');
    expect(board.waiting.find((w) => w.service === 'keycloak' && w.to === 'prod')).to.deep.include({
      version: 'v2',
      lastAttemptFailed: true,
    });
  });

  it("an open progressive run shows its newest stage record's stage, split and bake left (no request more)", () => {
    const input = scenarioInput();
    const records = recordsOf(input.ledgers, 'keycloak', 'staging');
    const open = records
      .filter((r): r is ReleaseRecord => r.kind === 'release' && r.outcome === 'started')
      .at(-1)!;
    const stage = {
      at: '2026-11-25T10:05:00.000Z',
      stage: 'PRODUCTION_TRAFFIC_SHIFT',
      status: 'IN_PROGRESS',
      production: 10,
      test: 100,
      bakeLeftSeconds: 840,
      awaitingApproval: false,
    };
    const seq = Math.max(...records.map((r) => r.seq)) + 1;
    const ledgers = {
      ...input.ledgers,
      keycloak: {
        ...input.ledgers.keycloak,
        staging: [...records, { ...open, seq, stage, stages: [stage] }],
      },
    };
    const c = cell(buildBoard({ ...input, ledgers }), 'keycloak', 'staging');
    expect(c.openRuns).to.have.length(1);
    expect(c.openRuns[0]!.stage).to.deep.equal(stage);
    expect(texts(c)).to.include(
      'release running: v3 by bob — PRODUCTION_TRAFFIC_SHIFT (IN_PROGRESS): production 10%, test 100%, bake ~840 s left at 2026-11-25T10:05:00.000Z',
    );
    // A run with no stage (rolling) reads as before.
    expect(cell(board, 'keycloak', 'staging').openRuns[0]!.stage).to.equal(undefined);
  });

  it('a service never deployed anywhere: no drift when the runtime has none either, nothing waits', () => {
    for (const env of ['intg', 'staging', 'prod']) {
      const c = cell(board, 'transferservice', env);
      expect(c).to.deep.include({ current: null, lastOutcome: null, drift: [], tone: 'none' });
      expect(texts(c)).to.deep.equal(['never deployed']);
    }
    expect(board.waiting.filter((w) => w.service === 'transferservice')).to.deep.equal([]);
  });

  it('history is newest first, one entry per run, with approver, gates, checks, duration and build link', () => {
    const [newest] = cell(board, 'frontend', 'intg').history;
    expect(newest).to.deep.include({ outcome: 'failed', version: `v13${XSS}`, reason: `because ${XSS}` });
    const prod = cell(board, 'frontend', 'prod').history;
    expect(prod).to.have.length(1);
    expect(prod[0]).to.deep.include({
      action: 'promote',
      approver: 'carol',
      sourceEnv: 'staging',
      durationSeconds: 240,
    });
    expect(prod[0]?.gates.map((g) => g.gate)).to.deep.equal(['order', 'e2e']);
    const staging = cell(board, 'frontend', 'staging').history[0];
    expect(staging?.checks).to.deep.equal([{ name: 'e2e', env: 'staging', result: 'passed' }]);
    expect(cell(board, 'frontend', 'intg').history[1]?.buildUrl).to.equal(
      'https://jenkins.example/job/frontend/12/',
    );
  });

  it('counts what needs attention, and carries the metrics', () => {
    expect(board.summary).to.deep.equal({
      services: 4,
      waiting: 2,
      drifted: 1,
      failed: 2,
      openRuns: 1,
      leases: 1,
      inMaintenance: 1,
      maintenanceDrifted: 1,
      trainsInFlight: 0,
      rejected: 0,
    });
    expect(board.generatedAt).to.equal(SCENARIO_NOW.toISOString());
    expect(board.metrics.windowsDays).to.deep.equal([30, 90]);
    expect(board.metrics.overall.windows[0]).to.deep.include({
      deployments: SCENARIO_FACTS.metrics30.deployments,
    });
  });

  it('a runtime that could not be asked is shown as unknown, not as drift; an expired lease says so', () => {
    const input = scenarioInput();
    const b = buildBoard({
      ...input,
      live: () => ({ state: 'unknown', reason: 'AccessDenied' }),
      leases: input.leases.map((l) => ({
        ...l,
        expiresAt: new Date(SCENARIO_NOW.getTime() - 1).toISOString(),
      })),
    });
    const c = cell(b, 'consignmentapi', 'prod');
    expect(c.drift).to.deep.equal([]);
    expect(texts(c)).to.deep.equal(['runtime unknown (AccessDenied)']);
    expect(texts(cell(b, 'keycloak', 'staging'))).to.include('expired lease of bob');
    expect(b.summary.leases).to.equal(0);
  });

  it('the runtime running a digest the ledger never released is drift too', () => {
    const input = scenarioInput();
    const b = buildBoard({
      ...input,
      live: (s) => ({ state: 'running', digest: s === 'transferservice' ? digestOfVersion(s, 'v99') : null }),
    });
    expect(cell(b, 'transferservice', 'intg').drift[0]).to.match(
      /^the runtime runs sha256:\w{12}, which the ledger has no release of$/,
    );
    expect(cell(b, 'frontend', 'intg').drift[0]).to.match(
      /^the runtime runs an image not pinned to a digest;/,
    );
  });

  it('an empty ledger and no services give an empty board', () => {
    const b = buildBoard({
      model: { services: [], environments: [] },
      ledgers: {},
      live: () => undefined,
      leases: [],
      maintenance: () => undefined,
      now: SCENARIO_NOW,
    });
    expect(b.rows).to.deep.equal([]);
    expect(b.waiting).to.deep.equal([]);
    expect(b.summary).to.deep.equal({
      services: 0,
      waiting: 0,
      drifted: 0,
      failed: 0,
      openRuns: 0,
      leases: 0,
      inMaintenance: 0,
      maintenanceDrifted: 0,
      trainsInFlight: 0,
      rejected: 0,
    });
    expect(b.trains).to.deep.equal([]);
    expect(b.rejections).to.deep.equal([]);
  });

  it('carries each environment’s maintenance switch: on with who, when, why and the command; off; drifted', () => {
    const m = SCENARIO_FACTS.maintenance;
    const env = (name: string) => {
      const e = board.environments.find((x) => x.name === name);
      if (!e) throw new Error(`no environment ${name}`);
      return e.maintenance;
    };
    expect(env(m.env)).to.deep.include({
      on: true,
      since: m.since,
      by: m.by,
      reason: m.reason,
      seq: m.seq,
      listener: true,
      drift: [],
      tone: 'warn',
      endCommand: m.command,
      historyCommand: 'tdr history --env staging --service maintenance',
    });
    expect(texts(env(m.env))).to.deep.equal(['in maintenance']);
    expect(env('intg')).to.deep.include({ on: false, tone: 'none', badges: [], endCommand: null });
    const drifted = env(SCENARIO_FACTS.maintenanceDrift.env);
    expect(drifted).to.deep.include({ on: false, listener: true, tone: 'bad', endCommand: null });
    expect(drifted.drift).to.deep.equal([SCENARIO_FACTS.maintenanceDrift.drift]);
    expect(texts(drifted)).to.deep.equal(['drift: maintenance switch differs from the listener']);
    // The switch is the environment's, not a release's: the cells' own tones and badges are untouched.
    expect(cell(board, 'frontend', 'staging').tone).to.equal('good');
  });

  it('a maintenance switch not asked or not read is unknown, not off; one with no outcome says so', () => {
    const input = scenarioInput();
    const b = buildBoard({
      ...input,
      maintenance: (env) =>
        env === 'intg'
          ? undefined
          : env === 'staging'
            ? { ...MAINTENANCE_OFF, listener: null, problems: ['listener could not be read: AccessDenied'] }
            : { ...MAINTENANCE_OFF, unsettled: [7] },
    });
    const [intg, staging, prod] = b.environments.map((e) => e.maintenance);
    expect(intg).to.deep.include({ on: false, tone: 'warn', problems: ['not asked'] });
    expect(texts(staging!)).to.deep.equal([
      'maintenance switch unknown (listener could not be read: AccessDenied)',
    ]);
    expect(texts(prod!)).to.deep.equal(['maintenance switch without an outcome (ledger #7)']);
    expect(prod?.tone).to.equal('info');
    expect(b.summary).to.deep.include({ inMaintenance: 0, maintenanceDrifted: 0 });
  });

  it('a version just rolled back from prod does not wait to be promoted there again, and the cell says so', () => {
    const b = new LedgerBuilder();
    const day = (n: number) => new Date(SCENARIO_NOW.getTime() - (10 - n) * 86_400_000);
    for (const [i, v] of ['v1', 'v2'].entries()) {
      b.run({ service: 'frontend', env: 'intg', version: v, at: day(i), outcome: 'succeeded' });
      b.run({ service: 'frontend', env: 'staging', version: v, at: day(i + 1), outcome: 'succeeded' });
      b.run({ service: 'frontend', env: 'prod', version: v, at: day(i + 2), outcome: 'succeeded' });
    }
    b.run({
      service: 'frontend',
      env: 'prod',
      version: 'v1',
      action: 'rollback',
      at: day(5),
      outcome: 'succeeded',
    });
    const data = buildBoard({
      ...scenarioInput(),
      model: { ...scenarioInput().model, services: [{ name: 'frontend', kind: 'service' }] },
      ledgers: b.ledgers,
      live: () => undefined,
    });
    const prod = cell(data, 'frontend', 'prod');
    expect(prod.current?.version).to.equal('v1');
    expect(prod.behind?.newest).to.deep.include({ version: 'v2' });
    expect(prod.behind?.newest?.rolledBackHere).to.deep.include({ to: 'v1' });
    expect(data.waiting.filter((w) => w.to === 'prod')).to.deep.equal([]);
    expect(texts(prod).some((t) => t.startsWith('v2 was rolled back here to v1'))).to.equal(true);
    // Promoted again after the fix went in upstream: it waits as usual.
    b.run({ service: 'frontend', env: 'intg', version: 'v3', at: day(6), outcome: 'succeeded' });
    b.run({ service: 'frontend', env: 'staging', version: 'v3', at: day(7), outcome: 'succeeded' });
    const later = buildBoard({
      ...scenarioInput(),
      model: { ...scenarioInput().model, services: [{ name: 'frontend', kind: 'service' }] },
      ledgers: b.ledgers,
      live: () => undefined,
    });
    expect(later.waiting.filter((w) => w.to === 'prod').map((w) => w.version)).to.deep.equal(['v3']);
  });

  it('formats the promote command and ages for people', () => {
    expect(promoteCommand('keycloak', 'prod', 'v2')).to.equal(
      'tdr promote --service keycloak --to prod --version v2',
    );
    expect([0.25, 1, 1.04, 2.5].map(formatDays)).to.deep.equal(['6 h', '1 day', '1 day', '2.5 days']);
  });
});
