/**
 * What the release commands share: loading the release engine on first use, its runtime
 * dependencies, the options of every changing command, and turning a release's outcome into
 * output and an error kind.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { PlatformError } from '../services/errors';
import { entryOfKind } from '../services/queries';
import { buildVersionProblem, gitCommitProblem, versionProblem } from '../services/versions';
import type { ReleaseDeps } from '../pipelines/release/saga/context';
import type { ReleasePlan, ReleaseResult } from '../pipelines/release/strategies/ecs-service-rollout';
import type { FunctionReleaseResult } from '../pipelines/release/strategies/lambda-alias-shift';
import type { ReleaseRequest } from '../pipelines/release/saga/request';
import type { AnnotationSink } from '../pipelines/release/notify';
import type { CliContext, GlobalOptions } from './context';
import { printJson, renderTable, type Io } from './output';

/*
 * The AWS SDK costs far more to load than `tdr --help`; under ts-node a real `import()` would go
 * through Node's ESM loader and miss the .ts sources, so the engine is required on first use.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
export const engine = {
  rollout: () =>
    require('../pipelines/release/strategies/ecs-service-rollout') as typeof import('../pipelines/release/strategies/ecs-service-rollout'),
  aliasShift: () =>
    require('../pipelines/release/strategies/lambda-alias-shift') as typeof import('../pipelines/release/strategies/lambda-alias-shift'),
  maintenance: () =>
    require('../pipelines/release/strategies/maintenance') as typeof import('../pipelines/release/strategies/maintenance'),
  maintenanceStatus: () =>
    require('../pipelines/release/reads/maintenance-status') as typeof import('../pipelines/release/reads/maintenance-status'),
  taskRun: () =>
    require('../pipelines/release/strategies/ecs-task-run') as typeof import('../pipelines/release/strategies/ecs-task-run'),
  gates: () => require('../pipelines/release/saga/gates') as typeof import('../pipelines/release/saga/gates'),
  runtime: () =>
    require('../pipelines/release/saga/runtime') as typeof import('../pipelines/release/saga/runtime'),
  status: () =>
    require('../pipelines/release/reads/status') as typeof import('../pipelines/release/reads/status'),
  functionStatus: () =>
    require('../pipelines/release/reads/function-status') as typeof import('../pipelines/release/reads/function-status'),
  verify: () =>
    require('../pipelines/release/reads/verify') as typeof import('../pipelines/release/reads/verify'),
  verifyFunction: () =>
    require('../pipelines/release/reads/verify-function') as typeof import('../pipelines/release/reads/verify-function'),
  check: () =>
    require('../pipelines/release/admin/check') as typeof import('../pipelines/release/admin/check'),
  identity: () =>
    require('../pipelines/release/aws/identity') as typeof import('../pipelines/release/aws/identity'),
  approve: () =>
    require('../pipelines/release/admin/approve') as typeof import('../pipelines/release/admin/approve'),
  stages: () =>
    require('../pipelines/release/ledger/stage-line') as typeof import('../pipelines/release/ledger/stage-line'),
  progressive: () =>
    require('../pipelines/release/strategies/ecs-progressive-run') as typeof import('../pipelines/release/strategies/ecs-progressive-run'),
  reject: () =>
    require('../pipelines/release/admin/reject') as typeof import('../pipelines/release/admin/reject'),
  trainStatus: () =>
    require('../pipelines/release/train/status') as typeof import('../pipelines/release/train/status'),
};
/* eslint-enable @typescript-eslint/no-require-imports */

/** The runtime wiring (real clients from the environment, the wall clock), loaded on first use. */
export const releaseRuntime = engine.runtime;

/** The run went through and did not succeed (e.g. rolled back): exit 1, after its result is shown. */
export class RunFailedError extends PlatformError {
  readonly kind = 'failed';
  constructor(message: string) {
    super(message);
    this.name = 'RunFailedError';
  }
}

export function parseVersion(value: string): string {
  const problem = versionProblem(value);
  if (problem) throw new InvalidArgumentError(problem);
  return value;
}

/** A release version or a branch build: where a branch build may go, the gates decide (exit 3). */
export function parseBuildVersion(value: string): string {
  const problem = buildVersionProblem(value);
  if (problem) throw new InvalidArgumentError(problem);
  return value;
}

/** Jenkins passes an empty GIT_COMMIT when a person starts the job by hand: that is no commit. */
export function parseGitCommit(value: string): string | undefined {
  if (value === '') return undefined;
  const problem = gitCommitProblem(value);
  if (problem) throw new InvalidArgumentError(problem);
  return value;
}

/**
 * The actor as far as input validation goes: `--actor` (a display name, and through Jenkins' role
 * the build user four eyes compares), else a placeholder until AWS says who is calling
 * (`identifiedActor`). Never the OS user. A name hiding characters (zero-width, soft hyphen,
 * combining marks, homoglyphs, a newline) is refused before any AWS call: it would slip past the
 * four-eyes comparison and into logs and records.
 */
export function actorOf(_ctx: CliContext, actor: string | undefined): string {
  return actor === undefined ? UNIDENTIFIED : engine.identity().personName(actor, 'actor');
}

const UNIDENTIFIED = 'tdr';

/** The display name recorded as actor: `--actor`, else the caller's AWS identity (role session or user). */
export async function identifiedActor(deps: ReleaseDeps, actor: string): Promise<string> {
  if (actor !== UNIDENTIFIED) return actor;
  const { principalOf, personOf } = engine.identity();
  const arn = await deps.clients.callerIdentity();
  const p = principalOf(arn);
  return p ? personOf(p) : arn;
}

/**
 * The release engine's clients and clock for one command, logging to stderr. Only a command that
 * says it reads (`readOnly`) may run with TDR_WORKLOAD_ROLE=reader; every other one is refused
 * there (exit 2) before any AWS call.
 */
export async function releaseDeps(
  ctx: CliContext,
  actor: string,
  opts: { notify?: boolean; readOnly?: boolean; approvalRole?: boolean } = {},
): Promise<ReleaseDeps> {
  // Runs that notify are the ones that change things: they stop gracefully on SIGINT/SIGTERM.
  if (opts.notify) ctx.interrupts?.graceful();
  return engine.runtime().runtimeDeps({
    env: ctx.env,
    platform: ctx.platform(),
    log: (line: string) => ctx.io.stderr(line + '\n'),
    actor,
    annotations: opts.notify ? await annotationSink(ctx) : undefined,
    signal: ctx.interrupts?.signal,
    readOnly: opts.readOnly === true && opts.notify !== true,
    approvalRole: opts.approvalRole === true,
  });
}

/**
 * The Grafana annotation sink for notifications: the dashboards' own HTTP client, when GRAFANA_URL
 * and GRAFANA_TOKEN are both set. A bad URL is reported as a failed notification, never a failed release.
 */
export async function annotationSink(ctx: CliContext): Promise<AnnotationSink | undefined> {
  const { GRAFANA_URL: url, GRAFANA_TOKEN: token } = ctx.env;
  if (!url || !token) return undefined;
  type ClientModule = typeof import('../dashboards/grafana-client');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { GrafanaClient } = require('../dashboards/grafana-client') as ClientModule;
  try {
    return new GrafanaClient({ url, token });
  } catch (err) {
    const reason = (err as Error).message;
    return { createAnnotation: () => Promise.reject(new Error(`GRAFANA_URL: ${reason}`)) };
  }
}

export interface ReleaseOpts {
  readonly service: string;
  readonly actor?: string;
  readonly buildUrl?: string;
  readonly breakGlass?: boolean;
  readonly reason?: string;
  readonly dryRun?: boolean;
  readonly wait: boolean;
}

/** The options every changing command shares. */
export function addReleaseOptions(cmd: Command): Command {
  return cmd
    .option(
      '--actor <name>',
      'a display name for who is releasing (Jenkins passes the build user); who acts is the AWS identity',
    )
    .option('--build-url <url>', 'the Jenkins build that ran this (recorded)')
    .option('--break-glass', 'override a freeze window (recorded; needs --reason)')
    .option('--reason <text>', 'why (recorded; required with --break-glass)')
    .option('--dry-run', 'print the plan and the gates; change nothing (exit 3 if a gate would refuse)')
    .addOption(
      new Option('--no-wait', 'return once the service is updated; the next operation settles the outcome'),
    );
}

export function requestFrom(ctx: CliContext, opts: ReleaseOpts): Omit<ReleaseRequest, 'action' | 'env'> {
  return {
    service: opts.service,
    actor: actorOf(ctx, opts.actor),
    buildUrl: opts.buildUrl ?? null,
    breakGlass: opts.breakGlass ?? false,
    reason: opts.reason ?? null,
    dryRun: opts.dryRun ?? false,
    wait: opts.wait,
  };
}

/**
 * deploy, promote and rollback: a service rollout, or an alias shift when `--service` names a
 * function; its result printed, its outcome an exit code.
 */
export async function runRelease(ctx: CliContext, cmd: Command, req: ReleaseRequest): Promise<void> {
  const { output } = cmd.optsWithGlobals<GlobalOptions>();
  const platform = ctx.platform();
  const isFunction = entryOfKind(platform.catalogue, req.service, 'lambda') !== undefined;
  const { releaseService, validateRequest, ReleaseRefusedError } = engine.rollout();
  const shift = isFunction ? engine.aliasShift() : undefined;
  (shift ? shift.validateFunctionRequest : validateRequest)({ platform }, req);
  printOverrides(ctx, platform.overrides);
  const deps = await releaseDeps(ctx, req.actor, { notify: true });
  const identified = { ...req, actor: await identifiedActor(deps, req.actor) };
  let finished;
  try {
    finished = shift ? await shift.releaseFunction(deps, identified) : await releaseService(deps, identified);
  } catch (err) {
    if (err instanceof ReleaseRefusedError) printRelease(ctx.io, output, err.plan);
    // Machines get the refusal as data too; people read it on stderr.
    else if (output === 'json' && err instanceof engine.gates().GateRefusedError)
      printJson(ctx.io, { refused: true, gates: err.verdicts });
    throw err;
  }
  if ('function' in finished.result) printFunctionRelease(ctx.io, output, finished.result);
  else printRelease(ctx.io, output, finished.result);
  if (finished.failure) throw new RunFailedError(finished.failure);
}

/** Every configuration override in force, said before a command that changes things acts on it. */
export function printOverrides(ctx: CliContext, overrides: readonly string[]): void {
  if (overrides.length > 0)
    ctx.io.stderr(`configuration overrides in force (TDR_CONFIG, recorded): ${overrides.join(', ')}\n`);
}

export function printRelease(io: Io, output: string, r: ReleaseResult | ReleasePlan): void {
  if (output === 'json') {
    printJson(io, r);
    return;
  }
  const outcome = 'outcome' in r ? r.outcome : 'refused';
  const lines = [
    `${r.action} ${r.service} ${r.version} → ${r.env}${r.sourceEnv ? ` (from ${r.sourceEnv})` : ''}: ${outcome}`,
    `  from: ${r.from.version ?? '(not in ledger)'} ${r.from.digest ?? ''} ${r.from.taskDefinition ?? ''}`.trimEnd(),
    `  to:   ${r.version} ${r.digest ?? '(unresolved)'}`,
  ];
  if ('detail' in r && r.detail) lines.push(`  detail: ${r.detail}`);
  if ('stages' in r && r.stages && r.stages.length > 0)
    lines.push(`  stages: ${r.stages.length} (last: ${describeStageLine(r.stages.at(-1)!)})`);
  if ('taskDefinition' in r && r.taskDefinition) lines.push(`  task definition: ${r.taskDefinition}`);
  if ('ledger' in r && r.ledger.length > 0)
    lines.push(`  ledger records: ${r.ledger.map((s) => `#${s}`).join(', ')}`);
  if ('settled' in r && r.settled.length > 0)
    lines.push(`  settled crashed runs: ${r.settled.map((s) => `#${s}`).join(', ')}`);
  io.stdout(lines.join('\n') + '\n');
  printGates(io, r.gates);
  if (r.taskDefinitionDiff.length > 0)
    io.stdout(`\nTask definition change:\n${r.taskDefinitionDiff.map((l) => `  ${l}`).join('\n')}\n`);
  if ('notifications' in r) printNotifications(io, r.notifications);
}

/** A stage as one line (the engine's own wording, loaded with it). */
function describeStageLine(s: NonNullable<ReleaseResult['stages']>[number]): string {
  return engine.stages().describeStage(s);
}

/**
 * `tdr approve` / `tdr rollback` on a deployment ECS holds or is shifting: the followed deployment's
 * end, printed; exit 1 when it did not end as asked.
 */
export function printHeld(
  io: Io,
  output: string,
  r: import('../pipelines/release/strategies/ecs-progressive-run').HeldResult,
  extra: Record<string, unknown> = {},
): void {
  if (output === 'json') {
    printJson(io, { ...extra, ...r });
    return;
  }
  const lines = [`${r.service} → ${r.env}: service deployment ${r.serviceDeployment}: ${r.outcome}`];
  if (r.detail) lines.push(`  detail: ${r.detail}`);
  for (const s of r.stages) lines.push(`  stage ${describeStageLine(s)}`);
  if (r.ledger.length > 0) lines.push(`  ledger records: ${r.ledger.map((n) => `#${n}`).join(', ')}`);
  io.stdout(lines.join('\n') + '\n');
  if (r.notifications) printNotifications(io, r.notifications);
}

/** A function release: the package's SHA-256 before and after, and the version `live` points at. */
export function printFunctionRelease(io: Io, output: string, r: FunctionReleaseResult): void {
  if (output === 'json') {
    printJson(io, r);
    return;
  }
  const lines = [
    `${r.action} function ${r.function} ${r.version} → ${r.env}${r.sourceEnv ? ` (from ${r.sourceEnv})` : ''}: ${r.outcome}`,
    `  from: ${r.from.version ?? '(not in ledger)'} sha256 ${r.from.sha256 ?? '?'} (version ${r.from.aliasVersion ?? '?'})`,
    `  to:   ${r.version} sha256 ${r.sha256 ?? '(unresolved)'} ${r.package ?? ''}`.trimEnd(),
  ];
  if (r.detail) lines.push(`  detail: ${r.detail}`);
  if (r.aliasVersionArn) lines.push(`  live: ${r.aliasVersionArn}`);
  if (r.ledger.length > 0) lines.push(`  ledger records: ${r.ledger.map((s) => `#${s}`).join(', ')}`);
  if (r.settled.length > 0) lines.push(`  settled crashed runs: ${r.settled.map((s) => `#${s}`).join(', ')}`);
  io.stdout(lines.join('\n') + '\n');
  printGates(io, r.gates);
  printNotifications(io, r.notifications);
}

export function printGates(io: Io, gates: ReleasePlan['gates']): void {
  io.stdout('\nGates:\n');
  io.stdout(
    renderTable(
      ['', 'GATE', 'DETAIL'],
      gates.map((g) => [g.ok ? '[OK]' : '[NG]', g.gate, g.detail]),
    ),
  );
}

export function printNotifications(io: Io, notifications: ReleaseResult['notifications']): void {
  if (notifications.length > 0)
    io.stdout(
      `\nNotifications:\n${notifications.map((n) => `  ${n.channel}: ${n.status} (${n.detail})`).join('\n')}\n`,
    );
}
