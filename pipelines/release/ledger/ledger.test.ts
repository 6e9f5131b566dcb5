/** The ledger's append-only contract, on the in-memory conditional-write bucket of test/support/memory-s3.ts. */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { expect } from 'chai';
import { Ledger, currentRelease, recordKey, unsettledRuns, type NewRecord } from './ledger';
import { awsError, memoryS3 } from '../../../test/support/memory-s3';

const check = (name: string): NewRecord => ({
  kind: 'check',
  service: 'frontend',
  env: 'staging',
  version: 'v2',
  digest: 'sha256:ab',
  name,
  result: 'passed',
  url: null,
  actor: 'ci',
});

describe('ledger', () => {
  it('keys records so that a listing is in sequence order', () => {
    expect(recordKey('frontend', 'prod', 7)).to.equal('records/frontend/prod/0000000007.json');
    expect(recordKey('frontend', 'prod', 10) > recordKey('frontend', 'prod', 9)).to.equal(true);
  });

  it('appends with If-None-Match: * and reads back in order', async () => {
    const s3 = memoryS3();
    const ledger = new Ledger(s3.client, 'tdr-release-ledger-mgmt', () => new Date('2026-11-25T10:00:00Z'));
    for (const n of ['a', 'b', 'c']) await ledger.append(check(n));
    const recordPuts = s3.mock
      .commandCalls(PutObjectCommand)
      .filter((c) => c.args[0].input.Key?.startsWith('records/'));
    expect(recordPuts.every((c) => c.args[0].input.IfNoneMatch === '*')).to.equal(true);
    const records = await ledger.records('frontend', 'staging');
    expect(records.map((r) => [r.seq, r.kind === 'check' && r.name, r.recordedAt])).to.deep.equal([
      [1, 'a', '2026-11-25T10:00:00.000Z'],
      [2, 'b', '2026-11-25T10:00:00.000Z'],
      [3, 'c', '2026-11-25T10:00:00.000Z'],
    ]);
  });

  it('on a lost race (412) re-reads and takes the next number, never overwriting', async () => {
    const s3 = memoryS3();
    const ledger = new Ledger(s3.client, 'b');
    await ledger.append(check('mine-1'));
    // Someone else wrote #2 after our last read.
    await new Ledger(s3.client, 'b').append(check('theirs'));
    const rec = await ledger.append(check('mine-2'), { lastSeq: 1 });
    expect(rec.seq).to.equal(3);
    const names = (await ledger.records('frontend', 'staging')).map((r) => r.kind === 'check' && r.name);
    expect(names).to.deep.equal(['mine-1', 'theirs', 'mine-2']);
  });

  it('surfaces other write errors with what was attempted', async () => {
    const s3 = memoryS3();
    s3.mock.on(PutObjectCommand).rejects(awsError('AccessDenied', 403, 'denied'));
    let message = '';
    await new Ledger(s3.client, 'tdr-release-ledger-mgmt')
      .append(check('x'))
      .catch((e: Error) => (message = e.message));
    expect(message).to.equal(
      'writing ledger record s3://tdr-release-ledger-mgmt/records/frontend/staging/0000000001.json: AccessDenied: denied',
    );
  });

  it('refuses to read a malformed record, naming its key', async () => {
    const s3 = memoryS3();
    s3.objects.set(recordKey('frontend', 'staging', 1), { body: '{"schema":1}', etag: '"e"' });
    let message = '';
    await new Ledger(s3.client, 'b')
      .records('frontend', 'staging')
      .catch((e: Error) => (message = e.message));
    expect(message).to.match(
      /^ledger record s3:\/\/b\/records\/frontend\/staging\/0000000001.json is malformed/,
    );
  });

  it('knows what is live and which runs have no outcome', async () => {
    const s3 = memoryS3();
    const ledger = new Ledger(s3.client, 'b');
    const base = {
      kind: 'release' as const,
      action: 'deploy' as const,
      service: 'frontend',
      env: 'intg',
      digest: 'sha256:1',
      image: 'r@sha256:1',
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
    };
    await ledger.append({ ...base, runId: 'a', version: 'v1', outcome: 'started' });
    await ledger.append({ ...base, runId: 'a', version: 'v1', outcome: 'succeeded' });
    await ledger.append({ ...base, runId: 'b', version: 'v2', outcome: 'started' });
    await ledger.append({ ...base, runId: 'b', version: 'v2', outcome: 'rolled_back' });
    await ledger.append({ ...base, runId: 'c', version: 'v3', outcome: 'started' });
    const records = await ledger.records('frontend', 'intg');
    expect(currentRelease(records)?.version).to.equal('v1');
    expect(unsettledRuns(records).map((r) => r.runId)).to.deep.equal(['c']);
  });
});
