/**
 * The version formats, in one place. A release is an immutable ECR tag made from a git tag, `v`
 * and digits (`v42`): versions come from git tags, never from a CI counter. A branch build is
 * `branch-<name>-<sha7>`: pushed by a branch's build when asked, deployable to the environment
 * fed by the build (intg) and never promoted from it.
 */
import { PlatformError } from './errors';

/** As a string, for places that carry a pattern as text (Jenkins parameter checks). */
export const VERSION_PATTERN_SOURCE = '^v\\d+$';
export const VERSION_PATTERN = new RegExp(VERSION_PATTERN_SOURCE);
export const VERSION_EXAMPLE = 'v42';

export function isReleaseVersion(value: string): boolean {
  return VERSION_PATTERN.test(value);
}

/** An image tag's longest (the Docker/OCI rule ECR enforces on push; see the branch version's note below). */
const TAG_MAX = 128;

function tooLong(value: string): string {
  return `${JSON.stringify(value.slice(0, 20))}… is ${value.length} characters; a version is an image tag, at most ${TAG_MAX}`;
}

/** Why `value` is not a release version, or null when it is one. */
export function versionProblem(value: string): string | null {
  if (value.length > TAG_MAX) return tooLong(value);
  return isReleaseVersion(value)
    ? null
    : `${JSON.stringify(value)} is not a release version; expected v followed by digits, e.g. ${VERSION_EXAMPLE}`;
}

/*
 * A branch version is an image tag, so it keeps to the tag rules ECR enforces on push (the Docker
 * and OCI distribution rule): letters, digits, `_`, `.` and `-`, not starting with `.` or `-`, at
 * most 128 characters (https://docs.docker.com/engine/reference/commandline/image_tag/; ECR's
 * API admits up to 300, https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_ImageIdentifier.html,
 * so 128 is the binding limit). The name part is lowercase words joined by single hyphens, which
 * is within those rules and reads the same in a tag, a ledger record and a Jenkins build name.
 */
export const BRANCH_VERSION_PREFIX = 'branch-';
export const MAX_IMAGE_TAG_LENGTH = 128;
const SHA_LENGTH = 7;
/** Room left for the name: the prefix, one hyphen and the short commit take the rest. */
export const MAX_BRANCH_NAME_LENGTH = MAX_IMAGE_TAG_LENGTH - BRANCH_VERSION_PREFIX.length - 1 - SHA_LENGTH;

export const BRANCH_VERSION_PATTERN_SOURCE = `^${BRANCH_VERSION_PREFIX}[a-z0-9]+(?:-[a-z0-9]+)*-[0-9a-f]{${SHA_LENGTH}}$`;
export const BRANCH_VERSION_PATTERN = new RegExp(BRANCH_VERSION_PATTERN_SOURCE);
export const BRANCH_VERSION_EXAMPLE = 'branch-fix-upload-limit-1a2b3c4';

/** A release version or a branch version (what a deploy to the environment fed by the build takes). */
export const BUILD_VERSION_PATTERN_SOURCE = `^(?:v\\d+|${BRANCH_VERSION_PATTERN_SOURCE.slice(1, -1)})$`;

export function isBranchVersion(value: string): boolean {
  return value.length <= MAX_IMAGE_TAG_LENGTH && BRANCH_VERSION_PATTERN.test(value);
}

/**
 * The name part of a branch version: ASCII letters lowercased, every run of other characters one hyphen, no
 * hyphen at either end, cut to fit the tag limit. `Feature/JIRA-12_Upload` → `feature-jira-12-upload`.
 * `pipelines/jenkins/scripts/next-version.sh` does the same in the build (a test holds them equal).
 */
export function sanitiseBranchName(branch: string): string {
  return branch
    .replace(/[A-Z]/g, (c) => c.toLowerCase())
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_BRANCH_NAME_LENGTH)
    .replace(/-+$/, '');
}

/** Why a branch version cannot be made from these, or null when it can. */
export function branchVersionProblem(branch: string, sha: string): string | null {
  if (!/^[0-9a-fA-F]{7,40}$/.test(sha))
    return `${JSON.stringify(sha)} is not a git commit; expected 7 to 40 hexadecimal digits`;
  if (sanitiseBranchName(branch) === '')
    return `branch ${JSON.stringify(branch)} has no letters or digits to name a version by`;
  return null;
}

/** A branch version asked for with a commit or a name it cannot be made from. */
export class BranchVersionError extends PlatformError {
  readonly kind = 'invalid';
  constructor(message: string) {
    super(message);
    this.name = 'BranchVersionError';
  }
}

/** `branch-<sanitised name>-<sha7>`; a commit that is not hexadecimal or a name with nothing in it is invalid. */
export function branchVersion(branch: string, sha: string): string {
  const problem = branchVersionProblem(branch, sha);
  if (problem) throw new BranchVersionError(problem);
  return `${BRANCH_VERSION_PREFIX}${sanitiseBranchName(branch)}-${sha.slice(0, SHA_LENGTH).toLowerCase()}`;
}

/**
 * Why `value` is neither a release version nor a branch version, or null when it is one. Input
 * checks take either; where a branch build may go is a gate's decision (a refusal, not bad input).
 */
export function buildVersionProblem(value: string): string | null {
  if (value.length > TAG_MAX) return tooLong(value);
  return isReleaseVersion(value) || isBranchVersion(value)
    ? null
    : `${JSON.stringify(value)} is not a version; expected a release version (v followed by digits, e.g. ${VERSION_EXAMPLE}) or a branch build (e.g. ${BRANCH_VERSION_EXAMPLE})`;
}

/** A git commit as recorded: 7 to 40 lowercase hexadecimal digits. */
export const GIT_COMMIT_PATTERN = /^[0-9a-f]{7,40}$/;

/** Why `value` is not a git commit to record, or null when it is one. */
export function gitCommitProblem(value: string): string | null {
  return GIT_COMMIT_PATTERN.test(value)
    ? null
    : `${JSON.stringify(value)} is not a git commit; expected 7 to 40 lowercase hexadecimal digits`;
}
