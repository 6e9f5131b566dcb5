/**
 * Who hears of an alert in each workload environment: every alert goes to the environment's Slack
 * channel, and where the environment pages, critical ones also to the paging service. Grafana's
 * contact points and notification policy (dashboards/alerting.ts) and the Jenkins job that
 * publishes them (the secrets it binds) both follow from this table. Plain data.
 */
import type { WorkloadEnvironmentName } from './environments';

export type ContactChannel = 'slack' | 'paging';

export interface OnCall {
  /** `critical` alerts also page: prod only, intg and staging wait for working hours. */
  readonly pages: boolean;
  /** How long an alert that keeps firing waits before it is sent again. */
  readonly repeatInterval: string;
}

export const ON_CALL: Readonly<Record<WorkloadEnvironmentName, OnCall>> = {
  intg: { pages: false, repeatInterval: '24h' },
  staging: { pages: false, repeatInterval: '12h' },
  prod: { pages: true, repeatInterval: '4h' },
};

export function contactChannels(env: WorkloadEnvironmentName): ContactChannel[] {
  return ON_CALL[env].pages ? ['slack', 'paging'] : ['slack'];
}

/**
 * The environment variable holding a contact point's secret (a Slack webhook URL, a PagerDuty
 * integration key), e.g. `TDR_ALERTS_SLACK_URL_PROD`: Grafana expands it in provisioning files and
 * `tdr dashboards publish` reads it. The value itself lives in SSM (`alertSecretParameter`).
 */
export function alertSecretVariable(env: WorkloadEnvironmentName, channel: ContactChannel): string {
  const what = channel === 'slack' ? 'SLACK_URL' : 'PAGERDUTY_KEY';
  return `TDR_ALERTS_${what}_${env.toUpperCase()}`;
}

/** The mgmt SSM parameter (SecureString) holding that secret, which Jenkins binds to the variable. */
export function alertSecretParameter(env: WorkloadEnvironmentName, channel: ContactChannel): string {
  return `/mgmt/grafana/alerts/${channel}_${env}`;
}
