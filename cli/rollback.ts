/** `tdr rollback`: back to the last version that succeeded before the current one, or `--to`. */
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
    .command('rollback')
    .description(
      'roll back to the version that succeeded before the current one (or --to), through the deployment path',
    )
    .addOption(serviceOption(ctx, ['service', 'lambda']))
    .addOption(envOption(ctx).makeOptionMandatory())
    .option('--to <version>', 'a version that succeeded in this environment before', parseBuildVersion);
  addReleaseOptions(cmd).addHelpText(
    'after',
    '\nExamples:\n  $ tdr rollback --service frontend --env prod\n  $ tdr rollback --service frontend --env staging --to v40 --dry-run',
  );
  cmd.action(async (opts: ReleaseOpts & { env: string; to?: string }, c: Command) => {
    await runRelease(ctx, c, {
      ...requestFrom(ctx, opts),
      action: 'rollback',
      env: opts.env,
      version: opts.to,
    });
  });
}
