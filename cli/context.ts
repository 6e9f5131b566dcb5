import { InvalidArgumentError, Option } from 'commander';
import type { Platform } from '../services/config';
import { ledgerSubjects, namesOfKind, workloadEnvironmentNames, type EntryKind } from '../services/queries';
import { ExitCode } from './exit-codes';
import type { Io, OutputFormat } from './output';

/** What every command gets: where to write, the process environment, and the platform model. */
export interface CliContext {
  readonly io: Io;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The validated model; loaded on first use so that `--help` stays fast. */
  readonly platform: () => Platform;
  /** SIGINT/SIGTERM, when run as a process: aborted with the signal's name. */
  readonly interrupts?: Interrupts | undefined;
}

export interface Interrupts {
  readonly signal: AbortSignal;
  /**
   * Called by a command that stops gracefully on the signal (finish the call, record, release
   * the lease); any other command is ended by the signal at once.
   */
  readonly graceful: () => void;
}

export interface GlobalOptions {
  readonly output: OutputFormat;
}

/**
 * An option whose valid values come from the model. Commands are registered before any of them
 * runs, so the model is read only when a value is parsed (or the command's help lists the
 * choices): a broken `TDR_CONFIG` must not stop `tdr --help`, and is reported, exit 2, by the
 * command that needs the model.
 */
export function modelChoiceOption(
  ctx: CliContext,
  flags: string,
  description: string,
  choices: (platform: Platform) => readonly string[],
): Option {
  const valid = (): readonly string[] => choices(ctx.platform());
  const option = new Option(flags, description).argParser((value: string) => {
    const names = valid();
    // The same words as commander's own `.choices()`, which scripts and tests already match.
    if (!names.includes(value)) throw new InvalidArgumentError(`Allowed choices are ${names.join(', ')}.`);
    return value;
  });
  // Help reads `argChoices` when it renders this option's line: list them if the model loads.
  Object.defineProperty(option, 'argChoices', {
    get: (): string[] | undefined => {
      try {
        return [...valid()];
      } catch {
        return undefined;
      }
    },
  });
  return option;
}

/** An option naming a catalogue entry of one of `kinds` (exit 2 listing them otherwise). */
export function catalogueOption(
  ctx: CliContext,
  flags: string,
  description: string,
  kinds: readonly EntryKind[],
): Option {
  return modelChoiceOption(ctx, flags, description, (p) => namesOfKind(p.catalogue, ...kinds));
}

/**
 * `--service` naming anything the ledger keeps records of: a service, function or one-off task of
 * the catalogue, or the maintenance switch.
 */
export function ledgerSubjectOption(ctx: CliContext, description: string): Option {
  return modelChoiceOption(ctx, '--service <service>', description, (p) => ledgerSubjects(p.catalogue));
}

/** A mandatory `--service` naming one of the catalogue's services (or `kinds`). */
export function serviceOption(
  ctx: CliContext,
  kinds: ReadonlyArray<'service' | 'task' | 'lambda'> = ['service'],
): Option {
  return catalogueOption(
    ctx,
    '--service <service>',
    `catalogue ${kinds.map((k) => (k === 'lambda' ? 'function' : k)).join(' or ')}`,
    kinds,
  ).makeOptionMandatory();
}

/** An option whose value must be an environment of the model, optionally only workload ones. */
export function envOption(ctx: CliContext, flag = '--env <env>', workloadOnly = true): Option {
  return modelChoiceOption(ctx, flag, 'environment', (p) =>
    workloadOnly
      ? workloadEnvironmentNames(p.environments)
      : Object.values(p.environments).map((e) => e.name),
  );
}

export const EXIT_CODES_HELP = `
Exit codes:
  ${ExitCode.ok}  done
  ${ExitCode.failed}  the operation failed (e.g. deployment failed and was rolled back)
  ${ExitCode.invalidInput}  invalid input or configuration: nothing was called, nothing changed
  ${ExitCode.refusedByGate}  refused by a promotion gate (order, soak, approval, freeze)
  ${ExitCode.conflict}  conflict: another release of this service in this environment holds the lease,
     or a release train in flight there holds it as a member (the message names the train)
  130/143  stopped by SIGINT/SIGTERM: the call in flight finished, the run recorded, the lease released`;
