/**
 * `tdr maintenance on|off`: TDR's service-unavailable switch, as a strategy of the release saga
 * (same lease, write-ahead record, settling and notifications as a release), on the environment's
 * public HTTPS listener:
 *
 *   on:  read the listener's rules → (lease, write-ahead `started` keeping those rules) → create
 *        one rule ahead of all others answering 503 with the service-unavailable page → read the
 *        listener again: that rule is first → `succeeded`.
 *   off: the rules the newest successful "on" record kept → (lease, `started`) → put back what
 *        changed since, then delete the 503 rule last (no one sees a half-restored listener) → read
 *        the listener again: equal to the kept rules, field by field → `succeeded`. Rules that
 *        appeared meanwhile are left in place and named in the record and the output.
 *
 * Where the environment's releases need an approver (prod), so does the switch: the caller is one
 * of its approvers, or Jenkins recording the approver of its input step. The pure planning is
 * ./maintenance-listener.ts; the ELBv2 calls are ./elbv2.ts.
 */
import type { WorkloadEnvironmentName } from '../../../services/environments';
import { naming } from '../../../services/naming';
import { ledgerOf, workloadEnv, type ReleaseDeps } from '../saga/context';
import { LoadBalancers } from '../aws/elbv2';
import { ReleaseInputError } from '../errors';
import type { GateVerdict } from '../verdict';
import { callerRolePath, isApprover, isRole, needsRolePath, personName } from '../aws/identity';
import { maintenanceOn, type LedgerRecord, type MaintenanceRecord } from '../ledger/ledger';
import { LeaseLostError } from '../ledger/lease';
import { InterruptedError } from '../saga/guard';
import { checkBuildUrl } from '../saga/request';
import { REASON_MAX, textProblem } from '../../../services/input-bounds';
import {
  checkOff,
  checkOn,
  describeOff,
  describeOn,
  isMaintenanceRule,
  MaintenanceAlreadyOffError,
  MaintenancePlanError,
  planMaintenanceOff,
  planMaintenanceOn,
  serviceUnavailablePage,
  type MaintenanceOffPlan,
} from './maintenance-listener';
import type { ListenerSnapshot, MaintenanceRule } from '../aws/listener-rules';
import type { NotificationReport } from '../notify';
import {
  runSaga,
  type Acted,
  type Ending,
  type Finished,
  type Journal,
  type Prepared,
  type ReleaseStrategy,
  type SagaContext,
  type SagaRequest,
  type Settlement,
  type UnrecordedRun,
} from '../saga/saga';

export type MaintenanceSwitch = 'on' | 'off';

export interface MaintenanceRequest extends SagaRequest {
  readonly switch: MaintenanceSwitch;
  readonly env: string;
  /** Required for "on" (the page shows it); for "off", defaults to ending the "on" reason. */
  readonly reason?: string | null | undefined;
  readonly actor: string;
  readonly buildUrl?: string | null | undefined;
  /** Jenkins' input step submitter, recorded as the approver; only Jenkins' own role may pass it. */
  readonly jenkinsApprover?: string | null | undefined;
}

export interface MaintenanceResult {
  readonly switch: MaintenanceSwitch;
  readonly env: WorkloadEnvironmentName;
  readonly outcome: 'planned' | MaintenanceRecord['outcome'];
  readonly listenerArn: string;
  readonly reason: string;
  /** What the run does (or did), a line per change, in order. */
  readonly plan: readonly string[];
  readonly gates: readonly GateVerdict[];
  readonly maintenanceRule: string | null;
  /** Off: the "on" record whose rules it put back. */
  readonly restores: number | null;
  readonly unexpectedRules: readonly string[];
  readonly detail: string | null;
  readonly ledger: readonly number[];
  readonly settled: readonly number[];
  readonly notifications: readonly NotificationReport[];
}

/** Switches maintenance on or off in one environment. */
export function switchMaintenance(
  deps: ReleaseDeps,
  req: MaintenanceRequest,
): Promise<Finished<MaintenanceResult>> {
  return runSaga(deps, maintenanceSwitch, req);
}

/** Checks the request's own fields, before any AWS call (exit 2 naming the field). */
export function validateMaintenance(
  _deps: Pick<ReleaseDeps, 'platform'>,
  req: MaintenanceRequest,
): WorkloadEnvironmentName {
  const env = workloadEnv(req.env);
  if (req.switch !== 'on' && req.switch !== 'off')
    throw new ReleaseInputError(`switch: must be on or off, got ${JSON.stringify(req.switch)}`);
  const reason = req.reason ?? '';
  if (req.switch === 'on' && !reason.trim())
    throw new ReleaseInputError(
      'reason: say why the service is unavailable (recorded, and shown on the page)',
    );
  // The page's own limit first (what the load balancer takes), then every reason's bound.
  if (req.switch === 'on') {
    try {
      serviceUnavailablePage(reason);
    } catch (err) {
      throw new ReleaseInputError(`reason: ${(err as Error).message}`);
    }
  }
  const reasonIssue = textProblem(reason, REASON_MAX);
  if (reasonIssue) throw new ReleaseInputError(`reason: ${reasonIssue}`);
  checkBuildUrl(req.buildUrl);
  if (req.jenkinsApprover !== undefined && req.jenkinsApprover !== null)
    personName(req.jenkinsApprover, 'jenkins-approver');
  if (!req.actor.trim()) throw new ReleaseInputError('actor: must not be empty');
  personName(req.actor, 'actor');
  return env;
}

type Ctx = SagaContext<MaintenanceRequest>;

interface MaintenancePrep extends Prepared {
  readonly switch: MaintenanceSwitch;
  readonly env: WorkloadEnvironmentName;
  readonly listenerArn: string;
  readonly identity: string;
  readonly approval: MaintenanceRecord['approval'];
  /** The plan as read before the lease (the dry run shows it; the run plans again under the lease). */
  readonly plan: Planned;
}

/** A switch planned from the listener as it is and (for off) the "on" record. */
type Planned =
  | { readonly switch: 'on'; readonly rule: MaintenanceRule; readonly saved: ListenerSnapshot }
  | {
      readonly switch: 'off';
      readonly plan: MaintenanceOffPlan;
      readonly saved: ListenerSnapshot;
      readonly on: MaintenanceRecord;
    };

interface MaintenanceRun {
  readonly prep: MaintenancePrep;
  readonly planned: Planned;
  readonly record: UnrecordedRun<MaintenanceRecord>;
}

const maintenanceSwitch: ReleaseStrategy<
  MaintenanceRequest,
  MaintenancePrep,
  ListenerSnapshot,
  MaintenanceRun,
  MaintenanceRecord,
  MaintenanceResult
> = {
  subject: () => naming.maintenanceSubject(),
  action: (req) => `maintenance-${req.switch}`,
  validate: validateMaintenance,
  prepare,
  async dryRun(ctx, prep) {
    ctx.step('dry run: nothing changed');
    return resultOf(prep, prep.plan, { outcome: 'planned', reason: reasonOf(ctx.req, prep.plan) });
  },
  observe: (ctx, prep) => lbOf(ctx).rules(prep.listenerArn),
  openRuns,
  settle: (_ctx, live, run) => Promise.resolve(settleOpenRun(live, run)),
  begin(ctx, prep, live, known, runId) {
    // Under the lease the listener and the ledger are read again: the plan is made from them.
    const planned = plan(ctx, live, known);
    const now = ctx.deps.now().toISOString();
    return {
      prep,
      planned,
      record: {
        kind: 'maintenance',
        runId,
        action: `maintenance-${ctx.req.switch}`,
        outcome: 'started',
        service: naming.maintenanceSubject(),
        env: ctx.env,
        version: '',
        digest: '',
        actor: ctx.req.actor,
        reason: reasonOf(ctx.req, planned),
        listenerArn: prep.listenerArn,
        // As the ledger holds them (it parses every record it appends).
        savedRules: planned.saved.rules as NonNullable<MaintenanceRecord['savedRules']>,
        maintenanceRule: null,
        restores: planned.switch === 'off' ? planned.on.seq : null,
        unexpectedRules: unexpectedOf(planned),
        buildUrl: ctx.req.buildUrl ?? null,
        startedAt: now,
        finishedAt: null,
        detail: null,
        settles: null,
        identity: prep.identity,
        overrides: [...ctx.deps.platform.overrides],
        approval: prep.approval,
      },
    };
  },
  started: (run) => run.record,
  act,
  wait,
  notifies: true,
  // The switch is no catalogue entry: no train carries it.
  outsideTrains: true,
  result: (run, view) =>
    resultOf(run.prep, run.planned, {
      outcome: view.outcome,
      reason: view.record.reason,
      maintenanceRule: view.record.maintenanceRule,
      unexpectedRules: view.record.unexpectedRules,
      detail: view.record.detail,
      ledger: view.ledger,
      settled: view.settled,
      notifications: view.notifications,
    }),
  failure: (ctx, rec, open) =>
    `maintenance ${ctx.req.switch} in ${ctx.env}${open ? '' : ` ${rec.outcome}`}: ${rec.detail ?? 'no detail'}`,
};

function lbOf(ctx: Pick<Ctx, 'deps' | 'env'>): LoadBalancers {
  return new LoadBalancers(ctx.deps.clients.elbv2(ctx.env));
}

/** The listener, the plan as things are now, and the approval gate: nothing changes yet. */
async function prepare(ctx: Ctx): Promise<MaintenancePrep> {
  const { deps, env, req } = ctx;
  const lb = lbOf(ctx);
  const [identity, listenerArn, view] = await Promise.all([
    deps.clients.callerIdentity(),
    lb.publicListener(env),
    req.switch === 'off' ? ledgerOf(deps).view(naming.maintenanceSubject(), env) : undefined,
  ]);
  const live = await lb.rules(listenerArn);
  ctx.step(`${naming.loadBalancer(env)} listener ${listenerArn}: ${live.rules.length} rules`);
  // Before the lease nothing is settled yet: plan as the saga will find things once it has settled
  // any switch left open (so "off" after a killed "on" restores what that "on" kept).
  const planned = plan(ctx, live, asSettled(live, view?.records ?? []));
  const approvers = deps.platform.environments[ctx.env].promotion?.approval?.approvers ?? [];
  // As `tdr approve` does: an approver entry with a path (SSO's) is checked against the role's path.
  const rolePath =
    !ctx.req.jenkinsApprover && needsRolePath(identity, approvers)
      ? await callerRolePath(deps.clients.mgmt.iam, identity)
      : undefined;
  const gate = approvalGate(ctx, identity, rolePath);
  return {
    gates: [gate],
    what: `maintenance ${req.switch}`,
    switch: req.switch,
    env,
    listenerArn,
    identity,
    // Recorded only where an approval was needed and Jenkins' role vouched for it.
    approval:
      gate.ok && req.jenkinsApprover && deps.platform.environments[env].promotion?.approval
        ? {
            via: 'jenkins-input',
            approver: personName(req.jenkinsApprover, 'jenkins-approver'),
            buildUrl: req.buildUrl ?? null,
          }
        : null,
    plan: planned,
  };
}

/**
 * Where releases need an approver, switching does too: the caller is one of the approvers (an
 * admin acting themself), or Jenkins' own agent role passing the approver of its input step.
 */
function approvalGate(ctx: Ctx, identity: string, rolePath: string | undefined): GateVerdict {
  const rule = ctx.deps.platform.environments[ctx.env].promotion?.approval;
  if (!rule) return { gate: 'approval', ok: true, detail: `${ctx.env} needs no approver` };
  const mgmt = ctx.deps.clients.accountIds.mgmt;
  const jenkins = naming.jenkinsNodeRole(ctx.env);
  if (ctx.req.jenkinsApprover) {
    return isRole(identity, jenkins, mgmt)
      ? { gate: 'approval', ok: true, detail: `approved by ${ctx.req.jenkinsApprover} in Jenkins` }
      : {
          gate: 'approval',
          ok: false,
          detail: `only Jenkins (${jenkins}) passes the approver of its input step, not ${identity}`,
        };
  }
  return isApprover(identity, rule.approvers, mgmt, rolePath)
    ? { gate: 'approval', ok: true, detail: `${identity} is one of ${ctx.env}'s approvers` }
    : {
        gate: 'approval',
        ok: false,
        detail: `${identity} is not one of ${ctx.env}'s approvers (roles ${rule.approvers.join(', ')} in mgmt): run the Jenkins job ${ctx.env}/maintenance, which asks ${rule.group}`,
      };
}

/** The switch planned from the listener now and the maintenance ledger's records. */
function plan(ctx: Ctx, live: ListenerSnapshot, records: readonly LedgerRecord[]): Planned {
  if (ctx.req.switch === 'on')
    return { switch: 'on', rule: planMaintenanceOn(live, ctx.req.reason ?? ''), saved: live };
  const on = maintenanceOn(records);
  if (!on) {
    const stray = live.rules.find(isMaintenanceRule);
    if (!stray)
      throw new MaintenanceAlreadyOffError(
        `maintenance is already off in ${ctx.env}: nothing to do (tdr history --service maintenance --env ${ctx.env})`,
      );
    throw new MaintenancePlanError(
      'conflict',
      `the ledger says maintenance is off in ${ctx.env}, yet ${stray.RuleArn} answers 503 first: no "on" record kept rules to restore, so delete that rule by hand (aws elbv2 delete-rule) after checking the listener`,
    );
  }
  const saved: ListenerSnapshot = { listenerArn: on.listenerArn, rules: on.savedRules ?? [] };
  return { switch: 'off', plan: planMaintenanceOff(saved, live), saved, on };
}

function reasonOf(req: MaintenanceRequest, planned: Planned): string {
  if (req.reason?.trim()) return req.reason;
  return planned.switch === 'off' ? `end of maintenance: ${planned.on.reason}` : '';
}

/** The changes a plan makes, a line each, in the order they are made. */
function planLines(planned: Planned): string[] {
  if (planned.switch === 'on') return describeOn(planned.rule, planned.saved);
  return [
    ...describeOff(planned.plan),
    `restore the rules kept by ledger #${planned.on.seq} (maintenance on by ${planned.on.actor}: ${planned.on.reason})`,
  ];
}

/** Changes the listener, one call at a time, with a checkpoint before each. */
async function act(
  ctx: Ctx,
  run: MaintenanceRun,
  journal: Journal<MaintenanceRecord>,
): Promise<Acted<MaintenanceRecord>> {
  const lb = lbOf(ctx);
  const listener = run.prep.listenerArn;
  const done: string[] = [];
  try {
    if (run.planned.switch === 'on') {
      await ctx.checkpoint();
      const arn = await lb.createRule(listener, run.planned.rule);
      journal.note({ maintenanceRule: arn });
      ctx.step(`created ${arn}: every request gets the service-unavailable page`);
      return { ok: true, noWait: `the rule is ${arn}` };
    }
    const p = run.planned.plan;
    for (const rule of p.modify) {
      await ctx.checkpoint();
      await lb.modifyRule(rule);
      done.push(`put back ${rule.RuleArn}`);
    }
    for (const rule of p.recreate) {
      await ctx.checkpoint();
      // A rule created again gets a new ARN; the check after matches it by its priority.
      if (rule.IsDefault) await lb.setDefaultActions(listener, rule.Actions);
      else
        await lb.createRule(listener, {
          Priority: Number(rule.Priority),
          Conditions: rule.Conditions,
          Actions: rule.Actions,
        });
      done.push(`recreated ${rule.RuleArn}`);
    }
    await ctx.checkpoint();
    await lb.setPriorities(p.priorities);
    for (const arn of p.delete) {
      await ctx.checkpoint();
      await lb.deleteRule(arn);
      done.push(`deleted ${arn}`);
      journal.note({ maintenanceRule: arn });
    }
    ctx.step(done.length > 0 ? done.join('; ') : 'nothing to change');
    return { ok: true, noWait: 'check the listener with tdr status' };
  } catch (err) {
    // Stopped at a checkpoint (SIGINT/SIGTERM, the lease lost): nothing is in flight, so what was
    // done so far is recorded and the stop goes on up, to exit as every other command does (143).
    if (err instanceof InterruptedError || err instanceof LeaseLostError) {
      const sofar = done.length > 0 ? `done before it: ${done.join('; ')}` : 'nothing changed';
      await journal.finish('failed', { detail: `${sofar}; stopped: ${err.message}` }).catch(() => undefined);
      throw err;
    }
    // A call whose reply was lost may have taken effect (ELBv2's CreateRule has no idempotency
    // token: the SDK's retry then meets PriorityInUse). The listener says: already as planned, the
    // run went through, and the check after it records the outcome.
    const live = await lb.rules(listener).catch(() => undefined);
    if (live && verify(live, journal.state, run.planned.saved).outcome === 'succeeded') {
      ctx.step(`${(err as Error).message}; yet the listener is already as planned: the change took effect`);
      return { ok: true, noWait: 'check the listener with tdr status' };
    }
    const sofar = done.length > 0 ? ` (done before it: ${done.join('; ')})` : '';
    const left =
      run.planned.switch === 'off'
        ? '; the 503 rule is deleted last, so maintenance is still on: run tdr maintenance off again'
        : '';
    return { ok: false, detail: `${(err as Error).message}${sofar}${left}` };
  }
}

/** Reads the listener again: the run succeeded when it is as planned, field by field. */
async function wait(
  ctx: Ctx,
  run: MaintenanceRun,
  journal: Journal<MaintenanceRecord>,
): Promise<Ending<MaintenanceRecord>> {
  const live = await lbOf(ctx).rules(run.prep.listenerArn);
  const ending = verify(live, journal.state, run.planned.saved);
  ctx.step(
    ending.outcome === 'succeeded'
      ? `listener checked: ${ending.detail}`
      : `listener check failed: ${ending.detail}`,
  );
  return { open: false, ...ending };
}

/** The listener checked against what the run meant (./maintenance-listener.ts `checkOn`, `checkOff`). */
function verify(
  live: ListenerSnapshot,
  rec: Pick<MaintenanceRecord, 'action' | 'reason'>,
  saved: ListenerSnapshot,
): { outcome: 'succeeded' | 'failed'; detail: string; change: Partial<UnrecordedRun<MaintenanceRecord>> } {
  const check = rec.action === 'maintenance-on' ? checkOn(live) : checkOff(saved, live);
  const detail =
    rec.action === 'maintenance-on' && check.ok ? `${check.detail}: ${rec.reason}` : check.detail;
  return {
    outcome: check.ok ? 'succeeded' : 'failed',
    detail,
    change:
      rec.action === 'maintenance-on'
        ? { maintenanceRule: check.maintenanceRule }
        : { unexpectedRules: [...check.unexpected] },
  };
}

/** Switches whose newest record is `started`: cut short (a crash, a lost lease). */
export function openRuns(records: readonly LedgerRecord[]): MaintenanceRecord[] {
  const newest = new Map<string, MaintenanceRecord>();
  for (const r of records) if (r.kind === 'maintenance') newest.set(r.runId, r);
  return [...newest.values()].filter((r) => r.outcome === 'started');
}

/** The records with each open switch given the outcome settling it will record. */
function asSettled(live: ListenerSnapshot, records: readonly LedgerRecord[]): LedgerRecord[] {
  const open = new Set(openRuns(records));
  return records.map((r) =>
    r.kind === 'maintenance' && open.has(r) ? { ...r, outcome: settleOpenRun(live, r).outcome } : r,
  );
}

/** How a switch cut short ended, from the listener as it is now. */
function settleOpenRun(live: ListenerSnapshot, run: MaintenanceRecord): Settlement<MaintenanceRecord> {
  const saved: ListenerSnapshot = { listenerArn: run.listenerArn, rules: run.savedRules ?? [] };
  const verdict = verify(live, run, saved);
  const what = `${run.action} by ${run.actor} left ledger #${run.seq} started`;
  return {
    outcome: verdict.outcome,
    detail: `${what}; the listener shows it ${verdict.outcome === 'succeeded' ? 'took effect' : 'did not'}: ${verdict.detail}`,
    change: verdict.change,
  };
}

function unexpectedOf(planned: Planned): string[] {
  return planned.switch === 'off' ? planned.plan.unexpected.map((r) => r.RuleArn) : [];
}

function resultOf(
  prep: MaintenancePrep,
  planned: Planned,
  rest: Pick<MaintenanceResult, 'outcome' | 'reason'> & Partial<MaintenanceResult>,
): MaintenanceResult {
  return {
    switch: prep.switch,
    env: prep.env,
    listenerArn: prep.listenerArn,
    plan: planLines(planned),
    gates: prep.gates,
    restores: planned.switch === 'off' ? planned.on.seq : null,
    maintenanceRule: null,
    unexpectedRules: unexpectedOf(planned),
    detail: null,
    ledger: [],
    settled: [],
    notifications: [],
    ...rest,
  };
}
