/**
 * IAM policy documents as typed data. Every statement names its resources: the policies in
 * infra/policies refuse `*` actions, and `*` resources except for the few actions AWS cannot scope.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';

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

export function policyDocument(
  statements: ReadonlyArray<PolicyStatement | TrustStatement>,
): pulumi.Output<string> {
  return pulumi.jsonStringify({ Version: '2012-10-17', Statement: statements });
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

/** A role and its inline policy (a separate RolePolicy, so policies see every document). */
export function createRole(
  name: string,
  spec: RoleSpec,
  parent: pulumi.Resource,
  dependsOn?: pulumi.Input<pulumi.Resource>[],
): aws.iam.Role {
  const role = new aws.iam.Role(
    name,
    {
      name: spec.roleName,
      description: spec.description,
      assumeRolePolicy: policyDocument(spec.trust),
      maxSessionDuration: spec.maxSessionDuration ?? 3600,
    },
    dependsOn ? { parent, dependsOn } : { parent },
  );
  if (spec.statements && spec.statements.length > 0) {
    new aws.iam.RolePolicy(
      `${name}-policy`,
      { name: `${spec.roleName}Policy`, role: role.name, policy: policyDocument(spec.statements) },
      { parent },
    );
  }
  return role;
}
