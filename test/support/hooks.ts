/**
 * Mocha root hooks for the integration suite: one moto_server for the run, reset before each
 * test, and the SDK pointed at it through the standard environment variables.
 */
import type { Context } from 'mocha';
import { forgetCredentials, recordAwsCalls, recordingTest } from './aws-calls';
import { MOTO_INSTALL_HINT, motoAvailable, startMoto, type MotoServer } from './moto';

let moto: MotoServer | undefined;

/** The running server; integration tests call this rather than starting their own. */
export function motoServer(): MotoServer {
  if (!moto) throw new Error('moto_server is not running (is test/support/hooks.ts loaded by mocha?)');
  return moto;
}

export const mochaHooks = {
  async beforeAll(this: Context) {
    this.timeout(60_000);
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
    await moto?.stop();
    moto = undefined;
  },
};
