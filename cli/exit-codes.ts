/**
 * The exit codes of DESIGN.md's CLI contract. Errors anywhere in the platform steer the exit
 * code by carrying a numeric `exitCode` property; the CLI never guesses from a message.
 */
export const ExitCode = {
  ok: 0,
  failed: 1,
  invalidInput: 2,
  refusedByGate: 3,
  conflict: 4,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** Bad input or configuration found by the CLI itself: nothing was called, nothing changed. */
export class UsageError extends Error {
  readonly exitCode = ExitCode.invalidInput;
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function exitCodeOf(err: unknown): number {
  if (typeof err === 'object' && err !== null && 'exitCode' in err) {
    const code = (err as { exitCode: unknown }).exitCode;
    if (typeof code === 'number' && Number.isInteger(code) && code >= 0 && code <= 4) return code;
  }
  return ExitCode.failed;
}
