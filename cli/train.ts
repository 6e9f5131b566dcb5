/**
 * `tdr train plan | approve | promote | rollback` (issue 26): a tested set promoted as one, with
 * one approval and a joint rollback.
 */
import { Option, type Command } from 'commander';
import type { CliContext, GlobalOptions } from './context';
import {
  actorOf,
  identifiedActor,
  printNotifications,
  printOverrides,
  releaseDeps,
  RunFailedError,
} from './release-wiring';
import { printJson, renderTable } from './output';

/* eslint-disable @typescript-eslint/no-require-imports */
const train = {
  plan: () => require('../pipelines/release/train/plan') as typeof import('../pipelines/release/train/plan'),
  promote: () =>
    require('../pipelines/release/train/promote') as typeof import('../pipelines/release/train/promote'),
};
/* eslint-enable @typescript-eslint/no-require-imports */

const toOption = () => new Option('--to <env>', 'the environment the train goes to').default('prod');
const trainOption = () =>
  new Option('--train <id>', 'the train id tdr train plan printed').makeOptionMandatory();

export function register(program: Command, ctx: CliContext): void {
  const cmd = program
    .command('train')
    .description(
      'release trains: what runs in staging and differs from prod, promoted as one tested set, with one approval and a joint rollback',
    );
  registerPlan(cmd, ctx);
  registerApprove(cmd, ctx);
  for (const action of ['promote', 'rollback'] as const) registerRun(cmd, ctx, action);
}

function registerPlan(cmd: Command, ctx: CliContext): void {
  cmd
    .command('plan')
    .description(
      'list (and record in the ledger) what runs in --from and differs from --to, in dependency order, each member with its gates; prints the train id',
    )
    .addOption(new Option('--from <env>', 'the environment the train was tested in').default('staging'))
    .addOption(toOption())
    .option('--actor <name>', 'a display name (Jenkins passes the build user)')
    .action(async (opts: { from: string; to: string; actor?: string }, c: Command) => {
      const { output } = c.optsWithGlobals<GlobalOptions>();
      const { planTrain, validateTrain } = train.plan();
      validateTrain({ platform: ctx.platform() }, opts);
      const actor = actorOf(ctx, opts.actor);
      const deps = await releaseDeps(ctx, actor);
      const plan = await planTrain(deps, { ...opts, actor: await identifiedActor(deps, actor) });
      if (output === 'json') return printJson(ctx.io, plan);
      if (plan.members.length === 0)
        ctx.io.stdout(`nothing in ${plan.from} differs from ${plan.to}: no train\n`);
      else
        ctx.io.stdout(
          `train ${plan.trainId}: ${plan.from} → ${plan.to}, ${plan.members.length} member(s) (ledger train/${plan.to} #${plan.seq})\n` +
            renderTable(
              ['#', 'MEMBER', 'KIND', 'VERSION', 'DIGEST', 'NOW', 'GATES'],
              plan.members.map((m, i) => [
                i + 1,
                m.name,
                m.kind === 'lambda' ? 'function' : m.kind,
                m.version,
                m.digest.slice(0, 19),
                m.before?.version ?? '(none)',
                m.gates.every((g) => g.ok)
                  ? 'ok'
                  : m.gates
                      .filter((g) => !g.ok)
                      .map((g) => `[NG] ${g.gate}: ${g.detail}`)
                      .join('; '),
              ]),
            ),
        );
      for (const l of plan.leftOut) ctx.io.stdout(`left out ${l.name} ${l.version}: ${l.why}\n`);
    });
}

function registerApprove(cmd: Command, ctx: CliContext): void {
  cmd
    .command('approve')
    .description("approve a whole train as yourself (one of the environment's approvers; not its promoter)")
    .addOption(trainOption())
    .addOption(toOption())
    .option('--jenkins-approver <user>', "Jenkins only: the input step's submitter")
    .option('--build-url <url>', 'the Jenkins build (required with --jenkins-approver)')
    .action(
      async (
        opts: { train: string; to: string; jenkinsApprover?: string; buildUrl?: string },
        c: Command,
      ) => {
        const { output } = c.optsWithGlobals<GlobalOptions>();
        const deps = await releaseDeps(ctx, opts.jenkinsApprover ?? 'approver');
        const rec = await train.promote().approveTrain(deps, {
          trainId: opts.train,
          to: opts.to,
          actor: await identifiedActor(deps, 'tdr'),
          ...(opts.jenkinsApprover ? { jenkinsApprover: opts.jenkinsApprover } : {}),
          ...(opts.buildUrl ? { buildUrl: opts.buildUrl } : {}),
        });
        if (output === 'json') return printJson(ctx.io, rec);
        ctx.io.stdout(
          `approved ${opts.train} for ${rec.env}: ${rec.progress.map((p) => `${p.name} (ledger #${p.ledger.join(',')})`).join(', ')}; ledger train/${rec.env} #${rec.seq}\n`,
        );
      },
    );
}

function registerRun(cmd: Command, ctx: CliContext, action: 'promote' | 'rollback'): void {
  cmd
    .command(action)
    .description(
      action === 'promote'
        ? 'promote every member in dependency order, each through its own saga; a failing member stops the train and the promoted ones are rolled back in reverse order'
        : 'roll back every member of a train that went out, in reverse order, to what ran before it',
    )
    .addOption(trainOption())
    .addOption(toOption())
    .option('--actor <name>', 'a display name (Jenkins passes the build user)')
    .option('--build-url <url>', 'the Jenkins build that ran this (recorded)')
    .action(async (opts: { train: string; to: string; actor?: string; buildUrl?: string }, c: Command) => {
      const { output } = c.optsWithGlobals<GlobalOptions>();
      printOverrides(ctx, ctx.platform().overrides);
      const actor = actorOf(ctx, opts.actor);
      const deps = await releaseDeps(ctx, actor, { notify: true });
      const req = {
        trainId: opts.train,
        to: opts.to,
        actor: await identifiedActor(deps, actor),
        buildUrl: opts.buildUrl ?? null,
      };
      const { promoteTrain, rollbackTrain } = train.promote();
      const r = action === 'promote' ? await promoteTrain(deps, req) : await rollbackTrain(deps, req);
      if (output === 'json') printJson(ctx.io, r);
      else
        ctx.io.stdout(
          `${r.action} ${r.trainId} → ${r.env}: ${r.outcome}${r.detail ? ` (${r.detail})` : ''}\n` +
            renderTable(
              ['MEMBER', 'ACTION', 'OUTCOME', 'LEDGER', 'DETAIL'],
              r.progress.map((p) => [
                p.name,
                p.action,
                p.outcome,
                p.ledger.map((s) => `#${s}`).join(','),
                p.detail,
              ]),
            ) +
            `train records: ${r.ledger.map((s) => `#${s}`).join(', ')}\n`,
        );
      if (output !== 'json') printNotifications(ctx.io, r.notifications ?? []);
      if (r.outcome === 'succeeded') return;
      const failed = new RunFailedError(r.detail ?? `${r.action} ${r.outcome}`);
      // Stopped by SIGINT/SIGTERM (a Jenkins abort), the member it was moving stopped at a
      // checkpoint and the train recorded its outcome: exit as the other commands do (130/143).
      const stopped: unknown = ctx.interrupts?.signal.aborted ? ctx.interrupts.signal.reason : undefined;
      throw stopped === 'SIGINT' || stopped === 'SIGTERM'
        ? Object.assign(failed, { signal: stopped })
        : failed;
    });
}
