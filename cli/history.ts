/** `tdr history`: one service × environment's ledger, newest first. */
import type { Command } from 'commander';
import type { CliContext, GlobalOptions } from './context';
import { envOption, serviceOption } from './context';
import { releaseRuntime } from './deploy';
import { printJson, renderTable } from './output';
import { statusModule } from './status';

export function register(program: Command, ctx: CliContext): void {
  program
    .command('history')
    .description('the release ledger of one service in one environment, newest first')
    .addOption(serviceOption(ctx))
    .addOption(envOption(ctx).makeOptionMandatory())
    .addHelpText(
      'after',
      '\nExamples:\n  $ tdr history --service frontend --env prod\n  $ tdr history --service frontend --env prod -o json | jq ".[0]"',
    )
    .action(async (opts: { service: string; env: string }, cmd: Command) => {
      const { output } = cmd.optsWithGlobals<GlobalOptions>();
      const deps = await releaseRuntime().runtimeDeps({
        env: ctx.env,
        platform: ctx.platform(),
        log: (l) => ctx.io.stderr(l + '\n'),
        actor: ctx.env.USER || 'history',
      });
      const records = await statusModule().history(deps, opts.service, opts.env);
      if (output === 'json') {
        printJson(ctx.io, records);
        return;
      }
      ctx.io.stdout(
        renderTable(
          ['#', 'WHEN', 'ACTION', 'VERSION', 'DIGEST', 'OUTCOME', 'ACTOR', 'APPROVER', 'FROM', 'NOTE'],
          records.map((r) =>
            r.kind === 'check'
              ? [
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
                ]
              : [
                  r.seq,
                  r.recordedAt,
                  r.action,
                  r.version,
                  r.digest.slice(7, 19),
                  r.outcome,
                  r.actor,
                  r.approver,
                  r.sourceEnv,
                  [r.breakGlass ? `break-glass: ${r.reason}` : null, r.detail].filter(Boolean).join('; ') ||
                    null,
                ],
          ),
        ),
      );
    });
}
