/**
 * The sandbox's own clients, and idempotent creation on its endpoint: "already exists" is
 * success, every other failure says what was being attempted.
 */
import { KMSClient } from '@aws-sdk/client-kms';
import { STSClient } from '@aws-sdk/client-sts';
import {
  CreateRoleCommand,
  PutRolePolicyCommand,
  UpdateAssumeRolePolicyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import type { RoleDocuments } from '../infra/definitions/iam';
import { AwsCallError, attempt, errorName } from '../pipelines/release/errors';
import { clientConfig, nameStuckCalls } from '../pipelines/release/aws/aws';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The clients `tdr sandbox up|demo` needs beyond the release engine's (which come from
 * `releaseClients`): STS before the account ids are known, and KMS for the bootstrap's key. Built
 * as the engine's are, with the same endpoint, retries and timeouts, so no sandbox call waits forever.
 */
export function sandboxStsClient(env: Env, region: string): STSClient {
  return nameStuckCalls(new STSClient(clientConfig({ region, env })));
}

export function sandboxKmsClient(env: Env, region: string): KMSClient {
  return nameStuckCalls(new KMSClient(clientConfig({ region, env })));
}

const ALREADY_EXISTS = new Set([
  'AlreadyExistsException',
  'BucketAlreadyOwnedByYou',
  'BucketAlreadyExists',
  'RepositoryAlreadyExistsException',
  'ImageAlreadyExistsException',
  'EntityAlreadyExistsException',
  'ResourceAlreadyExistsException',
]);

/** The call's result, or undefined when what it creates is already there. */
export async function ignoreExists<T>(what: string, call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (err) {
    if (ALREADY_EXISTS.has(errorName(err) ?? '')) return undefined;
    throw new AwsCallError(what, err);
  }
}

/** Creates the role, or brings an existing one's trust policy back to what it should be. */
export async function ensureRole(iam: IAMClient, env: string, role: RoleDocuments): Promise<void> {
  const { roleName, trustPolicy, inlinePolicy } = role;
  const made = await ignoreExists(`creating IAM role ${roleName} in ${env}`, () =>
    iam.send(
      new CreateRoleCommand({
        RoleName: roleName,
        AssumeRolePolicyDocument: trustPolicy,
        Description: role.description,
        MaxSessionDuration: role.maxSessionDuration,
      }),
    ),
  );
  if (!made) {
    await attempt(`updating the trust policy of IAM role ${roleName} in ${env}`, () =>
      iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: roleName, PolicyDocument: trustPolicy })),
    );
  }
  if (inlinePolicy) {
    await attempt(`writing policy ${inlinePolicy.name} of IAM role ${roleName} in ${env}`, () =>
      iam.send(
        new PutRolePolicyCommand({
          RoleName: roleName,
          PolicyName: inlinePolicy.name,
          PolicyDocument: inlinePolicy.document,
        }),
      ),
    );
  }
}
