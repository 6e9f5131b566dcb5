/**
 * A release train SIGKILLed at a member boundary (issue 26), against moto: a real `tdr train
 * promote` process is killed right after it records a boundary (its `started` record, then the
 * `progress` record after each member), as the crash harness kills a release
 * (test/resilience/crash.test.ts). Meanwhile a single promotion of a member is refused (exit 4),
 * before and after the train's lease expired. The next `tdr train promote` waits out the train's lease (exit 4
 * meanwhile), settles the crashed run from what runs, resumes the rest, and prod ends with the whole
 * train out.
 *
 * The boundaries are spread over three files (test/resilience/train-crash*.test.ts): each one
 * stands up a sandbox and moves a five-member train, and one file of all five was the longest in
 * the integration suite, which mocha --parallel schedules a whole file at a time, so the other
 * workers idled while it ran (issue 21).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { expect } from 'chai';
import { EXIT_CODE_OF_SIGNAL } from '../../cli/exit-codes';
import { motoServer } from './hooks';
import { startProxy, type Proxy } from './proxy';
import { runTdr } from './cli';
import { APPROVER_ROLE, as, liveImage, tdr } from './release';
import { TRAIN_SERVICES, stagedTrain } from './train';

type Env = Record<string, string | undefined>;
const ROOT = join(__dirname, '..', '..');
/** The members of the staged train, so its boundaries are 1 (started) to TRAIN_CRASH_MEMBERS. */
export const TRAIN_CRASH_MEMBERS = 5;

/**
 * The boundaries of `boundaries` to exercise: set TRAIN_CRASH_BOUNDARIES=1,3 to run a few (each
 * builds a sandbox); a file runs those of its own boundaries that are named there.
 */
function selected(boundaries: readonly number[]): number[] {
  const only = process.env.TRAIN_CRASH_BOUNDARIES;
  if (only === undefined) return [...boundaries];
  const named = only.split(',').map(Number);
  return boundaries.filter((k) => named.includes(k));
}

interface Staged {
  readonly clean: Env;
  readonly trainId: string;
}

/** The staged train of five, planned and approved: what a release day starts from. */
async function approvedTrain(): Promise<Staged> {
  const clean = await stagedTrain();
  const plan = JSON.parse((await tdr(['train', 'plan', '-o', 'json'], clean)).stdout) as {
    trainId: string;
    members: unknown[];
  };
  expect(plan.members.length, 'the staged train has five members').to.equal(TRAIN_CRASH_MEMBERS);
  await tdr(['train', 'approve', '--train', plan.trainId], await as(clean, APPROVER_ROLE, 'alice'));
  return { clean, trainId: plan.trainId };
}

/**
 * A real `tdr train promote` process sent `signal` right after its `k`th train record reaches
 * moto (through a proxy that counts them); returns how it ended and the environment to go on with.
 */
async function stopTrainAt(
  staged: Staged,
  k: number,
  signal: 'SIGKILL' | 'SIGTERM',
  setProxy: (p: Proxy) => void,
): Promise<{ env: Env; ended: unknown }> {
  let puts = 0;
  const target: { child?: ReturnType<typeof spawn> } = {};
  const proxy = await startProxy(motoServer().endpoint, {
    onRequest: (op) => {
      if (!/^S3 PutObject records\/train\//.test(op.label)) return undefined;
      // Let the record reach moto, then signal: the stop is right after the boundary.
      if (++puts === k) target.child?.kill(signal);
      return undefined;
    },
  });
  setProxy(proxy);
  const env: Env = {
    ...staged.clean,
    AWS_ENDPOINT_URL: proxy.endpoint,
    TDR_LEASE_TTL_MS: '4000',
    TDR_RELEASE_TIMEOUT_MS: '20000',
    TDR_RELEASE_POLL_MS: '200',
  };
  const child = (target.child = spawn(
    process.execPath,
    [
      '-r',
      'ts-node/register/transpile-only',
      'cli/main.ts',
      'train',
      'promote',
      '--train',
      staged.trainId,
      '--actor',
      'bob',
    ],
    {
      cwd: ROOT,
      env: Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined)) as NodeJS.ProcessEnv,
      stdio: 'ignore',
    },
  ));
  const ended = await new Promise((res) => child.once('exit', (c, s) => res(c ?? s)));
  return { env, ended };
}

/**
 * One describe whose tests kill a train at each of `boundaries` (1 to TRAIN_CRASH_MEMBERS), and,
 * with `abort`, the Jenkins abort (SIGTERM mid-train, then `tdr train rollback`).
 */
export function describeTrainCrash(boundaries: readonly number[], opts: { abort?: boolean } = {}): void {
  describe('resilience: a release train killed at each member boundary (moto, real processes)', () => {
    let proxy: Proxy | undefined;
    afterEach(async () => proxy?.close());

    for (const k of selected(boundaries)) {
      it(`SIGKILL after train record ${k} (${k === 1 ? 'started' : `member ${k - 1} out`}): the next promote settles and finishes`, async function () {
        this.timeout(600_000);
        const staged = await approvedTrain();
        const plan = { trainId: staged.trainId };
        const { env, ended } = await stopTrainAt(staged, k, 'SIGKILL', (p) => (proxy = p));
        expect(ended).to.equal('SIGKILL');

        // Until the train is settled its members are its own, even once its lease expired: a single
        // promotion of one exits 4 naming the train, then saying how to settle it (the saga's check).
        const member = TRAIN_SERVICES[2];
        const single = () => runTdr(['promote', '--service', member, '--to', 'prod', '--actor', 'bob'], env);
        let refused = await single();
        expect(refused.code, refused.stderr).to.equal(4);
        expect(refused.stderr).to.contain(`release train ${plan.trainId}`);
        const waited = Date.now();
        while (!refused.stderr.includes('stopped without an outcome') && Date.now() - waited < 60_000) {
          await new Promise((res) => setTimeout(res, 1000));
          refused = await single();
          expect(refused.code, refused.stderr).to.equal(4);
        }
        expect(refused.stderr).to.contain(`tdr train promote --train ${plan.trainId} --to prod to resume it`);

        const start = Date.now();
        let next = await runTdr(
          ['train', 'promote', '--train', plan.trainId, '--actor', 'bob', '-o', 'json'],
          env,
        );
        while (next.code === 4 && Date.now() - start < 90_000) {
          await new Promise((res) => setTimeout(res, 1000));
          next = await runTdr(
            ['train', 'promote', '--train', plan.trainId, '--actor', 'bob', '-o', 'json'],
            env,
          );
        }
        expect(next.code, next.stderr).to.equal(0);
        const r = JSON.parse(next.stdout) as {
          outcome: string;
          progress: Array<{ name: string; detail: string | null }>;
        };
        expect(r.outcome).to.equal('succeeded');
        // What went out before the crash is not moved again.
        expect(r.progress.filter((p) => p.detail?.includes('before the crash')).length).to.equal(k - 1);
        for (const s of TRAIN_SERVICES)
          expect((await liveImage(s, 'prod')).image).to.equal((await liveImage(s, 'staging')).image);
      });
    }

    if (opts.abort)
      it("SIGTERM mid-train (a Jenkins abort), then tdr train rollback (the job's post { aborted }): prod runs what it ran before", async function () {
        this.timeout(600_000);
        const staged = await approvedTrain();
        const before = await Promise.all(TRAIN_SERVICES.map(async (s) => (await liveImage(s, 'prod')).image));
        // After the record of member 2 out: the train is moving member 3 when the abort comes.
        const { env, ended } = await stopTrainAt(staged, 3, 'SIGTERM', (p) => (proxy = p));
        // The member it was moving stops between calls (InterruptedError), the train stops on it and
        // records its outcome, its lease released (no exit 4 for the rollback that follows), and
        // exits as any command stopped by SIGTERM does (README: 143), not as killed.
        expect(ended, 'the train ends recorded, exiting as stopped by SIGTERM').to.equal(
          EXIT_CODE_OF_SIGNAL.SIGTERM,
        );
        const rolled = await runTdr(
          ['train', 'rollback', '--train', staged.trainId, '--actor', 'bob', '-o', 'json'],
          env,
        );
        // Either it puts back what went out, or the train had already rolled everything back itself.
        if (rolled.code === 0)
          expect((JSON.parse(rolled.stdout) as { outcome: string }).outcome).to.equal('succeeded');
        else {
          expect(rolled.code, rolled.stderr).to.equal(3);
          expect(rolled.stderr).to.contain('nothing of it is out to roll back');
        }
        const after = await Promise.all(TRAIN_SERVICES.map(async (s) => (await liveImage(s, 'prod')).image));
        expect(after).to.deep.equal(before);
      });
  });
}
