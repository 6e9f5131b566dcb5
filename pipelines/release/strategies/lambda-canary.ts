/**
 * A function canary, the part of the Lambda alias shift (./lambda-alias-shift.ts) that a canary
 * environment adds (services/delivery.ts `FunctionDelivery`):
 *
 *   `live` stays on the version it ran and sends `weightPercent` of its invocations to the new one
 *   (UpdateAlias `RoutingConfig.AdditionalVersionWeights`: one additional published version, never
 *   `$LATEST`; https://docs.aws.amazon.com/lambda/latest/api/API_AliasRoutingConfiguration.html) →
 *   for `bakeMinutes` the judge reads both versions' `ExecutedVersion` metrics (Invocations, Errors,
 *   Throttles, p95 Duration; https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html)
 *   once a minute, and a fail ends the bake at once → after the bake one judgement over the whole
 *   window decides: pass moves `live` wholly to the new version, fail or inconclusive moves it back
 *   (routing cleared either way). No data is never a pass.
 *
 * Every step and every verdict goes on the run's ledger record (`canary`), the deciding
 * judgement whole (queries, values, thresholds, window).
 */
import type { FunctionDelivery } from '../../../services/delivery';
import { getMetricData } from '../aws/cloudwatch';
import type { Lambda } from '../aws/lambda';
import { AwsCallError } from '../errors';
import {
  DEFAULT_JUDGE_SETTINGS,
  judge,
  metricDataQueries,
  plan,
  type JudgeSubject,
  type Judgement,
} from '../judge/judge';
import type { CanaryCourse } from '../ledger/ledger';
import type { ReleaseDeps } from '../saga/context';
import type { SagaContext, SagaRequest } from '../saga/saga';

export type FunctionCanary = Extract<FunctionDelivery, { kind: 'canary' }>;

/** How often the judge looks during the bake: the metrics' own period. */
export const JUDGE_EVERY_MS = 60_000;
/**
 * How long after a minute ends before its metrics are read: Lambda sends its metrics to CloudWatch
 * once a minute, and a minute read before they arrive would look like no data.
 */
export const METRICS_SETTLE_MS = 60_000;

const minute = (ms: number) => Math.floor(ms / 60_000) * 60_000;

export interface CanaryState {
  readonly course: CanaryCourse;
  /** When the weight was set: the window starts at its minute. */
  readonly shiftedAt: number;
  /** GetMetricData calls so far (the bench's requests per judgement). */
  requests: number;
}

export function newCourse(d: FunctionCanary, baseline: string | null): CanaryCourse {
  return {
    weightPercent: d.weightPercent,
    bakeMinutes: d.bakeMinutes,
    canaryVersion: null,
    baselineVersion: baseline,
    steps: [],
    judgements: [],
    evidence: null,
  };
}

/** The course with one more step, timestamped. */
export function withStep(course: CanaryCourse, at: Date, step: string): CanaryCourse {
  return { ...course, steps: [...course.steps, { at: at.toISOString(), step }] };
}

/** One judgement of the two versions over `window`, from CloudWatch in the function's account. */
export async function judgeVersions(
  deps: Pick<ReleaseDeps, 'clients' | 'now'>,
  env: Parameters<ReleaseDeps['clients']['cloudWatch']>[0],
  subject: Extract<JudgeSubject, { kind: 'lambda-versions' }>,
  window: { readonly start: Date; readonly end: Date },
): Promise<{ judgement: Judgement; requests: number }> {
  const p = plan(subject, window, deps.now(), DEFAULT_JUDGE_SETTINGS);
  const { series, requests } = await getMetricData(
    deps.clients.cloudWatch(env),
    metricDataQueries(p),
    window,
  );
  return { judgement: judge(p, series), requests };
}

export interface BakeEnd {
  readonly verdict: Judgement['verdict'];
  readonly judgement: Judgement;
  /** Whether a fail ended the bake before its time. */
  readonly early: boolean;
}

/**
 * The bake: a judgement a minute over the window so far (a fail ends it), then one over the whole
 * bake once its last minute's metrics are in. Waits through `ctx.deps.sleep`, the lease guard's
 * sleep under the saga: a checkpoint, so an interrupted run stops here, the weight left for the
 * next run to settle.
 */
export async function bake<Req extends SagaRequest>(
  ctx: SagaContext<Req>,
  state: CanaryState,
  subject: Extract<JudgeSubject, { kind: 'lambda-versions' }>,
  record: (state: CanaryState) => void,
): Promise<BakeEnd> {
  const { deps } = ctx;
  const start = minute(state.shiftedAt);
  const end = start + state.course.bakeMinutes * 60_000;
  const judgeOver = async (to: number) => {
    const { judgement, requests } = await judgeVersions(deps, ctx.env, subject, {
      start: new Date(start),
      end: new Date(to),
    });
    state.requests += requests;
    const summary = { at: deps.now().toISOString(), verdict: judgement.verdict, window: judgement.window };
    Object.assign(state, { course: { ...state.course, judgements: [...state.course.judgements, summary] } });
    const why = judgement.checks.map((c) => `${c.check} ${c.verdict}`).join(', ');
    ctx.step(`judged ${judgement.window.start} → ${judgement.window.end}: ${judgement.verdict} (${why})`);
    record(state);
    return judgement;
  };
  for (;;) {
    const now = deps.now().getTime();
    if (now >= end + METRICS_SETTLE_MS) break;
    // Wake when the next whole minute's metrics are in, not a minute after the weight was set.
    const next = minute(now - METRICS_SETTLE_MS) + JUDGE_EVERY_MS + METRICS_SETTLE_MS;
    await deps.sleep(Math.min(next, end + METRICS_SETTLE_MS) - now);
    const upTo = Math.min(minute(deps.now().getTime() - METRICS_SETTLE_MS), end);
    // Interim looks only while the bake runs: its end is judged whole below.
    if (upTo - start >= 60_000 && upTo < end) {
      const interim = await judgeOver(upTo);
      if (interim.verdict === 'fail') return { verdict: 'fail', judgement: interim, early: true };
    }
  }
  const final = await judgeOver(end);
  return { verdict: final.verdict, judgement: final, early: false };
}

/**
 * The bake and the judge's verdict: pass moves `live` wholly to the canary (routing cleared);
 * fail or inconclusive leaves the weight for the saga's undo, which moves `live` back.
 */
export async function judgeCanary<Req extends SagaRequest>(
  ctx: SagaContext<Req>,
  lambda: Lambda,
  target: { readonly functionName: string; readonly alias: string; readonly timeoutSeconds: number },
  state: CanaryState,
  note: (course: CanaryCourse) => void,
): Promise<{ readonly passed: boolean; readonly detail: string; readonly course: CanaryCourse }> {
  const { functionName, alias } = target;
  const subject = {
    kind: 'lambda-versions' as const,
    functionName,
    alias,
    canary: state.course.canaryVersion!,
    baseline: state.course.baselineVersion!,
    timeoutSeconds: target.timeoutSeconds,
  };
  ctx.step(
    `baking ${state.course.bakeMinutes} min: the judge reads versions ${subject.canary} and ${subject.baseline}`,
  );
  let end: BakeEnd;
  try {
    end = await bake(ctx, state, subject, (s) => note(s.course));
  } catch (err) {
    // CloudWatch not answering (or refusing) is no data: never a pass. `live` moves back now rather
    // than keep the weight until someone settles the run. Anything else (interrupted, the lease
    // lost) goes to the saga, which leaves the run open for the next operation to settle.
    if (!(err instanceof AwsCallError)) throw err;
    const detail = `canary inconclusive: the judge could not read the metrics (${err.message})`;
    ctx.step(detail);
    const course = withStep(
      state.course,
      ctx.deps.now(),
      `judge failed to read CloudWatch: ${alias} moves back to version ${subject.baseline}`,
    );
    note(course);
    return { passed: false, detail, course };
  }
  const why = end.judgement.checks
    .filter((c) => c.verdict !== 'pass')
    .map((c) => `${c.check}: ${c.reason}`)
    .join('; ');
  const decided = (step: string) => {
    const course = withStep({ ...state.course, evidence: { ...end.judgement } }, ctx.deps.now(), step);
    note(course);
    return course;
  };
  if (end.verdict !== 'pass') {
    const detail = `canary ${end.verdict}${end.early ? ' before the bake ended' : ''}: ${why || 'no check passed'}`;
    ctx.step(detail);
    return {
      passed: false,
      detail,
      course: decided(`judged ${end.verdict}: ${alias} moves back to version ${subject.baseline}`),
    };
  }
  const course = decided(`judged pass: ${alias} moves wholly to version ${subject.canary}`);
  await ctx.checkpoint();
  await lambda.moveAlias(
    functionName,
    alias,
    subject.canary,
    `moving ${alias} of ${functionName} wholly to version ${subject.canary}`,
  );
  ctx.step(`${alias} → version ${subject.canary} (the canary passed)`);
  return { passed: true, detail: 'canary passed', course };
}
