/**
 * One release at a time per service × environment: a lease object in the ledger bucket, taken
 * with a conditional put (`If-None-Match: *`), taken over only when expired and only with
 * `If-Match` on the expired lease's ETag (so two runs cannot both take over), renewed by the
 * holder's heartbeat with `If-Match` on its own ETag, released with a conditional delete.
 *
 * Every write carries the run's id. A write whose reply was lost (S3 applied it, the connection
 * dropped, the SDK's retry got 412) is read back and recognised as the run's own, so a run never
 * reports its own lease as held by someone else. A crashed run's lease expires within its short
 * TTL, so it cannot block releases for long.
 */
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { z } from 'zod';
import { PlatformError } from '../../../services/errors';
import { AwsCallError, LeaseHeldError, attempt, errorName, httpStatusOf } from '../errors';

const leaseSchema = z.object({
  holder: z.string(),
  runId: z.string(),
  acquiredAt: z.string(),
  expiresAt: z.string(),
  /** When the heartbeat last renewed it (absent on leases written before heartbeats). */
  renewedAt: z.string().optional(),
  /**
   * A release train's lease (issue 26): the members it holds, so that the saga's one read of it
   * tells whether a single release is one of them (absent on other leases and on older trains').
   */
  members: z.array(z.string().max(100)).max(500).optional(),
});
export type LeaseBody = z.infer<typeof leaseSchema>;

export interface Lease extends LeaseBody {
  readonly key: string;
  readonly etag: string;
}

/** The lease is no longer ours: it expired and was taken over, or was broken. */
export class LeaseLostError extends PlatformError {
  readonly kind = 'conflict';
  constructor(message: string) {
    super(message);
    this.name = 'LeaseLostError';
  }
}

/**
 * `lease break` found no lease to break: a state found in AWS after asking, not bad input (exit 2
 * promises nothing was called), so the operation failed.
 */
export class NoLeaseError extends PlatformError {
  readonly kind = 'failed';
  constructor(message: string) {
    super(message);
    this.name = 'NoLeaseError';
  }
}

const LEASE_PREFIX = 'leases/';

export function leaseKey(service: string, env: string): string {
  return `${LEASE_PREFIX}${service}/${env}.json`;
}

/** `leases/{service}/{env}.json` → its service and environment. */
export function leaseSubject(key: string): { service: string; env: string } | undefined {
  const m = /^leases\/([^/]+)\/([^/]+)\.json$/.exec(key);
  return m ? { service: m[1] as string, env: m[2] as string } : undefined;
}

export class Leases {
  constructor(
    private readonly s3: S3Client,
    readonly bucket: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Takes the lease or throws LeaseHeldError naming the holder. */
  async acquire(
    service: string,
    env: string,
    holder: string,
    runId: string,
    ttlMs: number,
    members?: readonly string[],
  ): Promise<Lease> {
    const key = leaseKey(service, env);
    const now = this.now();
    const body: LeaseBody = {
      holder,
      runId,
      acquiredAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + ttlMs).toISOString(),
      ...(members ? { members: [...members] } : {}),
    };
    for (let attemptNo = 0; attemptNo < 3; attemptNo++) {
      const current = attemptNo === 0 ? undefined : await this.read(key);
      if (current?.runId === runId) return current; // our own write, its reply lost
      if (current && Date.parse(current.expiresAt) > this.now().getTime())
        throw new LeaseHeldError(current.holder, current.expiresAt);
      // Free (first try, or released meanwhile), or expired: take it, over its ETag if expired.
      const condition = current ? { IfMatch: current.etag } : { IfNoneMatch: '*' };
      const taken = await this.put(key, body, condition, 'taking');
      if (taken !== undefined) return { ...body, key, etag: taken };
    }
    const winner = await this.read(key);
    if (winner?.runId === runId) return winner;
    throw new LeaseHeldError(winner?.holder ?? 'another release', winner?.expiresAt ?? 'unknown');
  }

  /** Extends the lease by `ttlMs` from now; throws LeaseLostError when it is no longer ours. */
  async renew(lease: Lease, ttlMs: number): Promise<Lease> {
    const now = this.now();
    const body: LeaseBody = {
      holder: lease.holder,
      runId: lease.runId,
      acquiredAt: lease.acquiredAt,
      expiresAt: new Date(now.getTime() + ttlMs).toISOString(),
      renewedAt: now.toISOString(),
      ...(lease.members ? { members: lease.members } : {}),
    };
    const etag = await this.put(lease.key, body, { IfMatch: lease.etag }, 'renewing');
    if (etag !== undefined) return { ...body, key: lease.key, etag };
    const current = await this.read(lease.key);
    // Our renewal applied and its reply was lost: the object is ours, with our new expiry.
    if (current?.runId === lease.runId) return current;
    throw new LeaseLostError(
      current
        ? `the lease was taken by ${current.holder} (until ${current.expiresAt})`
        : 'the lease was broken or released by someone else',
    );
  }

  /** Gives the lease back; one already taken over by someone else is left alone. */
  async release(lease: Lease): Promise<void> {
    try {
      await this.s3.send(
        new DeleteObjectCommand({ Bucket: this.bucket, Key: lease.key, IfMatch: lease.etag }),
      );
    } catch (err) {
      if (errorName(err) === 'NoSuchKey' || httpStatusOf(err) === 404) return;
      if (httpStatusOf(err) === 412) {
        // A retried delete whose first try applied sees no object; a takeover sees another run's.
        const current = await this.read(lease.key);
        if (current?.runId !== lease.runId) return;
      }
      throw new AwsCallError(`releasing the lease s3://${this.bucket}/${lease.key}`, err);
    }
  }

  /** Removes whatever lease is held, for `tdr lease break`; returns what was broken. */
  async break(service: string, env: string): Promise<Lease> {
    const key = leaseKey(service, env);
    const current = await this.read(key);
    if (!current) throw new NoLeaseError(`no lease is held on ${service} in ${env}`);
    await this.release(current);
    return current;
  }

  /** The current lease, or undefined when none is held. */
  async read(key: string): Promise<Lease | undefined> {
    try {
      const out = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      const body = leaseSchema.parse(JSON.parse((await out.Body?.transformToString()) ?? ''));
      return { ...body, key, etag: out.ETag ?? '' };
    } catch (err) {
      if (errorName(err) === 'NoSuchKey' || httpStatusOf(err) === 404) return undefined;
      throw new AwsCallError(`reading the lease s3://${this.bucket}/${key}`, err);
    }
  }

  /** Every lease held now (expired ones included: they are still in the way until taken over). */
  async list(): Promise<Lease[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await attempt(`listing leases s3://${this.bucket}/${LEASE_PREFIX}`, () =>
        this.s3.send(
          new ListObjectsV2Command({ Bucket: this.bucket, Prefix: LEASE_PREFIX, ContinuationToken: token }),
        ),
      );
      for (const o of page.Contents ?? []) if (o.Key && leaseSubject(o.Key)) keys.push(o.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    const leases = await Promise.all(keys.map((k) => this.read(k)));
    return leases.filter((l): l is Lease => l !== undefined);
  }

  /** Returns the new ETag, or undefined when the condition failed (HTTP 412, or 409 in flight). */
  private async put(
    key: string,
    body: LeaseBody,
    condition: { IfNoneMatch: string } | { IfMatch: string },
    what: string,
  ): Promise<string | undefined> {
    try {
      const out = await attempt(`${what} the lease s3://${this.bucket}/${key}`, () =>
        this.s3.send(
          new PutObjectCommand({
            Bucket: this.bucket,
            Key: key,
            Body: JSON.stringify(body),
            ContentType: 'application/json',
            ...condition,
          }),
        ),
      );
      return out.ETag ?? '';
    } catch (err) {
      // 409 ConditionalRequestConflict: a concurrent conditional write to the same key.
      if (httpStatusOf(err) === 412 || httpStatusOf(err) === 409) return undefined;
      // Any other failure may still have applied: the caller's read-back tells.
      if (this.unknown(err)) return undefined;
      throw err;
    }
  }

  /** A failure after which the write may or may not have happened (reset, 5xx after retries). */
  private unknown(err: unknown): boolean {
    const status = httpStatusOf(err);
    return status === undefined || status >= 500;
  }
}
