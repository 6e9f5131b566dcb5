/**
 * The deployment script with ECS mocked at the client (test/support/ecs-world.ts): moto's ECS
 * reports every rollout complete at once, so rollouts that FAIL, stall until the timeout, or are
 * moved by the circuit breaker can only be tested here.
 */
import {
  DescribeServicesCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { expect } from 'chai';
import { releaseService, type ReleaseRequest } from './ecs-service-rollout';
import { leaseKey } from '../ledger/lease';
import { recordKey } from '../ledger/ledger';
import {
  DIGEST,
  TD,
  URI,
  deploy,
  failed,
  ledger,
  release,
  steady,
  thrown,
  world,
} from '../../../test/support/ecs-world';

describe('release (deployment script, ECS mocked)', () => {
  it('deploys: started and succeeded records, the digest pinned, the lease released', async () => {
    const w = world();
    const r = await release(w.deps, deploy());
    expect(r.outcome).to.equal('succeeded');
    expect(w.images.get(TD(2))).to.equal(`${URI}@${DIGEST.v2}`);
    expect(w.ecs.commandCalls(UpdateServiceCommand).map((c) => c.args[0].input.taskDefinition)).to.deep.equal(
      [TD(2)],
    );
    expect(ledger(w).map((l) => [l.seq, l.kind === 'release' && l.outcome])).to.deep.equal([
      [1, 'started'],
      [2, 'succeeded'],
    ]);
    expect(w.s3.objects.has(leaseKey('frontend', 'intg'))).to.equal(false);
    expect(r.taskDefinitionDiff).to.deep.equal([
      `- containerDefinitions[0].image: "${URI}@${DIGEST.v1}"`,
      `+ containerDefinitions[0].image: "${URI}@${DIGEST.v2}"`,
    ]);
  });

  it('rollout FAILED → automatic rollback to the previous revision → exit 1, recorded rolled_back', async () => {
    const w = world(() => ({
      runningCount: 0,
      desiredCount: 1,
      deployments: [
        { status: 'PRIMARY', rolloutState: 'FAILED', rolloutStateReason: 'tasks failed to start' },
        { status: 'ACTIVE' },
      ],
    }));
    const run = await failed(releaseService(w.deps, deploy()));
    expect(run.result.outcome).to.equal('rolled_back');
    expect(run.failure).to.contain('rolled back: rollout FAILED: tasks failed to start');
    expect(w.ecs.commandCalls(UpdateServiceCommand).map((c) => c.args[0].input.taskDefinition)).to.deep.equal(
      [TD(2), TD(1)],
    );
    const last = ledger(w).at(-1);
    expect(last).to.include({
      seq: 2,
      outcome: 'rolled_back',
      taskDefinitionBefore: TD(1),
      taskDefinitionAfter: TD(1),
    });
    expect(w.service.td).to.equal(TD(1));
    expect(w.s3.objects.has(leaseKey('frontend', 'intg'))).to.equal(false);
  });

  it('a rollout that never settles times out, is rolled back, and exits 1; progress is logged while waiting', async () => {
    const w = world(() => ({
      runningCount: 0,
      desiredCount: 1,
      deployments: [{ status: 'PRIMARY', rolloutState: 'IN_PROGRESS' }, { status: 'ACTIVE' }],
    }));
    const start = w.clock.t;
    const run = await failed(releaseService(w.deps, deploy()));
    expect(run.result.outcome).to.equal('rolled_back');
    expect(run.failure).to.match(/timed out after 60 s \(running 0\/1, 2 deployments, rollout IN_PROGRESS\)/);
    expect(w.clock.t - start).to.equal(60_000);
    expect(
      w.logs.some((l) => /waiting for steady state: 0 s elapsed, running 0\/1, 2 deployments/.test(l)),
    ).to.equal(true);
    expect(w.logs.some((l) => /waiting for steady state: 30 s elapsed/.test(l))).to.equal(true);
    expect(ledger(w).at(-1)).to.include({ outcome: 'rolled_back' });
  });

  it('the circuit breaker moving the service back counts as failure', async () => {
    const w = world((_td, polls) =>
      polls > 1
        ? {}
        : { runningCount: 0, desiredCount: 1, deployments: [{ status: 'PRIMARY' }, { status: 'ACTIVE' }] },
    );
    w.ecs.on(DescribeServicesCommand).callsFake(() => {
      // After the first poll ECS's circuit breaker has put the old revision back.
      const moved = w.ecs.commandCalls(DescribeServicesCommand).length > 2;
      return {
        services: [
          {
            status: 'ACTIVE',
            taskDefinition: moved ? TD(1) : w.service.td,
            runningCount: moved ? 1 : 0,
            desiredCount: 1,
            deployments: [{ status: 'PRIMARY' }],
          },
        ],
      };
    });
    const run = await failed(releaseService(w.deps, deploy()));
    expect(run.result.outcome).to.equal('rolled_back');
    expect(run.failure).to.contain(`the service moved to ${TD(1)} while we waited`);
  });

  it('a rollback that also fails is recorded failed and exits 1', async () => {
    const w = world();
    w.ecs.on(DescribeServicesCommand).callsFake(() => ({
      services: [
        {
          status: 'ACTIVE',
          taskDefinition: w.service.td,
          runningCount: 0,
          desiredCount: 1,
          deployments: [
            {
              status: 'PRIMARY',
              rolloutState: w.ecs.commandCalls(UpdateServiceCommand).length > 0 ? 'FAILED' : 'COMPLETED',
            },
          ],
        },
      ],
    }));
    const run = await failed(releaseService(w.deps, deploy()));
    expect(run.result.outcome).to.equal('failed');
    expect(run.failure).to.contain('failed: rollout FAILED');
    expect(ledger(w).at(-1)).to.include({ outcome: 'failed' });
    expect((ledger(w).at(-1) as { detail: string }).detail).to.contain('rollback to');
  });

  it('a crash between started and outcome is settled by the next run from what ECS runs', async () => {
    const w = world(steady, `${URI}@${DIGEST.v2}`);
    // A previous run wrote `started` for v2, got ECS running v2, and died.
    const crashed = {
      schema: 1,
      seq: 1,
      kind: 'release',
      runId: 'crashed-run',
      action: 'deploy',
      outcome: 'started',
      service: 'frontend',
      env: 'intg',
      version: 'v2',
      digest: DIGEST.v2,
      image: `${URI}@${DIGEST.v2}`,
      gitCommit: null,
      taskDefinitionBefore: TD(1),
      taskDefinitionAfter: null,
      approver: null,
      buildUrl: null,
      sourceEnv: null,
      reason: null,
      breakGlass: false,
      gates: [],
      actor: 'jenkins',
      startedAt: '2026-11-25T09:00:00.000Z',
      finishedAt: null,
      detail: null,
      settles: null,
      recordedAt: '2026-11-25T09:00:00.000Z',
    };
    w.s3.objects.set(recordKey('frontend', 'intg', 1), { body: JSON.stringify(crashed), etag: '"x"' });
    const r = await release(w.deps, deploy('v3'));
    expect(r.settled).to.deep.equal([2]);
    const records = ledger(w);
    expect(records.map((l) => [l.seq, l.version, l.kind === 'release' && l.outcome])).to.deep.equal([
      [1, 'v2', 'started'],
      [2, 'v2', 'succeeded'],
      [3, 'v3', 'started'],
      [4, 'v3', 'succeeded'],
    ]);
    expect(records[1]).to.include({ runId: 'crashed-run', settles: 1 });
    expect((records[1] as { detail: string }).detail).to.match(
      /settled by jenkins: run crashed-run \(v2\) wrote ledger #1 and no outcome; ECS runs its digest steadily/,
    );
  });

  it('a crashed run whose digest ECS does not run is settled as failed', async () => {
    const w = world();
    const crashed = {
      schema: 1,
      seq: 1,
      kind: 'release',
      runId: 'crashed-run',
      action: 'deploy',
      outcome: 'started',
      service: 'frontend',
      env: 'intg',
      version: 'v3',
      digest: DIGEST.v3,
      image: `${URI}@${DIGEST.v3}`,
      gitCommit: null,
      taskDefinitionBefore: TD(1),
      taskDefinitionAfter: null,
      approver: null,
      buildUrl: null,
      sourceEnv: null,
      reason: null,
      breakGlass: false,
      gates: [],
      actor: 'jenkins',
      startedAt: '2026-11-25T09:00:00.000Z',
      finishedAt: null,
      detail: null,
      settles: null,
      recordedAt: '2026-11-25T09:00:00.000Z',
    };
    w.s3.objects.set(recordKey('frontend', 'intg', 1), { body: JSON.stringify(crashed), etag: '"x"' });
    await release(w.deps, deploy('v2'));
    expect(ledger(w)[1]).to.include({ outcome: 'failed', settles: 1, version: 'v3' });
  });

  it('an open run whose digest ECS runs but has not settled is recorded failed and superseded', async () => {
    const w = world(steady, `${URI}@${DIGEST.v2}`);
    w.ecs.on(DescribeServicesCommand).callsFake(() => {
      const rolling = w.ecs.commandCalls(UpdateServiceCommand).length === 0;
      return {
        services: [
          {
            status: 'ACTIVE',
            taskDefinition: w.service.td,
            runningCount: rolling ? 0 : 1,
            desiredCount: 1,
            deployments: rolling ? [{ status: 'PRIMARY' }, { status: 'ACTIVE' }] : [{ status: 'PRIMARY' }],
          },
        ],
      };
    });
    const open = (seq: number, runId: string) => ({
      schema: 1,
      seq,
      kind: 'release',
      runId,
      action: 'deploy',
      outcome: 'started',
      service: 'frontend',
      env: 'intg',
      version: 'v2',
      digest: DIGEST.v2,
      image: `${URI}@${DIGEST.v2}`,
      gitCommit: null,
      taskDefinitionBefore: TD(1),
      taskDefinitionAfter: null,
      approver: null,
      buildUrl: null,
      sourceEnv: null,
      reason: null,
      breakGlass: false,
      gates: [],
      actor: 'jenkins',
      startedAt: '2026-11-25T09:00:00.000Z',
      finishedAt: null,
      detail: null,
      settles: null,
      recordedAt: '2026-11-25T09:00:00.000Z',
    });
    w.s3.objects.set(recordKey('frontend', 'intg', 1), {
      body: JSON.stringify(open(1, 'older')),
      etag: '"a"',
    });
    w.s3.objects.set(recordKey('frontend', 'intg', 2), {
      body: JSON.stringify(open(2, 'newer')),
      etag: '"b"',
    });
    const r = await release(w.deps, deploy('v3'));
    expect(r.settled).to.deep.equal([3, 4]);
    const [older, newer] = ledger(w).slice(2, 4) as Array<{ runId: string; outcome: string; detail: string }>;
    expect(older).to.include({ runId: 'older', outcome: 'failed' });
    expect(older?.detail).to.contain('superseded by run newer before its outcome was recorded');
    expect(newer).to.include({ runId: 'newer', outcome: 'failed' });
    expect(newer?.detail).to.contain('ECS runs its digest but is not steady (running 0/1, 2 deployments)');
  });

  it('an AWS error before the service update is recorded failed (nothing changed), exit 1, lease released', async () => {
    const w = world();
    w.ecs
      .on(RegisterTaskDefinitionCommand)
      .rejects(Object.assign(new Error('not allowed'), { name: 'AccessDeniedException' }));
    const err = await thrown(releaseService(w.deps, deploy()));
    expect(err.kind).to.equal('failed');
    expect(err.message).to.equal(
      'registering a revision of task family frontend-intg: AccessDeniedException: not allowed',
    );
    expect(w.ecs.commandCalls(UpdateServiceCommand)).to.have.length(0);
    expect(ledger(w).map((l) => l.kind === 'release' && [l.outcome, l.detail])).to.deep.equal([
      ['started', null],
      [
        'failed',
        'nothing changed: registering a revision of task family frontend-intg: AccessDeniedException: not allowed',
      ],
    ]);
    expect(w.s3.objects.has(leaseKey('frontend', 'intg'))).to.equal(false);
  });

  it('an AWS error after the update leaves the outcome open for ECS to settle, exit 1, lease released', async () => {
    const w = world();
    let describes = 0;
    w.ecs.on(DescribeServicesCommand).callsFake(() => {
      if (++describes > 1) throw Object.assign(new Error('gone'), { name: 'AccessDeniedException' });
      return { services: [{ status: 'ACTIVE', taskDefinition: w.service.td, ...steady(w.service.td, 1) }] };
    });
    const err = await thrown(releaseService(w.deps, deploy()));
    expect(err.kind).to.equal('failed');
    expect(ledger(w).map((l) => l.kind === 'release' && l.outcome)).to.deep.equal(['started']);
    expect(
      w.logs.some((l) => l.includes('ledger #1 is left open; the next operation settles it from ECS')),
    ).to.equal(true);
    expect(w.s3.objects.has(leaseKey('frontend', 'intg'))).to.equal(false);
  });

  it('exits 4 naming the holder while another release holds the lease, and changes nothing', async () => {
    const w = world();
    w.s3.objects.set(leaseKey('frontend', 'intg'), {
      body: JSON.stringify({
        holder: 'alice (deploy v3, run r9)',
        runId: 'r9',
        acquiredAt: '2026-11-25T09:59:00Z',
        expiresAt: '2026-11-25T10:30:00Z',
      }),
      etag: '"held"',
    });
    const err = await thrown(releaseService(w.deps, deploy()));
    expect(err.kind).to.equal('conflict');
    expect(err.message).to.contain('alice (deploy v3, run r9)');
    expect(w.ecs.commandCalls(RegisterTaskDefinitionCommand)).to.have.length(0);
    expect(ledger(w)).to.have.length(0);
  });

  it('takes over an expired lease (a crashed run cannot block forever)', async () => {
    const w = world();
    w.s3.objects.set(leaseKey('frontend', 'intg'), {
      body: JSON.stringify({
        holder: 'crashed',
        runId: 'r0',
        acquiredAt: '2026-11-25T08:00:00Z',
        expiresAt: '2026-11-25T09:00:00Z',
      }),
      etag: '"old"',
    });
    const r = await release(w.deps, deploy());
    expect(r.outcome).to.equal('succeeded');
  });

  it('bad input exits 2 before any AWS call', async () => {
    const w = world();
    const bad: ReleaseRequest[] = [
      deploy('42'),
      { ...deploy(), service: 'nope' },
      { ...deploy(), env: 'qa' },
      { ...deploy(), env: 'mgmt' },
      { ...deploy(), service: 'consignment-export' },
      { ...deploy(), breakGlass: true },
      { action: 'deploy', service: 'frontend', env: 'intg', actor: 'x' },
    ];
    for (const req of bad) {
      const err = await thrown(releaseService(w.deps, req));
      expect(err.kind, `${JSON.stringify(req)}: ${err.message}`).to.equal('invalid');
    }
    expect(w.ecs.calls()).to.have.length(0);
    expect(w.ecr.calls()).to.have.length(0);
    expect(w.s3.mock.calls()).to.have.length(0);
  });

  it('a missing approval is a gate refusal (exit 3) with no write', async () => {
    const w = world();
    // Where ECS holds the deployment for the approval (prod's canary), the approval is given at
    // the pause (./ecs-progressive.test.ts); released rolling, it is needed before.
    const p = w.deps.platform;
    const rolling = { kind: 'rolling', circuitBreaker: true, alarmRollback: false } as const;
    w.deps = {
      ...w.deps,
      platform: {
        ...p,
        environments: { ...p.environments, prod: { ...p.environments.prod, delivery: rolling } },
      },
    };
    const err = await thrown(
      releaseService(w.deps, { action: 'promote', service: 'frontend', env: 'prod', actor: 'bob' }),
    );
    expect(err.kind).to.equal('refused');
    expect(err.message).to.contain('prod needs an approval by one of its approvers (admins)');
    // Reading may repair the ledger's head (a cache); nothing is recorded and no lease is taken.
    const writes = w.s3.mock.commandCalls(PutObjectCommand).map((c) => c.args[0].input.Key);
    expect(writes.filter((k) => !k?.startsWith('heads/'))).to.deep.equal([]);
  });
});
