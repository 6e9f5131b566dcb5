/** `tdr ledger reindex`: rebuild the head object that makes ledger reads constant. */
import type { Command } from 'commander';
import type { CliContext, GlobalOptions } from './context';
import { envOption, ledgerSubjectOption } from './context';
import { RunFailedError, engine, releaseDeps } from './release-wiring';
import { WORKLOAD_ENVIRONMENTS, type WorkloadEnvironmentName } from '../services/environments';
import { printJson, renderTable } from './output';

export function register(program: Command, ctx: CliContext): void {
  const ledger = program.command('ledger').description('the release ledger itself');
  ledger
    .command('reindex')
    .description(
      "rebuild one service × environment's head object from every record (reads the whole history once; every other read is constant)",
    )
    .addOption(
      ledgerSubjectOption(
        ctx,
        'catalogue service, function or task, or maintenance (the switch)',
      ).makeOptionMandatory(),
    )
    .addOption(envOption(ctx).makeOptionMandatory())
    .addHelpText('after', '\nExamples:\n  $ tdr ledger reindex --service frontend --env prod')
    .action(async (opts: { service: string; env: string }, cmd: Command) => {
      const { output } = cmd.optsWithGlobals<GlobalOptions>();
      const { reindexLedger, validateHistory } = engine.status();
      validateHistory({ platform: ctx.platform() }, opts);
      const view = await reindexLedger(await releaseDeps(ctx, ctx.env.USER || 'ledger'), opts);
      const summary = {
        service: view.service,
        env: view.env,
        lastSeq: view.lastSeq,
        kept: view.records.length,
        unreadable: view.bad,
      };
      if (output === 'json') printJson(ctx.io, summary);
      else
        ctx.io.stdout(
          `reindexed ${view.service} in ${view.env}: last record #${view.lastSeq}, ${view.records.length} kept in the head` +
            (view.bad.length > 0
              ? `\n${view.bad.map((b) => `  unreadable #${b.seq}: ${b.problem}`).join('\n')}`
              : '') +
            '\n',
        );
    });
  ledger
    .command('adopt')
    .description(
      "record, as each environment's baseline, what the stand-up started (images tagged initial, v1 packages) where the ledger has no release yet",
    )
    .addOption(envOption(ctx))
    .addHelpText('after', '\nExamples:\n  $ tdr ledger adopt\n  $ tdr ledger adopt --env intg -o json')
    .action(async (opts: { env?: string }, cmd: Command) => {
      const { output } = cmd.optsWithGlobals<GlobalOptions>();
      const envs = opts.env ? [opts.env as WorkloadEnvironmentName] : [...WORKLOAD_ENVIRONMENTS];
      /* eslint-disable @typescript-eslint/no-require-imports -- loaded when run: --help stays fast */
      const { adoptBaseline } =
        require('../pipelines/release/admin/adopt') as typeof import('../pipelines/release/admin/adopt');
      /* eslint-enable @typescript-eslint/no-require-imports */
      const results = await adoptBaseline(
        await releaseDeps(ctx, ctx.env.USER || 'ledger'),
        envs,
        ctx.env.USER || 'ledger',
      );
      if (output === 'json') printJson(ctx.io, results);
      else
        ctx.io.stdout(
          renderTable(
            ['SERVICE', 'ENV', 'OUTCOME', 'VERSION', 'DIGEST', 'DETAIL'],
            results.map((r) => [r.service, r.env, r.outcome, r.version, r.digest, r.detail]),
          ),
        );
      const refused = results.filter((r) => r.outcome === 'refused').length;
      if (refused > 0) throw new RunFailedError(`${refused} not adopted: see DETAIL`);
    });
}
