/**
 * The credentials Jenkins holds. Values are never here: each names the SSM parameter (in mgmt)
 * that JCasC resolves when the controller starts.
 */
import type { WorkloadEnvironmentName } from '../../services/environments';
import { naming } from '../../services/naming';
import {
  alertSecretParameter,
  alertSecretVariable,
  contactChannels,
  type ContactChannel,
} from '../../services/on-call';
import type { Credential } from './model';

export const CREDENTIAL_IDS = {
  github: 'github',
  slack: 'slack',
  grafanaUrl: 'grafana-url',
  grafanaToken: 'grafana-token',
} as const;

/** What a pipeline whose `tdr` commands talk to Grafana binds (see tdr-commands.ts). */
export const GRAFANA_CREDENTIAL_VARIABLES: Readonly<Record<string, string>> = {
  GRAFANA_URL: CREDENTIAL_IDS.grafanaUrl,
  GRAFANA_TOKEN: CREDENTIAL_IDS.grafanaToken,
};

/** The Grafana contact points' secrets, one credential each (Slack per environment, paging where it pages). */
function alertSecrets(
  envs: readonly WorkloadEnvironmentName[],
): Array<{ env: WorkloadEnvironmentName; channel: ContactChannel }> {
  return envs.flatMap((env) => contactChannels(env).map((channel) => ({ env, channel })));
}

const alertCredentialId = (env: WorkloadEnvironmentName, channel: ContactChannel) =>
  `grafana-alerts-${channel}-${env}`;

/** What `tdr dashboards publish` binds to write contact points: variable → credential id. */
export function alertCredentialVariables(
  envs: readonly WorkloadEnvironmentName[],
): Readonly<Record<string, string>> {
  return Object.fromEntries(
    alertSecrets(envs).map(({ env, channel }) => [
      alertSecretVariable(env, channel),
      alertCredentialId(env, channel),
    ]),
  );
}

export function jenkinsCredentials(envs: readonly WorkloadEnvironmentName[]): Credential[] {
  return [
    {
      id: CREDENTIAL_IDS.github,
      description: 'GitHub machine user: checks out the platform and e2e repositories',
      type: 'usernamePassword',
      parameters: {
        username: naming.mgmtParameter('github/username'),
        password: naming.mgmtParameter('github/password'),
      },
    },
    {
      id: CREDENTIAL_IDS.slack,
      description: 'Slack bot token for release notifications',
      type: 'string',
      parameters: { secret: naming.mgmtParameter('slack/token') },
    },
    {
      id: CREDENTIAL_IDS.grafanaUrl,
      description: 'Amazon Managed Grafana workspace URL (deploy annotations, dashboards publish)',
      type: 'string',
      parameters: { secret: naming.mgmtParameter('grafana/url') },
    },
    {
      id: CREDENTIAL_IDS.grafanaToken,
      description: 'Grafana service-account token with the Editor role',
      type: 'string',
      parameters: { secret: naming.mgmtParameter('grafana/token') },
    },
    ...alertSecrets(envs).map(({ env, channel }): Credential => ({
      id: alertCredentialId(env, channel),
      description: `Grafana alerts of ${env}: ${channel === 'slack' ? 'Slack incoming webhook URL' : 'PagerDuty integration key'}`,
      type: 'string',
      parameters: { secret: alertSecretParameter(env, channel) },
    })),
  ];
}
