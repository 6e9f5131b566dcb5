/** `tdr task run`: a one-off task (migrations, reference data, exports) at a release version. */
import { Option, type Command } from 'commander';
import type { TaskRunResult } from '../pipelines/release/strategies/ecs-task-run';
import type { CliContext, GlobalOptions } from './context';
import { catalogueOption, envOption } from './context';
import {
  RunFailedError,
  actorOf,
  engine,
  identifiedActor,
  parseBuildVersion,
  printOverrides,
  releaseDeps,
} from './release-wiring';
import { printJson, type Io } from './output';

interface TaskRunOpts {
  readonly task: string;
  readonly env: string;
  readonly version: string;
  readonly actor?: string;
  readonly buildUrl?: string;
  readonly dryRun?: boolean;
  readonly wait: boolean;
  readonly input: string[];
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

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
    .requiredOption(
      '--version <version>',
      'release version (an immutable ECR tag such as v42) or a branch build (branch-<name>-<sha7>, intg only)',
      parseBuildVersion,
    )
    .option(
      '--actor <name>',
      'a display name for who runs it (Jenkins passes the build user); who acts is the AWS identity',
    )
    .option(
      '--input <KEY=VALUE>',
      'an input the task declares in the catalogue (repeatable), passed as its container environment',
      collect,
      [],
    )
    .option('--build-url <url>', 'the Jenkins build that ran this (recorded)')
    .option('--dry-run', 'print the plan (digest, task-definition change, network); change nothing')
    .addOption(new Option('--no-wait', 'return once ECS has accepted the task; the ledger says "running"'))
    .addHelpText(
      'after',
      '\nExit 0 when the essential container exited 0, 1 otherwise; 3 if the version is not in ECR;\n4 while another run of the task in that environment holds the lease or its task still runs.\n\nExamples:\n  $ tdr task run --task consignment-api-data --env intg --version v42\n  $ tdr task run --task keycloak-update --env prod --version v7 --dry-run\n  $ tdr task run --task consignment-export --env intg --version v3 --input consignmentId=<uuid>',
    )
    .action(async (opts: TaskRunOpts, cmd: Command) => {
      const { output } = cmd.optsWithGlobals<GlobalOptions>();
      const { runTask, validateTaskRun } = engine.taskRun();
      const req = {
        task: opts.task,
        env: opts.env,
        version: opts.version,
        actor: actorOf(ctx, opts.actor),
        buildUrl: opts.buildUrl ?? null,
        dryRun: opts.dryRun ?? false,
        wait: opts.wait,
        inputs: opts.input,
      };
      validateTaskRun({ platform: ctx.platform() }, req);
      printOverrides(ctx, ctx.platform().overrides);
      const deps = await releaseDeps(ctx, req.actor, { notify: true });
      const { result, failure } = await runTask(deps, {
        ...req,
        actor: await identifiedActor(deps, req.actor),
      });
      printTaskRun(ctx.io, output, result);
      if (failure) throw new RunFailedError(failure);
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
  const inputs = Object.entries(r.inputs ?? {});
  if (inputs.length > 0) lines.push(`  inputs:  ${inputs.map(([k, v]) => `${k}=${String(v)}`).join(' ')}`);
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
