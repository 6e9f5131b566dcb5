/**
 * Mocha root hooks for the integration suite: one moto_server per mocha process, reset before each
 * test, and the SDK pointed at it through the standard environment variables.
 *
 * The suite runs in parallel workers (.mocharc.integration.json: `parallel`; `jobs`, or
 * TDR_TEST_JOBS through npm run test:integration): each worker is its own process, so each starts
 * its own moto_server on its own free port and no two workers share state. In
 * parallel mode mocha runs a root `beforeAll`/`afterAll` around every file, not once per run
 * (https://mochajs.org/#root-hook-plugins), and a worker runs many files: the server is started by
 * the worker's first file, kept for the next, and stopped when the worker exits. In serial mode
 * (one process; `mocha --no-parallel`, or a single file) `afterAll` is the end of the run.
 * Workers share the cores, so a test's wall time stretches with the others' load: the suite's
 * default timeout is 240 s (a test that takes 25 s alone took over 120 s beside an uncached
 * npm-groovy-lint on a loaded 2-core machine).
 */
import type { Context } from 'mocha';
import { forgetCredentials, recordAwsCalls, recordingTest } from './aws-calls';
import { MOTO_INSTALL_HINT, motoAvailable, startMoto, type MotoServer } from './moto';

let moto: MotoServer | undefined;
/** Mocha sets MOCHA_WORKER_ID in the environment of each parallel worker it forks. */
const IN_WORKER = process.env.MOCHA_WORKER_ID !== undefined;
let stopOnExit = false;

/** A worker ends by process.exit (workerpool's terminate) or a signal: moto_server goes with it. */
function stopMotoWhenThisProcessEnds(): void {
  if (stopOnExit) return;
  stopOnExit = true;
  process.once('exit', () => {
    if (moto) {
      try {
        // SIGKILL: an exit handler cannot wait, and a busy moto_server may outlive a SIGTERM
        // (MotoServer.stop waits 5 s before it escalates); its state is the test's, nothing to keep.
        process.kill(moto.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });
  for (const signal of ['SIGTERM', 'SIGINT'] as const)
    process.once(signal, () => process.exit(signal === 'SIGINT' ? 130 : 143));
}

/** The running server; integration tests call this rather than starting their own. */
export function motoServer(): MotoServer {
  if (!moto) throw new Error('moto_server is not running (is test/support/hooks.ts loaded by mocha?)');
  return moto;
}

export const mochaHooks = {
  async beforeAll(this: Context) {
    this.timeout(60_000);
    // A worker's first file starts moto_server; the later files reuse it without asking again
    // whether moto is installed (a Python start-up, ~0.5 s of CPU, at every file).
    if (!moto) {
      if (!motoAvailable()) {
        if (process.env.TDR_SKIP_INTEGRATION === '1') {
          process.stderr.write(
            '\n' +
              '!'.repeat(78) +
              '\n!! INTEGRATION TESTS SKIPPED (TDR_SKIP_INTEGRATION=1): moto_server is not installed.\n!! Nothing that talks to AWS APIs was tested in this run.\n' +
              '!'.repeat(78) +
              '\n\n',
          );
          this.skip();
        }
        throw new Error(MOTO_INSTALL_HINT);
      }
      moto = await startMoto();
      if (IN_WORKER) stopMotoWhenThisProcessEnds();
    }
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: moto.endpoint,
      AWS_REGION: 'eu-west-2',
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
    });
    delete process.env.AWS_PROFILE;
    delete process.env.AWS_SESSION_TOKEN;
    recordAwsCalls();
  },
  async beforeEach(this: Context) {
    recordingTest(this.currentTest?.fullTitle() ?? '');
    forgetCredentials();
    await moto?.reset();
  },
  async afterAll() {
    // In a worker this is the end of one file of many: the next file reuses the server.
    if (IN_WORKER) return;
    await moto?.stop();
    moto = undefined;
  },
};
