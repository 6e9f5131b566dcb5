/**
 * The AWS_LAMBDA side of the ECS service-deployment stand-in (./ecs-deployments.ts): the payload it
 * invokes a Lambda hook with and how it reads the answer, from the developer guide:
 * - deployment-lifecycle-hooks.html: the payload (`serviceArn`, `targetServiceRevisionArn`,
 *   `testTrafficWeights`, `productionTrafficWeights`: service revision ARN → percent), and
 *   PRODUCTION_TRAFFIC_SHIFT is invoked "at every traffic shift step" of a canary or linear deployment
 *   (API_DeploymentLifecycleHook, lifecycleStages);
 * - lambda-lifecycle-hooks.html: the answer `{hookStatus: SUCCEEDED | FAILED | IN_PROGRESS}`,
 *   `callBackDelay` (seconds, default 30) and `hookDetails` passed back to the next invocation; "If
 *   your function doesn't return a valid hookStatus, or if it fails, Amazon ECS rolls back".
 * moto cannot run Lambda code, so the stand-in calls the handler in-process through `invoke`.
 */
import type { DeploymentConfiguration, DeploymentLifecycleHook } from '@aws-sdk/client-ecs';

export type LambdaInvoke = (functionArn: string, payload: Record<string, unknown>) => Promise<unknown>;

/** Seconds before ECS invokes an IN_PROGRESS hook again, when the answer does not say. */
export const DEFAULT_CALL_BACK_SECONDS = 30;

export type LambdaAnswer =
  | { readonly hookStatus: 'SUCCEEDED' }
  | { readonly hookStatus: 'FAILED' }
  | {
      readonly hookStatus: 'IN_PROGRESS';
      readonly callBackSeconds: number;
      readonly hookDetails: Record<string, unknown> | undefined;
    };

/** The answer as ECS reads it, or why ECS would roll back on it. */
export function readLambdaAnswer(answer: unknown): LambdaAnswer | string {
  if (typeof answer !== 'object' || answer === null) return 'the function returned no object';
  const a = answer as Record<string, unknown>;
  if (a.hookStatus === 'SUCCEEDED') return { hookStatus: 'SUCCEEDED' };
  if (a.hookStatus === 'FAILED') return { hookStatus: 'FAILED' };
  if (a.hookStatus !== 'IN_PROGRESS') return `no valid hookStatus (${JSON.stringify(a.hookStatus)})`;
  const delay = a.callBackDelay ?? DEFAULT_CALL_BACK_SECONDS;
  if (typeof delay !== 'number' || !Number.isInteger(delay) || delay < 0)
    return `callBackDelay ${JSON.stringify(a.callBackDelay)} is not whole seconds`;
  const details = a.hookDetails;
  if (details !== undefined && (typeof details !== 'object' || details === null || Array.isArray(details)))
    return 'hookDetails is not an object';
  return {
    hookStatus: 'IN_PROGRESS',
    callBackSeconds: delay,
    hookDetails: details as Record<string, unknown> | undefined,
  };
}

/** The payload of one invocation at a production traffic shift step (the guide's example shape). */
export function lambdaHookPayload(opts: {
  readonly serviceArn: string;
  readonly source: string;
  readonly target: string;
  readonly production: number;
  readonly hookDetails: Record<string, unknown> | undefined;
}): Record<string, unknown> {
  return {
    serviceArn: opts.serviceArn,
    targetServiceRevisionArn: opts.target,
    testTrafficWeights: {},
    productionTrafficWeights: { [opts.target]: opts.production, [opts.source]: 100 - opts.production },
    ...(opts.hookDetails ? { hookDetails: opts.hookDetails } : {}),
  };
}

/** One invocation as ECS makes it, read as ECS reads it: a throw or an invalid answer is FAILED, with why. */
export async function invokeHook(
  invoke: LambdaInvoke,
  hook: DeploymentLifecycleHook,
  carried: Record<string, unknown> | undefined,
  at: {
    readonly serviceArn: string;
    readonly source: string;
    readonly target: string;
    readonly production: number;
  },
): Promise<Exclude<LambdaAnswer, { hookStatus: 'FAILED' }> | { hookStatus: 'FAILED'; reason: string }> {
  const configured = hook.hookDetails as Record<string, unknown> | undefined;
  const payload = lambdaHookPayload({
    ...at,
    hookDetails: configured || carried ? { ...configured, ...carried } : undefined,
  });
  let answer: unknown;
  try {
    answer = await invoke(hook.hookTargetArn!, payload);
  } catch (err) {
    return { hookStatus: 'FAILED', reason: `the function failed: ${String(err)}` };
  }
  const read = readLambdaAnswer(answer);
  if (typeof read === 'string') return { hookStatus: 'FAILED', reason: read };
  return read.hookStatus === 'FAILED' ? { hookStatus: 'FAILED', reason: 'it answered FAILED' } : read;
}

/** The AWS_LAMBDA hook of `config` at `stage`, if any. */
export const lambdaHookAt = (
  config: DeploymentConfiguration,
  stage: string,
): DeploymentLifecycleHook | undefined =>
  (config.lifecycleHooks ?? []).find(
    (h) =>
      (h.targetType ?? 'AWS_LAMBDA') === 'AWS_LAMBDA' && (h.lifecycleStages ?? []).includes(stage as never),
  );
