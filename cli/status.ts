/** `tdr status`: per service × environment, the ledger against what ECS really runs. */
import type { Command } from 'commander';
import type { StatusRow } from '../pipelines/release/status';
import type { CliContext, GlobalOptions } from './context';
import { catalogueOption, envOption } from './context';
import { engine, releaseDeps } from './release-wiring';
import { printJson, renderTable } from './output';

export function register(program: Command, ctx: CliContext): void {
  program
    .command('status')
    .description(
      'what the ledger says is live, what ECS runs, drift, age, who, and how far behind each environment is',
    )
    .addOption(envOption(ctx))
    .addOption(catalogueOption(ctx, '--service <service>', 'catalogue service', ['service']))
    .addHelpText('after', '\nExamples:\n  $ tdr status\n  $ tdr status --env prod -o json')
    .action(async (opts: { env?: string; service?: string }, cmd: Command) => {
      const { output } = cmd.optsWithGlobals<GlobalOptions>();
      const deps = await releaseDeps(ctx, ctx.env.USER || 'status');
      const rows = await engine.status().status(deps, opts);
      if (output === 'json') printJson(ctx.io, rows);
      else ctx.io.stdout(renderStatus(rows));
    });
}

export function renderStatus(rows: readonly StatusRow[]): string {
  const { age } = engine.status();
  const table = renderTable(
    ['SERVICE', 'ENV', 'LEDGER', 'DIGEST', 'ECS', 'RUNNING', 'ROLLOUT', 'DRIFT', 'AGE', 'BY', 'BEHIND'],
    rows.map((r) => [
      r.service,
      r.env,
      r.branch ? `${r.version} [branch]` : r.version,
      r.digest?.slice(7, 19),
      r.ecs.digest?.slice(7, 19) ?? r.ecs.image,
      r.ecs.running === null ? null : `${r.ecs.running}/${r.ecs.desired}`,
      r.ecs.rolloutState,
      r.drift.length > 0 ? 'DRIFT' : 'ok',
      age(r.ageMinutes),
      r.deployedBy,
      r.behind === null ? null : `${r.behind} (${r.behindOf})`,
    ]),
  );
  const notes = rows.flatMap((r) => [
    ...(r.branch
      ? [
          `branch ${r.service}/${r.env}: runs branch build ${r.version}; the next release deployed replaces it`,
        ]
      : []),
    ...r.drift.map((d) => `drift ${r.service}/${r.env}: ${d}`),
    ...r.problems.map((p) => `degraded ${r.service}/${r.env}: ${p}`),
    ...(r.lease
      ? [
          `lease ${r.service}/${r.env}: ${r.lease.expired ? 'expired, ' : ''}held by ${r.lease.holder} until ${r.lease.expiresAt} (tdr lease break --service ${r.service} --env ${r.env} --reason "…")`,
        ]
      : []),
    ...r.unsettled.map(
      (u) =>
        `unsettled ${r.service}/${r.env}: run ${u.runId} (${u.version} by ${u.actor}, ledger #${u.seq}, started ${u.startedAt}) has no outcome; the next operation settles it from ECS`,
    ),
  ]);
  return table + (notes.length > 0 ? '\n' + notes.join('\n') + '\n' : '');
}
