import { execFileSync } from 'node:child_process';
import type { Command } from 'commander';
import type { CliContext, GlobalOptions } from './context';
import { UsageError } from './exit-codes';
import { printJson, renderTable, type Io } from './output';
import type * as DashboardsModule from '../dashboards/index';
import type * as ClientModule from '../dashboards/grafana-client';
import type * as PublisherModule from '../dashboards/publisher';
import type * as AwsModule from '../pipelines/release/aws/aws';
import type { PublishReport } from '../dashboards/publisher';

/*
 * The dashboards modules pull in the Grafana SDK, so they load only when a dashboards command
 * runs. `require` rather than `import()`: under module nodenext a CommonJS file's `import()` uses
 * Node's ESM resolver, which finds neither ts-node's .ts files nor extensionless paths.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const load = {
  dashboards: () => require('../dashboards/index') as typeof DashboardsModule,
  client: () => require('../dashboards/grafana-client') as typeof ClientModule,
  publisher: () => require('../dashboards/publisher') as typeof PublisherModule,
  aws: () => require('../pipelines/release/aws/aws') as typeof AwsModule,
};
/* eslint-enable @typescript-eslint/no-require-imports */

export const DEFAULT_OUT_DIR = 'dist/grafana';

export function register(program: Command, ctx: CliContext): void {
  const dashboards = program
    .command('dashboards')
    .description('Grafana dashboards built from the catalogue: render them, publish them');

  dashboards
    .command('build')
    .description(
      `write dashboards JSON and Grafana provisioning files, alerting included (default ${DEFAULT_OUT_DIR}/)`,
    )
    .option('--out <dir>', 'output directory', DEFAULT_OUT_DIR)
    .addHelpText(
      'after',
      '\nExamples:\n  $ tdr dashboards build\n  $ tdr dashboards build --out /tmp/grafana',
    )
    .action(async (opts: { out: string }, cmd: Command) => {
      const { output } = cmd.optsWithGlobals<GlobalOptions>();
      const platform = ctx.platform();
      const { buildDashboards } = load.dashboards();
      const { files } = await buildDashboards(opts.out, ctx.env, platform);
      if (output === 'json') printJson(ctx.io, { files });
      else ctx.io.stdout(files.join('\n') + '\n');
      ctx.io.stderr(`wrote ${files.length} files under ${opts.out}\n`);
    });

  dashboards
    .command('publish')
    .description(
      'upsert folders, dashboards and alerting through Grafana’s HTTP API; token from GRAFANA_TOKEN',
    )
    .option('--url <url>', 'Grafana base URL (default: GRAFANA_URL, as deploy annotations use)')
    .option('--dry-run', 'show what would change without writing', false)
    .addHelpText(
      'after',
      '\nThe CloudWatch datasources are created or updated too (their role ARNs take the account ids from\nTDR_ACCOUNT_IDS, else SSM /mgmt/{env}_account).\nA contact point that must be created or changed takes its secret from TDR_ALERTS_SLACK_URL_{ENV}\n(each workload environment) or TDR_ALERTS_PAGERDUTY_KEY_PROD; without it nothing is written (exit 2).\n\nExamples:\n  $ GRAFANA_TOKEN=… tdr dashboards publish --url https://grafana.example --dry-run\n  $ GRAFANA_TOKEN=… tdr dashboards publish --url https://grafana.example -o json',
    )
    .action(async (opts: { url?: string; dryRun: boolean }, cmd: Command) => {
      const { output } = cmd.optsWithGlobals<GlobalOptions>();
      const url = opts.url ?? ctx.env.GRAFANA_URL;
      if (!url)
        throw new UsageError(
          '--url is required (or set GRAFANA_URL): the Grafana base URL, e.g. https://grafana.example',
        );
      const token = ctx.env.GRAFANA_TOKEN;
      if (!token)
        throw new UsageError('GRAFANA_TOKEN is not set: give a Grafana service-account token (Editor role)');
      if (!/^https?:\/\/[^/]/.test(url)) {
        throw new UsageError(`--url ${url} is not an http(s) URL (e.g. https://grafana.example)`);
      }
      const platform = ctx.platform();
      const { generate, navigationFrom } = load.dashboards();
      const { GrafanaClient } = load.client();
      const { publish, PublishError } = load.publisher();
      const client = new GrafanaClient({ url, token });
      // The datasources' role ARNs need the real account ids: Grafana's API expands no ${…}.
      const { accountIdsFrom, mgmtClients } = load.aws();
      const accountIds = await accountIdsFrom(
        ctx.env,
        mgmtClients({ region: platform.environments.mgmt.region, env: ctx.env }).ssm,
      );
      try {
        const report = await publish(client, generate(platform, accountIds, navigationFrom(ctx.env)), {
          commit: gitCommit(ctx.env),
          dryRun: opts.dryRun,
          log: (line) => ctx.io.stderr(`${line}\n`),
          secrets: ctx.env,
        });
        printReport(ctx.io, output, report);
      } catch (err) {
        // Say what was already written before the error, on the same channel as a full report.
        if (err instanceof PublishError) printReport(ctx.io, output, err.report, true);
        throw err;
      }
    });
}

function printReport(io: Io, output: GlobalOptions['output'], report: PublishReport, failed = false): void {
  if (output === 'json') printJson(io, report);
  else if (report.entries.length > 0) {
    io.stdout(
      renderTable(
        ['ACTION', 'KIND', 'UID', 'TITLE'],
        report.entries.map((e) => [
          report.dryRun && e.action !== 'unchanged' ? `${e.action} (dry run)` : e.action,
          e.kind,
          e.uid,
          e.title,
        ]),
      ),
    );
  }
  const counts = (['created', 'updated', 'unchanged', 'removed'] as const).map(
    (a) => `${report.entries.filter((e) => e.action === a).length} ${a}`,
  );
  const prefix = failed ? 'before the error: ' : report.dryRun ? 'dry run, nothing written: ' : '';
  io.stderr(`${prefix}${counts.join(', ')} at ${report.url}\n`);
}

/** GIT_COMMIT (as Jenkins sets it) or the checkout's HEAD. */
function gitCommit(env: Readonly<Record<string, string | undefined>>): string {
  if (env.GIT_COMMIT) return env.GIT_COMMIT;
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return 'unknown (not a git checkout; set GIT_COMMIT)';
  }
}
