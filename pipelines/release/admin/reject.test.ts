/** Rejections (issue 26): the request's bounds, the gate's verdict, and what compaction keeps. */
import { expect } from 'chai';
import { loadPlatform } from '../../../services/config';
import { REASON_MAX } from '../../../services/input-bounds';
import { rejectionVerdict } from '../saga/gates';
import {
  KEEP_REJECTIONS,
  REJECTIONS_STREAM,
  compact,
  rejectedVersions,
  rejectionOf,
  type RejectionRecord,
} from '../ledger/ledger';
import { validateReject } from './reject';

const platform = loadPlatform({});
let seq = 0;
function rec(version: string, action: RejectionRecord['action'], reason = 'INC-1'): RejectionRecord {
  return {
    schema: 1,
    seq: ++seq,
    kind: 'rejection',
    service: 'frontend',
    env: REJECTIONS_STREAM,
    version,
    digest: '',
    actor: 'alice',
    recordedAt: '2026-12-06T10:00:00Z',
    action,
    reason,
    approver: 'alice',
    identity: 'arn:aws:sts::123456789012:assumed-role/TDRReleaseApproverProd/alice',
  };
}

describe('rejections', () => {
  it('validates the request: a catalogue subject, a version, a bounded one-line reason', () => {
    const ok = { action: 'reject' as const, service: 'frontend', version: 'v2', reason: 'INC-1' };
    expect(() => validateReject({ platform }, ok)).to.not.throw();
    expect(() => validateReject({ platform }, { ...ok, service: 'nope' })).to.throw(
      /service: unknown "nope"/,
    );
    expect(() => validateReject({ platform }, { ...ok, service: 'maintenance' })).to.throw(/switch/);
    expect(() => validateReject({ platform }, { ...ok, version: 'latest' })).to.throw(/^version:/);
    expect(() => validateReject({ platform }, { ...ok, reason: '  ' })).to.throw(/reason: required/);
    expect(() => validateReject({ platform }, { ...ok, reason: 'x'.repeat(REASON_MAX + 1) })).to.throw(
      new RegExp(`reason: at most ${REASON_MAX}`),
    );
    expect(() => validateReject({ platform }, { ...ok, reason: 'a\nb' })).to.throw(
      /reason: must be one line/,
    );
  });

  it('refuses a version whose newest record rejects it, and only that version', () => {
    const records = [rec('v2', 'reject', 'corrupts metadata'), rec('v3', 'reject'), rec('v3', 'unreject')];
    const v2 = rejectionVerdict(records, 'frontend', 'v2');
    expect(v2.ok).to.equal(false);
    expect(v2.detail).to.contain('rejected by alice').and.contain('corrupts metadata');
    expect(rejectionVerdict(records, 'frontend', 'v3').ok).to.equal(true);
    expect(rejectionVerdict(records, 'frontend', 'v4').ok).to.equal(true);
    expect(rejectedVersions(records).map((r) => r.version)).to.deep.equal(['v2']);
  });

  it('compaction keeps the newest verdict of each of the newest versions, bounded', () => {
    const many = Array.from({ length: KEEP_REJECTIONS + 10 }, (_, i) => rec(`v${i + 1}`, 'reject'));
    const records = [...many, rec('v1', 'unreject'), rec(`v${KEEP_REJECTIONS + 10}`, 'unreject')];
    const kept = compact(records);
    expect(kept.length).to.equal(KEEP_REJECTIONS);
    // v1's unreject is the newest record, so it is kept and still says v1 is allowed.
    expect(rejectionOf(kept, 'v1')).to.equal(undefined);
    expect(rejectionOf(kept, `v${KEEP_REJECTIONS + 9}`)?.action).to.equal('reject');
    expect(rejectedVersions(kept).map((r) => r.version)).to.deep.equal(
      rejectedVersions(records)
        .map((r) => r.version)
        .filter((v) => kept.some((k) => k.version === v)),
    );
  });
});
