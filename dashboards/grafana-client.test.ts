/**
 * Unit checks of the client that need no server, and its bounds against a server on 127.0.0.1
 * that never answers. Its HTTP behaviour (auth, 404, 412, 5xx retries) is tested over real HTTP in
 * test/dashboards-publish.test.ts.
 */
import { inspect } from 'node:util';
import { expect } from 'chai';
import { GrafanaClient, GrafanaUnreachableError } from './grafana-client';
import { startSilentServer, type SilentServer } from '../test/support/silent-server';

const TOKEN = 'glsa_secret_token_value_123';

describe('dashboards/GrafanaClient', () => {
  it('keeps the token out of inspection, JSON and error messages', async () => {
    // A fetch that always fails, standing in for a network with nothing listening.
    const refused = () =>
      Promise.reject(Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } }));
    const client = new GrafanaClient({
      url: 'https://grafana.example/',
      token: TOKEN,
      fetch: refused,
      retries: 0,
    });
    expect(inspect(client, { depth: 5, showHidden: true })).to.not.include(TOKEN);
    expect(JSON.stringify(client)).to.not.include(TOKEN);
    const err = await client.getDashboard('x').catch((e: unknown) => e);
    expect(err).to.be.instanceOf(GrafanaUnreachableError);
    expect(String(err)).to.not.include(TOKEN);
    expect((err as Error).message).to.equal(
      'reading dashboard x: Grafana at https://grafana.example did not answer after 1 attempt (ECONNREFUSED)',
    );
  });

  it('retries a refused connection `retries` times before giving up', async () => {
    let calls = 0;
    const refused = () => {
      calls++;
      return Promise.reject(new TypeError('fetch failed'));
    };
    const client = new GrafanaClient({
      url: 'http://g.example',
      token: TOKEN,
      fetch: refused,
      retries: 2,
      retryDelayMs: 1,
    });
    await client.searchDashboardsByTag('t').catch(() => undefined);
    expect(calls).to.equal(3);
  });

  it('refuses a URL that is not one, as invalid input', () => {
    expect(() => new GrafanaClient({ url: 'grafana', token: TOKEN }))
      .to.throw(/--url grafana is not a URL/)
      .with.property('kind', 'invalid');
  });
});

describe('dashboards/GrafanaClient against a Grafana that never answers', () => {
  let silent: SilentServer;
  beforeEach(async () => {
    silent = await startSilentServer();
  });
  afterEach(async () => silent.close());

  const closed = async () => {
    // A cancelled fetch destroys its socket; give the server's close event a moment to land.
    for (let i = 0; i < 50 && silent.openConnections() > 0; i++) await new Promise((r) => setTimeout(r, 20));
    return silent.openConnections();
  };

  it('cancels each attempt after attemptTimeoutMs, retries, then fails naming the timeout', async () => {
    const retries = 2;
    const attemptTimeoutMs = 150;
    const client = new GrafanaClient({
      url: silent.url,
      token: TOKEN,
      retries,
      retryDelayMs: 10,
      attemptTimeoutMs,
    });
    const started = Date.now();
    const err = await client.getDashboard('x').catch((e: unknown) => e);
    expect(err).to.be.instanceOf(GrafanaUnreachableError);
    expect((err as Error).message).to.equal(
      `reading dashboard x: Grafana at ${silent.url} did not answer after ${retries + 1} attempts (no answer within ${attemptTimeoutMs} ms)`,
    );
    expect(silent.requests()).to.equal(retries + 1);
    expect(Date.now() - started).to.be.below((retries + 1) * attemptTimeoutMs + 2_000);
    expect(await closed(), 'sockets left open').to.equal(0);
  });

  it('ends the call within totalTimeoutMs, retries and back-off included', async () => {
    const totalTimeoutMs = 400;
    const client = new GrafanaClient({
      url: silent.url,
      token: TOKEN,
      retries: 10,
      retryDelayMs: 50,
      attemptTimeoutMs: 150,
      totalTimeoutMs,
    });
    const started = Date.now();
    const err = await client.getDashboard('x').catch((e: unknown) => e);
    expect(err).to.be.instanceOf(GrafanaUnreachableError);
    expect(Date.now() - started).to.be.below(totalTimeoutMs + 1_000);
    expect(silent.requests()).to.be.below(11);
    expect(await closed(), 'sockets left open').to.equal(0);
  });

  it("stops at once when the caller's signal fires, and closes the socket", async () => {
    const client = new GrafanaClient({ url: silent.url, token: TOKEN, attemptTimeoutMs: 60_000 });
    const controller = new AbortController();
    const call = client.createAnnotation(
      { time: 1, tags: ['deploy'], text: 'x' },
      { signal: controller.signal },
    );
    while (silent.requests() === 0) await new Promise((r) => setTimeout(r, 10));
    controller.abort(new Error('the notifier stopped waiting'));
    const err = await call.catch((e: unknown) => e);
    expect(err).to.be.instanceOf(GrafanaUnreachableError);
    expect((err as Error).message).to.match(/cancelled: the notifier stopped waiting$/);
    expect(silent.requests(), 'no retry after a cancel').to.equal(1);
    expect(await closed(), 'sockets left open').to.equal(0);
  });
});
