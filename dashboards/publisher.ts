/**
 * Publishes the generated folders, dashboards and alerting through Grafana's HTTP API: creates
 * what is missing, saves only what differs from what Grafana holds (so a second publish writes
 * nothing), removes `managed-by-tdr` dashboards the code no longer generates, and reports every
 * step. Alerting is planned (read) before anything is written and written after the folders its
 * rules live in. On failure the error carries the report so far: nothing written is ever left
 * unreported.
 */
import { isDeepStrictEqual } from 'node:util';
import { PlatformError, type ErrorKind } from '../services/errors';
import { GrafanaVersionConflictError, type GrafanaClient, type StoredDashboard } from './grafana-client';
import type { GeneratedAlerting } from './alerting';
import {
  AlertingSecretMissingError,
  planAlerting,
  type AlertingKind,
  type AlertingStep,
} from './alerting-publisher';
import type { DatasourceSpec } from './datasources';
import { planDatasources, type DatasourceStep } from './datasource-publisher';
import type { GeneratedDashboard, GeneratedFolder } from './index';
import { MANAGED_TAG } from './panels';

export type PublishAction = 'created' | 'updated' | 'unchanged' | 'removed';

export type PublishKind = 'datasource' | 'folder' | 'dashboard' | AlertingKind;

export interface PublishEntry {
  readonly kind: PublishKind;
  readonly uid: string;
  readonly title: string;
  readonly action: PublishAction;
}

export interface PublishReport {
  readonly url: string;
  readonly dryRun: boolean;
  readonly message: string;
  readonly entries: PublishEntry[];
}

export interface PublishFailure {
  readonly kind: PublishKind | 'search';
  readonly uid: string;
  readonly title: string;
}

/** A publish that stopped part-way; `report` lists what had already been written. */
export class PublishError extends PlatformError {
  /** The kind of what stopped it (a refused token is still a failure to publish). */
  readonly kind: ErrorKind;
  constructor(
    readonly failed: PublishFailure,
    readonly report: PublishReport,
    override readonly cause: unknown,
  ) {
    const what =
      failed.kind === 'search'
        ? 'before writing anything'
        : `at ${failed.kind} ${failed.uid} ("${failed.title}")`;
    const written = writes(report);
    super(
      `publishing to ${report.url} failed ${what}: ${cause instanceof Error ? cause.message : String(cause)}; ` +
        (written.length === 0
          ? 'nothing had been written'
          : `already written: ${written.map((e) => `${e.kind} ${e.uid} ${e.action}`).join(', ')}`),
    );
    this.name = 'PublishError';
    this.kind = cause instanceof PlatformError ? cause.kind : 'failed';
  }
}

export function writes(report: PublishReport): PublishEntry[] {
  return report.entries.filter((e) => e.action !== 'unchanged');
}

export interface PublishInput {
  /** The CloudWatch datasources (Amazon Managed Grafana has no provisioning files); absent: left alone. */
  readonly datasources?: readonly DatasourceSpec[];
  readonly folders: readonly GeneratedFolder[];
  readonly dashboards: readonly GeneratedDashboard[];
  /** Rules, contact points and the policy tree; absent publishes dashboards only. */
  readonly alerting?: GeneratedAlerting;
}

export interface PublishOptions {
  /** The git commit being published, recorded in each saved version's message. */
  readonly commit: string;
  /** Compute and report the changes without writing any. */
  readonly dryRun?: boolean;
  /** Progress lines (stderr in the CLI). */
  readonly log?: (line: string) => void;
  /** Where contact points' secrets are read from (`TDR_ALERTS_…`; the CLI passes its environment). */
  readonly secrets?: Readonly<Record<string, string | undefined>>;
}

/** Fields Grafana owns: they differ between what we generate and what it stores. */
const SERVER_FIELDS = ['id', 'version'] as const;

/** Whether Grafana already holds exactly `wanted`, in the right folder. */
export function isUnchanged(stored: StoredDashboard, wanted: GeneratedDashboard): boolean {
  if ((stored.meta.folderUid ?? '') !== wanted.folderUid) return false;
  const current: Record<string, unknown> = { ...stored.dashboard };
  for (const f of SERVER_FIELDS) delete current[f];
  // Round-trip the model so that `undefined` fields compare as Grafana would store them (absent).
  return isDeepStrictEqual(current, JSON.parse(JSON.stringify(wanted.model)));
}

// eslint-disable-next-line max-lines-per-function -- the publish protocol step by step (read, compare, write, report), in the order Grafana's API requires.
export async function publish(
  client: GrafanaClient,
  input: PublishInput,
  options: PublishOptions,
): Promise<PublishReport> {
  const dryRun = options.dryRun ?? false;
  const log = options.log ?? (() => undefined);
  const report: PublishReport = {
    url: client.url,
    dryRun,
    message: `tdr dashboards publish from commit ${options.commit}`,
    entries: [],
  };
  const record = (entry: PublishEntry) => {
    report.entries.push(entry);
    log(
      `${dryRun && entry.action !== 'unchanged' ? 'would be ' : ''}${entry.action}: ${entry.kind} ${entry.uid}`,
    );
  };
  let step: PublishFailure = { kind: 'search', uid: MANAGED_TAG, title: `dashboards tagged ${MANAGED_TAG}` };
  try {
    // Read first: a bad token or an unreachable Grafana fails here, before anything is written.
    const managed = await client.searchDashboardsByTag(MANAGED_TAG);
    step = { kind: 'search', uid: 'datasources', title: 'datasources' };
    const datasourceSteps: DatasourceStep[] = input.datasources
      ? await planDatasources(client, input.datasources)
      : [];
    step = { kind: 'search', uid: 'alerting', title: 'alerting provisioning' };
    let alertingSteps: AlertingStep[] = [];
    if (input.alerting) {
      const plan = await planAlerting(client, input.alerting, options.secrets ?? {});
      if (plan.missingSecrets.length > 0) {
        if (!dryRun) throw new AlertingSecretMissingError(plan.missingSecrets);
        log(`a real publish would stop here: ${plan.missingSecrets.join(', ')} not set`);
      }
      alertingSteps = plan.steps;
    }

    // First: every dashboard and rule reads through them.
    for (const { write, ...entry } of datasourceSteps) {
      step = { kind: entry.kind, uid: entry.uid, title: entry.title };
      if (write && !dryRun) await write(client);
      record(entry);
    }

    for (const folder of input.folders) {
      step = { kind: 'folder', uid: folder.uid, title: folder.title };
      const existing = await client.getFolder(folder.uid);
      if (!existing) {
        if (!dryRun) await client.createFolder({ uid: folder.uid, title: folder.title });
        record({ ...step, kind: 'folder', action: 'created' });
      } else if (existing.title !== folder.title) {
        if (!dryRun)
          await client.updateFolder({ uid: folder.uid, title: folder.title, version: existing.version ?? 0 });
        record({ ...step, kind: 'folder', action: 'updated' });
      } else {
        record({ ...step, kind: 'folder', action: 'unchanged' });
      }
    }

    for (const wanted of input.dashboards) {
      step = { kind: 'dashboard', uid: wanted.uid, title: wanted.title };
      const stored = await client.getDashboard(wanted.uid);
      if (stored && isUnchanged(stored, wanted)) {
        record({ ...step, kind: 'dashboard', action: 'unchanged' });
        continue;
      }
      if (!dryRun) await save(client, wanted, stored, report.message);
      record({ ...step, kind: 'dashboard', action: stored ? 'updated' : 'created' });
    }

    const generated = new Set(input.dashboards.map((d) => d.uid));
    for (const hit of managed.filter((h) => !generated.has(h.uid))) {
      step = { kind: 'dashboard', uid: hit.uid, title: hit.title };
      if (!dryRun) await client.deleteDashboard(hit.uid);
      record({ ...step, kind: 'dashboard', action: 'removed' });
    }

    for (const { write, ...entry } of alertingSteps) {
      step = { kind: entry.kind, uid: entry.uid, title: entry.title };
      if (write && !dryRun) await write(client);
      record(entry);
    }
  } catch (err) {
    throw new PublishError(step, report, err);
  }
  return report;
}

async function save(
  client: GrafanaClient,
  wanted: GeneratedDashboard,
  stored: StoredDashboard | undefined,
  message: string,
): Promise<void> {
  const version = stored?.dashboard.version ?? stored?.meta.version;
  const dashboard = { ...wanted.model, ...(version === undefined ? {} : { version }) } as Record<
    string,
    unknown
  >;
  try {
    await client.saveDashboard({ dashboard, folderUid: wanted.folderUid, message });
  } catch (err) {
    // A save retried after a 5xx may already have landed; then Grafana holds what we wanted.
    if (err instanceof GrafanaVersionConflictError && err.reason === 'version-mismatch') {
      const now = await client.getDashboard(wanted.uid);
      if (now && isUnchanged(now, wanted)) return;
    }
    throw err;
  }
}
