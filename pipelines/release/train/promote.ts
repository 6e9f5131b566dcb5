/**
 * `tdr train approve | promote | rollback` (issue 26). One approval covers the train: it is one
 * `tdr approve` per member, written by the approver in one command, so each member's own saga
 * checks four eyes exactly as a single promotion does (../saga/gates.ts). Members go out in the
 * plan's order, each through its strategy's public entry point (the same the CLI's promote calls:
 * leases, write-ahead, settlement, and whatever delivery the service has); the first that does
 * not succeed stops the train, and the members already promoted are rolled back in reverse order
 * through the same entry points. The train's stream records each step, so the ledger says what
 * went out and what was put back.
 */
import { randomUUID } from 'node:crypto';
import { leasesOf, workloadEnv, ledgerOf, type ReleaseDeps } from '../saga/context';
import { GateRefusedError } from '../saga/gates';
import { approve } from '../admin/approve';
import { releaseService } from '../strategies/ecs-service-rollout';
import { releaseFunction } from '../strategies/lambda-alias-shift';
import { runTask } from '../strategies/ecs-task-run';
import { PlatformError } from '../../../services/errors';
import {
  TRAIN_SUBJECT,
  currentRelease,
  unsettledRuns,
  type TrainMember,
  type TrainRecord,
} from '../ledger/ledger';
import { recordedTrain } from './plan';
import { postToSlack, type NotificationReport } from '../notify';
import { redactUrls } from '../../../services/redact';
import { trainHolder, type TrainPass } from '../saga/train-lease';
import { throughThePause } from './held';

type Progress = TrainRecord['progress'][number];
/**
 * A run of the train: its request, the pass its members carry through its lease, and each
 * member's approval record from the train's approval (name → seq), which continues a member ECS
 * holds at its approval pause (./held.ts).
 */
type MemberRun = TrainRunRequest & {
  readonly pass: TrainPass;
  readonly approvals: ReadonlyMap<string, number>;
};

export interface TrainRunRequest {
  readonly trainId: string;
  readonly to: string;
  readonly actor: string;
  readonly buildUrl?: string | null | undefined;
}

export interface TrainRunResult {
  readonly trainId: string;
  readonly env: string;
  readonly action: 'promote' | 'rollback';
  /** `held`: a member ECS holds at its approval pause with no approval to continue it; the train stays open. */
  readonly outcome: 'succeeded' | 'failed' | 'rolled_back' | 'held';
  readonly progress: readonly Progress[];
  readonly detail: string | null;
  /** The train stream's records this run wrote. */
  readonly ledger: readonly number[];
  /** The one Slack summary of the train (members' own Slack messages are held back). */
  readonly notifications?: readonly NotificationReport[];
}

/**
 * One Slack message per train, not one per member: the members run with Slack held back (their
 * Grafana annotations still mark each change on the dashboards), and the train posts its summary.
 */
async function summarised(
  deps: ReleaseDeps,
  actor: string,
  run: (quiet: ReleaseDeps) => Promise<TrainRunResult>,
): Promise<TrainRunResult> {
  const quiet: ReleaseDeps = { ...deps, notifier: { ...deps.notifier, slackWebhookUrl: undefined } };
  const r = await run(quiet);
  const slack = await postToSlack({ text: trainSummary(r, actor) }, deps.notifier);
  return { ...r, notifications: [{ ...slack, detail: redactUrls(slack.detail) }] };
}

/** The train's Slack line: outcome, then each member and what happened to it. */
export function trainSummary(r: TrainRunResult, actor: string): string {
  const icon = r.outcome === 'succeeded' ? ':white_check_mark:' : ':x:';
  const members = r.progress.map((p) => `${p.name} ${p.action} ${p.outcome}`).join(', ');
  return `${icon} release train ${r.trainId} ${r.action} to ${r.env}: ${r.outcome} (by ${actor}) — ${members}${r.detail ? ` — ${r.detail}` : ''}`;
}

/** A train that cannot start: a member's gate refuses, or it was already promoted. */
export class TrainRefusedError extends GateRefusedError {}

/** One approval for the whole train: an approval record per service and function member. */
export async function approveTrain(
  deps: Pick<ReleaseDeps, 'clients' | 'platform' | 'now'>,
  req: Omit<TrainRunRequest, 'buildUrl'> & { readonly jenkinsApprover?: string; readonly buildUrl?: string },
): Promise<TrainRecord> {
  const to = workloadEnv(req.to);
  const { plan } = await recordedTrain(deps, to, req.trainId);
  const progress: Progress[] = [];
  for (const m of plan.members) {
    if (m.kind === 'task') continue;
    const rec = await approve(deps, {
      service: m.name,
      env: to,
      version: m.version,
      jenkinsApprover: req.jenkinsApprover,
      buildUrl: req.buildUrl,
    });
    if (rec.digest !== m.digest)
      throw new TrainRefusedError([
        {
          gate: 'same digest',
          ok: false,
          detail: `${m.name} ${m.version} now resolves to ${rec.digest}, but the train tested ${m.digest}: plan a new train`,
        },
      ]);
    progress.push({ name: m.name, action: 'approve', outcome: 'approved', ledger: [rec.seq], detail: null });
  }
  return (await ledgerOf(deps).append({
    ...trainBase(plan, req.actor),
    action: 'approve',
    outcome: 'recorded',
    runId: null,
    progress,
    detail: null,
  })) as TrainRecord;
}

function trainBase(plan: TrainRecord, actor: string) {
  return {
    kind: 'train' as const,
    service: TRAIN_SUBJECT,
    env: plan.env,
    version: plan.version,
    digest: '',
    actor,
    sourceEnv: plan.sourceEnv,
    members: plan.members,
    leftOut: plan.leftOut,
  };
}

/** The newest promote or rollback step of a train, if any. */
function lastRun(records: readonly TrainRecord[], trainId: string): TrainRecord | undefined {
  return records
    .filter((r) => r.version === trainId && (r.action === 'promote' || r.action === 'rollback'))
    .at(-1);
}

/** Promotes every member in order; on the first failure rolls the promoted ones back, newest first. */
export function promoteTrain(deps: ReleaseDeps, req: TrainRunRequest): Promise<TrainRunResult> {
  return summarised(deps, req.actor, (quiet) => promoteQuietly(quiet, req));
}

async function promoteQuietly(deps: ReleaseDeps, req: TrainRunRequest): Promise<TrainRunResult> {
  const to = workloadEnv(req.to);
  const { plan, records } = await recordedTrain(deps, to, req.trainId);
  const trains = records.filter((r): r is TrainRecord => r.kind === 'train');
  const last = lastRun(trains, req.trainId);
  if (last?.action === 'promote' && last.outcome === 'succeeded')
    throw new TrainRefusedError([
      {
        gate: 'train',
        ok: false,
        detail: `${req.trainId} already went out (ledger ${TRAIN_SUBJECT}/${to} #${last.seq}); tdr train rollback --train ${req.trainId} undoes it`,
      },
    ]);
  // A promotion with no outcome crashed (its lease, taken below, says it is not still running):
  // this run settles it from what runs and resumes it.
  const crashed = last?.action === 'promote' && isOpen(last) ? last : undefined;
  const refused = plan.members.flatMap((m) =>
    m.gates.filter((g) => !g.ok).map((g) => ({ ...g, gate: `${m.name}: ${g.gate}` })),
  );
  if (refused.length > 0) throw new TrainRefusedError(refused);

  // One approval per run where the environment's releases need an approver: a train approval
  // recorded since the train last moved (each member's saga checks four eyes on the approval
  // records it wrote). Where they need none (staging), neither does the train.
  const needsApproval = Boolean(deps.platform.environments[to].promotion?.approval);
  const finished = trains
    .filter(
      (r) => r.version === req.trainId && (r.action === 'promote' || r.action === 'rollback') && !isOpen(r),
    )
    .at(-1);
  const approved = trains.find(
    (r) => r.version === req.trainId && r.action === 'approve' && r.seq > (finished?.seq ?? 0),
  );
  if (needsApproval && !approved)
    throw new TrainRefusedError([
      {
        gate: 'approval',
        ok: false,
        detail: `${req.trainId} needs one approval by one of ${to}'s approvers${last ? ' since it last ran' : ''}: tdr train approve --train ${req.trainId} --to ${to}`,
      },
    ]);
  const runId = randomUUID();
  const leases = leasesOf(deps);
  // Long enough for one member's whole run; renewed before each member.
  const ttl = deps.timeoutMs + deps.leaseTtlMs;
  // The lease names the members: a single release of one is refused while it is held (../saga).
  const names = plan.members.map((m) => m.name);
  let lease = await leases.acquire(TRAIN_SUBJECT, to, trainHolder(req.trainId, req.actor), runId, ttl, names);
  try {
    const out = crashed ? await whatRuns(deps, plan, 'resume') : new Set<string>();
    const approvals = new Map(
      (approved?.progress ?? []).flatMap((p) =>
        p.action === 'approve' && p.ledger[0] !== undefined ? [[p.name, p.ledger[0]] as const] : [],
      ),
    );
    const member = { ...req, pass: { trainId: req.trainId, runId }, approvals };
    const renew = async () => {
      lease = await leases.renew(lease, ttl);
    };
    return await runTrain(deps, member, plan, runId, { crashed, out }, renew);
  } finally {
    await leases.release(lease);
  }
}

/** Appends one step of the train's run (its progress so far) to the train stream. */
function stepper(
  deps: ReleaseDeps,
  plan: TrainRecord,
  actor: string,
  runId: string,
  progress: readonly Progress[],
  written: number[],
) {
  const ledger = ledgerOf(deps);
  return async (outcome: TrainRecord['outcome'], action: 'promote' | 'rollback', detail: string | null) => {
    const rec = await ledger.append({
      ...trainBase(plan, actor),
      action,
      outcome,
      runId,
      progress: [...progress],
      detail,
      identity: await deps.clients.callerIdentity(),
      overrides: [...deps.platform.overrides],
    });
    written.push(rec.seq);
  };
}

async function runTrain(
  deps: ReleaseDeps,
  req: MemberRun,
  plan: TrainRecord,
  runId: string,
  settle: { readonly crashed: TrainRecord | undefined; readonly out: ReadonlySet<string> },
  renew: () => Promise<void>,
): Promise<TrainRunResult> {
  const to = plan.env;
  const written: number[] = [];
  const progress: Progress[] = [];
  const step = stepper(deps, plan, req.actor, runId, progress, written);
  // Write-ahead: the train's start is on record before any member moves.
  await step(
    'started',
    'promote',
    settle.crashed
      ? `settles crashed run ${settle.crashed.runId} (ledger #${settle.crashed.seq}): from what runs in ${to}, already out: ${[...settle.out].join(', ') || 'none'}; resuming the rest`
      : null,
  );
  const ended = (outcome: TrainRunResult['outcome'], detail: string | null): TrainRunResult => ({
    trainId: req.trainId,
    env: to,
    action: 'promote',
    outcome,
    progress,
    detail,
    ledger: written,
  });
  let failure: string | null = null;
  const promoted: TrainMember[] = [];
  for (const m of plan.members) {
    if (settle.out.has(m.name)) {
      const why = 'went out before the crash (what runs says so)';
      progress.push(memberProgress(m, 'promote', 'succeeded', [], why));
      promoted.push(m);
      continue;
    }
    await renew();
    deps.log(`train ${req.trainId}: promoting ${m.name} ${m.version} (${m.kind})`);
    const done = await moveMember(deps, m, to, 'promote', m.version, req, renew);
    progress.push(done.progress);
    if (done.held) {
      // Not out and not failed: ECS holds it. The train stays open (never `succeeded`) for a resume.
      await step('progress', 'promote', done.held);
      deps.log(`train ${req.trainId}: stopped open: ${done.held}`);
      return ended('held', done.held);
    }
    if (done.failure) {
      failure = `${m.name}: ${done.failure}`;
      break;
    }
    promoted.push(m);
    await step('progress', 'promote', null);
  }
  if (!failure) {
    await step('succeeded', 'promote', null);
    return ended('succeeded', null);
  }
  deps.log(`train ${req.trainId}: ${failure}; rolling back ${promoted.length} member(s) in reverse order`);
  const undone = await rollBack(deps, promoted, to, req, progress);
  const outcome = undone ? 'rolled_back' : 'failed';
  const detail = `${failure}${undone ? '; every promoted member was rolled back' : '; NOT every member could be rolled back: see progress'}`;
  await step(outcome, 'promote', detail);
  return ended(outcome, detail);
}

/** Rolls `members` back to what ran before them, newest first; false when one could not be. */
async function rollBack(
  deps: ReleaseDeps,
  members: readonly TrainMember[],
  to: string,
  req: MemberRun,
  progress: Progress[],
): Promise<boolean> {
  let all = true;
  for (const m of [...members].reverse()) {
    if (m.kind === 'task' || !m.before) {
      // A task run (a migration) cannot be unrun, and a first release has nothing to go back to.
      progress.push({
        name: m.name,
        action: 'rollback',
        outcome: 'not undone',
        ledger: [],
        detail:
          m.kind === 'task'
            ? `${m.name} ${m.version} ran; a task run is not undone (migrations must stay compatible with the version before)`
            : `${m.name} ran nothing in ${to} before: nothing to roll back to`,
      });
      if (m.kind !== 'task') all = false;
      continue;
    }
    deps.log(`train ${req.trainId}: rolling ${m.name} back to ${m.before.version}`);
    const done = await moveMember(deps, m, to, 'rollback', m.before.version, req);
    progress.push(done.progress);
    if (done.failure) all = false;
  }
  return all;
}

/**
 * One member through its strategy's entry point; a refusal or failure is its outcome, not a throw.
 * `held`: ECS holds a promoted service at its approval pause and the train has no approval to
 * continue it with (./held.ts), so it is neither out nor failed.
 */
async function moveMember(
  deps: ReleaseDeps,
  m: TrainMember,
  env: string,
  action: 'promote' | 'rollback',
  version: string,
  req: MemberRun,
  renew: () => Promise<void> = async () => undefined,
): Promise<{ progress: Progress; failure: string | null; held?: string }> {
  const common = {
    env,
    version,
    actor: req.actor,
    buildUrl: req.buildUrl ?? null,
    wait: true,
    train: req.pass,
  };
  try {
    if (m.kind === 'task') {
      const r = await runTask(deps, { task: m.name, ...common });
      return {
        progress: {
          name: m.name,
          action: 'task-run',
          outcome: r.result.outcome,
          ledger: [...r.result.ledger],
          detail: r.failure,
        },
        failure: r.failure,
      };
    }
    if (m.kind !== 'lambda') {
      const r = await releaseService(deps, { action, service: m.name, ...common });
      if (r.result.awaitingApproval && !r.failure) {
        const held = { trainId: req.trainId, name: m.name, version, env, actor: req.actor };
        if (action === 'rollback') {
          // The train's approval is of its versions, not of the ones before: an approver continues it.
          const why = `${m.name} is held by ECS at its approval pause rolling back to ${version}: tdr approve --service ${m.name} --env ${env} --version ${version} continues it`;
          return {
            progress: memberProgress(m, action, 'awaiting approval', r.result.ledger, why),
            failure: why,
          };
        }
        const p = await throughThePause(
          deps,
          { ...held, ledger: r.result.ledger, approvalSeq: req.approvals.get(m.name) },
          renew,
        );
        return p.kind === 'held'
          ? { progress: p.progress, failure: null, held: p.why }
          : { progress: p.progress, failure: p.failure };
      }
      return {
        progress: memberProgress(m, action, r.result.outcome, r.result.ledger, r.failure),
        failure: r.failure,
      };
    }
    const r = await releaseFunction(deps, { action, service: m.name, ...common });
    return {
      progress: {
        name: m.name,
        action,
        outcome: r.result.outcome,
        ledger: [...r.result.ledger],
        detail: r.failure,
      },
      failure: r.failure,
    };
  } catch (err) {
    // A refusal (a gate, a lease held by someone else) or an error: this member did not move.
    if (!(err instanceof PlatformError)) throw err;
    const detail = err.message;
    return { progress: { name: m.name, action, outcome: err.kind, ledger: [], detail }, failure: detail };
  }
}

function memberProgress(
  m: TrainMember,
  action: string,
  outcome: string,
  ledger: readonly number[],
  detail: string | null,
): Progress {
  return { name: m.name, action, outcome, ledger: [...ledger], detail };
}

/** By hand, after a train went out: every member back to what ran before it, in reverse order. */
export function rollbackTrain(deps: ReleaseDeps, req: TrainRunRequest): Promise<TrainRunResult> {
  return summarised(deps, req.actor, (quiet) => rollbackQuietly(quiet, req));
}

async function rollbackQuietly(deps: ReleaseDeps, req: TrainRunRequest): Promise<TrainRunResult> {
  const to = workloadEnv(req.to);
  const { plan, records } = await recordedTrain(deps, to, req.trainId);
  const last = lastRun(
    records.filter((r): r is TrainRecord => r.kind === 'train'),
    req.trainId,
  );
  if (!last || last.outcome === 'rolled_back' || (last.action === 'rollback' && !isOpen(last)))
    throw new TrainRefusedError([
      {
        gate: 'train',
        ok: false,
        detail: last
          ? `${req.trainId}'s last step is ${last.action} ${last.outcome} (ledger #${last.seq}): nothing of it is out to roll back`
          : `${req.trainId} was never promoted: nothing to roll back`,
      },
    ]);
  // What went out: after a promotion that succeeded, the members it recorded as succeeded; after
  // a crash (of a promotion or of a rollback), or a run whose own rollback did not finish
  // (`failed`: e.g. stopped by SIGTERM, a Jenkins abort, mid-member), what runs says: the member
  // it was moving may be out, or open, with no `succeeded` in the train's progress.
  const out =
    isOpen(last) || last.outcome === 'failed'
      ? await whatRuns(deps, plan, 'rollback')
      : new Set(
          last.progress
            .filter((p) => p.action !== 'rollback' && p.outcome === 'succeeded')
            .map((p) => p.name),
        );
  const members = plan.members.filter((m) => out.has(m.name));
  const runId = randomUUID();
  const progress: Progress[] = [];
  const ledger = ledgerOf(deps);
  const written: number[] = [];
  const step = async (outcome: TrainRecord['outcome'], detail: string | null) => {
    const rec = await ledger.append({
      ...trainBase(plan, req.actor),
      action: 'rollback',
      outcome,
      runId,
      progress: [...progress],
      detail,
      identity: await deps.clients.callerIdentity(),
      overrides: [...deps.platform.overrides],
    });
    written.push(rec.seq);
  };
  // The train's lease: no rollback while a run of it is alive (exit 4 until a crashed one's expires).
  const leases = leasesOf(deps);
  const lease = await leases.acquire(
    TRAIN_SUBJECT,
    to,
    trainHolder(req.trainId, req.actor),
    runId,
    deps.timeoutMs * Math.max(1, members.length) + deps.leaseTtlMs,
    plan.members.map((m) => m.name),
  );
  let all: boolean;
  try {
    await step(
      'started',
      isOpen(last)
        ? `settles crashed run ${last.runId} (ledger #${last.seq}) by rolling back what runs`
        : null,
    );
    const pass = { trainId: req.trainId, runId };
    all = await rollBack(deps, members, to, { ...req, pass, approvals: new Map() }, progress);
  } finally {
    await leases.release(lease);
  }
  const outcome = all ? 'succeeded' : 'failed';
  const detail = all ? null : 'NOT every member could be rolled back: see progress';
  await step(outcome, detail);
  return { trainId: req.trainId, env: to, action: 'rollback', outcome, progress, detail, ledger: written };
}

function isOpen(r: TrainRecord): boolean {
  return r.outcome === 'started' || r.outcome === 'progress';
}

/**
 * Which members run in the target now, from each member's own ledger (which its saga keeps true to
 * ECS and the alias). To resume, a member counts as out only when its digest is live there and no
 * run of it is open (an open one is settled by the member's own saga when the train moves it
 * again); to roll back, an open run of its digest counts as out too, for the same reason.
 */
async function whatRuns(
  deps: Pick<ReleaseDeps, 'clients' | 'now'>,
  plan: TrainRecord,
  purpose: 'resume' | 'rollback',
): Promise<Set<string>> {
  const ledger = ledgerOf(deps);
  const out = new Set<string>();
  await Promise.all(
    plan.members.map(async (m) => {
      const { records } = await ledger.view(m.name, plan.env);
      const open =
        m.kind === 'task'
          ? records.some(
              (r) =>
                r.kind === 'task' &&
                r.digest === m.digest &&
                (r.outcome === 'started' || r.outcome === 'running'),
            ) && !records.some((r) => r.kind === 'task' && r.digest === m.digest && r.outcome === 'succeeded')
          : unsettledRuns(records).some((r) => r.digest === m.digest);
      const live =
        m.kind === 'task'
          ? records.filter((r) => r.kind === 'task' && r.outcome === 'succeeded').at(-1)?.digest === m.digest
          : currentRelease(records)?.digest === m.digest;
      if (purpose === 'resume' ? live && !open : live || open) out.add(m.name);
    }),
  );
  return out;
}
