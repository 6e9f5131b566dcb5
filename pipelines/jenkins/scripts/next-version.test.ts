import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import fc from 'fast-check';
import { branchVersion, branchVersionProblem } from '../../../services/versions';

const SCRIPT = join(__dirname, 'next-version.sh');
const MAIN = 'master';

describe('next-version.sh (the build template’s version step) against a real git repository', () => {
  let repo: string;
  const git = (...args: string[]): string =>
    execFileSync('git', args, {
      cwd: repo,
      encoding: 'utf8',
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 't',
        GIT_AUTHOR_EMAIL: 't@example.test',
        GIT_COMMITTER_NAME: 't',
        GIT_COMMITTER_EMAIL: 't@example.test',
      },
    }).trim();
  const commit = (message: string): string => {
    writeFileSync(join(repo, 'file'), message);
    git('add', 'file');
    git('commit', '-q', '-m', message);
    return git('rev-parse', 'HEAD');
  };
  const nextVersion = (branch: string, main = MAIN) =>
    spawnSync('sh', [SCRIPT, branch, main], { cwd: repo, encoding: 'utf8' });

  beforeEach(() => {
    repo = mkdtempSync(join(tmpdir(), 'tdr-next-version-'));
    git('init', '-q', '-b', MAIN);
    commit('one');
    git('tag', 'v1');
    commit('two');
    git('tag', 'v2');
    // Tags that are not release versions do not count.
    git('tag', 'v7-rc1');
    git('tag', 'release-9');
    commit('three');
  });
  afterEach(() => rmSync(repo, { recursive: true, force: true }));

  it('gives v3 on the main branch after v1 and v2', () => {
    const r = nextVersion(MAIN);
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout).to.equal('v3\n');
  });

  it('gives branch-<name>-<sha7> on a branch, the same as services/versions.ts', () => {
    git('checkout', '-q', '-b', 'Feature/Upload_Limit');
    const sha = commit('on a branch');
    const r = nextVersion('Feature/Upload_Limit');
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout).to.equal(`branch-feature-upload-limit-${sha.slice(0, 7)}\n`);
    expect(r.stdout.trim()).to.equal(branchVersion('Feature/Upload_Limit', sha));
  });

  it('counts numerically (v10 after v9), and gives v1 to a repository without release tags', () => {
    git('tag', 'v9');
    commit('four');
    git('tag', 'v10');
    commit('five');
    expect(nextVersion(MAIN).stdout).to.equal('v11\n');
    for (const t of ['v1', 'v2', 'v9', 'v10']) git('tag', '-d', t);
    expect(nextVersion(MAIN).stdout).to.equal('v1\n');
  });

  it('gives a commit that already has a release tag that tag again (a re-run takes no second version)', () => {
    git('tag', 'v3');
    expect(nextVersion(MAIN).stdout).to.equal('v3\n');
  });

  it('refuses a branch with nothing to name a version by, and bad usage, with exit 2', () => {
    const r = nextVersion('//__');
    expect(r.status).to.equal(2);
    expect(r.stderr).to.contain('no letters or digits');
    expect(spawnSync('sh', [SCRIPT], { cwd: repo, encoding: 'utf8' }).status).to.equal(2);
  });

  it('names any branch as services/versions.ts does', () => {
    const sha = git('rev-parse', 'HEAD');
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 160 }), (branch) => {
        fc.pre(branch !== MAIN && !branch.includes('\0'));
        const r = nextVersion(branch);
        if (branchVersionProblem(branch, sha)) {
          expect(r.status, branch).to.equal(2);
        } else {
          expect(r.stdout, JSON.stringify(branch)).to.equal(`${branchVersion(branch, sha)}\n`);
        }
      }),
      { numRuns: 40 },
    );
  });
});
