/** Fake account ids for the five accounts in moto; moto's own default account plays mgmt. */
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@aws-sdk/types';

export const TEST_ACCOUNT_IDS = {
  mgmt: '123456789012',
  sbox: '111111111111',
  intg: '222222222222',
  staging: '333333333333',
  prod: '444444444444',
} as const;

/** Credentials for `roleName` in `accountId`, as moto hands them out through STS AssumeRole. */
export async function assumeRole(accountId: string, roleName: string): Promise<AwsCredentialIdentity> {
  const sts = new STSClient({});
  const { Credentials: c } = await sts.send(
    new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${accountId}:role/${roleName}`,
      RoleSessionName: 'tdr-test',
    }),
  );
  if (!c?.AccessKeyId || !c.SecretAccessKey)
    throw new Error(`AssumeRole into ${accountId} returned no credentials`);
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
}
