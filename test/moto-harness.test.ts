import { CreateBucketCommand, DeleteObjectCommand, ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { expect } from 'chai';
import { TEST_ACCOUNT_IDS, assumeRole } from './support/accounts';
import { motoServer } from './support/hooks';
import { runTdr } from './support/cli';
import { QUICK_CONFIG, configFile } from './support/release';
import { naming } from '../services/naming';
import { initialArtifacts } from '../infra/bootstrap/plan';
import { loadPlatform } from '../services/config';

describe('moto harness: five accounts on one moto_server', () => {
  it('serves the SDK on 127.0.0.1 through AWS_ENDPOINT_URL', () => {
    expect(process.env.AWS_ENDPOINT_URL).to.equal(motoServer().endpoint);
    expect(motoServer().endpoint).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('gives each account its own identity and its own resources through STS AssumeRole', async () => {
    for (const [env, accountId] of Object.entries(TEST_ACCOUNT_IDS)) {
      const credentials = await assumeRole(accountId, 'TDRTestRole');
      const identity = await new STSClient({ credentials }).send(new GetCallerIdentityCommand({}));
      expect(identity.Account, env).to.equal(accountId);
      await new S3Client({ credentials }).send(
        new CreateBucketCommand({
          Bucket: `tdr-harness-${env}`,
          CreateBucketConfiguration: { LocationConstraint: 'eu-west-2' },
        }),
      );
    }
    const intg = await new S3Client({
      credentials: await assumeRole(TEST_ACCOUNT_IDS.intg, 'TDRTestRole'),
    }).send(new ListBucketsCommand({}));
    expect((intg.Buckets ?? []).map((b) => b.Name)).to.deep.equal(['tdr-harness-intg']);
  });

  it('resets state between tests', async () => {
    const credentials = await assumeRole(TEST_ACCOUNT_IDS.intg, 'TDRTestRole');
    const listed = await new S3Client({ credentials }).send(new ListBucketsCommand({}));
    expect(listed.Buckets ?? []).to.have.length(0);
  });

  it('saves a stood-up sandbox and restores it as it was, each restore a copy: a change made after one is gone at the next', async function () {
    const moto = motoServer();
    const env = {
      ...process.env,
      TDR_ACCOUNT_IDS: undefined,
      USER: 'tester',
      TDR_CONFIG: configFile(QUICK_CONFIG),
    };
    const check = async (code: number) => {
      const r = await runTdr(['bootstrap', 'check', '-o', 'json'], env);
      expect(r.code, r.stderr).to.equal(code);
      return r.stdout;
    };
    const up = await runTdr(['sandbox', 'up'], env);
    expect(up.code, up.stderr).to.equal(0);
    const stoodUp = await check(0);
    if (process.env.TDR_MOTO_SNAPSHOTS === '0') this.skip(); // the plain moto_server, on purpose
    expect(await moto.save('harness'), 'moto saved its state').to.equal(true);

    await moto.reset();
    expect((await runTdr(['bootstrap', 'check'], env)).code, 'nothing is left after a reset').to.not.equal(0);
    expect(await moto.restore('harness')).to.equal(true);
    expect(await check(0), 'restored: every item, its ids and its dates as stood up').to.equal(stoodUp);

    const gone = initialArtifacts(loadPlatform({})).initialPackages[0]!;
    await new S3Client({ forcePathStyle: true }).send(
      new DeleteObjectCommand({ Bucket: naming.backendCodeBucket(), Key: gone.key }),
    );
    expect(await check(1)).to.contain(gone.key);
    expect(await moto.restore('harness')).to.equal(true);
    expect(await check(0), 'the deletion was made to the copy, not to the snapshot').to.equal(stoodUp);

    expect(await moto.restore('no-such-snapshot')).to.equal(false);
  });
});
