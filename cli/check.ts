/** `tdr check record`: record a named check's result (e.g. e2e on staging) for a version's digest. */
import { Option, type Command } from 'commander';
import type { CliContext, GlobalOptions } from './context';
import { envOption, serviceOption } from './context';
import { actorOf, engine, identifiedActor, parseVersion, releaseDeps } from './release-wiring';
import { printJson } from './output';

export function register(program: Command, ctx: CliContext): void {
  const check = program.command('check').description('checks (e.g. e2e) that gates require upstream');
  check
    .command('record')
    .description('record a check result for the digest of a version in an environment')
    .addOption(serviceOption(ctx, ['service', 'lambda']))
    .addOption(envOption(ctx).makeOptionMandatory())
    .requiredOption('--version <version>', 'the version checked', parseVersion)
    .requiredOption('--name <check>', 'check name, e.g. e2e')
    .addOption(
      new Option('--result <result>', 'the result').choices(['passed', 'failed']).makeOptionMandatory(),
    )
    .option('--url <url>', 'where the results are (recorded)')
    .option('--actor <name>', 'a display name for who ran the check; who records it is the AWS identity')
    .addHelpText(
      'after',
      '\nExamples:\n  $ tdr check record --service frontend --env staging --version v42 --name e2e --result passed --url "$BUILD_URL"',
    )
    .action(
      async (
        opts: {
          service: string;
          env: string;
          version: string;
          name: string;
          result: 'passed' | 'failed';
          url?: string;
          actor?: string;
        },
        cmd: Command,
      ) => {
        const { output } = cmd.optsWithGlobals<GlobalOptions>();
        const { recordCheck, validateCheck } = engine.check();
        const req = { ...opts, actor: actorOf(ctx, opts.actor) };
        validateCheck({ platform: ctx.platform() }, req);
        const deps = await releaseDeps(ctx, req.actor);
        const rec = await recordCheck(deps, { ...req, actor: await identifiedActor(deps, req.actor) });
        if (output === 'json') printJson(ctx.io, rec);
        else
          ctx.io.stdout(
            `recorded ${rec.name} ${rec.result} for ${rec.service} ${rec.version} (${rec.digest}) in ${rec.env}: ledger #${rec.seq}\n`,
          );
      },
    );
}
