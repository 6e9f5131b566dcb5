/**
 * The canary judge as an ECS deployment lifecycle hook: a Lambda handler that ECS invokes at a
 * stage of a service deployment (e.g. POST_PRODUCTION_TRAFFIC_SHIFT of a canary, while the canary
 * bakes), which judges the canary's target group against the baseline's with the same judge
 * (../judge/judge.ts) and the same GetMetricData reader (../aws/cloudwatch.ts) as `tdr canary
 * judge` and the function canary. It runs inside the workload account, so a dead Jenkins does not
 * stop the judging: ECS holds the deployment on the hook's answer.
 *
 * The contract (ECS developer guide, "Lambda hooks for Amazon ECS service deployments",
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/lambda-lifecycle-hooks.html, and
 * "Lifecycle hooks for Amazon ECS service deployments",
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-lifecycle-hooks.html):
 * - the payload carries `serviceArn`, `targetServiceRevisionArn`, `testTrafficWeights` and
 *   `productionTrafficWeights` (service revision ARN → percent), and `hookDetails`: what the
 *   service's hook configuration sets (here: the load balancer and the two target groups, as
 *   CloudWatch names them, and the window), merged with what the last IN_PROGRESS answer returned;
 * - the answer is `{hookStatus}`: SUCCEEDED continues the deployment, FAILED rolls it back,
 *   IN_PROGRESS has ECS invoke again after `callBackDelay` seconds (default 30), with `hookDetails`
 *   passed back; no valid hookStatus, or an error, rolls back.
 *
 * So the hook answers IN_PROGRESS (a minute apart, remembering when it started in `hookDetails`)
 * until the window has passed, FAILED at once when the judge fails, and at the end SUCCEEDED only
 * on a pass: inconclusive is FAILED, as no data is never a pass.
 *
 * NOT DONE: which of the service's two target groups is the canary's in a given deployment is the
 * service configuration's to say (`hookDetails.canaryTargetGroup`); infra (INFRA) sets the hook and
 * its details, and the function's catalogue entry and package (services/backend-catalogue.ts) are
 * not added yet.
 */
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { getMetricData } from '../aws/cloudwatch';
import {
  DEFAULT_JUDGE_SETTINGS,
  WINDOW_LIMITS,
  judge,
  metricDataQueries,
  plan,
  type Judgement,
} from '../judge/judge';

export const HOOK_STATUSES = ['SUCCEEDED', 'FAILED', 'IN_PROGRESS'] as const;
export type HookStatus = (typeof HOOK_STATUSES)[number];

/** What ECS passes (the fields this hook reads). */
export interface LifecycleHookEvent {
  readonly serviceArn?: string;
  readonly targetServiceRevisionArn?: string;
  readonly testTrafficWeights?: Readonly<Record<string, number>>;
  readonly productionTrafficWeights?: Readonly<Record<string, number>>;
  readonly hookDetails?: Readonly<Record<string, unknown>>;
}

export interface LifecycleHookAnswer {
  readonly hookStatus: HookStatus;
  /** Seconds before ECS invokes again (IN_PROGRESS only). */
  readonly callBackDelay?: number;
  /** Passed back to the next invocation (IN_PROGRESS only). */
  readonly hookDetails?: Readonly<Record<string, unknown>>;
}

/** The service's hook configuration (`hookDetails`), checked. */
interface Details {
  readonly loadBalancer: string;
  readonly canaryTargetGroup: string;
  readonly baselineTargetGroup: string;
  readonly windowMinutes: number;
  /** Set by this hook on its first invocation of a deployment (ISO time, whole minute). */
  readonly startedAt: string | undefined;
}

/** The judge looks once a minute, a minute after each ends (as the function canary's bake). */
export const CALL_BACK_SECONDS = 60;
const SETTLE_MS = 60_000;

export interface HookDeps {
  readonly cloudWatch: CloudWatchClient;
  readonly now: () => Date;
  /** Where the evidence goes: the function's log (CloudWatch Logs), one JSON line a judgement. */
  readonly log: (line: string) => void;
}

function details(event: LifecycleHookEvent): Details | string {
  const d = event.hookDetails ?? {};
  const str = (k: string) => (typeof d[k] === 'string' ? (d[k] as string) : undefined);
  const lb = str('loadBalancer');
  const canary = str('canaryTargetGroup');
  const baseline = str('baselineTargetGroup');
  const minutes = d.windowMinutes;
  const max = WINDOW_LIMITS.maxSeconds / 60;
  if (!lb || !canary || !baseline)
    return 'hookDetails: needs loadBalancer, canaryTargetGroup and baselineTargetGroup (CloudWatch dimension values)';
  if (typeof minutes !== 'number' || !Number.isInteger(minutes) || minutes < 1 || minutes > max)
    return `hookDetails.windowMinutes: must be whole minutes, 1-${max}`;
  const startedAt = str('startedAt');
  if (startedAt !== undefined && Number.isNaN(Date.parse(startedAt)))
    return 'hookDetails.startedAt: not a time';
  return {
    loadBalancer: lb,
    canaryTargetGroup: canary,
    baselineTargetGroup: baseline,
    windowMinutes: minutes,
    startedAt,
  };
}

const minute = (ms: number) => Math.floor(ms / 60_000) * 60_000;

/** One invocation: IN_PROGRESS until the window is over (FAILED at once on a fail), then the verdict. */
export async function handleLifecycleHook(
  event: LifecycleHookEvent,
  deps: HookDeps,
): Promise<LifecycleHookAnswer> {
  const d = details(event);
  // A hook that cannot judge must not let the deployment through: FAILED rolls it back.
  if (typeof d === 'string') {
    deps.log(JSON.stringify({ hookStatus: 'FAILED', reason: d, serviceArn: event.serviceArn ?? null }));
    return { hookStatus: 'FAILED' };
  }
  const now = deps.now().getTime();
  const start = d.startedAt ? Date.parse(d.startedAt) : minute(now);
  const end = start + d.windowMinutes * 60_000;
  const carry = { ...event.hookDetails, startedAt: new Date(start).toISOString() };
  const upTo = Math.min(minute(now - SETTLE_MS), end);
  const finished = now >= end + SETTLE_MS;
  if (upTo - start < 60_000 && !finished)
    return { hookStatus: 'IN_PROGRESS', callBackDelay: CALL_BACK_SECONDS, hookDetails: carry };
  const judgement = await judgeWindow(deps, d, start, finished ? end : upTo);
  deps.log(
    JSON.stringify({
      serviceArn: event.serviceArn ?? null,
      targetServiceRevisionArn: event.targetServiceRevisionArn ?? null,
      productionTrafficWeights: event.productionTrafficWeights ?? null,
      final: finished,
      judgement,
    }),
  );
  if (judgement.verdict === 'fail') return { hookStatus: 'FAILED' };
  if (!finished) return { hookStatus: 'IN_PROGRESS', callBackDelay: CALL_BACK_SECONDS, hookDetails: carry };
  return { hookStatus: judgement.verdict === 'pass' ? 'SUCCEEDED' : 'FAILED' };
}

async function judgeWindow(deps: HookDeps, d: Details, start: number, end: number): Promise<Judgement> {
  const window = { start: new Date(start), end: new Date(end) };
  const p = plan(
    {
      kind: 'target-groups',
      loadBalancer: d.loadBalancer,
      canary: d.canaryTargetGroup,
      baseline: d.baselineTargetGroup,
    },
    window,
    deps.now(),
    DEFAULT_JUDGE_SETTINGS,
  );
  const { series } = await getMetricData(deps.cloudWatch, metricDataQueries(p), window);
  return judge(p, series);
}
