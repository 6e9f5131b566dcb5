/**
 * `tdr status` for functions: what the ledger says is live against what the `live` alias runs.
 * Drift is the alias running code whose SHA-256 the ledger has no record of, or code other than
 * the ledger's current release.
 */
import { WORKLOAD_ENVIRONMENTS, type WorkloadEnvironmentName } from '../../../services/environments';
import { naming } from '../../../services/naming';
import { namesOfKind } from '../../../services/queries';
import { functionEntry } from '../strategies/lambda-alias-shift';
import { ledgerOf, leasesOf, workloadEnv, type ReleaseDeps } from '../saga/context';
import { Lambda } from '../aws/lambda';
import { leaseKey, type Lease } from '../ledger/lease';
import { currentRelease, releaseRecords, unsettledRuns, type LedgerRecord } from '../ledger/ledger';
import { leaseView, type LeaseView, type StatusFilter } from './status';

export interface FunctionStatusRow {
  readonly kind: 'function';
  /** The catalogue function (named `service` as every ledger subject is). */
  readonly service: string;
  readonly env: WorkloadEnvironmentName;
  /** What the ledger says is live. */
  readonly version: string | null;
  readonly sha256: string | null;
  readonly deployedBy: string | null;
  readonly deployedAt: string | null;
  readonly ageMinutes: number | null;
  /** What the `live` alias runs. */
  readonly lambda: {
    readonly functionName: string;
    readonly aliasVersion: string | null;
    readonly sha256: string | null;
  };
  /** Empty when the ledger and Lambda agree. */
  readonly drift: readonly string[];
  readonly unsettled: readonly { seq: number; runId: string; version: string; actor: string }[];
  readonly problems: readonly string[];
  readonly lease: LeaseView | null;
}

/** Every function × environment (or those of the filter), each read once from ledger and Lambda. */
export async function functionStatus(
  deps: Pick<ReleaseDeps, 'clients' | 'platform' | 'now'>,
  filter: StatusFilter = {},
): Promise<FunctionStatusRow[]> {
  const names = filter.service
    ? [(functionEntry(deps.platform, filter.service), filter.service)]
    : namesOfKind(deps.platform.catalogue, 'lambda');
  const envs = filter.env ? [workloadEnv(filter.env)] : [...WORKLOAD_ENVIRONMENTS];
  const ledger = ledgerOf(deps);
  const leases = new Map<string, Lease>();
  const leaseProblem = await leasesOf(deps)
    .list()
    .then((all) => void all.forEach((l) => leases.set(l.key, l)))
    .catch((err: unknown) => err as Error);
  return Promise.all(
    names.flatMap((fn) =>
      envs.map(async (env): Promise<FunctionStatusRow> => {
        const functionName = naming.functionName(fn, env);
        const problems: string[] = leaseProblem ? [`leases could not be read: ${leaseProblem.message}`] : [];
        const [records, live] = await Promise.all([
          ledger.view(fn, env).then(
            (v) => {
              problems.push(...v.bad.map((b) => `ledger record #${b.seq} is unreadable (${b.problem})`));
              if (v.stale) problems.push(v.stale);
              return v.records;
            },
            (err: Error) => (problems.push(`ledger ${fn}/${env} could not be read: ${err.message}`), []),
          ),
          // What cannot be read degrades this row only, and says so.
          new Lambda(deps.clients.lambda(env))
            .live(functionName, naming.functionAlias())
            .catch((err: Error) => (problems.push(err.message), undefined)),
        ]);
        const lease = leases.get(leaseKey(fn, env));
        return {
          ...functionRow(
            fn,
            env,
            records,
            {
              functionName,
              aliasVersion: live?.alias.FunctionVersion ?? null,
              sha256: live?.version.CodeSha256 ?? null,
            },
            deps.now(),
          ),
          problems,
          lease: lease ? leaseView(lease, deps.now()) : null,
        };
      }),
    ),
  );
}

/** Pure: one row from the ledger records and what the alias runs. */
export function functionRow(
  fn: string,
  env: WorkloadEnvironmentName,
  here: readonly LedgerRecord[],
  lambda: FunctionStatusRow['lambda'],
  now: Date,
): Omit<FunctionStatusRow, 'problems' | 'lease'> {
  const current = currentRelease(here);
  const alias = naming.functionAlias();
  const drift: string[] = [];
  if (lambda.aliasVersion === null) drift.push(`${lambda.functionName} has no ${alias} alias`);
  else if (!releaseRecords(here).some((r) => r.outcome === 'succeeded' && r.digest === lambda.sha256))
    drift.push(
      `${alias} runs version ${lambda.aliasVersion} (sha256 ${lambda.sha256 ?? '?'}), code the ledger has no record of`,
    );
  else if (current && current.digest !== lambda.sha256)
    drift.push(
      `${alias} runs sha256 ${lambda.sha256 ?? '?'} (version ${lambda.aliasVersion}), the ledger says ${current.version} ${current.digest}`,
    );
  const at = current ? (current.finishedAt ?? current.recordedAt) : null;
  return {
    kind: 'function',
    service: fn,
    env,
    version: current?.version ?? null,
    sha256: current?.digest ?? null,
    deployedBy: current?.actor ?? null,
    deployedAt: at,
    ageMinutes: at ? Math.floor((now.getTime() - Date.parse(at)) / 60_000) : null,
    lambda,
    drift,
    unsettled: unsettledRuns(here).map((r) => ({
      seq: r.seq,
      runId: r.runId,
      version: r.version,
      actor: r.actor,
    })),
  };
}
