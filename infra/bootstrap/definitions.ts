/**
 * What the bootstrap creates, as plain data: the Pulumi state bucket and its access-log bucket,
 * the KMS key Pulumi encrypts secrets with, the SSM account-id parameters (all in mgmt), and in
 * every account the deploy role the infra jobs assume, with the Jenkins infra agent role in mgmt
 * that alone may assume it. No Pulumi here: the Pulumi program (./program.ts) and the sandbox
 * (moto, through the AWS SDK) both create these from the same definitions.
 */
import type { AccountIds } from '../../services/config';
import type { PolicyStatement, RoleSpec, TrustStatement } from '../definitions/iam';
import { ENVIRONMENT_NAMES, type EnvironmentName } from '../../services/environments';
import { JENKINS_IMAGES, naming } from '../../services/naming';

/** The Pulumi project the account stacks belong to (Pulumi.yaml at the repository root). */
export const ACCOUNTS_PROJECT = 'tdr';

export const BOOTSTRAP_SETTINGS = {
  /** Old state versions are how a broken `pulumi up` is undone; kept a quarter. */
  stateNoncurrentVersionsDays: 90,
  accessLogDays: 365,
  keyDeletionWindowDays: 30,
  /** Jenkins images (controller, agents) kept in ECR: a rollback goes back a few builds, not a hundred. */
  jenkinsImagesKept: 30,
  /**
   * In every account but mgmt the bootstrap acts through the role AWS Organizations creates in
   * member accounts for the management account's administrators.
   */
  adminRoleName: 'OrganizationAccountAccessRole',
  /** The deploy role creates every resource of its account, IAM roles included. */
  deployRolePolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess',
} as const;

export interface Statement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: Readonly<Record<string, string | readonly string[]>> | '*';
  readonly Action: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: readonly Statement[];
}

export const document = (statements: readonly Statement[]): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: statements,
});

export interface BucketDefinition {
  readonly bucketName: string;
  /** SSE-KMS with this key alias, or SSE-S3 (server access logs can only be written to SSE-S3). */
  readonly kmsKeyAlias?: string;
  readonly versioning: true;
  readonly blockPublicAccess: true;
  readonly noncurrentVersionsExpireAfterDays: number;
  readonly expireAfterDays?: number;
  /** Grants beyond the TLS-only deny, which every bucket has. */
  readonly grants: readonly Statement[];
  /** Where S3 writes this bucket's access log. */
  readonly accessLog?: { readonly bucketName: string; readonly prefix: string };
}

export interface KeyDefinition {
  readonly alias: string;
  readonly description: string;
  readonly enableKeyRotation: true;
  readonly deletionWindowInDays: number;
  readonly policy: PolicyDocument;
}

export interface RoleDefinition {
  readonly env: EnvironmentName;
  /** The account the role is created in. */
  readonly accountId: string;
  readonly roleName: string;
  readonly description: string;
  readonly trust: PolicyDocument;
  /** Inline policy (absent: none). */
  readonly policy?: PolicyDocument;
  readonly managedPolicyArns: readonly string[];
}

export interface ParameterDefinition {
  readonly name: string;
  readonly value: string;
  readonly type: 'String';
  readonly description: string;
}

export interface BootstrapDefinitions {
  readonly region: string;
  readonly accountIds: AccountIds;
  readonly stateBucket: BucketDefinition;
  readonly accessLogBucket: BucketDefinition;
  readonly secretsKey: KeyDefinition;
  /** `TDRJenkinsInfraRole{Env}` in mgmt, one per account: the agent role of that account's infra jobs. */
  readonly infraRoles: readonly RoleDefinition[];
  /** `TDRPulumiDeployRole{Env}` in each account, trusted only by that account's infra role. */
  readonly deployRoles: readonly RoleDefinition[];
  readonly accountIdParameters: readonly ParameterDefinition[];
  /**
   * mgmt's ECR repositories of the Jenkins images (the controller and its agents). The bootstrap
   * creates them, not the mgmt stack: the operator pushes the images before mgmt's first
   * `pulumi up`, which runs the controller by the digest pushed (docs/runbook-jenkins-grafana.md).
   */
  readonly jenkinsImageRepositories: readonly ImageRepositoryDefinition[];
}

export interface ImageRepositoryDefinition {
  readonly name: string;
  /** Tags are never moved: a digest or a tag names one build for good. */
  readonly imageTagMutability: 'IMMUTABLE';
  readonly scanOnPush: true;
  /** How many images the lifecycle policy keeps. */
  readonly keepImages: number;
}

export interface BootstrapOptions {
  /**
   * Roles (ARNs) that may also assume the infra roles while the platform is first stood up,
   * before Jenkins exists: an administrator runs the first `pulumi up` of each account as
   * Jenkins will. Removed again as the last step of the stand-up.
   */
  readonly standUpRoleArns?: readonly string[];
}

export function tlsOnly(bucketName: string): Statement {
  return {
    Sid: 'DenyInsecureTransport',
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:*',
    Resource: [`arn:aws:s3:::${bucketName}`, `arn:aws:s3:::${bucketName}/*`],
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  };
}

export function keyArnPattern(region: string, accountId: string): string {
  return `arn:aws:kms:${region}:${accountId}:key/*`;
}

export function parameterArn(region: string, accountId: string, name: string): string {
  return `arn:aws:ssm:${region}:${accountId}:parameter${name}`;
}

/**
 * The S3 keys Pulumi's DIY backend keeps one stack under (project-scoped layout): state, history
 * and backups under `{project}/{stack}`, and the lock under the stack's fully qualified name,
 * `.pulumi/locks/organization/{project}/{stack}/{lockId}.json` (pulumi/pulumi
 * `pkg/backend/diy/lock.go`: `stackLockDir(stackRef.FullyQualifiedName())`, and
 * `diyBackendReference.FullyQualifiedName` in `pkg/backend/diy/backend.go`: "organization/{project}/{name}").
 */
export function stackStateKeys(stack: string): string[] {
  const bucket = naming.pulumiStateBucket();
  const project = ACCOUNTS_PROJECT;
  return [
    `arn:aws:s3:::${bucket}/.pulumi/stacks/${project}/${stack}.json*`,
    ...['history', 'backups'].map((d) => `arn:aws:s3:::${bucket}/.pulumi/${d}/${project}/${stack}/*`),
    `arn:aws:s3:::${bucket}/.pulumi/locks/organization/${project}/${stack}/*`,
  ];
}

/**
 * What an infra agent may do for `env`: assume that account's deploy role (the second hop), read
 * and write that stack's state, use the secrets key, and read the account ids and the organisation config.
 */
export function infraRoleStatements(region: string, ids: AccountIds, env: EnvironmentName): Statement[] {
  const mgmt = ids.mgmt;
  return [
    {
      Sid: 'AssumeDeployRole',
      Effect: 'Allow',
      Action: 'sts:AssumeRole',
      Resource: naming.roleArn(ids[env], naming.pulumiDeployRole(env)),
    },
    {
      Sid: 'ListState',
      Effect: 'Allow',
      Action: 's3:ListBucket',
      Resource: `arn:aws:s3:::${naming.pulumiStateBucket()}`,
    },
    {
      Sid: 'ReadWriteStackState',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
      Resource: stackStateKeys(naming.pulumiStack(env)),
    },
    {
      Sid: 'ReadBackendMetadata',
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: `arn:aws:s3:::${naming.pulumiStateBucket()}/.pulumi/meta.yaml`,
    },
    {
      Sid: 'UseSecretsKey',
      Effect: 'Allow',
      Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: keyArnPattern(region, mgmt),
      Condition: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': naming.pulumiSecretsKeyAlias() } },
    },
    {
      Sid: 'ReadAccountIds',
      Effect: 'Allow',
      Action: ['ssm:GetParameter', 'ssm:GetParameters'],
      Resource: ENVIRONMENT_NAMES.map((e) => parameterArn(region, mgmt, naming.accountIdParameter(e))),
    },
    {
      // The infra job fetches the organisation config (a String: no kms:Decrypt) into its workspace
      // before `tdr preflight` (pipelines/jenkins/jobs/infra.ts). GetParameter is authorised on the
      // `parameter` resource type, arn:aws:ssm:{Region}:{Account}:parameter/{ParameterName}:
      // https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssystemsmanager.html
      Sid: 'ReadOrganisation',
      Effect: 'Allow',
      Action: 'ssm:GetParameter',
      Resource: parameterArn(region, mgmt, naming.organisationParameter()),
    },
  ];
}

/** A role of these definitions as every creator of roles takes it (Pulumi's createRole, the sandbox). */
export function roleSpecOf(def: RoleDefinition): RoleSpec {
  return {
    roleName: def.roleName,
    description: def.description,
    trust: def.trust.Statement as readonly TrustStatement[],
    ...(def.policy ? { statements: def.policy.Statement as readonly PolicyStatement[] } : {}),
  };
}

// eslint-disable-next-line max-lines-per-function -- Pulumi resources declared in dependency order, one block each: splitting would pass half-built resources between functions.
export function bootstrapDefinitions(
  region: string,
  ids: AccountIds,
  options: BootstrapOptions = {},
): BootstrapDefinitions {
  const mgmt = ids.mgmt;
  const stateBucket = naming.pulumiStateBucket();
  const logBucket = naming.pulumiStateLogBucket();
  const standUp = options.standUpRoleArns ?? [];
  const infraRoles = ENVIRONMENT_NAMES.map((env): RoleDefinition => ({
    env,
    accountId: mgmt,
    roleName: naming.jenkinsInfraRole(env),
    description: `Jenkins agents running pulumi for ${env}: may assume only ${naming.pulumiDeployRole(env)} there`,
    trust: document([
      {
        Effect: 'Allow',
        Principal: { Service: 'ecs-tasks.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'aws:SourceAccount': mgmt } },
      },
      ...(standUp.length > 0
        ? [{ Effect: 'Allow' as const, Principal: { AWS: [...standUp] }, Action: 'sts:AssumeRole' }]
        : []),
    ]),
    policy: document(infraRoleStatements(region, ids, env)),
    managedPolicyArns: [],
  }));
  const deployRoles = ENVIRONMENT_NAMES.map((env): RoleDefinition => ({
    env,
    accountId: ids[env],
    roleName: naming.pulumiDeployRole(env),
    description: `pulumi up of the ${env} stack; assumed only by ${naming.jenkinsInfraRole(env)} in mgmt`,
    trust: document([
      {
        Effect: 'Allow',
        Principal: { AWS: naming.roleArn(mgmt, naming.jenkinsInfraRole(env)) },
        Action: 'sts:AssumeRole',
      },
    ]),
    managedPolicyArns: [BOOTSTRAP_SETTINGS.deployRolePolicyArn],
  }));
  return {
    region,
    accountIds: ids,
    stateBucket: {
      bucketName: stateBucket,
      kmsKeyAlias: naming.pulumiSecretsKeyAlias(),
      versioning: true,
      blockPublicAccess: true,
      noncurrentVersionsExpireAfterDays: BOOTSTRAP_SETTINGS.stateNoncurrentVersionsDays,
      grants: [],
      accessLog: { bucketName: logBucket, prefix: `${stateBucket}/` },
    },
    accessLogBucket: {
      bucketName: logBucket,
      versioning: true,
      blockPublicAccess: true,
      noncurrentVersionsExpireAfterDays: 1,
      expireAfterDays: BOOTSTRAP_SETTINGS.accessLogDays,
      grants: [
        {
          Sid: 'S3ServerAccessLogs',
          Effect: 'Allow',
          Principal: { Service: 'logging.s3.amazonaws.com' },
          Action: 's3:PutObject',
          Resource: `arn:aws:s3:::${logBucket}/${stateBucket}/*`,
          Condition: {
            ArnLike: { 'aws:SourceArn': `arn:aws:s3:::${stateBucket}` },
            StringEquals: { 'aws:SourceAccount': mgmt },
          },
        },
      ],
    },
    secretsKey: {
      alias: naming.pulumiSecretsKeyAlias(),
      description: 'Encrypts the secrets of the TDR Pulumi stacks and their state bucket',
      enableKeyRotation: true,
      deletionWindowInDays: BOOTSTRAP_SETTINGS.keyDeletionWindowDays,
      // In a key policy `*` means this key; the account (and so the infra roles' IAM policies) governs its use.
      policy: document([
        {
          Sid: 'AccountAdministers',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${mgmt}:root` },
          Action: 'kms:*',
          Resource: '*',
        },
      ]),
    },
    infraRoles,
    deployRoles,
    jenkinsImageRepositories: JENKINS_IMAGES.map((image) => ({
      name: naming.jenkinsImageRepository(image),
      imageTagMutability: 'IMMUTABLE',
      scanOnPush: true,
      keepImages: BOOTSTRAP_SETTINGS.jenkinsImagesKept,
    })),
    accountIdParameters: ENVIRONMENT_NAMES.map((env) => ({
      name: naming.accountIdParameter(env),
      value: ids[env],
      type: 'String',
      description: `The AWS account id of ${env}, read by the release engine and the infra jobs`,
    })),
  };
}
