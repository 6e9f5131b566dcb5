/** Delivery metrics on hand-built ledgers whose answers are worked out by hand below. */
import { expect } from 'chai';
import { LedgerBuilder } from '../../test/support/ledger-records';
import { deliveryMetrics, type SubjectMetrics, type WindowMetrics } from './metrics';
import { BASELINE_REASON } from '../release/ledger/ledger-records';
import { DAY_MS, releaseRuns, type ServiceRuns } from './runs';
import type { RejectionRecord } from '../release/ledger/ledger';

/** A rejection in force (`tdr reject`), as admin/reject.ts `rejections` gives it. */
function rejectionOf(service: string, version: string): RejectionRecord {
  return {
    schema: 1,
    seq: 1,
    kind: 'rejection',
    service,
    env: 'rejections',
    version,
    digest: '',
    actor: 'carol',
    recordedAt: NOW.toISOString(),
    action: 'reject',
    reason: 'broke uploads',
    approver: 'carol',
    identity: 'arn:aws:sts::111111111111:assumed-role/tdr-approver/carol',
  };
}

const NOW = new Date('2026-06-30T12:00:00Z');
const ago = (days: number) => new Date(NOW.getTime() - days * DAY_MS);
const OPTIONS = { firstEnv: 'intg', prodEnv: 'prod', now: NOW };

function window(subject: SubjectMetrics | undefined, days: number): WindowMetrics {
  const w = subject?.windows.find((x) => x.days === days);
  if (!w) throw new Error(`no ${days}-day window`);
  return w;
}

/**
 * frontend: v1 (intg -50d, prod -48d: 48 h), v2 (-20d, -19d: 24 h), v3 rolled back in prod at -9d,
 * v4 (-8d, -7d: 24 h, restores v3's failure after 48 h), v5 (-3d, -2d: 24 h) undone by a rollback at -1d.
 * keycloak: v7 promoted at -5d with a digest intg never had, redeployed at -4d; v8 failed in prod at
 * -2d and nothing succeeded since; v9 still running in prod.
 * transferservice: never deployed anywhere.
 */
function scenario(): LedgerBuilder {
  const b = new LedgerBuilder();
  const ship = (
    service: string,
    version: string,
    intgDaysAgo: number,
    prodDaysAgo: number,
    outcome = 'succeeded',
  ) => {
    b.run({ service, env: 'intg', version, at: ago(intgDaysAgo), outcome: 'succeeded', minutes: 0 });
    b.run({
      service,
      env: 'prod',
      version,
      at: ago(prodDaysAgo),
      outcome: outcome as 'succeeded',
      minutes: 0,
    });
  };
  ship('frontend', 'v1', 50, 48);
  ship('frontend', 'v2', 20, 19);
  ship('frontend', 'v3', 10, 9, 'rolled_back');
  ship('frontend', 'v4', 8, 7);
  ship('frontend', 'v5', 3, 2);
  b.run({
    service: 'frontend',
    env: 'prod',
    version: 'v4',
    action: 'rollback',
    at: ago(1),
    outcome: 'succeeded',
  });

  b.run({
    service: 'keycloak',
    env: 'prod',
    version: 'v7',
    at: ago(5),
    outcome: 'succeeded',
    digest: 'sha256:77',
  });
  b.run({
    service: 'keycloak',
    env: 'prod',
    version: 'v7',
    at: ago(4),
    outcome: 'succeeded',
    digest: 'sha256:77',
  });
  ship('keycloak', 'v8', 3, 2, 'failed');
  b.run({ service: 'keycloak', env: 'prod', version: 'v9', at: ago(0.5), outcome: null });
  return b;
}

const SERVICES = ['frontend', 'keycloak', 'transferservice'];

describe('delivery metrics', () => {
  const m = deliveryMetrics(scenario().ledgers, { ...OPTIONS, services: SERVICES });
  const of = (service: string) => m.services.find((s) => s.service === service);

  it('frontend over 30 days: frequency, lead time, failure rate (an undone release counts), restore', () => {
    expect(window(of('frontend'), 30)).to.deep.equal({
      days: 30,
      deployments: 3,
      deploymentsPerWeek: 3 / (30 / 7),
      leadTime: { count: 3, medianHours: 24, p90Hours: 24, unmatched: 0 },
      changeFailure: { changes: 4, failures: 2, rate: 0.5 },
      // v3's failure restored by v4 after 48 h; v5, undone, restored by the rollback 24 h 5 min later.
      timeToRestore: { count: 2, medianHours: (48 + 24 + 5 / 60) / 2, p90Hours: 48, open: 0 },
    });
  });

  it('frontend over 90 days takes in the older release (p90 is the nearest rank)', () => {
    const w = window(of('frontend'), 90);
    expect(w.deployments).to.equal(4);
    expect(w.leadTime).to.deep.equal({ count: 4, medianHours: 24, p90Hours: 48, unmatched: 0 });
    expect(w.changeFailure).to.deep.equal({ changes: 5, failures: 2, rate: 0.4 });
  });

  it('a digest intg never had has no lead time, a redeploy is no new change, an open failure has no restore', () => {
    expect(window(of('keycloak'), 30)).to.deep.equal({
      days: 30,
      deployments: 2,
      deploymentsPerWeek: 2 / (30 / 7),
      leadTime: { count: 0, medianHours: null, p90Hours: null, unmatched: 1 },
      changeFailure: { changes: 3, failures: 1, rate: 1 / 3 },
      timeToRestore: { count: 0, medianHours: null, p90Hours: null, open: 1 },
    });
  });

  it('a service never deployed anywhere has zeros and no rates', () => {
    for (const days of [30, 90]) {
      expect(window(of('transferservice'), days)).to.deep.equal({
        days,
        deployments: 0,
        deploymentsPerWeek: 0,
        leadTime: { count: 0, medianHours: null, p90Hours: null, unmatched: 0 },
        changeFailure: { changes: 0, failures: 0, rate: null },
        timeToRestore: { count: 0, medianHours: null, p90Hours: null, open: 0 },
      });
    }
    expect(of('transferservice')?.weekly.every((w) => w.deployments === 0 && w.changes === 0)).to.equal(true);
  });

  it('overall pools every service', () => {
    const w = window(m.overall, 30);
    expect(m.overall.service).to.equal(null);
    expect(w.deployments).to.equal(5);
    expect(w.leadTime).to.deep.equal({ count: 3, medianHours: 24, p90Hours: 24, unmatched: 1 });
    expect(w.changeFailure).to.deep.equal({ changes: 7, failures: 3, rate: 3 / 7 });
    expect(w.timeToRestore).to.deep.equal({
      count: 2,
      medianHours: (48 + 24 + 5 / 60) / 2,
      p90Hours: 48,
      open: 1,
    });
  });

  it('weekly buckets cover the longest window, oldest first, and add up to it', () => {
    const weekly = of('frontend')?.weekly ?? [];
    expect(weekly).to.have.length(13);
    expect(Date.parse(weekly[0]!.start)).to.equal(NOW.getTime() - 13 * 7 * DAY_MS);
    expect(weekly.reduce((n, w) => n + w.deployments, 0)).to.equal(4);
    // v5 (undone by the rollback) finished in the last week; v4 (exactly 7 days ago) and v3 in the one before.
    expect(weekly.at(-1)).to.deep.include({
      deployments: 1,
      changes: 1,
      failures: 1,
      leadTimeMedianHours: 24,
    });
    expect(weekly.at(-2)).to.deep.include({ deployments: 1, changes: 2, failures: 1 });
  });

  it('the median of an even count is the mean of the middle two', () => {
    const b = new LedgerBuilder();
    b.run({ service: 'api', env: 'intg', version: 'v1', at: ago(3), outcome: 'succeeded', minutes: 0 });
    b.run({
      service: 'api',
      env: 'prod',
      version: 'v1',
      at: new Date(ago(3).getTime() + 10 * 3_600_000),
      outcome: 'succeeded',
      minutes: 0,
    });
    b.run({ service: 'api', env: 'intg', version: 'v2', at: ago(2), outcome: 'succeeded', minutes: 0 });
    b.run({
      service: 'api',
      env: 'prod',
      version: 'v2',
      at: new Date(ago(2).getTime() + 20 * 3_600_000),
      outcome: 'succeeded',
      minutes: 0,
    });
    const w = window(deliveryMetrics(b.ledgers, { ...OPTIONS, services: ['api'] }).overall, 30);
    expect(w.leadTime).to.deep.equal({ count: 2, medianHours: 15, p90Hours: 20, unmatched: 0 });
  });

  it('after a prod rollback, time to restore agrees with the change failure rate', () => {
    const b = new LedgerBuilder();
    const prod = (version: string, daysAgo: number, action?: 'rollback') =>
      b.run({
        service: 'api',
        env: 'prod',
        version,
        at: ago(daysAgo),
        outcome: 'succeeded',
        action,
        minutes: 0,
      });
    prod('v1', 3);
    prod('v2', 2);
    prod('v1', 1, 'rollback');
    const w = window(deliveryMetrics(b.ledgers, { ...OPTIONS, services: ['api'] }).overall, 30);
    expect(w.changeFailure).to.deep.equal({ changes: 2, failures: 1, rate: 0.5 });
    // Every failed change is either restored or still open: never "0 restored, 0 still failed".
    expect(w.timeToRestore.count + w.timeToRestore.open).to.equal(w.changeFailure.failures);
    expect(w.timeToRestore).to.deep.equal({ count: 1, medianHours: 24, p90Hours: 24, open: 0 });
  });

  it('a baseline `tdr ledger adopt` recorded is no deployment, no change and starts no lead time (from records or a head summary)', () => {
    const b = new LedgerBuilder();
    const adopt = (env: string, version: string) =>
      b.run({
        service: 'api',
        env,
        version,
        at: ago(10),
        outcome: 'succeeded',
        reason: BASELINE_REASON,
        minutes: 0,
      });
    adopt('intg', 'v1');
    adopt('prod', 'v0');
    // v1, adopted in intg, promoted for real; then v2 shipped and failed in prod.
    b.run({ service: 'api', env: 'prod', version: 'v1', at: ago(9), outcome: 'succeeded', minutes: 0 });
    b.run({ service: 'api', env: 'intg', version: 'v2', at: ago(5), outcome: 'succeeded', minutes: 0 });
    b.run({ service: 'api', env: 'prod', version: 'v2', at: ago(4), outcome: 'failed', minutes: 0 });
    const options = { ...OPTIONS, services: ['api'] };
    const fromRecords = window(deliveryMetrics(b.ledgers, options).overall, 30);
    // The same runs as a ledger head's summary gives them (no records beside it).
    const runs: ServiceRuns = {
      api: Object.fromEntries(
        Object.entries(b.ledgers.api ?? {}).map(([env, records]) => [env, releaseRuns(records)]),
      ),
    };
    const fromSummary = window(deliveryMetrics({}, { ...options, runs }).overall, 30);
    for (const w of [fromRecords, fromSummary]) {
      // Counted as deploys, the baselines would make 2 deployments, 3 changes (a 33 % failure
      // rate) and a 24 h lead time for v1 from its adoption in intg.
      expect(w.deployments).to.equal(1);
      expect(w.leadTime).to.include({ count: 0, unmatched: 1 });
      expect(w.changeFailure).to.deep.equal({ changes: 2, failures: 1, rate: 0.5 });
    }
    expect(runs.api?.prod?.filter((r) => r.baseline)).to.have.length(1);
  });

  it('a release train counts each member that went out as a deployment, and each one its joint rollback undid as a failed change', () => {
    // What a train writes in its members' own ledgers (pipelines/release/train/promote.ts): an
    // ordinary release run per member through its saga, then, when a member fails, a rollback run
    // of each member already out, newest first. No train record is read by the metrics.
    const b = new LedgerBuilder();
    const members = ['api', 'frontend', 'keycloak'];
    for (const s of members) {
      b.run({ service: s, env: 'intg', version: 'v1', at: ago(8), outcome: 'succeeded', minutes: 0 });
      b.run({ service: s, env: 'intg', version: 'v2', at: ago(4), outcome: 'succeeded', minutes: 0 });
    }
    // Train 1 at -6 days: every member out.
    members.forEach((s, i) =>
      b.run({ service: s, env: 'prod', version: 'v1', at: ago(6 - i / 100), outcome: 'succeeded' }),
    );
    // Train 2 at -3 days: the last member fails (its own saga rolls it back); the others go back.
    const train2 = members.map((s, i) => ({
      s,
      outcome: i < members.length - 1 ? 'succeeded' : 'rolled_back',
    }));
    train2.forEach(({ s, outcome }, i) =>
      b.run({
        service: s,
        env: 'prod',
        version: 'v2',
        at: ago(3 - i / 100),
        outcome: outcome as 'succeeded',
      }),
    );
    const out = train2.filter((m) => m.outcome === 'succeeded').reverse();
    out.forEach(({ s }, i) =>
      b.run({
        service: s,
        env: 'prod',
        version: 'v1',
        action: 'rollback',
        at: ago(2.9 - i / 100),
        outcome: 'succeeded',
      }),
    );
    const w = window(deliveryMetrics(b.ledgers, { ...OPTIONS, services: members }).overall, 30);
    expect(w.deployments).to.equal(members.length + out.length);
    expect(w.leadTime.count).to.equal(members.length + out.length);
    // Per member, as DORA counts changes to production: every member of train 2 is a failed change.
    expect(w.changeFailure).to.deep.include({ changes: 2 * members.length, failures: train2.length });
    expect(w.timeToRestore.count + w.timeToRestore.open).to.equal(train2.length);
  });

  it('a prod release of a version rejected now is a failed change until it is unrejected', () => {
    const b = new LedgerBuilder();
    for (const [v, d] of [
      ['v1', 6],
      ['v2', 3],
    ] as const) {
      b.run({ service: 'api', env: 'intg', version: v, at: ago(d + 1), outcome: 'succeeded', minutes: 0 });
      b.run({ service: 'api', env: 'prod', version: v, at: ago(d), outcome: 'succeeded', minutes: 0 });
    }
    const rejection = { ...rejectionOf('api', 'v2'), recordedAt: ago(1).toISOString() };
    const options = { ...OPTIONS, services: ['api'] };
    const plain = window(deliveryMetrics(b.ledgers, options).overall, 30);
    const rejected = window(
      deliveryMetrics(b.ledgers, { ...options, rejected: { api: [rejection] } }).overall,
      30,
    );
    expect(plain.changeFailure).to.deep.equal({ changes: 2, failures: 0, rate: 0 });
    expect(rejected.changeFailure).to.deep.equal({ changes: 2, failures: 1, rate: 0.5 });
    // v2 still runs: its failure is open until a fixed version succeeds.
    expect(rejected.timeToRestore).to.include({ count: 0, open: 1 });
    expect(rejected.deployments).to.equal(plain.deployments);
  });

  it('an empty ledger gives empty metrics', () => {
    const empty = deliveryMetrics({}, { ...OPTIONS, services: [] });
    expect(empty.services).to.deep.equal([]);
    expect(window(empty.overall, 90)).to.deep.include({ deployments: 0, deploymentsPerWeek: 0 });
    expect(window(empty.overall, 90).changeFailure.rate).to.equal(null);
    expect(empty.windowsDays).to.deep.equal([30, 90]);
  });
});
