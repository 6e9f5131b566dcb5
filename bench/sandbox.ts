/**
 * What the benches against history share: a sandbox on its own moto_server, behind the test proxy
 * that counts AWS requests; seeding a ledger straight into the bucket; the median of the runs.
 */
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { naming } from '../services/naming';
import { recordKey } from '../pipelines/release/ledger/ledger';
import { runTdr } from '../test/support/cli';
import { startMoto } from '../test/support/moto';
import { startProxy, type Proxy } from '../test/support/proxy';
import { configFile } from '../test/support/release';

type Env = Record<string, string | undefined>;

export interface BenchSandbox {
  /** The environment every `tdr` call of the bench runs with (AWS through the proxy). */
  readonly env: Env;
  readonly proxy: Proxy;
  /** S3 straight to moto, for seeding. */
  readonly s3: S3Client;
  readonly stop: () => Promise<void>;
}

/** moto, the proxy and `tdr sandbox up`, with `config` as TDR_CONFIG. */
export async function benchSandbox(config: unknown): Promise<BenchSandbox> {
  const moto = await startMoto();
  const proxy = await startProxy(moto.endpoint);
  const credentials = {
    AWS_REGION: 'eu-west-2',
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
  };
  const env: Env = {
    ...process.env,
    ...credentials,
    AWS_ENDPOINT_URL: proxy.endpoint,
    TDR_ACCOUNT_IDS: undefined,
    TDR_RELEASE_POLL_MS: '20',
    TDR_SLACK_WEBHOOK_URL: undefined,
    TDR_CONFIG: configFile(config),
    USER: 'bench',
  };
  Object.assign(process.env, credentials);
  const stop = async () => {
    await proxy.close();
    await moto.stop();
  };
  const up = await runTdr(['sandbox', 'up'], env);
  if (up.code !== 0) {
    await stop();
    throw new Error(up.stderr);
  }
  const s3 = new S3Client({ endpoint: moto.endpoint, forcePathStyle: true, region: 'eu-west-2' });
  return { env, proxy, s3, stop };
}

/** Writes records 1..n of `subject` in `env`, 32 at a time; `record(seq)` is each one's JSON. */
export async function seedLedger(
  s3: S3Client,
  subject: string,
  env: string,
  n: number,
  record: (seq: number) => object,
): Promise<void> {
  let next = 1;
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (next <= n) {
        const seq = next++;
        await s3.send(
          new PutObjectCommand({
            Bucket: naming.ledgerBucket(),
            Key: recordKey(subject, env, seq),
            Body: JSON.stringify(record(seq)),
          }),
        );
      }
    }),
  );
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}
