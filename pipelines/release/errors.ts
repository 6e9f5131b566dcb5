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

/**
 * ECS is still working on a progressive deployment of the service (shifting traffic, baking, or
 * held for an approval): nothing else may change it until it ends, is approved or is rolled back.
 */
export class DeploymentInFlightError extends PlatformError {
  readonly kind = 'conflict';
  constructor(message: string) {
    super(message);
    this.name = 'DeploymentInFlightError';
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

/**
 * STS refused to let the caller assume a role (`AccessDenied` from AssumeRole: the role's trust or
 * the caller's policy does not allow it, or the role does not exist yet;
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html, Errors, and
 * CommonErrors.html AccessDeniedException). Nothing was called through the role.
 */
export class AssumeRoleRefusedError extends AwsCallError {
  constructor(
    attempted: string,
    readonly roleArn: string,
    cause: unknown,
  ) {
    super(attempted, cause);
    this.name = 'AssumeRoleRefusedError';
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

/** What to do about missing or expired credentials: the same words wherever they are met. */
const RENEW_CREDENTIALS =
  'Set AWS_PROFILE to a profile of ~/.aws/config (after `aws sso login --profile NAME` when it is an SSO ' +
  'profile), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN); for the sandbox, ' +
  'AWS_ENDPOINT_URL=http://127.0.0.1:5000 with any keys (README, "See a release without AWS")';

/**
 * AWS credentials are missing or expired: configuration, not a failed operation. The SDK's
 * credential chain throws `CredentialsProviderError` (no provider had credentials, or an SSO
 * session has expired) or `TokenProviderError` (no SSO token) before it sends a request
 * (@smithy/core property-provider; @aws-sdk/credential-provider-sso says "run aws sso login");
 * AWS answers `ExpiredToken` (STS, S3: https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html)
 * or `ExpiredTokenException` (JSON protocols) to a request signed with an expired session, with
 * the message "The security token included in the request is expired" (the common error of
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/CommonErrors.html, ExpiredTokenException).
 */
export class CredentialsError extends PlatformError {
  readonly kind = 'invalid';
  constructor(readonly sdkError: string) {
    super(`AWS credentials are missing or expired (${sdkError}). ${RENEW_CREDENTIALS}`);
    this.name = 'CredentialsError';
  }
}

/**
 * The credentials expired after a release wrote its write-ahead record: by then it may have
 * changed what runs, so this is not configuration with "nothing changed" (exit 2) but a failed
 * run (exit 1). Its record stays as written, open, as after a crash: the next command, with
 * credentials renewed, settles it from what really runs (saga.ts, settleOpenRuns). The lease
 * could not be released either (same credentials); it expires on its own.
 */
export class CredentialsExpiredInRunError extends PlatformError {
  readonly kind = 'failed';
  constructor(
    readonly sdkError: string,
    readonly openSeq: number,
    cause: unknown,
  ) {
    super(
      `AWS credentials expired during the run (${sdkError}): ledger #${openSeq} is left open, and the ` +
        `next command settles it from what really runs. ${RENEW_CREDENTIALS}; then run the command again`,
      { cause },
    );
    this.name = 'CredentialsExpiredInRunError';
  }
}

const CREDENTIAL_ERROR_NAMES = new Set([
  'CredentialsProviderError',
  'TokenProviderError',
  'ExpiredToken',
  'ExpiredTokenException',
]);
/** AWS's words for an expired session, whatever name a service's error carries. */
const EXPIRED_TOKEN_MESSAGE = /security token included in the request is expired/i;

/**
 * The credentials problem an error is, or wraps (an AwsCallError keeps the SDK's error as its
 * cause), as a CredentialsError; undefined for any other error, and for a run that met expired
 * credentials after its write-ahead (CredentialsExpiredInRunError says so itself).
 */
export function credentialsErrorOf(err: unknown): CredentialsError | undefined {
  const seen = new Set<unknown>();
  for (
    let e: unknown = err;
    e && typeof e === 'object' && !seen.has(e);
    e = (e as { cause?: unknown }).cause
  ) {
    seen.add(e);
    if (e instanceof CredentialsError) return e;
    if (e instanceof CredentialsExpiredInRunError) return undefined;
    const name = (e as { name?: unknown }).name;
    const message = String((e as { message?: unknown }).message ?? '');
    if (
      typeof name === 'string' &&
      (CREDENTIAL_ERROR_NAMES.has(name) ||
        (!(e instanceof PlatformError) && EXPIRED_TOKEN_MESSAGE.test(message)))
    ) {
      // The SDK's message, first sentence only: one line.
      const first = message.split(/(?<=\.)\s/)[0] ?? '';
      return new CredentialsError(`${name}: ${first.replace(/\s+/g, ' ').trim()}`);
    }
  }
  return undefined;
}
