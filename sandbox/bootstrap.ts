/**
 * The bootstrap's resources on the sandbox's endpoint: what infra/bootstrap/program.ts creates with
 * Pulumi, created through the AWS SDK from the same bootstrapDefinitions() — the secrets key and
 * its alias, the state bucket and its access-log bucket, the Jenkins infra roles and the deploy
 * roles with their trust, the SSM account-id parameters the release engine reads, and the
 * organisation parameter (the example organisation) that the plan's first step puts.
 *
 * Idempotent like the rest of `sandbox up`: a second run finds the key by its alias, and brings
 * bucket settings, policies and parameters back to the definitions.
 */
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DescribeKeyCommand,
  EnableKeyRotationCommand,
  PutKeyPolicyCommand,
  ScheduleKeyDeletionCommand,
  type KMSClient,
} from '@aws-sdk/client-kms';
import {
  CreateBucketCommand,
  PutBucketEncryptionCommand,
  PutBucketLoggingCommand,
  PutBucketPolicyCommand,
  PutBucketVersioningCommand,
  PutPublicAccessBlockCommand,
  type BucketLocationConstraint,
  type S3Client,
} from '@aws-sdk/client-s3';
import { AttachRolePolicyCommand, type IAMClient } from '@aws-sdk/client-iam';
import { PutParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import type { AccountIds } from '../services/config';
import { ENVIRONMENT_NAMES, type EnvironmentName } from '../services/environments';
import { naming } from '../services/naming';
import { ORGANISATION_PARAMETER_DESCRIPTION, exampleOrganisationText } from '../services/organisation';
import { roleDocuments } from '../infra/definitions/iam';
import {
  bootstrapDefinitions,
  document,
  roleSpecOf,
  tlsOnly,
  type BucketDefinition,
  type KeyDefinition,
  type ParameterDefinition,
  type RoleDefinition,
  type Statement,
} from '../infra/bootstrap/definitions';
import type { ReleaseClients } from '../pipelines/release/aws/aws';
import { AwsCallError, attempt, errorName } from '../pipelines/release/errors';
import { ensureRole, ignoreExists } from './aws';

export interface BootstrapClients {
  /** KMS, S3 and SSM in mgmt, where the key, the buckets and the parameters live. */
  readonly kms: KMSClient;
  readonly s3: S3Client;
  readonly ssm: SSMClient;
  /** IAM in the account of `env`. */
  iam(env: EnvironmentName): IAMClient;
}

export function bootstrapClientsOf(clients: ReleaseClients, kms: KMSClient): BootstrapClients {
  return {
    kms,
    s3: clients.mgmt.s3,
    ssm: clients.mgmt.ssm,
    iam: (env) => (env === 'mgmt' ? clients.mgmt.iam : clients.iam(env)),
  };
}

/**
 * Creates every resource of bootstrapDefinitions(region, ids) but the Jenkins image repositories
 * (`sandbox up` creates those with the stand-in agent images, as the plan's "Jenkins images" step
 * pushes them); returns what `sandbox up` reports.
 */
export async function sandboxBootstrap(
  clients: BootstrapClients,
  region: string,
  ids: AccountIds,
): Promise<string[]> {
  const defs = bootstrapDefinitions(region, ids);
  // What `tdr bootstrap plan`'s first step puts from the operator's file on real accounts; the
  // sandbox runs on the example organisation, so it holds that (`tdr bootstrap check` finds it).
  const organisationParameter: ParameterDefinition = {
    name: naming.organisationParameter(),
    value: exampleOrganisationText(),
    type: 'String',
    description: ORGANISATION_PARAMETER_DESCRIPTION,
  };
  const key = ensureSecretsKey(clients.kms, defs.secretsKey);
  const logs = defs.accessLogBucket;
  // S3 accepts logging only into a bucket whose policy already lets the logging service write. And
  // moto 5.2 fails PutBucketLogging when the target's policy has a `"Principal": "*"` (the TLS-only
  // deny): the log bucket holds only its grants until the state bucket's logging is on.
  const buckets = ensureBucket(clients.s3, region, logs, { statements: logs.grants }).then(
    async (logLine) => {
      const stateLine = await ensureBucket(clients.s3, region, defs.stateBucket, { kmsKeyArn: await key });
      await putBucketPolicy(clients.s3, logs.bucketName, bucketPolicy(logs));
      return [stateLine, logLine];
    },
  );
  const [keyArn, bucketLines, , roleLines] = await Promise.all([
    key,
    buckets,
    ensureParameters(clients.ssm, [...defs.accountIdParameters, organisationParameter]),
    ensureRoles(clients, ids, defs.infraRoles, defs.deployRoles),
  ]);
  return [
    `mgmt: KMS ${defs.secretsKey.alias} → ${keyArn} (rotation on)`,
    ...bucketLines,
    `mgmt: SSM ${defs.accountIdParameters.map((p) => p.name).join(', ')}`,
    `mgmt: SSM ${organisationParameter.name} (the example organisation)`,
    ...roleLines,
  ];
}

/** The key the alias names, created with it if there is none; returns the key's ARN. */
async function ensureSecretsKey(kms: KMSClient, key: KeyDefinition): Promise<string> {
  const policy = JSON.stringify(key.policy);
  const existing = await keyArnOfAlias(kms, key.alias);
  if (existing) {
    await attempt(`writing the key policy of KMS ${key.alias}`, () =>
      kms.send(new PutKeyPolicyCommand({ KeyId: existing, PolicyName: 'default', Policy: policy })),
    );
  }
  const keyArn = existing ?? (await createAliasedKey(kms, key, policy));
  if (key.enableKeyRotation) {
    await attempt(`enabling rotation of KMS ${key.alias}`, () =>
      kms.send(new EnableKeyRotationCommand({ KeyId: keyArn })),
    );
  }
  return keyArn;
}

async function createAliasedKey(kms: KMSClient, key: KeyDefinition, policy: string): Promise<string> {
  const { KeyMetadata: made } = await attempt(`creating the KMS key for ${key.alias}`, () =>
    kms.send(
      new CreateKeyCommand({
        Description: key.description,
        Policy: policy,
        KeyUsage: 'ENCRYPT_DECRYPT',
        KeySpec: 'SYMMETRIC_DEFAULT',
      }),
    ),
  );
  const keyId = made?.KeyId;
  if (!made?.Arn || !keyId) throw new Error(`CreateKey for ${key.alias} returned no key`);
  const aliased = await ignoreExists(`creating KMS alias ${key.alias}`, () =>
    kms.send(new CreateAliasCommand({ AliasName: key.alias, TargetKeyId: keyId })),
  );
  if (aliased) return made.Arn;
  // Another `sandbox up` aliased its own key meanwhile: that one is the key, this one goes.
  await attempt(`scheduling the deletion of the unneeded KMS key ${keyId}`, () =>
    kms.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: key.deletionWindowInDays })),
  );
  const winner = await keyArnOfAlias(kms, key.alias);
  if (!winner) throw new Error(`KMS alias ${key.alias} names no key`);
  return winner;
}

async function keyArnOfAlias(kms: KMSClient, alias: string): Promise<string | undefined> {
  try {
    return (await kms.send(new DescribeKeyCommand({ KeyId: alias }))).KeyMetadata?.Arn;
  } catch (err) {
    if (errorName(err) === 'NotFoundException') return undefined;
    throw new AwsCallError(`looking up KMS ${alias}`, err);
  }
}

/** TLS only, and the definition's grants. */
function bucketPolicy(def: BucketDefinition): readonly Statement[] {
  return [tlsOnly(def.bucketName), ...def.grants];
}

async function putBucketPolicy(
  s3: S3Client,
  bucket: string,
  statements: readonly Statement[],
): Promise<void> {
  await attempt(`writing the bucket policy of ${bucket}`, () =>
    s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(document(statements)) })),
  );
}

/** A bucket as SecureBucket makes it: versioned, encrypted, public access blocked, TLS only. */
async function ensureBucket(
  s3: S3Client,
  region: string,
  def: BucketDefinition,
  opts: { readonly kmsKeyArn?: string; readonly statements?: readonly Statement[] } = {},
): Promise<string> {
  const bucket = def.bucketName;
  const { kmsKeyArn } = opts;
  if (def.kmsKeyAlias && !kmsKeyArn) throw new Error(`${bucket} needs the key of ${def.kmsKeyAlias}`);
  await ignoreExists(`creating bucket ${bucket}`, () =>
    s3.send(
      new CreateBucketCommand({
        Bucket: bucket,
        CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint },
      }),
    ),
  );
  await attempt(`blocking public access to ${bucket}`, () =>
    s3.send(
      new PutPublicAccessBlockCommand({
        Bucket: bucket,
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
      }),
    ),
  );
  await attempt(`enabling versioning on ${bucket}`, () =>
    s3.send(
      new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }),
    ),
  );
  await attempt(`setting the default encryption of ${bucket}`, () =>
    s3.send(
      new PutBucketEncryptionCommand({
        Bucket: bucket,
        ServerSideEncryptionConfiguration: {
          Rules: [
            {
              ApplyServerSideEncryptionByDefault: kmsKeyArn
                ? { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: kmsKeyArn }
                : { SSEAlgorithm: 'AES256' },
              BucketKeyEnabled: true,
            },
          ],
        },
      }),
    ),
  );
  await putBucketPolicy(s3, bucket, opts.statements ?? bucketPolicy(def));
  const log = def.accessLog;
  if (log) {
    await attempt(`turning on access logging of ${bucket} into ${log.bucketName}`, () =>
      s3.send(
        new PutBucketLoggingCommand({
          Bucket: bucket,
          BucketLoggingStatus: { LoggingEnabled: { TargetBucket: log.bucketName, TargetPrefix: log.prefix } },
        }),
      ),
    );
  }
  const encryption = def.kmsKeyAlias ? `SSE-KMS ${def.kmsKeyAlias}` : 'SSE-S3';
  const logged = log ? `, logged to s3://${log.bucketName}/${log.prefix}` : '';
  return `mgmt: s3://${bucket} (versioned, ${encryption}, public access blocked, TLS only${logged})`;
}

async function ensureParameters(ssm: SSMClient, parameters: readonly ParameterDefinition[]): Promise<void> {
  await Promise.all(
    parameters.map((p) =>
      attempt(`writing SSM ${p.name}`, () =>
        ssm.send(
          new PutParameterCommand({
            Name: p.name,
            Value: p.value,
            Type: p.type,
            Description: p.description,
            Overwrite: true,
          }),
        ),
      ),
    ),
  );
}

/** The infra roles first: a deploy role's trust names its infra role, which IAM wants to exist. */
async function ensureRoles(
  clients: BootstrapClients,
  ids: AccountIds,
  infraRoles: readonly RoleDefinition[],
  deployRoles: readonly RoleDefinition[],
): Promise<string[]> {
  const ensure = async (def: RoleDefinition): Promise<string[]> => {
    const env = accountOf(ids, def.accountId);
    const iam = clients.iam(env);
    await ensureRole(iam, env, roleDocuments(roleSpecOf(def)));
    const notes: string[] = [];
    for (const policyArn of def.managedPolicyArns) {
      notes.push(await attachManagedPolicy(iam, env, def.roleName, policyArn));
    }
    return notes;
  };
  await Promise.all(infraRoles.map(ensure));
  const attached = await Promise.all(deployRoles.map(ensure));
  return deployRoles.map((deploy, i) => {
    const infra = infraRoles.find((r) => r.env === deploy.env);
    const from = infra ? `${accountOf(ids, infra.accountId)}: IAM ${infra.roleName} → ` : '';
    const policies = attached[i]?.length ? ` (${attached[i]?.join(', ')})` : '';
    return `${from}${accountOf(ids, deploy.accountId)}: IAM ${deploy.roleName}${policies}`;
  });
}

/**
 * moto knows AWS's managed policies only when started with MOTO_IAM_LOAD_MANAGED_POLICIES=true;
 * without them the role is still made, and the report says what is missing rather than failing.
 */
async function attachManagedPolicy(
  iam: IAMClient,
  env: EnvironmentName,
  roleName: string,
  policyArn: string,
): Promise<string> {
  const policyName = policyArn.split('/').pop() ?? policyArn;
  try {
    await iam.send(new AttachRolePolicyCommand({ RoleName: roleName, PolicyArn: policyArn }));
    return policyName;
  } catch (err) {
    if (errorName(err) === 'NoSuchEntityException' && policyArn.startsWith('arn:aws:iam::aws:policy/')) {
      return `${policyName} NOT attached: unknown here (moto: MOTO_IAM_LOAD_MANAGED_POLICIES=true)`;
    }
    throw new AwsCallError(`attaching ${policyArn} to IAM role ${roleName} in ${env}`, err);
  }
}

/** The environment whose account `accountId` is (several may share one in a sandbox: any will do). */
function accountOf(ids: AccountIds, accountId: string): EnvironmentName {
  const env = ENVIRONMENT_NAMES.find((e) => ids[e] === accountId);
  if (!env) throw new Error(`account ${accountId} is none of the platform's accounts`);
  return env;
}
