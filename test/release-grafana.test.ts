/**
 * A release's Grafana annotation, end to end: `tdr deploy` against moto with GRAFANA_URL and
 * GRAFANA_TOKEN pointing at the fake Grafana on 127.0.0.1, through the dashboards' own client.
 */
import { expect } from 'chai';
import { FakeGrafana } from './support/fake-grafana';
import { sandboxUp, tdr } from './support/release';

describe('deploy annotations in Grafana (moto + fake Grafana)', () => {
  let grafana: FakeGrafana;
  beforeEach(async () => {
    grafana = await FakeGrafana.start();
  });
  afterEach(async () => grafana.stop());

  it('annotates a deploy with the tags the dashboards filter on, and never prints the token', async () => {
    const env = await sandboxUp({ GRAFANA_URL: grafana.url, GRAFANA_TOKEN: grafana.token });
    const r = await tdr(['deploy', '--service', 'keycloak', '--env', 'intg', '--version', 'v2'], env);
    expect(grafana.annotations).to.have.length(1);
    expect(grafana.annotations[0]?.tags).to.deep.equal(['deploy', 'keycloak', 'intg', 'v2']);
    expect(grafana.annotations[0]?.text).to.match(/keycloak v2 to intg: succeeded/);
    expect(r.stdout + r.stderr).to.match(/grafana\W+sent/i);
    expect(r.stdout + r.stderr).to.not.contain(grafana.token);
  });

  it('reports a Grafana that refuses the token, and the deploy still succeeds', async () => {
    const env = await sandboxUp({ GRAFANA_URL: grafana.url, GRAFANA_TOKEN: 'glsa_wrong' });
    const r = await tdr(['deploy', '--service', 'keycloak', '--env', 'intg', '--version', 'v2'], env);
    expect(grafana.annotations).to.have.length(0);
    expect(r.stdout + r.stderr).to.match(/grafana\W+failed/i);
  });
});
