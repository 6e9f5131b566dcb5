/** `tdr ledger reindex`: rebuild the head object that makes ledger reads constant. */
import type { Command } from 'commander';
import type { CliContext, GlobalOptions } from './context';
import { envOption, ledgerSubjectOption } from './context';
import { engine, releaseDeps } from './release-wiring';
import { printJson } from './output';

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
}
