/**
 * `tdr deploy`: the release engine's entry for Jenkins after each merged build. Also the shared
 * wiring of `promote` and `rollback`, which run the same deployment path.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { ReleaseRequest, ReleaseResult, ReleasePlan } from '../pipelines/release/deploy';
import type { AnnotationSink } from '../pipelines/release/notify';
import type { CliContext, GlobalOptions } from './context';
import { envOption, serviceOption } from './context';
import { printJson, renderTable, type Io } from './output';

/*
 * The AWS SDK costs far more to load than `tdr --help`; under ts-node a real `import()` would go
 * through Node's ESM loader and miss the .ts sources, so the engine is required on first use.
 */
export function releaseEngine(): typeof import('../pipelines/release/deploy') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../pipelines/release/deploy') as typeof import('../pipelines/release/deploy');
}

export function releaseRuntime(): typeof import('../pipelines/release/runtime') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../pipelines/release/runtime') as typeof import('../pipelines/release/runtime');
}

export function parseVersion(value: string): string {
  if (!/^v\d+$/.test(value))
    throw new InvalidArgumentError(
      `"${value}" is not a release version: expected v followed by digits, e.g. v42`,
    );
  return value;
}

export function register(program: Command, ctx: CliContext): void {
  const cmd = program
    .command('deploy')
    .description(
      'deploy a version (an ECR tag in mgmt, resolved to its digest) to an environment fed by the build',
    )
    .addOption(serviceOption(ctx))
    .addOption(envOption(ctx).makeOptionMandatory())
    .requiredOption('--version <version>', 'release version, an immutable ECR tag such as v42', parseVersion)
    .option('--git-commit <sha>', 'git commit the version was built from (recorded)');
  addReleaseOptions(cmd).addHelpText(
    'after',
    '\nExamples:\n  $ tdr deploy --service frontend --env intg --version v42 --build-url "$BUILD_URL"\n  $ tdr deploy --service frontend --env intg --version v42 --dry-run',
  );
  cmd.action(async (opts: ReleaseOpts & { env: string; version: string; gitCommit?: string }, c: Command) => {
    await runRelease(ctx, c, {
      ...requestFrom(ctx, opts),
      action: 'deploy',
      env: opts.env,
      version: opts.version,
      gitCommit: opts.gitCommit ?? null,
    });
  });
}

export interface ReleaseOpts {
  readonly service: string;
  readonly actor?: string;
  readonly approver?: string;
  readonly buildUrl?: string;
  readonly breakGlass?: boolean;
  readonly reason?: string;
  readonly dryRun?: boolean;
  readonly wait: boolean;
}

/** The options every changing command shares. */
export function addReleaseOptions(cmd: Command): Command {
  return cmd
    .option('--actor <name>', 'who is releasing (defaults to the OS user; Jenkins passes the build user)')
    .option('--approver <name>', 'who approved (required for prod; must not be the actor)')
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
    actor: opts.actor ?? releaseRuntime().defaultActor(ctx.env),
    approver: opts.approver ?? null,
    buildUrl: opts.buildUrl ?? null,
    breakGlass: opts.breakGlass ?? false,
    reason: opts.reason ?? null,
    dryRun: opts.dryRun ?? false,
    wait: opts.wait,
  };
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

export async function runRelease(ctx: CliContext, cmd: Command, req: ReleaseRequest): Promise<void> {
  const { output } = cmd.optsWithGlobals<GlobalOptions>();
  const { release, validateRequest } = releaseEngine();
  const { runtimeDeps } = releaseRuntime();
  const platform = ctx.platform();
  validateRequest({ platform }, req);
  const deps = await runtimeDeps({
    env: ctx.env,
    platform,
    log: (line: string) => ctx.io.stderr(line + '\n'),
    actor: req.actor,
    annotations: await annotationSink(ctx),
  });
  try {
    const result = await release(deps, req);
    printRelease(ctx.io, output, result);
  } catch (err) {
    const attached =
      (err as { result?: ReleaseResult; plan?: ReleasePlan }).result ?? (err as { plan?: ReleasePlan }).plan;
    const verdicts = (err as { verdicts?: unknown }).verdicts;
    if (attached) printRelease(ctx.io, output, attached);
    // Machines get the refusal as data too; people read it on stderr.
    else if (output === 'json' && verdicts) printJson(ctx.io, { refused: true, gates: verdicts });
    throw err;
  }
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
  if ('taskDefinition' in r && r.taskDefinition) lines.push(`  task definition: ${r.taskDefinition}`);
  if ('ledger' in r && r.ledger.length > 0)
    lines.push(`  ledger records: ${r.ledger.map((s) => `#${s}`).join(', ')}`);
  if ('settled' in r && r.settled.length > 0)
    lines.push(`  settled crashed runs: ${r.settled.map((s) => `#${s}`).join(', ')}`);
  io.stdout(lines.join('\n') + '\n\nGates:\n');
  io.stdout(
    renderTable(
      ['', 'GATE', 'DETAIL'],
      r.gates.map((g) => [g.ok ? '[OK]' : '[NG]', g.gate, g.detail]),
    ),
  );
  if (r.taskDefinitionDiff.length > 0)
    io.stdout(`\nTask definition change:\n${r.taskDefinitionDiff.map((l) => `  ${l}`).join('\n')}\n`);
  if ('notifications' in r && r.notifications.length > 0) {
    io.stdout(
      `\nNotifications:\n${r.notifications.map((n) => `  ${n.channel}: ${n.status} (${n.detail})`).join('\n')}\n`,
    );
  }
}
