/**
 * Compaction: what of one service × environment's history the queries in ./ledger-records.ts still
 * need, within bounds. What the ledger's head object stores and folds new records into (./ledger.ts).
 */
import { releaseRecords, type LedgerRecord, type ReleaseRecord } from './ledger-records';

/** Runs (releases, task runs) whose newest record a compacted ledger keeps, beyond open ones. */
export const KEEP_RUNS = 25;
/** Newest results per check name × digest (and approvals per approver × digest) a compacted ledger keeps. */
export const KEEP_CHECKS = 25;
/**
 * Versions whose standing a compacted ledger keeps however old (`rollback --to` reaches back this
 * far, and `succeededRelease` and `lostStanding` answer as the whole history does for them).
 */
export const KEEP_VERSIONS = 50;

/**
 * Versions whose rejection standing a compacted rejections stream keeps (the newest verdict of
 * each of the newest versions acted on): far more than `rollback --to` reaches back (KEEP_VERSIONS).
 */
export const KEEP_REJECTIONS = 200;

/**
 * The records of one service × environment that every query above answers the same from, within
 * bounds: the newest record of each of the newest KEEP_RUNS runs (a run that is still open is
 * always kept, however old), the newest result of each check for each digest and approval of each
 * approver for each digest (KEEP_CHECKS of them), with, for each kept approval a run has used, the
 * newest record of the newest run of its digest (so it never counts again, however many runs came
 * after it), and, for the newest KEEP_VERSIONS versions that succeeded here, the records their
 * standing rests on. Bounded
 * whatever the history's length, and `compact(compact(a) ++ b)` = `compact(a ++ b)`: what the
 * ledger's head object stores and folds new records into.
 */
export function compact(records: readonly LedgerRecord[]): LedgerRecord[] {
  const sorted = [...records].sort((a, b) => a.seq - b.seq);
  const runs = new Map<string, LedgerRecord>();
  const checks = new Map<string, LedgerRecord>();
  const rejections = new Map<string, LedgerRecord>();
  for (const r of sorted) {
    // Only the newest reject/unreject of a version says anything (`rejectionOf`).
    if (r.kind === 'rejection') rejections.set(r.version, r);
    // A train's newest record per action (its plan, approval, the last promote or rollback step).
    else if (r.kind === 'train') runs.set(`train ${r.version} ${r.action}`, r);
    else if (r.kind === 'check') checks.set(`${r.name} ${r.digest}`, r);
    else if (r.kind === 'approval') checks.set(`approval ${r.identity} ${r.approver} ${r.digest}`, r);
    else if (r.kind === 'release' || r.kind === 'task' || r.kind === 'maintenance') {
      // A run's outcome stands: a `started` record written after it (a progressive run's stage
      // record from a follower whose lease was broken and whose run was settled meanwhile) must
      // not make the run look open again (`unsettledRuns` ignores it the same way).
      const seen = runs.get(`${r.kind} ${r.runId}`);
      if (
        r.kind === 'release' &&
        r.outcome === 'started' &&
        seen?.kind === 'release' &&
        seen.outcome !== 'started'
      )
        continue;
      runs.set(`${r.kind} ${r.runId}`, r);
    }
  }
  const open = (r: LedgerRecord) =>
    ((r.kind === 'release' || r.kind === 'maintenance') && r.outcome === 'started') ||
    (r.kind === 'task' && (r.outcome === 'started' || r.outcome === 'running')) ||
    (r.kind === 'train' && (r.outcome === 'started' || r.outcome === 'progress'));
  const newestFirst = (xs: Iterable<LedgerRecord>) => [...xs].sort((a, b) => b.seq - a.seq);
  // The newest switch that succeeded says whether maintenance is on, and holds the rules "off"
  // restores: kept however many failed attempts came after it.
  const switched = newestFirst(runs.values()).find(
    (r) => r.kind === 'maintenance' && r.outcome === 'succeeded',
  );
  const keptChecks = newestFirst(checks.values()).slice(0, KEEP_CHECKS);
  const anchors = standingAnchors(sorted);
  for (const seq of usedApprovalAnchors(keptChecks, runs.values())) anchors.add(seq);
  const keptRuns = newestFirst(runs.values()).filter(
    (r, i) => i < KEEP_RUNS || open(r) || r === switched || anchors.has(r.seq),
  );
  const keptRejections = newestFirst(rejections.values()).slice(0, KEEP_REJECTIONS);
  return [...keptRuns, ...keptChecks, ...keptRejections].sort((a, b) => a.seq - b.seq);
}

/**
 * A run started for a digest uses every approval of it before (`openApprovals`). For each kept
 * approval that a run has used, the newest record of the newest such run: kept, so the approval
 * stays used once the run leaves the KEEP_RUNS window. (Dropping used approvals instead would let
 * older checks move up into the KEEP_CHECKS window, and a head folded record by record would then
 * differ from a reindex of the whole history.)
 */
function usedApprovalAnchors(kept: readonly LedgerRecord[], newestPerRun: Iterable<LedgerRecord>): number[] {
  const newestRun = new Map<string, number>();
  for (const r of newestPerRun)
    if (r.kind === 'release' && r.action !== 'rollback')
      newestRun.set(r.digest, Math.max(r.seq, newestRun.get(r.digest) ?? 0));
  return kept.flatMap((c) => {
    const run = c.kind === 'approval' ? newestRun.get(c.digest) : undefined;
    return run !== undefined && run > c.seq ? [run] : [];
  });
}

/**
 * The sequence numbers of the release records that `succeededRelease`, `lostStanding` and
 * `liveStint` rest on: for each of the newest KEEP_VERSIONS versions that succeeded, its newest
 * success, the first success after it (a rollback to another version there means it was rolled
 * back) and its own first outcome after it (failed or rolled back since); and the start of the
 * live stint with the success just before it (where the stint breaks). Each is the same whether
 * computed on the whole history or on a compacted one with the records after it.
 */
function standingAnchors(sorted: readonly LedgerRecord[]): Set<number> {
  const finals = releaseRecords(sorted).filter((r) => r.outcome !== 'started');
  const newest = new Map<string, number>();
  finals.forEach((r, i) => {
    if (r.outcome === 'succeeded') newest.set(r.version, i);
  });
  const kept = [...newest.entries()].sort((a, b) => b[1] - a[1]).slice(0, KEEP_VERSIONS);
  const anchors = new Set<number>();
  for (const [version, i] of kept) {
    anchors.add((finals[i] as ReleaseRecord).seq);
    const after = finals.slice(i + 1);
    const next = after.find((r) => r.outcome === 'succeeded');
    const own = after.find((r) => r.version === version);
    if (next) anchors.add(next.seq);
    if (own) anchors.add(own.seq);
  }
  const succeeded = finals.filter((r) => r.outcome === 'succeeded');
  const current = succeeded.at(-1);
  let start = succeeded.length - 1;
  while (current && start > 0 && (succeeded[start - 1] as ReleaseRecord).digest === current.digest) start--;
  for (const r of succeeded.slice(Math.max(0, start - 1), start + 1)) anchors.add(r.seq);
  return anchors;
}
