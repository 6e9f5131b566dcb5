/**
 * Golden files (mocha has no snapshots): compare `actual` with the committed file, or rewrite the
 * file when UPDATE_GOLDEN=1 so that a reviewer sees every change in the pull request's diff.
 */
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { expect } from 'chai';

export function expectGolden(file: string, actual: string): void {
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  if (!existsSync(file))
    throw new Error(`golden file ${file} is missing: run with UPDATE_GOLDEN=1 to create it`);
  const expected = readFileSync(file, 'utf8');
  expect(
    actual,
    `${file} differs from a fresh render (refresh with UPDATE_GOLDEN=1 and review the diff)`,
  ).to.equal(expected);
}
