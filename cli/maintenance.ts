/** `tdr maintenance on|off`: TDR's service-unavailable switch on an environment's load balancer. */
import type { Command } from 'commander';
import type { MaintenanceResult, MaintenanceSwitch } from '../pipelines/release/strategies/maintenance';
import type { CliContext, GlobalOptions } from './context';
import { envOption } from './context';
import {
  RunFailedError,
  actorOf,
  engine,
  identifiedActor,
  printGates,
  printNotifications,
  printOverrides,
  releaseDeps,
} from './release-wiring';
import { printJson, type Io } from './output';

interface MaintenanceOpts {
  readonly env: string;
  readonly reason?: string;
  readonly actor?: string;
  readonly buildUrl?: string;
  readonly jenkinsApprover?: string;
  readonly dryRun?: boolean;
}

const HELP: Record<MaintenanceSwitch, string> = {
  on: `
Every request to the environment's public listener gets the service-unavailable page (HTTP 503,
with the reason) from a rule ahead of all others; the rules there now are kept in the ledger.
Where releases need an approver (prod), so does this: an approver runs it, or the Jenkins job.

Exit 0 when the page is up; 2 for a bad option; 3 without the approval prod needs;
4 when maintenance is already on, or another switch holds the lease.

Examples:
  $ tdr maintenance on --env staging --reason "database upgrade until 14:00"
  $ tdr maintenance on --env prod --reason "incident 42" --dry-run`,
  off: `
Puts back exactly the rules the "on" record kept (compared field by field afterwards) and removes
the 503 rule last. Rules that appeared meanwhile are left in place and named.

Exit 0 when the listener is as it was, or when maintenance is already off (nothing to do, nothing
recorded); 1 if it is not (maintenance stays on: run it again); 4 when another switch holds the
lease, or a 503 rule is on the listener that no "on" record kept (delete it by hand).

Examples:
  $ tdr maintenance off --env staging
  $ tdr maintenance off --env prod --dry-run`,
};

export function register(program: Command, ctx: CliContext): void {
  const maintenance = program
    .command('maintenance')
    .description("the service-unavailable switch on an environment's public load balancer")
    .enablePositionalOptions();
  for (const which of ['on', 'off'] as const) {
    maintenance
      .command(which)
      .description(
        which === 'on'
          ? 'show the service-unavailable page for every request in an environment (recorded, with why)'
          : 'put the listener back exactly as it was before maintenance went on (recorded)',
      )
      .addOption(envOption(ctx).makeOptionMandatory())
      .option(
        '--reason <text>',
        which === 'on'
          ? 'why: recorded, and shown on the page (required)'
          : 'why (recorded; defaults to ending the reason maintenance went on with)',
      )
      .option('--actor <name>', 'a display name for who switches it (Jenkins passes the build user)')
      .option('--build-url <url>', 'the Jenkins build that ran this (recorded)')
      .option(
        '--jenkins-approver <user>',
        "Jenkins' input-step submitter, recorded as the approver (accepted from Jenkins' agent role only)",
      )
      .option('--dry-run', 'print what would change on the listener; change nothing')
      .addHelpText('after', HELP[which])
      .action(async (opts: MaintenanceOpts, cmd: Command) => {
        const { output } = cmd.optsWithGlobals<GlobalOptions>();
        const { switchMaintenance, validateMaintenance } = engine.maintenance();
        const req = {
          switch: which,
          env: opts.env,
          reason: opts.reason ?? null,
          actor: actorOf(ctx, opts.actor),
          buildUrl: opts.buildUrl ?? null,
          jenkinsApprover: opts.jenkinsApprover ?? null,
          dryRun: opts.dryRun ?? false,
        };
        validateMaintenance({ platform: ctx.platform() }, req);
        printOverrides(ctx, ctx.platform().overrides);
        const deps = await releaseDeps(ctx, req.actor, { notify: true });
        const switched = await switchMaintenance(deps, {
          ...req,
          actor: await identifiedActor(deps, req.actor),
        }).catch((err: unknown) => {
          // Off when already off asks for what is already so: exit 0, nothing changed or recorded
          // (exit 4 means another switch holds the lease).
          if (which === 'off' && (err as { alreadyOff?: unknown }).alreadyOff === true) return err as Error;
          throw err;
        });
        if (switched instanceof Error) {
          if (output === 'json') printJson(ctx.io, { switch: which, env: req.env, outcome: 'already-off' });
          else ctx.io.stdout(`${switched.message}\n`);
          return;
        }
        const { result, failure } = switched;
        printMaintenance(ctx.io, output, result);
        // A dry run a gate would refuse exits as the refusal would (3), after showing the plan.
        if (result.gates.some((g) => !g.ok)) throw new (engine.gates().GateRefusedError)(result.gates);
        if (failure) throw new RunFailedError(failure);
      });
  }
}

export function printMaintenance(io: Io, output: string, r: MaintenanceResult): void {
  if (output === 'json') {
    printJson(io, r);
    return;
  }
  const lines = [
    `maintenance ${r.switch} in ${r.env}: ${r.outcome}`,
    `  listener: ${r.listenerArn}`,
    `  reason:   ${r.reason}`,
  ];
  if (r.restores) lines.push(`  restores: the rules kept by ledger #${r.restores}`);
  if (r.maintenanceRule) lines.push(`  503 rule: ${r.maintenanceRule}`);
  if (r.detail) lines.push(`  detail: ${r.detail}`);
  if (r.ledger.length > 0) lines.push(`  ledger records: ${r.ledger.map((s) => `#${s}`).join(', ')}`);
  if (r.settled.length > 0)
    lines.push(`  settled cut-short switches: ${r.settled.map((s) => `#${s}`).join(', ')}`);
  lines.push('', r.outcome === 'planned' ? 'Would:' : 'Plan:', ...r.plan.map((l) => `  ${l}`));
  io.stdout(lines.join('\n') + '\n');
  printGates(io, r.gates);
  if (r.unexpectedRules.length > 0)
    io.stdout(
      `\nLeft in place (appeared while maintenance was on; look at them):\n${r.unexpectedRules.map((a) => `  ${a}`).join('\n')}\n`,
    );
  printNotifications(io, r.notifications);
  if (r.outcome === 'succeeded')
    io.stdout(
      r.switch === 'on'
        ? `\nNext: tdr maintenance off --env ${r.env} when the service is back\n`
        : `\nNext: tdr status --env ${r.env}\n`,
    );
}
