import { expect } from 'chai';
import fc from 'fast-check';
import {
  BRANCH_VERSION_EXAMPLE,
  BRANCH_VERSION_PATTERN,
  BUILD_VERSION_PATTERN_SOURCE,
  BranchVersionError,
  MAX_IMAGE_TAG_LENGTH,
  branchVersion,
  branchVersionProblem,
  buildVersionProblem,
  gitCommitProblem,
  isBranchVersion,
  isReleaseVersion,
  sanitiseBranchName,
} from './versions';

/** The image tag rule a registry enforces on push (Docker/OCI distribution; ECR keeps to it). */
const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';

describe('branch versions', () => {
  it('are branch-<sanitised name>-<sha7>', () => {
    expect(branchVersion('main', SHA)).to.equal('branch-main-a1b2c3d');
    expect(branchVersion('Feature/JIRA-12_Upload', SHA)).to.equal('branch-feature-jira-12-upload-a1b2c3d');
    expect(branchVersion('--fix..the//thing--', 'ABCDEF1')).to.equal('branch-fix-the-thing-abcdef1');
    expect(branchVersion('dependabot/npm_and_yarn/axios-1.7.4', SHA)).to.equal(
      'branch-dependabot-npm-and-yarn-axios-1-7-4-a1b2c3d',
    );
    expect(isBranchVersion(BRANCH_VERSION_EXAMPLE)).to.equal(true);
  });

  it('cut long names to fit a 128-character tag, never ending the name in a hyphen', () => {
    const version = branchVersion(`${'a'.repeat(112)}-b-${'c'.repeat(50)}`, SHA);
    expect(version).to.have.length.at.most(MAX_IMAGE_TAG_LENGTH);
    expect(version).to.equal(`branch-${'a'.repeat(112)}-a1b2c3d`);
    expect(isBranchVersion(version)).to.equal(true);
  });

  it('refuse a commit that is not hexadecimal and a name with no letters or digits (kind invalid)', () => {
    expect(() => branchVersion('main', 'not-a-sha')).to.throw(BranchVersionError, /not a git commit/);
    expect(() => branchVersion('main', 'abc12')).to.throw(BranchVersionError, /7 to 40 hexadecimal/);
    expect(() => branchVersion('//__', SHA)).to.throw(BranchVersionError, /no letters or digits/);
    expect(new BranchVersionError('x').kind).to.equal('invalid');
    expect(branchVersionProblem('main', SHA)).to.equal(null);
  });

  it('are never release versions, and release versions are never branch versions', () => {
    expect(isReleaseVersion(branchVersion('v42', SHA))).to.equal(false);
    expect(isBranchVersion('v42')).to.equal(false);
    for (const bad of [
      'branch--a1b2c3d',
      'branch-main-A1B2C3D',
      'branch-main-a1b2c3',
      'branch-main',
      'main-a1b2c3d',
    ])
      expect(isBranchVersion(bad), bad).to.equal(false);
    expect(isBranchVersion(`branch-${'a'.repeat(200)}-a1b2c3d`)).to.equal(false);
  });

  it('are valid image tags for any branch name and commit', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 300 }),
        fc.stringMatching(/^[0-9a-f]{7,40}$/),
        (branch, sha) => {
          fc.pre(branchVersionProblem(branch, sha) === null);
          const version = branchVersion(branch, sha);
          expect(version).to.match(IMAGE_TAG);
          expect(version).to.match(BRANCH_VERSION_PATTERN);
          expect(isBranchVersion(version)).to.equal(true);
          expect(sanitiseBranchName(branch)).to.equal(sanitiseBranchName(sanitiseBranchName(branch)));
        },
      ),
    );
  });

  it('are accepted, with release versions, by the pattern for deploys fed by the build', () => {
    const build = new RegExp(BUILD_VERSION_PATTERN_SOURCE);
    expect(build.test('v42')).to.equal(true);
    expect(build.test(BRANCH_VERSION_EXAMPLE)).to.equal(true);
    for (const bad of ['42', 'v42-x', 'branch-x', 'latest', `v1\nbranch-a-a1b2c3d`])
      expect(build.test(bad), bad).to.equal(false);
  });
});

describe('input checks for versions and commits', () => {
  it('a build version is a release or a branch build; nothing else', () => {
    expect(buildVersionProblem('v42')).to.equal(null);
    expect(buildVersionProblem(BRANCH_VERSION_EXAMPLE)).to.equal(null);
    for (const bad of ['42', 'v4.2', 'branch-x', 'branch-Fix-1a2b3c4', 'latest'])
      expect(buildVersionProblem(bad), bad).to.contain('is not a version');
  });

  it('a git commit to record is 7 to 40 lowercase hex digits', () => {
    expect(gitCommitProblem('abc1234')).to.equal(null);
    expect(gitCommitProblem(SHA)).to.equal(null);
    for (const bad of ['abc123', 'ABC1234', `${SHA}0`, 'g123456', ''])
      expect(gitCommitProblem(bad), bad).to.contain('is not a git commit');
  });
});
