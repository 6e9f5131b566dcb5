/** Configuration errors, kept apart from ./validate so that reporting one does not load zod. */
export interface ValidationIssue {
  readonly path: string;
  readonly message: string;
}

/** Thrown when configuration is invalid; the CLI maps it to exit 2. */
export class PlatformConfigError extends Error {
  readonly exitCode = 2;
  constructor(readonly issues: readonly ValidationIssue[]) {
    super(
      `invalid platform configuration (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n` +
        issues.map((i) => `  ${i.path}: ${i.message}`).join('\n'),
    );
    this.name = 'PlatformConfigError';
  }
}
