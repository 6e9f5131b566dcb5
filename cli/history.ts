/** `tdr history`: one service × environment's ledger, newest first. */
import { InvalidArgumentError, type Command } from 'commander';
import type { HistoryEntry, RejectionRecord } from '../pipelines/release/ledger/ledger';
import type { CliContext, GlobalOptions } from './context';
import { envOption, modelChoiceOption } from './context';
import { TRAIN_SUBJECT } from '../services/naming';
import { ledgerSubjects } from '../services/queries';
import { engine, releaseDeps } from './release-wiring';
import { printJson, renderTable } from './output';
import { digestColumn } from '../pipelines/release/verdict';
import { renderRejections } from './status';

export function register(program: Command, ctx: CliContext): void {
  program
    .command('history')
    .description(
      'the release ledger of one environment, newest first, a page at a time: one service (or one-off task: its runs), or all of them',
    )
    .addOption(
      modelChoiceOption(
        ctx,
        '--service <service>',
        'catalogue service, function or task, maintenance (the switch), or train (the release trains into --env)',
        (p) => [...ledgerSubjects(p.catalogue), TRAIN_SUBJECT],
      ),
    )
    .addOption(envOption(ctx).makeOptionMandatory())
    .option(
      '--limit <n>',
      'how many records, newest first (default 20, at most 1000); with --service train, how many trains (default 10, at most 50)',
      wholeNumber,
    )
    .option(
      '--before <seq>',
      'only records numbered below this: the next page (needs --service)',
      wholeNumber,
    )
    .addHelpText(
      'after',
      '\nExamples:\n  $ tdr history --service frontend --env prod\n  $ tdr history --service frontend --env prod --before 120 --limit 50\n  $ tdr history --env prod     # every service and task, newest first\n  $ tdr history --service frontend --env prod -o json | jq ".[0]"\n  $ tdr history --service consignment-api-data --env intg\n  $ tdr history --service maintenance --env prod   # the service-unavailable switch\n  $ tdr history --service train --env prod --limit 5   # release trains into prod, newest first',
    )
    .action(
      async (opts: { service?: string; env: string; limit?: number; before?: number }, cmd: Command) => {
        const { output } = cmd.optsWithGlobals<GlobalOptions>();
        if (opts.service === TRAIN_SUBJECT) {
          await trainHistory(ctx, { ...opts, env: opts.env }, output);
          return;
        }
        const { history, validateHistory } = engine.status();
        validateHistory({ platform: ctx.platform() }, opts);
        const deps = await releaseDeps(ctx, ctx.env.USER || 'history', { readOnly: true });
        // Rejected versions (issue 26) hold everywhere: each row of one is marked, in line.
        const [records, rejected] = await Promise.all([
          history(deps, opts),
          opts.service
            ? engine
                .reject()
                .rejections(deps, [opts.service])
                .then((m) => m.get(opts.service ?? '') ?? [])
            : Promise.resolve([]),
        ]);
        if (output === 'json') {
          printJson(ctx.io, records);
          return;
        }
        const all = !opts.service;
        ctx.io.stdout(
          renderTable(
            [
              ...(all ? ['SERVICE'] : []),
              '#',
              'WHEN',
              'ACTION',
              'VERSION',
              'DIGEST',
              'OUTCOME',
              'ACTOR',
              'APPROVER',
              'FROM',
              'NOTE',
            ],
            records.map((r) => [...(all ? [r.service] : []), ...historyRow(r, rejected)]),
          ),
        );
        if (opts.service) ctx.io.stdout(renderRejections(new Map([[opts.service, rejected]])));
        const oldest = records.at(-1);
        if (opts.service && oldest && oldest.seq > 1 && records.length === (opts.limit ?? 20))
          ctx.io.stderr(
            `older: tdr history --service ${opts.service} --env ${opts.env} --before ${oldest.seq}\n`,
          );
      },
    );
}

/** A whole number option value, or commander's usage error (exit 2) naming it. */
function wholeNumber(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('must be a whole number');
  return Number(value);
}

/**
 * `tdr history --service train --env E`: the trains into E, newest first, a row each (its newest
 * step), then each member and what happened to it, and what it left out and why.
 */
async function trainHistory(
  ctx: CliContext,
  opts: { env: string; limit?: number; before?: number },
  output: GlobalOptions['output'],
): Promise<void> {
  const trains = engine.trainStatus();
  trains.validateTrainHistory(opts);
  const deps = await releaseDeps(ctx, ctx.env.USER || 'history', { readOnly: true });
  const page = await trains.trainHistory(deps, opts);
  if (output === 'json') {
    printJson(ctx.io, page);
    return;
  }
  ctx.io.stdout(
    renderTable(
      ['#', 'WHEN', 'TRAIN', 'STEP', 'OUTCOME', 'BY', 'FROM', 'MEMBERS', 'LEFT OUT'],
      page.trains.map((t) => [
        t.seq,
        t.at,
        t.trainId,
        t.action,
        t.inFlight ? 'in flight (or crashed)' : t.outcome,
        t.by,
        t.sourceEnv,
        t.members.map((m) => `${m.name} ${m.version}${m.outcome ? `: ${m.outcome}` : ''}`).join(', '),
        t.leftOut.map((l) => `${l.name} ${l.version}: ${l.why}`).join('; ') || null,
      ]),
    ),
  );
  for (const u of page.unreadable)
    ctx.io.stderr(`unreadable ${TRAIN_SUBJECT}/${opts.env} #${u.seq}: ${u.problem}\n`);
  if (page.before !== null && page.trains.length === (opts.limit ?? trains.DEFAULT_TRAIN_PAGE))
    ctx.io.stderr(`older: tdr history --service train --env ${opts.env} --before ${page.before}\n`);
}

/**
 * One ledger record as a row: checks, task runs and releases each say what matters of them; a
 * release of a version rejected now says so in its note (`rejected`: the subject's, in force).
 */
export function historyRow(r: HistoryEntry, rejected: readonly RejectionRecord[] = []): unknown[] {
  const row = historyRowOf(r);
  const rejection =
    r.kind === 'release' || r.kind === 'task' ? rejected.find((x) => x.version === r.version) : undefined;
  if (!rejection) return row;
  const mark = `REJECTED by ${rejection.approver} at ${rejection.recordedAt}: ${rejection.reason}`;
  return [...row.slice(0, -1), [mark, row.at(-1)].filter(Boolean).join('; ')];
}

function historyRowOf(r: HistoryEntry): unknown[] {
  if (r.kind === 'unreadable')
    return [r.seq, null, 'unreadable', null, null, null, null, null, null, r.problem];
  const row = (
    what: string,
    outcome: string,
    approver: string | null,
    from: string | null,
    note: unknown,
  ) => [r.seq, r.recordedAt, what, r.version, digestColumn(r.digest), outcome, r.actor, approver, from, note];
  if (r.kind === 'check') return row(`check ${r.name}`, r.result, null, null, r.url);
  if (r.kind === 'approval')
    return row(
      'approve',
      r.via === 'sts' ? 'approved (AWS identity)' : 'approved (Jenkins input)',
      r.approver,
      null,
      [r.identity, r.buildUrl].filter(Boolean).join(' '),
    );
  if (r.kind === 'rejection')
    return row(r.action, r.action === 'reject' ? 'rejected' : 'unrejected', r.approver, null, r.reason);
  if (r.kind === 'train')
    return row(
      `train ${r.action}`,
      r.outcome,
      null,
      r.sourceEnv,
      [r.members.map((m) => `${m.name} ${m.version}`).join(', '), r.detail].filter(Boolean).join('; '),
    );
  if (r.kind === 'lease')
    return row('lease break', 'broken', null, null, `held by ${r.holder} until ${r.expiresAt}: ${r.reason}`);
  if (r.kind === 'task') {
    const note = [
      r.inputs
        ? Object.entries(r.inputs)
            .map(([k, v]) => `${k}=${String(v)}`)
            .join(' ')
        : null,
      r.exitCode === null ? null : `exit ${r.exitCode}`,
      r.stopReason,
      r.outcome === 'running' ? r.taskArn : null,
      r.detail,
    ];
    return row(r.action, r.outcome, null, null, note.filter(Boolean).join('; ') || null);
  }
  if (r.kind === 'maintenance') {
    const note = [
      r.reason,
      r.restores ? `restores ledger #${r.restores}` : null,
      r.unexpectedRules.length > 0 ? `left in place: ${r.unexpectedRules.join(', ')}` : null,
      r.outcome === 'succeeded' ? null : r.detail,
    ];
    return row(
      r.action,
      r.outcome,
      r.approval?.approver ?? null,
      null,
      note.filter(Boolean).join('; ') || null,
    );
  }
  const note = [r.breakGlass ? `break-glass: ${r.reason}` : null, r.detail];
  return row(r.action, r.outcome, r.approver, r.sourceEnv, note.filter(Boolean).join('; ') || null);
}
