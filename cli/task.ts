/** `tdr task run`: a one-off task (migrations, reference data, exports) at a release version. */
import { Option, type Command } from 'commander';
import type { TaskRunResult } from '../pipelines/release/task';
import type { CliContext, GlobalOptions } from './context';
import { catalogueOption, envOption } from './context';
import { annotationSink, parseVersion, releaseRuntime } from './deploy';
import { printJson, type Io } from './output';

function taskEngine(): typeof import('../pipelines/release/task') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../pipelines/release/task') as typeof import('../pipelines/release/task');
}

interface TaskRunOpts {
  readonly task: string;
  readonly env: string;
  readonly version: string;
  readonly actor?: string;
  readonly buildUrl?: string;
  readonly dryRun?: boolean;
  readonly wait: boolean;
}

export function register(program: Command, ctx: CliContext): void {
  // Positional, so that `-o json` after `run` is run's (and so the program's), not `task`'s.
  const task = program
    .command('task')
    .description('one-off ECS tasks of the catalogue')
    .enablePositionalOptions();
  task
    .command('run')
    .description(
      'run a one-off task at a version (an ECR tag in mgmt, pinned by digest) and wait for its exit code',
    )
    .addOption(
      catalogueOption(ctx, '--task <task>', 'catalogue one-off task', ['task']).makeOptionMandatory(),
    )
    .addOption(envOption(ctx).makeOptionMandatory())
    .requiredOption('--version <version>', 'release version, an immutable ECR tag such as v42', parseVersion)
    .option('--actor <name>', 'who is running it (defaults to the OS user; Jenkins passes the build user)')
    .option('--build-url <url>', 'the Jenkins build that ran this (recorded)')
    .option('--dry-run', 'print the plan (digest, task-definition change, network); change nothing')
    .addOption(new Option('--no-wait', 'return once ECS has accepted the task; the ledger says "running"'))
    .addHelpText(
      'after',
      '\nExit 0 when the essential container exited 0, 1 otherwise; 3 if the version is not in ECR;\n4 while another run of the task in that environment holds the lease or its task still runs.\n\nExamples:\n  $ tdr task run --task consignment-api-data --env intg --version v42\n  $ tdr task run --task keycloak-update --env prod --version v7 --dry-run',
    )
    .action(async (opts: TaskRunOpts, cmd: Command) => {
      const { output } = cmd.optsWithGlobals<GlobalOptions>();
      const { runTask, validateTaskRun } = taskEngine();
      const runtime = releaseRuntime();
      const platform = ctx.platform();
      const req = {
        task: opts.task,
        env: opts.env,
        version: opts.version,
        actor: opts.actor ?? runtime.defaultActor(ctx.env),
        buildUrl: opts.buildUrl ?? null,
        dryRun: opts.dryRun ?? false,
        wait: opts.wait,
      };
      validateTaskRun({ platform }, req);
      const deps = await runtime.runtimeDeps({
        env: ctx.env,
        platform,
        log: (line: string) => ctx.io.stderr(line + '\n'),
        actor: req.actor,
        annotations: await annotationSink(ctx),
      });
      try {
        printTaskRun(ctx.io, output, await runTask(deps, req));
      } catch (err) {
        const result = (err as { result?: TaskRunResult }).result;
        if (result) printTaskRun(ctx.io, output, result);
        throw err;
      }
    });
}

export function printTaskRun(io: Io, output: string, r: TaskRunResult): void {
  if (output === 'json') {
    printJson(io, r);
    return;
  }
  const lines = [
    `task-run ${r.task} ${r.version} in ${r.env}: ${r.outcome}`,
    `  image:   ${r.image}`,
    `  from:    ${r.taskDefinitionBefore}`,
    `  network: ${r.network}`,
  ];
  if (r.taskDefinition) lines.push(`  task definition: ${r.taskDefinition}`);
  if (r.taskArn) lines.push(`  task: ${r.taskArn}`);
  if (r.exitCode !== null) lines.push(`  exit code: ${r.exitCode}`);
  if (r.stopCode || r.stopReason)
    lines.push(`  stopped: ${[r.stopCode, r.stopReason].filter(Boolean).join(': ')}`);
  if (r.detail) lines.push(`  detail: ${r.detail}`);
  if (r.ledger.length > 0) lines.push(`  ledger records: ${r.ledger.map((s) => `#${s}`).join(', ')}`);
  if (r.taskDefinitionDiff.length > 0)
    lines.push('', 'Task definition change:', ...r.taskDefinitionDiff.map((l) => `  ${l}`));
  io.stdout(lines.join('\n') + '\n');
}
