/**
 * Typed errors of the release engine. Each says which kind of failure it is (services/errors.ts);
 * only `cli/` turns a kind into an exit number. A gate's refusal is the gates' own error
 * (`GateRefusedError` in ./gates), so that this module depends on nothing of the engine.
 */
import { PlatformError } from '../../services/errors';

/** Bad input found before any AWS call: nothing was called, nothing changed. */
export class ReleaseInputError extends PlatformError {
  readonly kind = 'invalid';
  constructor(message: string) {
    super(message);
    this.name = 'ReleaseInputError';
  }
}

/** Another release of the same service in the same environment holds the lease. */
export class LeaseHeldError extends PlatformError {
  readonly kind = 'conflict';
  constructor(
    readonly holder: string,
    readonly expiresAt: string,
  ) {
    super(`another release holds the lease: ${holder} (until ${expiresAt})`);
    this.name = 'LeaseHeldError';
  }
}

/** An earlier run of the same one-off task in the same environment is still running in ECS. */
export class TaskStillRunningError extends PlatformError {
  readonly kind = 'conflict';
  constructor(message: string) {
    super(message);
    this.name = 'TaskStillRunningError';
  }
}

/** The operation could not go on (e.g. what it needs is not provisioned). */
export class ReleaseFailedError extends PlatformError {
  readonly kind = 'failed';
  constructor(message: string) {
    super(message);
    this.name = 'ReleaseFailedError';
  }
}

/** An AWS call failed; says what was being attempted, keeps the SDK error as the cause. */
export class AwsCallError extends PlatformError {
  readonly kind = 'failed';
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
