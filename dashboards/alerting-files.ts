/**
 * The alerting model as Grafana file provisioning (`provisioning/alerting/*.yaml`), for a Grafana
 * that reads provisioning files. The file format is not the HTTP API's: groups are named and
 * placed by folder title, contact points hold receivers, and a rule links to its panel with
 * `dashboardUid`/`panelId`. Secrets are `${VAR}` references Grafana expands from its own
 * environment when it reads the file ("Using environment variables" in its provisioning docs).
 */
import { stringify } from 'yaml';
import type * as alerting from '@grafana/grafana-foundation-sdk/alerting';
import type { WorkloadEnvironmentName } from '../services/environments';
import type { ContactPointSpec, GeneratedAlerting, RuleGroupSpec } from './alerting';
import { GENERATED_MARKER } from './datasources';

const ORG_ID = 1;

/** Duration in seconds as Grafana's files write it (`60` → `1m`). */
function duration(seconds: number): string {
  return seconds % 60 === 0 ? `${seconds / 60}m` : `${seconds}s`;
}

function ruleFile(rule: alerting.Rule): Record<string, unknown> {
  const { __dashboardUid__: dashboardUid, __panelId__: panelId, ...annotations } = rule.annotations ?? {};
  return {
    uid: rule.uid,
    title: rule.title,
    condition: rule.condition,
    data: rule.data,
    noDataState: rule.noDataState,
    execErrState: rule.execErrState,
    for: rule.for,
    ...(dashboardUid ? { dashboardUid, panelId: Number(panelId) } : {}),
    annotations,
    labels: rule.labels,
    isPaused: rule.isPaused ?? false,
  };
}

function groupFile(spec: RuleGroupSpec): Record<string, unknown> {
  return {
    orgId: ORG_ID,
    name: spec.group.title,
    folder: spec.folderTitle,
    interval: duration(spec.group.interval ?? 60),
    rules: (spec.group.rules ?? []).map(ruleFile),
  };
}

function contactPointFile(spec: ContactPointSpec): Record<string, unknown> {
  const { contactPoint: cp } = spec;
  const secrets = Object.fromEntries(spec.secrets.map((s) => [s.key, `\${${s.envVar}}`]));
  return {
    orgId: ORG_ID,
    name: cp.name,
    receivers: [
      {
        uid: cp.uid,
        type: cp.type,
        disableResolveMessage: cp.disableResolveMessage ?? false,
        settings: { ...(cp.settings as Record<string, unknown>), ...secrets },
      },
    ],
  };
}

function header(what: string): string {
  return `# ${GENERATED_MARKER}\n# ${what}\n`;
}

/** One environment's rule group and contact points. */
export function renderEnvironmentAlerting(set: GeneratedAlerting, env: WorkloadEnvironmentName): string {
  const doc = {
    apiVersion: 1,
    groups: set.ruleGroups.filter((g) => g.env === env).map(groupFile),
    contactPoints: set.contactPoints.filter((c) => c.env === env).map(contactPointFile),
  };
  const vars = set.contactPoints.filter((c) => c.env === env).flatMap((c) => c.secrets.map((s) => s.envVar));
  return `${header(`alert rules and contact points of ${env}; Grafana reads ${vars.join(', ')} from its environment`)}${stringify(doc)}`;
}

/** The notification policy tree (one per organisation). */
export function renderNotificationPolicy(set: GeneratedAlerting): string {
  return `${header('the notification policy tree: routes by env and severity')}${stringify({
    apiVersion: 1,
    policies: [{ orgId: ORG_ID, ...set.policy }],
  })}`;
}

/** File name (under `provisioning/alerting/`) → content. */
export function alertingFiles(set: GeneratedAlerting): Array<[string, string]> {
  const envs = [...new Set(set.ruleGroups.map((g) => g.env))];
  return [
    ...envs.map((env): [string, string] => [`tdr-${env}.yaml`, renderEnvironmentAlerting(set, env)]),
    ['tdr-notification-policy.yaml', renderNotificationPolicy(set)],
  ];
}
