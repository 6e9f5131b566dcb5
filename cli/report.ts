/** `tdr report`: the release board as a page (--html), a Slack summary (--slack) or its data (-o json). */
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { PlatformError } from '../services/errors';
import type { CliContext, GlobalOptions } from './context';
import { namesOfKind } from '../services/queries';
import type { ReleaseDeps } from '../pipelines/release/saga/context';
import type { TrainAndRejectionReaders } from '../pipelines/release/reads/board-input';
import { printJson } from './output';
import { engine, releaseDeps } from './release-wiring';

/* eslint-disable @typescript-eslint/no-require-imports */
const boardInput = () =>
  require('../pipelines/release/reads/board-input') as typeof import('../pipelines/release/reads/board-input');
const board = () => require('../pipelines/report/board') as typeof import('../pipelines/report/board');
const metrics = () => require('../pipelines/report/metrics') as typeof import('../pipelines/report/metrics');
const html = () => require('../pipelines/report/html') as typeof import('../pipelines/report/html');
const slack = () => require('../pipelines/report/slack') as typeof import('../pipelines/report/slack');
const notify = () => require('../pipelines/release/notify') as typeof import('../pipelines/release/notify');
/* eslint-enable @typescript-eslint/no-require-imports */

/** --slack was asked for and the summary did not reach Slack: the nightly job must show it. */
export class SlackNotPostedError extends PlatformError {
  readonly kind = 'failed';
  constructor(detail: string) {
    super(`the Slack summary was not posted: ${detail}`);
    this.name = 'SlackNotPostedError';
  }
}

interface ReportOpts {
  readonly html?: string;
  readonly slack?: boolean;
  readonly pageUrl?: string;
}

export function register(program: Command, ctx: CliContext): void {
  program
    .command('report')
    .description(
      'the release board: every service × environment, environments in maintenance, what waits to be promoted, history and delivery metrics',
    )
    .option('--html <file>', 'write the board as one self-contained HTML page', htmlFile)
    .option(
      '--slack',
      'post the summary to the release channel (TDR_SLACK_WEBHOOK_URL, else the webhook in SSM)',
    )
    .option(
      '--page-url <url>',
      "the page linked from the Slack summary (default: TDR_RELEASE_BOARD_URL, else the nightly job's artifact)",
      httpUrl,
    )
    .addHelpText(
      'after',
      '\nExamples:\n  $ tdr report --html release-report.html\n  $ tdr report --slack --page-url "$BUILD_URL/artifact/release-report.html"\n  $ tdr report -o json',
    )
    .action(async (opts: ReportOpts, cmd: Command) => {
      const { output } = cmd.optsWithGlobals<GlobalOptions>();
      const platform = ctx.platform();
      const pageUrl = opts.pageUrl ?? (opts.slack ? boardPageUrl(ctx.env) : undefined);
      const { boardModelOf, buildBoard } = board();
      const model = boardModelOf(platform);
      const deps = await releaseDeps(ctx, ctx.env.USER || 'report', { readOnly: true });
      const snapshot = await boardInput().gatherBoardSnapshot(
        deps,
        {
          services: model.services.map((s) => s.name),
          environments: model.environments.map((e) => e.name),
          windowDays: Math.max(...metrics().DEFAULT_WINDOWS_DAYS),
        },
        trainAndRejectionReaders(deps),
      );
      for (const p of snapshot.problems) ctx.io.stderr(`degraded: ${p}\n`);
      const data = buildBoard({
        model,
        ledgers: snapshot.ledgers,
        runs: snapshot.runs,
        live: (service, env) => snapshot.live[`${service}/${env}`],
        leases: snapshot.leases,
        maintenance: (env) => snapshot.maintenance[env],
        now: deps.now(),
        links: linksOf(ctx.env),
        trains: snapshot.trains,
        rejected: snapshot.rejected,
      });
      if (opts.html) {
        writeFileSync(opts.html, html().renderBoardHtml(data));
        ctx.io.stderr(`wrote the release board to ${opts.html}\n`);
      }
      if (opts.slack) {
        const message = slack().slackSummary(data, pageUrl ? { pageUrl } : {});
        const sent = await notify().postToSlack(message, deps.notifier);
        if (sent.status !== 'sent') throw new SlackNotPostedError(`${sent.status}: ${sent.detail}`);
        ctx.io.stderr('posted the release board summary to Slack\n');
      }
      if (output === 'json') printJson(ctx.io, data);
      else if (!opts.html && !opts.slack) ctx.io.stdout(textSummary(data));
    });
}

/**
 * `tdr status`'s own readers of trains (train/status.ts) and rejected versions (admin/reject.ts),
 * for the board: every service, function and task may have rejected versions.
 */
export function trainAndRejectionReaders(
  deps: Pick<ReleaseDeps, 'clients' | 'now' | 'platform'>,
): TrainAndRejectionReaders {
  return {
    trains: (envs) => engine.trainStatus().trainStatus(deps, envs),
    rejections: (subjects) => engine.reject().rejections(deps, subjects),
    subjects: namesOfKind(deps.platform.catalogue, 'service', 'lambda', 'task'),
  };
}

/** The page goes into a directory that exists (checked before any AWS call). */
function htmlFile(value: string): string {
  const dir = dirname(resolve(value));
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new InvalidArgumentError(`${dir} is not a directory that exists`);
  if (existsSync(value) && statSync(value).isDirectory())
    throw new InvalidArgumentError(`${value} is a directory; give a file name such as release-report.html`);
  return value;
}

/** The page the dashboards link to (TDR_RELEASE_BOARD_URL, default the nightly job's artifact), unless per service. */
function boardPageUrl(env: CliContext['env']): string | undefined {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { navigationFrom } = require('../dashboards/navigation') as typeof import('../dashboards/navigation');
  const url = navigationFrom(env).releaseBoardUrl;
  return url.includes('{') ? undefined : url;
}

function httpUrl(value: string): string {
  if (!/^https?:\/\/[^\s]+$/i.test(value)) throw new InvalidArgumentError(`not an http(s) URL`);
  return value;
}

/** Grafana folders and Jenkins, when their addresses are known. */
function linksOf(env: CliContext['env']) {
  const grafana = env.GRAFANA_URL?.replace(/\/+$/, '');
  const jenkins = env.JENKINS_URL?.replace(/\/+$/, '');
  return {
    ...(grafana ? { grafana: (e: string) => `${grafana}/dashboards/f/tdr-${e}/` } : {}),
    ...(jenkins ? { jenkinsJobs: jenkins } : {}),
  };
}

function textSummary(data: import('../pipelines/report/board').BoardData): string {
  const s = data.summary;
  const lines = [
    `${s.services} services · ${s.waiting} waiting to be promoted · ${s.drifted} drifted · ${s.failed} failed · ${s.openRuns} running · ${s.leases} leases held · ${s.inMaintenance} in maintenance · ${s.trainsInFlight} trains in flight · ${s.rejected} rejected versions`,
    ...data.environments.flatMap(({ name, maintenance: m }) => [
      ...(m.on
        ? [
            `maintenance ${name} ON since ${m.since} by ${m.by} (ledger #${m.seq}): ${m.reason} — end it with ${m.endCommand}`,
          ]
        : []),
      ...m.drift.map((d) => `drift maintenance/${name}: ${d}`),
    ]),
    ...data.trains.flatMap((t) => [
      `train ${t.env}: ${t.trainId} ${t.headline} (${t.members.length} members from ${t.sourceEnv}, by ${t.by}, ledger train/${t.env} #${t.seq} at ${t.at})`,
      ...(t.inFlight ? t.members.map((m) => `  ${m.name} ${m.version}: ${m.state}`) : []),
      ...t.leftOut.map((l) => `  left out ${l.name} ${l.version}: ${l.why}`),
    ]),
    ...data.rejections.map(
      (r) => `rejected ${r.subject} ${r.version} by ${r.by} at ${r.at}: ${r.reason} — ${r.command}`,
    ),
    ...data.waiting.map(
      (w) =>
        `waiting ${w.service} ${w.version} ${w.from} → ${w.to}${w.since ? ` since ${w.since}` : ''}: ${w.command}`,
    ),
  ];
  return lines.join('\n') + '\n';
}
