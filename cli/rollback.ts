/** `tdr rollback`: back to the last version that succeeded before the current one, or `--to`. */
import type { Command } from 'commander';
import type { CliContext } from './context';
import { envOption, serviceOption } from './context';
import type { GlobalOptions } from './context';
import {
  RunFailedError,
  engine,
  identifiedActor,
  printHeld,
  releaseDeps,
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
    // During a deployment ECS is still shifting (or holds for approval), rolling back is stopping
    // it: StopServiceDeployment with ROLLBACK, followed to the end and recorded.
    const progressive = engine.progressive();
    const platform = { platform: ctx.platform() };
    if (
      !opts.dryRun &&
      opts.to === undefined &&
      progressive.isProgressive(platform, opts.service, opts.env)
    ) {
      const deps = await releaseDeps(ctx, requestFrom(ctx, opts).actor, { notify: true });
      if (await progressive.inFlight(deps, opts.service, opts.env)) {
        const actor = await identifiedActor(deps, requestFrom(ctx, opts).actor);
        const req = { service: opts.service, env: opts.env, actor, wait: opts.wait };
        const { result, failure } = await progressive.stopInFlightRelease(deps, req);
        printHeld(ctx.io, c.optsWithGlobals<GlobalOptions>().output, result);
        if (failure) throw new RunFailedError(failure);
        return;
      }
    }
    await runRelease(ctx, c, {
      ...requestFrom(ctx, opts),
      action: 'rollback',
      env: opts.env,
      version: opts.to,
    });
  });
}
