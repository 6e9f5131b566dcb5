/**
 * What an ECS service's deployment settings are for a delivery strategy (services/delivery.ts), as
 * plain data in the Pulumi provider's input shapes (`@pulumi/aws` 7.48.0,
 * node_modules/@pulumi/aws/types/input.d.ts: `ServiceDeploymentConfiguration`,
 * `ServiceDeploymentConfigurationLifecycleHook`, `ServiceAlarms`, `ServiceLoadBalancerAdvancedConfiguration`),
 * which map to the ECS API's (DELIVERY_DOCS, and
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_AdvancedConfiguration.html).
 *
 * Pulumi takes the bake times as strings and `alarms` beside `deploymentConfiguration`, where the
 * ECS API has numbers and `deploymentConfiguration.alarms`; the provider converts both.
 */
import {
  DELIVERY_DOCS,
  DELIVERY_LIMITS,
  ECS_DEPLOYMENT_STRATEGY,
  type DeliveryStrategy,
} from '../../services/delivery';
import type { EnvironmentName } from '../../services/environments';
import { naming } from '../../services/naming';
import { serviceTrust, type RoleSpec } from './iam';

/** ECS's lifecycle stages a hook may name (API_DeploymentLifecycleHook `lifecycleStages`). */
export const HOOK_STAGES = [
  'RECONCILE_SERVICE',
  'PRE_SCALE_UP',
  'POST_SCALE_UP',
  'TEST_TRAFFIC_SHIFT',
  'POST_TEST_TRAFFIC_SHIFT',
  'PRODUCTION_TRAFFIC_SHIFT',
  'POST_PRODUCTION_TRAFFIC_SHIFT',
] as const;
export type HookStage = (typeof HOOK_STAGES)[number];

/** "PAUSE hooks cannot use the TEST_TRAFFIC_SHIFT or PRODUCTION_TRAFFIC_SHIFT lifecycle stages" (DELIVERY_DOCS.lifecycleHook). */
export const PAUSE_FORBIDDEN_STAGES: readonly HookStage[] = [
  'TEST_TRAFFIC_SHIFT',
  'PRODUCTION_TRAFFIC_SHIFT',
];

/** Where the approval pause sits: after test traffic, before any production traffic (issue 25). */
export const APPROVAL_PAUSE_STAGE: HookStage = 'POST_TEST_TRAFFIC_SHIFT';

export interface LifecycleHook {
  readonly targetType: 'PAUSE' | 'AWS_LAMBDA';
  readonly lifecycleStages: readonly HookStage[];
  /** PAUSE only: what ECS does when nobody continues in time. */
  readonly timeoutConfiguration?: {
    readonly timeoutInMinutes: string;
    readonly action: 'ROLLBACK' | 'CONTINUE';
  };
}

export interface EcsDeploymentSettings {
  readonly deploymentController: { readonly type: 'ECS' };
  readonly deploymentConfiguration: {
    readonly strategy: 'ROLLING' | 'BLUE_GREEN' | 'CANARY' | 'LINEAR';
    readonly bakeTimeInMinutes?: string;
    readonly canaryConfiguration?: {
      readonly canaryPercent: number;
      readonly canaryBakeTimeInMinutes: string;
    };
    readonly linearConfiguration?: { readonly stepPercent: number; readonly stepBakeTimeInMinutes: string };
    readonly lifecycleHooks?: readonly LifecycleHook[];
  };
  /** The circuit breaker, which ECS allows for ROLLING only (DELIVERY_DOCS.deploymentConfiguration). */
  readonly deploymentCircuitBreaker?: { readonly enable: boolean; readonly rollback: boolean };
  readonly alarms?: {
    readonly alarmNames: readonly string[];
    readonly enable: true;
    readonly rollback: true;
  };
  /** Whether the service needs the second target group, the listener rules and the infrastructure role. */
  readonly sideBySide: boolean;
  /** Whether the new revision takes the test listener's traffic first. */
  readonly testTraffic: boolean;
}

export class DeploymentSettingsError extends Error {
  readonly kind = 'invalid-deployment-settings';
}

/**
 * The deployment settings of a service whose releases follow `strategy`, with the rollback alarms
 * `alarmNames`. Throws when a hook would be refused by ECS (a PAUSE at a forbidden stage, a timeout
 * out of range), naming the field: CrossGuard checks the same on the resources (infra/policies/).
 */
export function ecsDeploymentSettings(
  strategy: DeliveryStrategy,
  alarmNames: readonly string[],
): EcsDeploymentSettings {
  const alarms =
    strategy.alarmRollback && alarmNames.length > 0
      ? { alarms: { alarmNames: [...alarmNames], enable: true as const, rollback: true as const } }
      : {};
  const base = { deploymentController: { type: 'ECS' as const }, ...alarms };
  if (strategy.kind === 'rolling') {
    return {
      ...base,
      deploymentConfiguration: { strategy: ECS_DEPLOYMENT_STRATEGY.rolling },
      deploymentCircuitBreaker: { enable: strategy.circuitBreaker, rollback: strategy.circuitBreaker },
      sideBySide: false,
      testTraffic: false,
    };
  }
  const hooks: LifecycleHook[] = strategy.approvalPause
    ? [
        {
          targetType: 'PAUSE',
          lifecycleStages: [APPROVAL_PAUSE_STAGE],
          timeoutConfiguration: {
            timeoutInMinutes: String(strategy.approvalPause.timeoutInMinutes),
            action: 'ROLLBACK',
          },
        },
      ]
    : [];
  hooks.forEach((h, i) => checkHook(h, `deploymentConfiguration.lifecycleHooks[${i}]`));
  return {
    ...base,
    deploymentConfiguration: {
      strategy: ECS_DEPLOYMENT_STRATEGY[strategy.kind],
      bakeTimeInMinutes: String(strategy.bakeTimeInMinutes),
      ...(strategy.kind === 'canary'
        ? {
            canaryConfiguration: {
              canaryPercent: strategy.canaryPercent,
              canaryBakeTimeInMinutes: String(strategy.canaryBakeTimeInMinutes),
            },
          }
        : {}),
      ...(strategy.kind === 'linear'
        ? {
            linearConfiguration: {
              stepPercent: strategy.stepPercent,
              stepBakeTimeInMinutes: String(strategy.stepBakeTimeInMinutes),
            },
          }
        : {}),
      ...(hooks.length > 0 ? { lifecycleHooks: hooks } : {}),
    },
    sideBySide: true,
    testTraffic: strategy.testTraffic,
  };
}

/** A hook as ECS would accept it (DELIVERY_DOCS.lifecycleHook, hookTimeout); `field` names it in the error. */
export function checkHook(hook: LifecycleHook, field: string): void {
  const problems: string[] = [];
  if (hook.lifecycleStages.length === 0) problems.push(`${field}.lifecycleStages: at least one stage`);
  for (const stage of hook.lifecycleStages) {
    if (!(HOOK_STAGES as readonly string[]).includes(stage))
      problems.push(`${field}.lifecycleStages: ${stage} is not one of ${HOOK_STAGES.join(', ')}`);
    if (hook.targetType === 'PAUSE' && PAUSE_FORBIDDEN_STAGES.includes(stage))
      problems.push(
        `${field}.lifecycleStages: a PAUSE hook cannot be at ${stage} (not at ${PAUSE_FORBIDDEN_STAGES.join(' or ')}; ${DELIVERY_DOCS.lifecycleHook})`,
      );
  }
  if (hook.timeoutConfiguration) {
    if (hook.targetType !== 'PAUSE')
      problems.push(`${field}.timeoutConfiguration: only a PAUSE hook has a timeout`);
    const minutes = Number(hook.timeoutConfiguration.timeoutInMinutes);
    const { min, max } = DELIVERY_LIMITS.hookTimeoutMinutes;
    if (!Number.isInteger(minutes) || minutes < min || minutes > max)
      problems.push(
        `${field}.timeoutConfiguration.timeoutInMinutes: ${hook.timeoutConfiguration.timeoutInMinutes} is not a whole number from ${min} to ${max} (${DELIVERY_DOCS.hookTimeout})`,
      );
  }
  if (problems.length > 0) throw new DeploymentSettingsError(problems.join('; '));
}

/**
 * The AWS managed policy the ECS developer guide names for the load-balancer infrastructure role of
 * blue/green, canary and linear deployments with Elastic Load Balancing
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/AmazonECSInfrastructureRolePolicyForLoadBalancers.html,
 * https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonECSInfrastructureRolePolicyForLoadBalancers.html).
 */
export const ECS_LOAD_BALANCER_INFRASTRUCTURE_POLICY_ARN =
  'arn:aws:iam::aws:policy/AmazonECSInfrastructureRolePolicyForLoadBalancers';

/** The ECS developer guide page for the two target groups and the listener rules. */
export const ECS_ALB_BLUE_GREEN_DOCS =
  'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/alb-resources-for-blue-green.html';

/**
 * The role ECS assumes to move a side-by-side deployment's listener rules and target groups: trusted
 * by `ecs.amazonaws.com` as the developer guide's trust policy has it, narrowed to this account with
 * `aws:SourceAccount` (the platform's rule for every service trust, infra/policies/iam-rules.ts; the
 * guide's example has no condition, and whether ECS sets the key here is seen only on real AWS),
 * permissions from the AWS managed policy
 * attached beside it (ECS_LOAD_BALANCER_INFRASTRUCTURE_POLICY_ARN). A PAUSE hook needs no role
 * (`roleArn` is for AWS_LAMBDA hooks only: DELIVERY_DOCS.lifecycleHook).
 */
export function ecsLoadBalancerInfrastructureRole(env: EnvironmentName, accountId: string): RoleSpec {
  return {
    roleName: naming.ecsLoadBalancerInfrastructureRole(env),
    description: `ECS moves the listener rules and target groups of ${env}'s blue/green, canary and linear deployments through this role`,
    trust: [serviceTrust('ecs.amazonaws.com', accountId)],
  };
}
