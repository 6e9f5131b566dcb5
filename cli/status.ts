/** `tdr status`: per service × environment, the ledger against what ECS really runs. */
import type { Command } from 'commander';
import { naming } from '../services/naming';
import { entryOfKind, namesOfKind, workloadEnvironmentNames } from '../services/queries';
import type { FunctionStatusRow } from '../pipelines/release/reads/function-status';
import type { MaintenanceStatus } from '../pipelines/release/reads/maintenance-status';
import type { StatusRow } from '../pipelines/release/reads/status';
import type { RejectionRecord } from '../pipelines/release/ledger/ledger';
import type { CliContext, GlobalOptions } from './context';
import { envOption, modelChoiceOption } from './context';
import { engine, releaseDeps } from './release-wiring';
import { printJson, renderTable } from './output';
import { digestColumn } from '../pipelines/release/verdict';

export function register(program: Command, ctx: CliContext): void {
  program
    .command('status')
    .description(
      "what the ledger says is live, what ECS (or a function's live alias) runs, drift, age, who, and how far behind each environment is",
    )
    .addOption(envOption(ctx))
    .addOption(
      modelChoiceOption(
        ctx,
        '--service <service>',
        'catalogue service or function, or maintenance (the switch)',
        (p) => [...namesOfKind(p.catalogue, 'service', 'lambda'), naming.maintenanceSubject()],
      ),
    )
    .addHelpText(
      'after',
      '\nExamples:\n  $ tdr status\n  $ tdr status --env prod -o json\n  $ tdr status --service maintenance   # the service-unavailable switch, and its lease',
    )
    .action(async (opts: { env?: string; service?: string }, cmd: Command) => {
      const { output } = cmd.optsWithGlobals<GlobalOptions>();
      const deps = await releaseDeps(ctx, ctx.env.USER || 'status', { readOnly: true });
      const switchOnly = opts.service === naming.maintenanceSubject();
      const fn =
        !switchOnly &&
        opts.service !== undefined &&
        !!entryOfKind(ctx.platform().catalogue, opts.service, 'lambda');
      const envs = opts.env ? [opts.env] : workloadEnvironmentNames(ctx.platform().environments);
      const [rows, functions, maintenance] = await Promise.all([
        fn || switchOnly ? [] : engine.status().status(deps, opts),
        switchOnly || (opts.service !== undefined && !fn)
          ? []
          : engine.functionStatus().functionStatus(deps, opts),
        engine.maintenanceStatus().maintenanceStatus(deps, envs),
      ]);
      // Trains (issue 26): the newest per environment, the one in flight member by member.
      const trains = engine.trainStatus();
      const trainRows = await trains.trainStatus(deps, envs);
      // Rejected versions (issue 26) hold in every environment: each row names its subject's.
      const rejected = await engine
        .reject()
        .rejections(deps, [...new Set([...rows, ...functions].map((r) => r.service))]);
      // Each row says whether its environment is in maintenance: machines read it there.
      const byEnv = new Map<string, MaintenanceStatus>(maintenance.map((m) => [m.env, m]));
      const withMaintenance = <R extends { env: string; service: string }>(r: R) => ({
        ...r,
        maintenance: byEnv.get(r.env) ?? null,
        train: trainRows.find((t) => t.env === r.env) ?? null,
        rejected: (rejected.get(r.service) ?? []).map(({ version, approver, reason, recordedAt, seq }) => ({
          version,
          approver,
          reason,
          recordedAt,
          seq,
        })),
      });
      if (output === 'json')
        printJson(ctx.io, switchOnly ? maintenance : [...rows, ...functions].map(withMaintenance));
      else
        ctx.io.stdout(
          [
            ...(fn || switchOnly ? [] : [renderStatus(rows)]),
            ...(functions.length > 0 ? [renderFunctionStatus(functions)] : []),
            renderMaintenance(maintenance),
            renderRejections(rejected),
            trains.renderTrainStatus(trainRows),
          ].join('\n'),
        );
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
      r.digest && digestColumn(r.digest),
      (r.ecs.digest && digestColumn(r.ecs.digest)) ?? r.ecs.image,
      r.ecs.running === null ? null : `${r.ecs.running}/${r.ecs.desired}`,
      r.ecs.rollout,
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
    ...(r.ecs.deployment
      ? [
          `deploying ${r.service}/${r.env}: ${engine.stages().describeStage(r.ecs.deployment)}` +
            (r.ecs.deployment.awaitingApproval
              ? `: run tdr approve --service ${r.service} --env ${r.env} (or tdr rollback --service ${r.service} --env ${r.env})`
              : ''),
        ]
      : []),
  ]);
  return table + (notes.length > 0 ? '\n' + notes.join('\n') + '\n' : '');
}

/** Each rejected version, a line: refused by every gate in every environment until unrejected. */
export function renderRejections(rejected: ReadonlyMap<string, readonly RejectionRecord[]>): string {
  const lines = [...rejected].flatMap(([subject, rs]) =>
    rs.map(
      (r) =>
        `REJECTED ${subject} ${r.version}: by ${r.approver} at ${r.recordedAt} (ledger rejections #${r.seq}): ${r.reason} — refused everywhere; tdr unreject --service ${subject} --version ${r.version} --reason "…"`,
    ),
  );
  return lines.length > 0 ? lines.join('\n') + '\n' : '';
}

/**
 * An environment in maintenance, and whatever is wrong with the switch, a line each; nothing for
 * an environment that is simply not in maintenance.
 */
export function renderMaintenance(rows: readonly MaintenanceStatus[]): string {
  const lines = rows.flatMap((m) => [
    ...(m.on
      ? [
          `MAINTENANCE ${m.env}: ON since ${m.since} by ${m.by} (ledger #${m.seq}): ${m.reason} — every request gets the service-unavailable page; end it with tdr maintenance off --env ${m.env}`,
        ]
      : []),
    ...(m.lease
      ? [
          `lease maintenance/${m.env}: ${m.lease.expired ? 'expired, ' : ''}held by ${m.lease.holder} since ${m.lease.acquiredAt} until ${m.lease.expiresAt}: tdr maintenance on/off waits for it (exit 4)${m.lease.expired ? '; the next switch takes an expired lease over' : ''}. If that run is gone: tdr lease break --service maintenance --env ${m.env} --reason "…"`,
        ]
      : []),
    ...m.drift.map((d) => `drift maintenance/${m.env}: ${d}`),
    ...m.problems.map((p) => `degraded maintenance/${m.env}: ${p}`),
    ...m.unsettled.map(
      (seq) =>
        `unsettled maintenance/${m.env}: ledger #${seq} has no outcome; the next tdr maintenance settles it from the listener`,
    ),
  ]);
  return lines.length > 0 ? lines.join('\n') + '\n' : '';
}

/** Function rows: the ledger's SHA-256 against what the `live` alias runs. */
export function renderFunctionStatus(rows: readonly FunctionStatusRow[]): string {
  const { age } = engine.status();
  const table = renderTable(
    ['FUNCTION', 'ENV', 'LEDGER', 'SHA256', 'LIVE', 'LIVE SHA256', 'DRIFT', 'AGE', 'BY'],
    rows.map((r) => [
      r.service,
      r.env,
      r.version,
      r.sha256?.slice(0, 12),
      r.lambda.aliasVersion,
      r.lambda.sha256?.slice(0, 12),
      r.drift.length > 0 ? 'DRIFT' : 'ok',
      age(r.ageMinutes),
      r.deployedBy,
    ]),
  );
  const notes = rows.flatMap((r) => [
    ...r.drift.map((d) => `drift ${r.service}/${r.env}: ${d}`),
    ...r.problems.map((p) => `degraded ${r.service}/${r.env}: ${p}`),
    ...(r.lease ? [`lease ${r.service}/${r.env}: held by ${r.lease.holder} until ${r.lease.expiresAt}`] : []),
    ...r.unsettled.map(
      (u) =>
        `unsettled ${r.service}/${r.env}: run ${u.runId} (${u.version} by ${u.actor}, ledger #${u.seq}) has no outcome`,
    ),
  ]);
  return table + (notes.length > 0 ? '\n' + notes.join('\n') + '\n' : '');
}
