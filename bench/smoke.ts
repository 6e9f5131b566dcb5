/**
 * TDR_BENCH_SMOKE=1 (`npm run bench:smoke`, and CI after the tests): each bench once, on its
 * smallest input, so that a bench that breaks (or hangs, issue 27) fails CI rather than the next
 * person who runs it. Its numbers mean nothing; the full benches are `npm run bench`.
 */

const RUNS_MAX = 1_000;

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

/** Whether this is a smoke run; any value but unset, 0 or 1 is refused (exit 2). */
export function smoke(env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  const raw = env.TDR_BENCH_SMOKE;
  if (raw === undefined || raw === '' || raw === '0') return false;
  if (raw === '1') return true;
  fail(`TDR_BENCH_SMOKE: must be 1 (a smoke run) or 0 or unset, got ${JSON.stringify(raw.slice(0, 40))}`);
}

/** The repetitions: 1 in a smoke run, else the bench's argument (1 to 1,000) or its default. */
export function runsOf(arg: string | undefined, fallback: number): number {
  if (smoke()) return 1;
  if (arg === undefined) return fallback;
  const n = Number(arg);
  if (!/^\d+$/.test(arg) || n < 1 || n > RUNS_MAX)
    fail(`runs: must be a whole number from 1 to ${RUNS_MAX}, got ${JSON.stringify(arg.slice(0, 40))}`);
  return n;
}

/** The inputs to measure: in a smoke run only the first (each bench lists its smallest first). */
export function sizesOf<T>(all: readonly T[]): readonly T[] {
  return smoke() ? all.slice(0, 1) : all;
}
