/**
 * Validation of delivery strategies (./delivery.ts): the ECS API's ranges in the schema, each
 * problem naming its field, and what only the whole model can say (the 33-hour planned time, an
 * approval pause needs test traffic and an environment with approvers) in `checkDelivery`.
 */
import { z } from 'zod';
import type { Catalogue } from './catalogue';
import {
  DELIVERY_LIMITS,
  FUNCTION_CANARY_LIMITS,
  isTenthOfPercent,
  plannedMinutes,
  type DeliveryStrategy,
} from './delivery';
import { WORKLOAD_ENVIRONMENTS, type Environment, type EnvironmentName } from './environments';
import type { ValidationIssue } from './errors';
import { ecsServices } from './queries';

const { bakeMinutes, canaryPercent, stepPercent, hookTimeoutMinutes } = DELIVERY_LIMITS;

/*
 * Messages name the API reference page by its title, not its URL: the CLI shows only the host of a
 * URL in an error (a URL may carry a secret), and DELIVERY_DOCS has the addresses.
 */
const minutesIn = (range: { min: number; max: number }, page: string) => {
  const error = `must be a whole number of minutes, ${range.min}-${range.max} (ECS API reference, ${page})`;
  return z.number({ error }).int({ error }).min(range.min, { error }).max(range.max, { error });
};

/** One check, so that a value out of range is one problem, not one per rule it breaks. */
const percentIn = (range: { min: number; max: number }, page: string) => {
  const error = `must be a multiple of 0.1 from ${range.min} to ${range.max} (ECS API reference, ${page})`;
  return z
    .number({ error })
    .refine((v) => v >= range.min && v <= range.max && isTenthOfPercent(v), { error });
};

const alarmRollback = z.boolean({ error: 'must be true or false' });

const sideBySide = {
  alarmRollback,
  bakeTimeInMinutes: minutesIn(bakeMinutes, 'DeploymentConfiguration'),
  testTraffic: z.boolean({ error: 'must be true or false' }),
  approvalPause: z
    .strictObject({
      timeoutInMinutes: minutesIn(hookTimeoutMinutes, 'DeploymentLifecycleHookTimeoutConfiguration'),
    })
    .nullable(),
};

export const deliverySchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('rolling'), alarmRollback, circuitBreaker: z.boolean() }),
    z.strictObject({ kind: z.literal('blueGreen'), ...sideBySide }),
    z.strictObject({
      kind: z.literal('canary'),
      ...sideBySide,
      canaryPercent: percentIn(canaryPercent, 'CanaryConfiguration'),
      canaryBakeTimeInMinutes: minutesIn(bakeMinutes, 'CanaryConfiguration'),
    }),
    z.strictObject({
      kind: z.literal('linear'),
      ...sideBySide,
      stepPercent: percentIn(stepPercent, 'LinearConfiguration'),
      stepBakeTimeInMinutes: minutesIn(bakeMinutes, 'LinearConfiguration'),
    }),
  ],
  { error: 'kind must be rolling, blueGreen, canary or linear' },
);

/** A service's overrides, by workload environment; an environment left out keeps its own. */
export const serviceDeliverySchema = z.strictObject({
  intg: deliverySchema.optional(),
  staging: deliverySchema.optional(),
  prod: deliverySchema.optional(),
});

const fnCanary = FUNCTION_CANARY_LIMITS;

/** A function's own delivery in one environment (./delivery.ts FunctionDelivery). */
export const functionDeliverySchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('allAtOnce') }),
    z.strictObject({
      kind: z.literal('canary'),
      weightPercent: z
        .number({ error: 'must be a number' })
        .refine(
          (v) => v >= fnCanary.weightPercent.min && v <= fnCanary.weightPercent.max && isTenthOfPercent(v),
          {
            error: `must be a multiple of 0.1 from ${fnCanary.weightPercent.min} to ${fnCanary.weightPercent.max} (Lambda AliasRoutingConfiguration weight 0.0-1.0; the baseline keeps some traffic)`,
          },
        ),
      bakeMinutes: z
        .number({ error: 'must be whole minutes' })
        .int({ error: 'must be whole minutes' })
        .min(fnCanary.bakeMinutes.min, {
          error: `must be whole minutes, ${fnCanary.bakeMinutes.min}-${fnCanary.bakeMinutes.max}`,
        })
        .max(fnCanary.bakeMinutes.max, {
          error: `must be whole minutes, ${fnCanary.bakeMinutes.min}-${fnCanary.bakeMinutes.max}`,
        }),
    }),
  ],
  { error: 'kind must be allAtOnce or canary' },
);

/** A function's overrides, by workload environment; an environment left out gives its own. */
export const functionDeliveryOverridesSchema = z.strictObject({
  intg: functionDeliverySchema.optional(),
  staging: functionDeliverySchema.optional(),
  prod: functionDeliverySchema.optional(),
});

interface DeliveryModel {
  readonly environments: Readonly<Record<EnvironmentName, Environment>>;
  readonly catalogue: Catalogue;
}

/** What the schema cannot see: the planned time, and what an approval pause depends on. */
export function checkDelivery({ environments, catalogue }: DeliveryModel): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const env of Object.values(environments)) {
    if (!env.delivery) continue;
    if (env.kind !== 'workload') {
      issues.push({
        path: `environments.${env.name}.delivery`,
        message: `only workload environments deploy services; ${env.name} is ${env.kind}`,
      });
      continue;
    }
    issues.push(...checkStrategy(env.delivery, `environments.${env.name}.delivery`, env));
  }
  for (const [name, entry] of ecsServices(catalogue)) {
    for (const envName of WORKLOAD_ENVIRONMENTS) {
      const strategy = entry.delivery?.[envName];
      const env = environments[envName];
      if (strategy && env)
        issues.push(...checkStrategy(strategy, `catalogue.${name}.delivery.${envName}`, env));
    }
  }
  return issues;
}

function checkStrategy(strategy: DeliveryStrategy, at: string, env: Environment): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const planned = plannedMinutes(strategy);
  if (planned > DELIVERY_LIMITS.plannedMinutes.max) {
    const formula =
      strategy.kind === 'linear'
        ? 'bakeTimeInMinutes + stepBakeTimeInMinutes × steps'
        : strategy.kind === 'canary'
          ? 'bakeTimeInMinutes + canaryBakeTimeInMinutes'
          : 'bakeTimeInMinutes';
    issues.push({
      path: `${at}.bakeTimeInMinutes`,
      // The limit is CloudFormation's (DELIVERY_DOCS.canaryTotalTime, linearTotalTime).
      message: `the deployment is planned to take ${planned} minutes (${formula}); at most ${DELIVERY_LIMITS.plannedMinutes.max} (33 hours, CloudFormation's AWS::ECS::Service ${strategy.kind === 'linear' ? 'LinearConfiguration' : 'CanaryConfiguration'})`,
    });
  }
  if (strategy.kind !== 'rolling' && strategy.approvalPause) {
    // The PAUSE hook sits at POST_TEST_TRAFFIC_SHIFT: without test traffic the approver has seen nothing.
    if (!strategy.testTraffic)
      issues.push({
        path: `${at}.approvalPause`,
        message: 'pauses after test traffic for an approver to look: needs testTraffic true',
      });
    if (!env.promotion?.approval)
      issues.push({
        path: `${at}.approvalPause`,
        message: `${env.name} names no approvers (environments.${env.name}.promotion.approval): nobody could continue the pause`,
      });
  }
  return issues;
}
