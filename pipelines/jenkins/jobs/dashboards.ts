/**
 * dashboards: publishes the Grafana dashboards and alerting generated from the catalogue, after each
 * merge to main. It alone binds the contact points' secrets (Slack webhooks, the paging key).
 */
import { workloadEnvironmentNames } from '../../../services/queries';
import { alertCredentialVariables } from '../credentials';
import { runTdr, tdrDashboardsPublish } from '../tdr-commands';
import { DASHBOARDS_JOB, PLATFORM_JOB, type Contribution, type JobContext } from './context';
import { mgmtJob } from './skeleton';

export function dashboardsJob(ctx: JobContext): Contribution {
  const contribution = mgmtJob(ctx, {
    id: 'dashboards',
    title: 'Publish dashboards',
    stage: 'Publish dashboards',
    steps: [runTdr(tdrDashboardsPublish())],
    path: DASHBOARDS_JOB,
    kind: 'dashboards',
    description: 'Publishes the Grafana dashboards and alerting generated from the catalogue',
    triggers: [{ kind: 'upstream', jobs: [PLATFORM_JOB] }],
  });
  const secrets = alertCredentialVariables(workloadEnvironmentNames(ctx.platform.environments));
  return {
    ...contribution,
    pipelines: (contribution.pipelines ?? []).map((p) => ({
      ...p,
      credentialVariables: { ...p.credentialVariables, ...secrets },
    })),
  };
}
