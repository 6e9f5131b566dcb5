/**
 * Function canaries in prod on moto: `checksum` promoted through intg, staging (e2e passed) and an
 * approval, then into prod, whose delivery gives functions a canary (services/queries.ts
 * `functionDelivery`: 10 % for 15 minutes, from prod's ECS canary). moto serves UpdateAlias with
 * `RoutingConfig.AdditionalVersionWeights` and GetAlias gives it back (checked here); the alias's
 * traffic is put to moto's CloudWatch per version, minute by minute, as the bake's clock moves
 * (sandbox/canary-world.ts), and the engine's judge reads it with GetMetricData. A healthy canary
 * passes and `live` moves wholly to it; one whose new version errs is rolled back before the bake
 * ends; one with no traffic at all is inconclusive and rolled back. Each in the ledger with its
 * evidence.
 */
import { expect } from 'chai';
import { loadPlatform } from '../services/config';
import { naming } from '../services/naming';
import { Lambda, resolvePackage } from '../pipelines/release/aws/lambda';
import { releaseClients } from '../pipelines/release/aws/aws';
import { Ledger, type ReleaseRecord } from '../pipelines/release/ledger/ledger';
import type { ReleaseDeps } from '../pipelines/release/saga/context';
import { releaseFunction } from '../pipelines/release/strategies/lambda-alias-shift';
import { HEALTHY, canaryWorld } from '../sandbox/canary-world';
import type { VersionBehaviour } from '../sandbox/lambda-traffic';
import { APPROVER_ROLE, as, e2ePassed, sandboxUp, tdr } from './support/release';

type Env = Record<string, string | undefined>;
const FN = 'checksum';
const region = 'eu-west-2';

/** v → intg → staging, e2e passed there, approved for prod by alice: ready for `promote --to prod`. */
async function readyForProd(env: Env, version: string) {
  await tdr(['deploy', '--service', FN, '--env', 'intg', '--version', version], env);
  await tdr(['promote', '--service', FN, '--to', 'staging', '--actor', 'bob'], env);
  await e2ePassed(env, FN, version);
  await tdr(['approve', '--service', FN, '--env', 'prod'], await as(env, APPROVER_ROLE, 'alice'));
}

async function engine(env: Env): Promise<ReleaseDeps> {
  const clients = await releaseClients({ region, sessionName: 'tdr-bob', env });
  let run = 0;
  return {
    clients,
    platform: loadPlatform(env),
    now: () => new Date(),
    sleep: async () => {},
    log: () => {},
    notifier: {},
    pollMs: 20,
    timeoutMs: 20_000,
    leaseTtlMs: 600_000,
    newRunId: () => `canary-${++run}`,
  };
}

async function promoteToProd(env: Env, behaviour: (version: string) => VersionBehaviour, perMinute = 2000) {
  const world = canaryWorld(await engine(env), { fn: FN, env: 'prod', perMinute, behaviour });
  const finished = await releaseFunction(world.deps, {
    action: 'promote',
    service: FN,
    env: 'prod',
    actor: 'bob',
  });
  return { ...finished, world };
}

async function finalRecord(deps: ReleaseDeps): Promise<ReleaseRecord> {
  const records = await new Ledger(deps.clients.mgmt.s3, naming.ledgerBucket()).records(FN, 'prod');
  const last = records.at(-1);
  if (last?.kind !== 'release') throw new Error('no release record');
  return last;
}

describe('function canaries on moto', function () {
  this.timeout(240_000);

  it('moto keeps an alias routing config: UpdateAlias weighs, GetAlias reads it back, an empty map clears it', async () => {
    const env = await sandboxUp();
    const deps = await engine(env);
    const lambda = new Lambda(deps.clients.lambda('prod'));
    const fn = naming.functionName(FN, 'prod');
    const lookup = await resolvePackage(
      deps.clients.mgmt.s3,
      naming.backendCodeBucket(),
      naming.functionPackageKey(FN, 'v2', 'checksum.jar'),
      'v2',
    );
    if (!lookup.ok) throw new Error(lookup.reason);
    await lambda.updateCode(fn, lookup.pkg);
    expect((await lambda.publishVersion(fn, lookup.pkg.sha256, 'v2')).Version).to.equal('2');
    await lambda.weighAlias(fn, 'live', { baseline: '1', canary: '2', weight: 0.1 }, 'weighing live');
    const weighed = await lambda.alias(fn, 'live');
    expect(weighed?.FunctionVersion).to.equal('1');
    expect(weighed?.RoutingConfig?.AdditionalVersionWeights).to.deep.equal({ '2': 0.1 });
    await lambda.moveAlias(fn, 'live', '2', 'moving live');
    const moved = await lambda.alias(fn, 'live');
    expect(moved?.FunctionVersion).to.equal('2');
    expect(moved?.RoutingConfig?.AdditionalVersionWeights ?? {}).to.deep.equal({});
  });

  it('a healthy canary passes: 10 % to the new version for the bake, judged every minute, then live moves wholly', async () => {
    const env = await sandboxUp();
    await readyForProd(env, 'v2');
    const { result, failure, world } = await promoteToProd(env, () => HEALTHY);
    expect(failure, String(result.detail)).to.equal(null);
    expect(result.outcome).to.equal('succeeded');
    expect(result.delivery).to.deep.equal({ kind: 'canary', weightPercent: 10, bakeMinutes: 15 });

    const live = await new Lambda(world.deps.clients.lambda('prod')).alias(
      naming.functionName(FN, 'prod'),
      'live',
    );
    expect(live?.FunctionVersion).to.equal('2');
    expect(live?.RoutingConfig?.AdditionalVersionWeights ?? {}).to.deep.equal({});

    const rec = await finalRecord(world.deps);
    expect(rec.outcome).to.equal('succeeded');
    const course = rec.canary!;
    expect(course).to.deep.include({
      canaryVersion: '2',
      baselineVersion: '1',
      weightPercent: 10,
      bakeMinutes: 15,
    });
    expect(course.evidence?.verdict).to.equal('pass');
    // Every minute of the bake looked at (interim, then the whole window), all in the ledger.
    expect(course.judgements.length).to.be.greaterThanOrEqual(15);
    expect(course.judgements.at(-1)?.window.seconds).to.equal(15 * 60);
    expect(course.steps.map((s) => s.step).join('\n'))
      .to.match(/weighed: 10% to version 2/)
      .and.match(/judged pass/);
    // The evidence is the judge's: the canary's invocations, read from moto, about a tenth.
    const values = (course.evidence as unknown as { values: Record<string, number[]> }).values;
    const canary = values.canary_invocations![0]!;
    const baseline = values.baseline_invocations![0]!;
    expect(canary / (canary + baseline)).to.be.closeTo(0.1, 0.01);
    expect(values.canary_errors).to.deep.equal([0]);
  });

  it('a canary whose new version errs is rolled back before the bake ends; live back on the old version, routing cleared', async () => {
    const env = await sandboxUp();
    await readyForProd(env, 'v2');
    const bad = (v: string) => (v === '2' ? { errorRate: 0.2, durationMs: 200 } : HEALTHY);
    const { result, failure, world } = await promoteToProd(env, bad);
    expect(failure).to.match(/canary fail before the bake ended: error rate/);
    expect(result.outcome).to.equal('rolled_back');
    const live = await new Lambda(world.deps.clients.lambda('prod')).alias(
      naming.functionName(FN, 'prod'),
      'live',
    );
    expect(live?.FunctionVersion).to.equal('1');
    expect(live?.RoutingConfig?.AdditionalVersionWeights ?? {}).to.deep.equal({});
    // The first minute with the new version's errors in was enough.
    expect(world.clock.minutes).to.be.lessThan(5);

    const rec = await finalRecord(world.deps);
    expect(rec.outcome).to.equal('rolled_back');
    expect(rec.canary?.evidence?.verdict).to.equal('fail');
    const checks = (rec.canary?.evidence as unknown as { checks: Array<{ check: string; verdict: string }> })
      .checks;
    expect(checks.find((c) => c.check.startsWith('error rate'))?.verdict).to.equal('fail');
    expect(rec.canary?.steps.at(-1)?.step).to.match(/judged fail: live moves back to version 1/);
  });

  it('no traffic is never a pass: an inconclusive canary is rolled back at the end of the bake', async () => {
    const env = await sandboxUp();
    await readyForProd(env, 'v2');
    const { result, world } = await promoteToProd(env, () => HEALTHY, 0);
    expect(result.outcome).to.equal('rolled_back');
    expect(result.detail).to.match(/canary inconclusive/);
    const rec = await finalRecord(world.deps);
    expect(rec.canary?.evidence?.verdict).to.equal('inconclusive');
    expect(
      (await new Lambda(world.deps.clients.lambda('prod')).alias(naming.functionName(FN, 'prod'), 'live'))
        ?.FunctionVersion,
    ).to.equal('1');
  });
});
