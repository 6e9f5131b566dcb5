#!/usr/bin/env node
/**
 * `tdr`: the platform's command line. One thin file per command registers itself here; heavy
 * modules (AWS SDK, Pulumi) are imported inside actions so that `tdr --help` starts fast.
 */
// Before every other import: on an older Node, one line saying why (exit 2), not a dependency's failure.
import { refuseUnsupportedNode } from './node-version';
if (require.main === module) refuseUnsupportedNode();
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { loadPlatform, type Platform } from '../services/config';
import { redactUrls } from '../services/redact';
import { credentialsErrorOf } from '../pipelines/release/errors';
import { EXIT_CODES_HELP, type CliContext, type Interrupts } from './context';
import { EXIT_CODE_OF_SIGNAL, ExitCode, exitCodeOf } from './exit-codes';
import { OUTPUT_FORMATS, processIo, type Io } from './output';
import * as envs from './envs';
import * as services from './services';
import * as deploy from './deploy';
import * as promote from './promote';
import * as approve from './approve';
import * as reject from './reject';
import * as train from './train';
import * as rollback from './rollback';
import * as status from './status';
import * as history from './history';
import * as ledger from './ledger';
import * as lease from './lease';
import * as verify from './verify';
import * as check from './check';
import * as task from './task';
import * as maintenance from './maintenance';
import * as sandbox from './sandbox';
import * as dashboards from './dashboards';
import * as jobs from './jobs';
import * as synth from './synth';
import * as bootstrap from './bootstrap';
import * as preflight from './preflight';
import * as report from './report';
import * as canary from './canary';

const COMMANDS: ReadonlyArray<{ register: (program: Command, ctx: CliContext) => void }> = [
  envs,
  services,
  deploy,
  promote,
  approve,
  reject,
  train,
  rollback,
  status,
  history,
  ledger,
  lease,
  verify,
  check,
  task,
  maintenance,
  sandbox,
  dashboards,
  jobs,
  synth,
  bootstrap,
  preflight,
  report,
  canary,
];

export function buildProgram(ctx: CliContext): Command {
  const program = new Command('tdr')
    .description('TDR platform: accounts, services, releases, Jenkins jobs and dashboards')
    .version(version(), '-V, --version')
    .addOption(new Option('-o, --output <format>', 'output format').choices(OUTPUT_FORMATS).default('table'))
    .showHelpAfterError('(run with --help for usage)')
    .showSuggestionAfterError()
    .exitOverride()
    .configureOutput({ writeOut: ctx.io.stdout, writeErr: ctx.io.stderr })
    .addHelpText('after', EXIT_CODES_HELP);
  program.command('help [command]', { hidden: true }).action((name?: string) => {
    (name ? (program.commands.find((c) => c.name() === name) ?? program) : program).outputHelp();
  });
  for (const command of COMMANDS) command.register(program, ctx);
  // `tdr deploy --version v42` must reach deploy, not print tdr's version: program options are
  // read only before the subcommand, and every subcommand accepts -o itself, handed up to the
  // program's option (optsWithGlobals lets globals win) so both `tdr -o json x` and `tdr x -o json` work.
  program.enablePositionalOptions();
  acceptOutputOption(program.commands);
  program.hook('preAction', (_program, action) => {
    // A parent command (`check` in `tdr check record -o json`) may have consumed the option.
    for (let c: Command | null = action; c && c !== program; c = c.parent) {
      const local: unknown = c.getOptionValue('output');
      if (local !== undefined) {
        program.setOptionValue('output', local);
        return;
      }
    }
  });
  return program;
}

function acceptOutputOption(commands: readonly Command[]): void {
  for (const c of commands) {
    if (!c.options.some((o) => o.long === '--output')) {
      c.addOption(new Option('-o, --output <format>', 'output format').choices(OUTPUT_FORMATS));
    }
    acceptOutputOption(c.commands);
  }
}

/** Runs `tdr` with `argv` (without node and script) and returns the exit code. */
export async function run(
  argv: readonly string[],
  io: Io = processIo,
  env = process.env,
  interrupts?: Interrupts,
): Promise<number> {
  let platform: Platform | undefined;
  const ctx: CliContext = { io, env, platform: () => (platform ??= loadPlatform(env)), interrupts };
  let program: Command | undefined;
  try {
    program = buildProgram(ctx);
    if (argv.length === 0) {
      program.outputHelp();
      return ExitCode.ok;
    }
    // `tdr promte --version v3` must not reach the program's own --version (exit 0 printing
    // tdr's version): a first word that is no command is an error, whatever follows it.
    const first = argv[0];
    if (
      first !== undefined &&
      !first.startsWith('-') &&
      !program.commands.some((c) => c.name() === first || c.aliases().includes(first))
    )
      program.error(`error: unknown command '${first}'`, {
        code: 'commander.unknownCommand',
        exitCode: ExitCode.invalidInput,
      });
    await program.parseAsync([...argv], { from: 'user' });
    // Asked to stop, a run that then finished still exits as interrupted: the caller aborted it.
    const stopped: unknown = interrupts?.signal.aborted ? interrupts.signal.reason : undefined;
    if (stopped === 'SIGINT' || stopped === 'SIGTERM') return EXIT_CODE_OF_SIGNAL[stopped];
    return ExitCode.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version "errors" are how commander stops after printing them.
      if (['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(err.code))
        return ExitCode.ok;
      if (err.code === 'commander.unknownCommand' && program) {
        io.stderr(
          `valid commands: ${program.commands
            .filter((c) => !c.name().startsWith('help'))
            .map((c) => c.name())
            .join(', ')}\n`,
        );
      }
      return ExitCode.invalidInput;
    }
    // Missing or expired AWS credentials are configuration (exit 2), said in one line with what to do.
    const shown = credentialsErrorOf(err) ?? err;
    // A URL in an error may carry a secret (a webhook's path, a token): the host at most.
    io.stderr(`error: ${redactUrls(shown instanceof Error ? shown.message : String(shown))}\n`);
    return exitCodeOf(shown);
  }
}

function version(): string {
  // cli/main.ts runs one level below package.json, build/cli/main.js two.
  for (const dir of [join(__dirname, '..'), join(__dirname, '..', '..')]) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  }
  return '0.0.0';
}

/**
 * SIGINT/SIGTERM (a Jenkins abort): a release finishes the call in flight, records what is known,
 * releases its lease and exits 130/143; anything else, or a second signal, exits at once.
 */
function processInterrupts(): Interrupts {
  const controller = new AbortController();
  let graceful = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (!graceful || controller.signal.aborted) process.exit(EXIT_CODE_OF_SIGNAL[signal]);
      process.stderr.write(
        `${signal}: stopping after the current call (the run is recorded, the lease released)\n`,
      );
      controller.abort(signal);
    });
  }
  return { signal: controller.signal, graceful: () => void (graceful = true) };
}

if (require.main === module) {
  run(process.argv.slice(2), processIo, process.env, processInterrupts()).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`internal error: ${String(err)}\n`);
      process.exitCode = ExitCode.failed;
    },
  );
}
