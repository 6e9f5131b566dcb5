/**
 * IAM policy documents and role definitions as plain, typed data: what a role is (name, trust,
 * inline policy), independent of who creates it. infra's components create these under Pulumi;
 * the sandbox creates the same definitions on moto. Nothing here loads Pulumi at run time (the
 * Pulumi import is for types only), so `tdr sandbox` stays fast.
 *
 * Every statement names its resources: the policies in infra/policies refuse `*` actions, and `*`
 * resources except for the few actions AWS cannot scope.
 */
import type * as pulumi from '@pulumi/pulumi';

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: pulumi.Input<Readonly<Record<string, pulumi.Input<string | readonly string[]>>>> | '*';
  readonly Action: string | readonly string[];
  readonly Resource: pulumi.Input<string> | ReadonlyArray<pulumi.Input<string>>;
  readonly Condition?: Readonly<
    Record<string, Readonly<Record<string, pulumi.Input<string | readonly string[]>>>>
  >;
}

export interface TrustStatement {
  readonly Effect: 'Allow';
  readonly Principal: Readonly<Record<string, string | readonly string[]>>;
  readonly Action: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

export interface PolicyDocument<S> {
  readonly Version: '2012-10-17';
  readonly Statement: readonly S[];
}

export function policyDocumentOf<S>(statements: readonly S[]): PolicyDocument<S> {
  return { Version: '2012-10-17', Statement: statements };
}

/** Trust for a role that an AWS service assumes on this account's behalf only (confused deputy). */
export function serviceTrust(service: string, accountId: string): TrustStatement {
  return {
    Effect: 'Allow',
    Principal: { Service: service },
    Action: 'sts:AssumeRole',
    Condition: { StringEquals: { 'aws:SourceAccount': accountId } },
  };
}

/** Trust for named roles in another account (never a whole account, never `*`). */
export function crossAccountTrust(principalArns: readonly string[]): TrustStatement {
  return { Effect: 'Allow', Principal: { AWS: [...principalArns] }, Action: 'sts:AssumeRole' };
}

/**
 * Trust for the roles of one account whose names follow patterns (IAM Identity Center's
 * `AWSReservedSSO_{PermissionSet}_{suffix}`): a trust policy's Principal cannot hold a wildcard, so
 * the Principal is the account and `aws:PrincipalArn` (the role's ARN, with its path, for a role
 * session) must be `ArnLike` one of `rolePatterns`. IAM User Guide, "AWS global condition context
 * keys", aws:PrincipalArn
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn);
 * IAM Identity Center User Guide, "Referencing permission sets in resource policies, Amazon EKS,
 * and AWS KMS" (https://docs.aws.amazon.com/singlesignon/latest/userguide/referencingpermissionsets.html).
 * infra/policies/iam-rules.ts `iam-trust-named-principals` allows an account principal only so.
 */
export function accountRolePatternTrust(accountId: string, rolePatterns: readonly string[]): TrustStatement {
  return {
    Effect: 'Allow',
    Principal: { AWS: `arn:aws:iam::${accountId}:root` },
    Action: 'sts:AssumeRole',
    Condition: { ArnLike: { 'aws:PrincipalArn': [...rolePatterns] } },
  };
}

export const arn = {
  s3Bucket: (bucket: string) => `arn:aws:s3:::${bucket}`,
  s3Objects: (bucket: string, prefix = '') => `arn:aws:s3:::${bucket}/${prefix}*`,
  ecrRepository: (region: string, accountId: string, repository: string) =>
    `arn:aws:ecr:${region}:${accountId}:repository/${repository}`,
  ecsService: (region: string, accountId: string, cluster: string, service: string) =>
    `arn:aws:ecs:${region}:${accountId}:service/${cluster}/${service}`,
  ecsCluster: (region: string, accountId: string, cluster: string) =>
    `arn:aws:ecs:${region}:${accountId}:cluster/${cluster}`,
  ecsTaskDefinition: (region: string, accountId: string, family: string) =>
    `arn:aws:ecs:${region}:${accountId}:task-definition/${family}:*`,
  logGroup: (region: string, accountId: string, name: string) =>
    `arn:aws:logs:${region}:${accountId}:log-group:${name}`,
  logStreams: (region: string, accountId: string, name: string) =>
    `arn:aws:logs:${region}:${accountId}:log-group:${name}:log-stream:*`,
  snsTopic: (region: string, accountId: string, name: string) => `arn:aws:sns:${region}:${accountId}:${name}`,
  ssmParameter: (region: string, accountId: string, name: string) =>
    `arn:aws:ssm:${region}:${accountId}:parameter${name}`,
  ecrImageUri: (region: string, accountId: string, repository: string) =>
    `${accountId}.dkr.ecr.${region}.amazonaws.com/${repository}`,
};

export interface RoleSpec {
  readonly roleName: string;
  readonly description: string;
  readonly trust: readonly TrustStatement[];
  /** Inline policy; omitted when the role needs no permissions of its own. */
  readonly statements?: readonly PolicyStatement[];
  readonly maxSessionDuration?: number;
}

/** IAM's own default, written out so that both creators of a role agree on it. */
export const DEFAULT_MAX_SESSION_SECONDS = 3600;

/** A role's one inline policy is named after the role. */
export function inlinePolicyName(roleName: string): string {
  return `${roleName}Policy`;
}

export interface CrossAccountRoleArgs {
  readonly roleName: string;
  readonly description: string;
  /** Role ARNs in the trusted account; each must name a role, not an account root. */
  readonly trustedPrincipalArns: readonly string[];
  /** Trust beside the named roles: only `accountRolePatternTrust` (role ARN patterns in one account). */
  readonly trustedRolePatterns?: { readonly accountId: string; readonly patterns: readonly string[] };
  readonly statements: readonly PolicyStatement[];
  readonly maxSessionDuration?: number;
}

export function crossAccountRoleSpec(args: CrossAccountRoleArgs): RoleSpec {
  return {
    roleName: args.roleName,
    description: args.description,
    trust: [
      crossAccountTrust(args.trustedPrincipalArns),
      ...(args.trustedRolePatterns && args.trustedRolePatterns.patterns.length > 0
        ? [accountRolePatternTrust(args.trustedRolePatterns.accountId, args.trustedRolePatterns.patterns)]
        : []),
    ],
    statements: args.statements,
    ...(args.maxSessionDuration === undefined ? {} : { maxSessionDuration: args.maxSessionDuration }),
  };
}

/** What a role's creation is made of once every value is known: the documents as JSON text. */
export interface RoleDocuments {
  readonly roleName: string;
  readonly description: string;
  readonly maxSessionDuration: number;
  readonly trustPolicy: string;
  /** Absent when the role has no inline policy. */
  readonly inlinePolicy?: { readonly name: string; readonly document: string };
}

/** For creators without Pulumi: every input must already be a plain value. */
export function roleDocuments(spec: RoleSpec): RoleDocuments {
  return {
    roleName: spec.roleName,
    description: spec.description,
    maxSessionDuration: spec.maxSessionDuration ?? DEFAULT_MAX_SESSION_SECONDS,
    trustPolicy: JSON.stringify(policyDocumentOf(spec.trust)),
    ...(spec.statements && spec.statements.length > 0
      ? {
          inlinePolicy: {
            name: inlinePolicyName(spec.roleName),
            document: JSON.stringify(policyDocumentOf(spec.statements)),
          },
        }
      : {}),
  };
}
