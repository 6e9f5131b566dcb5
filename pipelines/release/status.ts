/**
 * `tdr status` and `tdr history`: what the ledger says against what ECS really runs.
 */
import { WORKLOAD_ENVIRONMENTS, type WorkloadEnvironmentName } from '../../services/environments';
import { naming } from '../../services/naming';
import { entryOfKind } from '../../services/queries';
import { ledgerOf, releasableServices, serviceEntry, workloadEnv, type ReleaseDeps } from './context';
import { Ecs, imageOf } from './ecs';
import { errorName } from './errors';
import { digestOf } from './images';
import { currentRelease, releaseRecords, unsettledRuns, type LedgerRecord } from './ledger';

export interface StatusRow {
  readonly service: string;
  readonly env: WorkloadEnvironmentName;
  /** What the ledger says is live. */
  readonly version: string | null;
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
    readonly rolloutState: string | null;
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
  const records = new Map<string, LedgerRecord[]>();
  await Promise.all(
    services.flatMap((s) =>
      [...needed].map(async (e) => records.set(`${s}/${e}`, await ledger.records(s, e))),
    ),
  );
  return Promise.all(
    services.flatMap((s) =>
      envs.map(async (e): Promise<StatusRow> => {
        const here = records.get(`${s}/${e}`) ?? [];
        const source = deps.platform.environments[e].promotion?.source;
        const upstream = source && source !== 'build' ? (records.get(`${s}/${source}`) ?? []) : null;
        return statusRow(s, e, here, upstream, source ?? null, await ecsView(deps, s, e), deps.now());
      }),
    ),
  );
}

type EcsView = StatusRow['ecs'];

async function ecsView(
  deps: Pick<ReleaseDeps, 'clients'>,
  service: string,
  env: WorkloadEnvironmentName,
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
    };
  const td = s.taskDefinition ? await ecs.taskDefinition(s.taskDefinition) : undefined;
  const image = imageOf(td, naming.containerName(service)) ?? null;
  return {
    taskDefinition: s.taskDefinition ?? null,
    image,
    digest: digestOf(image ?? undefined),
    running: s.runningCount ?? null,
    desired: s.desiredCount ?? null,
    rolloutState: s.deployments?.find((d) => d.status === 'PRIMARY')?.rolloutState ?? null,
  };
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
): StatusRow {
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
    const ceiling = upstreamCurrent ? versionNumber(upstreamCurrent.version) : -1;
    const floor = current ? versionNumber(current.version) : -1;
    behind = new Set(
      releaseRecords(upstream)
        .filter((r) => r.outcome === 'succeeded')
        .map((r) => versionNumber(r.version))
        .filter((n) => n > floor && n <= ceiling),
    ).size;
  }
  return {
    service,
    env,
    version: current?.version ?? null,
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

function versionNumber(v: string): number {
  return Number(v.slice(1));
}

export async function history(
  deps: Pick<ReleaseDeps, 'clients' | 'platform' | 'now'>,
  service: string,
  env: string,
): Promise<LedgerRecord[]> {
  // One-off tasks have a ledger of their runs, keyed the same way.
  if (!entryOfKind(deps.platform.catalogue, service, 'task')) serviceEntry(deps.platform, service);
  const e = workloadEnv(env);
  return (await ledgerOf(deps).records(service, e)).reverse();
}

/** `3m`, `5h`, `2d`: how long ago, for people. */
export function age(minutes: number | null): string | null {
  if (minutes === null) return null;
  if (minutes < 60) return `${minutes}m`;
  if (minutes < 48 * 60) return `${Math.floor(minutes / 60)}h`;
  return `${Math.floor(minutes / 1440)}d`;
}
