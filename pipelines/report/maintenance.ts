/**
 * The maintenance switch on the board: per environment, whether every request gets the
 * service-unavailable page, as the ledger says (the newest switch that succeeded) against what the
 * public listener shows. The release engine reads both (pipelines/release/reads/maintenance-status.ts);
 * `MaintenanceState` is the report's own shape of that reading, so that the board does not depend
 * on how the engine reads its ledger or the load balancer.
 */
import { worst, type Badge, type Tone } from './tone';

/** One environment's switch, as read. */
export interface MaintenanceState {
  /** What the ledger says; false too when it could not be read (then `problems` says so). */
  readonly on: boolean;
  /** The record that switched it on: when, who, why, its ledger number. */
  readonly since: string | null;
  readonly by: string | null;
  readonly reason: string | null;
  readonly seq: number | null;
  /** What the listener shows: a 503 rule first (true), none (false), or unknown (null). */
  readonly listener: boolean | null;
  /** Empty when the ledger and the listener agree. */
  readonly drift: readonly string[];
  /** Ledger numbers of switches with no outcome: running now, or cut short. */
  readonly unsettled: readonly number[];
  /** What could not be read. */
  readonly problems: readonly string[];
}

export interface EnvironmentMaintenance extends MaintenanceState {
  /** The worst of the badges' tones ('none' for an environment simply not in maintenance). */
  readonly tone: Tone;
  readonly badges: readonly Badge[];
  /** While on: the command that ends it. */
  readonly endCommand: string | null;
  /** Where every switch of the environment is listed. */
  readonly historyCommand: string;
}

export function maintenanceOffCommand(env: string): string {
  return `tdr maintenance off --env ${env}`;
}

export function maintenanceHistoryCommand(env: string): string {
  return `tdr history --env ${env} --service maintenance`;
}

/** Missing means not asked: the board says so rather than call the environment out of maintenance. */
export function environmentMaintenance(
  env: string,
  state: MaintenanceState | undefined,
): EnvironmentMaintenance {
  const s: MaintenanceState = state ?? {
    on: false,
    since: null,
    by: null,
    reason: null,
    seq: null,
    listener: null,
    drift: [],
    unsettled: [],
    problems: ['not asked'],
  };
  const badges: Badge[] = [];
  if (s.on) badges.push({ tone: 'warn', text: 'in maintenance' });
  if (s.drift.length > 0)
    badges.push({ tone: 'bad', text: 'drift: maintenance switch differs from the listener' });
  for (const p of s.problems) badges.push({ tone: 'warn', text: `maintenance switch unknown (${p})` });
  for (const seq of s.unsettled)
    badges.push({ tone: 'info', text: `maintenance switch without an outcome (ledger #${seq})` });
  return {
    on: s.on,
    since: s.since,
    by: s.by,
    reason: s.reason,
    seq: s.seq,
    listener: s.listener,
    drift: s.drift,
    unsettled: s.unsettled,
    problems: s.problems,
    tone: worst(badges.map((b) => b.tone)),
    badges,
    endCommand: s.on ? maintenanceOffCommand(env) : null,
    historyCommand: maintenanceHistoryCommand(env),
  };
}
