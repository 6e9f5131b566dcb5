/**
 * The ledger's head object: reads that do not grow with history, a cache that is verified and
 * repaired, and one bad record that degrades only itself.
 */
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { expect } from 'chai';
import fc from 'fast-check';
import {
  KEEP_CHECKS,
  KEEP_RUNS,
  KEEP_VERSIONS,
  Ledger,
  compact,
  currentRelease,
  headKey,
  latestCheck,
  liveStint,
  lostStanding,
  openApprovals,
  recordKey,
  succeededRelease,
  unsettledRuns,
  type LedgerRecord,
  type NewRecord,
  type ReleaseOutcome,
} from './ledger';
import { memoryS3, type MemoryS3 } from '../../../test/support/memory-s3';

const release = (runId: string, version: string, outcome: ReleaseOutcome): NewRecord => ({
  kind: 'release',
  runId,
  action: 'deploy',
  service: 'frontend',
  env: 'intg',
  version,
  digest: `sha256:${version}`,
  image: `r@sha256:${version}`,
  gitCommit: null,
  taskDefinitionBefore: null,
  taskDefinitionAfter: null,
  approver: null,
  buildUrl: null,
  sourceEnv: null,
  reason: null,
  breakGlass: false,
  gates: [],
  actor: 'j',
  startedAt: 't',
  finishedAt: null,
  detail: null,
  settles: null,
  outcome,
});

const check = (name: string, version: string): NewRecord => ({
  kind: 'check',
  service: 'frontend',
  env: 'intg',
  version,
  digest: `sha256:${version}`,
  name,
  result: 'passed',
  url: null,
  actor: 'ci',
});

const approval = (approver: string, version: string): NewRecord => ({
  kind: 'approval',
  service: 'frontend',
  env: 'intg',
  version,
  digest: `sha256:${version}`,
  via: 'sts',
  approver,
  identity: `arn:aws:sts::1:assumed-role/TDRReleaseApproverProd/${approver}`,
  buildUrl: null,
  actor: approver,
});

/** Requests made by `fn`, by command. */
async function requests(s3: MemoryS3, fn: () => Promise<unknown>): Promise<Record<string, number>> {
  s3.mock.resetHistory();
  await fn();
  const count = (c: unknown) => s3.mock.commandCalls(c as typeof GetObjectCommand).length;
  return {
    get: count(GetObjectCommand),
    head: count(HeadObjectCommand),
    list: count(ListObjectsV2Command),
    put: count(PutObjectCommand),
  };
}

describe('ledger head', () => {
  it('makes a read two requests (the head, a look for the record after it) and an append two writes, at 10 or 500 records', async () => {
    for (const n of [10, 500]) {
      const s3 = memoryS3();
      const ledger = new Ledger(s3.client, 'b');
      for (let i = 0; i < n; i++) await ledger.append(check(`c${i % 7}`, `v${i % 13}`));
      expect(await requests(s3, () => new Ledger(s3.client, 'b').view('frontend', 'intg'))).to.deep.equal({
        get: 1,
        head: 1,
        list: 0,
        put: 0,
      });
      const writer = new Ledger(s3.client, 'b');
      const view = await writer.view('frontend', 'intg');
      expect(view.lastSeq).to.equal(n);
      expect(await requests(s3, () => writer.append(check('x', 'v1'), view))).to.deep.equal({
        get: 0,
        head: 0,
        list: 0,
        put: 2,
      });
    }
  });

  it('folds in records written after it (a writer that crashed before updating it) and repairs it', async () => {
    const s3 = memoryS3();
    const ledger = new Ledger(s3.client, 'b');
    await ledger.append(release('a', 'v1', 'started'));
    await ledger.append(release('a', 'v1', 'succeeded'));
    // An older engine, or a crash between the record and the head: the record alone.
    const stale = s3.objects.get(headKey('frontend', 'intg'));
    await ledger.append(release('b', 'v2', 'started'));
    s3.objects.set(headKey('frontend', 'intg'), stale!);
    const view = await new Ledger(s3.client, 'b').view('frontend', 'intg');
    expect(view.lastSeq).to.equal(3);
    expect(unsettledRuns(view.records).map((r) => r.runId)).to.deep.equal(['b']);
    const repaired = JSON.parse(s3.objects.get(headKey('frontend', 'intg'))!.body) as { lastSeq: number };
    expect(repaired.lastSeq).to.equal(3);
  });

  it('a read-only ledger repairs nothing: a head behind, missing or written by an older tdr is read past in memory and called stale', async () => {
    const s3 = memoryS3();
    const ledger = new Ledger(s3.client, 'b');
    for (const v of ['v1', 'v2']) {
      await ledger.append(release(v, v, 'started'));
      await ledger.append({
        ...release(v, v, 'succeeded'),
        finishedAt: new Date().toISOString(),
      } as NewRecord);
    }
    const current = s3.objects.get(headKey('frontend', 'intg'))!;
    const reader = () => new Ledger(s3.client, 'b', undefined, undefined, { readOnly: true });
    const { summary, ...older } = JSON.parse(current.body) as { summary: { runs: unknown[] } };
    expect(summary.runs).to.have.length(2);
    const cases = {
      // An older tdr's head: no run summary, and compacted under rules that kept less.
      older: { body: JSON.stringify(older), etag: '"older"' },
      missing: undefined,
      behind: { body: JSON.stringify({ ...older, summary: { runs: [] }, lastSeq: 2 }), etag: '"behind"' },
    };
    for (const [name, head] of Object.entries(cases)) {
      if (head) s3.objects.set(headKey('frontend', 'intg'), head);
      else s3.objects.delete(headKey('frontend', 'intg'));
      const put = (
        await requests(s3, async () => {
          const view = await reader().view('frontend', 'intg');
          expect(view.lastSeq, name).to.equal(4);
          expect(currentRelease(view.records)?.version, name).to.equal('v2');
          expect(view.stale, name)
            .to.match(/stale|behind/)
            .and.to.contain('tdr ledger reindex');
          if (name !== 'behind')
            expect(
              view.runs.map((r) => r.version),
              name,
            ).to.deep.equal(['v1', 'v2']);
        })
      ).put;
      expect(put, name).to.equal(0);
      expect(s3.objects.get(headKey('frontend', 'intg')), name).to.deep.equal(head);
    }
    // A writer rebuilds the older head, with its run summary; then nothing is stale.
    s3.objects.set(headKey('frontend', 'intg'), cases.older);
    await new Ledger(s3.client, 'b').view('frontend', 'intg');
    const view = await reader().view('frontend', 'intg');
    expect(view.stale).to.equal(null);
    expect(view.runs.map((r) => r.version)).to.deep.equal(['v1', 'v2']);
  });

  it("trusts no run summary blindly: one past the head's last number or out of order is rebuilt from the records", async () => {
    const s3 = memoryS3();
    const ledger = new Ledger(s3.client, 'b');
    await ledger.append(release('v1', 'v1', 'started'));
    await ledger.append({
      ...release('v1', 'v1', 'succeeded'),
      finishedAt: new Date().toISOString(),
    } as NewRecord);
    const key = headKey('frontend', 'intg');
    const good = JSON.parse(s3.objects.get(key)!.body) as { summary: { runs: Array<{ seq: number }> } };
    const fact = good.summary.runs[0]!;
    const forged = {
      past: [{ ...fact, seq: 99, version: 'v9' }],
      unordered: [{ ...fact, version: 'v9' }, fact],
    };
    for (const [name, runs] of Object.entries(forged)) {
      s3.objects.set(key, { body: JSON.stringify({ ...good, summary: { runs } }), etag: `"${name}"` });
      const read = await new Ledger(s3.client, 'b', undefined, undefined, { readOnly: true }).view(
        'frontend',
        'intg',
      );
      expect(
        read.runs.map((r) => r.version),
        name,
      ).to.deep.equal(['v1']);
      expect(read.stale, name).to.contain('unreadable');
      const written = await new Ledger(s3.client, 'b').view('frontend', 'intg');
      expect(
        written.runs.map((r) => r.version),
        name,
      ).to.deep.equal(['v1']);
      expect(JSON.parse(s3.objects.get(key)!.body), name).to.deep.include({ summary: good.summary });
    }
  });

  it('rebuilds a head that is missing or unreadable from the records', async () => {
    const s3 = memoryS3();
    const ledger = new Ledger(s3.client, 'b');
    for (const v of ['v1', 'v2']) {
      await ledger.append(release(v, v, 'started'));
      await ledger.append(release(v, v, 'succeeded'));
    }
    s3.objects.set(headKey('frontend', 'intg'), { body: '{"head":1,"lastSeq":"x"}', etag: '"broken"' });
    const view = await new Ledger(s3.client, 'b').view('frontend', 'intg');
    expect(view.lastSeq).to.equal(4);
    expect(currentRelease(view.records)?.version).to.equal('v2');
    s3.objects.delete(headKey('frontend', 'intg'));
    expect((await new Ledger(s3.client, 'b').reindex('frontend', 'intg')).lastSeq).to.equal(4);
  });

  it('one unreadable record is noted, and the rest still answer; history shows it as its own row', async () => {
    const s3 = memoryS3();
    const ledger = new Ledger(s3.client, 'b');
    await ledger.append(release('a', 'v1', 'started'));
    await ledger.append(release('a', 'v1', 'succeeded'));
    s3.objects.set(recordKey('frontend', 'intg', 3), { body: '{not json', etag: '"x"' });
    await ledger.append(release('c', 'v3', 'started'), { lastSeq: 3 });
    s3.objects.delete(headKey('frontend', 'intg'));
    const view = await new Ledger(s3.client, 'b').view('frontend', 'intg');
    expect(view.lastSeq).to.equal(4);
    expect(view.bad.map((b) => b.seq)).to.deep.equal([3]);
    expect(currentRelease(view.records)?.version).to.equal('v1');
    const page = await ledger.page('frontend', 'intg', { limit: 3 });
    expect(page.map((p) => [p.seq, p.kind])).to.deep.equal([
      [4, 'release'],
      [3, 'unreadable'],
      [2, 'release'],
    ]);
    expect((await ledger.page('frontend', 'intg', { limit: 10, before: 3 })).map((p) => p.seq)).to.deep.equal(
      [2, 1],
    );
  });

  it('compaction answers every query as the whole history does, in bounded size', () => {
    const event = fc.record({
      kind: fc.constantFrom('run', 'run', 'run', 'check', 'approval'),
      run: fc.integer({ min: 0, max: 150 }),
      version: fc.integer({ min: 1, max: 30 }),
      outcome: fc.constantFrom<ReleaseOutcome>('started', 'succeeded', 'failed', 'rolled_back'),
      rollback: fc.boolean(),
      name: fc.constantFrom('e2e', 'smoke'),
    });
    fc.assert(
      fc.property(
        fc.array(event, { minLength: 100, maxLength: 600, size: 'max' }),
        fc.integer({ min: 1, max: 599 }),
        (events, cut) => {
          // Each run writes `started`, then stage records (more `started` records: progressive
          // delivery), then at most one outcome (a run never starts twice), all with the run's one
          // action and version (the saga's journal writes them from one request).
          const state = new Map<string, 'open' | 'done'>();
          const ofRun = new Map<string, { rollback: boolean; version: number }>();
          const all = events.map((e, i): LedgerRecord => {
            let runId = `r${e.run}`;
            if (state.get(runId) === 'done') runId = `r${e.run}-${i}`;
            const outcome = state.get(runId) === 'open' ? e.outcome : 'started';
            if (e.kind === 'run') state.set(runId, outcome === 'started' ? 'open' : 'done');
            if (e.kind === 'run' && !ofRun.has(runId)) ofRun.set(runId, e);
            const run = ofRun.get(runId) ?? e;
            const base =
              e.kind === 'check'
                ? check(e.name, `v${e.version}`)
                : e.kind === 'approval'
                  ? approval(e.name === 'e2e' ? 'alice' : 'bob', `v${e.version}`)
                  : {
                      ...release(runId, `v${run.version}`, outcome),
                      ...(run.rollback ? { action: 'rollback' } : {}),
                    };
            return { ...base, schema: 1, seq: i + 1, recordedAt: 't' } as LedgerRecord;
          });
          const whole = compact(all);
          const folded = compact([...compact(all.slice(0, cut)), ...all.slice(cut)]);
          expect(folded).to.deep.equal(whole);
          expect(whole.length).to.be.at.most(
            KEEP_RUNS + 2 * KEEP_CHECKS + unsettledRuns(all).length + 3 * KEEP_VERSIONS + 2,
          );
          expect(currentRelease(whole)?.seq).to.equal(currentRelease(all)?.seq);
          expect(unsettledRuns(whole).map((r) => r.seq)).to.deep.equal(unsettledRuns(all).map((r) => r.seq));
          const stint = (rs: readonly LedgerRecord[]) => {
            const s = liveStint(rs);
            return s && [s.current.seq, s.since.seq];
          };
          expect(stint(whole)).to.deep.equal(stint(all));
          // Fewer versions than KEEP_VERSIONS: every one answers as the whole history does, however old.
          for (let v = 1; v <= 30; v++) {
            expect(succeededRelease(whole, `v${v}`)?.seq).to.equal(succeededRelease(all, `v${v}`)?.seq);
            expect(lostStanding(whole, `v${v}`)).to.equal(lostStanding(all, `v${v}`));
            // The same approver's newer approval stands for an older one of the same digest.
            const approvers = (rs: readonly LedgerRecord[]) => [
              ...new Set(openApprovals(rs, `sha256:v${v}`).map((a) => a.approver)),
            ];
            if (whole.filter((r) => r.kind === 'check' || r.kind === 'approval').length < KEEP_CHECKS)
              expect(approvers(whole)).to.deep.equal(approvers(all));
            else expect(approvers(all)).to.include.members(approvers(whole)); // never a used one
            for (const name of ['e2e', 'smoke'])
              if (all.filter((r) => r.kind === 'check' || r.kind === 'approval').length <= KEEP_CHECKS)
                expect(latestCheck(whole, name, `sha256:v${v}`)?.seq).to.equal(
                  latestCheck(all, name, `sha256:v${v}`)?.seq,
                );
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it("a stage record written after its run's outcome (a follower whose lease was broken) never reopens the run", () => {
    const records = [
      release('a', 'v1', 'started'),
      release('a', 'v1', 'started'),
      release('a', 'v1', 'succeeded'),
      release('a', 'v1', 'started'),
    ].map((r, i) => ({ ...r, schema: 1, seq: i + 1, recordedAt: 't' }) as LedgerRecord);
    expect(unsettledRuns(records)).to.deep.equal([]);
    const kept = compact(records);
    expect(kept.map((r) => r.seq)).to.deep.equal([3]);
    expect(unsettledRuns(kept)).to.deep.equal([]);
    expect(currentRelease(kept)?.seq).to.equal(3);
    // Folded record by record, as a head is: the same.
    expect(compact([...compact(records.slice(0, 3)), records[3]!])).to.deep.equal(kept);
  });

  it('a used approval never counts again, however many runs come after it (and after a reindex)', async () => {
    const s3 = memoryS3();
    const ledger = new Ledger(s3.client, 'b');
    await ledger.append(approval('alice', 'v7'));
    await ledger.append(release('used', 'v7', 'started'));
    await ledger.append(release('used', 'v7', 'succeeded'));
    for (let i = 0; i < KEEP_RUNS + 5; i++) {
      await ledger.append(release(`later-${i}`, `v${8 + (i % 2)}`, 'started'));
      await ledger.append(release(`later-${i}`, `v${8 + (i % 2)}`, 'succeeded'));
    }
    const all = await ledger.records('frontend', 'intg');
    expect(openApprovals(all, 'sha256:v7')).to.deep.equal([]);
    for (const view of [
      await ledger.view('frontend', 'intg'),
      await new Ledger(s3.client, 'b').reindex('frontend', 'intg'),
    ])
      expect(openApprovals(view.records, 'sha256:v7')).to.deep.equal([]);
  });

  it('rollback --to reaches a version that stood, older than the newest KEEP_RUNS runs (after a reindex too)', async () => {
    const s3 = memoryS3();
    const ledger = new Ledger(s3.client, 'b');
    await ledger.append(release('old', 'v3', 'started'));
    await ledger.append(release('old', 'v3', 'succeeded'));
    for (let i = 0; i < KEEP_RUNS + 5; i++) {
      await ledger.append(release(`later-${i}`, `v${4 + i}`, 'started'));
      await ledger.append(release(`later-${i}`, `v${4 + i}`, 'succeeded'));
    }
    for (const view of [
      await ledger.view('frontend', 'intg'),
      await new Ledger(s3.client, 'b').reindex('frontend', 'intg'),
    ]) {
      expect(succeededRelease(view.records, 'v3')?.seq).to.equal(2);
      expect(lostStanding(view.records, 'v3')).to.equal(null);
    }
  });
});
