/**
 * The stand-up's part in SSO approvers: what it asks of IAM Identity Center's administrator, since
 * a permission set's own policy is not this repository's to create (./plan.ts renders it as a
 * check of the account step that creates the approval role).
 */
import type { AccountIds, Platform } from '../../services/config';
import type { EnvironmentName } from '../../services/environments';
import { naming } from '../../services/naming';
import { approverPermissionSets } from '../../services/queries';
import { approvalRoleEnvironments } from '../definitions/release-approval';

/**
 * A grant the stand-up cannot make: an SSO permission set an environment names among its approvers
 * must allow `sts:AssumeRole` on that environment's approval role in its own policy. The approval
 * role trusts the permission set's roles (infra/definitions/release-approval.ts), but a role of
 * mgmt reaches another account's role only when its own policy allows it too, and a permission
 * set's policy is IAM Identity Center's, written by whoever administers it.
 */
export interface SsoApproverGrant {
  readonly env: EnvironmentName;
  readonly permissionSet: string;
  readonly approvalRoleArn: string;
}

/** The grants of `ssoApprovers`: one per permission set an environment with an approval role names. */
export function ssoApproverGrants(platform: Platform, accountIds: AccountIds): SsoApproverGrant[] {
  return approvalRoleEnvironments(platform).flatMap((env) =>
    approverPermissionSets(platform.environments[env]).map((permissionSet) => ({
      env,
      permissionSet,
      approvalRoleArn: naming.roleArn(accountIds[env], naming.releaseApprovalRole(env)),
    })),
  );
}
