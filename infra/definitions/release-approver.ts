/**
 * The roles people assume to approve releases with `tdr approve` (pipelines/release/admin/approve.ts):
 * one per plain `role/{Name}` approver of the model (services/queries.ts `approverRoles`), in mgmt.
 * An approval is a ledger record its approver writes: the role reads the ledger, resolves the
 * version to its digest (an image in ECR, a package in the code bucket) and appends a record of
 * the environments it approves, nothing else.
 */
import { REJECTIONS_STREAM, TRAIN_SUBJECT, naming } from '../../services/naming';
import {
  approverRoles,
  ledgerSubjects,
  namesOfKind,
  servicesHeldForApproval,
  type ApproverRole,
} from '../../services/queries';
import { WORKLOAD_ENVIRONMENTS, type WorkloadEnvironmentName } from '../../services/environments';
import type { AccountFacts } from './account';
import { arn, type PolicyStatement, type RoleSpec, type TrustStatement } from './iam';
import {
  catalogueRepositoryArns,
  functionPackageResources,
  readAccountIds,
  type WorkloadAccountIds,
} from './jenkins';
import { approvalRoleArnsFor } from './release-approval';

/** People's sessions are short: an approval takes minutes. */
export const APPROVER_MAX_SESSION_SECONDS = 3600;

/**
 * Every approver role of the model, in mgmt (`mgmt` describes it); `workloadAccounts` names the
 * accounts whose approval roles (./release-approval.ts) they may assume.
 */
export function releaseApproverRoles(mgmt: AccountFacts, workloadAccounts: WorkloadAccountIds): RoleSpec[] {
  return approverRoles(mgmt.platform.environments).map((r) => releaseApproverRole(mgmt, r, workloadAccounts));
}

export function releaseApproverRole(
  mgmt: AccountFacts,
  approver: ApproverRole,
  workloadAccounts: WorkloadAccountIds,
): RoleSpec {
  const envs = approver.environments.join(', ');
  return {
    roleName: approver.roleName,
    description: `People of mgmt, with MFA, approving releases to ${envs} (tdr approve): read the ledger, record approvals`,
    trust: [peopleWithMfa(mgmt.accountId)],
    statements: [
      ...approverStatements(mgmt, approver),
      ...continueStatements(mgmt, approver, workloadAccounts),
    ],
    maxSessionDuration: APPROVER_MAX_SESSION_SECONDS,
  };
}

/**
 * Any principal of the account whose own policy lets it assume the role, and only with MFA:
 * `aws:MultiFactorAuthPresent` is present and true only in sessions authenticated with MFA (IAM
 * User Guide, "AWS global condition context keys"; "Configuring MFA-protected API access").
 * SSO sessions never carry it: SSO's administrators approve as their own role (the model's
 * `AWSReservedSSO_…` approver), not through this one.
 *
 * The session name must be the caller's IAM user name (`sts:RoleSessionName` against the policy
 * variable `${aws:username}`: IAM User Guide, "Available keys for AWS STS", sts:RoleSessionName,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#ck_rolesessionname).
 * That is what lets the four-eyes gate take this role's session name as a person
 * (pipelines/release/aws/identity.ts `vouchedPerson`): otherwise it is whatever the caller typed.
 * A role session has no `aws:username`, so only IAM users can assume it.
 */
export function peopleWithMfa(accountId: string): TrustStatement {
  return {
    Effect: 'Allow',
    Principal: { AWS: `arn:aws:iam::${accountId}:root` },
    Action: 'sts:AssumeRole',
    Condition: {
      Bool: { 'aws:MultiFactorAuthPresent': 'true' },
      StringEquals: { 'sts:RoleSessionName': '${aws:username}' },
    },
  };
}

function approverStatements(mgmt: AccountFacts, approver: ApproverRole): PolicyStatement[] {
  const { platform } = mgmt;
  const ledger = naming.ledgerBucket();
  // What `tdr approve` approves: a service's or a function's version (pipelines/release/saga/artifacts.ts).
  const subjects = namesOfKind(platform.catalogue, 'service', 'lambda');
  const repositories = catalogueRepositoryArns(mgmt);
  const packages = functionPackageResources(platform);
  return [
    readAccountIds(mgmt),
    { Sid: 'ReadLedger', Effect: 'Allow', Action: 's3:GetObject', Resource: arn.s3Objects(ledger) },
    // Listing also makes a missing record a 404 rather than a 403: the ledger looks for the next one.
    { Sid: 'ListLedger', Effect: 'Allow', Action: 's3:ListBucket', Resource: arn.s3Bucket(ledger) },
    {
      // New records only (the ledger writes each with `If-None-Match: *`), and only of the
      // environments this role approves.
      Sid: 'RecordApprovals',
      Effect: 'Allow',
      Action: 's3:PutObject',
      Resource: approver.environments.flatMap((env) =>
        subjects.map((s) => arn.s3Objects(ledger, naming.ledgerRecordPrefix(s, env))),
      ),
      Condition: { Null: { 's3:if-none-match': 'false' } },
    },
    ...rejectionStatements(platform, approver.environments, ledger),
    {
      // `tdr lease break` in the environments it approves (only their approvers may break those:
      // pipelines/release/admin/lease-admin.ts): the lease object (leases/{subject}/{env}.json,
      // deleted with If-Match) and the new record saying who broke it, for any ledger subject.
      Sid: 'BreakLeases',
      Effect: 'Allow',
      Action: 's3:DeleteObject',
      Resource: approver.environments.flatMap((env) =>
        ledgerSubjects(platform.catalogue).map((s) => `arn:aws:s3:::${ledger}/leases/${s}/${env}.json`),
      ),
    },
    {
      Sid: 'RecordLeaseBreaks',
      Effect: 'Allow',
      Action: 's3:PutObject',
      Resource: approver.environments.flatMap((env) =>
        ledgerSubjects(platform.catalogue)
          .filter((s) => !subjects.includes(s))
          .map((s) => arn.s3Objects(ledger, naming.ledgerRecordPrefix(s, env))),
      ),
      Condition: { Null: { 's3:if-none-match': 'false' } },
    },
    {
      // The ledger refreshes the head of what it just wrote (pipelines/release/ledger/ledger.ts,
      // `heads/{subject}/{env}.json`): approvals, and lease breaks of any subject; a head is a cache
      // every reader verifies against the records, so writing it grants nothing a record does not.
      Sid: 'RefreshHeads',
      Effect: 'Allow',
      Action: 's3:PutObject',
      Resource: approver.environments.flatMap((env) =>
        ledgerSubjects(platform.catalogue).map((s) => `${arn.s3Bucket(ledger)}/heads/${s}/${env}.json`),
      ),
    },
    ...(repositories.length === 0
      ? []
      : [
          {
            Sid: 'ResolveImages',
            Effect: 'Allow' as const,
            Action: ['ecr:DescribeRepositories', 'ecr:DescribeImages'],
            Resource: repositories,
          },
        ]),
    ...(packages.length === 0
      ? []
      : [
          {
            // HeadObject (the package's SHA-256) is authorised as s3:GetObject.
            Sid: 'ResolvePackages',
            Effect: 'Allow' as const,
            Action: 's3:GetObject',
            Resource: packages,
          },
        ]),
  ];
}

/**
 * `tdr approve` while ECS holds the deployment for this approval: the approval role of each
 * environment it approves that has one (./release-approval.ts), and no other role there.
 */
function continueStatements(
  mgmt: AccountFacts,
  approver: ApproverRole,
  workloadAccounts: WorkloadAccountIds,
): PolicyStatement[] {
  const roles = approvalRoleArnsFor(mgmt.platform, approver.environments, workloadAccounts);
  if (roles.length === 0) return [];
  const ledger = naming.ledgerBucket();
  // Continuing takes the release lease of the held service (pipelines/release/ledger/lease.ts:
  // created with If-None-Match, renewed with If-Match, deleted as BreakLeases allows), so that no
  // other release of it runs while the approver's command follows the deployment.
  const leases = approver.environments.flatMap((env) =>
    (isWorkload(env) ? servicesHeldForApproval(mgmt.platform, env) : []).map(
      (s) => `${arn.s3Bucket(ledger)}/leases/${s}/${env}.json`,
    ),
  );
  return [
    { Sid: 'ContinueHeldDeployments', Effect: 'Allow', Action: 'sts:AssumeRole', Resource: roles },
    { Sid: 'HoldReleaseLeases', Effect: 'Allow', Action: 's3:PutObject', Resource: leases },
    {
      // The held deployment's outcome is announced as any release's (pipelines/release/notify.ts),
      // through the release webhook: a SecureString under aws/ssm, whose key policy lets every
      // principal of the account decrypt through SSM
      // (https://docs.aws.amazon.com/systems-manager/latest/userguide/ps-restrict-decryption.html).
      // The webhook can only post to the release channel, where the approver's name goes anyway.
      Sid: 'AnnounceHeldDeployments',
      Effect: 'Allow',
      Action: 'ssm:GetParameter',
      Resource: arn.ssmParameter(mgmt.region, mgmt.accountId, naming.slackWebhookParameter()),
    },
  ];
}

function isWorkload(env: string): env is WorkloadEnvironmentName {
  return (WORKLOAD_ENVIRONMENTS as readonly string[]).includes(env);
}

/**
 * `tdr reject` / `tdr unreject` (pipelines/release/admin/reject.ts): a new record in a subject's one
 * rejections stream (every environment's gates read it) and its head; and `tdr train approve`'s
 * record in the train stream of the environments this role approves (issue 26).
 */
function rejectionStatements(
  platform: AccountFacts['platform'],
  environments: readonly string[],
  ledger: string,
): PolicyStatement[] {
  return [
    {
      // `tdr reject` / `tdr unreject` (pipelines/release/admin/reject.ts): a new record in the
      // subject's one rejections stream (every environment's gates read it), and its head; and
      // `tdr train approve`'s record in the train stream of the environments it approves.
      Sid: 'RecordRejectionsAndTrainApprovals',
      Effect: 'Allow',
      Action: 's3:PutObject',
      Resource: [
        ...namesOfKind(platform.catalogue, 'service', 'lambda', 'task').flatMap((s) => [
          arn.s3Objects(ledger, naming.ledgerRecordPrefix(s, REJECTIONS_STREAM)),
        ]),
        ...environments.map((env) => arn.s3Objects(ledger, naming.ledgerRecordPrefix(TRAIN_SUBJECT, env))),
      ],
      Condition: { Null: { 's3:if-none-match': 'false' } },
    },
    {
      Sid: 'RefreshRejectionAndTrainHeads',
      Effect: 'Allow',
      Action: 's3:PutObject',
      Resource: [
        ...namesOfKind(platform.catalogue, 'service', 'lambda', 'task').map(
          (s) => `${arn.s3Bucket(ledger)}/heads/${s}/${REJECTIONS_STREAM}.json`,
        ),
        ...environments.map((env) => `${arn.s3Bucket(ledger)}/heads/${TRAIN_SUBJECT}/${env}.json`),
      ],
    },
  ];
}
