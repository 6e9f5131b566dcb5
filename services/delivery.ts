/**
 * How a release moves traffic in an environment: the delivery strategy. ECS shifts the traffic
 * itself (`deploymentController.type = ECS`, `deploymentConfiguration.strategy`); this module says
 * which strategy each environment uses (a service may override it per environment in the
 * catalogue), and what the ECS API makes of it. Plain data; imports nothing.
 *
 * The numbers and their ranges are the ECS API reference's (DELIVERY_DOCS), as the installed
 * `@aws-sdk/client-ecs` model repeats them in its documentation comments (CanaryConfiguration,
 * LinearConfiguration, DeploymentConfiguration, DeploymentLifecycleHookTimeoutConfiguration).
 */

export const DELIVERY_DOCS = {
  deploymentConfiguration:
    'https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeploymentConfiguration.html',
  canaryConfiguration:
    'https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CanaryConfiguration.html',
  linearConfiguration:
    'https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_LinearConfiguration.html',
  lifecycleHook: 'https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeploymentLifecycleHook.html',
  hookTimeout:
    'https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeploymentLifecycleHookTimeoutConfiguration.html',
  /** Where the 33-hour limit comes from: CloudFormation's validation of canary and linear deployments. */
  canaryTotalTime:
    'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-ecs-service-canaryconfiguration.html',
  linearTotalTime:
    'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-ecs-service-linearconfiguration.html',
} as const;

/** ECS's limits, as the API reference states them. */
export const DELIVERY_LIMITS = {
  /** `bakeTimeInMinutes`, `canaryBakeTimeInMinutes`, `stepBakeTimeInMinutes`: 0 to 1440 (24 hours). */
  bakeMinutes: { min: 0, max: 1440 },
  /** `canaryPercent`: multiples of 0.1 from 0.1 to 100.0. */
  canaryPercent: { min: 0.1, max: 100 },
  /** `stepPercent`: multiples of 0.1 from 3.0 to 100.0. */
  stepPercent: { min: 3, max: 100 },
  /** `timeoutConfiguration.timeoutInMinutes` of a lifecycle hook: 1 to 20160 (14 days). */
  hookTimeoutMinutes: { min: 1, max: 20160 },
  /**
   * CloudFormation refuses a canary or linear deployment whose planned time exceeds 33 hours, as its
   * own operations time out after 36 (DELIVERY_DOCS.canaryTotalTime, linearTotalTime). Pulumi calls the
   * ECS API directly and is not held to it, but the platform keeps it: a deployment that long outlives
   * the Jenkins job that follows it, and nobody watches a canary for a day and a half.
   */
  plannedMinutes: { max: 33 * 60 },
} as const;

export const DELIVERY_KINDS = ['rolling', 'blueGreen', 'canary', 'linear'] as const;
export type DeliveryKind = (typeof DELIVERY_KINDS)[number];

/** What ECS's `deploymentConfiguration.strategy` is for each kind. */
export const ECS_DEPLOYMENT_STRATEGY: Readonly<
  Record<DeliveryKind, 'ROLLING' | 'BLUE_GREEN' | 'CANARY' | 'LINEAR'>
> = {
  rolling: 'ROLLING',
  blueGreen: 'BLUE_GREEN',
  canary: 'CANARY',
  linear: 'LINEAR',
};

/** What every strategy has. */
interface DeliveryBase {
  /**
   * The service's alarms (5xx, p95 latency, unhealthy hosts) roll an in-flight deployment back
   * (`deploymentConfiguration.alarms {enable, rollback}`, which ECS honours for every strategy).
   */
  readonly alarmRollback: boolean;
}

/** Replace the tasks in place: what every environment did before progressive delivery. */
export interface RollingDelivery extends DeliveryBase {
  readonly kind: 'rolling';
  /** The deployment circuit breaker with rollback (ECS allows it for ROLLING only). */
  readonly circuitBreaker: boolean;
}

/** What the strategies that run two revisions side by side (blue/green, canary, linear) share. */
interface SideBySide extends DeliveryBase {
  /**
   * Minutes both revisions run after all production traffic has shifted (`bakeTimeInMinutes`):
   * ECS requires it for BLUE_GREEN; the model asks it of canary and linear too, so that the
   * planned time is known rather than ECS's unstated default.
   */
  readonly bakeTimeInMinutes: number;
  /** The new revision takes the test listener's traffic before any production traffic. */
  readonly testTraffic: boolean;
  /**
   * A PAUSE lifecycle hook at POST_TEST_TRAFFIC_SHIFT that holds the deployment until an approver
   * continues it (`tdr approve`); when it times out ECS rolls back. Null: no pause.
   */
  readonly approvalPause: { readonly timeoutInMinutes: number } | null;
}

export interface BlueGreenDelivery extends SideBySide {
  readonly kind: 'blueGreen';
}

export interface CanaryDelivery extends SideBySide {
  readonly kind: 'canary';
  /** Percent of production traffic the canary takes first (`canaryPercent`). */
  readonly canaryPercent: number;
  /** Minutes the canary runs at that share before the rest shifts (`canaryBakeTimeInMinutes`). */
  readonly canaryBakeTimeInMinutes: number;
}

export interface LinearDelivery extends SideBySide {
  readonly kind: 'linear';
  /** Percent of production traffic each step shifts (`stepPercent`). */
  readonly stepPercent: number;
  /** Minutes between steps; none after the last (`stepBakeTimeInMinutes`). */
  readonly stepBakeTimeInMinutes: number;
}

export type DeliveryStrategy = RollingDelivery | BlueGreenDelivery | CanaryDelivery | LinearDelivery;

/**
 * What an environment without a strategy of its own gets: what infra and the saga did before
 * progressive delivery (infra/components/ecs-service.ts: the circuit breaker with rollback).
 */
export const ROLLING_WITH_CIRCUIT_BREAKER: RollingDelivery = {
  kind: 'rolling',
  circuitBreaker: true,
  alarmRollback: false,
};

/** Percent values in tenths, so that 0.1 steps are counted exactly. */
const tenths = (percent: number): number => Math.round(percent * 10);

/** Whether `percent` is a multiple of 0.1, as ECS requires of canaryPercent and stepPercent. */
export function isTenthOfPercent(percent: number): boolean {
  return Number.isFinite(percent) && Math.abs(percent * 10 - tenths(percent)) < 1e-9;
}

/**
 * The steps whose step bake counts, by CloudFormation's rule (DELIVERY_DOCS.linearTotalTime): no
 * bake after the shift that reaches 100 %, so 100 ÷ stepPercent − 1 when it divides evenly, else
 * the floor of 100 ÷ stepPercent.
 */
export function linearBakedSteps(stepPercent: number): number {
  const step = tenths(stepPercent);
  if (step <= 0) return 0;
  return 1000 % step === 0 ? 1000 / step - 1 : Math.floor(1000 / step);
}

/** The production traffic shifts a linear deployment makes, the last one reaching 100 %. */
export function linearShifts(stepPercent: number): number {
  const step = tenths(stepPercent);
  return step <= 0 ? 0 : Math.ceil(1000 / step);
}

/**
 * Minutes a deployment is planned to take by CloudFormation's formula: bake + canary bake, or bake
 * + step bake × baked steps. Task scaling and hooks come on top (the limit's own caveat).
 */
export function plannedMinutes(strategy: DeliveryStrategy): number {
  switch (strategy.kind) {
    case 'rolling':
      return 0;
    case 'blueGreen':
      return strategy.bakeTimeInMinutes;
    case 'canary':
      return strategy.bakeTimeInMinutes + strategy.canaryBakeTimeInMinutes;
    case 'linear':
      return (
        strategy.bakeTimeInMinutes + strategy.stepBakeTimeInMinutes * linearBakedSteps(strategy.stepPercent)
      );
  }
}

/** One line for people: `canary 10% for 15 min, test traffic first, approval pause ≤ 120 min, bake 15 min, alarm rollback`. */
export function describeDelivery(strategy: DeliveryStrategy): string {
  const parts: string[] = [];
  switch (strategy.kind) {
    case 'rolling':
      parts.push(strategy.circuitBreaker ? 'rolling, circuit breaker' : 'rolling');
      break;
    case 'blueGreen':
      parts.push('blue/green');
      break;
    case 'canary':
      parts.push(`canary ${strategy.canaryPercent}% for ${strategy.canaryBakeTimeInMinutes} min`);
      break;
    case 'linear':
      parts.push(`linear ${strategy.stepPercent}% steps, ${strategy.stepBakeTimeInMinutes} min apart`);
      break;
  }
  if (strategy.kind !== 'rolling') {
    if (strategy.testTraffic) parts.push('test traffic first');
    if (strategy.approvalPause) parts.push(`approval pause ≤ ${strategy.approvalPause.timeoutInMinutes} min`);
    parts.push(`bake ${strategy.bakeTimeInMinutes} min`);
  }
  if (strategy.alarmRollback) parts.push('alarm rollback');
  return parts.join(', ');
}

/**
 * Where a function canary's facts come from: the alias routing configuration (one additional
 * version, weighted 0.0-1.0, never `$LATEST`) and the per-version metrics Lambda publishes.
 */
export const FUNCTION_DELIVERY_DOCS = {
  updateAlias: 'https://docs.aws.amazon.com/lambda/latest/api/API_UpdateAlias.html',
  aliasRoutingConfiguration:
    'https://docs.aws.amazon.com/lambda/latest/api/API_AliasRoutingConfiguration.html',
  trafficShifting: 'https://docs.aws.amazon.com/lambda/latest/dg/lambda-traffic-shifting-using-aliases.html',
  /** `ExecutedVersion` dimension: Invocations, Errors, Throttles, Duration per version behind an alias. */
  metrics: 'https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html',
} as const;

/**
 * How a function release moves its `live` alias: wholly at once (what every release did before),
 * or a canary: `weightPercent` of the alias's invocations to the new version
 * (`RoutingConfig.AdditionalVersionWeights`), judged by its `ExecutedVersion` metrics for
 * `bakeMinutes`, then `live` moves wholly to it or back.
 */
export type FunctionDelivery =
  | { readonly kind: 'allAtOnce' }
  | { readonly kind: 'canary'; readonly weightPercent: number; readonly bakeMinutes: number };

export const FUNCTION_DELIVERY_KINDS = ['allAtOnce', 'canary'] as const;

export const ALL_AT_ONCE: FunctionDelivery = { kind: 'allAtOnce' };

export const FUNCTION_CANARY_LIMITS = {
  /**
   * The weight is a double 0.0-1.0 (FUNCTION_DELIVERY_DOCS.aliasRoutingConfiguration), kept here in
   * tenths of a percent like ECS's canaryPercent; under 100 so the baseline keeps traffic to compare.
   */
  weightPercent: { min: 0.1, max: 99.9 },
  /** At least the judge's one-minute window (the metrics' period), at most ECS's longest bake. */
  bakeMinutes: { min: 1, max: 1440 },
} as const;

/**
 * What an environment's strategy means for its functions: a canary (or the first step of a linear
 * shift: an alias routes to one additional version only) at its percentage for its bake; blue/green
 * and rolling move `live` at once. ECS allows a canary of 100 % or with no bake; a function canary
 * is still judged: at most 99.9 % (the baseline keeps traffic to compare) for at least a minute
 * (the judge's window).
 */
export function functionDeliveryFrom(strategy: DeliveryStrategy | undefined): FunctionDelivery {
  const canary = (percent: number, minutes: number): FunctionDelivery => ({
    kind: 'canary',
    weightPercent: Math.min(percent, FUNCTION_CANARY_LIMITS.weightPercent.max),
    bakeMinutes: Math.max(minutes, FUNCTION_CANARY_LIMITS.bakeMinutes.min),
  });
  if (strategy?.kind === 'canary') return canary(strategy.canaryPercent, strategy.canaryBakeTimeInMinutes);
  if (strategy?.kind === 'linear') return canary(strategy.stepPercent, strategy.stepBakeTimeInMinutes);
  return ALL_AT_ONCE;
}

/** One line: `canary 10% for 15 min, judged` or `all at once`. */
export function describeFunctionDelivery(d: FunctionDelivery): string {
  return d.kind === 'canary'
    ? `canary ${d.weightPercent}% of live's invocations for ${d.bakeMinutes} min, judged by ExecutedVersion`
    : 'live moves at once';
}
