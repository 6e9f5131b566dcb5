/**
 * IAM roles under Pulumi. What a role is (its trust, its statements) is plain data in
 * infra/definitions/iam.ts, shared with the sandbox; this file only creates it.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import {
  DEFAULT_MAX_SESSION_SECONDS,
  inlinePolicyName,
  policyDocumentOf,
  type PolicyStatement,
  type RoleSpec,
  type TrustStatement,
} from '../definitions/iam';

export {
  arn,
  serviceTrust,
  type PolicyStatement,
  type RoleSpec,
  type TrustStatement,
} from '../definitions/iam';

export function policyDocument(
  statements: ReadonlyArray<PolicyStatement | TrustStatement>,
): pulumi.Output<string> {
  return pulumi.jsonStringify(policyDocumentOf(statements));
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
      maxSessionDuration: spec.maxSessionDuration ?? DEFAULT_MAX_SESSION_SECONDS,
    },
    dependsOn ? { parent, dependsOn } : { parent },
  );
  if (spec.statements && spec.statements.length > 0) {
    new aws.iam.RolePolicy(
      `${name}-policy`,
      { name: inlinePolicyName(spec.roleName), role: role.name, policy: policyDocument(spec.statements) },
      { parent },
    );
  }
  return role;
}
