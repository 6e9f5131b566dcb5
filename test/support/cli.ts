/** Runs `tdr` in-process, capturing stdout and stderr, for tests of the command line. */
import { run } from '../../cli/main';
import { recordingCommand } from './aws-calls';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function runTdr(
  argv: readonly string[],
  env: Record<string, string | undefined> = process.env,
): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await recordingCommand(argv, env, () =>
    run(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) }, env),
  );
  return { code, stdout, stderr };
}
