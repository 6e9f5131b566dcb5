/** The lease: conditional put to take, If-Match to take over when expired, conditional delete to give back. */
import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { expect } from 'chai';
import type { LeaseHeldError } from '../errors';
import { Leases, leaseKey } from './lease';
import { memoryS3 } from '../../../test/support/memory-s3';

describe('lease', () => {
  const t0 = Date.parse('2026-11-25T10:00:00Z');

  it('is taken by one, refused to the next naming the holder, and free again once released', async () => {
    const s3 = memoryS3();
    const clock = { t: t0 };
    const leases = new Leases(s3.client, 'b', () => new Date(clock.t));
    const mine = await leases.acquire('frontend', 'prod', 'bob (promote v2)', 'r1', 60_000);
    expect(mine).to.include({ holder: 'bob (promote v2)', expiresAt: '2026-11-25T10:01:00.000Z' });
    let message = '';
    await leases
      .acquire('frontend', 'prod', 'carol', 'r2', 60_000)
      .catch((e: LeaseHeldError) => (message = `${e.kind} ${e.message}`));
    expect(message).to.equal(
      'conflict another release holds the lease: bob (promote v2) (until 2026-11-25T10:01:00.000Z)',
    );
    await leases.release(mine);
    expect(s3.objects.has(leaseKey('frontend', 'prod'))).to.equal(false);
    expect(s3.mock.commandCalls(DeleteObjectCommand)[0]?.args[0].input.IfMatch).to.equal(mine.etag);
    await leases.acquire('frontend', 'prod', 'carol', 'r2', 60_000);
  });

  it('is independent per service × environment', async () => {
    const leases = new Leases(memoryS3().client, 'b', () => new Date(t0));
    await leases.acquire('frontend', 'prod', 'a', 'r1', 60_000);
    await leases.acquire('frontend', 'staging', 'b', 'r2', 60_000);
    await leases.acquire('keycloak', 'prod', 'c', 'r3', 60_000);
  });

  it('expires: a crashed holder is taken over with If-Match on its ETag', async () => {
    const s3 = memoryS3();
    const clock = { t: t0 };
    const leases = new Leases(s3.client, 'b', () => new Date(clock.t));
    const old = await leases.acquire('frontend', 'prod', 'crashed', 'r1', 60_000);
    clock.t += 60_001;
    const mine = await leases.acquire('frontend', 'prod', 'bob', 'r2', 60_000);
    expect(mine.holder).to.equal('bob');
    const takeOver = s3.mock.commandCalls(PutObjectCommand).at(-1)?.args[0].input;
    expect(takeOver?.IfMatch).to.equal(old.etag);
    // The crashed run, coming back, cannot delete the lease it lost.
    await leases.release(old);
    expect(s3.objects.has(leaseKey('frontend', 'prod'))).to.equal(true);
  });
});
