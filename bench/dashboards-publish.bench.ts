/**
 * Benchmark: what a first and a second (unchanged) publish cost against the fake Grafana on
 * 127.0.0.1, side by side in one run, plus the time to build every dashboard from the catalogue.
 * Prints numbers; passes or fails nothing.
 *   node -r ts-node/register/transpile-only bench/dashboards-publish.bench.ts [rounds]
 */
import { performance } from 'node:perf_hooks';
import { loadPlatform } from '../services/config';
import { GrafanaClient } from '../dashboards/grafana-client';
import { generate } from '../dashboards/index';
import { publish } from '../dashboards/publisher';
import { fakeAlertingSecrets } from '../test/support/alerting';
import { FakeGrafana } from '../test/support/fake-grafana';
import { TEST_ACCOUNT_IDS } from '../test/support/accounts';
import { runsOf } from './smoke';

async function main(): Promise<void> {
  const rounds = runsOf(process.argv[2], 10);
  const platform = loadPlatform({});
  const t0 = performance.now();
  for (let i = 0; i < rounds; i++) generate(platform);
  const generateMs = (performance.now() - t0) / rounds;
  const set = generate(platform, TEST_ACCOUNT_IDS);
  // A first publish writes the contact points, which need their secrets (fakes, for the fake Grafana).
  const secrets = fakeAlertingSecrets(set.alerting);

  const first: number[] = [];
  const second: number[] = [];
  let firstRequests = 0;
  let firstWrites = 0;
  let secondRequests = 0;
  let secondWrites = 0;
  for (let i = 0; i < rounds; i++) {
    const grafana = await FakeGrafana.start();
    const client = new GrafanaClient({ url: grafana.url, token: grafana.token });
    let t = performance.now();
    await publish(client, set, { commit: 'bench', secrets });
    first.push(performance.now() - t);
    firstRequests = grafana.requests.length;
    firstWrites = grafana.writes().length;
    t = performance.now();
    await publish(client, set, { commit: 'bench', secrets });
    second.push(performance.now() - t);
    secondRequests = grafana.requests.length - firstRequests;
    secondWrites = grafana.writes().length - firstWrites;
    await grafana.stop();
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(`dashboards: ${set.dashboards.length} in ${set.folders.length} folders; rounds: ${rounds}`);
  console.log(`generate (all dashboards)   ${generateMs.toFixed(1)} ms mean`);
  console.log(
    `first publish               ${median(first).toFixed(1)} ms median, ${firstRequests} requests, ${firstWrites} writes`,
  );
  console.log(
    `second publish (unchanged)  ${median(second).toFixed(1)} ms median, ${secondRequests} requests, ${secondWrites} writes`,
  );
  console.log(`second/first time ratio     ${(median(second) / median(first)).toFixed(2)}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
