/**
 * The release ledger: an append-only audit trail in the mgmt bucket, one JSON object per record,
 * keyed `records/{service}/{env}/{seq}` with a zero-padded sequence so that a listing is in order.
 * Every write is a PutObject with `If-None-Match: *`: two writers can never take the same
 * sequence number, and no record is ever overwritten. A writer that loses the race (HTTP 412)
 * takes the next number, so the sequence stays gap-free; a writer whose own write's reply was
 * lost recognises it by its `writeId` and never writes it twice.
 *
 * Records are the truth. What makes reads constant is a head object per service × environment,
 * `heads/{service}/{env}.json`: the last sequence number and the compacted records every query
 * needs (./compact.ts `compact`). It is a cache, never trusted blindly: each read looks for
 * the record after its sequence (usually there is none), lists any newer ones (`StartAfter`) and
 * folds them in, repairing it with a conditional write; a missing or unreadable head is rebuilt from the records (`tdr ledger reindex`
 * does it on purpose). A record that does not parse is noted in the head and degrades only what
 * shows it. Beside the records the head keeps a summary of the runs of the last 90 days
 * (./run-summary.ts), what the release board reads; a head without one (written by an older
 * `tdr`) is rebuilt from the records by a writer, and read as it is by a reader. A head whose
 * records or summary lie past its sequence or out of order is not trusted: rebuilt like a broken one.
 *
 * A read-only ledger (`tdr status`, `report`, `history` under TDR_WORKLOAD_ROLE=reader) repairs
 * nothing: it folds newer records in memory, or rebuilds a missing or old head in memory, and says
 * in the view that the head is stale; the next release or `tdr ledger reindex` writes it.
 */
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { AwsCallError, attempt, errorName, httpStatusOf } from '../errors';
import {
  LedgerContentionError,
  MalformedRecordError,
  ledgerRecordSchema,
  recordKey,
  recordPrefix,
  seqOfKey,
  type LedgerRecord,
  type NewRecord,
} from './ledger-records';
import { compact } from './compact';
import { EMPTY_SUMMARY, foldRuns, runSummarySchema, type RunFact } from './run-summary';

export * from './ledger-records';
export * from './compact';
export { MAX_SUMMARY_RUNS, SUMMARY_DAYS, type RunFact } from './run-summary';

const MAX_APPEND_ATTEMPTS = 50;
/** Unreadable records a head remembers (the newest). */
const KEEP_BAD = 20;

/** A record that could not be read: its own row says so, nothing else fails. */
export interface BadRecord {
  readonly seq: number;
  readonly problem: string;
}

/** One service × environment as the queries see it: constant in size whatever the history. */
export interface LedgerView {
  readonly service: string;
  readonly env: string;
  readonly lastSeq: number;
  /** Compacted (./compact.ts `compact`), oldest first. */
  readonly records: readonly LedgerRecord[];
  readonly bad: readonly BadRecord[];
  /** Release runs that finished in the last 90 days (./run-summary.ts), oldest first. */
  readonly runs: readonly RunFact[];
  /** When the summary's cap dropped runs inside the window: the newest dropped finished then (epoch ms). */
  readonly runsCappedBefore: number | null;
  /** Why the head object is not what this view says (a read-only ledger repairs nothing); null when it is. */
  readonly stale: string | null;
}

/** A history row: a record, or why the record at that number cannot be shown. */
export type HistoryEntry =
  | LedgerRecord
  | {
      readonly kind: 'unreadable';
      readonly seq: number;
      readonly service: string;
      readonly env: string;
      readonly problem: string;
    };

const headSchema = z
  .object({
    head: z.literal(1),
    service: z.string(),
    env: z.string(),
    lastSeq: z.number().int().min(0),
    records: z.array(ledgerRecordSchema),
    bad: z.array(z.object({ seq: z.number().int().positive(), problem: z.string() })),
    updatedAt: z.string(),
    /** Absent from heads an older `tdr` wrote: such a head is rebuilt (its compaction kept less). */
    summary: runSummarySchema.optional(),
  })
  // A head is an index, never trusted blindly: what it summarises must lie within what it says it
  // has read, in order, or it is rebuilt from the records like an unreadable one.
  .refine(
    (h) =>
      [h.records, h.summary?.runs ?? []].every((list) =>
        list.every((r, i) => r.seq <= h.lastSeq && (i === 0 || list[i - 1]!.seq < r.seq)),
      ),
    { message: 'records or run summary out of order, or past lastSeq' },
  );
type Head = z.infer<typeof headSchema>;

export function headKey(service: string, env: string): string {
  return `heads/${service}/${env}.json`;
}

interface CachedHead {
  readonly head: Head;
  /** Its ETag, for the next conditional write; undefined when there is no head object. */
  readonly etag: string | undefined;
}

export class Ledger {
  /** The head as last read or written by this instance, per `service/env`. */
  private readonly heads = new Map<string, CachedHead>();

  constructor(
    private readonly s3: S3Client,
    readonly bucket: string,
    private readonly now: () => Date = () => new Date(),
    private readonly newWriteId: () => string = randomUUID,
    private readonly options: { readonly readOnly?: boolean } = {},
  ) {}

  /**
   * One service × environment, verified: the head, with whatever was appended after its sequence
   * folded in (and written back), or rebuilt from the records when it is missing or unreadable.
   * Two requests when the head is current: the head, and a look for the record after it.
   */
  async view(service: string, env: string): Promise<LedgerView> {
    const found = await this.readHead(service, env);
    if (!found.head) return this.rebuild(service, env, found.etag, 'there is none, or it is unreadable');
    if (!found.head.summary) {
      // An older tdr's head: a writer rebuilds it (its compaction may have kept less); a reader
      // reads it as it is, its runs summarised from its own records, rather than every record.
      if (!this.options.readOnly) return this.rebuild(service, env, found.etag, null);
      const summary = foldRuns(EMPTY_SUMMARY, found.head.records, this.now());
      return this.readPast(
        { ...found.head, summary },
        found.etag,
        `the ledger head of ${service} in ${env} is stale: an older tdr wrote it (no run summary: the board counts only the runs it keeps; a read repairs nothing: the next release or tdr ledger reindex --service ${service} --env ${env} does)`,
      );
    }
    return this.readPast(found.head, found.etag, null);
  }

  /** The head with any newer records folded in: written back, or (read-only) said to be stale. */
  private async readPast(head: Head, etag: string | undefined, stale: string | null): Promise<LedgerView> {
    const { service, env } = head;
    const found = { head, etag };
    // Sequence numbers are gap-free: no record after the head's means it is current (a GET by
    // key is constant time where a listing may not be); otherwise list everything after it.
    const next = recordKey(service, env, found.head.lastSeq + 1);
    const newer = (await this.exists(next)) ? await this.keys(service, env, found.head.lastSeq) : [];
    if (newer.length === 0) {
      if (stale === null) this.heads.set(`${service}/${env}`, { head: found.head, etag: found.etag });
      return viewOf(found.head, stale);
    }
    const folded = this.fold(found.head, await this.readAll(newer));
    if (this.options.readOnly)
      return viewOf(
        folded,
        stale ??
          `the ledger head of ${service} in ${env} is ${folded.lastSeq - found.head.lastSeq} record(s) behind (read past it; a read repairs nothing: the next release or tdr ledger reindex --service ${service} --env ${env} does)`,
      );
    await this.writeHead(folded, found.etag);
    return viewOf(folded);
  }

  /** Rebuilds the head from every record (`tdr ledger reindex`): reads the whole history once. */
  async reindex(service: string, env: string): Promise<LedgerView> {
    return this.rebuild(service, env, (await this.readHead(service, env)).etag, null);
  }

  /** Every record of one service × environment, oldest first (the whole history: tests, audits). */
  async records(service: string, env: string): Promise<LedgerRecord[]> {
    const keys = await this.keys(service, env, 0);
    const records = await mapLimit(keys, 16, (key) => this.read(key));
    return records.sort((a, b) => a.seq - b.seq);
  }

  /** Newest first: `limit` records below `before` (default: from the newest), one GET each. */
  async page(
    service: string,
    env: string,
    opts: { readonly limit: number; readonly before?: number | undefined },
  ): Promise<HistoryEntry[]> {
    const { lastSeq } = await this.view(service, env);
    const top = Math.min(lastSeq, (opts.before ?? Infinity) - 1);
    const seqs = Array.from({ length: Math.max(0, Math.min(opts.limit, top)) }, (_, i) => top - i);
    return mapLimit(seqs, 16, async (seq): Promise<HistoryEntry> => {
      try {
        return await this.read(recordKey(service, env, seq));
      } catch (err) {
        if (!(err instanceof MalformedRecordError) && !missing(err)) throw err;
        return { kind: 'unreadable', seq, service, env, problem: (err as Error).message };
      }
    });
  }

  /**
   * Appends a record at the next free sequence number. `after` is the caller's last view (saves
   * reading the head); on a lost race the next free number is listed and tried.
   *
   * Each append carries its own `writeId`, so a write whose reply was lost (S3 applied it, the
   * connection dropped, the SDK's retry got 412) is recognised as ours when read back, and never
   * written again at the next number. Any other failure is settled the same way: the key is read
   * back, and only a key without our record is a write that did not happen.
   */
  async append(record: NewRecord, after?: { readonly lastSeq: number }): Promise<LedgerRecord> {
    const writeId = this.newWriteId();
    let seq = (after ?? (await this.view(record.service, record.env))).lastSeq + 1;
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
        await this.advanceHead(full);
        return full;
      } catch (err) {
        const status = httpStatusOf(err);
        const there = await this.readBack(key, err);
        if (there?.writeId === writeId) {
          await this.advanceHead(there);
          return there;
        }
        // 412: someone took this number; 409: a concurrent conditional write to it is in flight.
        if (status !== 412 && status !== 409) {
          throw new AwsCallError(`writing ledger record s3://${this.bucket}/${key}`, err);
        }
        if (there)
          seq = Math.max(seq, ...(await this.keys(record.service, record.env, seq)).map(seqOfKey)) + 1;
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
      if (missing(err) || err instanceof MalformedRecordError) return undefined;
      throw new AwsCallError(
        `writing ledger record s3://${this.bucket}/${key} (outcome unknown: reading it back failed too)`,
        writeError,
      );
    }
  }

  /** After our append: the head moves on too, if we know it is at the record before ours. */
  private async advanceHead(rec: LedgerRecord): Promise<void> {
    const cached = this.heads.get(`${rec.service}/${rec.env}`);
    if (cached?.head.lastSeq !== rec.seq - 1) return; // the next reader repairs it
    await this.writeHead(this.fold(cached.head, [rec]), cached.etag);
  }

  private fold(head: Head, read: readonly (LedgerRecord | BadRecord)[]): Head {
    const records = read.filter((r): r is LedgerRecord => 'kind' in r);
    const bad = read.filter((r): r is BadRecord => !('kind' in r));
    const now = this.now();
    return {
      ...head,
      lastSeq: Math.max(head.lastSeq, ...read.map((r) => r.seq)),
      records: compact([...head.records, ...records]),
      bad: [...head.bad, ...bad].slice(-KEEP_BAD),
      updatedAt: now.toISOString(),
      // Each record is folded once: only those past the head's last number count as new runs.
      summary: foldRuns(
        head.summary ?? EMPTY_SUMMARY,
        records.filter((r) => r.seq > head.lastSeq),
        now,
      ),
    };
  }

  /**
   * The head from every record. Written back, unless this ledger is read-only and `why` says
   * what is wrong with the stored one (`tdr ledger reindex` passes null: it always writes).
   */
  private async rebuild(
    service: string,
    env: string,
    etag: string | undefined,
    why: string | null,
  ): Promise<LedgerView> {
    const empty: Head = {
      head: 1,
      service,
      env,
      lastSeq: 0,
      records: [],
      bad: [],
      updatedAt: this.now().toISOString(),
      summary: EMPTY_SUMMARY,
    };
    const head = this.fold(empty, await this.readAll(await this.keys(service, env, 0)));
    // No record at all: nothing stale, and nothing to write yet (a subject never released, or a
    // stream such as the rejections that no one wrote to; a failed preflight writes nothing). A
    // writer keeps the empty head in memory: its first append writes it (`advanceHead`).
    if (head.lastSeq === 0) {
      if (!this.options.readOnly) this.heads.set(`${service}/${env}`, { head, etag });
      return viewOf(head);
    }
    if (this.options.readOnly && why !== null)
      return viewOf(
        head,
        `the ledger head of ${service} in ${env} is stale: ${why}; read all ${head.lastSeq} record(s) instead (a read repairs nothing: tdr ledger reindex --service ${service} --env ${env})`,
      );
    await this.writeHead(head, etag);
    return viewOf(head);
  }

  /** Best effort: a head that cannot be written is repaired by the next reader. */
  private async writeHead(head: Head, etag: string | undefined): Promise<void> {
    const key = headKey(head.service, head.env);
    this.heads.delete(`${head.service}/${head.env}`);
    try {
      const out = await this.s3.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: JSON.stringify(head),
          ContentType: 'application/json',
          ...(etag === undefined ? { IfNoneMatch: '*' } : { IfMatch: etag }),
        }),
      );
      if (out.ETag) this.heads.set(`${head.service}/${head.env}`, { head, etag: out.ETag });
    } catch {
      // Another writer moved it first (412), or S3 failed: either way the records are the truth.
    }
  }

  /** The head, if there is one that parses; its ETag either way (a broken head is overwritten). */
  private async readHead(service: string, env: string): Promise<{ head?: Head; etag: string | undefined }> {
    const key = headKey(service, env);
    let out;
    try {
      out = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    } catch (err) {
      if (missing(err)) return { etag: undefined };
      throw new AwsCallError(`reading the ledger head s3://${this.bucket}/${key}`, err);
    }
    const text = (await out.Body?.transformToString()) ?? '';
    try {
      const head = headSchema.parse(JSON.parse(text));
      if (head.service === service && head.env === env) return { head, etag: out.ETag };
    } catch {
      // rebuilt below
    }
    return { etag: out.ETag };
  }

  private async exists(key: string): Promise<boolean> {
    try {
      await attempt(`reading ledger record s3://${this.bucket}/${key}`, () =>
        this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key })),
      );
      return true;
    } catch (err) {
      if (missing(err)) return false;
      throw err;
    }
  }

  private async readAll(keys: readonly string[]): Promise<Array<LedgerRecord | BadRecord>> {
    return mapLimit(keys, 16, async (key) => {
      try {
        return await this.read(key);
      } catch (err) {
        if (err instanceof MalformedRecordError) return { seq: seqOfKey(key), problem: err.message };
        throw err;
      }
    });
  }

  /** Record keys after sequence number `after`, in order. */
  private async keys(service: string, env: string, after: number): Promise<string[]> {
    const prefix = recordPrefix(service, env);
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await attempt(`listing the ledger s3://${this.bucket}/${prefix}`, () =>
        this.s3.send(
          new ListObjectsV2Command({
            Bucket: this.bucket,
            Prefix: prefix,
            ContinuationToken: token,
            ...(after > 0 && !token ? { StartAfter: recordKey(service, env, after) } : {}),
          }),
        ),
      );
      for (const o of page.Contents ?? []) if (o.Key?.endsWith('.json')) keys.push(o.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    // Zero-padded keys sort lexically in sequence order; S3 lists in that order already.
    return keys.filter((k) => seqOfKey(k) > after).sort();
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

function viewOf(head: Head, stale: string | null = null): LedgerView {
  return {
    service: head.service,
    env: head.env,
    lastSeq: head.lastSeq,
    records: head.records,
    bad: head.bad,
    runs: head.summary?.runs ?? [],
    runsCappedBefore: head.summary?.cappedBefore ?? null,
    stale,
  };
}

function missing(err: unknown): boolean {
  return errorName(err) === 'NoSuchKey' || httpStatusOf(err) === 404;
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
