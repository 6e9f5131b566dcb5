/**
 * A prod function canary on moto, measured: how long from the first bad datapoint (an error burst
 * on the new version, part-way through the bake) to the rollback starting (`live` moving back),
 * and how many AWS requests a judgement costs (GetMetricData calls, counted by the test proxy
 * between moto and the engine), for a canary rolled back by the burst and for one that passes.
 *
 * The bake runs on the canary's clock (sandbox/canary-world.ts): the alias's traffic is put to
 * moto's CloudWatch a minute at a time as the clock moves, so 15 minutes of bake take seconds. The
 * detection time is therefore in the bake's minutes, as it would be on AWS (the judge looks once a
 * minute, a minute after it ends: pipelines/release/strategies/lambda-canary.ts); the engine's own
 * time for the judgement and the undo is the wall-clock column.
 *
 * Run: npm run bench:canary [runs]   (needs moto_server on PATH)
 */
import { loadPlatform } from '../services/config';
import { naming } from '../services/naming';
import { Lambda } from '../pipelines/release/aws/lambda';
import { Ledger } from '../pipelines/release/ledger/ledger';
import { releaseClients } from '../pipelines/release/aws/aws';
import type { ReleaseDeps } from '../pipelines/release/saga/context';
import { releaseFunction } from '../pipelines/release/strategies/lambda-alias-shift';
import { HEALTHY, canaryWorld } from '../sandbox/canary-world';
import { ERROR_BURST, DEMO_INVOCATIONS_PER_MINUTE } from '../sandbox/demo-canary';
import { runTdr } from '../test/support/cli';
import { e2ePassed } from '../test/support/release';
import { benchSandbox, median } from './sandbox';
import { runsOf } from './smoke';

const runs = runsOf(process.argv[2], 3);
const FN = 'checksum';
/** The burst starts this many minutes into the bake. */
const BURST_AFTER_MINUTES = 3;

type Env = Record<string, string | undefined>;

async function tdr(argv: string[], env: Env): Promise<void> {
  const r = await runTdr(argv, env);
  if (r.code !== 0) throw new Error(`tdr ${argv.join(' ')}: ${r.stderr}`);
}

/** Build `version` through intg and staging with e2e passed: ready for prod. */
async function ready(env: Env, version: string): Promise<void> {
  await tdr(['deploy', '--service', FN, '--env', 'intg', '--version', version], env);
  await tdr(['promote', '--service', FN, '--to', 'staging', '--actor', 'bench'], env);
  await e2ePassed(env, FN, version);
}

interface Measured {
  readonly outcome: string;
  /** From the first bad datapoint to `live` moving back, on the bake's clock (null: no rollback). */
  readonly detectMs: number | null;
  /** Wall clock of the whole promotion (bake on the fast clock). */
  readonly wallMs: number;
  readonly judgements: number;
  readonly getMetricData: number;
}

async function canary(
  deps: ReleaseDeps,
  operations: () => number,
  version: string,
  burst: boolean,
  startMs: number,
): Promise<Measured & { endMs: number }> {
  let shiftedMinute = 0;
  let rollbackAt: number | null = null;
  let clockNow: () => Date = () => new Date();
  const world = canaryWorld(
    {
      ...deps,
      log: (line) => {
        if (/live weighed/.test(line)) shiftedMinute = Math.floor(clockNow().getTime() / 60_000) * 60_000;
        if (/moving live back/.test(line)) rollbackAt ??= clockNow().getTime();
      },
    },
    {
      fn: FN,
      env: 'prod',
      perMinute: DEMO_INVOCATIONS_PER_MINUTE,
      startMs,
      behaviour: (v, minute) =>
        burst && v !== baseline && minute.getTime() >= burstMinute() ? ERROR_BURST : HEALTHY,
    },
  );
  clockNow = world.clock.now;
  // The minute the burst starts in: the first minute of the bake is the one `live` was weighed in.
  const burstMinute = () => shiftedMinute + BURST_AFTER_MINUTES * 60_000;
  const baseline = (
    await new Lambda(world.deps.clients.lambda('prod')).alias(naming.functionName(FN, 'prod'), 'live')
  )?.FunctionVersion;
  const before = operations();
  const t = Date.now();
  const { result } = await releaseFunction(world.deps, {
    action: 'promote',
    service: FN,
    env: 'prod',
    actor: 'bench',
  });
  const wallMs = Date.now() - t;
  // The first bad datapoint is stamped a second into the burst's minute (sandbox/lambda-traffic.ts).
  const firstBad = burstMinute() + 1_000;
  const ledger = new Ledger(deps.clients.mgmt.s3, naming.ledgerBucket());
  const last = (await ledger.records(FN, 'prod')).at(-1);
  const judgements = last?.kind === 'release' ? (last.canary?.judgements.length ?? 0) : 0;
  return {
    outcome: `${result.outcome} (${version})`,
    detectMs: rollbackAt !== null && burst ? rollbackAt - firstBad : null,
    wallMs,
    judgements,
    getMetricData: operations() - before,
    endMs: world.clock.now().getTime(),
  };
}

async function main(): Promise<void> {
  const { env, proxy, stop } = await benchSandbox({
    environments: {
      prod: {
        promotion: { soakMinutes: 0, freezeWindows: [], approval: null },
        delivery: { approvalPause: null },
      },
    },
  });
  try {
    const clients = await releaseClients({ region: 'eu-west-2', sessionName: 'tdr-bench', env });
    let n = 0;
    const deps: ReleaseDeps = {
      clients,
      platform: loadPlatform(env),
      now: () => new Date(),
      sleep: async () => {},
      log: () => {},
      notifier: {},
      pollMs: 20,
      timeoutMs: 60_000,
      leaseTtlMs: 600_000,
      newRunId: () => `bench-${++n}`,
    };
    const getMetricData = () => proxy.operations().filter((o) => o.name === 'GetMetricData').length;
    const rows: Record<'rolled back by the burst' | 'passes', Measured[]> = {
      'rolled back by the burst': [],
      passes: [],
    };
    let clock = Date.now();
    for (let i = 0; i < runs; i++) {
      // Each run: a version the burst rolls back, then one that passes (so prod moves on).
      const bad = `v${2 * i + 2}`;
      const good = `v${2 * i + 3}`;
      for (const [version, burst] of [
        [bad, true],
        [good, false],
      ] as const) {
        await ready(env, version);
        const m = await canary(deps, getMetricData, version, burst, clock);
        clock = m.endMs;
        rows[burst ? 'rolled back by the burst' : 'passes'].push(m);
        console.error(`${m.outcome}: ${JSON.stringify(m)}`);
      }
    }
    console.log(
      `\nA prod function canary on moto (median of ${runs} run(s); 10 % for 15 min, ${DEMO_INVOCATIONS_PER_MINUTE} invocations a minute, burst ${BURST_AFTER_MINUTES} min in)\n`,
    );
    const cols = [
      'canary',
      'bad datapoint → rollback',
      'judgements',
      'GetMetricData',
      'per judgement',
      'wall clock',
    ];
    console.log(cols.map((c) => c.padEnd(26)).join(''));
    for (const [name, ms] of Object.entries(rows)) {
      const detect = ms.map((m) => m.detectMs).filter((d): d is number => d !== null);
      const cells = [
        name,
        detect.length ? `${(median(detect) / 1000).toFixed(0)} s on the bake's clock` : '-',
        String(median(ms.map((m) => m.judgements))),
        String(median(ms.map((m) => m.getMetricData))),
        (median(ms.map((m) => m.getMetricData)) / Math.max(1, median(ms.map((m) => m.judgements)))).toFixed(
          2,
        ),
        `${(median(ms.map((m) => m.wallMs)) / 1000).toFixed(1)} s`,
      ];
      console.log(cells.map((c) => c.padEnd(26)).join(''));
    }
  } finally {
    await stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
