/** `tdr history`: one service × environment's ledger, newest first. */
import type { Command } from 'commander';
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
          records.map((r) => {
            if (r.kind === 'check')
              return [
                r.seq,
                r.recordedAt,
                `check ${r.name}`,
                r.version,
                r.digest.slice(7, 19),
                r.result,
                r.actor,
                null,
                null,
                r.url,
              ];
            if (r.kind === 'task')
              return [
                r.seq,
                r.recordedAt,
                r.action,
                r.version,
                r.digest.slice(7, 19),
                r.outcome,
                r.actor,
                null,
                null,
                [
                  r.exitCode === null ? null : `exit ${r.exitCode}`,
                  r.stopReason,
                  r.outcome === 'running' ? r.taskArn : null,
                  r.detail,
                ]
                  .filter(Boolean)
                  .join('; ') || null,
              ];
            return [
              r.seq,
              r.recordedAt,
              r.action,
              r.version,
              r.digest.slice(7, 19),
              r.outcome,
              r.actor,
              r.approver,
              r.sourceEnv,
              [r.breakGlass ? `break-glass: ${r.reason}` : null, r.detail].filter(Boolean).join('; ') || null,
            ];
          }),
        ),
      );
    });
}
