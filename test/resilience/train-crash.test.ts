/**
 * A release train SIGKILLed at each member boundary (issue 26), against moto: a real `tdr train
 * promote` process is killed right after it records a boundary (its `started` record, then the
 * `progress` record after each member), as the crash harness kills a release (./crash.test.ts).
 * Meanwhile a single promotion of a member is refused (exit 4), before and after the train's
 * lease expired. The next `tdr train promote` waits out the train's lease (exit 4 meanwhile),
 * settles the crashed run from what runs, resumes the rest, and prod ends with the whole train out.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { expect } from 'chai';
import { motoServer } from '../support/hooks';
import { startProxy, type Proxy } from '../support/proxy';
import { runTdr } from '../support/cli';
import { APPROVER_ROLE, as, liveImage, tdr } from '../support/release';
import { TRAIN_SERVICES, stagedTrain } from '../support/train';

type Env = Record<string, string | undefined>;
const ROOT = join(__dirname, '..', '..');
/** The boundaries exercised: set TRAIN_CRASH_BOUNDARIES=1,3 to run a few (each builds a sandbox). */
const MEMBERS = 5;
const BOUNDARIES = (
  process.env.TRAIN_CRASH_BOUNDARIES ?? Array.from({ length: MEMBERS }, (_, i) => i + 1).join(',')
)
  .split(',')
  .map(Number);

describe('resilience: a release train killed at each member boundary (moto, real processes)', () => {
  let proxy: Proxy | undefined;
  afterEach(async () => proxy?.close());

  for (const k of BOUNDARIES) {
    it(`SIGKILL after train record ${k} (${k === 1 ? 'started' : `member ${k - 1} out`}): the next promote settles and finishes`, async function () {
      this.timeout(600_000);
      const clean = await stagedTrain();
      const plan = JSON.parse((await tdr(['train', 'plan', '-o', 'json'], clean)).stdout) as {
        trainId: string;
        members: unknown[];
      };
      expect(plan.members.length, 'the staged train has five members').to.equal(MEMBERS);
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

      // Until the train is settled its members are its own, even once its lease expired: a single
      // promotion of one exits 4 naming the train, then saying how to settle it (the saga's check).
      const member = TRAIN_SERVICES[TRAIN_SERVICES.length - 1];
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
});
