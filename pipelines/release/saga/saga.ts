/**
 * The release saga: one protocol for everything the platform releases, as a readable script:
 *
 *   validate → resolve the artifact to its digest and check every gate → (dry run: the plan, stop)
 *   → take the lease → read the ledger and what runs now → settle runs the ledger left open →
 *   write-ahead record `started` → act → wait → on failure undo → final record → release the
 *   lease → notify.
 *
 * What is released, and how, is a strategy: an ECS service rollout (deploy, promote, rollback),
 * a one-off ECS task run, a Lambda alias shift, the maintenance switch on a load balancer. The saga owns the ledger
 * protocol (write-ahead, settling, the final record), the lease and the notifications, so a change
 * to any of them is made once.
 *
 * The outcome is a value: `result` is what the command prints, `failure` says why the run did not
 * succeed (the CLI exits 1 on it). Invalid input, refusals and conflicts are typed errors.
 */
import type { WorkloadEnvironmentName } from '../../../services/environments';
import { ledgerOf, leasesOf, type ReleaseDeps } from './context';
import { GateRefusedError } from './gates';
import type { GateVerdict } from '../verdict';
import { LeaseGuard, throwIfInterrupted } from './guard';
import { refuseIfInTrain, type TrainPass } from './train-lease';
import { CredentialsExpiredInRunError, credentialsErrorOf } from '../errors';
import type {
  Ledger,
  LedgerRecord,
  MaintenanceRecord,
  NewRecord,
  ReleaseRecord,
  TaskRunRecord,
} from '../ledger/ledger';
import { notify, type NotificationReport } from '../notify';

export interface SagaRequest {
  readonly actor: string;
  readonly dryRun?: boolean | undefined;
  readonly wait?: boolean | undefined;
  /** Set by a release train for its own member runs only: they pass its lease (./train-lease.ts). */
  readonly train?: TrainPass | undefined;
}

export interface SagaContext<Req extends SagaRequest> {
  readonly deps: ReleaseDeps;
  readonly req: Req;
  readonly env: WorkloadEnvironmentName;
  /** Logs one step of this run, prefixed with what it is. */
  readonly step: (line: string) => void;
  /**
   * Call before each change: throws when the run must stop (interrupted, or its lease lost or not
   * renewable), so that it stops between calls, never in the middle of one.
   */
  readonly checkpoint: () => Promise<void>;
  /** Throws LeaseLostError when the lease is no longer this run's (read from S3, not the clock). */
  readonly leaseHeld: () => Promise<void>;
}

/** A record of a run (not of a check): what the saga writes. */
export type RunRecord = ReleaseRecord | TaskRunRecord | MaintenanceRecord;
/** A run record before the ledger numbers it. */
export type UnrecordedRun<R extends RunRecord> = Omit<R, 'seq' | 'recordedAt' | 'schema'>;

/** What a strategy resolved before anything changes. */
export interface Prepared {
  /** Every gate's verdict; any refusal stops the run before the lease. */
  readonly gates: readonly GateVerdict[];
  /** What this run does, for the lease holder: `deploy v42`, `task-run v5`. */
  readonly what: string;
}

/** How a run the ledger left open really ended, as far as what runs now tells. */
export interface Settlement<R extends RunRecord> {
  readonly outcome: R['outcome'];
  /** What happened, after `settled by {actor}: `. */
  readonly detail: string;
  readonly change: Partial<UnrecordedRun<R>>;
}

/** The act went through (`noWait` says where to follow it), or nothing changed and why. */
export type Acted<R extends RunRecord> =
  | { readonly ok: true; readonly noWait: string }
  | { readonly ok: false; readonly detail: string; readonly change?: Partial<UnrecordedRun<R>> };

/** How the wait (and undo) ended: an outcome to record, or the run left open for the next one. */
export type Ending<R extends RunRecord> =
  | {
      readonly open: false;
      readonly outcome: Exclude<R['outcome'], 'started' | 'running'>;
      readonly detail: string | null;
      readonly change?: Partial<UnrecordedRun<R>>;
    }
  | {
      readonly open: true;
      readonly detail: string;
      /**
       * Left open on purpose, as the contract asks (progressive delivery held by ECS for an
       * approval): the command succeeds, and the next operation settles the run from ECS.
       */
      readonly awaiting?: boolean;
    };

/** What a strategy's result is built from. */
export interface RunView<R extends RunRecord> {
  readonly outcome: R['outcome'];
  /** The newest state of the run's record (recorded, or noted when the run stays open). */
  readonly record: UnrecordedRun<R>;
  readonly ledger: readonly number[];
  readonly settled: readonly number[];
  readonly notifications: readonly NotificationReport[];
}

export interface Finished<Result> {
  readonly result: Result;
  /** Null when the run succeeded, was only planned, or was left running on purpose (--no-wait). */
  readonly failure: string | null;
}

/**
 * What is released and how. Every method but `act` and `undo` only reads; `act` changes the
 * world, `undo` puts back what `act` replaced.
 */
export interface ReleaseStrategy<
  Req extends SagaRequest,
  Prep extends Prepared,
  Live,
  Run,
  R extends RunRecord,
  Result,
> {
  /** The catalogue entry released: the ledger's and the lease's key. */
  subject(req: Req): string;
  /** The action, as logs and notifications name it: deploy, promote, rollback, task-run. */
  action(req: Req): string;
  /** Checks the request's own fields, before any AWS call. */
  validate(deps: Pick<ReleaseDeps, 'platform'>, req: Req): WorkloadEnvironmentName;
  /** Resolves the artifact to its digest, plans, and checks the gates. */
  prepare(ctx: SagaContext<Req>): Promise<Prep>;
  /** The dry run's result; throws the refusal (with the plan) when a gate refused. */
  dryRun(ctx: SagaContext<Req>, prep: Prep): Promise<Result>;
  /** Under the lease: what runs now, read beside the ledger. */
  observe(ctx: SagaContext<Req>, prep: Prep): Promise<Live>;
  /** Runs of this subject the ledger left open (a crash, --no-wait). */
  openRuns(records: readonly LedgerRecord[]): R[];
  /** How an open run ended; throws a conflict when it is still going. */
  settle(ctx: SagaContext<Req>, live: Live, run: R, open: readonly R[]): Promise<Settlement<R>>;
  /** The run about to start and its write-ahead record (outcome `started`). */
  begin(ctx: SagaContext<Req>, prep: Prep, live: Live, known: readonly LedgerRecord[], runId: string): Run;
  started(run: Run): UnrecordedRun<R>;
  act(ctx: SagaContext<Req>, run: Run, journal: Journal<R>): Promise<Acted<R>>;
  wait(ctx: SagaContext<Req>, run: Run, journal: Journal<R>): Promise<Ending<R>>;
  /** After a failed wait: back to what ran before, if there is anything to go back to. */
  undo?(ctx: SagaContext<Req>, run: Run, failed: Ending<R> & { open: false }): Promise<Ending<R>>;
  /** Whether Slack and Grafana hear of the outcome. */
  readonly notifies: boolean;
  /** True for what no release train carries (the maintenance switch): the train lease is not read. */
  readonly outsideTrains?: true;
  result(run: Run, view: RunView<R>): Result;
  /** The one-line reason a run did not succeed, from its newest record (`open`: left running). */
  failure(ctx: SagaContext<Req>, record: UnrecordedRun<R>, open: boolean): string;
}

export async function runSaga<
  Req extends SagaRequest,
  Prep extends Prepared,
  Live,
  Run,
  R extends RunRecord,
  Result,
>(
  deps: ReleaseDeps,
  strategy: ReleaseStrategy<Req, Prep, Live, Run, R, Result>,
  req: Req,
): Promise<Finished<Result>> {
  const env = strategy.validate(deps, req);
  const subject = strategy.subject(req);
  const ctx: SagaContext<Req> = {
    deps,
    req,
    env,
    step: (line) => deps.log(`[${strategy.action(req)} ${subject} → ${env}] ${line}`),
    checkpoint: async () => throwIfInterrupted(deps.signal),
    leaseHeld: async () => undefined,
  };
  // A member of a release train in flight there is the train's (exit 4, naming it): refused
  // before the gates read anything and before the write-ahead record, so nothing changes.
  if (!req.dryRun && !strategy.outsideTrains) await refuseIfInTrain(deps, subject, env, req.train);
  const prep = await strategy.prepare(ctx);
  if (req.dryRun) return { result: await strategy.dryRun(ctx, prep), failure: null };
  if (prep.gates.some((g) => !g.ok)) throw new GateRefusedError(prep.gates);
  throwIfInterrupted(deps.signal);

  // One release per subject × environment at a time: a short lease, kept alive by a heartbeat.
  const runId = deps.newRunId();
  const leases = leasesOf(deps);
  const holder = `${req.actor} (${prep.what}, run ${runId})`;
  const lease = await leases.acquire(subject, env, holder, runId, deps.leaseTtlMs);
  ctx.step(`lease taken (expires ${lease.expiresAt}, renewed while the run works)`);
  const guard = new LeaseGuard(leases, lease, deps.leaseTtlMs, deps);
  guard.start();
  let outcome: Outcome<Result>;
  try {
    // Under the lease every wait is a checkpoint: interrupted or the lease lost, the run stops.
    const guarded: SagaContext<Req> = {
      ...ctx,
      deps: { ...deps, sleep: guard.sleep },
      checkpoint: () => guard.checkpoint(),
      leaseHeld: () => guard.held(),
    };
    outcome = await underLease(guarded, strategy, prep, runId);
  } finally {
    guard.stop();
    // The run's result (or its error) stands whatever happens here: a lease that cannot be
    // deleted expires on its own, soon.
    const held = guard.current;
    await leases.release(held).then(
      () => ctx.step('lease released'),
      (err: unknown) =>
        ctx.step(`could not release the lease (${(err as Error).message}); it expires at ${held.expiresAt}`),
    );
  }
  // Only now, with the lease given back: a slow Slack or Grafana holds no one up.
  const notifications = outcome.notice
    ? await notifyOutcome(ctx, outcome.notice.record, outcome.notice.detail)
    : [];
  return outcome.finish(notifications);
}

/** How a run under the lease ended: what to notify, and its result once notified. */
interface Outcome<Result> {
  readonly notice: { readonly record: UnrecordedRun<RunRecord>; readonly detail: string | null } | null;
  readonly finish: (notifications: readonly NotificationReport[]) => Finished<Result>;
}

async function underLease<
  Req extends SagaRequest,
  Prep extends Prepared,
  Live,
  Run,
  R extends RunRecord,
  Result,
>(
  ctx: SagaContext<Req>,
  strategy: ReleaseStrategy<Req, Prep, Live, Run, R, Result>,
  prep: Prep,
  runId: string,
): Promise<Outcome<Result>> {
  const { deps, req, step } = ctx;
  // Read the ledger and what runs only now: under the lease nothing of ours moves them, so the
  // change and its undo are derived from what really runs.
  const ledger = ledgerOf(deps);
  const [here, live] = await Promise.all([
    ledger.view(strategy.subject(req), ctx.env),
    strategy.observe(ctx, prep),
  ]);
  const known: Known = { lastSeq: here.lastSeq, records: [...here.records] };
  const settled = await settleOpenRuns(ctx, strategy, ledger, live, known);
  const run = strategy.begin(ctx, prep, live, known.records, runId);
  await ctx.checkpoint();

  // Write-ahead: if we crash from here on, the next run settles this one from what really runs.
  const journal = new Journal<R>(ledger, strategy.started(run), known, step, deps.now);
  await journal.record('started');
  try {
    const view = (notifications: readonly NotificationReport[] = []): RunView<R> => ({
      outcome: journal.outcome,
      record: journal.state,
      ledger: journal.seqs,
      settled: settled.map((s) => s.seq),
      notifications,
    });
    const done = (failure: string | null): Outcome<Result> => ({
      notice: null,
      finish: () => ({ result: strategy.result(run, view()), failure }),
    });

    const acted = await strategy.act(ctx, run, journal);
    if (!acted.ok) {
      await journal.finish('failed', { ...acted.change, detail: acted.detail } as Partial<UnrecordedRun<R>>);
      return done(strategy.failure(ctx, journal.state, false));
    }
    if (req.wait === false) {
      step(`not waiting (--no-wait): ${acted.noWait}`);
      return done(null);
    }

    let ending: Ending<R>;
    try {
      ending = await strategy.wait(ctx, run, journal);
      if (!ending.open && ending.outcome === 'failed' && strategy.undo) {
        await ctx.checkpoint();
        ending = await strategy.undo(ctx, run, ending);
      }
      if (ending.open) {
        step(ending.detail);
        journal.note({ detail: ending.detail } as Partial<UnrecordedRun<R>>);
        return done(ending.awaiting ? null : strategy.failure(ctx, journal.state, true));
      }
      // The outcome is recorded only while the lease is still ours: a run whose lease was broken
      // meanwhile may have been settled, and overtaken, by the next run, and its "succeeded" would
      // say its version is live when the next run's is. Left open, what really runs settles it.
      await ctx.leaseHeld();
      await journal.finish(ending.outcome, { ...ending.change, detail: ending.detail } as Partial<
        UnrecordedRun<R>
      >);
    } catch (err) {
      step(
        `outcome unknown (${(err as Error).message}): ledger #${journal.seqs[0]} is left open; the next operation settles it from ECS`,
      );
      throw err;
    }

    const failure = ending.outcome === 'succeeded' ? null : strategy.failure(ctx, journal.state, false);
    return {
      notice: strategy.notifies ? { record: journal.state, detail: ending.detail } : null,
      finish: (notifications) => ({ result: strategy.result(run, view(notifications)), failure }),
    };
  } catch (err) {
    throw afterWriteAhead(err, journal);
  }
}

/**
 * An error that ends a run after its write-ahead record. Expired credentials are no longer
 * "nothing changed" (exit 2) then: the run may have changed what runs, and its record, left open,
 * is settled by the next command like any run cut short.
 */
function afterWriteAhead(err: unknown, journal: Journal<RunRecord>): unknown {
  const credentials = credentialsErrorOf(err);
  const seq = journal.seqs[0];
  if (!credentials || !journal.open || seq === undefined) return err;
  return new CredentialsExpiredInRunError(credentials.sdkError, seq, err);
}

/**
 * Runs whose newest record has no outcome were cut short (a crash) or left running (--no-wait).
 * Under the lease none of them is ours to wait for: what really runs says how each ended, and that
 * is appended as its outcome before this run starts.
 */
async function settleOpenRuns<Req extends SagaRequest, Live, R extends RunRecord>(
  ctx: SagaContext<Req>,
  strategy: Pick<ReleaseStrategy<Req, Prepared, Live, unknown, R, unknown>, 'openRuns' | 'settle'>,
  ledger: Ledger,
  live: Live,
  known: Known,
): Promise<LedgerRecord[]> {
  const open = strategy.openRuns(known.records);
  const out: LedgerRecord[] = [];
  for (const run of open) {
    const settlement = await strategy.settle(ctx, live, run, open);
    const detail = `settled by ${ctx.req.actor}: ${settlement.detail}`;
    ctx.step(detail);
    const { seq: _seq, recordedAt: _at, schema: _schema, ...rest } = run;
    const rec = await ledger.append(
      runRecord({
        ...rest,
        ...settlement.change,
        outcome: settlement.outcome,
        detail,
        finishedAt: ctx.deps.now().toISOString(),
        settles: run.seq,
      }),
      known,
    );
    known.records.push(rec);
    known.lastSeq = rec.seq;
    out.push(rec);
  }
  return out;
}

async function notifyOutcome<Req extends SagaRequest>(
  ctx: SagaContext<Req>,
  rec: UnrecordedRun<RunRecord>,
  detail: string | null,
): Promise<NotificationReport[]> {
  const notifications = await notify(
    {
      service: rec.service,
      env: ctx.env,
      version: rec.version,
      digest: rec.digest,
      action: rec.action,
      outcome: rec.outcome,
      actor: rec.actor,
      detail,
      time: ctx.deps.now(),
    },
    ctx.deps.notifier,
  );
  for (const n of notifications) ctx.step(`notify ${n.channel}: ${n.status} (${n.detail})`);
  return notifications;
}

/** What this run knows of its subject's ledger: the compacted records, and the last number. */
interface Known {
  lastSeq: number;
  readonly records: LedgerRecord[];
}

/**
 * One run's records: each is the run's state so far with a new outcome, appended at the next
 * sequence number. The first is the write-ahead `started`.
 */
export class Journal<R extends RunRecord> {
  readonly seqs: number[] = [];
  private current: UnrecordedRun<R>;
  private finished = false;

  constructor(
    private readonly ledger: Ledger,
    first: UnrecordedRun<R>,
    private readonly known: Known,
    private readonly step: (line: string) => void,
    private readonly now: () => Date,
  ) {
    this.current = first;
  }

  get state(): UnrecordedRun<R> {
    return this.current;
  }

  get outcome(): R['outcome'] {
    return this.current.outcome;
  }

  /** Written ahead and not yet finished in the ledger: the next run settles it from what runs. */
  get open(): boolean {
    return this.seqs.length > 0 && !this.finished;
  }

  /** Changes the state without a record (what a run left open is known to have reached). */
  note(change: Partial<UnrecordedRun<R>>): void {
    this.current = { ...this.current, ...change };
  }

  async record(outcome: R['outcome'], change: Partial<UnrecordedRun<R>> = {}): Promise<LedgerRecord> {
    this.current = { ...this.current, ...change, outcome };
    const rec = await this.ledger.append(runRecord(this.current), this.known);
    this.known.records.push(rec);
    this.known.lastSeq = rec.seq;
    this.seqs.push(rec.seq);
    const detail = this.current.detail;
    this.step(`ledger #${rec.seq}: ${outcome}${detail ? ` (${detail})` : ''}`);
    return rec;
  }

  /** The outcome, with when it finished. */
  async finish(outcome: R['outcome'], change: Partial<UnrecordedRun<R>> = {}): Promise<LedgerRecord> {
    const rec = await this.record(outcome, { ...change, finishedAt: this.now().toISOString() });
    this.finished = true;
    return rec;
  }
}

/** A run's record, as the ledger takes it: the ledger parses every record against its schema. */
function runRecord(rec: object): NewRecord {
  return rec as NewRecord;
}
