/**
 * A command whose AWS endpoint accepts and never answers ends, exit 1, saying which call hung and
 * where (issue 27: `tdr sandbox up` asleep for 9 minutes with 188 idle connections). The bound is
 * RETRY_CONFIG.maxAttempts × TDR_AWS_REQUEST_TIMEOUT_MS plus the SDK's back-off.
 */
import { expect } from 'chai';
import { RETRY_CONFIG } from '../pipelines/release/aws/aws';
import { runTdr } from './support/cli';
import { startSilentServer, type SilentServer } from './support/silent-server';

describe('a stuck AWS endpoint (a server on 127.0.0.1 that never answers)', function () {
  this.timeout(60_000);
  const requestMs = 200;
  let silent: SilentServer;
  let env: Record<string, string | undefined>;
  beforeEach(async () => {
    silent = await startSilentServer();
    env = {
      ...process.env,
      AWS_ENDPOINT_URL: silent.url,
      TDR_AWS_REQUEST_TIMEOUT_MS: String(requestMs),
      TDR_ACCOUNT_IDS: undefined,
      TDR_SLACK_WEBHOOK_URL: undefined,
    };
  });
  afterEach(async () => silent.close());

  for (const [argv, call] of [
    [['sandbox', 'up'], 'STS GetCallerIdentity'],
    [['status'], 'SSM GetParameters'],
  ] as const) {
    it(`tdr ${argv.join(' ')} exits 1 naming ${call} and the endpoint`, async () => {
      const started = Date.now();
      const r = await runTdr(argv, env);
      expect(r.code, r.stderr).to.equal(1);
      expect(r.stderr).to.contain(`${call} at ${silent.url}/`);
      expect(r.stderr).to.contain(`${requestMs} ms`);
      expect(silent.requests()).to.equal(RETRY_CONFIG.maxAttempts);
      expect(Date.now() - started).to.be.below(RETRY_CONFIG.maxAttempts * requestMs + 10_000);
    });
  }

  it('refuses a bad timeout before any call, naming the variable (exit 2)', async () => {
    const r = await runTdr(['status'], { ...env, TDR_AWS_REQUEST_TIMEOUT_MS: 'forever' });
    expect(r.code).to.equal(2);
    expect(r.stderr).to.contain('TDR_AWS_REQUEST_TIMEOUT_MS');
    expect(silent.requests()).to.equal(0);
  });
});
