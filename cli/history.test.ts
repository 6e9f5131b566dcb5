import { expect } from 'chai';
import type { ReleaseRecord } from '../pipelines/release/ledger/ledger';
import { runTdr } from '../test/support/cli';
import { MAX_TRAIN_PAGE } from '../pipelines/release/train/status';
import { historyRow } from './history';

const RECORD: ReleaseRecord = {
  schema: 1,
  seq: 3,
  kind: 'release',
  service: 'checksum',
  env: 'intg',
  version: 'v2',
  digest: `sha256:${'cd'.repeat(32)}`,
  actor: 'jenkins',
  recordedAt: '2026-12-01T10:00:00.000Z',
  runId: 'r1',
  action: 'deploy',
  outcome: 'succeeded',
  image: 's3://tdr-backend-code-mgmt/checksum/v2/checksum.zip',
  gitCommit: null,
  taskDefinitionBefore: null,
  taskDefinitionAfter: null,
  approver: null,
  buildUrl: null,
  sourceEnv: null,
  reason: null,
  breakGlass: false,
  gates: [],
  startedAt: '2026-12-01T09:59:00.000Z',
  finishedAt: '2026-12-01T10:00:00.000Z',
  detail: null,
  settles: null,
};

describe('tdr history rows', () => {
  it("shows a function's SHA-256 as tdr status does (its first 12 base64 characters)", () => {
    const sha = 'MCWBDbJkCsRFvL08MMwqZQ0rJ1y7mRZs0b1nA2b2Xc4=';
    const record = { ...RECORD, digest: sha };
    expect(historyRow(record)[4]).to.equal(sha.slice(0, 12));
    expect(historyRow({ ...record, digest: `sha256:${'ab'.repeat(32)}` })[4]).to.equal('ab'.repeat(6));
  });

  it('marks, in line, a release of a version rejected now: who, when and why', () => {
    const rejection = {
      schema: 1 as const,
      seq: 2,
      kind: 'rejection' as const,
      service: 'checksum',
      env: 'rejections',
      version: 'v2',
      digest: '',
      actor: 'carol',
      recordedAt: '2026-12-02T10:00:00.000Z',
      action: 'reject' as const,
      reason: 'corrupts checksums',
      approver: 'carol',
      identity: 'arn:aws:sts::1:assumed-role/tdr-approver/carol',
    };
    const note = (version: string) => historyRow({ ...RECORD, version }, [rejection]).at(-1);
    expect(note('v2')).to.equal('REJECTED by carol at 2026-12-02T10:00:00.000Z: corrupts checksums');
    expect(note('v3')).to.equal(null);
    expect(historyRow({ ...RECORD, detail: 'timed out' }, [rejection]).at(-1)).to.equal(
      'REJECTED by carol at 2026-12-02T10:00:00.000Z: corrupts checksums; timed out',
    );
  });

  it('tdr history --service train exits 2 naming --limit past its bound, before any AWS call', async () => {
    for (const limit of [String(MAX_TRAIN_PAGE + 1), '0']) {
      const r = await runTdr(['history', '--service', 'train', '--env', 'prod', '--limit', limit], {});
      expect(r.code, r.stderr).to.equal(2);
      expect(r.stderr).to.contain(`limit: trains per page, a whole number from 1 to ${MAX_TRAIN_PAGE}`);
    }
    const bad = await runTdr(['history', '--service', 'trains', '--env', 'prod'], {});
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.match(/--service.*Allowed choices are .*maintenance, train\./);
  });
});
