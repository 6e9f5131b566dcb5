/**
 * How `tdr sandbox demo` tells each step (./demo.ts is the story): its headline, the `tdr` command
 * that does the same, what happened in one line, then the status that shows it. A refusal the
 * story expects is told with the exit code `tdr` would give, and the story goes on.
 */
import type { FunctionStatusRow } from '../pipelines/release/reads/function-status';
import type { MaintenanceStatus } from '../pipelines/release/reads/maintenance-status';
import type { ReleaseRequest } from '../pipelines/release/saga/request';
import { ReleaseFailedError } from '../pipelines/release/errors';
import type { Finished } from '../pipelines/release/saga/saga';
import type { StatusRow } from '../pipelines/release/reads/status';

export interface DemoIo {
  /** A step's headline and what happened. */
  readonly say: (text: string) => void;
  readonly showStatus: (rows: readonly StatusRow[]) => void;
  readonly showFunctionStatus: (rows: readonly FunctionStatusRow[]) => void;
  /** The environments in maintenance (and any drift); nothing for one that simply is not. */
  readonly showMaintenance: (rows: readonly MaintenanceStatus[]) => void;
  /** The exit number `tdr` would give for an error: only cli/ knows them. */
  readonly exitCodeOf: (err: unknown) => number;
}

export interface Step<R> {
  readonly title: string;
  /** The equivalent command line, without the leading `tdr`. */
  readonly command: string;
  readonly run: () => Promise<Finished<R>>;
  /** What happened, in one line. */
  readonly outcome: (result: R) => string;
  /** What status shows afterwards. */
  readonly show: () => Promise<void>;
  /** A refusal is part of the story: told, status shown, and the story goes on. */
  readonly expectRefusal?: boolean;
}

/** Tells one step; its result, or undefined for an expected refusal. Any other failure stops the story. */
export async function tell<R>(io: DemoIo, step: Step<R>): Promise<R | undefined> {
  io.say(`\n== ${step.title}\n$ tdr ${step.command}`);
  try {
    const { result, failure } = await step.run();
    if (failure) throw new ReleaseFailedError(failure);
    io.say(`→ ${step.outcome(result)}`);
    await step.show();
    return result;
  } catch (err) {
    io.say(`→ exit ${io.exitCodeOf(err)}: ${(err as Error).message}`);
    if (!step.expectRefusal) throw err;
    await step.show();
    return undefined;
  }
}

/** `#3, #4`: the ledger records a run wrote. */
export function ledgerSeqs(seqs: readonly number[]): string {
  return seqs.map((s) => `#${s}`).join(', ');
}

/** The `tdr deploy|promote|rollback` line that makes the same request, service or function. */
export function commandLine(r: ReleaseRequest): string {
  const parts: string[] = [
    r.action,
    `--service ${r.service}`,
    r.action === 'promote' ? `--to ${r.env}` : `--env ${r.env}`,
  ];
  if (r.version) parts.push(r.action === 'rollback' ? `--to ${r.version}` : `--version ${r.version}`);
  parts.push(`--actor ${r.actor}`);
  if (r.breakGlass) parts.push(`--break-glass --reason "${r.reason}"`);
  return parts.join(' ');
}
