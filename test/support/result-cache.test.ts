import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { cacheKey, cachedRun, type CheckRun } from './result-cache';

describe('the content-hash result cache (test support)', () => {
  let dir: string;
  let saved: string | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tdr-result-cache-'));
    saved = process.env.TDR_CACHE_DIR;
    process.env.TDR_CACHE_DIR = dir;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.TDR_CACHE_DIR;
    else process.env.TDR_CACHE_DIR = saved;
    rmSync(dir, { recursive: true, force: true });
  });

  function counting(result: CheckRun) {
    const calls = { n: 0 };
    return { calls, run: () => (calls.n++, result) };
  }

  it('runs once per content, and again when any part changes', () => {
    const ok = counting({ stdout: '{"ok":1}', stderr: '', status: 0 });
    expect(cachedRun('lint', ['a', 'b'], ok.run)).to.deep.include({ stdout: '{"ok":1}', cached: false });
    expect(cachedRun('lint', ['a', 'b'], ok.run)).to.deep.include({ stdout: '{"ok":1}', cached: true });
    expect(ok.calls.n).to.equal(1);
    cachedRun('lint', ['a', 'c'], ok.run);
    expect(ok.calls.n).to.equal(2);
    expect(readdirSync(join(dir, 'lint'))).to.have.length(2);
  });

  it('never keeps a failing run', () => {
    const failing = counting({ stdout: '', stderr: 'boom', status: 1 });
    cachedRun('lint', ['x'], failing.run);
    expect(cachedRun('lint', ['x'], failing.run)).to.deep.include({ status: 1, cached: false });
    expect(failing.calls.n).to.equal(2);
  });

  it('tells lists apart that concatenate alike', () => {
    expect(cacheKey(['ab', 'c'])).not.to.equal(cacheKey(['a', 'bc']));
    expect(cacheKey(['ab', 'c'])).to.equal(cacheKey(['ab', 'c']));
  });
});
