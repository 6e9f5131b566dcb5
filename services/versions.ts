/**
 * The release version format, in one place: an immutable ECR tag made from a git tag, `v` and
 * digits (`v42`). Versions come from git tags, never from a CI counter.
 */

/** As a string, for places that carry a pattern as text (Jenkins parameter checks). */
export const VERSION_PATTERN_SOURCE = '^v\\d+$';
export const VERSION_PATTERN = new RegExp(VERSION_PATTERN_SOURCE);
export const VERSION_EXAMPLE = 'v42';

export function isReleaseVersion(value: string): boolean {
  return VERSION_PATTERN.test(value);
}

/** Why `value` is not a release version, or null when it is one. */
export function versionProblem(value: string): string | null {
  return isReleaseVersion(value)
    ? null
    : `${JSON.stringify(value)} is not a release version; expected v followed by digits, e.g. ${VERSION_EXAMPLE}`;
}
