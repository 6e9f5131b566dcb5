/**
 * What the ECS service-deployment stand-in (./ecs-deployments.ts) plans for a deploymentConfiguration,
 * and what it refuses in one: the stages of the developer guide (deployment-type-blue-green.html,
 * canary-deployment.html, linear-deployment.html) and the hook rules of API_DeploymentLifecycleHook.html.
 */
import {
  InvalidParameterException,
  type DeploymentConfiguration,
  type DeploymentLifecycleHook,
  type ServiceDeploymentLifecycleStage,
} from '@aws-sdk/client-ecs';

const MINUTE = 60_000;

/** API_DeploymentLifecycleHook: "PAUSE hooks cannot be configured at" these. */
export const PAUSE_FORBIDDEN: readonly string[] = ['TEST_TRAFFIC_SHIFT', 'PRODUCTION_TRAFFIC_SHIFT'];

/** One step of the plan: the stage ECS reports during it, how long it lasts, the traffic after it. */
export interface Phase {
  readonly stage: ServiceDeploymentLifecycleStage;
  readonly ms: number;
  readonly production?: number;
  readonly test?: number;
  readonly targetRunning?: boolean;
  readonly sourceStopped?: boolean;
}

const invalid = (message: string) => new InvalidParameterException({ message, $metadata: {} });

/** What UpdateService refuses in a deploymentConfiguration, as far as the stand-in models it. */
export function checkConfiguration(config: DeploymentConfiguration): void {
  const strategy = config.strategy ?? 'ROLLING';
  if (strategy === 'ROLLING')
    throw new Error('stand-in: ROLLING deployments are not modelled (moto runs them)');
  if (strategy === 'BLUE_GREEN' && config.bakeTimeInMinutes === undefined)
    throw invalid('bakeTimeInMinutes: required with the BLUE_GREEN strategy');
  for (const hook of config.lifecycleHooks ?? []) checkHook(hook);
}

function checkHook(hook: DeploymentLifecycleHook): void {
  const stages = hook.lifecycleStages ?? [];
  if (stages.length === 0) throw invalid('lifecycleHooks[].lifecycleStages: required');
  if ((hook.targetType ?? 'AWS_LAMBDA') === 'AWS_LAMBDA') return checkLambdaHook(hook, stages);
  const forbidden = stages.filter((s) => PAUSE_FORBIDDEN.includes(s));
  if (forbidden.length > 0)
    throw invalid(
      `lifecycleHooks[].lifecycleStages: a PAUSE hook cannot be configured at ${forbidden.join(', ')}`,
    );
  if (stages.includes('PRE_PRODUCTION_TRAFFIC_SHIFT'))
    throw new Error('stand-in: PRE_PRODUCTION_TRAFFIC_SHIFT hooks are not modelled');
  const minutes = hook.timeoutConfiguration?.timeoutInMinutes;
  if (minutes !== undefined && (!Number.isInteger(minutes) || minutes < 1 || minutes > 20160))
    throw invalid('lifecycleHooks[].timeoutConfiguration.timeoutInMinutes: 1-20160');
}

/** An AWS_LAMBDA hook: a function and a role (API_DeploymentLifecycleHook); modelled at the production shift only. */
function checkLambdaHook(hook: DeploymentLifecycleHook, stages: readonly string[]): void {
  if (!hook.hookTargetArn || !hook.roleArn)
    throw invalid('lifecycleHooks[].hookTargetArn and roleArn: required for an AWS_LAMBDA hook');
  if (hook.timeoutConfiguration) throw invalid('lifecycleHooks[].timeoutConfiguration: for PAUSE hooks only');
  if (stages.some((s) => s !== 'PRODUCTION_TRAFFIC_SHIFT'))
    throw new Error('stand-in: AWS_LAMBDA hooks are modelled at PRODUCTION_TRAFFIC_SHIFT only');
}

/** The stages of a deployment with `config`, in order, with their traffic (developer guide). */
export function plan(config: DeploymentConfiguration, stageMs: number): Phase[] {
  const phases: Phase[] = [
    { stage: 'PRE_SCALE_UP', ms: stageMs },
    { stage: 'SCALE_UP', ms: stageMs, targetRunning: true },
    { stage: 'POST_SCALE_UP', ms: stageMs },
    { stage: 'TEST_TRAFFIC_SHIFT', ms: stageMs, test: 100 },
    { stage: 'POST_TEST_TRAFFIC_SHIFT', ms: stageMs },
  ];
  const shift = (production: number): Phase => ({
    stage: 'PRODUCTION_TRAFFIC_SHIFT',
    ms: stageMs,
    production,
  });
  const hold = (minutes: number): Phase => ({ stage: 'PRODUCTION_TRAFFIC_SHIFT', ms: minutes * MINUTE });
  switch (config.strategy) {
    case 'CANARY': {
      const c = config.canaryConfiguration ?? {};
      phases.push(shift(c.canaryPercent ?? 5), hold(c.canaryBakeTimeInMinutes ?? 10), shift(100));
      break;
    }
    case 'LINEAR': {
      const l = config.linearConfiguration ?? {};
      const step = Math.round((l.stepPercent ?? 10) * 10);
      for (let tenths = step; ; tenths += step) {
        const reached = Math.min(1000, tenths);
        phases.push(shift(reached / 10));
        if (reached >= 1000) break;
        phases.push(hold(l.stepBakeTimeInMinutes ?? 6));
      }
      break;
    }
    default:
      phases.push(shift(100));
  }
  phases.push(
    { stage: 'POST_PRODUCTION_TRAFFIC_SHIFT', ms: stageMs },
    { stage: 'BAKE_TIME', ms: (config.bakeTimeInMinutes ?? 0) * MINUTE },
    { stage: 'CLEAN_UP', ms: stageMs, sourceStopped: true },
  );
  return phases;
}
