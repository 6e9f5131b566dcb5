/** `tdr promote`: the same digest that succeeded in the environment before, through every gate. */
import type { Command } from 'commander';
import type { CliContext } from './context';
import { envOption, serviceOption } from './context';
import {
  addReleaseOptions,
  parseBuildVersion,
  requestFrom,
  runRelease,
  type ReleaseOpts,
} from './release-wiring';

export function register(program: Command, ctx: CliContext): void {
  const cmd = program
    .command('promote')
    .description('promote the version verified in the previous environment (the one live there by default)')
    .addOption(serviceOption(ctx, ['service', 'lambda']))
    .addOption(envOption(ctx, '--to <env>').makeOptionMandatory())
    .option(
      '--version <version>',
      'a version that succeeded in the previous environment (default: the one live there)',
      parseBuildVersion,
    );
  addReleaseOptions(cmd).addHelpText(
    'after',
    '\nExamples:\n  $ tdr promote --service frontend --to staging\n  $ tdr promote --service frontend --to prod --approver alice --actor bob\n  $ tdr promote --service frontend --to prod --approver alice --break-glass --reason "fix for incident 123"',
  );
  cmd.action(async (opts: ReleaseOpts & { to: string; version?: string }, c: Command) => {
    await runRelease(ctx, c, {
      ...requestFrom(ctx, opts),
      action: 'promote',
      env: opts.to,
      version: opts.version,
    });
  });
}
