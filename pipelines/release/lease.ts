/**
 * One release at a time per service × environment: a lease object in the ledger bucket, taken
 * with a conditional put (`If-None-Match: *`), taken over only when expired and only with
 * `If-Match` on the expired lease's ETag (so two runs cannot both take over), released with a
 * conditional delete. A crashed run's lease expires, so it cannot block releases forever.
 */
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import { AwsCallError, LeaseHeldError, attempt, errorName, httpStatusOf } from './errors';

const leaseSchema = z.object({
  holder: z.string(),
  runId: z.string(),
  acquiredAt: z.string(),
  expiresAt: z.string(),
});
export type LeaseBody = z.infer<typeof leaseSchema>;

export interface Lease extends LeaseBody {
  readonly key: string;
  readonly etag: string;
}

export function leaseKey(service: string, env: string): string {
  return `leases/${service}/${env}.json`;
}

export class Leases {
  constructor(
    private readonly s3: S3Client,
    readonly bucket: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Takes the lease or throws LeaseHeldError naming the holder. */
  async acquire(service: string, env: string, holder: string, runId: string, ttlMs: number): Promise<Lease> {
    const key = leaseKey(service, env);
    const now = this.now();
    const body: LeaseBody = {
      holder,
      runId,
      acquiredAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + ttlMs).toISOString(),
    };
    const taken = await this.put(key, body, { IfNoneMatch: '*' });
    if (taken) return { ...body, key, etag: taken };

    const current = await this.read(key);
    if (!current) {
      // Released between our put and our read: one more try, and whoever wins holds it.
      const retried = await this.put(key, body, { IfNoneMatch: '*' });
      if (retried) return { ...body, key, etag: retried };
      const winner = await this.read(key);
      throw new LeaseHeldError(winner?.holder ?? 'another release', winner?.expiresAt ?? 'unknown');
    }
    if (Date.parse(current.expiresAt) > now.getTime())
      throw new LeaseHeldError(current.holder, current.expiresAt);
    const takenOver = await this.put(key, body, { IfMatch: current.etag });
    if (takenOver) return { ...body, key, etag: takenOver };
    const winner = await this.read(key);
    throw new LeaseHeldError(winner?.holder ?? 'another release', winner?.expiresAt ?? 'unknown');
  }

  /** Gives the lease back; a lease already taken over by someone else is left alone. */
  async release(lease: Lease): Promise<void> {
    try {
      await this.s3.send(
        new DeleteObjectCommand({ Bucket: this.bucket, Key: lease.key, IfMatch: lease.etag }),
      );
    } catch (err) {
      if (httpStatusOf(err) === 412 || errorName(err) === 'NoSuchKey') return;
      throw new AwsCallError(`releasing the lease s3://${this.bucket}/${lease.key}`, err);
    }
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

  /** Returns the new ETag, or undefined when the condition failed (HTTP 412). */
  private async put(
    key: string,
    body: LeaseBody,
    condition: { IfNoneMatch: string } | { IfMatch: string },
  ): Promise<string | undefined> {
    try {
      const out = await attempt(`taking the lease s3://${this.bucket}/${key}`, () =>
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
      throw err;
    }
  }
}
