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
import type * as pulumi from '@pulumi/pulumi';
import type { JudgeHookDetails } from '../../services/platform-functions';
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

/**
 * Where the canary judge runs: PRODUCTION_TRAFFIC_SHIFT, the only stage at which the canary and the
 * baseline both take production traffic (a canary's share and its bake, a linear's steps: developer
 * guide canary-deployment.html, linear-deployment.html); a PAUSE may not be there, a Lambda hook may
 * (API_DeploymentLifecycleHook: "PAUSE hooks cannot use the TEST_TRAFFIC_SHIFT or
 * PRODUCTION_TRAFFIC_SHIFT lifecycle stages"). At POST_PRODUCTION_TRAFFIC_SHIFT the baseline has no
 * traffic left to compare with, and no data is never a pass.
 */
export const JUDGE_HOOK_STAGE: HookStage = 'PRODUCTION_TRAFFIC_SHIFT';

export interface LifecycleHook {
  readonly targetType: 'PAUSE' | 'AWS_LAMBDA';
  readonly lifecycleStages: readonly HookStage[];
  /** AWS_LAMBDA only: the function (here the canary judge's `live` alias), the role ECS invokes it with. */
  readonly hookTargetArn?: pulumi.Input<string>;
  readonly roleArn?: pulumi.Input<string>;
  /** AWS_LAMBDA only: a JSON object ECS passes to every invocation (Pulumi takes it as a string). */
  readonly hookDetails?: pulumi.Input<string>;
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
  if (hook.targetType === 'PAUSE' && (hook.hookTargetArn || hook.roleArn || hook.hookDetails))
    problems.push(`${field}: a PAUSE hook has no hookTargetArn, roleArn or hookDetails`);
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

/** The strategies whose canary and baseline take production traffic side by side: the judge has both to compare. */
export const JUDGED_KINDS: readonly DeliveryStrategy['kind'][] = ['canary', 'linear'];

/**
 * What the judge hook is told for a service (`hookDetails`, pipelines/release/hook/ecs-canary-hook.ts):
 * the service, its load balancer and its two target groups as CloudWatch names them (the hook finds
 * which is the canary's per deployment), the window (the canary's bake, or a linear step's: the hook
 * answers SUCCEEDED only after judging it whole) and the judge's minimum of requests. Undefined for a
 * strategy with nothing to compare (rolling, blue/green); throws naming the field for a judged
 * strategy without a bake, which could never be judged and would roll back every deployment.
 */
export function judgeHookDetails(
  service: string,
  strategy: DeliveryStrategy,
  names: { readonly loadBalancer: string; readonly targetGroups: readonly [string, string] },
  minRequests: number,
): JudgeHookDetails | undefined {
  if (strategy.kind === 'rolling' || strategy.kind === 'blueGreen') return undefined;
  const [minutes, field] =
    strategy.kind === 'canary'
      ? [strategy.canaryBakeTimeInMinutes, 'canaryBakeTimeInMinutes']
      : [strategy.stepBakeTimeInMinutes, 'stepBakeTimeInMinutes'];
  if (minutes < 1)
    throw new DeploymentSettingsError(
      `delivery.${field}: the canary judge needs a bake of at least a minute to judge (given ${minutes})`,
    );
  return {
    service,
    loadBalancer: names.loadBalancer,
    targetGroups: names.targetGroups,
    windowMinutes: minutes,
    minRequests,
  };
}

/** The judge hook itself, for a service whose details `judgeHookDetails` gave. */
export function judgeHook(target: {
  readonly hookTargetArn: pulumi.Input<string>;
  readonly roleArn: pulumi.Input<string>;
  readonly hookDetails: pulumi.Input<string>;
}): LifecycleHook {
  const hook: LifecycleHook = { targetType: 'AWS_LAMBDA', lifecycleStages: [JUDGE_HOOK_STAGE], ...target };
  // Checked here rather than in checkHook: CrossGuard sees the ARNs as unknown during a preview.
  if (!hook.hookTargetArn || !hook.roleArn)
    throw new DeploymentSettingsError(
      `deploymentConfiguration.lifecycleHooks[judge]: an AWS_LAMBDA hook needs hookTargetArn and roleArn (${DELIVERY_DOCS.lifecycleHook})`,
    );
  checkHook(hook, 'deploymentConfiguration.lifecycleHooks[judge]');
  return hook;
}

/**
 * The role ECS assumes to invoke the canary judge (`lifecycleHooks[].roleArn`): trusted by
 * `ecs.amazonaws.com` as the developer guide's trust policy has it (blue-green-permissions.html,
 * "Permissions required for Lambda functions in Amazon ECS blue/green deployments"), narrowed to this
 * account with `aws:SourceAccount` (the platform's rule for service trusts); `lambda:InvokeFunction`
 * on the judge's `live` alias only, where the guide's example allows every function.
 */
export function ecsJudgeHookRole(
  env: EnvironmentName,
  accountId: string,
  judgeAliasArn: pulumi.Input<string>,
): RoleSpec {
  return {
    roleName: naming.ecsJudgeHookRole(env),
    description: `ECS invokes the canary judge (its live alias) at the production traffic shift of ${env}'s canary and linear deployments through this role`,
    trust: [serviceTrust('ecs.amazonaws.com', accountId)],
    statements: [
      {
        Sid: 'InvokeCanaryJudge',
        Effect: 'Allow',
        Action: ['lambda:InvokeFunction'],
        Resource: judgeAliasArn,
      },
    ],
  };
}
