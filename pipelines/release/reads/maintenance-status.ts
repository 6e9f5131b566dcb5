/**
 * `tdr status` and the release board: per environment, whether maintenance is on as the ledger
 * says (the newest successful switch), against what the public listener shows (a 503 rule first).
 */
import type { WorkloadEnvironmentName } from '../../../services/environments';
import { naming } from '../../../services/naming';
import { ledgerOf, leasesOf, workloadEnv, type ReleaseDeps } from '../saga/context';
import { leaseKey, type Lease } from '../ledger/lease';
import { leaseView, type LeaseView } from './status';
import { LoadBalancers } from '../aws/elbv2';
import { maintenanceOn, type LedgerView } from '../ledger/ledger';
import { openRuns } from '../strategies/maintenance';
import { isMaintenanceRule } from '../strategies/maintenance-listener';

export interface MaintenanceStatus {
  readonly kind: 'maintenance';
  readonly env: WorkloadEnvironmentName;
  /** What the ledger says: on, with the record that switched it on. */
  readonly on: boolean;
  readonly since: string | null;
  readonly by: string | null;
  readonly reason: string | null;
  readonly seq: number | null;
  /** What the listener shows: a 503 rule first (true), none (false), or unknown (null, see problems). */
  readonly listener: boolean | null;
  /** Empty when the ledger and the listener agree. */
  readonly drift: readonly string[];
  readonly unsettled: readonly number[];
  readonly problems: readonly string[];
  /**
   * The switch's lease, while a run holds it (or held it and died: `expired`): what makes the
   * next `tdr maintenance on/off` wait, and what `tdr lease break` ends (issue 24 item 13).
   */
  readonly lease: LeaseView | null;
}

/** Per environment: the ledger's switch against the listener. Five requests each (ledger head and the look past it; load balancer, listeners, rules), and one lease listing in all. */
export async function maintenanceStatus(
  deps: Pick<ReleaseDeps, 'clients' | 'platform' | 'now'>,
  envs: readonly string[],
): Promise<MaintenanceStatus[]> {
  const ledger = ledgerOf(deps);
  // One listing for every environment, as `tdr status` reads the services' leases.
  const leases = leasesOf(deps)
    .list()
    .then((all) => new Map<string, Lease>(all.map((l) => [l.key, l])))
    .catch((err: unknown) => err as Error);
  return Promise.all(
    envs.map(workloadEnv).map(async (env): Promise<MaintenanceStatus> => {
      const problems: string[] = [];
      const held = await leases;
      if (held instanceof Error) problems.push(`leases could not be read: ${held.message}`);
      const lease = held instanceof Error ? undefined : held.get(leaseKey(naming.maintenanceSubject(), env));
      const [view, listener] = await Promise.all([
        ledger.view(naming.maintenanceSubject(), env).catch((err: unknown) => {
          problems.push(`maintenance ledger could not be read: ${(err as Error).message}`);
          return undefined;
        }),
        listenerShowsMaintenance(deps, env).catch((err: unknown) => {
          problems.push(`listener could not be read: ${(err as Error).message}`);
          return null;
        }),
      ]);
      return {
        ...statusOf(env, view, listener, problems),
        lease: lease ? leaseView(lease, deps.now()) : null,
      };
    }),
  );
}

async function listenerShowsMaintenance(
  deps: Pick<ReleaseDeps, 'clients'>,
  env: WorkloadEnvironmentName,
): Promise<boolean> {
  const lb = new LoadBalancers(deps.clients.elbv2(env));
  return (await lb.rules(await lb.publicListener(env))).rules.some(isMaintenanceRule);
}

/** Pure: one environment's maintenance state from its ledger view and the listener. */
export function statusOf(
  env: WorkloadEnvironmentName,
  view: LedgerView | undefined,
  listener: boolean | null,
  problems: readonly string[],
): Omit<MaintenanceStatus, 'lease'> {
  const on = view ? maintenanceOn(view.records) : undefined;
  const drift: string[] = [];
  if (view && listener !== null && listener !== !!on)
    drift.push(
      on
        ? `the ledger says maintenance is on (ledger #${on.seq}), but no rule answers 503 first on the listener`
        : 'a rule answers 503 first on the listener, but the ledger says maintenance is off',
    );
  return {
    kind: 'maintenance',
    env,
    on: !!on,
    since: on ? (on.finishedAt ?? on.recordedAt) : null,
    by: on?.actor ?? null,
    reason: on?.reason ?? null,
    seq: on?.seq ?? null,
    listener,
    drift,
    unsettled: view ? openRuns(view.records).map((r) => r.seq) : [],
    problems: [
      ...problems,
      ...(view?.bad ?? []).map((b) => `maintenance ledger record #${b.seq} is unreadable (${b.problem})`),
    ],
  };
}
