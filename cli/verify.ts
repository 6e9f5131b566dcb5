/** `tdr verify`: preflight, `[OK]`/`[NG]` per dependency of a deployment. */
import type { Command } from 'commander';
import type { CliContext, GlobalOptions } from './context';
import { envOption, serviceOption } from './context';
import { releaseRuntime } from './deploy';
import { ExitCode } from './exit-codes';
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
      const deps = await releaseRuntime().runtimeDeps({
        env: ctx.env,
        platform: ctx.platform(),
        log: (l) => ctx.io.stderr(l + '\n'),
        actor: ctx.env.USER || 'verify',
      });
      const { verify } = verifyModule();
      const checks = await verify(deps, opts.service, opts.env);
      if (output === 'json') printJson(ctx.io, checks);
      else {
        const mark = { ok: '[OK]', ng: '[NG]', skipped: '[--]' } as const;
        ctx.io.stdout(checks.map((c) => `${mark[c.status]} ${c.name}: ${c.detail}`).join('\n') + '\n');
      }
      const failed = checks.filter((c) => c.status === 'ng').length;
      if (failed > 0) {
        throw Object.assign(new Error(`${failed} preflight check${failed === 1 ? '' : 's'} failed`), {
          exitCode: ExitCode.failed,
        });
      }
    });
}

function verifyModule(): typeof import('../pipelines/release/verify') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../pipelines/release/verify') as typeof import('../pipelines/release/verify');
}
