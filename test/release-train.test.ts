/**
 * Release trains against moto (issue 26): three services, one function and the migrations task go
 * from staging to prod with one approval, in dependency order, in one train record naming each
 * member's own records; rolled back by hand; and a train whose third member fails leaves prod
 * exactly as it was, checked against ECS and the function's alias.
 */
import { BatchDeleteImageCommand, ECRClient, PutImageCommand } from '@aws-sdk/client-ecr';
import { DeleteObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { expect } from 'chai';
import { loadPlatform } from '../services/config';
import { naming } from '../services/naming';
import { trainOrder } from '../services/train-order';
import { entryOfKind } from '../services/queries';
import { fakeManifest } from '../sandbox/definitions';
import { APPROVER_ROLE, as, liveImage, tdr } from './support/release';
import { TRAIN_FUNCTION, TRAIN_SERVICES, TRAIN_TASK, stagedTrain } from './support/train';

type Env = Record<string, string | undefined>;
const SERVICES = TRAIN_SERVICES;
const FN = TRAIN_FUNCTION;
const TASK = TRAIN_TASK;
const EXPECTED_ORDER = trainOrder(loadPlatform({}).catalogue, [...SERVICES, FN, TASK]);

/** What prod runs, read from ECS and the function's live alias (not from the ledger). */
async function prodState(env: Env): Promise<Record<string, string | null>> {
  const state: Record<string, string | null> = {};
  for (const s of SERVICES) state[s] = (await liveImage(s, 'prod')).image;
  const rows = JSON.parse(
    (await tdr(['status', '--service', FN, '--env', 'prod', '-o', 'json'], env)).stdout,
  ) as Array<{
    lambda: { sha256: string | null; aliasVersion: string | null };
  }>;
  state[FN] = `${rows[0]?.lambda.aliasVersion} ${rows[0]?.lambda.sha256}`;
  return state;
}

interface Plan {
  trainId: string;
  members: Array<{
    name: string;
    version: string;
    before: { version: string } | null;
    gates: Array<{ ok: boolean }>;
  }>;
}
interface Run {
  outcome: string;
  progress: Array<{ name: string; action: string; outcome: string; ledger: number[] }>;
}

describe('tdr train (moto)', () => {
  it('plans, approves once, promotes in order, rolls back by hand; a failing third member rolls the train back', async () => {
    const env = await stagedTrain();
    const before = await prodState(env);

    const plan = JSON.parse(
      (await tdr(['train', 'plan', '--from', 'staging', '--to', 'prod', '-o', 'json'], env)).stdout,
    ) as Plan;
    expect(plan.members.map((m) => m.name)).to.deep.equal(EXPECTED_ORDER);
    expect(plan.members.every((m) => m.version === 'v2')).to.equal(true);
    expect(plan.members.flatMap((m) => m.gates).every((g) => g.ok)).to.equal(true);
    // Content-addressed: planning the same set again is the same train.
    const again = JSON.parse((await tdr(['train', 'plan', '-o', 'json'], env)).stdout) as Plan;
    expect(again.trainId).to.equal(plan.trainId);

    // A train in flight (its lease, as promote holds it, naming its members) refuses a single
    // change of one of its members there, checked inside the engine's saga: a promotion and a
    // task run both exit 4, naming the train.
    const s3 = new S3Client({});
    const key = `leases/train/prod.json`;
    const now = Date.now();
    await s3.send(
      new PutObjectCommand({
        Bucket: naming.ledgerBucket(),
        Key: key,
        Body: JSON.stringify({
          holder: `${plan.trainId} by carol`,
          runId: 'r-test',
          acquiredAt: new Date(now).toISOString(),
          expiresAt: new Date(now + 600_000).toISOString(),
          members: plan.members.map((m) => m.name),
        }),
      }),
    );
    const raced = await tdr(['promote', '--service', SERVICES[0], '--to', 'prod', '--actor', 'bob'], env, 4);
    expect(raced.stderr).to.contain(`member of release train ${plan.trainId}`);
    const task = plan.members.find((m) => m.name === TASK);
    expect(task, `${TASK} is a member of the train`).to.not.equal(undefined);
    const ran = await tdr(
      ['task', 'run', '--task', TASK, '--env', 'prod', '--version', task?.version ?? '', '--actor', 'bob'],
      env,
      4,
    );
    expect(ran.stderr).to.contain(`member of release train ${plan.trainId}`);
    await s3.send(new DeleteObjectCommand({ Bucket: naming.ledgerBucket(), Key: key }));

    // Four eyes: the promoter cannot have approved, and without the approval no member moves.
    const unapproved = await tdr(['train', 'promote', '--train', plan.trainId, '--actor', 'bob'], env, 3);
    expect(unapproved.stderr).to.contain('approval');
    await tdr(['train', 'approve', '--train', plan.trainId], await as(env, APPROVER_ROLE, 'alice'));
    const out = JSON.parse(
      (await tdr(['train', 'promote', '--train', plan.trainId, '--actor', 'bob', '-o', 'json'], env)).stdout,
    ) as Run;
    expect(out.outcome).to.equal('succeeded');
    expect(out.progress.map((p) => p.name)).to.deep.equal(EXPECTED_ORDER);
    expect(out.progress.every((p) => p.outcome === 'succeeded' && p.ledger.length > 0)).to.equal(true);
    for (const s of SERVICES)
      expect((await liveImage(s, 'prod')).image).to.equal((await liveImage(s, 'staging')).image);

    // Seen: tdr status names the last train of prod, on every row of prod and in its table.
    const rows = JSON.parse(
      (await tdr(['status', '--service', SERVICES[0], '--env', 'prod', '-o', 'json'], env)).stdout,
    ) as Array<{ train: { trainId: string; outcome: string; inFlight: boolean } | null }>;
    expect(rows[0]?.train).to.include({ trainId: plan.trainId, outcome: 'succeeded', inFlight: false });
    expect((await tdr(['status', '--env', 'prod'], env)).stdout).to.contain(
      `TRAIN prod: ${plan.trainId} promote succeeded (${plan.members.length} members`,
    );

    await tdr(['train', 'rollback', '--train', plan.trainId, '--actor', 'bob'], env);
    expect(await prodState(env)).to.deep.equal(before);

    // The third member's tag moves after the plan: its gate refuses, the train stops and what went
    // out before it is rolled back; prod ends exactly as it was.
    const third = plan.members[2]?.name ?? '';
    const entry = entryOfKind(loadPlatform({}).catalogue, third, 'service');
    expect(entry, `${third} is a service (its tag can move)`).to.not.equal(undefined);
    const repo = naming.ecrRepository(entry?.imageRepository ?? third);
    await tdr(['train', 'approve', '--train', plan.trainId], await as(env, APPROVER_ROLE, 'alice'));
    // Moving a tag is deleting it and pushing another image under it (moto refuses a re-put).
    const ecr = new ECRClient({});
    await ecr.send(new BatchDeleteImageCommand({ repositoryName: repo, imageIds: [{ imageTag: 'v2' }] }));
    await ecr.send(
      new PutImageCommand({
        repositoryName: repo,
        imageTag: 'v2',
        imageManifest: fakeManifest(repo, 'moved'),
      }),
    );
    const failed = await tdr(
      ['train', 'promote', '--train', plan.trainId, '--actor', 'bob', '-o', 'json'],
      env,
      1,
    );
    const run = JSON.parse(failed.stdout) as Run;
    expect(run.outcome).to.equal('rolled_back');
    const [first, second] = EXPECTED_ORDER;
    const act = (n: string | undefined) => (n === TASK ? 'task-run' : 'promote');
    expect(run.progress.map((p) => `${p.name} ${p.action}`)).to.deep.equal([
      `${first} ${act(first)}`,
      `${second} ${act(second)}`,
      `${third} promote`,
      `${second} rollback`,
      `${first} rollback`,
    ]);
    expect(await prodState(env)).to.deep.equal(before);

    // staging's releases need no approver, nor does its train: what staging/release-train runs
    // (plan, then promote; no input, no tdr train approve).
    const fresh = SERVICES[0];
    await tdr(['deploy', '--service', fresh, '--env', 'intg', '--version', 'v3', '--actor', 'jenkins'], env);
    const staged = JSON.parse(
      (await tdr(['train', 'plan', '--from', 'intg', '--to', 'staging', '-o', 'json'], env)).stdout,
    ) as Plan;
    expect(staged.members.map((m) => `${m.name} ${m.version}`)).to.deep.equal([`${fresh} v3`]);
    const toStaging = JSON.parse(
      (
        await tdr(
          ['train', 'promote', '--train', staged.trainId, '--to', 'staging', '--actor', 'bob', '-o', 'json'],
          env,
        )
      ).stdout,
    ) as Run;
    expect(toStaging.outcome).to.equal('succeeded');
    expect((await liveImage(fresh, 'staging')).image).to.equal((await liveImage(fresh, 'intg')).image);
  });
});
