/**
 * A function canary cut short, against moto: a real `tdr promote` of `checksum` into prod (a
 * canary: services/queries.ts `functionDelivery`) is SIGKILLed once `live` weighs the new version
 * (UpdateAlias with `RoutingConfig.AdditionalVersionWeights`:
 * https://docs.aws.amazon.com/lambda/latest/api/API_AliasRoutingConfiguration.html), as
 * ./crash.test.ts kills a rolling deploy. Nothing watches an alias's weight once its judge is gone
 * (no alarm moves an alias back, as ECS's deployment alarms do a service), so the weight stays until
 * the next operation. That operation (here the promotion run again, as Jenkins would) settles the
 * killed run from what `live` runs: failed, its detail saying the weight is still on `live` and that
 * the next release clears it; then its own alias move sets `live`'s routing whole (UpdateAlias
 * replaces `RoutingConfig`: https://docs.aws.amazon.com/lambda/latest/api/API_UpdateAlias.html).
 * The killed run's record is kept, with one outcome, and the ledger has no gap.
 *
 * Why settlement does not clear the weight itself: `settle` only reads (the saga's rule), and it
 * runs only inside the next release, under its lease, just before that release's own alias move
 * sets `live`'s routing whole (moveAlias empties `AdditionalVersionWeights`, weighAlias replaces
 * it), so clearing it there first would change nothing that stays. Until then the unjudged version
 * keeps its share. NOT DONE: `tdr rollback` refuses while `live` is still on the version before,
 * only weighed (nothing older to go back to), so an operator's one way to take the weight off is a
 * new promotion; a rollback that clears a stray weight is not built.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { expect } from 'chai';
import { naming } from '../../services/naming';
import { functionDelivery } from '../../services/queries';
import { loadPlatform } from '../../services/config';
import { motoServer } from '../support/hooks';
import { startProxy, type Proxy } from '../support/proxy';
import { runTdr } from '../support/cli';
import { APPROVER_ROLE, as, e2ePassed, sandboxUp, tdr } from '../support/release';
import { assumeRole, TEST_ACCOUNT_IDS } from '../support/accounts';
import { GetAliasCommand, LambdaClient } from '@aws-sdk/client-lambda';

type Env = Record<string, string | undefined>;

const ROOT = join(__dirname, '..', '..');
const FN = 'checksum';
const FN_ARGS = ['--service', FN];

async function liveAlias(): Promise<{ version?: string; weights: Record<string, number> }> {
  const lambda = new LambdaClient({
    ...(process.env.AWS_ENDPOINT_URL ? { endpoint: process.env.AWS_ENDPOINT_URL } : {}),
    credentials: await assumeRole(TEST_ACCOUNT_IDS.prod, naming.jenkinsEcsUpdateRole('prod')),
  });
  const a = await lambda.send(
    new GetAliasCommand({ FunctionName: naming.functionName(FN, 'prod'), Name: naming.functionAlias() }),
  );
  return { version: a.FunctionVersion, weights: a.RoutingConfig?.AdditionalVersionWeights ?? {} };
}

async function history(env: Env): Promise<Array<Record<string, unknown>>> {
  const r = await tdr(['history', ...FN_ARGS, '--env', 'prod', '-o', 'json'], env);
  return JSON.parse(r.stdout) as Array<Record<string, unknown>>;
}

describe('resilience: a function canary killed with live weighed (moto, real processes)', () => {
  let proxy: Proxy | undefined;
  afterEach(async () => proxy?.close());

  it('SIGKILL mid-canary: the weight stays; the next operation settles the run from live, and its own alias move replaces the weight', async function () {
    this.timeout(180_000);
    const clean = await sandboxUp();
    const delivery = functionDelivery(loadPlatform({}), FN, 'prod');
    if (delivery?.kind !== 'canary') throw new Error('prod releases functions as a canary');
    await tdr(['deploy', ...FN_ARGS, '--env', 'intg', '--version', 'v2'], clean);
    await tdr(['promote', ...FN_ARGS, '--to', 'staging', '--actor', 'bob'], clean);
    await e2ePassed(clean, FN, 'v2');
    await tdr(['approve', ...FN_ARGS, '--env', 'prod'], await as(clean, APPROVER_ROLE, 'alice'));
    const before = await liveAlias();

    // Killed once the weighing UpdateAlias (a PUT of the alias, REST) has reached moto.
    let kill = () => {};
    const alias = `functions/${naming.functionName(FN, 'prod')}/aliases/${naming.functionAlias()}`;
    let fired = false;
    proxy = await startProxy(motoServer().endpoint, {
      onRequest: (op) => {
        if (fired || !op.label.endsWith(alias) || !/PutObject/.test(op.label)) return;
        fired = true;
        setTimeout(() => kill(), 300);
        return undefined;
      },
    });
    const env: Env = { ...clean, AWS_ENDPOINT_URL: proxy.endpoint, TDR_LEASE_TTL_MS: '5000' };
    const child = spawn(
      process.execPath,
      [
        '-r',
        'ts-node/register/transpile-only',
        'cli/main.ts',
        'promote',
        ...FN_ARGS,
        '--to',
        'prod',
        '--actor',
        'bob',
      ],
      {
        cwd: ROOT,
        env: Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined)) as NodeJS.ProcessEnv,
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((r) =>
      child.once('exit', (code, signal) => r(code ?? (signal === 'SIGKILL' ? 137 : null))),
    );
    kill = () => child.kill('SIGKILL');
    expect(await exited, stderr).to.equal(137);

    // What the kill left: live on the old version, weighing the new one; the run open.
    const weighed = await liveAlias();
    expect(weighed.version).to.equal(before.version);
    const [canaryVersion, weight] = Object.entries(weighed.weights)[0] ?? [];
    expect(weight, 'live weighs the new version').to.be.closeTo(delivery.weightPercent / 100, 1e-9);
    const killed = (await history(clean)).find((h) => h.kind === 'release');
    expect(killed).to.include({ outcome: 'started', version: 'v2' });

    // The next operation, once the killed run's lease has run out: Jenkins runs the promotion again
    // (`--no-wait`: its own canary's bake is not this test's). `tdr rollback` has nothing to go back
    // to here: `live` still points at the version before, only weighed.
    // The killed run used Alice's approval (one approval, one run): she approves again.
    await tdr(['approve', ...FN_ARGS, '--env', 'prod'], await as(clean, APPROVER_ROLE, 'alice'));
    const again = ['promote', ...FN_ARGS, '--to', 'prod', '--actor', 'bob', '--no-wait', '-o', 'json'];
    const start = Date.now();
    let next = await runTdr(again, env);
    while (next.code === 4 && Date.now() - start < 60_000) {
      await new Promise((r) => setTimeout(r, 1000));
      next = await runTdr(again, env);
    }
    expect(next.code, next.stderr).to.equal(0);
    expect(next.stderr).to.contain(`settled by bob: run `);

    const records = await history(clean);
    const settlement = records.find((h) => h.settles === killed?.seq);
    expect(settlement, JSON.stringify(records, null, 1)).to.include({ outcome: 'failed', version: 'v2' });
    expect(String(settlement?.detail)).to.contain(
      `a canary weight of ${delivery.weightPercent}% to version ${canaryVersion} is still on ${naming.functionAlias()}: the next release clears it`,
    );
    // The next run's alias move set live's routing whole: one weight, its own new version's
    // (moto publishes a new number for the same code), on the same baseline.
    const after = await liveAlias();
    expect(records[0]).to.include({ action: 'promote', outcome: 'started', settles: null });
    expect(after.version).to.equal(before.version);
    expect(Object.values(after.weights)).to.deep.equal([delivery.weightPercent / 100]);
    expect(Number(Object.keys(after.weights)[0])).to.be.at.least(Number(canaryVersion));
    // The killed run's record is kept, every run has one outcome, and no number is missing.
    const seqs = records.map((h) => Number(h.seq)).reverse();
    expect(seqs, 'no gap').to.deep.equal(seqs.map((_, i) => i + 1));
    expect(records.some((h) => h.seq === killed?.seq && h.outcome === 'started')).to.equal(true);
    const status = JSON.parse(
      (await tdr(['status', ...FN_ARGS, '--env', 'prod', '-o', 'json'], clean)).stdout,
    ) as Array<{ env: string; unsettled: Array<{ seq: number }> }>;
    // Only the new run (left running by --no-wait) is open; the killed one has its outcome.
    expect(status.find((r) => r.env === 'prod')?.unsettled.map((u) => u.seq)).to.deep.equal([
      records[0]?.seq,
    ]);
  });
});
