/**
 * Polling until something settles or the time is up, and progress that speaks when the picture
 * changes (and at least every 30 s while it does not). What "settled" means is the caller's.
 */

export interface PollClock {
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly pollMs: number;
  readonly timeoutMs: number;
}

/** One look: either the answer, or what is seen while waiting for it. */
export type Probe<T, P> = { readonly done: T } | { readonly pending: P };

/** Probes until done; at the timeout, the last pending look. Never sleeps past the timeout. */
export async function pollUntil<T, P>(
  clock: PollClock,
  probe: (elapsedMs: number) => Promise<Probe<T, P>>,
): Promise<Probe<T, P> & { readonly elapsedMs: number }> {
  const start = clock.now();
  for (;;) {
    const elapsedMs = clock.now() - start;
    const look = await probe(elapsedMs);
    if ('done' in look || elapsedMs >= clock.timeoutMs) return { ...look, elapsedMs };
    await clock.sleep(Math.min(clock.pollMs, Math.max(0, clock.timeoutMs - elapsedMs)));
  }
}

/** A progress reporter `(elapsedMs, line)` that logs `what: N s elapsed, line` when worth saying. */
export function throttledProgress(
  log: (line: string) => void,
  what: string,
): (elapsedMs: number, line: string) => void {
  let lastLine = '';
  let lastAt = -Infinity;
  return (elapsedMs, line) => {
    if (line !== lastLine || elapsedMs - lastAt >= 30_000) {
      log(`${what}: ${Math.round(elapsedMs / 1000)} s elapsed, ${line}`);
      lastLine = line;
      lastAt = elapsedMs;
    }
  };
}
