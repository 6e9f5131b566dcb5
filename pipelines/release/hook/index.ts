/**
 * The Lambda entry point of the canary hook (`index.handler`): the function's own CloudWatch
 * client (its execution role, in its own account; the AWS SDK v3 the Node.js runtime provides),
 * the clock and its log, around ./ecs-canary-hook.ts.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { handleLifecycleHook, type LifecycleHookAnswer, type LifecycleHookEvent } from './ecs-canary-hook';

const cloudWatch = new CloudWatchClient({});

export function handler(event: LifecycleHookEvent): Promise<LifecycleHookAnswer> {
  return handleLifecycleHook(event, { cloudWatch, now: () => new Date(), log: (l) => console.log(l) });
}
