/**
 * release-report: every night, the release board (`tdr report`): the page and its data archived,
 * the summary posted to the release channel in Slack.
 */
import { runInstalledTdr, tdrReport } from '../tdr-commands';
import type { Contribution, JobContext } from './context';
import { mgmtJob } from './skeleton';

/** The page's artifact name: dashboards link to it (dashboards/navigation.ts DEFAULT_RELEASE_BOARD_URL). */
export const RELEASE_BOARD_ARTIFACT = 'release-report.html';

export function releaseReportJob(ctx: JobContext): Contribution {
  return mgmtJob(ctx, {
    id: 'release-report',
    title: 'Nightly release report',
    stage: 'Report',
    steps: [
      // One read of the ledger and ECS for both the page and its data.
      runInstalledTdr(tdrReport({ html: RELEASE_BOARD_ARTIFACT, json: true }), {
        stdoutTo: 'release-report.json',
      }),
      { kind: 'archive', pattern: 'release-report.*' },
      runInstalledTdr(tdrReport({ slack: true })),
    ],
    path: 'mgmt/release-report',
    kind: 'release-report',
    description:
      'Every night: the release board (what runs where, what waits to be promoted, delivery metrics), archived and posted to Slack',
    triggers: [{ kind: 'cron', spec: ctx.settings.nightlyReportCron }],
    installed: true,
    // mgmt's agents may not hold an update role: the report reads each workload account through
    // its read-only TDRReleaseReaderRole{Env} (infra/definitions/jenkins.ts).
    variables: { TDR_WORKLOAD_ROLE: 'reader' },
  });
}
