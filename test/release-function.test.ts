/**
 * A function released through the command line, against moto, exactly as a service is: `checksum`
 * v2 deployed to intg, promoted to staging and prod through the same gates (check, approval),
 * rolled back; the ledger holds the package's SHA-256 (Lambda's `CodeSha256`) at every step; a
 * package changed under a version is refused; one release per function × environment at a time.
 */
import { createHash } from 'node:crypto';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { expect } from 'chai';
import { loadPlatform } from '../services/config';
import { naming } from '../services/naming';
import { entryOfKind, functionPackageFile } from '../services/queries';
import type { FunctionStatusRow } from '../pipelines/release/reads/function-status';
import { Lambda } from '../pipelines/release/aws/lambda';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { motoServer } from './support/hooks';
import { startProxy } from './support/proxy';
import { runTdr } from './support/cli';
import { assumeRole } from './support/accounts';
import {
  APPROVER_ROLE,
  QUICK_CONFIG,
  SANDBOX,
  as,
  configFile,
  e2ePassed,
  sandboxUp,
  tdr,
} from './support/release';

type Env = Record<string, string | undefined>;
const FN = 'checksum';

async function deploy(env: Env, version: string) {
  const r = await tdr(
    [
      'deploy',
      '--service',
      FN,
      '--env',
      'intg',
      '--version',
      version,
      '--git-commit',
      commitOf(version),
      '-o',
      'json',
    ],
    env,
  );
  return JSON.parse(r.stdout) as { sha256: string; outcome: string };
}

/** intg → staging → (e2e passed, approved by alice) → prod, promoted by bob. */
async function throughProd(env: Env, version: string) {
  const intg = await deploy(env, version);
  await tdr(['promote', '--service', FN, '--to', 'staging', '--actor', 'bob'], env);
  await e2ePassed(env, FN, version);
  await tdr(['approve', '--service', FN, '--env', 'prod'], await as(env, APPROVER_ROLE, 'alice'));
  const prod = await tdr(['promote', '--service', FN, '--to', 'prod', '--actor', 'bob'], env);
  expect(prod.stdout).to.contain(`promote function ${FN} ${version} → prod (from staging): succeeded`);
  return intg.sha256;
}

async function history(env: Env, e: string): Promise<Array<Record<string, unknown>>> {
  return JSON.parse((await tdr(['history', '--service', FN, '--env', e, '-o', 'json'], env)).stdout) as Array<
    Record<string, unknown>
  >;
}

async function lambdaIn(e: keyof typeof SANDBOX): Promise<Lambda> {
  return new Lambda(
    new LambdaClient({ credentials: await assumeRole(SANDBOX[e], naming.jenkinsEcsUpdateRole(e)) }),
  );
}

async function liveSha(e: keyof typeof SANDBOX): Promise<string | undefined> {
  const live = await (await lambdaIn(e)).live(naming.functionName(FN, e), naming.functionAlias());
  return live?.version.CodeSha256;
}

/** A git commit per version, as Jenkins passes it (7 to 40 lowercase hex digits). */
const commitOf = (version: string): string => `c0ffee${version.slice(1).padStart(4, '0')}`;

describe('function releases through tdr (moto)', () => {
  it('deploys checksum v2 to intg, promotes it to staging and prod, rolls prod back; the ledger holds the SHA-256 throughout', async () => {
    // The plain shift in prod too: prod's canary (15 minutes of judged traffic) is
    // release-lambda-canary.test.ts's.
    const env = await sandboxUp({
      TDR_CONFIG: configFile({
        ...QUICK_CONFIG,
        catalogue: { [FN]: { delivery: { prod: { kind: 'allAtOnce' } } } },
      }),
    });
    const v2 = await throughProd(env, 'v2');
    const v3 = await throughProd(env, 'v3');
    expect(v2).to.not.equal(v3);
    expect(await liveSha('prod')).to.equal(v3);

    const back = await tdr(['rollback', '--service', FN, '--env', 'prod', '--actor', 'ops'], env);
    expect(back.stdout).to.contain(`rollback function ${FN} v2 → prod: succeeded`);
    expect(await liveSha('prod')).to.equal(v2);

    const sha = { v2, v3 } as Record<string, string>;
    for (const e of ['intg', 'staging', 'prod']) {
      const releases = (await history(env, e)).filter((r) => r.kind === 'release');
      expect(releases.length, e).to.be.greaterThan(0);
      for (const r of releases) expect(r.digest, `${e} #${String(r.seq)}`).to.equal(sha[r.version as string]);
    }
    const [latest] = await history(env, 'prod');
    expect(latest).to.include({
      action: 'rollback',
      version: 'v2',
      outcome: 'succeeded',
      gitCommit: commitOf('v2'),
    });
    const promoted = (await history(env, 'prod')).find((r) => r.action === 'promote' && r.version === 'v3');
    expect(promoted).to.include({ outcome: 'succeeded', approver: 'alice', sourceEnv: 'staging' });

    const rows = JSON.parse(
      (await tdr(['status', '--service', FN, '-o', 'json'], env)).stdout,
    ) as FunctionStatusRow[];
    expect(rows.map((r) => [r.env, r.version, r.sha256, r.lambda.sha256, r.drift])).to.deep.equal([
      ['intg', 'v3', v3, v3, []],
      ['staging', 'v3', v3, v3, []],
      ['prod', 'v2', v2, v2, []],
    ]);
    // Someone moves the alias by hand to the sandbox's v1, which no release recorded: drift.
    await lambdaIn('intg').then((l) =>
      l.moveAlias(naming.functionName(FN, 'intg'), naming.functionAlias(), '1', 'by hand'),
    );
    const table = (await tdr(['status', '--service', FN, '--env', 'intg'], env)).stdout;
    expect(table).to.match(/^FUNCTION\s+ENV\s+LEDGER/);
    expect(table).to.contain(`drift ${FN}/intg: live runs version 1 (sha256 `);
    expect(table).to.contain('code the ledger has no record of');
  });

  it('refuses (exit 3) a promotion whose package SHA-256 differs from what succeeded upstream', async () => {
    const env = await sandboxUp();
    await deploy(env, 'v2');
    const entry = entryOfKind(loadPlatform({}).catalogue, FN, 'lambda')!;
    const body = Buffer.from('a different build under the same version\n');
    await new S3Client({ forcePathStyle: true }).send(
      new PutObjectCommand({
        Bucket: naming.backendCodeBucket(),
        Key: naming.functionPackageKey(FN, 'v2', functionPackageFile(entry)),
        Body: body,
        ChecksumAlgorithm: 'SHA256',
        ChecksumSHA256: createHash('sha256').update(body).digest('base64'),
      }),
    );
    const refused = await tdr(['promote', '--service', FN, '--to', 'staging', '--actor', 'bob'], env, 3);
    expect(refused.stderr).to.match(/same digest/);
    expect((await history(env, 'staging')).filter((r) => r.kind === 'release')).to.deep.equal([]);
  });

  it('concurrent releases of one function × environment: one proceeds, the others exit 4', async () => {
    // Conditional writes decided one at a time (as S3 does), and the code update slowed so the
    // winner still holds the lease when the others arrive, as on AWS.
    let racing = false;
    const proxy = await startProxy(motoServer().endpoint, {
      delayMs: (req) =>
        racing && req.method === 'PUT' && /\/functions\/[^/]+\/code$/.test(req.url ?? '') ? 1000 : 0,
    });
    try {
      const env = await sandboxUp({ AWS_ENDPOINT_URL: proxy.endpoint });
      racing = true;
      const runs = await Promise.all(
        Array.from({ length: 5 }, (_, i) =>
          runTdr(['deploy', '--service', FN, '--env', 'intg', '--version', 'v2', '--actor', `dev${i}`], env),
        ),
      );
      const codes = runs.map((r) => r.code).sort((a, b) => a - b);
      expect(codes, runs.map((r) => r.stderr).join('\n')).to.deep.equal([0, 4, 4, 4, 4]);
      for (const r of runs.filter((x) => x.code === 4))
        expect(r.stderr).to.match(/another release holds the lease: dev\d/);
      expect((await history(env, 'intg')).map((h) => [h.seq, h.outcome])).to.deep.equal([
        [2, 'succeeded'],
        [1, 'started'],
      ]);
    } finally {
      await proxy.close();
    }
  });
});
