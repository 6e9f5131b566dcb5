/**
 * TDR's Grafana dashboards as code, built from the platform model with
 * `@grafana/grafana-foundation-sdk` 11.6.0-cogv0.0.x (the SDK line for Grafana 11.6; dashboards are
 * schemaVersion 41), and published through Grafana's HTTP API by ./publisher.ts.
 *
 * Folders: one per monitored environment (`tdr-{env}`). Each workload environment gets Services
 * overview, Backend (functions and state machines), Transfers and Alarms, and alerting
 * (./alerting.ts: rules, contact points, the policy tree); mgmt gets Platform; sbox (spikes only) gets nothing.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { loadPlatform, parseAccountIds, type AccountIds, type Platform } from '../services/config';
import type { EnvironmentName } from '../services/environments';
import { naming } from '../services/naming';
import { alarms } from './alarms';
import { canary } from './canary';
import { generateAlerting, type GeneratedAlerting } from './alerting';
import { alertingFiles } from './alerting-files';
import { backend } from './backend';
import { workloadEnvironmentNames } from '../services/queries';
import {
  GENERATED_MARKER,
  datasources,
  monitoredEnvironments,
  renderDatasourceProvisioning,
  type DatasourceSpec,
} from './datasources';
import { DEFAULT_NAVIGATION, linkEnvironment, navigationFrom, type Navigation } from './navigation';
import { platformDashboard } from './platform';
import { servicesOverview } from './services-overview';
import { transfers } from './transfers';

export { MANAGED_TAG, deployAnnotationTags } from './panels';
export { navigationFrom, RELEASE_BOARD_VARIABLE } from './navigation';

export interface GeneratedFolder {
  readonly uid: string;
  readonly title: string;
  readonly env: EnvironmentName;
}

export interface GeneratedDashboard {
  readonly uid: string;
  readonly title: string;
  readonly folderUid: string;
  readonly model: Dashboard;
}

export interface GeneratedSet {
  readonly folders: readonly GeneratedFolder[];
  readonly dashboards: readonly GeneratedDashboard[];
  readonly datasources: readonly DatasourceSpec[];
  readonly alerting: GeneratedAlerting;
}

export function folderTitle(env: EnvironmentName): string {
  return `TDR ${env}`;
}

/**
 * Every dashboard for one environment (empty for environments nothing is watched in), linked to
 * each other and to the release board; those of workload environments show its deploys.
 */
export function dashboardsFor(
  platform: Platform,
  env: EnvironmentName,
  nav: Navigation = DEFAULT_NAVIGATION,
): Dashboard[] {
  const workload = workloadEnvironmentNames(platform.environments).find((e) => e === env);
  const models =
    env === 'mgmt'
      ? [platformDashboard(platform)]
      : workload
        ? [
            servicesOverview(platform, workload, nav),
            backend(platform, workload),
            transfers(platform, workload),
            alarms(platform, workload),
            ...[canary(platform, workload, nav)].filter((d): d is Dashboard => d !== undefined),
          ]
        : [];
  linkEnvironment(models, env, nav, workload !== undefined);
  return models;
}

/** The whole set: pure, from the model (and account ids when known, and where the release board is). */
export function generate(
  platform: Platform,
  accountIds?: AccountIds,
  nav: Navigation = DEFAULT_NAVIGATION,
): GeneratedSet {
  const folders: GeneratedFolder[] = [];
  const dashboards: GeneratedDashboard[] = [];
  for (const env of monitoredEnvironments(platform)) {
    const models = dashboardsFor(platform, env, nav);
    if (models.length === 0) continue;
    const folder = { uid: naming.grafanaFolderUid(env), title: folderTitle(env), env };
    folders.push(folder);
    for (const model of models) {
      dashboards.push({ uid: model.uid ?? '', title: model.title ?? '', folderUid: folder.uid, model });
    }
  }
  const dashboardOf = (env: EnvironmentName, key: string) => {
    const found = dashboards.find((d) => d.uid === naming.grafanaDashboardUid(env, key));
    if (!found) throw new Error(`no ${key} dashboard for ${env}`);
    return found.model;
  };
  const folderOf = (env: EnvironmentName) => ({ uid: naming.grafanaFolderUid(env), title: folderTitle(env) });
  return {
    folders,
    dashboards,
    datasources: datasources(platform, accountIds),
    alerting: generateAlerting(platform, dashboardOf, folderOf),
  };
}

/** Dashboard JSON exactly as written to disk and compared in golden files. */
export function renderDashboard(model: Dashboard): string {
  return JSON.stringify(model, null, 2) + '\n';
}

/** Where `tdr dashboards build` puts dashboards for Grafana's file provider to pick up. */
export const PROVISIONED_DASHBOARDS_PATH = '/var/lib/grafana/dashboards/tdr';

export function renderDashboardProvisioning(): string {
  const doc = {
    apiVersion: 1,
    providers: [
      {
        name: 'tdr',
        type: 'file',
        disableDeletion: false,
        allowUiUpdates: false,
        options: { path: PROVISIONED_DASHBOARDS_PATH, foldersFromFilesStructure: true },
      },
    ],
  };
  return `# ${GENERATED_MARKER}\n# copy dist/grafana/dashboards to ${PROVISIONED_DASHBOARDS_PATH}\n${stringify(doc)}`;
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Writes `outDir/dashboards/{folder}/{uid}.json` and `outDir/provisioning/…`, replacing what a
 * previous build left there. Account ids are used when `TDR_ACCOUNT_IDS` is set; an offline build
 * without them refers to Grafana-side environment variables instead (see ./datasources.ts).
 */
export async function buildDashboards(
  outDir: string,
  env: Env = process.env,
  platform: Platform = loadPlatform(env),
): Promise<{ files: string[] }> {
  const accountIds = env.TDR_ACCOUNT_IDS
    ? parseAccountIds(env.TDR_ACCOUNT_IDS, 'TDR_ACCOUNT_IDS')
    : undefined;
  const set = generate(platform, accountIds, navigationFrom(env));
  const outputs: Array<[string, string]> = [
    [
      join(outDir, 'provisioning', 'datasources', 'tdr-cloudwatch.yaml'),
      renderDatasourceProvisioning(set.datasources),
    ],
    [join(outDir, 'provisioning', 'dashboards', 'tdr.yaml'), renderDashboardProvisioning()],
    ...alertingFiles(set.alerting).map(([name, text]): [string, string] => [
      join(outDir, 'provisioning', 'alerting', name),
      text,
    ]),
  ];
  const titles = new Map(set.folders.map((f) => [f.uid, f.title]));
  for (const d of set.dashboards) {
    outputs.push([
      join(outDir, 'dashboards', titles.get(d.folderUid) ?? d.folderUid, `${d.uid}.json`),
      renderDashboard(d.model),
    ]);
  }
  await rm(join(outDir, 'dashboards'), { recursive: true, force: true });
  await rm(join(outDir, 'provisioning', 'alerting'), { recursive: true, force: true });
  for (const [file, text] of outputs) {
    await mkdir(join(file, '..'), { recursive: true });
    await writeFile(file, text);
  }
  return { files: outputs.map(([file]) => file) };
}
