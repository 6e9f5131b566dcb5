/**
 * A content-addressed cache for a slow, deterministic check (npm-groovy-lint takes about 50 s):
 * the result is kept under `.cache/<name>/<hash>.json` (git-ignored; TDR_CACHE_DIR moves it),
 * keyed by everything the result depends on, so the check runs again exactly when one of them
 * changes. Only passing runs are kept: a failure (or a broken tool) is always run afresh.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface CheckRun {
  readonly stdout: string;
  readonly stderr: string;
  readonly status: number | null;
}

const REPO_ROOT = join(__dirname, '..', '..');

export function cacheDir(name: string): string {
  return join(process.env.TDR_CACHE_DIR || join(REPO_ROOT, '.cache'), name);
}

/** The key: each part's bytes, length-prefixed so that no two different lists hash alike. */
export function cacheKey(parts: readonly (string | Buffer)[]): string {
  const hash = createHash('sha256');
  for (const part of parts) {
    const bytes = typeof part === 'string' ? Buffer.from(part) : part;
    hash.update(`${bytes.length}:`).update(bytes);
  }
  return hash.digest('hex');
}

/** The cached run for `parts`, or `run()`'s result, kept when it passed (status 0). */
export function cachedRun(
  name: string,
  parts: readonly (string | Buffer)[],
  run: () => CheckRun,
): CheckRun & { cached: boolean } {
  const dir = cacheDir(name);
  const file = join(dir, `${cacheKey(parts)}.json`);
  try {
    const hit = JSON.parse(readFileSync(file, 'utf8')) as CheckRun;
    if (hit.status === 0 && typeof hit.stdout === 'string') return { ...hit, cached: true };
  } catch {
    // no entry (or an unreadable one): run the check
  }
  const result = run();
  if (result.status === 0) {
    mkdirSync(dir, { recursive: true });
    // Written aside and renamed, so a parallel reader never sees half a file.
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(
      tmp,
      JSON.stringify({ stdout: result.stdout, stderr: result.stderr, status: result.status }),
    );
    renameSync(tmp, file);
  }
  return { ...result, cached: false };
}
