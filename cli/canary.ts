/**
 * `tdr canary judge`: the canary judge (pipelines/release/judge) run once, read-only, over a window:
 * a service's canary and baseline target groups, or a function's two versions behind `live`.
 * Exit 0 only on pass; fail and inconclusive both exit 1 (no data is never a pass, and a script that
 * reads only the exit code must not promote on it); `-o json` says which, with the evidence.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { naming } from '../services/naming';
import { entryOfKind } from '../services/queries';
import type { EnvironmentName, WorkloadEnvironmentName } from '../services/environments';
import type { Judgement, JudgeSubject } from '../pipelines/release/judge/judge';
import type { CliContext, GlobalOptions } from './context';
import { envOption, serviceOption } from './context';
import { UsageError } from './exit-codes';
import { printJson, renderTable } from './output';
import { RunFailedError, engine, releaseDeps } from './release-wiring';

/* eslint-disable @typescript-eslint/no-require-imports */
const judgeModule = () =>
  require('../pipelines/release/judge/judge') as typeof import('../pipelines/release/judge/judge');
const cloudWatch = () =>
  require('../pipelines/release/aws/cloudwatch') as typeof import('../pipelines/release/aws/cloudwatch');
/* eslint-enable @typescript-eslint/no-require-imports */

interface JudgeOpts {
  service: string;
  env: string;
  loadBalancer?: string;
  canaryTargetGroup?: string;
  baselineTargetGroup?: string;
  canaryVersion?: string;
  baselineVersion?: string;
  minutes?: number;
  from?: Date;
  to?: Date;
  minRequests?: number;
}

/** 1 to 1440: a window is at most the longest bake ECS allows. */
function parseMinutes(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 1440)
    throw new InvalidArgumentError('must be whole minutes, 1-1440');
  return n;
}

function parseInstant(value: string): Date {
  const d = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?(\.\d+)?Z$/.test(value) || Number.isNaN(d.getTime()))
    throw new InvalidArgumentError('must be an ISO 8601 UTC time such as 2026-01-05T10:15:00Z');
  return d;
}

function parseCount(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 1_000_000) throw new InvalidArgumentError('must be 1-1000000');
  return n;
}

/** CloudWatch's dimension value is the ARN's resource suffix: `app/…` or `targetgroup/…`. */
function dimensionValue(value: string, resource: 'loadbalancer/app' | 'targetgroup'): string {
  const m = /^arn:aws[\w-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:(.+)$/.exec(value);
  const suffix = m ? m[1]! : value;
  return resource === 'loadbalancer/app' ? suffix.replace(/^loadbalancer\//, '') : suffix;
}

export function register(program: Command, ctx: CliContext): void {
  const canary = program.command('canary').description('progressive delivery: judge a canary');
  canary
    .command('judge')
    .description(
      "read the canary's and the baseline's metrics over a window from CloudWatch and say pass, fail or inconclusive, with the evidence (read-only)",
    )
    .addOption(serviceOption(ctx, ['service', 'lambda']))
    .addOption(envOption(ctx).makeOptionMandatory())
    .addOption(new Option('--load-balancer <arn>', 'a service: the load balancer (ARN or app/name/id)'))
    .addOption(new Option('--canary-target-group <arn>', 'a service: the target group of the new revision'))
    .addOption(new Option('--baseline-target-group <arn>', 'a service: the target group of the old revision'))
    .addOption(new Option('--canary-version <n>', 'a function: the new version behind live'))
    .addOption(new Option('--baseline-version <n>', 'a function: the old version behind live'))
    .addOption(new Option('--minutes <n>', 'the window: the last N whole minutes').argParser(parseMinutes))
    .addOption(
      new Option('--from <time>', 'the window: start (ISO UTC, whole minute)').argParser(parseInstant),
    )
    .addOption(new Option('--to <time>', 'the window: end (ISO UTC, whole minute)').argParser(parseInstant))
    .addOption(
      new Option(
        '--min-requests <n>',
        'fewer canary requests than this are inconclusive (default 100)',
      ).argParser(parseCount),
    )
    .addHelpText(
      'after',
      '\nExit 0 on pass; 1 on fail or inconclusive (see "verdict" in -o json).\n\nExamples:\n' +
        '  $ tdr canary judge --service frontend --env prod --minutes 15 \\\n' +
        '      --load-balancer app/tdr-prod/0123456789abcdef \\\n' +
        '      --canary-target-group targetgroup/frontend-prod-green/1111111111111111 \\\n' +
        '      --baseline-target-group targetgroup/frontend-prod-blue/2222222222222222\n' +
        '  $ tdr canary judge --service checksum --env prod --canary-version 8 --baseline-version 7 --minutes 10 -o json',
    )
    .action(async (opts: JudgeOpts, cmd: Command) => {
      const { output } = cmd.optsWithGlobals<GlobalOptions>();
      const platform = ctx.platform();
      const env = opts.env as WorkloadEnvironmentName;
      const subject = subjectOf(ctx, opts, env);
      const judge = judgeModule();
      const now = new Date();
      const window = windowOf(opts, now);
      // Every input problem (window, names, bounds) before any AWS call: exit 2.
      const plan = judge.plan(subject, window, now, {
        ...judge.DEFAULT_JUDGE_SETTINGS,
        ...(opts.minRequests !== undefined ? { minRequests: opts.minRequests } : {}),
      });
      const role = engine.runtime().workloadRoleFrom(ctx.env, { readOnly: true });
      const deps = await releaseDeps(ctx, ctx.env.USER || 'canary', { readOnly: true });
      const cw = cloudWatch();
      const client = cw.workloadCloudWatch({
        env: env as EnvironmentName,
        region: platform.environments[env].region,
        accountIds: deps.clients.accountIds,
        role,
        sessionName: 'tdr-canary-judge',
        processEnv: ctx.env,
      });
      const { series, requests } = await cw.getMetricData(client, judge.metricDataQueries(plan), window);
      const judgement = judge.judge(plan, series);
      if (output === 'json') printJson(ctx.io, { ...judgement, requests });
      else printJudgement(ctx, judgement, requests);
      if (judgement.verdict !== 'pass')
        throw new RunFailedError(`the canary judgement is ${judgement.verdict}: it is not a pass`);
    });
}

function subjectOf(ctx: CliContext, opts: JudgeOpts, env: WorkloadEnvironmentName): JudgeSubject {
  const fn = entryOfKind(ctx.platform().catalogue, opts.service, 'lambda');
  const tgFlags = ['loadBalancer', 'canaryTargetGroup', 'baselineTargetGroup'] as const;
  const versionFlags = ['canaryVersion', 'baselineVersion'] as const;
  const flag = (k: string) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
  const [needed, refused] = fn ? [versionFlags, tgFlags] : [tgFlags, versionFlags];
  const missing = needed.filter((k) => opts[k] === undefined).map(flag);
  const extra = refused.filter((k) => opts[k] !== undefined).map(flag);
  const problems = [
    ...(missing.length > 0 ? [`${opts.service} needs ${missing.join(', ')}`] : []),
    ...(extra.length > 0
      ? [`${extra.join(', ')} ${extra.length === 1 ? 'is' : 'are'} not for a ${fn ? 'function' : 'service'}`]
      : []),
  ];
  if (problems.length > 0) throw new UsageError(problems.join('; '));
  if (fn)
    return {
      kind: 'lambda-versions',
      functionName: naming.functionName(opts.service, env),
      alias: naming.functionAlias(),
      canary: opts.canaryVersion!,
      baseline: opts.baselineVersion!,
      timeoutSeconds: fn.timeoutSeconds[env],
    };
  return {
    kind: 'target-groups',
    loadBalancer: dimensionValue(opts.loadBalancer!, 'loadbalancer/app'),
    canary: dimensionValue(opts.canaryTargetGroup!, 'targetgroup'),
    baseline: dimensionValue(opts.baselineTargetGroup!, 'targetgroup'),
  };
}

function windowOf(opts: JudgeOpts, now: Date): { start: Date; end: Date } {
  const byMinutes = opts.minutes !== undefined;
  const byTimes = opts.from !== undefined || opts.to !== undefined;
  if (byMinutes === byTimes) throw new UsageError('give the window as --minutes N, or as --from and --to');
  if (byMinutes) {
    const end = new Date(Math.floor(now.getTime() / 60_000) * 60_000);
    return { start: new Date(end.getTime() - opts.minutes! * 60_000), end };
  }
  if (!opts.from || !opts.to) throw new UsageError('--from and --to go together');
  return { start: opts.from, end: opts.to };
}

function printJudgement(ctx: CliContext, j: Judgement, requests: number): void {
  ctx.io.stdout(
    `Verdict: ${j.verdict.toUpperCase()}  (${j.window.start} → ${j.window.end}, ${j.window.seconds / 60} min)\n\n`,
  );
  ctx.io.stdout(
    renderTable(
      ['CHECK', 'VERDICT', 'CANARY', 'BASELINE', 'THRESHOLD', 'WHY'],
      j.checks.map((c) => [c.check, c.verdict, c.canary, c.baseline, c.threshold, c.reason]),
    ),
  );
  ctx.io.stderr(
    `${j.queries.length} queries in ${requests} GetMetricData call${requests === 1 ? '' : 's'}\n`,
  );
}
