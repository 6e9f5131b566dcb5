/**
 * The release board against history (issue 24 item 18): the board's cost for one service across
 * the promotion path, at 10 and at 10,000 ledger records per service × environment, side by side
 * in one run on one moto_server, with the AWS requests counted by the test proxy. The target: at
 * 10,000 within 1.5× of 10 (the board reads each head's run summary; it never pages records).
 *
 * Each size is its own service (frontend: 10, keycloak: 10,000 records in each environment),
 * seeded straight into the bucket with runs (started + succeeded) and e2e results inside the
 * board's 90 days, then indexed once with `tdr ledger reindex` (apart from the timing). The board
 * is gathered and built in-process as `tdr report` does (reader mode: a read writes nothing),
 * rounds interleaved across sizes; the median is shown.
 *
 * Trains and rejections (issue 26) are read as `tdr report` reads them (tdr status's readers): each
 * size's service has as many rejection records as ledger records per environment (its rejections
 * stream indexed like the rest), and every target environment's train stream holds
 * TRAIN_RECORDS records (shared by both sizes: it shows that a long train stream costs nothing more).
 */
import { gatherBoardSnapshot, type TrainAndRejectionReaders } from '../pipelines/release/reads/board-input';
import { runtimeDeps } from '../pipelines/release/saga/runtime';
import { rejections } from '../pipelines/release/admin/reject';
import { trainStatus } from '../pipelines/release/train/status';
import { Ledger } from '../pipelines/release/ledger/ledger';
import { REJECTIONS_STREAM, TRAIN_SUBJECT, naming } from '../services/naming';
import { boardModelOf, buildBoard } from '../pipelines/report/board';
import { renderBoardHtml } from '../pipelines/report/html';
import { loadPlatform } from '../services/config';
import { runTdr } from '../test/support/cli';
import { QUICK_CONFIG } from '../test/support/release';
import { benchSandbox, median, seedLedger } from './sandbox';
import { runsOf, sizesOf } from './smoke';

const SIZES = sizesOf([
  { records: 10, service: 'frontend' },
  { records: 10_000, service: 'keycloak' },
] as const);
const MINUTE = 60_000;
/** Records in each target environment's train stream: a train of five writes nine. */
const TRAIN_RECORDS = SIZES.length > 1 ? 2_000 : 20;

/** A rejection (or, every third, its withdrawal) of one of the service's versions, a minute apart. */
function seedRejection(service: string, seq: number, total: number, now: number): object {
  const at = new Date(now - (total - seq + 1) * MINUTE).toISOString();
  const version = `v${Math.ceil(seq / 2) + 1}`;
  return {
    schema: 1,
    seq,
    kind: 'rejection',
    service,
    env: REJECTIONS_STREAM,
    version,
    digest: '',
    actor: 'carol',
    recordedAt: at,
    action: seq % 3 === 0 ? 'unreject' : 'reject',
    reason: 'seeded',
    approver: 'carol',
    identity: 'arn:aws:sts::111111111111:assumed-role/tdr-approver/carol',
  };
}

/** Trains of five members, each plan, approve, started, three progress steps and its outcome. */
function seedTrainRecord(env: string, seq: number, source: string, now: number): object {
  const n = Math.floor((seq - 1) / 9);
  const step = (seq - 1) % 9;
  const members = ['a', 'b', 'c', 'd', 'e'].map((m) => ({
    name: `member-${m}`,
    kind: 'service',
    version: `v${n + 2}`,
    digest: `sha256:${(n + 2).toString(16).padStart(64, '0')}`,
    before: { version: `v${n + 1}`, digest: `sha256:${(n + 1).toString(16).padStart(64, '0')}` },
    gates: [],
  }));
  const actions = [
    'plan',
    'approve',
    'promote',
    'promote',
    'promote',
    'promote',
    'promote',
    'promote',
    'promote',
  ];
  const outcomes = [
    'recorded',
    'recorded',
    'started',
    'progress',
    'progress',
    'progress',
    'progress',
    'progress',
    'succeeded',
  ];
  return {
    schema: 1,
    seq,
    kind: 'train',
    service: TRAIN_SUBJECT,
    env,
    version: `train-${n.toString(16).padStart(16, '0')}`,
    digest: '',
    actor: 'bob',
    recordedAt: new Date(now - (TRAIN_RECORDS - seq + 1) * MINUTE).toISOString(),
    action: actions[step],
    outcome: outcomes[step],
    runId: step >= 2 ? `run-${n}` : null,
    sourceEnv: source,
    members,
    leftOut: [],
    progress: members
      .slice(0, Math.max(0, step - 3))
      .map((m) => ({ name: m.name, action: 'promote', outcome: 'succeeded', ledger: [1], detail: null })),
    detail: null,
  };
}

/** Blocks of five: two runs (started, succeeded) and an e2e result, a minute apart, ending now. */
function seedRecord(service: string, env: string, seq: number, total: number, now: number): object {
  const at = new Date(now - (total - seq + 1) * MINUTE).toISOString();
  const base = { schema: 1, seq, service, env, actor: 'jenkins', recordedAt: at };
  const pos = (seq - 1) % 5;
  const run = 2 * Math.floor((seq - 1) / 5) + (pos < 2 ? 0 : 1);
  const version = `v${run + 2}`;
  const digest = `sha256:${(run + 2).toString(16).padStart(64, '0')}`;
  if (pos === 4) return { ...base, kind: 'check', version, digest, name: 'e2e', result: 'passed', url: null };
  const started = pos % 2 === 0;
  return {
    ...base,
    kind: 'release',
    runId: `seed-${service}-${env}-${run}`,
    action: env === 'intg' ? 'deploy' : 'promote',
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
    startedAt: at,
    finishedAt: started ? null : at,
    detail: null,
    settles: null,
  };
}

/** Every size's ledger in every environment, written straight to the bucket, then indexed once. */
async function seedAll(
  env: Record<string, string | undefined>,
  s3: Parameters<typeof seedLedger>[0],
  environments: readonly string[],
): Promise<void> {
  const now = Date.now();
  for (const { service, records } of SIZES) {
    const t = Date.now();
    for (const e of environments) {
      await seedLedger(s3, service, e, records, (seq) => seedRecord(service, e, seq, records, now));
      const r = await runTdr(['ledger', 'reindex', '--service', service, '--env', e], env);
      if (r.code !== 0) throw new Error(r.stderr);
    }
    await seedLedger(s3, service, REJECTIONS_STREAM, records, (seq) =>
      seedRejection(service, seq, records, now),
    );
    await new Ledger(s3, naming.ledgerBucket()).reindex(service, REJECTIONS_STREAM);
    console.error(
      `seeded and indexed ${service}: ${records} records in each of ${environments.join(', ')} and its rejections in ${Date.now() - t} ms`,
    );
  }
  for (const [i, e] of environments.entries()) {
    const source = environments[i - 1];
    if (!source) continue;
    await seedLedger(s3, TRAIN_SUBJECT, e, TRAIN_RECORDS, (seq) => seedTrainRecord(e, seq, source, now));
    await new Ledger(s3, naming.ledgerBucket()).reindex(TRAIN_SUBJECT, e);
  }
  console.error(`seeded and indexed ${TRAIN_RECORDS} train records in each target environment`);
}

/** As `tdr report` reads trains and rejections (cli/report.ts), for the one service measured. */
function readersOf(deps: Parameters<typeof trainStatus>[0], service: string): TrainAndRejectionReaders {
  return {
    trains: (envs) => trainStatus(deps, envs),
    rejections: (subjects) => rejections(deps, subjects),
    subjects: [service],
  };
}

export async function boardAgainstHistory(runsArg: string | undefined): Promise<void> {
  const runs = runsOf(runsArg, 5);
  const { env, proxy, s3, stop } = await benchSandbox(QUICK_CONFIG);
  // In-process AWS clients go through the proxy too, so that it counts their requests.
  process.env.AWS_ENDPOINT_URL = env.AWS_ENDPOINT_URL;
  try {
    const platform = loadPlatform({ ...env, TDR_CONFIG: undefined });
    const model = boardModelOf(platform);
    const environments = model.environments.map((e) => e.name);
    await seedAll(env, s3, environments);
    const deps = await runtimeDeps({
      env: { ...env, TDR_WORKLOAD_ROLE: 'reader' },
      platform,
      log: () => undefined,
      actor: 'bench',
      readOnly: true,
    });
    const results = new Map<
      number,
      { ms: number[]; all: number[]; s3: number[]; writes: number; bytes: number }
    >();
    for (let i = 0; i < runs + 1; i++) {
      for (const { service, records } of SIZES.map((_, k) => SIZES[(k + i) % SIZES.length]!)) {
        const before = proxy.operations().length;
        const start = process.hrtime.bigint();
        const snapshot = await gatherBoardSnapshot(
          deps,
          { services: [service], environments, windowDays: 90 },
          readersOf(deps, service),
        );
        // The 10,000 size is past the head's run summary cap (expected, said); a read that failed is not.
        const failed = snapshot.problems.filter((p) => p.includes('could not be read'));
        if (failed.length > 0) throw new Error(failed.join('\n'));
        const board = buildBoard({
          model: { ...model, services: model.services.filter((s) => s.name === service) },
          ledgers: snapshot.ledgers,
          runs: snapshot.runs,
          live: (s, e) => snapshot.live[`${s}/${e}`],
          leases: snapshot.leases,
          maintenance: (e) => snapshot.maintenance[e],
          now: deps.now(),
          trains: snapshot.trains,
          rejected: snapshot.rejected,
        });
        const html = renderBoardHtml(board);
        const ms = Number(process.hrtime.bigint() - start) / 1e6;
        const ops = proxy.operations().slice(before);
        if (i === 0) continue; // warm-up
        const row = results.get(records) ?? { ms: [], all: [], s3: [], writes: 0, bytes: 0 };
        row.ms.push(ms);
        row.all.push(ops.length);
        row.s3.push(ops.filter((o) => o.service === 'S3').length);
        row.writes += ops.filter((o) => /^(Put|Delete|Copy)/.test(o.name)).length;
        row.bytes = Buffer.byteLength(html);
        results.set(records, row);
        const deploys = board.metrics.overall.windows.find((w) => w.days === 30)?.deployments ?? 0;
        if (i === 1)
          console.error(
            `  ${service} (${records} records): ${deploys} prod deployments in 30 days, ${board.trains.length} trains, ${board.rejections.length} rejected versions on the board`,
          );
      }
    }
    console.log(
      `\nThe board against history: one service × ${environments.join(', ')} (median of ${runs} runs; moto on 127.0.0.1)\n`,
    );
    for (const { records, service } of SIZES) {
      const r = results.get(records)!;
      console.log(
        `  ${String(records).padStart(6)} records per subject (${service}): ${median(r.ms).toFixed(0)} ms, ${median(r.all)} AWS requests (${median(r.s3)} S3), ${r.writes} writes, page ${Math.round(r.bytes / 1024)} KiB`,
      );
    }
    const small = results.get(SIZES[0]!.records)!;
    const large = results.get(SIZES[SIZES.length - 1]!.records)!;
    console.log(
      `  10,000 / 10: time ${(median(large.ms) / median(small.ms)).toFixed(2)}× (target ≤ 1.5×), requests ${(median(large.all) / median(small.all)).toFixed(2)}×`,
    );
  } finally {
    await stop();
  }
}
