/**
 * The report's reading of ledger records: one release *run* per runId (its `started` record and the
 * record that settled it), and the few time helpers the board and the metrics share.
 *
 * Only the ledger's record types are imported: the release engine's own queries are being
 * restructured, and the report must not depend on them.
 */
import type { CheckRecord, LedgerRecord, ReleaseRecord } from '../release/ledger/ledger';
import { isBaseline } from '../release/ledger/ledger-records';

/** Ledger records by service, then by environment, each list oldest first (as `Ledger.records` gives). */
export type ServiceLedgers = Readonly<Record<string, Readonly<Record<string, readonly LedgerRecord[]>>>>;

/** What the metrics and "how far behind" need of a run: no more than a ledger head's run summary keeps. */
export interface RunFact {
  readonly action: ReleaseRecord['action'];
  /** `started` while no outcome is recorded. */
  readonly outcome: ReleaseRecord['outcome'];
  readonly version: string;
  readonly digest: string;
  readonly startedAt: number;
  readonly finishedAt: number | null;
  /** A baseline `tdr ledger adopt` recorded: live, but no deployment (the metrics skip it). */
  readonly baseline?: boolean | undefined;
}

/**
 * Each ledger head's run summary (finished runs of the last 90 days) by service, then environment:
 * what `tdr report` reads instead of the records themselves.
 */
export type ServiceRuns = Readonly<Record<string, Readonly<Record<string, readonly RunFact[]>>>>;

export type RunOutcome = ReleaseRecord['outcome'];

/** One release run: what was asked (`started`) and how it ended (null while open). */
export interface ReleaseRun {
  readonly runId: string;
  readonly service: string;
  readonly env: string;
  readonly action: ReleaseRecord['action'];
  readonly version: string;
  readonly digest: string;
  readonly actor: string;
  /** `started` while no outcome is recorded. */
  readonly outcome: RunOutcome;
  readonly startedAt: number;
  readonly finishedAt: number | null;
  /** Recorded by `tdr ledger adopt`: live, but no deployment. */
  readonly baseline: boolean;
  /** The newest record of the run: the outcome, or the `started` record of an open run. */
  readonly record: ReleaseRecord;
}

export const DAY_MS = 86_400_000;

export function recordsOf(ledgers: ServiceLedgers, service: string, env: string): readonly LedgerRecord[] {
  return ledgers[service]?.[env] ?? [];
}

/** Release runs in the order they started, in one pass (reads must not grow worse than linearly). */
export function releaseRuns(records: readonly LedgerRecord[]): ReleaseRun[] {
  const byRun = new Map<string, { first: ReleaseRecord; last: ReleaseRecord }>();
  for (const r of records) {
    if (r.kind !== 'release') continue;
    const seen = byRun.get(r.runId);
    if (!seen) byRun.set(r.runId, { first: r, last: r });
    // An open run's newest `started` record (a progressive run's stage record) says where it is.
    else if (r.outcome !== 'started' || seen.last.outcome === 'started') seen.last = r;
  }
  const runs: ReleaseRun[] = [];
  for (const { first, last } of byRun.values()) {
    const startedAt = time(first.startedAt) ?? time(first.recordedAt) ?? 0;
    runs.push({
      runId: first.runId,
      service: first.service,
      env: first.env,
      action: last.action,
      version: last.version,
      digest: last.digest,
      actor: last.actor,
      outcome: last.outcome,
      startedAt,
      finishedAt: last.outcome === 'started' ? null : (time(last.finishedAt) ?? time(last.recordedAt)),
      baseline: isBaseline(last),
      record: last,
    });
  }
  return runs.sort((a, b) => a.startedAt - b.startedAt);
}

/**
 * The runs of one service × environment the metrics and "how far behind" count, in the order they
 * started: every run of the head's records (the newest, however old, and any still open) with the
 * head's run summary (every run that finished in the last 90 days); without a summary (an
 * in-memory ledger: tests, the benchmark), the records' runs alone.
 */
export function runFactsOf(
  ledgers: ServiceLedgers,
  summaries: ServiceRuns | undefined,
  service: string,
  env: string,
  /** The records' runs when the caller has them already (the board does). */
  computed?: readonly RunFact[],
): RunFact[] {
  const fromRecords: RunFact[] = [...(computed ?? releaseRuns(recordsOf(ledgers, service, env)))];
  const summary = summaries?.[service]?.[env];
  if (!summary) return fromRecords;
  // Both describe a finished run the same way (its outcome record's times): one entry each.
  const key = (r: RunFact) => `${r.action} ${r.outcome} ${r.digest} ${r.startedAt} ${r.finishedAt}`;
  const known = new Set(fromRecords.map(key));
  return [...fromRecords, ...summary.filter((f) => !known.has(key(f)))].sort(
    (a, b) => a.startedAt - b.startedAt,
  );
}

/** The newest run that succeeded: what the ledger says is live. */
export function currentRun(runs: readonly ReleaseRun[]): ReleaseRun | undefined {
  return runs.findLast((r) => r.outcome === 'succeeded');
}

export function checkRecords(records: readonly LedgerRecord[]): CheckRecord[] {
  return records.filter((r): r is CheckRecord => r.kind === 'check');
}

/** `sha256:0123456789ab` for people; the full digest stays in the data. */
export function shortDigest(digest: string): string {
  const [algo, hex] = digest.includes(':') ? digest.split(':', 2) : ['', digest];
  return `${algo ? `${algo}:` : ''}${(hex ?? '').slice(0, 12)}`;
}

export function time(iso: string | null | undefined): number | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : t;
}

export function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}
