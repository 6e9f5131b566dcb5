/**
 * For unit tests only: an S3 bucket in memory behind aws-sdk-client-mock, honouring the
 * conditional writes the ledger and the lease rely on (If-None-Match: *, If-Match on ETag).
 * Integration tests use moto's real S3 instead; this exists so the deployment script can be unit
 * tested with ECS failures moto cannot produce.
 */
import { createHash } from 'node:crypto';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';

export function awsError(name: string, status: number, message = name): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });
}

export interface MemoryS3 {
  readonly client: S3Client;
  readonly mock: AwsClientStub<S3Client>;
  readonly objects: Map<string, { body: string; etag: string }>;
  /**
   * After a write or delete is applied: an error to answer instead of the reply (the reply lost
   * to a reset, or the SDK's retry of an applied conditional write meeting 412).
   */
  lostReply?: (command: 'PutObject' | 'DeleteObject', key: string) => Error | undefined;
}

/**
 * `everyClient`: the bucket answers every S3Client made from now on (aws-sdk-client-mock on the
 * class), for a test that runs a whole `tdr` command, which makes its own clients.
 */
export function memoryS3(opts: { everyClient?: boolean } = {}): MemoryS3 {
  const client = new S3Client({
    region: 'eu-west-2',
    credentials: { accessKeyId: 'k', secretAccessKey: 's' },
  });
  const mock = opts.everyClient ? (mockClient(S3Client) as AwsClientStub<S3Client>) : mockClient(client);
  const objects = new Map<string, { body: string; etag: string }>();
  const s3: MemoryS3 = { client, mock, objects };
  const replied = <T>(command: 'PutObject' | 'DeleteObject', key: string, reply: T): T => {
    const lost = s3.lostReply?.(command, key);
    if (lost) throw lost;
    return reply;
  };
  mock
    .on(PutObjectCommand)
    .callsFake((input: { Key: string; Body: string; IfNoneMatch?: string; IfMatch?: string }) => {
      const existing = objects.get(input.Key);
      if (input.IfNoneMatch === '*' && existing) throw awsError('PreconditionFailed', 412);
      if (input.IfMatch !== undefined && existing?.etag !== input.IfMatch)
        throw awsError('PreconditionFailed', 412);
      const etag = `"${createHash('md5').update(String(input.Body)).digest('hex')}"`;
      objects.set(input.Key, { body: String(input.Body), etag });
      return replied('PutObject', input.Key, { ETag: etag });
    });
  mock.on(GetObjectCommand).callsFake((input: { Key: string }) => {
    const o = objects.get(input.Key);
    if (!o) throw awsError('NoSuchKey', 404);
    return { ETag: o.etag, Body: { transformToString: async () => o.body } };
  });
  mock.on(HeadObjectCommand).callsFake((input: { Key: string }) => {
    const o = objects.get(input.Key);
    if (!o) throw awsError('NotFound', 404);
    return { ETag: o.etag };
  });
  mock.on(DeleteObjectCommand).callsFake((input: { Key: string; IfMatch?: string }) => {
    const o = objects.get(input.Key);
    if (input.IfMatch !== undefined && o && o.etag !== input.IfMatch)
      throw awsError('PreconditionFailed', 412);
    objects.delete(input.Key);
    return replied('DeleteObject', input.Key, {});
  });
  mock.on(ListObjectsV2Command).callsFake((input: { Prefix?: string; StartAfter?: string }) => ({
    Contents: [...objects.keys()]
      .filter((k) => k.startsWith(input.Prefix ?? '') && k > (input.StartAfter ?? ''))
      .sort()
      .map((Key) => ({ Key })),
    IsTruncated: false,
  }));
  return s3;
}
