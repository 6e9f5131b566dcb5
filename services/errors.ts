/** Configuration errors, kept apart from ./validate so that reporting one does not load zod. */

/**
 * What kind of failure an error is. Library code says only this; `cli/` alone maps kinds to
 * process exit numbers (DESIGN.md's CLI contract).
 *
 * - `invalid`: bad input or configuration, found before anything was called or changed
 * - `refused`: a promotion gate said no
 * - `conflict`: another run holds what this one needs (the lease, a still-running task)
 * - `failed`: the operation ran and failed
 */
export type ErrorKind = 'invalid' | 'refused' | 'conflict' | 'failed';

/** An error that says which kind of failure it is; every typed error of the platform is one. */
export abstract class PlatformError extends Error {
  abstract readonly kind: ErrorKind;
}

export interface ValidationIssue {
  readonly path: string;
  readonly message: string;
}

/** Thrown when configuration is invalid. */
export class PlatformConfigError extends PlatformError {
  readonly kind = 'invalid';
  constructor(readonly issues: readonly ValidationIssue[]) {
    super(issuesMessage('invalid platform configuration', issues));
    this.name = 'PlatformConfigError';
  }
}

/** `<title> (N problems):` and one indented `path: message` line per issue. */
export function issuesMessage(title: string, issues: readonly ValidationIssue[]): string {
  return (
    `${title} (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n` +
    issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')
  );
}
