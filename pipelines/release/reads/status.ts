/**
 * `tdr status` and `tdr history`: what the ledger says against what ECS really runs.
 */
import { WORKLOAD_ENVIRONMENTS, type WorkloadEnvironmentName } from '../../../services/environments';
import { naming } from '../../../services/naming';
import { ledgerSubjects } from '../../../services/queries';
import { isBranchVersion } from '../../../services/versions';
import {
  checkLedgerSubject,
  ledgerOf,
  leasesOf,
  releasableServices,
  serviceEntry,
  workloadEnv,
  type ReleaseDeps,
} from '../saga/context';
import { leaseKey, leaseSubject, type Lease } from '../ledger/lease';
import { Ecs, imageOf } from '../aws/ecs';
import { ReleaseInputError, errorName } from '../errors';
import { inFlightDeployment, shiftsTraffic, stageOf } from '../strategies/ecs-progressive';
import { digestOf } from '../aws/images';
import {
  currentRelease,
  releaseRecords,
  unsettledRuns,
  type DeploymentStage,
  type HistoryEntry,
  type LedgerRecord,
  type LedgerView,
} from '../ledger/ledger';

export interface StatusRow {
  readonly service: string;
  readonly env: WorkloadEnvironmentName;
  /** What the ledger says is live. */
  readonly version: string | null;
  /** What is live is a branch build (replaced by the next release the build deploys). */
  readonly branch: boolean;
  readonly digest: string | null;
  readonly deployedBy: string | null;
  readonly deployedAt: string | null;
  readonly ageMinutes: number | null;
  /** What ECS runs. */
  readonly ecs: {
    readonly taskDefinition: string | null;
    readonly image: string | null;
    readonly digest: string | null;
    readonly running: number | null;
    readonly desired: number | null;
    /** ECS's own Deployment.rolloutState of the PRIMARY deployment, as DescribeServices returns it. */
    readonly rolloutState: string | null;
    /** What the ROLLOUT column shows (rolloutOf): settled services say COMPLETED. */
    readonly rollout: string | null;
    /**
     * Progressive delivery (issue 25): the service deployment ECS is working on, if any: its
     * stage, traffic split, bake left (estimated) and whether it awaits approval.
     */
    readonly deployment?: (DeploymentStage & { readonly serviceDeployment: string }) | null;
  };
  /** Empty when the ledger and ECS agree. */
  readonly drift: readonly string[];
  /** Runs that wrote `started` and no outcome (crashed, or still running). */
  readonly unsettled: readonly {
    seq: number;
    runId: string;
    version: string;
    actor: string;
    startedAt: string;
  }[];
  /** Versions that succeeded in the environment before this one and are newer than what runs here. */
  readonly behind: number | null;
  readonly behindOf: string | null;
  /** What could not be read for this row (an unreadable record, a ledger error): empty when none. */
  readonly problems: readonly string[];
  /** The release holding this service × environment now, if any (an expired one is still in the way). */
  readonly lease: LeaseView | null;
}

export interface LeaseView {
  readonly holder: string;
  readonly runId: string;
  readonly acquiredAt: string;
  readonly expiresAt: string;
  readonly renewedAt: string | null;
  readonly expired: boolean;
}

export function leaseView(lease: Lease, now: Date): LeaseView {
  return {
    holder: lease.holder,
    runId: lease.runId,
    acquiredAt: lease.acquiredAt,
    expiresAt: lease.expiresAt,
    renewedAt: lease.renewedAt ?? null,
    expired: Date.parse(lease.expiresAt) <= now.getTime(),
  };
}

export interface StatusFilter {
  readonly env?: string | undefined;
  readonly service?: string | undefined;
}

export async function status(
  deps: Pick<ReleaseDeps, 'clients' | 'platform' | 'now'>,
  filter: StatusFilter = {},
): Promise<StatusRow[]> {
  const services = filter.service
    ? [(serviceEntry(deps.platform, filter.service), filter.service)]
    : releasableServices(deps.platform);
  const envs = filter.env ? [workloadEnv(filter.env)] : [...WORKLOAD_ENVIRONMENTS];
  const ledger = ledgerOf(deps);
  // Read each environment's ledger once, including the upstream ones the "behind" count needs.
  const needed = new Set<WorkloadEnvironmentName>(envs);
  for (const e of envs) {
    const source = deps.platform.environments[e].promotion?.source;
    if (source && source !== 'build') needed.add(workloadEnv(source));
  }
  const views = new Map<string, LedgerView | Error>();
  const leases = new Map<string, Lease>();
  const listing = leasesOf(deps)
    .list()
    .then((all) => all.forEach((l) => leases.set(l.key, l)))
    .catch((err: unknown) => err as Error);
  await Promise.all(
    services.flatMap((s) =>
      [...needed].map(async (e) =>
        views.set(
          `${s}/${e}`,
          await ledger
            .view(s, e)
            .catch((err: unknown) => (err instanceof Error ? err : new Error(String(err)))),
        ),
      ),
    ),
  );
  const leaseProblem = await listing;
  return Promise.all(
    services.flatMap((s) =>
      envs.map(async (e): Promise<StatusRow> => {
        const here = views.get(`${s}/${e}`);
        const source = deps.platform.environments[e].promotion?.source;
        const upstream = source && source !== 'build' ? views.get(`${s}/${source}`) : undefined;
        const row = statusRow(
          s,
          e,
          recordsOf(here),
          source && source !== 'build' ? recordsOf(upstream) : null,
          source ?? null,
          await ecsView(deps, s, e, deps.now()),
          deps.now(),
        );
        // What could not be read degrades this row only, and says so.
        const problems = [
          ...problemsOf(here, `ledger ${s}/${e}`),
          ...(here && !(here instanceof Error) && here.stale ? [here.stale] : []),
          ...(upstream ? problemsOf(upstream, `upstream ledger ${s}/${source}`) : []),
          ...(leaseProblem ? [`leases could not be read: ${leaseProblem.message}`] : []),
        ];
        const lease = leases.get(leaseKey(s, e));
        return { ...row, problems, lease: lease ? leaseView(lease, deps.now()) : null };
      }),
    ),
  );
}

function recordsOf(view: LedgerView | Error | undefined): readonly LedgerRecord[] {
  return view && !(view instanceof Error) ? view.records : [];
}

function problemsOf(view: LedgerView | Error | undefined, what: string): string[] {
  if (!view) return [];
  if (view instanceof Error) return [`${what} could not be read: ${view.message}`];
  return view.bad.map((b) => `${what} record #${b.seq} is unreadable (${b.problem}); this row leaves it out`);
}

type EcsView = StatusRow['ecs'];

export async function ecsView(
  deps: Pick<ReleaseDeps, 'clients'>,
  service: string,
  env: WorkloadEnvironmentName,
  now: Date = new Date(),
): Promise<EcsView> {
  const ecs = new Ecs(deps.clients.ecs(env));
  const s = await ecs
    .activeService(naming.cluster(service, env), naming.ecsService(service, env))
    .catch((err: unknown) => {
      // A missing cluster is a fact to show, not a reason to hide every other row.
      if (errorName(err) === 'ClusterNotFoundException') return undefined;
      throw err;
    });
  if (!s)
    return {
      taskDefinition: null,
      image: null,
      digest: null,
      running: null,
      desired: null,
      rolloutState: null,
      rollout: null,
    };
  const td = s.taskDefinition ? await ecs.taskDefinition(s.taskDefinition) : undefined;
  const image = imageOf(td, naming.containerName(service)) ?? null;
  // Only a service ECS shifts has service deployments to show (a rolling one, moto's, has none).
  const inFlight = shiftsTraffic(s)
    ? await inFlightDeployment(ecs, naming.cluster(service, env), naming.ecsService(service, env))
    : undefined;
  return {
    ...(shiftsTraffic(s)
      ? {
          deployment: inFlight?.serviceDeploymentArn
            ? { ...stageOf(inFlight, now), serviceDeployment: inFlight.serviceDeploymentArn }
            : null,
        }
      : {}),
    taskDefinition: s.taskDefinition ?? null,
    image,
    digest: digestOf(image ?? undefined),
    running: s.runningCount ?? null,
    desired: s.desiredCount ?? null,
    rolloutState: s.deployments?.find((d) => d.status === 'PRIMARY')?.rolloutState ?? null,
    rollout: rolloutOf(s),
  };
}

/**
 * The rollout a person should see. ECS's Deployment.rolloutState "begins in an IN_PROGRESS state.
 * When the service reaches a steady state, the deployment transitions to a COMPLETED state", and
 * FAILED when the circuit breaker stops it; it is returned only for the rolling update (ECS)
 * deployment controller (API reference, Deployment:
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Deployment.html). A stand-in may
 * never move it (moto sets it once, when the service is created, from the running count then), and
 * ECS may report IN_PROGRESS for a while after the engine judged the release done. So a service
 * that is settled by the engine's own rule (../aws/ecs.ts waitForSteadyState: one deployment,
 * running = desired) shows COMPLETED; FAILED always shows; otherwise ECS's state, or the number of
 * deployments when ECS gives none.
 */
export function rolloutOf(s: {
  readonly deployments?: ReadonlyArray<{ readonly status?: string; readonly rolloutState?: string }>;
  readonly runningCount?: number;
  readonly desiredCount?: number;
}): string | null {
  const deployments = s.deployments ?? [];
  const primary = deployments.find((d) => d.status === 'PRIMARY');
  if (!primary) return null;
  if (primary.rolloutState === 'FAILED') return 'FAILED';
  const settled = deployments.length === 1 && (s.runningCount ?? 0) === (s.desiredCount ?? -1);
  if (settled) return 'COMPLETED';
  return primary.rolloutState ?? `${deployments.length} deployments`;
}

/** Pure: one row from the ledger records and the ECS view. */
export function statusRow(
  service: string,
  env: WorkloadEnvironmentName,
  here: readonly LedgerRecord[],
  upstream: readonly LedgerRecord[] | null,
  source: string | null,
  ecs: EcsView,
  now: Date,
): Omit<StatusRow, 'problems' | 'lease'> {
  const current = currentRelease(here);
  const drift: string[] = [];
  if (ecs.taskDefinition === null) drift.push('the ECS service does not exist');
  else if (!current)
    drift.push(`ECS runs ${ecs.image ?? 'an unknown image'}, which the ledger has no record of`);
  else {
    if (ecs.digest !== current.digest) {
      drift.push(
        `ECS runs ${ecs.digest ?? ecs.image ?? 'an unknown image'}, the ledger says ${current.version} ${current.digest}`,
      );
    }
    if (current.taskDefinitionAfter && ecs.taskDefinition !== current.taskDefinitionAfter) {
      drift.push(
        `ECS uses ${ecs.taskDefinition}, the ledger's release registered ${current.taskDefinitionAfter}`,
      );
    }
  }
  const at = current ? (current.finishedAt ?? current.recordedAt) : null;
  let behind: number | null = null;
  if (upstream) {
    const upstreamCurrent = currentRelease(upstream);
    const ceiling = upstreamCurrent ? versionNumber(upstreamCurrent.version, Infinity) : -1;
    const floor = current ? versionNumber(current.version, -1) : -1;
    behind = new Set(
      releaseRecords(upstream)
        .filter((r) => r.outcome === 'succeeded')
        .map((r) => versionNumber(r.version, NaN))
        .filter((n) => n > floor && n <= ceiling),
    ).size;
  }
  return {
    service,
    env,
    version: current?.version ?? null,
    branch: current !== undefined && isBranchVersion(current.version),
    digest: current?.digest ?? null,
    deployedBy: current?.actor ?? null,
    deployedAt: at,
    ageMinutes: at ? Math.floor((now.getTime() - Date.parse(at)) / 60_000) : null,
    ecs,
    drift,
    unsettled: unsettledRuns(here).map((r) => ({
      seq: r.seq,
      runId: r.runId,
      version: r.version,
      actor: r.actor,
      startedAt: r.startedAt,
    })),
    behind,
    behindOf: upstream ? source : null,
  };
}

/** A branch build has no number: as a ceiling it hides nothing, as a floor it is below every release. */
function versionNumber(v: string, branch: number): number {
  return isBranchVersion(v) ? branch : Number(v.slice(1));
}

export interface HistoryQuery {
  readonly service?: string | undefined;
  readonly env: string;
  /** Newest first, this many (default 20). */
  readonly limit?: number | undefined;
  /** Only records numbered below this (the next page); needs `service`. */
  readonly before?: number | undefined;
}

export const DEFAULT_HISTORY_LIMIT = 20;

/**
 * One service's (function's, or one-off task's) ledger in one environment, newest first, a page at a time;
 * without a service, every service, function and task of the environment, merged newest first. One GET per
 * row shown, whatever the history's length; an unreadable record is a row saying so.
 */
export async function history(
  deps: Pick<ReleaseDeps, 'clients' | 'platform' | 'now'>,
  query: HistoryQuery,
): Promise<HistoryEntry[]> {
  const e = workloadEnv(query.env);
  const limit = query.limit ?? DEFAULT_HISTORY_LIMIT;
  validateHistory(deps, query);
  const ledger = ledgerOf(deps);
  if (query.service) return ledger.page(query.service, e, { limit, before: query.before });
  const subjects = ledgerSubjects(deps.platform.catalogue);
  const pages = await Promise.all(subjects.map((s) => ledger.page(s, e, { limit })));
  const when = (h: HistoryEntry) => ('recordedAt' in h ? h.recordedAt : '');
  return pages
    .flat()
    .sort((a, b) => when(b).localeCompare(when(a)) || b.seq - a.seq)
    .slice(0, limit);
}

/** The query's own fields, before any AWS call. */
export function validateHistory(deps: Pick<ReleaseDeps, 'platform'>, query: HistoryQuery): void {
  if (query.service) checkLedgerSubject(deps.platform, query.service);
  workloadEnv(query.env);
  if (query.limit !== undefined && (!Number.isInteger(query.limit) || query.limit < 1 || query.limit > 1000))
    throw new ReleaseInputError(`limit: must be a whole number from 1 to 1000, got ${query.limit}`);
  if (query.before !== undefined) {
    if (!Number.isInteger(query.before) || query.before < 2)
      throw new ReleaseInputError(`before: must be a ledger sequence number above 1, got ${query.before}`);
    if (!query.service)
      throw new ReleaseInputError(
        'before: pages one ledger, so it needs --service (numbers are per service)',
      );
  }
}

/** `3m`, `5h`, `2d`: how long ago, for people. */
export function age(minutes: number | null): string | null {
  if (minutes === null) return null;
  if (minutes < 60) return `${minutes}m`;
  if (minutes < 48 * 60) return `${Math.floor(minutes / 60)}h`;
  return `${Math.floor(minutes / 1440)}d`;
}

/** `tdr ledger reindex`: rebuilds a head from every record (the one read that grows with history). */
export async function reindexLedger(
  deps: Pick<ReleaseDeps, 'clients' | 'platform' | 'now'>,
  query: { readonly service: string; readonly env: string },
): Promise<LedgerView> {
  validateHistory(deps, query);
  return ledgerOf(deps).reindex(query.service, workloadEnv(query.env));
}

/** `tdr lease show`: every lease held, or those of one service and/or environment. */
export async function showLeases(
  deps: Pick<ReleaseDeps, 'clients' | 'platform' | 'now'>,
  filter: StatusFilter = {},
): Promise<Array<LeaseView & { service: string; env: string }>> {
  if (filter.service) checkLedgerSubject(deps.platform, filter.service);
  if (filter.env) workloadEnv(filter.env);
  const all = await leasesOf(deps).list();
  return all
    .map((l) => ({ ...(leaseSubject(l.key) ?? { service: '?', env: '?' }), ...leaseView(l, deps.now()) }))
    .filter(
      (l) => (!filter.service || l.service === filter.service) && (!filter.env || l.env === filter.env),
    );
}
