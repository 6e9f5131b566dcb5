/**
 * Unit checks of the client that need no server. Its HTTP behaviour (auth, 404, 412, 5xx retries)
 * is tested over real HTTP in test/dashboards-publish.test.ts.
 */
import { inspect } from 'node:util';
import { expect } from 'chai';
import { GrafanaClient, GrafanaUnreachableError } from './grafana-client';

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
