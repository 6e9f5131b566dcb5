/**
 * The five AWS accounts of the platform and the promotion path between them.
 * Plain data: validated by ./validate.ts, overridable by configuration (./config.ts).
 */
import type { DeliveryStrategy } from './delivery';

export const ENVIRONMENT_NAMES = ['mgmt', 'sbox', 'intg', 'staging', 'prod'] as const;
export type EnvironmentName = (typeof ENVIRONMENT_NAMES)[number];

/** The accounts that run the catalogue's services and take part in promotion. */
export const WORKLOAD_ENVIRONMENTS = ['intg', 'staging', 'prod'] as const;
export type WorkloadEnvironmentName = (typeof WORKLOAD_ENVIRONMENTS)[number];

export type EnvironmentKind = 'management' | 'sandbox' | 'workload';

export const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** A recurring window in which promotion into an environment is refused unless broken glass. */
export interface FreezeWindow {
  readonly days: readonly Weekday[];
  /** `HH:MM`, inclusive, local to `timezone`. */
  readonly from: string;
  /** `HH:MM`, exclusive, local to `timezone`; `24:00` means end of day. */
  readonly to: string;
  readonly timezone: string;
  readonly reason: string;
}

export interface ApprovalRule {
  /** The team whose members may approve (a GitHub team in Jenkins' input step). */
  readonly group: string;
  /**
   * Who may approve with `tdr approve`: IAM roles in the mgmt account, `role/{path/}{name}` (the
   * account is configuration). A `*` in the name matches the suffix SSO gives the role of a
   * permission set (AWSReservedSSO_TDRAdmin_ followed by it).
   */
  readonly approvers: readonly string[];
  /** TDR's four-eyes rule: whoever approves must not be whoever promotes. */
  readonly approverMustNotBePromoter: boolean;
}

export interface Promotion {
  /** Where a version must have succeeded before it may enter: `build` means straight from CI. */
  readonly source: 'build' | EnvironmentName;
  /** Deployed by Jenkins with no human (intg); otherwise promoted by hand. */
  readonly automatic: boolean;
  readonly approval: ApprovalRule | null;
  /** How long the version must have been live, successfully, in the source environment. */
  readonly soakMinutes: number;
  /** Checks (e.g. `e2e`) that must have passed in the source environment for the same digest. */
  readonly requiredChecks: readonly string[];
  readonly freezeWindows: readonly FreezeWindow[];
}

export interface Environment {
  readonly name: EnvironmentName;
  readonly kind: EnvironmentKind;
  readonly region: string;
  /** TDR's capitalised suffix for role names, e.g. `TDRJenkinsNodeRoleIntg`. */
  readonly roleSuffix: string;
  /** Public DNS zone the environment's services answer under; null where nothing is public. */
  readonly domain: string | null;
  /** Null for accounts that nothing is promoted into (mgmt, sbox). */
  readonly promotion: Promotion | null;
  /**
   * How a release moves traffic here (./delivery.ts); a service may override it in the catalogue.
   * Workload environments only; absent: rolling with the circuit breaker.
   */
  readonly delivery?: DeliveryStrategy;
}

const REGION = 'eu-west-2';

export const DEFAULT_ENVIRONMENTS: Readonly<Record<EnvironmentName, Environment>> = {
  mgmt: {
    name: 'mgmt',
    kind: 'management',
    region: REGION,
    roleSuffix: 'Mgmt',
    domain: null,
    promotion: null,
  },
  sbox: { name: 'sbox', kind: 'sandbox', region: REGION, roleSuffix: 'Sbox', domain: null, promotion: null },
  intg: {
    name: 'intg',
    kind: 'workload',
    region: REGION,
    roleSuffix: 'Intg',
    domain: 'tdr-integration.nationalarchives.gov.uk',
    promotion: {
      source: 'build',
      automatic: true,
      approval: null,
      soakMinutes: 0,
      requiredChecks: [],
      freezeWindows: [],
    },
    delivery: { kind: 'rolling', circuitBreaker: true, alarmRollback: false },
  },
  staging: {
    name: 'staging',
    kind: 'workload',
    region: REGION,
    roleSuffix: 'Staging',
    domain: 'tdr-staging.nationalarchives.gov.uk',
    promotion: {
      source: 'intg',
      automatic: false,
      approval: null,
      soakMinutes: 0,
      requiredChecks: [],
      freezeWindows: [],
    },
    // User research runs here: the new revision is tried on the test listener, then switched whole.
    delivery: {
      kind: 'blueGreen',
      bakeTimeInMinutes: 10,
      testTraffic: true,
      approvalPause: null,
      alarmRollback: true,
    },
  },
  prod: {
    name: 'prod',
    kind: 'workload',
    region: REGION,
    roleSuffix: 'Prod',
    domain: 'tdr.nationalarchives.gov.uk',
    promotion: {
      source: 'staging',
      automatic: false,
      approval: {
        group: 'admins',
        approvers: [
          'role/TDRReleaseApproverProd',
          'role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_TDRAdmin_*',
        ],
        approverMustNotBePromoter: true,
      },
      soakMinutes: 30,
      requiredChecks: ['e2e'],
      freezeWindows: [
        {
          days: ['Fri'],
          from: '00:00',
          to: '24:00',
          timezone: 'Europe/London',
          reason: 'no production releases on Fridays',
        },
      ],
    },
    // The approver sees the new revision live on the test listener before any user does; then a
    // tenth of the users for 15 minutes, judged, before the rest.
    delivery: {
      kind: 'canary',
      canaryPercent: 10,
      canaryBakeTimeInMinutes: 15,
      bakeTimeInMinutes: 15,
      testTraffic: true,
      approvalPause: { timeoutInMinutes: 120 },
      alarmRollback: true,
    },
  },
};
