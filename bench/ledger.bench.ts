/**
 * Ledger reads against history: `tdr status`, `tdr deploy` and `tdr history` on one service ×
 * environment holding 10, 1,000 and 10,000 records, side by side in one run on one moto_server,
 * with the S3 requests each command made (counted by the test proxy). The target: at 10,000
 * records within 1.2× of 10, and requests per command flat.
 *
 * Each size is its own service in intg (frontend, consignmentapi, keycloak), seeded with deploy
 * records (started + succeeded) and e2e results straight into the bucket, then indexed once with
 * `tdr ledger reindex` (the one read that grows with history, timed apart). Commands run
 * in-process, interleaved across sizes so that a noisy shared machine slows all of them alike;
 * the median of the runs is shown.
 *
 * Run: npm run bench:ledger [runs]   (needs moto_server on PATH)
 */
import { runTdr } from '../test/support/cli';
import { QUICK_CONFIG } from '../test/support/release';
import { benchSandbox, median, seedLedger } from './sandbox';
import { runsOf, sizesOf } from './smoke';

const runs = runsOf(process.argv[2], 5);
const SIZES = sizesOf([
  { records: 10, service: 'frontend' },
  { records: 1_000, service: 'consignmentapi' },
  { records: 10_000, service: 'keycloak' },
] as const);

/** Blocks of five: two deploys (started, succeeded) and an e2e result; sizes are multiples of 5. */
function seedRecord(service: string, seq: number): object {
  const base = {
    schema: 1,
    seq,
    service,
    env: 'intg',
    actor: 'jenkins',
    recordedAt: new Date(seq * 60_000).toISOString(),
  };
  const pos = (seq - 1) % 5;
  const run = 2 * Math.floor((seq - 1) / 5) + (pos < 2 ? 0 : 1);
  const version = `v${(run % 2) + 2}`;
  const digest = `sha256:${version.slice(1).repeat(64)}`;
  if (pos === 4) return { ...base, kind: 'check', version, digest, name: 'e2e', result: 'passed', url: null };
  const started = pos % 2 === 0;
  return {
    ...base,
    kind: 'release',
    runId: `seed-${service}-${run}`,
    action: 'deploy',
    outcome: started ? 'started' : 'succeeded',
    version,
    digest,
    image: `repo@${digest}`,
    gitCommit: null,
    taskDefinitionBefore: null,
    taskDefinitionAfter: null,
    approver: null,
    buildUrl: null,
    sourceEnv: null,
    reason: null,
    breakGlass: false,
    gates: [{ gate: 'image', ok: true, detail: 'seeded' }],
    startedAt: base.recordedAt,
    finishedAt: started ? null : base.recordedAt,
    detail: null,
    settles: null,
  };
}

async function main(): Promise<void> {
  const { env, proxy, s3, stop } = await benchSandbox(QUICK_CONFIG);
  try {
    for (const { service, records } of SIZES) {
      const t = Date.now();
      await seedLedger(s3, service, 'intg', records, (seq) => seedRecord(service, seq));
      const s = Date.now();
      const r = await runTdr(['ledger', 'reindex', '--service', service, '--env', 'intg'], env);
      if (r.code !== 0) throw new Error(r.stderr);
      console.error(
        `seeded ${service} with ${records} records in ${s - t} ms; reindex (reads all, once) ${Date.now() - s} ms`,
      );
    }

    const commands = {
      status: (s: string) => ['status', '--service', s, '--env', 'intg'],
      deploy: (s: string, i: number) => [
        'deploy',
        '--service',
        s,
        '--env',
        'intg',
        '--version',
        i % 2 ? 'v2' : 'v3',
      ],
      history: (s: string) => ['history', '--service', s, '--env', 'intg'],
    };
    const results = new Map<string, { ms: number[]; s3: number[]; all: number[] }>();
    for (let i = 0; i < runs + 1; i++) {
      for (const [name, argv] of Object.entries(commands)) {
        // Each round starts at another size, so that whatever drifts during a round (GC, a busy
        // neighbour) falls on every size alike.
        for (const { service, records } of SIZES.map((_, k) => SIZES[(k + i) % SIZES.length]!)) {
          const before = proxy.operations().length;
          const start = process.hrtime.bigint();
          const r = await runTdr(argv(service, i), env);
          const ms = Number(process.hrtime.bigint() - start) / 1e6;
          if (r.code !== 0) throw new Error(`${argv(service, i).join(' ')}: ${r.stderr}`);
          const ops = proxy.operations().slice(before);
          if (i === 0) continue; // warm-up: module loading, first connections
          const key = `${name} ${records}`;
          const row = results.get(key) ?? { ms: [], s3: [], all: [] };
          row.ms.push(ms);
          row.s3.push(ops.filter((o) => o.service === 'S3').length);
          row.all.push(ops.length);
          results.set(key, row);
        }
      }
    }

    console.log(`\nLedger reads against history (median of ${runs} runs; moto on 127.0.0.1)\n`);
    const smallest = SIZES[0]!.records;
    const largest = SIZES[SIZES.length - 1]!.records;
    const growth = `${largest >= 1000 ? `${largest / 1000}k` : largest} / ${smallest}`;
    console.log(
      ['command', ...SIZES.map((s) => `${s.records} records`), growth].map((c) => c.padEnd(26)).join(''),
    );
    for (const name of Object.keys(commands)) {
      const cells = SIZES.map((s) => {
        const r = results.get(`${name} ${s.records}`)!;
        return `${median(r.ms).toFixed(0)} ms, ${median(r.s3)} S3 (${median(r.all)} AWS)`;
      });
      // Largest over smallest measured: 10k / 10, or 1 in a smoke run (one size).
      const ratio =
        median(results.get(`${name} ${largest}`)!.ms) / median(results.get(`${name} ${smallest}`)!.ms);
      console.log([`tdr ${name}`, ...cells, `${ratio.toFixed(2)}×`].map((c) => c.padEnd(26)).join(''));
    }
  } finally {
    await stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
