/**
 * Leases that heal: renewed while the run works, a run that loses its lease or is interrupted
 * stops between calls and records what is known, and notifications wait for no one.
 */
import { RegisterTaskDefinitionCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { expect } from 'chai';
import { releaseService } from '../strategies/ecs-service-rollout';
import { InterruptedError } from './guard';
import { LeaseLostError, leaseKey } from '../ledger/lease';
import { deploy, ledger, release, world, type Behaviour } from '../../../test/support/ecs-world';

const pending: Behaviour = (_td, polls) =>
  polls < 40
    ? {
        runningCount: 0,
        desiredCount: 1,
        deployments: [{ status: 'PRIMARY', rolloutState: 'IN_PROGRESS' }, {}],
      }
    : { runningCount: 1, desiredCount: 1, deployments: [{ status: 'PRIMARY', rolloutState: 'COMPLETED' }] };

describe('lease guard', () => {
  it('renews the lease while a rollout takes longer than its TTL, and releases it at the end', async () => {
    const w = world(pending);
    const deps = { ...w.deps, leaseTtlMs: 60_000, timeoutMs: 10 * 60_000 };
    const expiries: string[] = [];
    const { PutObjectCommand } = await import('@aws-sdk/client-s3');
    const r = await release(deps, deploy());
    for (const c of w.s3.mock.commandCalls(PutObjectCommand)) {
      const input = c.args[0].input;
      if (input.Key === leaseKey('frontend', 'intg') && input.IfMatch)
        expiries.push((JSON.parse(String(input.Body)) as { expiresAt: string }).expiresAt);
    }
    expect(r.outcome).to.equal('succeeded');
    // 40 polls of 5 s: 200 s of waiting under a 60 s lease, renewed every 20 s.
    expect(expiries.length).to.be.at.least(9);
    expect(w.s3.objects.has(leaseKey('frontend', 'intg'))).to.equal(false);
  });

  it('a run whose lease was broken stops before its next change and leaves the run open', async () => {
    const w = world(pending);
    const deps = { ...w.deps, leaseTtlMs: 60_000, timeoutMs: 10 * 60_000 };
    w.ecs.on(UpdateServiceCommand).callsFake((input: { taskDefinition: string }) => {
      w.service.td = input.taskDefinition;
      w.s3.objects.delete(leaseKey('frontend', 'intg')); // tdr lease break, meanwhile
      return { service: { taskDefinition: input.taskDefinition } };
    });
    const err = await releaseService(deps, deploy()).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(LeaseLostError);
    expect(ledger(w).map((l) => l.kind === 'release' && l.outcome)).to.deep.equal(['started']);
    expect(w.logs.some((l) => l.includes('is left open; the next operation settles it from ECS'))).to.equal(
      true,
    );
  });

  it('a lease broken while the revision registers stops the run before UpdateService, recorded as stopped (issue 24 #6)', async () => {
    const w = world();
    const updates = w.ecs.commandCalls(UpdateServiceCommand).length;
    w.ecs.on(RegisterTaskDefinitionCommand).callsFake(() => {
      w.s3.objects.delete(leaseKey('frontend', 'intg')); // tdr lease break, well within the renewal period
      return {
        taskDefinition: { taskDefinitionArn: 'arn:aws:ecs:eu-west-2:2:task-definition/frontend-intg:2' },
      };
    });
    const err = await releaseService(w.deps, deploy()).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(LeaseLostError);
    expect(w.ecs.commandCalls(UpdateServiceCommand)).to.have.length(updates);
    const records = ledger(w).map((l) => l.kind === 'release' && [l.outcome, l.detail]);
    expect(records).to.have.length(2);
    expect(records[1]).to.deep.equal([
      'failed',
      'nothing changed: the lease was broken (tdr lease break) or released by someone else: stopped before the next change',
    ]);
  });

  it('SIGTERM before the service update: nothing changed is recorded, the lease released, InterruptedError', async () => {
    const w = world();
    const stop = new AbortController();
    const registered = w.ecs.commandCalls(RegisterTaskDefinitionCommand).length;
    w.ecs.on(RegisterTaskDefinitionCommand).callsFake(() => {
      stop.abort('SIGTERM'); // arrives while the call is in flight: it finishes
      return {
        taskDefinition: { taskDefinitionArn: 'arn:aws:ecs:eu-west-2:2:task-definition/frontend-intg:2' },
      };
    });
    const err = await releaseService({ ...w.deps, signal: stop.signal }, deploy()).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(InterruptedError);
    expect((err as InterruptedError).signal).to.equal('SIGTERM');
    expect(w.ecs.commandCalls(RegisterTaskDefinitionCommand).length).to.equal(registered + 1);
    expect(w.ecs.commandCalls(UpdateServiceCommand)).to.have.length(0);
    expect(ledger(w).map((l) => l.kind === 'release' && [l.outcome, l.detail])).to.deep.equal([
      ['started', null],
      ['failed', 'nothing changed: interrupted by SIGTERM'],
    ]);
    expect(w.s3.objects.has(leaseKey('frontend', 'intg'))).to.equal(false);
  });

  it('SIGINT while waiting: the run is left open for ECS to settle, the lease released at once', async () => {
    const w = world(pending);
    const stop = new AbortController();
    const deps = {
      ...w.deps,
      signal: stop.signal,
      sleep: async (ms: number) => {
        w.clock.t += ms;
        if (w.clock.t > Date.parse('2026-11-25T10:00:30Z')) stop.abort('SIGINT');
      },
    };
    const err = await releaseService(deps, deploy()).catch((e: unknown) => e);
    expect((err as InterruptedError).signal).to.equal('SIGINT');
    expect(ledger(w).map((l) => l.kind === 'release' && l.outcome)).to.deep.equal(['started']);
    expect(w.s3.objects.has(leaseKey('frontend', 'intg'))).to.equal(false);
  });

  it('notifies only after the lease is released, and a Grafana that never answers times out', async () => {
    const w = world();
    let leaseHeldAtNotify: boolean | undefined;
    const deps = {
      ...w.deps,
      notifier: {
        timeoutMs: 50,
        annotations: {
          createAnnotation: () => {
            leaseHeldAtNotify = w.s3.objects.has(leaseKey('frontend', 'intg'));
            return new Promise(() => undefined);
          },
        },
      },
    };
    const r = await release(deps, deploy());
    expect(leaseHeldAtNotify).to.equal(false);
    expect(r.notifications.find((n) => n.channel === 'grafana')).to.include({
      status: 'failed',
      detail: 'creating the annotation: no answer within 50 ms',
    });
  });
});
