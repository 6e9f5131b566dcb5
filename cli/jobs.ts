import { statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { buildJenkins, buildJenkinsModel, renderRootJenkinsfile } from '../pipelines/jenkins';
import type { CliContext, GlobalOptions } from './context';
import { UsageError } from './exit-codes';
import { printJson } from './output';

export function register(program: Command, ctx: CliContext): void {
  const jobs = program
    .command('jobs')
    .description('Jenkins as code: jobs, pipelines and the controller config');
  jobs
    .command('build')
    .description('render the Job DSL seed, the Jenkinsfiles and jenkins.yaml from the platform model')
    .option('--out <dir>', 'directory to write into', 'dist/jenkins')
    .option(
      '--jenkinsfile <file>',
      "also write the platform repository's own Jenkinsfile here (e.g. Jenkinsfile)",
    )
    .addHelpText(
      'after',
      '\nExamples:\n  $ tdr jobs build\n  $ tdr jobs build --out /tmp/jenkins --jenkinsfile Jenkinsfile',
    )
    .action(async (opts: { out: string; jenkinsfile?: string }, cmd: Command) => {
      const { output } = cmd.optsWithGlobals<GlobalOptions>();
      checkOutDir(opts.out);
      const platform = ctx.platform();
      const { files } = await buildJenkins(opts.out, platform);
      if (opts.jenkinsfile) {
        await writeFile(opts.jenkinsfile, renderRootJenkinsfile(buildJenkinsModel(platform)));
        files.push(opts.jenkinsfile);
      }
      if (output === 'json') printJson(ctx.io, { files });
      else ctx.io.stdout(files.map((f) => `${f}\n`).join(''));
      ctx.io.stderr(`wrote ${files.length} files\n`);
    });
}

/** `--out` must name a directory (existing or not); checked before anything is written. */
function checkOutDir(out: string): void {
  if (out.trim() === '') throw new UsageError('--out: give a directory to write into, e.g. dist/jenkins');
  let isFile = false;
  try {
    isFile = !statSync(out).isDirectory();
  } catch {
    return;
  }
  if (isFile)
    throw new UsageError(`--out: ${out} is a file; give a directory to write into, e.g. dist/jenkins`);
}
