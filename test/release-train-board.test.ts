/**
 * Trains and rejections where people look, against moto (issue 26): after a real train went out
 * and was rolled back by hand, the board (`tdr report -o json`) shows prod's last train member by
 * member, its delivery metrics count each member's own release records (nothing of the train
 * stream), `tdr history --service train` lists the train, and a version rejected since is marked on
 * the board and in `tdr history --service S`.
 */
import { expect } from 'chai';
import type { BoardData } from '../pipelines/report/board';
import type { HistoryEntry } from '../pipelines/release/ledger/ledger';
import { APPROVER_ROLE, as, tdr } from './support/release';
import { TRAIN_FUNCTION, TRAIN_SERVICES, TRAIN_TASK, stagedTrain } from './support/train';

type Env = Record<string, string | undefined>;

async function board(env: Env): Promise<BoardData> {
  return JSON.parse((await tdr(['report', '-o', 'json'], env)).stdout) as BoardData;
}

/** Prod's finished release runs of `service` and whether a rollback came next, from its own ledger. */
async function prodChanges(env: Env, service: string) {
  const records = JSON.parse(
    (await tdr(['history', '--service', service, '--env', 'prod', '--limit', '1000', '-o', 'json'], env))
      .stdout,
  ) as HistoryEntry[];
  const finished = records.filter((r) => r.kind === 'release' && r.outcome !== 'started').reverse() as Array<
    Extract<HistoryEntry, { kind: 'release' }>
  >;
  const changes = finished.filter((r) => r.action !== 'rollback');
  const failed = finished.filter(
    (r, i) =>
      r.action !== 'rollback' && (r.outcome !== 'succeeded' || finished[i + 1]?.action === 'rollback'),
  );
  return { changes: changes.length, failures: failed.length };
}

describe('trains and rejections on the board and in history (moto)', () => {
  it('the board shows the train and counts its members; history lists it; a rejection shows everywhere', async () => {
    const env = await stagedTrain();
    const plan = JSON.parse((await tdr(['train', 'plan', '-o', 'json'], env)).stdout) as {
      trainId: string;
      members: Array<{ name: string; kind: string; version: string }>;
    };
    await tdr(['train', 'approve', '--train', plan.trainId], await as(env, APPROVER_ROLE, 'alice'));
    await tdr(['train', 'promote', '--train', plan.trainId, '--actor', 'bob'], env);

    const out = await board(env);
    const prod = out.trains.find((t) => t.env === 'prod');
    expect(prod).to.deep.include({ trainId: plan.trainId, headline: 'promote succeeded', inFlight: false });
    expect(prod?.members.map((m) => [m.name, m.version])).to.deep.equal(
      plan.members.map((m) => [m.name, m.version]),
    );
    expect(prod?.members.map((m) => m.state)).to.deep.equal(
      plan.members.map((m) => (m.name === TRAIN_TASK ? 'task-run succeeded' : 'promote succeeded')),
    );

    await tdr(['train', 'rollback', '--train', plan.trainId, '--actor', 'bob'], env);
    const after = await board(env);
    expect(after.trains.find((t) => t.env === 'prod')).to.deep.include({
      trainId: plan.trainId,
      headline: 'rollback succeeded',
      tone: 'warn',
    });
    // The metrics count each member's own release records: the train's promote of each is one
    // change, and the hand rollback after it makes each a failed one (derived from each ledger).
    for (const s of [...TRAIN_SERVICES, TRAIN_FUNCTION]) {
      const expected = await prodChanges(env, s);
      expect(expected.failures, `${s}: the train's promote, undone`).to.be.above(0);
      const w = after.metrics.services.find((m) => m.service === s)?.windows.find((x) => x.days === 30);
      expect(w?.changeFailure, s).to.deep.include(expected);
    }

    const history = await tdr(['history', '--service', 'train', '--env', 'prod'], env);
    expect(history.stdout).to.contain(plan.trainId).and.contain('rollback');
    const json = JSON.parse(
      (await tdr(['history', '--service', 'train', '--env', 'prod', '--limit', '1', '-o', 'json'], env))
        .stdout,
    ) as { trains: Array<{ trainId: string; action: string; outcome: string }> };
    expect(json.trains).to.have.length(1);
    expect(json.trains[0]).to.deep.include({
      trainId: plan.trainId,
      action: 'rollback',
      outcome: 'succeeded',
    });

    // Rejected since: the board marks it and history marks its releases in line.
    const [service] = TRAIN_SERVICES;
    await tdr(
      ['reject', '--service', service, '--version', 'v2', '--reason', 'INC-7: lost uploads'],
      await as(env, APPROVER_ROLE, 'alice'),
    );
    const marked = await board(env);
    expect(marked.rejections.map((r) => [r.subject, r.version, r.by, r.reason])).to.deep.equal([
      [service, 'v2', 'alice', 'INC-7: lost uploads'],
    ]);
    expect(marked.rows.find((r) => r.service === service)?.rejected.map((r) => r.version)).to.deep.equal([
      'v2',
    ]);
    const staging = marked.rows.find((r) => r.service === service)?.cells.find((c) => c.env === 'staging');
    expect(staging?.badges.map((b) => b.text).some((t) => t.startsWith('runs rejected v2'))).to.equal(true);
    const lines = (await tdr(['history', '--service', service, '--env', 'prod'], env)).stdout;
    expect(lines).to.match(/promote .*REJECTED by alice at \S+: INC-7: lost uploads/);
  });
});
