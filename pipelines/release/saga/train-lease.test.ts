/**
 * The train lease inside the engine (issue 26): every single-member change that enters the saga
 * (service and function release or rollback, task run) is refused while a train holds the member,
 * before anything is read or written but the lease; the train's own member runs pass with its
 * lease's run id; a crashed train's expired lease still holds its members until it is settled.
 * S3 is the in-memory bucket (test/support/memory-s3.ts); ECS and ECR are mocked (ecs-world.ts).
 */
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { expect } from 'chai';
import { TRAIN_SUBJECT } from '../../../services/naming';
import { leaseKey, type LeaseBody } from '../ledger/lease';
import type { TrainRecord } from '../ledger/ledger';
import { ledgerOf } from './context';
import { refuseIfInTrain, trainHolder, TrainInFlightError } from './train-lease';
import { releaseService } from '../strategies/ecs-service-rollout';
import { releaseFunction } from '../strategies/lambda-alias-shift';
import { runTask } from '../strategies/ecs-task-run';
import { deploy, ledger, release, thrown, world, type World } from '../../../test/support/ecs-world';

const TRAIN = 'train-0123456789abcdef';
const MEMBERS = ['frontend', 'checksum', 'consignment-api-data'];
const KEY = leaseKey(TRAIN_SUBJECT, 'intg');

/** A train's lease as promote writes it: `ttlMs` from the world's clock (negative: expired). */
function holdTrain(w: World, ttlMs: number, extra: Partial<LeaseBody> = {}): void {
  const body: LeaseBody = {
    holder: trainHolder(TRAIN, 'carol'),
    runId: 'train-run-1',
    acquiredAt: new Date(w.clock.t - 1_000).toISOString(),
    expiresAt: new Date(w.clock.t + ttlMs).toISOString(),
    members: MEMBERS,
    ...extra,
  };
  w.s3.objects.set(KEY, { body: JSON.stringify(body), etag: '"train-lease"' });
}

/** A record of the train's stream, as promote writes it. */
async function trainStep(w: World, action: TrainRecord['action'], outcome: TrainRecord['outcome']) {
  await ledgerOf(w.deps).append({
    kind: 'train',
    service: TRAIN_SUBJECT,
    env: 'intg',
    version: TRAIN,
    digest: '',
    actor: 'carol',
    action,
    outcome,
    runId: action === 'plan' ? null : 'train-run-1',
    sourceEnv: 'dev',
    members: [],
    leftOut: [],
    progress: [],
    detail: null,
  });
}

const s3Calls = (w: World) => w.s3.mock.calls().length;

describe('the train lease, checked by the saga (issue 26)', () => {
  it('refuses every single-member change of a member in flight, with the train id, and changes nothing', async () => {
    const w = world();
    holdTrain(w, 600_000);
    const entries: Array<[string, () => Promise<unknown>]> = [
      ['service release', () => releaseService(w.deps, deploy())],
      ['service rollback', () => releaseService(w.deps, deploy('v1', { action: 'rollback' }))],
      ['function release', () => releaseFunction(w.deps, { ...deploy(), service: 'checksum' })],
      [
        'task run',
        () => runTask(w.deps, { task: 'consignment-api-data', env: 'intg', version: 'v2', actor: 'jenkins' }),
      ],
    ];
    // Every entry the brief names, and each of them one member of the train.
    expect(entries.length).to.equal(MEMBERS.length + 1);
    for (const [what, run] of entries) {
      const before = s3Calls(w);
      const err = await thrown(run());
      expect(err, what).to.be.instanceOf(TrainInFlightError);
      expect(err.kind, what).to.equal('conflict');
      expect(err.message, what).to.contain(`member of release train ${TRAIN} in flight`);
      expect((err as TrainInFlightError).trainId).to.equal(TRAIN);
      // Bounded: one S3 read (the train lease), and nothing else asked of AWS.
      expect(s3Calls(w) - before, what).to.equal(1);
      expect(w.s3.mock.commandCalls(GetObjectCommand).at(-1)?.args[0].input.Key).to.equal(KEY);
    }
    expect(w.ecs.calls().length + w.ecr.calls().length).to.equal(0);
    expect(ledger(w)).to.deep.equal([]);
    expect([...w.s3.objects.keys()]).to.deep.equal([KEY]);
  });

  it('lets through a change of what the train does not carry, after one read', async () => {
    const w = world();
    holdTrain(w, 600_000, { members: ['checksum'] });
    expect((await release(w.deps, deploy())).outcome).to.equal('succeeded');
    expect(
      w.s3.mock.commandCalls(GetObjectCommand).filter((c) => c.args[0].input.Key === KEY),
    ).to.have.length(1);
  });

  it("lets the train's own member run through with its lease's run id, and no one else", async () => {
    const w = world();
    holdTrain(w, 600_000);
    const stale = await thrown(
      releaseService(w.deps, deploy('v2', { train: { trainId: TRAIN, runId: 'an-older-run' } })),
    );
    expect(stale).to.be.instanceOf(TrainInFlightError);
    const other = await thrown(
      releaseService(
        w.deps,
        deploy('v2', { train: { trainId: 'train-ffffffffffffffff', runId: 'train-run-1' } }),
      ),
    );
    expect(other).to.be.instanceOf(TrainInFlightError);
    const own = await release(w.deps, deploy('v2', { train: { trainId: TRAIN, runId: 'train-run-1' } }));
    expect(own.outcome).to.equal('succeeded');
  });

  it('a lease that names no members (an older train) holds every member', async () => {
    const w = world();
    holdTrain(w, 600_000, { members: undefined });
    const err = await thrown(releaseService(w.deps, deploy()));
    expect(err).to.be.instanceOf(TrainInFlightError);
  });

  it('an expired lease of a train whose run has no outcome still refuses, saying how to settle it', async () => {
    const w = world();
    await trainStep(w, 'plan', 'recorded');
    await trainStep(w, 'promote', 'started');
    await trainStep(w, 'promote', 'progress');
    holdTrain(w, -1);
    const err = await thrown(releaseService(w.deps, deploy()));
    expect(err).to.be.instanceOf(TrainInFlightError);
    expect(err.message).to.contain(`release train ${TRAIN}, which stopped without an outcome`);
    expect(err.message).to.contain(`tdr train promote --train ${TRAIN} --to intg to resume it`);
    expect(err.message).to.contain(`tdr train rollback --train ${TRAIN} --to intg`);
  });

  it('an expired lease of a train that recorded its outcome, or never started, is no obstacle', async () => {
    for (const steps of [
      [],
      [
        ['promote', 'started'],
        ['promote', 'succeeded'],
      ],
    ] as const) {
      const w = world();
      await trainStep(w, 'plan', 'recorded');
      for (const [action, outcome] of steps) await trainStep(w, action, outcome);
      holdTrain(w, -1);
      await refuseIfInTrain(w.deps, 'frontend', 'intg');
      expect((await release(w.deps, deploy())).outcome).to.equal('succeeded');
    }
  });

  it('no train lease: one read, nothing refused; a dry run does not read it', async () => {
    const w = world();
    await refuseIfInTrain(w.deps, 'frontend', 'intg');
    expect(s3Calls(w)).to.equal(1);
    holdTrain(w, 600_000);
    const before = w.s3.mock.commandCalls(GetObjectCommand).length;
    await releaseService(w.deps, deploy('v2', { dryRun: true }));
    expect(
      w.s3.mock
        .commandCalls(GetObjectCommand)
        .slice(before)
        .map((c) => c.args[0].input.Key),
    ).to.not.include(KEY);
  });
});
