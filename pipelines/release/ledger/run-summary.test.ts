/** The run summary a ledger head keeps: bounded by its window and its cap, whatever the history. */
import { expect } from 'chai';
import { BASELINE_REASON, type LedgerRecord } from './ledger-records';
import { EMPTY_SUMMARY, MAX_SUMMARY_RUNS, SUMMARY_DAYS, foldRuns, runSummarySchema } from './run-summary';

const DAY = 86_400_000;
const NOW = new Date('2026-06-30T12:00:00Z');
/** A realistic digest (sha256: and 64 hex digits): most of a fact's bytes. */
const digest = (n: number) => `sha256:${n.toString(16).padStart(64, '0')}`;

function outcome(seq: number, finished: Date, reason: string | null = null): LedgerRecord {
  const at = finished.toISOString();
  return {
    schema: 1,
    seq,
    kind: 'release',
    service: 'frontend',
    env: 'prod',
    actor: 'jenkins',
    recordedAt: at,
    runId: `run-${seq}`,
    action: 'promote',
    outcome: 'succeeded',
    version: `v${seq}`,
    digest: digest(seq),
    image: `repo@${digest(seq)}`,
    gitCommit: null,
    taskDefinitionBefore: null,
    taskDefinitionAfter: null,
    approver: null,
    buildUrl: null,
    sourceEnv: 'staging',
    reason,
    breakGlass: false,
    gates: [],
    startedAt: at,
    finishedAt: at,
    detail: null,
    settles: null,
  } as LedgerRecord;
}

describe('ledger run summary', () => {
  it(`keeps at most ${MAX_SUMMARY_RUNS} runs (the newest), says from when it is incomplete, and stays under 500 KB`, () => {
    const total = MAX_SUMMARY_RUNS + 500;
    // One run every 30 minutes: all of them inside the window.
    const records = Array.from({ length: total }, (_, i) =>
      outcome(i + 1, new Date(NOW.getTime() - (total - i) * 1_800_000)),
    );
    const summary = foldRuns(EMPTY_SUMMARY, records, NOW);
    expect(summary.runs).to.have.length(MAX_SUMMARY_RUNS);
    expect(summary.runs[0]?.seq).to.equal(total - MAX_SUMMARY_RUNS + 1);
    expect(summary.cappedBefore).to.equal(Date.parse(records[total - MAX_SUMMARY_RUNS - 1]!.recordedAt));
    expect(Buffer.byteLength(JSON.stringify(summary))).to.be.below(500_000);
    expect(runSummarySchema.safeParse(summary).success).to.equal(true);
    // Folding one more run keeps the bound, and the note until the dropped runs leave the window.
    const next = foldRuns(summary, [outcome(total + 1, NOW)], NOW);
    expect(next.runs).to.have.length(MAX_SUMMARY_RUNS);
    expect(next.cappedBefore).to.be.at.least(summary.cappedBefore!);
    const later = new Date(NOW.getTime() + SUMMARY_DAYS * DAY);
    expect(foldRuns(next, [], later).cappedBefore).to.equal(undefined);
  });

  it(`drops runs that finished more than ${SUMMARY_DAYS} days ago, folds each record once, and marks baselines`, () => {
    const old = outcome(1, new Date(NOW.getTime() - (SUMMARY_DAYS + 1) * DAY));
    const recent = outcome(2, new Date(NOW.getTime() - DAY));
    const baseline = outcome(3, new Date(NOW.getTime() - DAY), BASELINE_REASON);
    const summary = foldRuns(EMPTY_SUMMARY, [old, recent, baseline], NOW);
    expect(summary.runs.map((r) => r.seq)).to.deep.equal([2, 3]);
    expect(foldRuns(summary, [recent], NOW).runs).to.have.length(2);
    expect(summary.runs.map((r) => r.baseline ?? false)).to.deep.equal([false, true]);
  });
});
