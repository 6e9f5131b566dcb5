/**
 * Ten promotions of one service × environment at once, against moto: exactly one takes the
 * lease and deploys, the other nine are refused with exit code 4 naming the holder, and the
 * ledger stays gap-free. Also ten concurrent ledger writers: no record lost, no gap.
 */
import { ListTaskDefinitionsCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { expect } from 'chai';
import { loadPlatform } from '../services/config';
import { release } from '../pipelines/release/deploy';
import { runtimeDeps } from '../pipelines/release/runtime';
import { recordCheck } from '../pipelines/release/check';
import { exitCodeOf } from '../cli/exit-codes';
import { motoServer } from './support/hooks';
import { startProxy, type Proxy } from './support/proxy';
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

  it('10 concurrent promotions to staging: one deploys, nine exit 4 naming the holder, ledger gap-free', async () => {
    const env = await sandboxUp({ AWS_ENDPOINT_URL: proxy.endpoint });
    await tdr(['deploy', '--service', 'frontend', '--env', 'intg', '--version', 'v2'], env);
    const platform = loadPlatform(env);
    const runs = await Promise.all(
      Array.from({ length: 10 }, async (_, i) => {
        const deps = await runtimeDeps({ env, platform, log: () => undefined, actor: `dev${i}` });
        // moto answers in milliseconds; a real RegisterTaskDefinition does not. Slowing it (on the
        // real client, by SDK middleware) keeps the winner inside its lease while the rest arrive.
        deps.clients.ecs('staging').middlewareStack.add(
          (next, context) => async (args) => {
            if (context.commandName === RegisterTaskDefinitionCommand.name)
              await new Promise((r) => setTimeout(r, 1000));
            return next(args);
          },
          { step: 'initialize', name: 'slowRegister' },
        );
        return release(deps, {
          action: 'promote',
          service: 'frontend',
          env: 'staging',
          actor: `dev${i}`,
        }).then(
          (r) => ({ code: 0, outcome: r.outcome, message: '' }),
          (err: unknown) => ({ code: exitCodeOf(err), outcome: null, message: (err as Error).message }),
        );
      }),
    );
    const codes = runs.map((r) => r.code).sort();
    expect(codes, JSON.stringify(runs, null, 2)).to.deep.equal([0, 4, 4, 4, 4, 4, 4, 4, 4, 4]);
    for (const r of runs.filter((x) => x.code === 4))
      expect(r.message).to.match(/another release holds the lease: dev\d \(promote v2, run /);

    const history = JSON.parse(
      (await tdr(['history', '--service', 'frontend', '--env', 'staging', '-o', 'json'], env)).stdout,
    ) as Array<{ seq: number; outcome: string }>;
    expect(history.map((h) => h.seq)).to.deep.equal([2, 1]);
    expect(history.map((h) => h.outcome)).to.deep.equal(['succeeded', 'started']);
    const tds = await (
      await ecsIn('staging')
    ).send(new ListTaskDefinitionsCommand({ familyPrefix: 'frontend-staging' }));
    expect(tds.taskDefinitionArns, 'one revision from sandbox up, one from the winner').to.have.length(2);
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
