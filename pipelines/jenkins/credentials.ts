/**
 * The credentials Jenkins holds. Values are never here: each names the SSM parameter (in mgmt)
 * that JCasC resolves when the controller starts.
 */
import { naming } from '../../services/naming';
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

export function jenkinsCredentials(): Credential[] {
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
  ];
}
