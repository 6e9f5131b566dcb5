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
   * Between two calls: stop if interrupted, or if the lease is lost or could not be renewed in
   * time (before the next change, never in the middle of one); renew when a third of it is gone.
   */
  async checkpoint(): Promise<void> {
    throwIfInterrupted(this.deps.signal);
    await this.renewIfDue();
    if (this.lost) throw this.lost;
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
    await this.checkpoint();
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
