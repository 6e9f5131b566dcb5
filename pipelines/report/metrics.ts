/**
 * Delivery metrics from the release ledger (the four DORA keys), per service and overall, over
 * trailing windows (30 and 90 days by default):
 *
 * - deployment frequency: deploys and promotions that succeeded in prod (rollbacks deliver no change);
 * - lead time: from the first release of a build (its digest) to the first environment to its first
 *   success in prod;
 * - change failure rate: prod releases that failed or rolled back, or that succeeded and were the
 *   release a later `rollback` undid, over all finished prod releases;
 * - time to restore: from a failed (or rolled back) prod release, or a successful one a later
 *   `rollback` undid (from when it went live), to the next one that succeeded: every failure the
 *   change failure rate counts is restored or still open here.
 *
 * Release trains (issue 26) need no rule of their own: each member goes out through its own saga,
 * which writes ordinary release records in the member's own ledger, so a train of five is five
 * deployments. DORA asks per change to production, not per batch of them (https://dora.dev/research/:
 * "How often does your organization deploy code to production", and the change failure rate is
 * "What percentage of changes to production or released to users result in degraded service ...
 * and subsequently require remediation (e.g., require a hotfix, rollback, fix forward, patch)").
 * A train that stops rolls back, through the same sagas, each member that went out: each such
 * member's release is a failed change by the rule above (a later rollback undid it), once per
 * member; members that never went out are no change. A version rejected now (`tdr reject`: an
 * approver says it is bad, and every gate refuses it from then on) that was released to prod is a
 * failed change too, whenever the rejection came: it reached production and needs remediation (a
 * fixed version or a rollback). An `unreject` takes that back (only the newest verdict counts).
 *
 * An event belongs to a window by when it finished. Median is the middle value (the mean of the two
 * middle ones for an even count); p90 is the nearest-rank 90th percentile.
 */
import { DAY_MS, runFactsOf, type RunFact, type ServiceLedgers, type ServiceRuns } from './runs';
import type { RejectedVersions } from './trains';

export const DEFAULT_WINDOWS_DAYS = [30, 90] as const;
const HOUR_MS = 3_600_000;
const WEEK_MS = 7 * DAY_MS;

export interface MetricsOptions {
  readonly services: readonly string[];
  /** Where builds enter (intg): the start of lead time. */
  readonly firstEnv: string;
  /** Where users are (prod). */
  readonly prodEnv: string;
  readonly now: Date;
  readonly windowsDays?: readonly number[];
  /** The heads' run summaries (`tdr report`); without them, the runs of `ledgers`' records. */
  readonly runs?: ServiceRuns | undefined;
  /** Versions rejected now, by service: a prod release of one is a failed change. */
  readonly rejected?: RejectedVersions | undefined;
}

export interface Distribution {
  readonly count: number;
  readonly medianHours: number | null;
  readonly p90Hours: number | null;
}

export interface WindowMetrics {
  readonly days: number;
  readonly deployments: number;
  readonly deploymentsPerWeek: number;
  /** `unmatched`: prod successes whose digest has no release in the first environment. */
  readonly leadTime: Distribution & { readonly unmatched: number };
  readonly changeFailure: {
    readonly changes: number;
    readonly failures: number;
    /** failures / changes, null when there was no change. */
    readonly rate: number | null;
  };
  /** `open`: failures not yet followed by a success. */
  readonly timeToRestore: Distribution & { readonly open: number };
}

/** One week of the longest window, oldest first, for the charts. */
export interface WeekBucket {
  readonly start: string;
  readonly deployments: number;
  readonly changes: number;
  readonly failures: number;
  readonly leadTimeMedianHours: number | null;
}

export interface SubjectMetrics {
  /** A service name, or null for all services together. */
  readonly service: string | null;
  readonly windows: readonly WindowMetrics[];
  readonly weekly: readonly WeekBucket[];
}

export interface DeliveryMetrics {
  readonly asOf: string;
  readonly firstEnv: string;
  readonly prodEnv: string;
  readonly windowsDays: readonly number[];
  readonly overall: SubjectMetrics;
  readonly services: readonly SubjectMetrics[];
}

/**
 * A prod success's lead time, or why it has none: a redeploy of a digest already in prod is no new
 * change, and a digest never released to the first environment has no start.
 */
type Lead = number | 'redeploy' | 'unmatched';
const leadMillis = (lead: Lead): lead is number => typeof lead === 'number';

/** What one service's ledger contributes; the overall figures pool these across services. */
interface Facts {
  readonly deployments: ReadonlyArray<{ readonly at: number; readonly lead: Lead }>;
  readonly changes: ReadonlyArray<{ readonly at: number; readonly failed: boolean }>;
  readonly failures: ReadonlyArray<{ readonly at: number; readonly restoredAt: number | null }>;
}

export function deliveryMetrics(ledgers: ServiceLedgers, options: MetricsOptions): DeliveryMetrics {
  const windowsDays = [...(options.windowsDays ?? DEFAULT_WINDOWS_DAYS)];
  const now = options.now.getTime();
  const perService = options.services.map(
    (service) =>
      [
        service,
        serviceFacts(
          runFactsOf(ledgers, options.runs, service, options.firstEnv),
          runFactsOf(ledgers, options.runs, service, options.prodEnv),
          new Set((options.rejected?.[service] ?? []).map((r) => r.version)),
        ),
      ] as const,
  );
  const pooled: Facts = {
    deployments: perService.flatMap(([, f]) => f.deployments),
    changes: perService.flatMap(([, f]) => f.changes),
    failures: perService.flatMap(([, f]) => f.failures),
  };
  const subject = (service: string | null, facts: Facts): SubjectMetrics => ({
    service,
    windows: windowsDays.map((days) => windowMetrics(facts, days, now)),
    weekly: weeklyBuckets(facts, Math.max(0, ...windowsDays), now),
  });
  return {
    asOf: options.now.toISOString(),
    firstEnv: options.firstEnv,
    prodEnv: options.prodEnv,
    windowsDays,
    overall: subject(null, pooled),
    services: perService.map(([service, facts]) => subject(service, facts)),
  };
}

const isFailure = (r: RunFact) => r.outcome === 'failed' || r.outcome === 'rolled_back';

function serviceFacts(
  firstEnvRuns: readonly RunFact[],
  prodRuns: readonly RunFact[],
  rejected: ReadonlySet<string>,
): Facts {
  const firstSeen = new Map<string, number>();
  // A baseline is what the stand-up started, adopted after the fact: no change reached the first
  // environment then, so it starts no lead time, and in prod it is no deployment (issue 22).
  for (const run of firstEnvRuns) {
    if (run.baseline) continue;
    const seen = firstSeen.get(run.digest);
    if (seen === undefined || run.startedAt < seen) firstSeen.set(run.digest, run.startedAt);
  }
  const finished = prodRuns
    .filter((r): r is RunFact & { finishedAt: number } => r.finishedAt !== null)
    .sort((a, b) => a.finishedAt - b.finishedAt);

  const deployments: Array<{ at: number; lead: Lead }> = [];
  const changes: Array<{ at: number; failed: boolean }> = [];
  const failures: Array<{ at: number; restoredAt: number | null }> = [];
  const inProd = new Set<string>();
  let openFailures: Array<{ at: number; restoredAt: number | null }> = [];
  finished.forEach((run, i) => {
    if (run.baseline) {
      inProd.add(run.digest);
      return;
    }
    // A release a later rollback undid failed in production as surely as one that failed outright,
    // and so did one of a version rejected since: each counts in the change failure rate, so it is
    // restored (by the rollback, or the next success) in time to restore.
    const undone =
      run.action !== 'rollback' &&
      run.outcome === 'succeeded' &&
      (finished[i + 1]?.action === 'rollback' || rejected.has(run.version));
    if (run.action !== 'rollback') {
      changes.push({ at: run.finishedAt, failed: isFailure(run) || undone });
      if (run.outcome === 'succeeded') {
        const first = firstSeen.get(run.digest);
        const lead: Lead = inProd.has(run.digest)
          ? 'redeploy'
          : first === undefined
            ? 'unmatched'
            : run.finishedAt - first;
        deployments.push({ at: run.finishedAt, lead });
        inProd.add(run.digest);
      }
    }
    if (isFailure(run) || undone) {
      const failure = { at: run.finishedAt, restoredAt: null as number | null };
      failures.push(failure);
      openFailures.push(failure);
    } else if (run.outcome === 'succeeded') {
      for (const f of openFailures) f.restoredAt = run.finishedAt;
      openFailures = [];
    }
  });
  return { deployments, changes, failures };
}

function windowMetrics(facts: Facts, days: number, now: number): WindowMetrics {
  const from = now - days * DAY_MS;
  const within = (at: number) => at > from && at <= now;
  const deployments = facts.deployments.filter((d) => within(d.at));
  const leads = deployments.map((d) => d.lead).filter(leadMillis);
  const changes = facts.changes.filter((c) => within(c.at));
  const failedChanges = changes.filter((c) => c.failed).length;
  const failures = facts.failures.filter((f) => within(f.at));
  const restores = failures
    .filter((f) => f.restoredAt !== null && f.restoredAt <= now)
    .map((f) => (f.restoredAt as number) - f.at);
  return {
    days,
    deployments: deployments.length,
    deploymentsPerWeek: deployments.length / (days / 7),
    leadTime: {
      ...distribution(leads),
      unmatched: deployments.filter((d) => d.lead === 'unmatched').length,
    },
    changeFailure: {
      changes: changes.length,
      failures: failedChanges,
      rate: changes.length === 0 ? null : failedChanges / changes.length,
    },
    timeToRestore: { ...distribution(restores), open: failures.length - restores.length },
  };
}

function weeklyBuckets(facts: Facts, days: number, now: number): WeekBucket[] {
  const weeks = Math.ceil(days / 7);
  const start = now - weeks * WEEK_MS;
  const buckets = Array.from({ length: weeks }, (_, i) => ({
    start: start + i * WEEK_MS,
    deployments: 0,
    changes: 0,
    failures: 0,
    leads: [] as number[],
  }));
  // Week i (of n) holds what finished in (now - (n-i) weeks, now - (n-i-1) weeks], like the windows.
  const bucketOf = (at: number) =>
    at > start && at <= now ? buckets[weeks - 1 - Math.floor((now - at) / WEEK_MS)] : undefined;
  for (const d of facts.deployments) {
    const b = bucketOf(d.at);
    if (!b) continue;
    b.deployments++;
    if (leadMillis(d.lead)) b.leads.push(d.lead);
  }
  for (const c of facts.changes) {
    const b = bucketOf(c.at);
    if (!b) continue;
    b.changes++;
    if (c.failed) b.failures++;
  }
  return buckets.map((b) => ({
    start: new Date(b.start).toISOString(),
    deployments: b.deployments,
    changes: b.changes,
    failures: b.failures,
    leadTimeMedianHours: distribution(b.leads).medianHours,
  }));
}

function distribution(millis: readonly number[]): Distribution {
  const sorted = [...millis].sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return { count: 0, medianHours: null, p90Hours: null };
  const mid = Math.floor(n / 2);
  const median = n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  const p90 = sorted[Math.ceil(0.9 * n) - 1]!;
  return { count: n, medianHours: median / HOUR_MS, p90Hours: p90 / HOUR_MS };
}
