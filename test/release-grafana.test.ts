/**
 * A release's Grafana annotation, end to end: `tdr deploy` against moto with GRAFANA_URL and
 * GRAFANA_TOKEN pointing at the fake Grafana on 127.0.0.1, through the dashboards' own client;
 * and a Grafana that never answers, with `tdr` as its own process, which must still exit.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { expect } from 'chai';
import { naming } from '../services/naming';
import { FakeGrafana } from './support/fake-grafana';
import { sandboxUp, tdr } from './support/release';
import { startSilentServer } from './support/silent-server';

const ROOT = join(__dirname, '..');

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

describe('a Grafana that never answers (a server on 127.0.0.1 that accepts and stays silent)', () => {
  it('tdr deploy reports the annotation failed, releases the lease and exits promptly', async function () {
    this.timeout(180_000);
    const silent = await startSilentServer();
    try {
      const env = await sandboxUp({ GRAFANA_URL: silent.url, GRAFANA_TOKEN: 'glsa_never_answered' });
      // Its own process: what matters is that the process ends, not only that the promise settles.
      const child = spawn(
        process.execPath,
        [
          '-r',
          'ts-node/register/transpile-only',
          'cli/main.ts',
          'deploy',
          '--service',
          'keycloak',
          '--env',
          'intg',
          '--version',
          'v2',
        ],
        {
          cwd: ROOT,
          env: Object.fromEntries(
            Object.entries(env).filter(([, v]) => v !== undefined),
          ) as NodeJS.ProcessEnv,
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let output = '';
      let reportedAt = 0;
      const collect = (c: Buffer) => {
        output += c.toString();
        if (!reportedAt && /grafana\W+failed/i.test(output)) reportedAt = Date.now();
      };
      child.stdout?.on('data', collect);
      child.stderr?.on('data', collect);
      // Bounded here too: a hung child is killed, and the test fails saying so.
      const killer = setTimeout(() => child.kill('SIGKILL'), 120_000);
      const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
      clearTimeout(killer);
      const exitedAt = Date.now();
      expect(code, output).to.equal(0);
      expect(silent.requests(), 'the annotation reached the silent Grafana').to.be.at.least(1);
      expect(output).to.match(/creating the annotation: no answer within \d+ ms/);
      expect(reportedAt, 'the failed annotation was reported').to.be.above(0);
      // Before the fix the process stayed alive (820 s in issue 24) with the request still open;
      // the margin is for a loaded machine printing the result and shutting down.
      expect(exitedAt - reportedAt, 'ms from the report to the exit').to.be.below(15_000);
      // The server hears of a closed socket a moment after the child is gone.
      for (let i = 0; i < 100 && silent.openConnections() > 0; i++)
        await new Promise((r) => setTimeout(r, 20));
      expect(silent.openConnections(), 'the annotation request was cancelled').to.equal(0);
      const leases = await new S3Client({ forcePathStyle: true }).send(
        new ListObjectsV2Command({ Bucket: naming.ledgerBucket(), Prefix: 'leases/' }),
      );
      expect(leases.Contents ?? [], 'the lease was released').to.deep.equal([]);
    } finally {
      await silent.close();
    }
  });
});
