/**
 * The release ledger: an append-only audit trail in the mgmt bucket, one JSON object per record,
 * keyed `records/{service}/{env}/{seq}` with a zero-padded sequence so that a listing is in order.
 * Every write is a PutObject with `If-None-Match: *`: two writers can never take the same
 * sequence number, and no record is ever overwritten. A writer that loses the race (HTTP 412)
 * re-reads the ledger and takes the next number, so the sequence stays gap-free.
 */
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { PlatformError } from '../../services/errors';
import { AwsCallError, attempt, errorName, httpStatusOf } from './errors';

export const RELEASE_ACTIONS = ['deploy', 'promote', 'rollback'] as const;
export type ReleaseAction = (typeof RELEASE_ACTIONS)[number];
export const RELEASE_OUTCOMES = ['started', 'succeeded', 'failed', 'rolled_back'] as const;
export type ReleaseOutcome = (typeof RELEASE_OUTCOMES)[number];

const gateSummary = z.object({ gate: z.string(), ok: z.boolean(), detail: z.string() });

const common = {
  schema: z.literal(1),
  seq: z.number().int().positive(),
  service: z.string(),
  env: z.string(),
  version: z.string(),
  digest: z.string(),
  actor: z.string(),
  recordedAt: z.string(),
  /**
   * One per append (records written before it existed have none): a write whose reply was lost is
   * recognised as the writer's own when read back, so it is never written twice.
   */
  writeId: z.string().optional(),
};

export const releaseRecordSchema = z.object({
  ...common,
  kind: z.literal('release'),
  /** Links a run's `started` record with its outcome. */
  runId: z.string(),
  action: z.enum(RELEASE_ACTIONS),
  outcome: z.enum(RELEASE_OUTCOMES),
  image: z.string(),
  gitCommit: z.string().nullable(),
  taskDefinitionBefore: z.string().nullable(),
  taskDefinitionAfter: z.string().nullable(),
  approver: z.string().nullable(),
  buildUrl: z.string().nullable(),
  sourceEnv: z.string().nullable(),
  reason: z.string().nullable(),
  breakGlass: z.boolean(),
  gates: z.array(gateSummary),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  /** Why it failed, or how a crashed run was settled. */
  detail: z.string().nullable(),
  /** For a record that settles a crashed run: the sequence number of its `started` record. */
  settles: z.number().int().positive().nullable(),
});
export type ReleaseRecord = z.infer<typeof releaseRecordSchema>;

export const checkRecordSchema = z.object({
  ...common,
  kind: z.literal('check'),
  name: z.string(),
  result: z.enum(['passed', 'failed']),
  url: z.string().nullable(),
});
export type CheckRecord = z.infer<typeof checkRecordSchema>;

/**
 * A run of a one-off task (`tdr task run`), under `records/{task}/{env}/`: `started` before
 * anything changes, `running` once ECS accepted the task (with its ARN), then the outcome with the
 * essential container's exit code and ECS's stop reason.
 */
export const TASK_RUN_OUTCOMES = ['started', 'running', 'succeeded', 'failed'] as const;
export type TaskRunOutcome = (typeof TASK_RUN_OUTCOMES)[number];

export const taskRunRecordSchema = z.object({
  ...common,
  kind: z.literal('task'),
  runId: z.string(),
  action: z.literal('task-run'),
  outcome: z.enum(TASK_RUN_OUTCOMES),
  image: z.string(),
  taskDefinitionBefore: z.string().nullable(),
  taskDefinition: z.string().nullable(),
  taskArn: z.string().nullable(),
  exitCode: z.number().int().nullable(),
  stopCode: z.string().nullable(),
  stopReason: z.string().nullable(),
  buildUrl: z.string().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  detail: z.string().nullable(),
  /** For a record that settles an open run (--no-wait, a crash): the sequence number it settles. */
  settles: z.number().int().positive().nullable(),
});
export type TaskRunRecord = z.infer<typeof taskRunRecordSchema>;

export const ledgerRecordSchema = z.discriminatedUnion('kind', [
  releaseRecordSchema,
  checkRecordSchema,
  taskRunRecordSchema,
]);
export type LedgerRecord = ReleaseRecord | CheckRecord | TaskRunRecord;

type Unrecorded<T> = Omit<T, 'seq' | 'recordedAt' | 'schema'>;
/** What a writer supplies; the ledger adds `seq` and `recordedAt`. */
export type NewRecord = Unrecorded<ReleaseRecord> | Unrecorded<CheckRecord> | Unrecorded<TaskRunRecord>;

const SEQ_DIGITS = 10;
const MAX_APPEND_ATTEMPTS = 50;

export function recordKey(service: string, env: string, seq: number): string {
  return `${recordPrefix(service, env)}${String(seq).padStart(SEQ_DIGITS, '0')}.json`;
}

export function recordPrefix(service: string, env: string): string {
  return `records/${service}/${env}/`;
}

export class Ledger {
  constructor(
    private readonly s3: S3Client,
    readonly bucket: string,
    private readonly now: () => Date = () => new Date(),
    private readonly newWriteId: () => string = randomUUID,
  ) {}

  /** Every record of one service × environment, oldest first. */
  async records(service: string, env: string): Promise<LedgerRecord[]> {
    const keys = await this.keys(service, env);
    const records = await mapLimit(keys, 16, (key) => this.read(key));
    return records.sort((a, b) => a.seq - b.seq);
  }

  /**
   * Appends a record at the next free sequence number. `known` is the caller's last read of the
   * ledger (saves a listing); on a lost race the ledger is re-read and the next number tried.
   *
   * Each append carries its own `writeId`, so a write whose reply was lost (S3 applied it, the
   * connection dropped, the SDK's retry got 412) is recognised as ours when read back, and never
   * written again at the next number. Any other failure is settled the same way: the key is read
   * back, and only a key without our record is a write that did not happen.
   */
  async append(record: NewRecord, known?: readonly LedgerRecord[]): Promise<LedgerRecord> {
    const writeId = this.newWriteId();
    let seq = (known ? lastSeq(known) : await this.lastSeq(record.service, record.env)) + 1;
    for (let i = 0; i < MAX_APPEND_ATTEMPTS; i++) {
      const full = ledgerRecordSchema.parse({
        schema: 1,
        ...record,
        writeId,
        seq,
        recordedAt: this.now().toISOString(),
      }) as LedgerRecord;
      const key = recordKey(record.service, record.env, seq);
      try {
        await this.s3.send(
          new PutObjectCommand({
            Bucket: this.bucket,
            Key: key,
            Body: JSON.stringify(full, null, 2) + '\n',
            ContentType: 'application/json',
            IfNoneMatch: '*',
          }),
        );
        return full;
      } catch (err) {
        const status = httpStatusOf(err);
        const there = await this.readBack(key, err);
        if (there?.writeId === writeId) return there;
        // 412: someone took this number; 409: a concurrent conditional write to it is in flight.
        if (status !== 412 && status !== 409) {
          throw new AwsCallError(`writing ledger record s3://${this.bucket}/${key}`, err);
        }
        seq = there ? Math.max(seq + 1, (await this.lastSeq(record.service, record.env)) + 1) : seq;
      }
    }
    throw new LedgerContentionError(
      `could not append to the ledger for ${record.service} in ${record.env} after ${MAX_APPEND_ATTEMPTS} attempts: too many concurrent writers`,
    );
  }

  /**
   * What is at `key` after a failed write: the record, or undefined when there is none. When even
   * that cannot be read, the write's outcome is unknown and the original failure stands.
   */
  private async readBack(key: string, writeError: unknown): Promise<LedgerRecord | undefined> {
    try {
      return await this.read(key);
    } catch (err) {
      if (errorName(err) === 'NoSuchKey' || httpStatusOf(err) === 404) return undefined;
      if (err instanceof MalformedRecordError) return undefined;
      throw new AwsCallError(
        `writing ledger record s3://${this.bucket}/${key} (outcome unknown: reading it back failed too)`,
        writeError,
      );
    }
  }

  private async lastSeq(service: string, env: string): Promise<number> {
    const keys = await this.keys(service, env);
    const lastKey = keys[keys.length - 1];
    return lastKey ? seqOfKey(lastKey) : 0;
  }

  private async keys(service: string, env: string): Promise<string[]> {
    const prefix = recordPrefix(service, env);
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await attempt(`listing the ledger s3://${this.bucket}/${prefix}`, () =>
        this.s3.send(
          new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }),
        ),
      );
      for (const o of page.Contents ?? []) if (o.Key?.endsWith('.json')) keys.push(o.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    // Zero-padded keys sort lexically in sequence order; S3 lists in that order already.
    return keys.sort();
  }

  private async read(key: string): Promise<LedgerRecord> {
    const out = await attempt(`reading ledger record s3://${this.bucket}/${key}`, () =>
      this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key })),
    );
    const text = (await out.Body?.transformToString()) ?? '';
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      throw new MalformedRecordError(
        `ledger record s3://${this.bucket}/${key} is not JSON: ${(err as Error).message}`,
      );
    }
    const parsed = ledgerRecordSchema.safeParse(json);
    if (!parsed.success) {
      throw new MalformedRecordError(
        `ledger record s3://${this.bucket}/${key} is malformed: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      );
    }
    return parsed.data as LedgerRecord;
  }
}

/** A record that does not parse: it degrades what reads it, never the whole ledger. */
export class MalformedRecordError extends PlatformError {
  readonly kind = 'failed';
  constructor(message: string) {
    super(message);
    this.name = 'MalformedRecordError';
  }
}

/** Too many writers raced for the next sequence number. */
export class LedgerContentionError extends PlatformError {
  readonly kind = 'conflict';
  constructor(message: string) {
    super(message);
    this.name = 'LedgerContentionError';
  }
}

export function seqOfKey(key: string): number {
  const m = /(\d+)\.json$/.exec(key);
  return m ? Number(m[1]) : 0;
}

function lastSeq(records: readonly LedgerRecord[]): number {
  return records.reduce((max, r) => Math.max(max, r.seq), 0);
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  });
  await Promise.all(workers);
  return out;
}

// ---- Queries over one service × environment's records (pure) ----

export function releaseRecords(records: readonly LedgerRecord[]): ReleaseRecord[] {
  return records.filter((r): r is ReleaseRecord => r.kind === 'release');
}

/** The record that says what is live: the newest successful release. */
export function currentRelease(records: readonly LedgerRecord[]): ReleaseRecord | undefined {
  return releaseRecords(records)
    .filter((r) => r.outcome === 'succeeded')
    .at(-1);
}

/** `started` records with no outcome: runs that crashed (or are still running). */
export function unsettledRuns(records: readonly LedgerRecord[]): ReleaseRecord[] {
  const releases = releaseRecords(records);
  const finished = new Set(releases.filter((r) => r.outcome !== 'started').map((r) => r.runId));
  return releases.filter((r) => r.outcome === 'started' && !finished.has(r.runId));
}

/** The newest successful release of `version`, if any. */
export function succeededRelease(
  records: readonly LedgerRecord[],
  version: string,
): ReleaseRecord | undefined {
  return releaseRecords(records)
    .filter((r) => r.outcome === 'succeeded' && r.version === version)
    .at(-1);
}

/** The newest result of check `name` for `digest`. */
export function latestCheck(
  records: readonly LedgerRecord[],
  name: string,
  digest: string,
): CheckRecord | undefined {
  return records
    .filter((r): r is CheckRecord => r.kind === 'check' && r.name === name && r.digest === digest)
    .at(-1);
}
