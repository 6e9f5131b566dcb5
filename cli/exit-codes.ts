/**
 * The exit codes of DESIGN.md's CLI contract. Errors anywhere in the platform say what kind of
 * failure they are (`PlatformError.kind`); only this file turns a kind into a number, and the CLI
 * never guesses from a message.
 */
import { PlatformError, type ErrorKind } from '../services/errors';

export const ExitCode = {
  ok: 0,
  failed: 1,
  invalidInput: 2,
  refusedByGate: 3,
  conflict: 4,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** Bad input or configuration found by the CLI itself: nothing was called, nothing changed. */
export class UsageError extends PlatformError {
  readonly kind = 'invalid';
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const EXIT_CODE_OF_KIND: Readonly<Record<ErrorKind, ExitCodeValue>> = {
  invalid: ExitCode.invalidInput,
  refused: ExitCode.refusedByGate,
  conflict: ExitCode.conflict,
  failed: ExitCode.failed,
};

/** A run stopped by a signal exits as a shell reports a process killed by it: 128 + its number. */
export const EXIT_CODE_OF_SIGNAL: Readonly<Record<'SIGINT' | 'SIGTERM', number>> = {
  SIGINT: 130,
  SIGTERM: 143,
};

export function exitCodeOf(err: unknown): number {
  if (typeof err === 'object' && err !== null && 'signal' in err) {
    const signal = (err as { signal: unknown }).signal;
    if (signal === 'SIGINT' || signal === 'SIGTERM') return EXIT_CODE_OF_SIGNAL[signal];
  }
  if (typeof err === 'object' && err !== null && 'kind' in err) {
    const kind = (err as { kind: unknown }).kind;
    if (typeof kind === 'string' && Object.hasOwn(EXIT_CODE_OF_KIND, kind))
      return EXIT_CODE_OF_KIND[kind as ErrorKind];
  }
  return ExitCode.failed;
}
