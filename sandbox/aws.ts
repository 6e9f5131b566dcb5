/**
 * Idempotent creation on the sandbox's endpoint: "already exists" is success, every other failure
 * says what was being attempted.
 */
import {
  CreateRoleCommand,
  PutRolePolicyCommand,
  UpdateAssumeRolePolicyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import type { RoleDocuments } from '../infra/definitions/iam';
import { AwsCallError, attempt, errorName } from '../pipelines/release/errors';

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
