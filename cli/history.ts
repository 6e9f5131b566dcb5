/** `tdr history`: one service × environment's ledger, newest first. */
import type { Command } from 'commander';
import type { LedgerRecord } from '../pipelines/release/ledger';
import type { CliContext, GlobalOptions } from './context';
import { envOption, serviceOption } from './context';
import { engine, releaseDeps } from './release-wiring';
import { printJson, renderTable } from './output';

export function register(program: Command, ctx: CliContext): void {
  program
    .command('history')
    .description(
      'the release ledger of one service (or one-off task: its runs) in one environment, newest first',
    )
    .addOption(serviceOption(ctx, ['service', 'task']))
    .addOption(envOption(ctx).makeOptionMandatory())
    .addHelpText(
      'after',
      '\nExamples:\n  $ tdr history --service frontend --env prod\n  $ tdr history --service frontend --env prod -o json | jq ".[0]"\n  $ tdr history --service consignment-api-data --env intg',
    )
    .action(async (opts: { service: string; env: string }, cmd: Command) => {
      const { output } = cmd.optsWithGlobals<GlobalOptions>();
      const deps = await releaseDeps(ctx, ctx.env.USER || 'history');
      const records = await engine.status().history(deps, opts.service, opts.env);
      if (output === 'json') {
        printJson(ctx.io, records);
        return;
      }
      ctx.io.stdout(
        renderTable(
          ['#', 'WHEN', 'ACTION', 'VERSION', 'DIGEST', 'OUTCOME', 'ACTOR', 'APPROVER', 'FROM', 'NOTE'],
          records.map(historyRow),
        ),
      );
    });
}

/** One ledger record as a row: checks, task runs and releases each say what matters of them. */
function historyRow(r: LedgerRecord): unknown[] {
  const row = (
    what: string,
    outcome: string,
    approver: string | null,
    from: string | null,
    note: unknown,
  ) => [r.seq, r.recordedAt, what, r.version, r.digest.slice(7, 19), outcome, r.actor, approver, from, note];
  if (r.kind === 'check') return row(`check ${r.name}`, r.result, null, null, r.url);
  if (r.kind === 'task') {
    const note = [
      r.exitCode === null ? null : `exit ${r.exitCode}`,
      r.stopReason,
      r.outcome === 'running' ? r.taskArn : null,
      r.detail,
    ];
    return row(r.action, r.outcome, null, null, note.filter(Boolean).join('; ') || null);
  }
  const note = [r.breakGlass ? `break-glass: ${r.reason}` : null, r.detail];
  return row(r.action, r.outcome, r.approver, r.sourceEnv, note.filter(Boolean).join('; ') || null);
}
