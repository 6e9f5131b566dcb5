/** `tdr verify`: preflight, `[OK]`/`[NG]` per dependency of a deployment. */
import type { Command } from 'commander';
import type { CliContext, GlobalOptions } from './context';
import { envOption, serviceOption } from './context';
import { RunFailedError, engine, releaseDeps } from './release-wiring';
import { printJson } from './output';

export function register(program: Command, ctx: CliContext): void {
  program
    .command('verify')
    .description('preflight: role assumable, cluster and service, image digest, secrets, log group')
    .addOption(serviceOption(ctx))
    .addOption(envOption(ctx).makeOptionMandatory())
    .addHelpText('after', '\nExamples:\n  $ tdr verify --service consignmentapi --env staging')
    .action(async (opts: { service: string; env: string }, cmd: Command) => {
      const { output } = cmd.optsWithGlobals<GlobalOptions>();
      const deps = await releaseDeps(ctx, ctx.env.USER || 'verify');
      const checks = await engine.verify().verify(deps, opts.service, opts.env);
      if (output === 'json') printJson(ctx.io, checks);
      else {
        const mark = { ok: '[OK]', ng: '[NG]', skipped: '[--]' } as const;
        ctx.io.stdout(checks.map((c) => `${mark[c.status]} ${c.name}: ${c.detail}`).join('\n') + '\n');
      }
      const failed = checks.filter((c) => c.status === 'ng').length;
      if (failed > 0) {
        throw new RunFailedError(`${failed} preflight check${failed === 1 ? '' : 's'} failed`);
      }
    });
}
