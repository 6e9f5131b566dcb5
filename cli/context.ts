import { Option } from 'commander';
import type { Platform } from '../services/config';
import { ExitCode } from './exit-codes';
import type { Io, OutputFormat } from './output';

/** What every command gets: where to write, the process environment, and the platform model. */
export interface CliContext {
  readonly io: Io;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The validated model; loaded on first use so that `--help` stays fast. */
  readonly platform: () => Platform;
}

export interface GlobalOptions {
  readonly output: OutputFormat;
}

/** An option whose value must be one of the catalogue's services (exit 2 listing them otherwise). */
export function serviceOption(
  ctx: CliContext,
  kinds: ReadonlyArray<'service' | 'task'> = ['service'],
): Option {
  const names = Object.entries(ctx.platform().catalogue)
    .filter(([, e]) => kinds.includes(e.kind))
    .map(([n]) => n);
  return new Option('--service <service>', `catalogue ${kinds.join(' or ')}`)
    .choices(names)
    .makeOptionMandatory();
}

/** An option whose value must be an environment of the model, optionally only workload ones. */
export function envOption(ctx: CliContext, flag = '--env <env>', workloadOnly = true): Option {
  const names = Object.values(ctx.platform().environments)
    .filter((e) => !workloadOnly || e.kind === 'workload')
    .map((e) => e.name);
  return new Option(flag, 'environment').choices(names);
}

export const EXIT_CODES_HELP = `
Exit codes:
  ${ExitCode.ok}  done
  ${ExitCode.failed}  the operation failed (e.g. deployment failed and was rolled back)
  ${ExitCode.invalidInput}  invalid input or configuration: nothing was called, nothing changed
  ${ExitCode.refusedByGate}  refused by a promotion gate (order, soak, approval, freeze)
  ${ExitCode.conflict}  conflict: another release of this service in this environment holds the lease`;
