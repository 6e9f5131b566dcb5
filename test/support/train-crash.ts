/**
 * A release train SIGKILLed at a member boundary (issue 26), against moto: a real `tdr train
 * promote` process is killed right after it records a boundary (its `started` record, then the
 * `progress` record after each member), as the crash harness kills a release
 * (test/resilience/crash.test.ts). The next `tdr train promote` waits out the train's lease (exit 4
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
import { motoServer } from './hooks';
import { startProxy, type Proxy } from './proxy';
import { runTdr } from './cli';
import { APPROVER_ROLE, as, liveImage, tdr } from './release';
import { TRAIN_SERVICES, stagedTrain } from './train';

type Env = Record<string, string | undefined>;
const ROOT = join(__dirname, '..', '..');
/** The members of the staged train, so its boundaries are 1 (started) to MEMBERS. */
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

/** One describe whose tests kill a train at each of `boundaries` (1 to TRAIN_CRASH_MEMBERS). */
export function describeTrainCrash(boundaries: readonly number[]): void {
  describe('resilience: a release train killed at each member boundary (moto, real processes)', () => {
    let proxy: Proxy | undefined;
    afterEach(async () => proxy?.close());

    for (const k of selected(boundaries)) {
      it(`SIGKILL after train record ${k} (${k === 1 ? 'started' : `member ${k - 1} out`}): the next promote settles and finishes`, async function () {
        this.timeout(600_000);
        const clean = await stagedTrain();
        const plan = JSON.parse((await tdr(['train', 'plan', '-o', 'json'], clean)).stdout) as {
          trainId: string;
          members: unknown[];
        };
        expect(plan.members.length, 'the staged train has five members').to.equal(TRAIN_CRASH_MEMBERS);
        await tdr(['train', 'approve', '--train', plan.trainId], await as(clean, APPROVER_ROLE, 'alice'));

        let puts = 0;
        const target: { child?: ReturnType<typeof spawn> } = {};
        proxy = await startProxy(motoServer().endpoint, {
          onRequest: (op) => {
            if (!/^S3 PutObject records\/train\//.test(op.label)) return undefined;
            // Let the record reach moto, then kill: the crash is right after the boundary.
            if (++puts === k) target.child?.kill('SIGKILL');
            return undefined;
          },
        });
        const env: Env = {
          ...clean,
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
            plan.trainId,
            '--actor',
            'bob',
          ],
          {
            cwd: ROOT,
            env: Object.fromEntries(
              Object.entries(env).filter(([, v]) => v !== undefined),
            ) as NodeJS.ProcessEnv,
            stdio: 'ignore',
          },
        ));
        const code = await new Promise((res) => child.once('exit', (c, s) => res(c ?? s)));
        expect(code).to.equal('SIGKILL');

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
  });
}
