/**
 * The release board from an in-memory ledger of 50 services × 1,000 records each (releases through
 * intg, staging and prod over half a year, some failures and rollbacks, e2e checks): building the
 * board's data and rendering the HTML page. Target: under 1 s for the first render in a process.
 *
 * Then the board against history on moto (./report-history.ts): 10 and 10,000 records per
 * service × environment, time and AWS requests side by side (issue 24 item 18).
 *
 *   npm run bench:report [runs]   (the second part needs moto_server on PATH)
 */
import { buildBoard, type BoardInput, type LiveState } from '../pipelines/report/board';
import { renderBoardHtml } from '../pipelines/report/html';
import { DAY_MS, currentRun, recordsOf, releaseRuns } from '../pipelines/report/runs';
import { LedgerBuilder } from '../test/support/ledger-records';
import { boardAgainstHistory } from './report-history';
import { runsOf, smoke } from './smoke';

// A smoke run (./smoke.ts): the catalogue's smallest useful board, once.
const SERVICES = smoke() ? 2 : 50;
const RECORDS_PER_SERVICE = smoke() ? 10 : 1_000;
const NOW = new Date('2026-06-30T12:00:00Z');
const SPAN_DAYS = 180;
const NOT_IN_MAINTENANCE = {
  on: false,
  since: null,
  by: null,
  reason: null,
  seq: null,
  listener: false,
  drift: [],
  unsettled: [],
  problems: [],
} as const;

function ledgerOf(b: LedgerBuilder, service: string): void {
  const count = () => Object.values(b.ledgers[service] ?? {}).reduce((n, r) => n + r.length, 0);
  // Deterministic variety: every 7th release fails in staging, every 11th rolls back in prod.
  for (let v = 1; count() < RECORDS_PER_SERVICE; v++) {
    const at = NOW.getTime() - SPAN_DAYS * DAY_MS + v * 0.4 * DAY_MS;
    const version = `v${v}`;
    b.run({ service, env: 'intg', version, at: new Date(at), outcome: 'succeeded', actor: 'jenkins' });
    if (v % 2 === 0) {
      b.run({
        service,
        env: 'staging',
        version,
        at: new Date(at + 0.1 * DAY_MS),
        outcome: v % 7 === 0 ? 'failed' : 'succeeded',
      });
      b.check({
        service,
        env: 'staging',
        version,
        name: 'e2e',
        result: 'passed',
        at: new Date(at + 0.15 * DAY_MS),
      });
    }
    if (v % 6 === 0) {
      b.run({
        service,
        env: 'prod',
        version,
        at: new Date(at + 0.3 * DAY_MS),
        outcome: v % 11 === 0 ? 'rolled_back' : 'succeeded',
        approver: 'carol',
        gates: [{ gate: 'e2e', ok: true, detail: 'passed on staging' }],
      });
    }
  }
}

function input(): BoardInput {
  const b = new LedgerBuilder();
  const services = Array.from({ length: SERVICES }, (_, i) => `service-${String(i).padStart(2, '0')}`);
  for (const s of services) ledgerOf(b, s);
  const ledgers = b.ledgers;
  // What ECS runs is read before rendering (as `tdr report` will), so it is not part of the time.
  const running = new Map<string, LiveState>();
  for (const s of services) {
    for (const env of ['intg', 'staging', 'prod']) {
      const digest = currentRun(releaseRuns(recordsOf(ledgers, s, env)))?.digest ?? null;
      running.set(`${s}/${env}`, { state: 'running', digest });
    }
  }
  const live = (service: string, env: string) => running.get(`${service}/${env}`);
  return {
    model: {
      services: services.map((name) => ({ name, kind: 'service' })),
      environments: [
        { name: 'intg', source: null },
        { name: 'staging', source: 'intg' },
        { name: 'prod', source: 'staging' },
      ],
    },
    ledgers,
    live,
    leases: [],
    maintenance: () => NOT_IN_MAINTENANCE,
    now: NOW,
  };
}

function main(): void {
  const data = input();
  const records = Object.values(data.ledgers).reduce(
    (n, envs) => n + Object.values(envs).reduce((m, r) => m + r.length, 0),
    0,
  );
  const runs: Array<{ board: number; html: number; bytes: number }> = [];
  for (let i = 0, n = runsOf(undefined, 5); i < n; i++) {
    const t0 = performance.now();
    const board = buildBoard(data);
    const t1 = performance.now();
    const html = renderBoardHtml(board);
    const t2 = performance.now();
    runs.push({ board: t1 - t0, html: t2 - t1, bytes: Buffer.byteLength(html) });
  }
  const [first] = runs;
  const best = runs.reduce((a, b) => (a.board + a.html <= b.board + b.html ? a : b));
  const ms = (n: number) => `${Math.round(n)} ms`;
  console.log(
    `release board: ${SERVICES} services, ${records} ledger records, page ${Math.round(first!.bytes / 1024)} KiB`,
  );
  console.log(
    `  first render: board data ${ms(first!.board)} + HTML ${ms(first!.html)} = ${ms(first!.board + first!.html)} (target < 1000 ms)`,
  );
  console.log(
    `  best of ${runs.length}:   board data ${ms(best.board)} + HTML ${ms(best.html)} = ${ms(best.board + best.html)}`,
  );
}

main();
boardAgainstHistory(process.argv[2]).catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
