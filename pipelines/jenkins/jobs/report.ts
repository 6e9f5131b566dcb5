/** release-report: every night, what is live where (`tdr status`), archived and announced in Slack. */
import { runInstalledTdr, tdrStatus } from '../tdr-commands';
import type { Contribution, JobContext } from './context';
import { mgmtJob } from './skeleton';

export function releaseReportJob(ctx: JobContext): Contribution {
  return mgmtJob(ctx, {
    id: 'release-report',
    title: 'Nightly release report',
    stage: 'Report',
    steps: [
      runInstalledTdr(tdrStatus({ json: true }), { stdoutTo: 'release-report.json' }),
      runInstalledTdr(tdrStatus(), { stdoutTo: 'release-report.txt' }),
      { kind: 'archive', pattern: 'release-report.*' },
    ],
    path: 'mgmt/release-report',
    kind: 'release-report',
    description: 'Every night: what version of each service is live where, archived and announced in Slack',
    triggers: [{ kind: 'cron', spec: ctx.settings.nightlyReportCron }],
    installed: true,
  });
}
