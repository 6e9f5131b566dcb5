/**
 * The run summary a ledger head keeps beside its compacted records: one small fact per release
 * run that finished within SUMMARY_DAYS, what the release board's delivery metrics and "how far
 * behind" read. It is folded forward like the compacted records (each record once, when the head
 * moves past it) and rebuilt from the records like them, so the board reads one head per service ×
 * environment instead of paging through 90 days of records (issue 24, item 18).
 *
 * Bounded by the release rate, never by the history's length: facts older than SUMMARY_DAYS are
 * dropped at each fold, and at most MAX_SUMMARY_RUNS are kept (the newest). A fact is about 200
 * bytes of JSON (a digest is 71 of them), so the summary stays under about 400 KB, which every
 * command on that service × environment downloads with the head: 2,000 runs is 22 a day for 90
 * days, well above TDR's release rate. Past the cap, `cappedBefore` says from when the summary is
 * incomplete, and the board says so instead of undercounting silently.
 */
import { z } from 'zod';
import { isBaseline, type LedgerRecord } from './ledger-records';

/** How far back the summary reaches: the board's longest window must not exceed it. */
export const SUMMARY_DAYS = 90;
export const MAX_SUMMARY_RUNS = 2_000;
const DAY_MS = 86_400_000;

export const runFactSchema = z.object({
  /** The ledger number of the record that finished the run. */
  seq: z.number().int().positive(),
  action: z.enum(['deploy', 'promote', 'rollback']),
  outcome: z.enum(['succeeded', 'failed', 'rolled_back']),
  version: z.string(),
  digest: z.string(),
  /** Epoch milliseconds (smaller than ISO text: a busy environment keeps thousands). */
  startedAt: z.number(),
  finishedAt: z.number(),
  /** Recorded by `tdr ledger adopt` (ledger-records.ts BASELINE_REASON): live, but no deployment. */
  baseline: z.literal(true).optional(),
});
export type RunFact = z.infer<typeof runFactSchema>;

export const runSummarySchema = z.object({
  runs: z.array(runFactSchema).max(MAX_SUMMARY_RUNS),
  /** When runs inside the window were dropped by the cap: the newest dropped one finished then (epoch ms). */
  cappedBefore: z.number().optional(),
});
export type RunSummary = z.infer<typeof runSummarySchema>;

export const EMPTY_SUMMARY: RunSummary = { runs: [] };

/** The summary with `records` (each read once, after the summary's last) folded in, as of `now`. */
export function foldRuns(summary: RunSummary, records: readonly LedgerRecord[], now: Date): RunSummary {
  const seen = new Set(summary.runs.map((f) => f.seq));
  const added = records.flatMap((r): RunFact[] => {
    if (r.kind !== 'release' || r.outcome === 'started' || seen.has(r.seq)) return [];
    const finishedAt = Date.parse(r.finishedAt ?? r.recordedAt);
    const startedAt = Date.parse(r.startedAt);
    if (Number.isNaN(finishedAt)) return [];
    return [
      {
        seq: r.seq,
        action: r.action,
        outcome: r.outcome,
        version: r.version,
        digest: r.digest,
        startedAt: Number.isNaN(startedAt) ? finishedAt : startedAt,
        finishedAt,
        ...(isBaseline(r) ? { baseline: true as const } : {}),
      },
    ];
  });
  const horizon = now.getTime() - SUMMARY_DAYS * DAY_MS;
  const inWindow = [...summary.runs, ...added]
    .filter((f) => f.finishedAt >= horizon)
    .sort((a, b) => a.seq - b.seq);
  const dropped = inWindow.slice(0, Math.max(0, inWindow.length - MAX_SUMMARY_RUNS));
  const cappedBefore = Math.max(
    ...dropped.map((f) => f.finishedAt),
    ...(summary.cappedBefore !== undefined && summary.cappedBefore >= horizon ? [summary.cappedBefore] : []),
  );
  return {
    runs: inWindow.slice(-MAX_SUMMARY_RUNS),
    ...(Number.isFinite(cappedBefore) ? { cappedBefore } : {}),
  };
}
