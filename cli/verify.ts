/** `tdr verify`: preflight, `[OK]`/`[NG]` per dependency of a deployment of a service or function. */
import type { Command } from 'commander';
import { entryOfKind } from '../services/queries';
import type { CliContext, GlobalOptions } from './context';
import { envOption, serviceOption } from './context';
import { RunFailedError, engine, releaseDeps } from './release-wiring';
import { printJson } from './output';

export function register(program: Command, ctx: CliContext): void {
  program
    .command('verify')
    .description(
      "preflight: role assumable, ledger; a service's cluster, image digest, secrets, log group; a function's package, configuration, live alias, log group, ledger record",
    )
    .addOption(serviceOption(ctx, ['service', 'lambda']))
    .addOption(envOption(ctx).makeOptionMandatory())
    .addHelpText(
      'after',
      '\nExamples:\n  $ tdr verify --service consignmentapi --env staging\n  $ tdr verify --service checksum --env intg -o json',
    )
    .action(async (opts: { service: string; env: string }, cmd: Command) => {
      const { output } = cmd.optsWithGlobals<GlobalOptions>();
      const deps = await releaseDeps(ctx, ctx.env.USER || 'verify');
      const checks = entryOfKind(ctx.platform().catalogue, opts.service, 'lambda')
        ? await engine.verifyFunction().verifyFunction(deps, opts.service, opts.env)
        : await engine.verify().verify(deps, opts.service, opts.env);
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
