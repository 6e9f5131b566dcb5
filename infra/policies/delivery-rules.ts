/**
 * CrossGuard rules for progressive delivery (services/delivery.ts, infra/definitions/ecs-deployment.ts):
 * a prod service rolls back on its alarms, a canary or linear deployment bakes at each step, and
 * a PAUSE hook sits only where ECS allows one (DELIVERY_DOCS.lifecycleHook). The inputs are the
 * provider's (`@pulumi/aws` 7.48.0 `aws.ecs.Service`: `alarms`, `deploymentConfiguration`).
 */
import * as aws from '@pulumi/aws';
import { validateResourceOfType, type ResourceValidationPolicy } from '@pulumi/policy';
import { checkHook, JUDGE_HOOK_STAGE, type LifecycleHook } from '../definitions/ecs-deployment';
import type { TdrPolicy } from './evaluate';

/** `frontend_service_prod` → `prod` (naming.ecsService: `{svc}_service_{env}`). */
function environmentOfService(name: unknown): string {
  return (
    String(name ?? '')
      .split('_')
      .pop() ?? ''
  );
}

export const ecsProdAlarmRollback: ResourceValidationPolicy = {
  name: 'ecs-prod-alarm-rollback',
  description:
    'Every prod ECS service rolls an in-flight deployment back on its alarms (alarms {enable, rollback}).',
  enforcementLevel: 'mandatory',
  validateResource: validateResourceOfType(aws.ecs.Service, (props, _args, report) => {
    if (environmentOfService(props.name) !== 'prod') return;
    const alarms = props.alarms as
      { alarmNames?: string[]; enable?: boolean; rollback?: boolean } | undefined;
    if (!alarms?.enable || !alarms.rollback || (alarms.alarmNames ?? []).length === 0)
      report('a prod service without alarm rollback: set alarms {alarmNames, enable: true, rollback: true}');
  }),
};

export const ecsProgressiveBake: ResourceValidationPolicy = {
  name: 'ecs-progressive-bake',
  description:
    'A canary or linear deployment bakes: a canary bake (canaryBakeTimeInMinutes) or step bake (stepBakeTimeInMinutes) above 0, and bakeTimeInMinutes set.',
  enforcementLevel: 'mandatory',
  validateResource: validateResourceOfType(aws.ecs.Service, (props, _args, report) => {
    const config = props.deploymentConfiguration;
    const strategy = config?.strategy;
    if (strategy !== 'CANARY' && strategy !== 'LINEAR') return;
    const stepBake =
      strategy === 'CANARY'
        ? config?.canaryConfiguration?.canaryBakeTimeInMinutes
        : config?.linearConfiguration?.stepBakeTimeInMinutes;
    const field =
      strategy === 'CANARY'
        ? 'canaryConfiguration.canaryBakeTimeInMinutes'
        : 'linearConfiguration.stepBakeTimeInMinutes';
    if (!(Number(stepBake) > 0))
      report(
        `a ${strategy} deployment without a bake: deploymentConfiguration.${field} is ${String(stepBake)}`,
      );
    if (config?.bakeTimeInMinutes === undefined)
      report(`a ${strategy} deployment without deploymentConfiguration.bakeTimeInMinutes`);
  }),
};

export const ecsPauseHookStages: ResourceValidationPolicy = {
  name: 'ecs-pause-hook-stages',
  description:
    'A lifecycle hook is one ECS accepts: PAUSE never at TEST_TRAFFIC_SHIFT or PRODUCTION_TRAFFIC_SHIFT, a PAUSE timeout of 1–20160 minutes.',
  enforcementLevel: 'mandatory',
  validateResource: validateResourceOfType(aws.ecs.Service, (props, _args, report) => {
    (props.deploymentConfiguration?.lifecycleHooks ?? []).forEach((hook, i) => {
      try {
        checkHook(hook as unknown as LifecycleHook, `deploymentConfiguration.lifecycleHooks[${i}]`);
      } catch (err) {
        report((err as Error).message);
      }
    });
  }),
};

/** Why `hookDetails` (a JSON string in the provider's input) is not what the judge reads, if it is not. */
function judgeDetailsProblem(details: unknown): string | undefined {
  // Unknown during a preview (the ARN suffixes come from resources not yet made): judged at `pulumi up`.
  if (details === undefined) return undefined;
  let d: Record<string, unknown>;
  try {
    d = JSON.parse(String(details)) as Record<string, unknown>;
  } catch {
    return 'hookDetails is not JSON';
  }
  const groups = d.targetGroups;
  if (typeof d.loadBalancer !== 'string' || !d.loadBalancer.startsWith('app/'))
    return 'hookDetails.loadBalancer is not a load balancer dimension (app/…)';
  if (
    !Array.isArray(groups) ||
    groups.length !== 2 ||
    groups.some((g) => !String(g).startsWith('targetgroup/'))
  )
    return 'hookDetails.targetGroups is not the two target groups (targetgroup/…)';
  if (typeof d.windowMinutes !== 'number' || d.windowMinutes < 1)
    return 'hookDetails.windowMinutes is under a minute';
  return undefined;
}

export const ecsProgressiveJudgeHook: ResourceValidationPolicy = {
  name: 'ecs-progressive-judge-hook',
  description: `A canary or linear deployment is judged where it survives a dead Jenkins: an AWS_LAMBDA hook (the canary judge) at ${JUDGE_HOOK_STAGE}, whose hookDetails name the load balancer, the two target groups and a window.`,
  enforcementLevel: 'mandatory',
  validateResource: validateResourceOfType(aws.ecs.Service, (props, _args, report) => {
    const config = props.deploymentConfiguration;
    const strategy = config?.strategy;
    if (strategy !== 'CANARY' && strategy !== 'LINEAR') return;
    const judges = (config?.lifecycleHooks ?? []).filter(
      (h) =>
        (h.targetType ?? 'AWS_LAMBDA') === 'AWS_LAMBDA' &&
        (h.lifecycleStages ?? []).includes(JUDGE_HOOK_STAGE),
    );
    if (judges.length === 0) {
      report(
        `a ${strategy} deployment no one judges if Jenkins is down: add an AWS_LAMBDA lifecycle hook (the canary judge) at ${JUDGE_HOOK_STAGE}`,
      );
      return;
    }
    for (const h of judges) {
      const problem = judgeDetailsProblem(h.hookDetails);
      if (problem) report(`the ${strategy} deployment's judge hook: ${problem}`);
    }
  }),
};

export const DELIVERY_POLICIES: readonly TdrPolicy[] = [
  ecsProdAlarmRollback,
  ecsProgressiveBake,
  ecsPauseHookStages,
  ecsProgressiveJudgeHook,
];
