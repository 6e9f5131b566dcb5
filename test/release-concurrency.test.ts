/**
 * Twenty promotions of one service × environment at once, against moto: exactly one takes the
 * lease and deploys, the other nineteen are refused with exit code 4 naming the holder, and the
 * ledger stays gap-free; releases of different services × environments at once all succeed.
 * Also ten concurrent ledger writers: no record lost, no gap.
 */
import { ListTaskDefinitionsCommand } from '@aws-sdk/client-ecs';
import { expect } from 'chai';
import { loadPlatform } from '../services/config';
import { runtimeDeps } from '../pipelines/release/saga/runtime';
import { recordCheck } from '../pipelines/release/admin/check';
import { motoServer } from './support/hooks';
import { startProxy, type Proxy } from './support/proxy';
import { runTdr } from './support/cli';
import { ecsIn, sandboxUp, tdr } from './support/release';

describe('concurrent releases (moto)', () => {
  // moto decides S3 conditional writes non-atomically (see test/support/proxy.ts); through the
  // proxy they are decided one at a time, as S3 does. Nothing else about moto changes.
  let proxy: Proxy;
  beforeEach(async () => {
    proxy = await startProxy(motoServer().endpoint);
  });
  afterEach(async () => {
    await proxy.close();
  });

  it('20 concurrent `tdr promote` to staging: one deploys, nineteen exit 4 naming the holder, ledger gap-free', async () => {
    // moto registers a task definition in milliseconds, AWS in seconds: slowed here (by the proxy)
    // so that the winner still holds the lease when the other nine arrive, as it would on AWS.
    let racing = false;
    const slow = await startProxy(motoServer().endpoint, {
      delayMs: (req) =>
        racing && String(req.headers['x-amz-target']).endsWith('.RegisterTaskDefinition') ? 1000 : 0,
    });
    try {
      const env = await sandboxUp({ AWS_ENDPOINT_URL: slow.endpoint });
      await tdr(['deploy', '--service', 'frontend', '--env', 'intg', '--version', 'v2'], env);
      racing = true;
      const runs = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          runTdr(['promote', '--service', 'frontend', '--to', 'staging', '--actor', `dev${i}`], env),
        ),
      );
      const codes = runs.map((r) => r.code).sort((a, b) => a - b);
      expect(codes, runs.map((r) => r.stderr).join('\n')).to.deep.equal([0, ...Array<number>(19).fill(4)]);
      for (const r of runs.filter((x) => x.code === 4)) {
        expect(r.stderr).to.match(
          /error: another release holds the lease: dev\d+ \(promote v2, run [0-9a-f-]{36}\) \(until /,
        );
      }

      const history = JSON.parse(
        (await tdr(['history', '--service', 'frontend', '--env', 'staging', '-o', 'json'], env)).stdout,
      ) as Array<{ seq: number; outcome: string }>;
      expect(history.map((h) => [h.seq, h.outcome])).to.deep.equal([
        [2, 'succeeded'],
        [1, 'started'],
      ]);
      const tds = await (
        await ecsIn('staging')
      ).send(new ListTaskDefinitionsCommand({ familyPrefix: 'frontend-staging' }));
      expect(tds.taskDefinitionArns, 'one revision from sandbox up, one from the winner').to.have.length(2);
    } finally {
      await slow.close();
    }
  });

  it('releases of different services and environments at once all succeed', async () => {
    const env = await sandboxUp({ AWS_ENDPOINT_URL: proxy.endpoint });
    const services = ['frontend', 'consignmentapi', 'keycloak', 'transferservice'];
    for (const s of services) await tdr(['deploy', '--service', s, '--env', 'intg', '--version', 'v2'], env);
    const runs = await Promise.all(
      services.flatMap((s) => [
        runTdr(['promote', '--service', s, '--to', 'staging'], env),
        runTdr(['deploy', '--service', s, '--env', 'intg', '--version', 'v3'], env),
      ]),
    );
    expect(
      runs.map((r) => r.code),
      runs.map((r) => r.stderr).join('\n'),
    ).to.deep.equal(Array<number>(8).fill(0));
  });

  it('10 concurrent ledger writers: every record kept, sequence 1..10 with no gap', async () => {
    const env = await sandboxUp({ AWS_ENDPOINT_URL: proxy.endpoint });
    const platform = loadPlatform(env);
    const deps = await runtimeDeps({ env, platform, log: () => undefined, actor: 'ci' });
    const written = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        recordCheck(deps, {
          service: 'frontend',
          env: 'staging',
          version: 'v2',
          name: `check-${i}`,
          result: 'passed',
          actor: `ci${i}`,
        }),
      ),
    );
    expect(written.map((w) => w.seq).sort((a, b) => a - b)).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const history = JSON.parse(
      (await tdr(['history', '--service', 'frontend', '--env', 'staging', '-o', 'json'], env)).stdout,
    ) as Array<{ seq: number; name: string }>;
    expect(history.map((h) => h.seq)).to.deep.equal([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    expect(history.map((h) => h.name).sort()).to.deep.equal(
      Array.from({ length: 10 }, (_, i) => `check-${i}`).sort(),
    );
  });
});
