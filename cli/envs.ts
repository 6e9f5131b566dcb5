import type { Command } from 'commander';
import { describeDelivery } from '../services/delivery';
import type { Environment } from '../services/environments';
import type { CliContext, GlobalOptions } from './context';
import { printJson, renderTable } from './output';

export function register(program: Command, ctx: CliContext): void {
  program
    .command('envs')
    .description('the five accounts, the promotion path and the gates on each step')
    .addHelpText('after', '\nExamples:\n  $ tdr envs\n  $ tdr envs -o json | jq .promotionPath')
    .action((_opts, cmd: Command) => {
      const { output } = cmd.optsWithGlobals<GlobalOptions>();
      const platform = ctx.platform();
      const environments = Object.values(platform.environments);
      if (output === 'json') {
        printJson(ctx.io, {
          promotionPath: ['build', ...platform.promotionPath],
          environments,
          overridden: platform.overridden,
        });
        return;
      }
      ctx.io.stdout(`Promotion path: ${['build', ...platform.promotionPath].join(' → ')}\n\n`);
      ctx.io.stdout(
        renderTable(
          [
            'ENV',
            'KIND',
            'REGION',
            'ROLE SUFFIX',
            'FROM',
            'HOW',
            'APPROVAL',
            'SOAK',
            'CHECKS UPSTREAM',
            'FREEZE',
            'DELIVERY',
          ],
          environments.map((e) => row(e)),
        ),
      );
      if (platform.overridden.length > 0) {
        ctx.io.stderr(`note: configuration (TDR_CONFIG) overrides ${platform.overridden.join(', ')}\n`);
      }
    });
}

function row(e: Environment): unknown[] {
  const p = e.promotion;
  return [
    e.name,
    e.kind,
    e.region,
    e.roleSuffix,
    p?.source,
    p ? (p.automatic ? 'automatic' : 'by hand') : null,
    p?.approval
      ? `${p.approval.group}${p.approval.approverMustNotBePromoter ? ', not the promoter' : ''}`
      : null,
    p && p.soakMinutes > 0 ? `${p.soakMinutes} min` : null,
    p && p.requiredChecks.length > 0 ? p.requiredChecks.join(',') : null,
    p && p.freezeWindows.length > 0
      ? p.freezeWindows.map((w) => `${w.days.join(',')} ${w.from}-${w.to} ${w.timezone}`).join('; ')
      : null,
    // A service may override it (catalogue `delivery`): `tdr services -o json` shows the overrides.
    e.delivery ? describeDelivery(e.delivery) : null,
  ];
}
