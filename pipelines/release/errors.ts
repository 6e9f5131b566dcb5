/**
 * Typed errors of the release engine. Each carries the CLI exit code of DESIGN.md's contract so
 * that the command line never guesses from a message.
 */
import type { GateVerdict } from './gates';

/** Bad input found before any AWS call: nothing was called, nothing changed. */
export class ReleaseInputError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'ReleaseInputError';
  }
}

/** One or more promotion gates refused; every refusal is listed at once. */
export class GateRefusedError extends Error {
  readonly exitCode = 3;
  constructor(readonly verdicts: readonly GateVerdict[]) {
    const refused = verdicts.filter((v) => !v.ok);
    super(
      `refused by ${refused.length} gate${refused.length === 1 ? '' : 's'}:\n` +
        refused.map((v) => `  [NG] ${v.gate}: ${v.detail}`).join('\n'),
    );
    this.name = 'GateRefusedError';
  }
}

/** Another release of the same service in the same environment holds the lease. */
export class LeaseHeldError extends Error {
  readonly exitCode = 4;
  constructor(
    readonly holder: string,
    readonly expiresAt: string,
  ) {
    super(`another release holds the lease: ${holder} (until ${expiresAt})`);
    this.name = 'LeaseHeldError';
  }
}

/** An earlier run of the same one-off task in the same environment is still running in ECS. */
export class TaskStillRunningError extends Error {
  readonly exitCode = 4;
  constructor(message: string) {
    super(message);
    this.name = 'TaskStillRunningError';
  }
}

/** The operation ran and failed (e.g. a rollout failed and was rolled back). */
export class ReleaseFailedError extends Error {
  readonly exitCode = 1;
  constructor(message: string) {
    super(message);
    this.name = 'ReleaseFailedError';
  }
}

/** An AWS call failed; says what was being attempted, keeps the SDK error as the cause. */
export class AwsCallError extends Error {
  readonly exitCode = 1;
  constructor(
    readonly attempted: string,
    cause: unknown,
  ) {
    const e = cause as { name?: string; message?: string };
    super(`${attempted}: ${e?.name ?? 'Error'}: ${e?.message ?? String(cause)}`, { cause });
    this.name = 'AwsCallError';
  }
}

/** Runs one AWS call, wrapping any failure with what was being attempted. */
export async function attempt<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof AwsCallError) throw err;
    throw new AwsCallError(what, err);
  }
}

/** The HTTP status of an SDK error, if any (412 is how S3 refuses a conditional write). */
export function httpStatusOf(err: unknown): number | undefined {
  const e = err instanceof AwsCallError ? (err.cause as { $metadata?: { httpStatusCode?: number } }) : err;
  return (e as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
}

export function errorName(err: unknown): string | undefined {
  const e = err instanceof AwsCallError ? err.cause : err;
  return (e as { name?: string } | undefined)?.name;
}
