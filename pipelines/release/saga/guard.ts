/**
 * What keeps a run honest while it holds the lease: a heartbeat that renews the short lease, and
 * checkpoints between calls where the run stops before its next change if the lease can no longer
 * be kept or the process was asked to stop (SIGINT, SIGTERM: what a Jenkins abort sends). The call
 * in flight always finishes; the saga then records what is known and releases the lease.
 */
import { PlatformError } from '../../../services/errors';
import { LeaseLostError, type Lease, type Leases } from '../ledger/lease';

export type StopSignal = 'SIGINT' | 'SIGTERM';

/** The process was asked to stop; the run stopped at a checkpoint. */
export class InterruptedError extends PlatformError {
  readonly kind = 'failed';
  constructor(readonly signal: StopSignal) {
    super(`interrupted by ${signal}`);
    this.name = 'InterruptedError';
  }
}

/** Throws InterruptedError if `signal` was aborted with a stop signal's name as its reason. */
export function throwIfInterrupted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new InterruptedError(signal.reason === 'SIGINT' ? 'SIGINT' : 'SIGTERM');
}

export interface GuardDeps {
  readonly now: () => Date;
  readonly sleep: (ms: number) => Promise<void>;
  readonly log: (line: string) => void;
  readonly signal?: AbortSignal | undefined;
}

export class LeaseGuard {
  private renewedAt: number;
  private lost: LeaseLostError | null = null;
  private renewing: Promise<void> | null = null;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly leases: Leases,
    private lease: Lease,
    private readonly ttlMs: number,
    private readonly deps: GuardDeps,
  ) {
    this.renewedAt = deps.now().getTime();
  }

  get current(): Lease {
    return this.lease;
  }

  /** Renews in the background too, so one long call never outlives the lease. */
  start(): void {
    this.timer = setInterval(
      () => void this.renewIfDue().catch(() => undefined),
      Math.max(1000, this.ttlMs / 3),
    );
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /**
   * Before a change: stop if interrupted, or if the lease is lost or could not be renewed in time;
   * renew when a third of it is gone; and read the lease, so that one broken (`tdr lease break`)
   * or taken over since the last renewal stops the run here, before the change, rather than at
   * the next renewal up to a third of the TTL later (lease-admin.ts promises the holder stops
   * before its next change). One GET per change; waits only renew (`sleep`).
   */
  async checkpoint(): Promise<void> {
    await this.pause();
    await this.verify();
    if (this.lost) throw this.lost;
  }

  /** Throws LeaseLostError if the lease is no longer this run's (whatever the signal says). */
  async held(): Promise<void> {
    if (!this.lost) await this.verify();
    if (this.lost) throw this.lost;
  }

  /** Between two polls of a wait: interrupted, or the lease lost or not renewable, stops the run. */
  private async pause(): Promise<void> {
    throwIfInterrupted(this.deps.signal);
    await this.renewIfDue();
    if (this.lost) throw this.lost;
  }

  /**
   * Whether the lease object is still this run's. A read that fails is not a loss: the lease is
   * ours until it expires, which the heartbeat's failed renewals already watch. A break in the
   * milliseconds between this read and the change is not caught: ECS and Lambda take no fencing
   * token, so this narrows the window from a third of the TTL to one round trip.
   */
  private async verify(): Promise<void> {
    let current;
    try {
      current = await this.leases.read(this.lease.key);
    } catch (err) {
      this.deps.log(`could not read the lease back before the change (${(err as Error).message})`);
      return;
    }
    if (current?.runId === this.lease.runId) return;
    this.lost = new LeaseLostError(
      current
        ? `the lease was taken by ${current.holder} (until ${current.expiresAt}): stopped before the next change`
        : 'the lease was broken (tdr lease break) or released by someone else: stopped before the next change',
    );
  }

  /** The run's sleep while it waits: wakes at once when interrupted, and is a checkpoint. */
  readonly sleep = async (ms: number): Promise<void> => {
    const signal = this.deps.signal;
    if (signal && !signal.aborted) {
      let onAbort: () => void = () => undefined;
      const aborted = new Promise<void>((resolve) => {
        onAbort = resolve;
        signal.addEventListener('abort', onAbort, { once: true });
      });
      await Promise.race([this.deps.sleep(ms), aborted]);
      signal.removeEventListener('abort', onAbort);
    } else await this.deps.sleep(ms);
    await this.pause();
  };

  private renewIfDue(): Promise<void> {
    if (this.lost) return Promise.resolve();
    const now = this.deps.now().getTime();
    if (now - this.renewedAt < this.ttlMs / 3) return this.renewing ?? Promise.resolve();
    this.renewing ??= this.renew(now).finally(() => (this.renewing = null));
    return this.renewing;
  }

  private async renew(now: number): Promise<void> {
    try {
      this.lease = await this.leases.renew(this.lease, this.ttlMs);
      this.renewedAt = now;
    } catch (err) {
      if (err instanceof LeaseLostError) {
        this.lost = err;
        return;
      }
      // A failed renewal is tried again at the next checkpoint while the lease is safely ours.
      const left = Date.parse(this.lease.expiresAt) - this.deps.now().getTime();
      this.deps.log(
        `could not renew the lease (${(err as Error).message}); ${Math.round(left / 1000)} s left on it`,
      );
      if (left <= this.ttlMs / 3)
        this.lost = new LeaseLostError(
          `could not renew the lease before it runs out (${(err as Error).message}): stopping before the next change`,
        );
    }
  }
}
