/** Trains and rejected versions on the board (issue 26), from a scenario known by construction. */
import { expect } from 'chai';
import { TRAIN_FACTS, scenarioInput, trainScenarioInput } from '../../test/support/report-scenario';
import { buildBoard, type BoardData } from './board';
import { DAY_MS, recordsOf, releaseRuns } from './runs';

function cell(board: BoardData, service: string, env: string) {
  const c = board.rows.find((r) => r.service === service)?.cells.find((x) => x.env === env);
  if (!c) throw new Error(`no cell ${service} × ${env}`);
  return c;
}
const texts = (c: { badges: readonly { text: string }[] }) => c.badges.map((b) => b.text);
const window30 = (b: BoardData) => b.metrics.overall.windows.find((w) => w.days === 30)!;

describe('release board: trains and rejected versions', () => {
  const input = trainScenarioInput();
  const board = buildBoard(input);
  const base = buildBoard(scenarioInput());
  const envOrder = input.model.environments.map((e) => e.name);

  it('shows each environment’s newest train in promotion order; the one in flight member by member', () => {
    expect(board.trains.map((t) => t.env)).to.deep.equal(
      envOrder.filter((e) => (input.trains ?? []).some((t) => t.env === e)),
    );
    const { inFlight, finished } = TRAIN_FACTS;
    const flying = board.trains.find((t) => t.env === inFlight.env);
    expect(flying).to.deep.include({ trainId: inFlight.trainId, inFlight: true, tone: 'info' });
    expect(flying?.headline).to.equal('promote in flight');
    expect(flying?.members.map((m) => [m.name, m.state, m.tone])).to.deep.equal(
      inFlight.members.map((m) => [m.name, m.outcome ?? 'waiting', m.outcome ? 'good' : 'info']),
    );
    expect(flying?.command).to.equal(`tdr history --service train --env ${inFlight.env}`);
    const done = board.trains.find((t) => t.env === finished.env);
    expect(done).to.deep.include({ inFlight: false, tone: 'good', headline: 'promote succeeded' });
    expect(done?.members.every((m) => m.tone === 'good')).to.equal(true);
    expect(board.summary.trainsInFlight).to.equal((input.trains ?? []).filter((t) => t.inFlight).length);
  });

  it('a train’s left-out member says why', () => {
    const flying = board.trains.find((t) => t.env === TRAIN_FACTS.inFlight.env);
    const { name, version } = TRAIN_FACTS.inFlight.leftOut;
    const reason = TRAIN_FACTS.rejected.find((r) => r.subject === name)?.reason ?? '';
    expect(flying?.leftOut).to.have.length(1);
    expect(flying?.leftOut[0]).to.deep.include({ name, version });
    expect(flying?.leftOut[0]?.why).to.contain('rejected').and.contain(reason);
  });

  it('a finished train that rolled back is bad; a hand rollback that succeeded warns; a member not moved says so', () => {
    const [t] = input.trains ?? [];
    const rolled = buildBoard({
      ...input,
      trains: [
        {
          ...t!,
          inFlight: false,
          outcome: 'rolled_back',
          members: [
            { name: 'a', kind: 'service', version: 'v2', outcome: 'rollback succeeded' },
            { name: 'b', kind: 'service', version: 'v2', outcome: 'promote failed' },
            { name: 'c', kind: 'service', version: 'v2', outcome: null },
          ],
        },
        { ...t!, env: 'staging', inFlight: false, action: 'rollback', outcome: 'succeeded' },
      ],
    }).trains;
    expect(rolled.map((x) => [x.env, x.tone, x.headline])).to.deep.equal([
      ['staging', 'warn', 'rollback succeeded'],
      ['prod', 'bad', 'promote rolled back'],
    ]);
    expect(rolled[1]?.members.map((m) => [m.state, m.tone])).to.deep.equal([
      ['rollback succeeded', 'warn'],
      ['promote failed', 'bad'],
      ['not moved', 'none'],
    ]);
  });

  it('every version rejected now is listed with who, when and why; tasks too; each service row names its own', () => {
    expect(board.rejections.map((r) => [r.subject, r.version, r.by, r.reason])).to.have.deep.members(
      TRAIN_FACTS.rejected.map((r) => [r.subject, r.version, r.by, r.reason]),
    );
    expect(board.summary.rejected).to.equal(TRAIN_FACTS.rejected.length);
    for (const row of board.rows)
      expect(row.rejected.map((r) => r.version)).to.deep.equal(
        TRAIN_FACTS.rejected.filter((r) => r.subject === row.service).map((r) => r.version),
      );
    const shown = new Set(board.rows.map((r) => r.service));
    expect(
      TRAIN_FACTS.rejected.some((r) => !shown.has(r.subject)),
      'a subject with no row',
    ).to.equal(true);
    expect(board.rejections.find((r) => r.version === 'v5')?.command).to.equal(
      'tdr unreject --service consignmentapi --version v5 --reason "…"',
    );
  });

  it('a cell running a rejected version is bad; a cell whose upstream version is rejected no longer waits for it', () => {
    for (const r of TRAIN_FACTS.rejected) {
      const row = board.rows.find((x) => x.service === r.subject);
      for (const c of row?.cells ?? []) {
        const runs = c.current?.version === r.version;
        expect(
          texts(c).some((t) => t.startsWith(`runs rejected ${r.version}`)),
          `${c.service}/${c.env}`,
        ).to.equal(runs);
        if (runs) expect(c.tone).to.equal('bad');
      }
    }
    // What waited for a rejected version waits no more (the gates refuse it); the rest still waits.
    const rejected = (s: string, v: string) =>
      TRAIN_FACTS.rejected.some((r) => r.subject === s && r.version === v);
    const stillWaiting = base.waiting.filter((w) => !rejected(w.service, w.version));
    expect(base.waiting.length).to.be.above(stillWaiting.length);
    expect(board.waiting.map((w) => `${w.service}/${w.to}`)).to.deep.equal(
      stillWaiting.map((w) => `${w.service}/${w.to}`),
    );
    const frontendProd = cell(board, 'frontend', 'prod');
    expect(texts(frontendProd).some((t) => t.startsWith('v12 in staging is rejected (by carol'))).to.equal(
      true,
    );
  });

  it('a prod release of a version rejected now is a failed change in the metrics; other figures stay', () => {
    const from = input.now.getTime() - 30 * DAY_MS;
    const ledgers = input.ledgers;
    // Prod releases that succeeded in the window, of a rejected version, that nothing else already failed.
    const newlyFailed = TRAIN_FACTS.rejected.flatMap((r) => {
      const runs = releaseRuns(recordsOf(ledgers, r.subject, 'prod'));
      return runs.filter(
        (run, i) =>
          run.version === r.version &&
          run.action !== 'rollback' &&
          run.outcome === 'succeeded' &&
          (run.finishedAt ?? 0) > from &&
          runs[i + 1]?.action !== 'rollback',
      );
    });
    expect(newlyFailed.length).to.be.above(0);
    const [now, before] = [window30(board), window30(base)];
    expect(now.changeFailure.changes).to.equal(before.changeFailure.changes);
    expect(now.changeFailure.failures).to.equal(before.changeFailure.failures + newlyFailed.length);
    expect(now.deployments).to.equal(before.deployments);
    expect(now.leadTime).to.deep.equal(before.leadTime);
  });
});
