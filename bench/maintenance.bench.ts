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
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { naming } from '../services/naming';
import { recordKey } from '../pipelines/release/ledger';
import { runTdr } from '../test/support/cli';
import { startMoto } from '../test/support/moto';
import { startProxy } from '../test/support/proxy';
import { configFile } from '../test/support/release';

const runs = Number(process.argv[2] ?? 5);
const SIZES = [
  { records: 10, env: 'intg' },
  { records: 1_000, env: 'staging' },
  { records: 10_000, env: 'prod' },
] as const;

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

async function seed(s3: S3Client, env: string, n: number): Promise<void> {
  let next = 1;
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (next <= n) {
        const seq = next++;
        await s3.send(
          new PutObjectCommand({
            Bucket: naming.ledgerBucket(),
            Key: recordKey(naming.maintenanceSubject(), env, seq),
            Body: JSON.stringify(seedRecord(env, seq)),
          }),
        );
      }
    }),
  );
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

async function main(): Promise<void> {
  const moto = await startMoto();
  const proxy = await startProxy(moto.endpoint);
  const env: Record<string, string | undefined> = {
    ...process.env,
    AWS_ENDPOINT_URL: proxy.endpoint,
    AWS_REGION: 'eu-west-2',
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    TDR_ACCOUNT_IDS: undefined,
    TDR_SLACK_WEBHOOK_URL: undefined,
    TDR_CONFIG: configFile({
      environments: { prod: { promotion: { soakMinutes: 0, freezeWindows: [], approval: null } } },
    }),
    USER: 'bench',
  };
  Object.assign(process.env, {
    AWS_REGION: 'eu-west-2',
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
  });
  try {
    const up = await runTdr(['sandbox', 'up'], env);
    if (up.code !== 0) throw new Error(up.stderr);
    const s3 = new S3Client({ endpoint: moto.endpoint, forcePathStyle: true, region: 'eu-west-2' });
    for (const { env: e, records } of SIZES) {
      const t = Date.now();
      await seed(s3, e, records);
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
    console.log(
      ['command', ...SIZES.map((s) => `${s.records} records`), '10k / 10'].map((c) => c.padEnd(24)).join(''),
    );
    for (const name of Object.keys(commands)) {
      const cells = SIZES.map((s) => {
        const r = results.get(`${name} ${s.records}`)!;
        return `${median(r.ms).toFixed(0)} ms, ${median(r.all)} AWS`;
      });
      const ratio = median(results.get(`${name} 10000`)!.ms) / median(results.get(`${name} 10`)!.ms);
      console.log([`tdr ${name}`, ...cells, `${ratio.toFixed(2)}×`].map((c) => c.padEnd(24)).join(''));
    }
  } finally {
    await proxy.close();
    await moto.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
