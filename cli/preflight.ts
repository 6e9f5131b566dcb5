/**
 * `tdr preflight --stack S`: before a real `pulumi preview|up`, what that run would refuse without
 * calling AWS (infra/real-run.ts `preflight`): the organisation (TDR_ORGANISATION missing or any
 * example value left), the stack's config against it, TDR_ACCOUNT_IDS when set. Exit 2 naming each
 * field and where its real value comes from; nothing is called. The documented real runs (`tdr
 * bootstrap plan`, docs/runbook-first-standup.md) run it first (`npx tdr preflight --stack S &&
 * pulumi …`), so they stop with exit 2 before Pulumi starts: the program refuses too, but a failed
 * Pulumi program exits with Pulumi's own code.
 */
import { Option, type Command } from 'commander';
import { ALL_STACKS } from '../infra/stacks';
import type { CliContext, GlobalOptions } from './context';
import { printJson } from './output';

export function register(program: Command, ctx: CliContext): void {
  program
    .command('preflight')
    .description(
      'before a real pulumi run: refuse (exit 2, naming each field) an organisation config that is missing or still holds an example value; calls nothing',
    )
    .addOption(
      new Option('--stack <stack>', 'the stack the pulumi run is for')
        .choices(ALL_STACKS)
        .makeOptionMandatory(),
    )
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  $ TDR_ORGANISATION=~/tdr-organisation.json tdr preflight --stack intg && pulumi preview --stack intg\n' +
        '  $ tdr preflight --stack bootstrap -o json\n\n' +
        'TDR_ORGANISATION names the organisation file (services/organisation.ts: every field and where it comes from).',
    )
    .action((opts: { stack: string }, cmd: Command) => {
      const { output } = cmd.optsWithGlobals<GlobalOptions>();
      /* eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded when run: --help stays fast */
      const { preflight } = require('../infra/real-run') as typeof import('../infra/real-run');
      const result = preflight(opts.stack, ctx.env, ctx.env.TDR_STACK_CONFIG_DIR || undefined);
      if (output === 'json') printJson(ctx.io, result);
      else
        ctx.io.stdout(
          `ready for a real pulumi run of stack ${result.stack}: the organisation in ${result.organisationFile} ` +
            `(GitHub ${result.githubOrganisation}) has no example value left` +
            (result.organisationKeys > 0
              ? `, and fills ${result.organisationKeys} keys of the stack's config`
              : '') +
            `; account ids from ${result.accountIds}\n`,
        );
    });
}
