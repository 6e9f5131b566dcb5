/** Trains where people look: the newest per environment, and one environment's trains a page at a time. */
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { expect } from 'chai';
import { TRAIN_SUBJECT, naming } from '../../../services/naming';
import { memoryS3 } from '../../../test/support/memory-s3';
import type { ReleaseDeps } from '../saga/context';
import { Ledger, type NewRecord, type TrainRecord } from '../ledger/ledger';
import { MAX_TRAIN_PAGE, renderTrainStatus, trainHistory, trainStatus, validateTrainHistory } from './status';

const NOW = new Date('2026-11-30T12:00:00Z');
const MEMBERS = ['consignment-api-data', 'consignmentapi', 'frontend'];

/** Every record one train writes into prod's train stream: plan, approve, started, progress…, outcome. */
function trainRecords(n: number, opts: { open?: boolean; leftOut?: boolean } = {}): NewRecord[] {
  const trainId = `train-${n.toString(16).padStart(16, '0')}`;
  const members = MEMBERS.map((name) => ({
    name,
    kind: name === MEMBERS[0] ? ('task' as const) : ('service' as const),
    version: `v${n}`,
    digest: `sha256:${n}`,
    before: { version: `v${n - 1}`, digest: `sha256:${n - 1}` },
    gates: [],
  }));
  const base = {
    kind: 'train' as const,
    service: TRAIN_SUBJECT,
    env: 'prod',
    version: trainId,
    digest: '',
    actor: 'bob',
    runId: null,
    sourceEnv: 'staging',
    members,
    leftOut: opts.leftOut
      ? [{ name: 'keycloak', version: 'v9', why: 'keycloak v9 is rejected (by carol): leaks' }]
      : [],
    detail: null,
  };
  const done: TrainRecord['progress'] = [];
  const out: NewRecord[] = [
    { ...base, action: 'plan', outcome: 'recorded', progress: [] },
    { ...base, action: 'approve', outcome: 'recorded', progress: [] },
    { ...base, action: 'promote', outcome: 'started', runId: `run-${n}`, progress: [] },
  ];
  const steps = opts.open ? 1 : MEMBERS.length;
  for (const m of members.slice(0, steps)) {
    done.push({
      name: m.name,
      action: m.kind === 'task' ? 'task-run' : 'promote',
      outcome: 'succeeded',
      ledger: [1],
      detail: null,
    });
    out.push({ ...base, action: 'promote', outcome: 'progress', runId: `run-${n}`, progress: [...done] });
  }
  if (!opts.open)
    out.push({ ...base, action: 'promote', outcome: 'succeeded', runId: `run-${n}`, progress: [...done] });
  return out;
}

async function streamOf(trains: number, last: { open?: boolean; leftOut?: boolean } = {}) {
  const s3 = memoryS3();
  const ledger = new Ledger(s3.client, naming.ledgerBucket(), () => NOW);
  for (let n = 1; n <= trains; n++)
    for (const r of trainRecords(n, n === trains ? last : {})) await ledger.append(r);
  const deps = { clients: { mgmt: { s3: s3.client } }, now: () => NOW } as unknown as Pick<
    ReleaseDeps,
    'clients' | 'now'
  >;
  return { s3, deps };
}

describe('train status and history', () => {
  it('tdr status: the newest train of prod in flight, member by member, with what it left out', async () => {
    const { deps } = await streamOf(2, { open: true, leftOut: true });
    const [prod] = await trainStatus(deps, ['prod']);
    expect(prod).to.deep.include({ env: 'prod', inFlight: true, trainId: `train-${'2'.padStart(16, '0')}` });
    expect(prod?.members.map((m) => [m.name, m.kind, m.outcome])).to.deep.equal(
      MEMBERS.map((name, i) => [name, i === 0 ? 'task' : 'service', i === 0 ? 'task-run succeeded' : null]),
    );
    expect(prod?.leftOut.map((l) => l.name)).to.deep.equal(['keycloak']);
    const text = renderTrainStatus([prod!]);
    expect(text).to.contain('IN FLIGHT').and.contain('  left out keycloak v9: keycloak v9 is rejected');
    expect(await trainStatus(deps, ['staging'])).to.deep.equal([]);
  });

  it('tdr history --service train: the trains, newest first, each once by its newest step, a page at a time', async () => {
    const total = 7;
    const { deps } = await streamOf(total);
    const first = await trainHistory(deps, { env: 'prod', limit: 3 });
    const ids = (n: number[]) => n.map((k) => `train-${k.toString(16).padStart(16, '0')}`);
    expect(first.trains.map((t) => t.trainId)).to.deep.equal(ids([7, 6, 5]));
    for (const t of first.trains) {
      expect(t).to.deep.include({ action: 'promote', outcome: 'succeeded', inFlight: false });
      expect(t.members.every((m) => m.outcome?.endsWith('succeeded'))).to.equal(true);
    }
    expect(first.before).to.be.a('number');
    // The next page starts below the oldest record read: the older trains, newest first.
    const next = await trainHistory(deps, { env: 'prod', limit: 3, before: first.before ?? undefined });
    expect(next.trains.map((t) => t.trainId)[0]).to.equal(ids([5])[0]);
    const all = await trainHistory(deps, { env: 'prod', limit: MAX_TRAIN_PAGE });
    expect(all.trains).to.have.length(total);
    expect(all.before).to.equal(null);
  });

  it('reads as many records for one page whatever the stream’s length (newest N)', async () => {
    const gets = async (trains: number) => {
      const { s3, deps } = await streamOf(trains);
      const before = s3.mock.commandCalls(GetObjectCommand).length;
      await trainHistory(deps, { env: 'prod', limit: 2 });
      return s3.mock.commandCalls(GetObjectCommand).length - before;
    };
    const [small, large] = [await gets(3), await gets(30)];
    expect(large).to.equal(small);
  });

  it('refuses a page size past its bound or a sequence number that pages nothing, naming the argument', () => {
    for (const [query, field] of [
      [{ env: 'prod', limit: MAX_TRAIN_PAGE + 1 }, 'limit'],
      [{ env: 'prod', limit: 0 }, 'limit'],
      [{ env: 'prod', before: 1 }, 'before'],
      [{ env: 'mgmt' }, 'env'],
    ] as const)
      expect(() => validateTrainHistory(query), JSON.stringify(query)).to.throw(new RegExp(`^${field}:`));
  });
});
