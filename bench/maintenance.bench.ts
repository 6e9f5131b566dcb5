/**
 * The maintenance switch against its history: `tdr maintenance on`, `tdr maintenance off` and
 * `tdr status --env E` where the environment's maintenance ledger holds 10, 1,000 and 10,000
 * records, side by side in one run on one moto_server, with the AWS requests each made (counted by
 * the test proxy). The target, as for releases: at 10,000 records within 1.2× of 10, requests flat.
 *
 * Each size is one workload environment (intg 10, staging 1,000, prod 10,000; prod's approver is
 * configured away so that the bench's caller may switch it), seeded with on/off pairs (started and
 * succeeded each) straight into the bucket, ending off, then indexed once with `tdr ledger reindex`.
 * Commands run in-process, interleaved across sizes; the median of the runs is shown.
 *
 * Run: npm run bench:maintenance [runs]   (needs moto_server on PATH)
 */
import { naming } from '../services/naming';
import { runTdr } from '../test/support/cli';
import { benchSandbox, median, seedLedger } from './sandbox';
import { runsOf, sizesOf } from './smoke';

const runs = runsOf(process.argv[2], 5);
const SIZES = sizesOf([
  { records: 10, env: 'intg' },
  { records: 1_000, env: 'staging' },
  { records: 10_000, env: 'prod' },
] as const);

/** Blocks of four: on started, on succeeded, off started, off succeeded (so the history ends off). */
function seedRecord(env: string, seq: number): object {
  const pos = (seq - 1) % 4;
  const on = pos < 2;
  const at = new Date(seq * 60_000).toISOString();
  return {
    schema: 1,
    seq,
    kind: 'maintenance',
    service: naming.maintenanceSubject(),
    env,
    version: '',
    digest: '',
    actor: 'ops',
    recordedAt: at,
    runId: `seed-${env}-${Math.floor((seq - 1) / 2)}`,
    action: on ? 'maintenance-on' : 'maintenance-off',
    outcome: pos % 2 === 0 ? 'started' : 'succeeded',
    reason: 'seeded',
    listenerArn: `arn:aws:elasticloadbalancing:eu-west-2:000000000000:listener/app/${naming.loadBalancer(env as 'intg')}/0/0`,
    savedRules: [],
    maintenanceRule: null,
    restores: on ? null : seq - (pos - 1),
    unexpectedRules: [],
    buildUrl: null,
    startedAt: at,
    finishedAt: pos % 2 === 0 ? null : at,
    detail: null,
    settles: null,
    approval: null,
  };
}

async function main(): Promise<void> {
  const { env, proxy, s3, stop } = await benchSandbox({
    // No approvers in prod, so no approval pause either (nobody could continue it).
    environments: {
      prod: {
        promotion: { soakMinutes: 0, freezeWindows: [], approval: null },
        delivery: { approvalPause: null },
      },
    },
  });
  try {
    for (const { env: e, records } of SIZES) {
      const t = Date.now();
      await seedLedger(s3, naming.maintenanceSubject(), e, records, (seq) => seedRecord(e, seq));
      const s = Date.now();
      const r = await runTdr(
        ['ledger', 'reindex', '--service', naming.maintenanceSubject(), '--env', e],
        env,
      );
      if (r.code !== 0) throw new Error(r.stderr);
      console.error(`seeded ${e} with ${records} records in ${s - t} ms; reindex ${Date.now() - s} ms`);
    }

    const commands = {
      'maintenance on': (e: string) => ['maintenance', 'on', '--env', e, '--reason', 'bench'],
      'maintenance off': (e: string) => ['maintenance', 'off', '--env', e],
      'status --env': (e: string) => ['status', '--env', e],
    };
    const results = new Map<string, { ms: number[]; all: number[] }>();
    for (let i = 0; i < runs + 1; i++) {
      for (const [name, argv] of Object.entries(commands)) {
        for (const { env: e, records } of SIZES.map((_, k) => SIZES[(k + i) % SIZES.length]!)) {
          const before = proxy.operations().length;
          const start = process.hrtime.bigint();
          const r = await runTdr(argv(e), env);
          const ms = Number(process.hrtime.bigint() - start) / 1e6;
          if (r.code !== 0) throw new Error(`${argv(e).join(' ')}: ${r.stderr}`);
          const ops = proxy.operations().length - before;
          if (i === 0) continue; // warm-up: module loading, first connections
          const row = results.get(`${name} ${records}`) ?? { ms: [], all: [] };
          row.ms.push(ms);
          row.all.push(ops);
          results.set(`${name} ${records}`, row);
        }
      }
    }

    console.log(`\nThe maintenance switch against its history (median of ${runs} runs; moto on 127.0.0.1)\n`);
    const smallest = SIZES[0]!.records;
    const largest = SIZES[SIZES.length - 1]!.records;
    const growth = `${largest >= 1000 ? `${largest / 1000}k` : largest} / ${smallest}`;
    console.log(
      ['command', ...SIZES.map((s) => `${s.records} records`), growth].map((c) => c.padEnd(24)).join(''),
    );
    for (const name of Object.keys(commands)) {
      const cells = SIZES.map((s) => {
        const r = results.get(`${name} ${s.records}`)!;
        return `${median(r.ms).toFixed(0)} ms, ${median(r.all)} AWS`;
      });
      // Largest over smallest measured: 10k / 10, or 1 in a smoke run (one size).
      const ratio =
        median(results.get(`${name} ${largest}`)!.ms) / median(results.get(`${name} ${smallest}`)!.ms);
      console.log([`tdr ${name}`, ...cells, `${ratio.toFixed(2)}×`].map((c) => c.padEnd(24)).join(''));
    }
  } finally {
    await stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
