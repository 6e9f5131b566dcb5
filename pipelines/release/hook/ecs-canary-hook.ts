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
 * Which of the service's two target groups is the canary's: ECS swaps their roles at the end of
 * every side-by-side deployment (the new revision registers in the alternate group, which then
 * becomes production), so a configuration written once cannot say it. `hookDetails.targetGroups`
 * names the pair; the payload's `productionTrafficWeights[targetServiceRevisionArn]` says what
 * share the new revision has; the group whose requests in the window are on that side of half is
 * the canary's (fewer requests below 50 %, more above). At an even split, or with as many requests
 * on both, it cannot be known: the window is judged both ways round and passes only if both pass.
 * At 0 % or 100 % (a rollback, the last shift) there is no split to judge: SUCCEEDED at once. The hook needs no more than
 * CloudWatch for this (its role: GetMetricData and its own logs), the same single GetMetricData
 * call answers both this and the judge.
 *
 * The function is the catalogue's `canary-judge` (services/platform-functions.ts), packaged from
 * this repository (./package.ts, `npm run package:canary-judge`); infra sets the hook and its details
 * (infra/definitions/ecs-deployment.ts `judgeHook`).
 */
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { getMetricData } from '../aws/cloudwatch';
import {
  DEFAULT_JUDGE_SETTINGS,
  MIN_REQUESTS_LIMITS,
  WINDOW_LIMITS,
  judge,
  metricDataQueries,
  plan,
  type CheckResult,
  type Judgement,
  type Series,
} from '../judge/judge';

export const HOOK_STATUSES = ['SUCCEEDED', 'FAILED', 'IN_PROGRESS'] as const;
export type HookStatus = (typeof HOOK_STATUSES)[number];

/**
 * What ECS passes (the fields this hook reads), as the developer guide's payloads show them (top
 * level). Hooks in the wild also read them under `executionDetails` beside `executionId`,
 * `lifecycleStage` and `resourceArn`; the hook takes either (real AWS decides: not provable here).
 */
export interface LifecycleHookEvent {
  readonly executionDetails?: Omit<LifecycleHookEvent, 'executionDetails' | 'hookDetails'>;
  readonly lifecycleStage?: string;
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
  /** The service's two target groups (CloudWatch `TargetGroup` values); which is the canary's is found per run. */
  readonly targetGroups: readonly [string, string];
  readonly windowMinutes: number;
  readonly minRequests: number;
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
  const groups = d.targetGroups;
  const minutes = d.windowMinutes;
  const max = WINDOW_LIMITS.maxSeconds / 60;
  const minRequests = d.minRequests ?? DEFAULT_JUDGE_SETTINGS.minRequests;
  if (!lb) return 'hookDetails.loadBalancer: needs the load balancer (its CloudWatch dimension value)';
  if (
    !Array.isArray(groups) ||
    groups.length !== 2 ||
    !groups.every((g) => typeof g === 'string' && g.length > 0) ||
    groups[0] === groups[1]
  )
    return "hookDetails.targetGroups: needs the service's two target groups (CloudWatch dimension values)";
  if (typeof minutes !== 'number' || !Number.isInteger(minutes) || minutes < 1 || minutes > max)
    return `hookDetails.windowMinutes: must be whole minutes, 1-${max}`;
  const { min, max: maxRequests } = MIN_REQUESTS_LIMITS;
  if (
    typeof minRequests !== 'number' ||
    !Number.isInteger(minRequests) ||
    minRequests < min ||
    minRequests > maxRequests
  )
    return `hookDetails.minRequests: must be a whole number, ${min}-${maxRequests}`;
  const startedAt = str('startedAt');
  if (startedAt !== undefined && Number.isNaN(Date.parse(startedAt)))
    return 'hookDetails.startedAt: not a time';
  return {
    loadBalancer: lb,
    targetGroups: [groups[0] as string, groups[1] as string],
    windowMinutes: minutes,
    minRequests,
    startedAt,
  };
}

const minute = (ms: number) => Math.floor(ms / 60_000) * 60_000;

/** One invocation: IN_PROGRESS until the window is over (FAILED at once on a fail), then the verdict. */
export async function handleLifecycleHook(
  event: LifecycleHookEvent,
  deps: HookDeps,
): Promise<LifecycleHookAnswer> {
  event = event.executionDetails ? { ...event, ...event.executionDetails } : event;
  const d = details(event);
  // A hook that cannot judge must not let the deployment through: FAILED rolls it back.
  if (typeof d === 'string') {
    deps.log(JSON.stringify({ hookStatus: 'FAILED', reason: d, serviceArn: event.serviceArn ?? null }));
    return { hookStatus: 'FAILED' };
  }
  const share = canaryShare(event);
  if (typeof share === 'string') {
    deps.log(JSON.stringify({ hookStatus: 'FAILED', reason: share, serviceArn: event.serviceArn ?? null }));
    return { hookStatus: 'FAILED' };
  }
  // No split, nothing to compare: ECS invokes PRODUCTION_TRAFFIC_SHIFT hooks at every step, the last
  // (100 %) included, and again during a rollback (0 %: deployment-lifecycle-hooks.html, "When a
  // roll back happens, Amazon ECS runs the lifecycle hooks for … PRODUCTION_TRAFFIC_SHIFT"). The
  // split steps are judged at their own invocations; a rollback must never be held by its judge.
  if (share === 0 || share === 100) {
    deps.log(
      JSON.stringify({
        hookStatus: 'SUCCEEDED',
        reason: `no split to judge (the new revision has ${share} %)`,
        serviceArn: event.serviceArn ?? null,
      }),
    );
    return { hookStatus: 'SUCCEEDED' };
  }
  const now = deps.now().getTime();
  const start = d.startedAt ? Date.parse(d.startedAt) : minute(now);
  const end = start + d.windowMinutes * 60_000;
  const carry = { ...event.hookDetails, startedAt: new Date(start).toISOString() };
  const upTo = Math.min(minute(now - SETTLE_MS), end);
  const finished = now >= end + SETTLE_MS;
  if (upTo - start < 60_000 && !finished)
    return { hookStatus: 'IN_PROGRESS', callBackDelay: CALL_BACK_SECONDS, hookDetails: carry };
  const judgement = await judgeWindow(deps, d, share, start, finished ? end : upTo);
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

/** The new revision's production share from the payload (0-100), or why it cannot be had. */
function canaryShare(event: LifecycleHookEvent): number | string {
  const target = event.targetServiceRevisionArn;
  const weight = target ? event.productionTrafficWeights?.[target] : undefined;
  if (typeof weight !== 'number' || !Number.isFinite(weight) || weight < 0 || weight > 100)
    return `productionTrafficWeights: no share for the new revision (${target ?? 'not named'})`;
  return weight;
}

const SIDES = ['requests', '5xx', 'p95', 'unhealthy'] as const;
/** The answers with the two sides' series exchanged (the plan was made the other way round). */
function swapped(series: ReadonlyMap<string, Series>): Map<string, Series> {
  const out = new Map(series);
  for (const m of SIDES) {
    const c = series.get(`canary_${m}`);
    const b = series.get(`baseline_${m}`);
    out.delete(`canary_${m}`);
    out.delete(`baseline_${m}`);
    if (b) out.set(`canary_${m}`, b);
    if (c) out.set(`baseline_${m}`, c);
  }
  return out;
}

const total = (s: Series | undefined) =>
  s && s.statusCode === 'Complete' ? s.values.reduce((a, b) => a + b, 0) : undefined;

/**
 * Judges the window with the first group as the canary, then keeps that judgement or the one with
 * the sides exchanged, as the requests say (one GetMetricData call answers both); when they cannot
 * say, the judgement is made inconclusive with the reason.
 */
async function judgeWindow(
  deps: HookDeps,
  d: Details,
  share: number,
  start: number,
  end: number,
): Promise<Judgement> {
  const window = { start: new Date(start), end: new Date(end) };
  const [first, second] = d.targetGroups;
  const subject = (canary: string, baseline: string) =>
    ({ kind: 'target-groups', loadBalancer: d.loadBalancer, canary, baseline }) as const;
  const settings = { minRequests: d.minRequests };
  const asIs = plan(subject(first, second), window, deps.now(), settings);
  const { series } = await getMetricData(deps.cloudWatch, metricDataQueries(asIs), window);
  const a = total(series.get('canary_requests')) ?? 0;
  const b = total(series.get('baseline_requests')) ?? 0;
  const other = () => judge(plan(subject(second, first), window, deps.now(), settings), swapped(series));
  // Which is the canary's cannot be told: judged both ways round. Passing both ways, whichever it
  // is passed; failing either way, it may be the canary that fails (rolled back, the safe side).
  const bothWays = (reason: string): Judgement => {
    const [j1, j2] = [judge(asIs, series), other()];
    const verdict =
      j1.verdict === 'pass' && j2.verdict === 'pass'
        ? 'pass'
        : j1.verdict === 'fail' || j2.verdict === 'fail'
          ? 'fail'
          : 'inconclusive';
    const which: CheckResult = {
      check: "which target group is the canary's",
      verdict,
      reason: `${reason}: judged both ways round (${j1.verdict}, ${j2.verdict})`,
      canary: null,
      baseline: null,
      threshold: 'both ways round must pass',
      queries: ['canary_requests', 'baseline_requests'],
    };
    return { ...j1, verdict, checks: [which, ...j1.checks, ...j2.checks] };
  };
  if (share === 50) return bothWays("an even split (50 %): which target group is the canary's is not known");
  if (a === b) return bothWays(`both target groups had ${a} requests: which is the canary's is not known`);
  const firstIsCanary = share < 50 ? a < b : a > b;
  return firstIsCanary ? judge(asIs, series) : other();
}
