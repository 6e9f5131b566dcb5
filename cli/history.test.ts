import { expect } from 'chai';
import type { ReleaseRecord } from '../pipelines/release/ledger/ledger';
import { historyRow } from './history';

describe('tdr history rows', () => {
  it("shows a function's SHA-256 as tdr status does (its first 12 base64 characters)", () => {
    const sha = 'MCWBDbJkCsRFvL08MMwqZQ0rJ1y7mRZs0b1nA2b2Xc4=';
    const record: ReleaseRecord = {
      schema: 1,
      seq: 3,
      kind: 'release',
      service: 'checksum',
      env: 'intg',
      version: 'v2',
      digest: sha,
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
    expect(historyRow(record)[4]).to.equal(sha.slice(0, 12));
    expect(historyRow({ ...record, digest: `sha256:${'ab'.repeat(32)}` })[4]).to.equal('ab'.repeat(6));
  });
});
