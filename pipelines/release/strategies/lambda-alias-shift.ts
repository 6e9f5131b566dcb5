/**
 * A Lambda alias shift, the saga's strategy for releasing a function (deploy, promote, rollback),
 * as the service rollout is for an ECS service; the saga owns the gates, lease, ledger and
 * notifications, so a function release is audited exactly like a service's:
 *
 *   resolve the version to its package in mgmt's code bucket and its SHA-256 (the digest) → check
 *   every gate → update the function's code → wait for `LastUpdateStatus` Successful (on Failed:
 *   stop, the `live` alias left where it was) → publish a version (only of that SHA-256) → move
 *   `live` to it → wait until the alias runs the SHA-256 → on failure move `live` back.
 *
 * A rollback to a version the ledger saw live moves `live` back to that published version without
 * touching the code. Where the environment's delivery is a canary (services/queries.ts
 * `functionDelivery`), a deploy or promotion weighs `live` first and lets the judge decide
 * (./lambda-canary.ts); a rollback always moves `live` at once. The ledger's release record holds, for a function: `digest` = the package's
 * SHA-256 as Lambda reports `CodeSha256`, `image` = the package's `s3://` URI,
 * `taskDefinitionBefore/After` = the qualified ARN of the version `live` pointed at before and after.
 */
import type { Platform } from '../../../services/config';
import type { LambdaEntry } from '../../../services/catalogue';
import type { WorkloadEnvironmentName } from '../../../services/environments';
import { naming } from '../../../services/naming';
import { entryOfKind, functionDelivery, namesOfKind } from '../../../services/queries';
import { ALL_AT_ONCE, describeFunctionDelivery, type FunctionDelivery } from '../../../services/delivery';
import { functionPackage } from '../saga/artifacts';
import { ledgerOf, type ReleaseDeps } from '../saga/context';
import { ReleaseFailedError, ReleaseInputError } from '../errors';
import { GateRefusedError, approvalOf, evaluateGates, type GateInput } from '../saga/gates';
import type { GateVerdict } from '../verdict';
import {
  Lambda,
  aliasWeight,
  packageGate,
  type LiveFunction,
  type PackageLookup,
  type ResolvedPackage,
} from '../aws/lambda';
import {
  currentRelease,
  type ApprovalRecord,
  releaseRecords,
  unsettledRuns,
  type LedgerRecord,
  type ReleaseAction,
  type ReleaseOutcome,
  type ReleaseRecord,
  REJECTIONS_STREAM,
} from '../ledger/ledger';
import type { NotificationReport } from '../notify';
import {
  runSaga,
  type Ending,
  type Finished,
  type Journal,
  type Prepared,
  type ReleaseStrategy,
  type RunView,
  type SagaContext,
  type Settlement,
  type UnrecordedRun,
} from '../saga/saga';
import {
  chooseVersion,
  knownCommit,
  promotionSource,
  requestValidator,
  type ReleaseRequest,
  auditOf,
} from '../saga/request';
import { throttledProgress } from '../wait';
import { judgeCanary, newCourse, withStep, type CanaryState } from './lambda-canary';

export interface FunctionReleasePlan {
  readonly action: ReleaseAction;
  readonly function: string;
  readonly functionName: string;
  readonly env: WorkloadEnvironmentName;
  readonly sourceEnv: string | null;
  readonly version: string;
  readonly package: string | null;
  readonly sha256: string | null;
  readonly from: {
    readonly version: string | null;
    readonly sha256: string | null;
    readonly aliasVersion: string | null;
  };
  /** A rollback that moves `live` back to a version already published with this SHA-256. */
  readonly reuses: string | null;
  readonly gates: readonly GateVerdict[];
  /** How `live` moves: at once, or a canary judged for its bake. */
  readonly delivery: FunctionDelivery;
}

export interface FunctionReleaseResult extends FunctionReleasePlan {
  readonly outcome: 'planned' | ReleaseOutcome;
  /** The qualified ARN of the version `live` points at when the run ended. */
  readonly aliasVersionArn: string | null;
  readonly detail: string | null;
  readonly ledger: readonly number[];
  readonly settled: readonly number[];
  readonly notifications: readonly NotificationReport[];
}

/** The catalogue function `name`, or an input error listing the valid ones. */
export function functionEntry(platform: Platform, name: string): LambdaEntry {
  const entry = entryOfKind(platform.catalogue, name, 'lambda');
  if (!entry)
    throw new ReleaseInputError(
      `service: unknown function ${JSON.stringify(name)}; valid: ${namesOfKind(platform.catalogue, 'lambda').join(', ')}`,
    );
  return entry;
}

/** Deploys, promotes or rolls back one function in one environment. */
export function releaseFunction(
  deps: ReleaseDeps,
  req: ReleaseRequest,
): Promise<Finished<FunctionReleaseResult>> {
  return runSaga(deps, lambdaAliasShift, req);
}

/** Checks a function release's own fields, before any AWS call. */
export const validateFunctionRequest = requestValidator(functionEntry);

interface Shift extends Prepared {
  readonly sourceEnv: string | null;
  readonly version: string | undefined;
  readonly lookup: PackageLookup | null;
  readonly here: readonly LedgerRecord[];
  readonly upstream: readonly LedgerRecord[];
  /** Who is asking, as AWS says (`sts:GetCallerIdentity`). */
  readonly identity: string;
  /** The approval the gate accepted, if the target needs one. */
  readonly approval: ApprovalRecord | null;
  readonly delivery: FunctionDelivery;
}

interface ShiftRun {
  readonly plan: FunctionReleasePlan;
  readonly pkg: ResolvedPackage;
  readonly live: LiveFunction;
  readonly record: UnrecordedRun<ReleaseRecord>;
  /** The version `act` published (or reused), once it did. */
  published?: { readonly version: string; readonly arn: string };
  /** Whether `act` moved (or weighed) `live` (only then is there anything to undo). */
  moved?: boolean;
  /** A canary under way: `live` weighed, the judge to decide. */
  canary?: CanaryState;
}

type Ctx = SagaContext<ReleaseRequest>;

const alias = naming.functionAlias();
const fnName = (ctx: Ctx) => naming.functionName(ctx.req.service, ctx.env);
const clock = (ctx: Ctx) => ({
  now: () => ctx.deps.now().getTime(),
  sleep: ctx.deps.sleep,
  pollMs: ctx.deps.pollMs,
  timeoutMs: ctx.deps.timeoutMs,
});

const lambda = (ctx: Ctx) => new Lambda(ctx.deps.clients.lambda(ctx.env));

async function liveOf(ctx: Ctx): Promise<LiveFunction> {
  const live = await lambda(ctx).live(fnName(ctx), alias, ` in ${ctx.env}`);
  if (!live)
    throw new ReleaseFailedError(
      `${fnName(ctx)} has no ${alias} alias in ${ctx.env}: infra creates the function and its alias (pulumi up --stack ${ctx.env})`,
    );
  return live;
}

export const lambdaAliasShift: ReleaseStrategy<
  ReleaseRequest,
  Shift,
  LiveFunction,
  ShiftRun,
  ReleaseRecord,
  FunctionReleaseResult
> = {
  subject: (req) => req.service,
  action: (req) => req.action,
  validate: validateFunctionRequest,
  prepare,
  async dryRun(ctx, prep) {
    const plan = planFrom(ctx, prep, await liveOf(ctx));
    ctx.step('dry run: nothing changed');
    if (prep.gates.some((g) => !g.ok)) throw new GateRefusedError(prep.gates);
    return {
      ...plan,
      outcome: 'planned',
      aliasVersionArn: null,
      detail: null,
      ledger: [],
      settled: [],
      notifications: [],
    };
  },
  observe: (ctx) => liveOf(ctx),
  openRuns: unsettledRuns,
  settle: async (ctx, live, run, open) => settleCrashedRun(live, run, open),
  begin,
  started: (run) => run.record,
  act: (ctx, run, journal) => act(ctx, lambda(ctx), run, journal),
  async wait(ctx, run, journal) {
    const published = run.published!;
    if (run.canary) {
      const c = await judgeCanary(
        ctx,
        lambda(ctx),
        {
          functionName: fnName(ctx),
          alias,
          timeoutSeconds: functionEntry(ctx.deps.platform, ctx.req.service).timeoutSeconds[ctx.env],
        },
        run.canary,
        (course) => journal.note({ canary: course }),
      );
      run.canary = { ...run.canary, course: c.course };
      if (!c.passed)
        return {
          open: false,
          outcome: 'failed',
          detail: c.detail,
          change: { taskDefinitionAfter: published.arn, canary: c.course },
        };
    }
    const canary = run.canary ? { canary: run.canary.course } : {};
    const waited = await lambda(ctx).waitForUpdate(
      fnName(ctx),
      {
        clock: clock(ctx),
        progress: throttledProgress(ctx.step, `waiting for ${alias} → ${published.version}`),
      },
      published.version,
    );
    const now = await lambda(ctx).live(fnName(ctx), alias);
    const runs =
      now?.alias.FunctionVersion === published.version && now.version.CodeSha256 === run.record.digest;
    if (waited.ok && runs)
      return {
        open: false,
        outcome: 'succeeded',
        detail: null,
        change: { taskDefinitionAfter: published.arn, ...canary },
      };
    const reason = !waited.ok
      ? waited.reason
      : `${alias} points at ${now?.alias.FunctionVersion ?? 'nothing'} (sha256 ${now?.version.CodeSha256 ?? '?'}), not ${published.version}`;
    ctx.step(`release failed: ${reason}`);
    return {
      open: false,
      outcome: 'failed',
      detail: reason,
      change: { taskDefinitionAfter: published.arn, ...canary },
    };
  },
  undo: (ctx, run, failed) => undo(ctx, lambda(ctx), run, failed),
  notifies: true,
  result: resultOf,
  failure: (ctx, rec) =>
    `${rec.action} of function ${rec.service} ${rec.version} to ${ctx.env} ${rec.outcome.replace('_', ' ')}: ${rec.detail}`,
};

async function prepare(ctx: Ctx): Promise<Shift> {
  const { deps, req, env } = ctx;
  const entry = functionEntry(deps.platform, req.service);
  const sourceEnv = promotionSource(deps, req, env);
  const ledger = ledgerOf(deps);
  ctx.step('reading the ledger');
  const [here, upstream, rejections] = await Promise.all([
    ledger.view(req.service, env).then((v) => v.records),
    sourceEnv ? ledger.view(req.service, sourceEnv).then((v) => v.records) : Promise.resolve([]),
    ledger.view(req.service, REJECTIONS_STREAM).then((v) => v.records),
  ]);
  const version = chooseVersion(req, here, upstream, sourceEnv);
  const [lookup, identity] = await Promise.all([
    version ? functionPackage(deps, req.service, entry, version) : null,
    deps.clients.callerIdentity(),
  ]);
  const gates: GateVerdict[] = version && lookup ? [packageGate(req.service, version, lookup)] : [];
  const input: GateInput = {
    action: req.action,
    service: req.service,
    target: deps.platform.environments[env],
    version: version ?? null,
    digest: lookup?.ok ? lookup.pkg.sha256 : '',
    actor: req.actor,
    identity,
    buildUrl: req.buildUrl ?? null,
    mgmtAccount: deps.clients.accountIds.mgmt,
    breakGlass: req.breakGlass ?? false,
    reason: req.reason ?? null,
    now: deps.now(),
    upstream,
    here,
    rejections,
  };
  gates.push(...evaluateGates(input));
  for (const g of gates) ctx.step(`gate ${g.ok ? '[OK]' : '[NG]'} ${g.gate}: ${g.detail}`);
  const approval = approvalOf(input);
  // A rollback is urgent and goes to a version that ran here: `live` moves at once.
  const delivery =
    req.action === 'rollback'
      ? ALL_AT_ONCE
      : (functionDelivery(deps.platform, req.service, env) ?? ALL_AT_ONCE);
  ctx.step(`delivery: ${describeFunctionDelivery(delivery)}`);
  return {
    delivery,
    gates,
    what: `${req.action} ${version}`,
    sourceEnv,
    version,
    lookup,
    here,
    upstream,
    identity,
    approval,
  };
}

/**
 * A rollback's target, when the ledger saw it live here: the published version it ran, if that
 * version's code is still the package's SHA-256 (nothing to update, only the alias to move).
 */
function reusableVersion(prep: Shift, sha256: string | null): string | null {
  if (!sha256) return null;
  const arn = releaseRecords(prep.here)
    .filter((r) => r.outcome === 'succeeded' && r.digest === sha256 && r.taskDefinitionAfter)
    .at(-1)?.taskDefinitionAfter;
  return arn?.split(':').at(-1) ?? null;
}

function planFrom(ctx: Ctx, prep: Shift, live: LiveFunction): FunctionReleasePlan {
  const { req, env } = ctx;
  const current = currentRelease(prep.here);
  const pkg = prep.lookup?.ok ? prep.lookup.pkg : null;
  return {
    action: req.action,
    function: req.service,
    functionName: fnName(ctx),
    env,
    sourceEnv: prep.sourceEnv,
    version: prep.version ?? '(none)',
    package: pkg?.uri ?? null,
    sha256: pkg?.sha256 ?? null,
    from: {
      version: current?.version ?? null,
      sha256: live.version.CodeSha256 ?? null,
      aliasVersion: live.alias.FunctionVersion ?? null,
    },
    reuses: req.action === 'rollback' ? reusableVersion(prep, pkg?.sha256 ?? null) : null,
    gates: prep.gates,
    delivery: prep.delivery,
  };
}

function begin(
  ctx: Ctx,
  prep: Shift,
  live: LiveFunction,
  _known: readonly LedgerRecord[],
  runId: string,
): ShiftRun {
  const { deps, req, env } = ctx;
  const pkg = prep.lookup?.ok ? prep.lookup.pkg : null;
  // The saga stops at any refused gate, and a missing version or package is one.
  if (!pkg || !prep.version) throw new GateRefusedError(prep.gates);
  const record: UnrecordedRun<ReleaseRecord> = {
    kind: 'release',
    runId,
    action: req.action,
    service: req.service,
    env,
    version: prep.version,
    digest: pkg.sha256,
    image: pkg.uri,
    gitCommit: req.gitCommit ?? knownCommit([...prep.upstream, ...prep.here], pkg.sha256),
    taskDefinitionBefore: live.version.FunctionArn ?? null,
    ...auditOf(deps, env, prep),
    buildUrl: req.buildUrl ?? null,
    sourceEnv: prep.sourceEnv,
    reason: req.reason ?? null,
    breakGlass: req.breakGlass ?? false,
    gates: prep.gates.map((g) => ({ gate: g.gate, ok: g.ok, detail: g.detail })),
    actor: req.actor,
    startedAt: deps.now().toISOString(),
    settles: null,
    outcome: 'started',
    taskDefinitionAfter: null,
    finishedAt: null,
    detail: null,
    ...(prep.delivery.kind === 'canary'
      ? { canary: newCourse(prep.delivery, live.alias.FunctionVersion ?? null) }
      : {}),
  };
  return { plan: planFrom(ctx, prep, live), pkg, live, record };
}

/**
 * Updates the code and waits for Lambda to take it, publishes it, moves `live`. Until `live`
 * moves nothing any trigger calls has changed: a failure there is recorded as failed, alias left.
 */
async function act(ctx: Ctx, lambda: Lambda, run: ShiftRun, journal: Journal<ReleaseRecord>) {
  const name = fnName(ctx);
  const { digest } = run.record;
  const before = run.live.alias.FunctionVersion ?? '?';
  const left = `; ${alias} left at version ${before}`;
  const unchanged = { taskDefinitionAfter: run.live.version.FunctionArn ?? null };
  try {
    let version = run.plan.reuses;
    if (version) {
      ctx.step(`version ${version} already runs sha256 ${digest}: moving ${alias} back to it`);
    } else {
      await ctx.checkpoint();
      const updated = await lambda.updateCode(name, run.pkg);
      if (updated.CodeSha256 !== digest)
        return {
          ok: false as const,
          detail: `Lambda took code with sha256 ${updated.CodeSha256}, not the package's ${digest}${left}`,
          change: unchanged,
        };
      ctx.step(`code of ${name} updated to ${run.record.image}`);
      const waited = await lambda.waitForUpdate(name, {
        clock: clock(ctx),
        progress: throttledProgress(ctx.step, 'waiting for the code update'),
      });
      if (!waited.ok) return { ok: false as const, detail: `${waited.reason}${left}`, change: unchanged };
      await ctx.checkpoint();
      const published = await lambda.publishVersion(
        name,
        digest,
        `${run.record.version} (${ctx.req.action} run ${run.record.runId})`,
      );
      version = published.Version!;
      ctx.step(`published version ${version}`);
    }
    const config = await lambda.configuration(name, version);
    run.published = { version, arn: config.FunctionArn ?? `${name}:${version}` };
    await ctx.checkpoint();
    if (weighs(run)) {
      const d = run.plan.delivery as Extract<FunctionDelivery, { kind: 'canary' }>;
      await lambda.weighAlias(
        name,
        alias,
        { baseline: before, canary: version, weight: Math.round(d.weightPercent * 10) / 1000 },
        `weighing ${alias} of ${name}: ${d.weightPercent}% to version ${version}`,
      );
    } else await lambda.moveAlias(name, alias, version, `moving ${alias} of ${name} to version ${version}`);
    run.moved = true;
  } catch (err) {
    // UpdateAlias may have applied with its reply lost (it has no idempotency token; the SDK's
    // retries fail the same way): where the alias points says, as ECS's service pointer does for a
    // rollout. Only an alias read back elsewhere is "not moved"; one that cannot be read is unknown.
    const moved = run.published
      ? await aliasOn(lambda, name, run.published.version, weighs(run) ? before : undefined)
      : false;
    if (moved === undefined) {
      ctx.step(
        `outcome unknown (${(err as Error).message}); ledger #${journal.seqs[0]} is left open: the next operation settles it from ${alias}`,
      );
      throw err;
    }
    if (!moved) {
      const detail = `${alias} not moved: ${(err as Error).message}${left}`;
      await journal.finish('failed', { ...unchanged, detail }).catch(() => undefined);
      throw err;
    }
    run.moved = true;
    ctx.step(
      `the alias update's reply was lost (${(err as Error).message}), but ${alias} reads back on version ${run.published!.version}`,
    );
  }
  const published = run.published!;
  if (weighs(run)) startCanary(ctx, run, journal, before);
  else ctx.step(`${alias} → version ${published.version}`);
  return {
    ok: true as const,
    noWait: `${alias} already points at version ${published.version}; the next operation on this function and environment settles the outcome`,
  };
}

/**
 * Whether the alias points at `version` (or, given `baseline`, stays there weighing `version`);
 * undefined when Lambda cannot be asked either.
 */
async function aliasOn(
  lambda: Lambda,
  name: string,
  version: string,
  baseline?: string,
): Promise<boolean | undefined> {
  try {
    const back = await lambda.alias(name, alias, ' (reading it back)');
    if (baseline) return back?.FunctionVersion === baseline && aliasWeight(back)?.version === version;
    return back?.FunctionVersion === version;
  } catch {
    return undefined;
  }
}

/** The canary under way, from the moment `live` was weighed: its first step noted on the run. */
function startCanary(ctx: Ctx, run: ShiftRun, journal: Journal<ReleaseRecord>, before: string): void {
  const now = ctx.deps.now();
  const version = run.published!.version;
  const weight = run.plan.delivery.kind === 'canary' ? run.plan.delivery.weightPercent : '?';
  const step = `${alias} weighed: ${weight}% to version ${version}, the rest on ${before}`;
  ctx.step(step);
  run.canary = {
    course: withStep({ ...run.record.canary!, canaryVersion: version }, now, step),
    shiftedAt: now.getTime(),
    requests: 0,
  };
  journal.note({ canary: run.canary.course });
}

/** Whether this run weighs `live` (a canary) rather than moving it: a new version beside the old. */
function weighs(run: ShiftRun): boolean {
  const before = run.live.alias.FunctionVersion;
  return (
    run.plan.delivery.kind === 'canary' && !!before && !!run.published && run.published.version !== before
  );
}

/** Back to the version `live` pointed at before, if `act` moved it. */
async function undo(
  ctx: Ctx,
  lambda: Lambda,
  run: ShiftRun,
  failed: Ending<ReleaseRecord> & { open: false },
): Promise<Ending<ReleaseRecord>> {
  const previous = run.live.alias.FunctionVersion;
  if (!run.moved || !previous) return failed;
  ctx.step(`moving ${alias} back to version ${previous}`);
  await lambda.moveAlias(
    fnName(ctx),
    alias,
    previous,
    `moving ${alias} of ${fnName(ctx)} back to version ${previous}`,
  );
  return {
    open: false,
    outcome: 'rolled_back',
    detail: `${failed.detail}; ${alias} moved back to version ${previous}`,
    change: {
      taskDefinitionAfter: run.live.version.FunctionArn ?? null,
      ...(run.canary ? { canary: run.canary.course } : {}),
    },
  };
}

function resultOf(run: ShiftRun, view: RunView<ReleaseRecord>): FunctionReleaseResult {
  return {
    ...run.plan,
    outcome: view.outcome,
    aliasVersionArn:
      view.outcome === 'started' ? (run.published?.arn ?? null) : view.record.taskDefinitionAfter,
    detail: view.record.detail,
    ledger: view.ledger,
    settled: view.settled,
    notifications: view.notifications,
  };
}

/**
 * A canary weight a crashed run left on the alias: the next release's move clears it (settling only
 * reads; why, and what is NOT DONE: test/resilience/function-canary-crash.test.ts).
 */
function leftWeight(live: LiveFunction): string {
  const w = aliasWeight(live.alias);
  return w
    ? `; a canary weight of ${Math.round(w.weight * 1000) / 10}% to version ${w.version} is still on ${alias}: the next release clears it`
    : '';
}

/**
 * A run that wrote `started` and no outcome crashed (we hold the lease). What `live` runs says how
 * it ended: the run's SHA-256 behind `live` is success, anything else failure.
 */
function settleCrashedRun(
  live: LiveFunction,
  run: ReleaseRecord,
  open: readonly ReleaseRecord[],
): Settlement<ReleaseRecord> {
  const newest = open.at(-1);
  const runs = live.version.CodeSha256 === run.digest;
  const succeeded = run === newest && runs;
  const what = `run ${run.runId} (${run.version}) wrote ledger #${run.seq} and no outcome`;
  const detail =
    run !== newest
      ? `${what}; superseded by run ${newest?.runId} before its outcome was recorded`
      : succeeded
        ? `${what}; ${alias} runs its sha256 (version ${live.alias.FunctionVersion})`
        : `${what}; ${alias} runs sha256 ${live.version.CodeSha256 ?? '?'} (version ${live.alias.FunctionVersion}), not ${run.digest}${leftWeight(live)}`;
  return {
    outcome: succeeded ? 'succeeded' : 'failed',
    detail,
    change: { taskDefinitionAfter: live.version.FunctionArn ?? null },
  };
}
