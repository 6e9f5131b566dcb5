/** dashboards: publishes the Grafana dashboards generated from the catalogue, after each merge to main. */
import { runTdr, tdrDashboardsPublish } from '../tdr-commands';
import { DASHBOARDS_JOB, PLATFORM_JOB, type Contribution, type JobContext } from './context';
import { mgmtJob } from './skeleton';

export function dashboardsJob(ctx: JobContext): Contribution {
  return mgmtJob(ctx, {
    id: 'dashboards',
    title: 'Publish dashboards',
    stage: 'Publish dashboards',
    steps: [runTdr(tdrDashboardsPublish())],
    path: DASHBOARDS_JOB,
    kind: 'dashboards',
    description: 'Publishes the Grafana dashboards generated from the catalogue',
    triggers: [{ kind: 'upstream', jobs: [PLATFORM_JOB] }],
  });
}
