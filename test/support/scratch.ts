/**
 * Temporary folders for the integration tests: each is made inside one folder per test process,
 * which is removed when the process exits (a mocha worker, or the one serial process), so a run of
 * the suite leaves nothing in the system's temporary folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let root: string | undefined;

/** A new folder named `prefix…`, removed with the others when this process exits. */
export function scratchDir(prefix: string): string {
  if (!root) {
    const made = mkdtempSync(join(tmpdir(), 'tdr-test-'));
    root = made;
    process.once('exit', () => rmSync(made, { recursive: true, force: true }));
  }
  return mkdtempSync(join(root, prefix));
}
