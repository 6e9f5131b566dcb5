/** `tdr reject` and `tdr unreject` (issue 26): a version refused by every gate, for good, until taken back. */
import { InvalidArgumentError, type Command } from 'commander';
import type { CliContext, GlobalOptions } from './context';
import { ledgerSubjectOption } from './context';
import { engine, parseBuildVersion, releaseDeps } from './release-wiring';
import { printJson } from './output';

export function register(program: Command, ctx: CliContext): void {
  for (const action of ['reject', 'unreject'] as const) {
    program
      .command(action)
      .description(
        action === 'reject'
          ? 'mark a version of a service, function or task rejected: every gate in every environment refuses it (promote, deploy, rollback --to, a task run, a train); an approver only, the reason recorded'
          : 'take back a rejection (an approver only, with a reason): the version may be released again',
      )
      .addOption(ledgerSubjectOption(ctx, 'catalogue service, function or task').makeOptionMandatory())
      .requiredOption('--version <version>', `the version to ${action}`, parseBuildVersion)
      .requiredOption('--reason <text>', 'why (recorded; one line, at most 500 characters)', nonEmpty)
      .addHelpText(
        'after',
        `\nExamples:\n  $ tdr ${action} --service consignmentapi --version v42 --reason "${action === 'reject' ? 'corrupts file metadata (INC-123)' : 'fixed forward; INC-123 was the config'}"`,
      )
      .action(async (opts: { service: string; version: string; reason: string }, cmd: Command) => {
        const { output } = cmd.optsWithGlobals<GlobalOptions>();
        const { reject, validateReject } = engine.reject();
        const req = { action, ...opts };
        validateReject({ platform: ctx.platform() }, req);
        const rec = await reject(await releaseDeps(ctx, 'approver'), req);
        if (output === 'json') printJson(ctx.io, rec);
        else
          ctx.io.stdout(
            `${action === 'reject' ? 'rejected' : 'unrejected'} ${rec.service} ${rec.version} by ${rec.approver} as ${rec.identity}: ledger ${rec.env} #${rec.seq}\n`,
          );
      });
  }
}

function nonEmpty(value: string): string {
  if (!value.trim()) throw new InvalidArgumentError('required: say why');
  return value;
}
