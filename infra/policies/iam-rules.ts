/**
 * The IAM rules of the CrossGuard pack (./rules.ts serves them with the others): no wildcard
 * actions, `Resource: "*"` only for actions AWS cannot scope, and trust policies that name their
 * principals. Actions without resource-level permissions are from the Service Authorization
 * Reference (https://docs.aws.amazon.com/service-authorization/latest/reference/).
 */
import * as aws from '@pulumi/aws';
import {
  validateResourceOfType,
  type ReportViolation,
  type ResourceValidationArgs,
  type ResourceValidationPolicy,
} from '@pulumi/policy';
import { list, safeJson, statementsOf, type Statement } from './documents';

/** Actions AWS offers no resource-level permission for: `Resource: "*"` is the only way to grant them. */
export const UNSCOPABLE_ACTIONS: ReadonlySet<string> = new Set([
  'ecr:GetAuthorizationToken',
  'ecs:RegisterTaskDefinition',
  'ecs:DescribeTaskDefinition',
  // The Jenkins controller's ECS cloud deregisters the task definitions it registered (Service
  // Authorization Reference, Amazon ECS: DeregisterTaskDefinition has no resource type).
  'ecs:DeregisterTaskDefinition',
  'cloudwatch:GetMetricData',
  'cloudwatch:GetMetricStatistics',
  'cloudwatch:ListMetrics',
  'logs:GetQueryResults',
  'logs:StopQuery',
  'logs:DescribeLogGroups',
  'ssm:DescribeParameters',
  // The maintenance switch reads the public listener; ELBv2's Describe actions take no resource
  // (Service Authorization Reference, Elastic Load Balancing V2: no resource type for Describe*).
  'elasticloadbalancing:DescribeLoadBalancers',
  'elasticloadbalancing:DescribeListeners',
  'elasticloadbalancing:DescribeRules',
  // A function in a VPC: Lambda describes the interfaces it attaches (AWSLambdaVPCAccessExecutionRole).
  'ec2:DescribeNetworkInterfaces',
  // Step Functions' log delivery to CloudWatch Logs (Step Functions developer guide, "Logging").
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  // X-Ray tracing of functions and state machines.
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'xray:GetSamplingRules',
  'xray:GetSamplingTargets',
]);

/** Identity and resource policies a resource carries, by the property that holds them. */
function documentsOf(args: ResourceValidationArgs): Array<{ where: string; document: unknown }> {
  switch (args.type) {
    case 'aws:iam/rolePolicy:RolePolicy':
    case 'aws:iam/policy:Policy':
    case 'aws:iam/userPolicy:UserPolicy':
    case 'aws:iam/groupPolicy:GroupPolicy':
      return [{ where: 'policy', document: args.props.policy }];
    case 'aws:iam/role:Role': {
      const inline =
        (args.props.inlinePolicies as Array<{ name?: string; policy?: string }> | undefined) ?? [];
      return inline.map((p) => ({ where: `inlinePolicies.${p.name ?? '?'}`, document: p.policy }));
    }
    default:
      return [];
  }
}

const IDENTITY_POLICY_TYPES = [
  'aws:iam/rolePolicy:RolePolicy',
  'aws:iam/policy:Policy',
  'aws:iam/userPolicy:UserPolicy',
  'aws:iam/groupPolicy:GroupPolicy',
  'aws:iam/role:Role',
];

function identityPolicyValidation(
  check: (statement: Statement, where: string, report: ReportViolation) => void,
): (args: ResourceValidationArgs, report: ReportViolation) => void {
  return (args, report) => {
    if (!IDENTITY_POLICY_TYPES.includes(args.type)) args.notApplicable('identity policies only');
    for (const { where, document } of documentsOf(args)) {
      for (const statement of statementsOf(document)) {
        if (statement.Effect === 'Allow') check(statement, where, report);
      }
    }
  };
}

export const iamNoWildcardActions: ResourceValidationPolicy = {
  name: 'iam-no-wildcard-actions',
  description: 'Identity policies never allow `*` or `service:*` actions.',
  enforcementLevel: 'mandatory',
  validateResource: identityPolicyValidation((s, where, report) => {
    const wild = list(s.Action).filter((a) => a === '*' || a.endsWith(':*'));
    if (wild.length > 0) report(`${where}: statement ${s.Sid ?? '(no Sid)'} allows ${wild.join(', ')}`);
  }),
};

export const iamNoWildcardResources: ResourceValidationPolicy = {
  name: 'iam-no-wildcard-resources',
  description: 'Identity policies allow `Resource: "*"` only for actions AWS cannot scope to a resource.',
  enforcementLevel: 'mandatory',
  validateResource: identityPolicyValidation((s, where, report) => {
    if (!list(s.Resource).includes('*')) return;
    const scopable = list(s.Action).filter((a) => !UNSCOPABLE_ACTIONS.has(a));
    if (scopable.length > 0) {
      report(
        `${where}: statement ${s.Sid ?? '(no Sid)'} grants ${scopable.join(', ')} on every resource; name the ARNs`,
      );
    }
  }),
};

/** A role for people may be at most this long in their hands (IAM's default session). */
export const PEOPLE_MAX_SESSION_SECONDS = 3600;

/** The accounts the resource's provider may touch (`allowedAccountIds`; Pulumi may hand it over as JSON). */
function allowedAccounts(args: Pick<ResourceValidationArgs, 'provider'>): string[] {
  let ids: unknown = args.provider?.props?.allowedAccountIds;
  if (typeof ids === 'string') ids = safeJson(ids);
  return list(ids);
}

/**
 * The one whole-account trust allowed: a role for the people of its own account, who must have
 * signed in with MFA (`Bool aws:MultiFactorAuthPresent true`, absent in sessions without MFA) and
 * keep it at most an hour. Their own IAM policies then say who of them may assume it.
 */
function ownAccountPeople(
  principal: string,
  statement: Statement,
  maxSessionDuration: number | undefined,
  args: Pick<ResourceValidationArgs, 'provider'>,
): boolean {
  const account = /^arn:aws:iam::(\d{12}):root$/.exec(principal)?.[1];
  return (
    account !== undefined &&
    allowedAccounts(args).includes(account) &&
    String(statement.Condition?.Bool?.['aws:MultiFactorAuthPresent']) === 'true' &&
    (maxSessionDuration ?? PEOPLE_MAX_SESSION_SECONDS) <= PEOPLE_MAX_SESSION_SECONDS
  );
}

/** ARN condition operators that match a whole value (no `ForAnyValue:`/`IfExists` escape hatches). */
const ARN_MATCH_OPERATORS = ['ArnLike', 'ArnEquals'];

/**
 * An account principal narrowed to roles of that account: the statement requires `aws:PrincipalArn`
 * (the role's ARN for a role session) to be ArnLike/ArnEquals role ARNs in the same account, each
 * naming a role (its name starts with a literal, so never `role/*`, `role/path/*` or `*`). This is
 * how IAM Identity Center's roles, whose names end in a random suffix, are trusted (IAM Identity
 * Center User Guide, "Referencing permission sets in resource policies…",
 * https://docs.aws.amazon.com/singlesignon/latest/userguide/referencingpermissionsets.html; IAM User
 * Guide, aws:PrincipalArn, https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn).
 * Conditions are ANDed, so any further condition only narrows it. IAM condition keys are
 * case-insensitive; operators are not.
 */
function accountRolesByArn(principal: string, statement: Statement): boolean {
  const account = /^arn:aws:iam::(\d{12}):root$/.exec(principal)?.[1];
  if (account === undefined) return false;
  const role = new RegExp(`^arn:aws:iam::${account}:role/(?:[^/]+/)*[\\w+=,.@-][^/]*$`);
  const conditions = (statement.Condition ?? {}) as Record<string, Record<string, unknown> | undefined>;
  return ARN_MATCH_OPERATORS.some((op) => {
    const keys = Object.entries(conditions[op] ?? {}).filter(([k]) => k.toLowerCase() === 'aws:principalarn');
    if (keys.length === 0) return false;
    return keys.every(([, v]) => {
      const values = list(v);
      return values.length > 0 && values.every((arn) => role.test(arn));
    });
  });
}

export const iamTrustNamedPrincipals: ResourceValidationPolicy = {
  name: 'iam-trust-named-principals',
  description:
    'Role trust policies name principals: AWS principals are role ARNs (never `*`; an account only with aws:PrincipalArn ArnLike/ArnEquals role ARNs of that account, or its own for people: MFA required, sessions of at most an hour), service principals are bound to this account.',
  enforcementLevel: 'mandatory',
  validateResource: validateResourceOfType(aws.iam.Role, (props, args, report) => {
    for (const s of statementsOf(props.assumeRolePolicy)) {
      if (s.Effect !== 'Allow') continue;
      const principal = s.Principal;
      if (principal === '*' || typeof principal !== 'object' || principal === null) {
        report('trust policy allows any principal');
        continue;
      }
      const { AWS: awsPrincipals, Service: services } = principal as { AWS?: unknown; Service?: unknown };
      for (const p of list(awsPrincipals)) {
        if (
          /^arn:aws:iam::\d{12}:role\/.+/.test(p) ||
          ownAccountPeople(p, s, props.maxSessionDuration, args) ||
          accountRolesByArn(p, s)
        )
          continue;
        report(
          `trust policy names ${p}: trust a named role, not an account or * (an account only with aws:PrincipalArn ArnLike/ArnEquals its own roles; a role's own account for people: MFA required, sessions of at most ${PEOPLE_MAX_SESSION_SECONDS} s)`,
        );
      }
      if (list(services).length > 0 && !s.Condition?.StringEquals?.['aws:SourceAccount']) {
        report(
          `trust policy lets ${list(services).join(', ')} assume the role for any account (add aws:SourceAccount)`,
        );
      }
    }
  }),
};
