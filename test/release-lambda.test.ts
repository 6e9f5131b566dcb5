/**
 * The Lambda adapter and the alias-shift strategy against moto (no Docker: moto serves Lambda's
 * create, update, publish and alias calls without running code): a package uploaded to mgmt's code
 * bucket with its SHA-256, resolved to that SHA-256, deployed to a function in the intg account,
 * published, and `live` moved; the ledger holds the SHA-256.
 */
import { createHash } from 'node:crypto';
import {
  CreateBucketCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { expect } from 'chai';
import { loadPlatform } from '../services/config';
import { naming } from '../services/naming';
import { releaseClients } from '../pipelines/release/aws/aws';
import type { ReleaseDeps } from '../pipelines/release/saga/context';
import { Lambda, resolvePackage } from '../pipelines/release/aws/lambda';
import { releaseFunction } from '../pipelines/release/strategies/lambda-alias-shift';
import { Ledger } from '../pipelines/release/ledger/ledger';
import { TEST_ACCOUNT_IDS, assumeRole } from './support/accounts';
import { runTdr } from './support/cli';
import { SANDBOX, sandboxUp } from './support/release';
import { fakePackage } from '../sandbox/definitions';
import { functions } from '../services/queries';

const BUCKET = naming.backendCodeBucket();
const FN = naming.functionName('checksum', 'intg');
const region = 'eu-west-2';
/** A package's bytes: any bytes do, moto runs no code. */
const packageOf = (version: string) => Buffer.from(`checksum ${version} jar`);
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('base64');

async function world() {
  const s3 = new S3Client({ region, forcePathStyle: true });
  for (const bucket of [BUCKET, naming.ledgerBucket()]) {
    await s3.send(
      new CreateBucketCommand({ Bucket: bucket, CreateBucketConfiguration: { LocationConstraint: region } }),
    );
    await s3.send(
      new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }),
    );
  }
  for (const v of ['v1', 'v2']) {
    const body = packageOf(v);
    await s3.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: naming.functionPackageKey('checksum', v, 'checksum.jar'),
        Body: body,
        // As upload-package sends it: the algorithm and the value it computed.
        ChecksumAlgorithm: 'SHA256',
        ChecksumSHA256: sha256(body),
      }),
    );
  }
  const credentials = await assumeRole(TEST_ACCOUNT_IDS.intg, naming.jenkinsEcsUpdateRole('intg'));
  const iam = new IAMClient({ region, credentials });
  const role = await iam.send(
    new CreateRoleCommand({
      RoleName: naming.functionRole('Checksum', 'intg'),
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
        ],
      }),
    }),
  );
  const lambda = new Lambda(new LambdaClient({ region, credentials }));
  const created = await lambda.ensureFunction({
    FunctionName: FN,
    Runtime: 'java21',
    Handler: 'uk.gov.nationalarchives.checksum.Lambda::process',
    Role: role.Role!.Arn!,
    Code: { S3Bucket: BUCKET, S3Key: naming.functionPackageKey('checksum', 'v1', 'checksum.jar') },
    Publish: true,
  });
  await lambda.ensureAlias(
    FN,
    'live',
    created.Version && created.Version !== '$LATEST' ? created.Version : '1',
  );
  return { s3, lambda };
}

describe('Lambda releases on moto', function () {
  this.timeout(120_000);

  it('the adapter: resolve the package’s SHA-256, update, wait, publish that SHA-256, move live', async () => {
    const { s3, lambda } = await world();
    const before = await lambda.live(FN, 'live');
    expect(before?.alias.FunctionVersion).to.equal('1');
    expect(before?.version.CodeSha256).to.equal(sha256(packageOf('v1')));

    const lookup = await resolvePackage(
      s3,
      BUCKET,
      naming.functionPackageKey('checksum', 'v2', 'checksum.jar'),
      'v2',
    );
    if (!lookup.ok) throw new Error(lookup.reason);
    expect(lookup.pkg.sha256).to.equal(sha256(packageOf('v2')));
    expect(lookup.pkg.objectVersion).to.be.a('string');

    const updated = await lambda.updateCode(FN, lookup.pkg);
    expect(updated.CodeSha256, 'Lambda’s CodeSha256 is the package’s SHA-256').to.equal(lookup.pkg.sha256);
    const clock = { now: () => Date.now(), sleep: async () => {}, pollMs: 1, timeoutMs: 10_000 };
    expect((await lambda.waitForUpdate(FN, { clock, progress: () => {} })).ok).to.equal(true);
    const published = await lambda.publishVersion(FN, lookup.pkg.sha256, 'v2');
    expect(published.Version).to.equal('2');
    await lambda.moveAlias(FN, 'live', published.Version!, 'moving live');
    const after = await lambda.live(FN, 'live');
    expect(after?.alias.FunctionVersion).to.equal('2');
    expect(after?.version.CodeSha256).to.equal(lookup.pkg.sha256);

    await lambda.moveAlias(FN, 'live', '1', 'moving live back');
    expect((await lambda.live(FN, 'live'))?.version.CodeSha256).to.equal(sha256(packageOf('v1')));
  });

  it('a package missing, or uploaded without its SHA-256, is not released', async () => {
    const { s3 } = await world();
    const missing = await resolvePackage(s3, BUCKET, 'checksum/v9/checksum.jar', 'v9');
    expect(missing).to.deep.include({ ok: false });
    await s3.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: 'checksum/v3/checksum.jar', Body: packageOf('v3') }),
    );
    const unsummed = await resolvePackage(s3, BUCKET, 'checksum/v3/checksum.jar', 'v3');
    expect(unsummed.ok ? 'resolved' : unsummed.reason).to.match(/no full-object SHA-256/);
  });

  it('the saga strategy: deploy checksum v2 to intg through the update role; the ledger holds the SHA-256', async () => {
    await world();
    const platform = loadPlatform({});
    const clients = await releaseClients({ region, sessionName: 'tdr-test', accountIds: TEST_ACCOUNT_IDS });
    let run = 0;
    const deps: ReleaseDeps = {
      clients,
      platform,
      now: () => new Date(),
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
      log: () => {},
      notifier: {},
      pollMs: 20,
      timeoutMs: 20_000,
      leaseTtlMs: 600_000,
      newRunId: () => `run-${++run}`,
    };
    const { result, failure } = await releaseFunction(deps, {
      action: 'deploy',
      service: 'checksum',
      env: 'intg',
      version: 'v2',
      actor: 'tester',
    });
    expect(failure).to.equal(null);
    expect(result).to.deep.include({ outcome: 'succeeded', sha256: sha256(packageOf('v2')) });
    const records = await new Ledger(clients.mgmt.s3, naming.ledgerBucket()).records('checksum', 'intg');
    expect(records.map((r) => [r.kind === 'release' && r.outcome, r.digest])).to.deep.equal([
      ['started', sha256(packageOf('v2'))],
      ['succeeded', sha256(packageOf('v2'))],
    ]);
    const live = await new Lambda(clients.lambda('intg')).live(FN, 'live');
    expect(live?.version.CodeSha256).to.equal(sha256(packageOf('v2')));
  });

  it('tdr sandbox up: packages v1-v3 of every function in the code bucket, every function at v1 behind live in intg, staging and prod', async () => {
    const env = await sandboxUp();
    const platform = loadPlatform({});
    for (const target of ['intg', 'staging', 'prod'] as const) {
      const credentials = await assumeRole(SANDBOX[target], naming.jenkinsEcsUpdateRole(target));
      const lambda = new Lambda(new LambdaClient({ region, credentials }));
      for (const [fn] of functions(platform.catalogue)) {
        const live = await lambda.live(naming.functionName(fn, target), 'live');
        expect(live?.alias.FunctionVersion, `${target} ${fn}`).to.equal('1');
        expect(live?.version.CodeSha256, `${target} ${fn}`).to.equal(sha256(fakePackage(fn, 'v1')));
      }
    }
    const s3 = new S3Client({ region, forcePathStyle: true });
    for (const v of ['v1', 'v2', 'v3']) {
      const lookup = await resolvePackage(
        s3,
        BUCKET,
        naming.functionPackageKey('reporting', v, 'function.zip'),
        v,
      );
      expect(lookup.ok ? lookup.pkg.sha256 : lookup.reason).to.equal(sha256(fakePackage('reporting', v)));
    }
    // Twice leaves one of each.
    const again = await runTdr(['sandbox', 'up'], env);
    expect(again.code, again.stderr).to.equal(0);
  });
});
