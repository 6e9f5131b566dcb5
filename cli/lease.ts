/** `tdr lease show|break`: the lease that keeps releases of one service × environment apart. */
import type { Command } from 'commander';
import type { CliContext, GlobalOptions } from './context';
import { envOption, ledgerSubjectOption } from './context';
import { actorOf, engine, identifiedActor, releaseDeps } from './release-wiring';
import { printJson, renderTable } from './output';

/* eslint-disable @typescript-eslint/no-require-imports */
const admin = () =>
  require('../pipelines/release/admin/lease-admin') as typeof import('../pipelines/release/admin/lease-admin');
/* eslint-enable @typescript-eslint/no-require-imports */

export function register(program: Command, ctx: CliContext): void {
  const lease = program
    .command('lease')
    .description('the lease that lets one release at a time act on a service in an environment');
  lease
    .command('show')
    .description(
      'every lease held now: who holds it, since when, until when (expired ones are taken over by the next release)',
    )
    .addOption(ledgerSubjectOption(ctx, 'catalogue service, function or task, or maintenance (the switch)'))
    .addOption(envOption(ctx))
    .addHelpText('after', '\nExamples:\n  $ tdr lease show\n  $ tdr lease show --env prod -o json')
    .action(async (opts: { service?: string; env?: string }, cmd: Command) => {
      const { output } = cmd.optsWithGlobals<GlobalOptions>();
      const deps = await releaseDeps(ctx, ctx.env.USER || 'lease', { readOnly: true });
      const leases = await engine.status().showLeases(deps, opts);
      if (output === 'json') printJson(ctx.io, leases);
      else if (leases.length === 0) ctx.io.stdout('no lease is held\n');
      else
        ctx.io.stdout(
          renderTable(
            ['SERVICE', 'ENV', 'HOLDER', 'SINCE', 'RENEWED', 'UNTIL', 'STATE'],
            leases.map((l) => [
              l.service,
              l.env,
              l.holder,
              l.acquiredAt,
              l.renewedAt,
              l.expiresAt,
              l.expired ? 'expired' : 'held',
            ]),
          ),
        );
    });
  registerBreak(lease, ctx);
}

function registerBreak(lease: Command, ctx: CliContext): void {
  lease
    .command('break')
    .description(
      'remove the lease of a service in an environment, recorded in its ledger with why; the run holding it stops before its next change',
    )
    .addOption(
      ledgerSubjectOption(
        ctx,
        'catalogue service, function or task, or maintenance (the switch)',
      ).makeOptionMandatory(),
    )
    .addOption(envOption(ctx).makeOptionMandatory())
    .requiredOption('--reason <text>', 'why (recorded)')
    .option(
      '--actor <name>',
      'a display name for who breaks it (recorded; who breaks it is the AWS identity)',
    )
    .option(
      '--dry-run',
      'show the lease and whether you may break it; change nothing (exit 3 if you may not)',
    )
    .addHelpText(
      'after',
      '\nIn an environment whose releases need an approver (prod), only one of its approvers breaks a lease.\n' +
        'Exit 0 when broken; 1 when no lease is held; 2 for a bad option; 3 when you may not break it.\n' +
        '\nExamples:\n  $ tdr lease break --service frontend --env prod --reason "Jenkins agent lost mid-deploy" --dry-run\n' +
        '  $ tdr lease break --service frontend --env prod --reason "Jenkins agent lost mid-deploy"',
    )
    .action(
      async (
        opts: { service: string; env: string; reason: string; actor?: string; dryRun?: boolean },
        cmd: Command,
      ) => {
        const { output } = cmd.optsWithGlobals<GlobalOptions>();
        const { breakLease, validateLeaseBreak } = admin();
        const req = { ...opts, actor: actorOf(ctx, opts.actor) };
        validateLeaseBreak({ platform: ctx.platform() }, req);
        const deps = await releaseDeps(ctx, req.actor);
        const rec = await breakLease(deps, { ...req, actor: await identifiedActor(deps, req.actor) });
        if (output === 'json') printJson(ctx.io, rec);
        else if ('gate' in rec)
          ctx.io.stdout(
            `would break the lease on ${rec.service} in ${rec.env} held by ${rec.lease.holder} (until ${rec.lease.expiresAt})\n` +
              `  ${rec.gate.ok ? '[OK]' : '[NG]'} ${rec.gate.gate}: ${rec.gate.detail}\n`,
          );
        else
          ctx.io.stdout(
            `broke the lease on ${rec.service} in ${rec.env} held by ${rec.holder} (until ${rec.expiresAt}): ledger #${rec.seq}, by ${rec.identity ?? rec.actor}\n`,
          );
        // A dry run the approver check would refuse exits as the refusal would (3).
        if ('gate' in rec && !rec.gate.ok) throw new (engine.gates().GateRefusedError)([rec.gate]);
      },
    );
}
