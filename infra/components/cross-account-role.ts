/**
 * A role that only named principals in another account may assume (never a whole account, never
 * `*`), with an inline least-privilege policy scoped to named ARNs. This is how Jenkins in mgmt
 * reaches a workload account (two hops) and how Grafana reads its metrics.
 */
import type * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { crossAccountRoleSpec, type CrossAccountRoleArgs } from '../definitions/iam';
import { createRole } from './iam';

export type { CrossAccountRoleArgs } from '../definitions/iam';

const ROLE_ARN = /^arn:aws:iam::\d{12}:role\/[\w+=,.@/-]+$/;

export function createCrossAccountRole(
  name: string,
  args: CrossAccountRoleArgs,
  parent: pulumi.Resource,
): aws.iam.Role {
  return createRole(`${name}-role`, crossAccountRoleSpec(args), parent);
}

export class CrossAccountRole extends pulumi.ComponentResource {
  readonly roleArn: pulumi.Output<string>;
  readonly roleName: string;

  constructor(name: string, args: CrossAccountRoleArgs, opts?: pulumi.ComponentResourceOptions) {
    super('tdr:iam:CrossAccountRole', name, {}, opts);
    const bad = args.trustedPrincipalArns.filter((p) => !ROLE_ARN.test(p));
    if (args.trustedPrincipalArns.length === 0 || bad.length > 0) {
      throw new Error(
        `CrossAccountRole ${name}: trustedPrincipalArns must be role ARNs (got ${bad.join(', ') || 'none'})`,
      );
    }
    this.roleName = args.roleName;
    this.roleArn = createCrossAccountRole(name, args, this).arn;
    this.registerOutputs({ roleArn: this.roleArn });
  }
}
