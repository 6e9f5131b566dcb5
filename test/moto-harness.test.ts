import { CreateBucketCommand, ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { expect } from 'chai';
import { TEST_ACCOUNT_IDS, assumeRole } from './support/accounts';
import { motoServer } from './support/hooks';

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
});
