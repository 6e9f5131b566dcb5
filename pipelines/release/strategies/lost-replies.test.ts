/**
 * Writes whose reply is lost: S3 or ECS applied the call, and the caller saw an error (a reset,
 * or the SDK's retry meeting the 412 its own first try caused). Each is recognised as the
 * caller's own, or settled from what ECS runs; none is written twice or reported wrongly.
 */
import { UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { expect } from 'chai';
import { releaseService } from './ecs-service-rollout';
import { LeaseHeldError } from '../errors';
import { Leases, leaseKey } from '../ledger/lease';
import { Ledger, type NewRecord } from '../ledger/ledger';
import { awsError, memoryS3 } from '../../../test/support/memory-s3';
import { TD, deploy, ledger, release, world } from '../../../test/support/ecs-world';

const reset = () => Object.assign(new Error('socket hang up'), { name: 'Error', code: 'ECONNRESET' });

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

describe('lost replies', () => {
  for (const [what, lost] of [
    ['a reset', reset],
    ['412 on the retry', () => awsError('PreconditionFailed', 412)],
  ] as const) {
    it(`a ledger record applied with its reply lost (${what}) is recognised as ours, never written again`, async () => {
      const s3 = memoryS3();
      let once = true;
      s3.lostReply = (cmd, key) =>
        cmd === 'PutObject' && key.startsWith('records/') && once ? ((once = false), lost()) : undefined;
      const ledger = new Ledger(s3.client, 'b');
      const rec = await ledger.append(check('a'));
      expect(rec.seq).to.equal(1);
      await ledger.append(check('b'));
      const records = await ledger.records('frontend', 'staging');
      expect(records.map((r) => [r.seq, r.kind === 'check' && r.name])).to.deep.equal([
        [1, 'a'],
        [2, 'b'],
      ]);
    });
  }

  it('a ledger write that failed before S3 applied it fails, naming the key; nothing is written', async () => {
    const s3 = memoryS3();
    s3.mock.on(PutObjectCommand).rejects(reset());
    const err = await new Ledger(s3.client, 'b').append(check('a')).catch((e: Error) => e);
    expect((err as Error).message).to.match(
      /^writing ledger record s3:\/\/b\/records\/frontend\/staging\/0000000001.json: /,
    );
  });

  it('a lease taken with its reply lost is ours, not "held by another release"', async () => {
    const s3 = memoryS3();
    s3.lostReply = (cmd, key) =>
      cmd === 'PutObject' && key.startsWith('leases/') ? awsError('PreconditionFailed', 412) : undefined;
    const leases = new Leases(s3.client, 'b');
    const lease = await leases.acquire('frontend', 'prod', 'bob', 'r1', 60_000);
    expect(lease).to.include({ runId: 'r1', holder: 'bob' });
    s3.lostReply = undefined;
    await leases.release(lease);
    expect(s3.objects.has(leaseKey('frontend', 'prod'))).to.equal(false);
    const other = await leases.acquire('frontend', 'prod', 'carol', 'r2', 60_000);
    const err = await leases.acquire('frontend', 'prod', 'dave', 'r3', 60_000).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(LeaseHeldError);
    expect(other.runId).to.equal('r2');
  });

  it('a lease that cannot be released does not turn a success into a failure', async () => {
    const w = world();
    w.s3.lostReply = (cmd) => (cmd === 'DeleteObject' ? awsError('InternalError', 500) : undefined);
    const r = await release(w.deps, deploy());
    expect(r.outcome).to.equal('succeeded');
    expect(w.logs.some((l) => /could not release the lease .*; it expires at/.test(l))).to.equal(true);
  });

  it('UpdateService applied with its reply lost: ECS shows our revision, so the run goes on and succeeds', async () => {
    const w = world();
    let once = true;
    w.ecs.on(UpdateServiceCommand).callsFake((input: { taskDefinition: string }) => {
      w.service.td = input.taskDefinition;
      if (once) {
        once = false;
        throw reset();
      }
      return { service: { taskDefinition: input.taskDefinition } };
    });
    const r = await release(w.deps, deploy());
    expect(r.outcome).to.equal('succeeded');
    expect(w.service.td).to.equal(TD(2));
    expect(ledger(w).map((l) => l.kind === 'release' && l.outcome)).to.deep.equal(['started', 'succeeded']);
    expect(w.logs.some((l) => l.includes("the update's reply was lost"))).to.equal(true);
  });

  it('UpdateService failed and ECS cannot be asked either: the run is left open for ECS to settle, exit 1', async () => {
    const w = world();
    w.ecs.on(UpdateServiceCommand).rejects(reset());
    let describes = 0;
    const { DescribeServicesCommand } = await import('@aws-sdk/client-ecs');
    w.ecs.on(DescribeServicesCommand).callsFake(() => {
      if (++describes > 1) throw reset();
      return {
        services: [{ status: 'ACTIVE', taskDefinition: w.service.td, runningCount: 1, desiredCount: 1 }],
      };
    });
    const err = await releaseService(w.deps, deploy()).catch((e: unknown) => e);
    expect((err as { kind?: string }).kind).to.equal('failed');
    expect(ledger(w).map((l) => l.kind === 'release' && l.outcome)).to.deep.equal(['started']);
    expect(w.logs.some((l) => l.includes('outcome unknown'))).to.equal(true);
  });
});
