import { statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { CliContext, GlobalOptions } from './context';
import { UsageError } from './exit-codes';
import { printJson, renderTable } from './output';

export function register(program: Command, ctx: CliContext): void {
  const jobs = program
    .command('jobs')
    .description('Jenkins as code: jobs, pipelines and the controller config');
  jobs
    .command('list')
    .description('every job the seed creates: where it runs, who may start it, who approves')
    .addHelpText(
      'after',
      '\nExamples:\n  $ tdr jobs list\n  $ tdr jobs list -o json | jq \'.[] | select(.environment == "prod")\'',
    )
    .action((_opts, cmd: Command) => {
      const { output } = cmd.optsWithGlobals<GlobalOptions>();
      const { allSteps, buildJenkinsModel } = jenkins();
      const model = buildJenkinsModel(ctx.platform());
      const pipelines = new Map(model.pipelines.map((p) => [p.id, p]));
      const rows = model.jobs.map((j) => {
        const p = j.pipeline ? pipelines.get(j.pipeline) : undefined;
        const steps = p ? allSteps(p) : [];
        const approval = steps.find((s) => s.kind === 'approval');
        return {
          path: j.path,
          kind: j.kind,
          environment: j.environment,
          agent: model.agents.find((a) => a.environment === j.environment)?.label ?? null,
          runnableBy: j.runnableBy,
          approvedBy: approval?.kind === 'approval' ? approval.group : null,
          locked: steps.some((s) => s.kind === 'lock'),
          triggers: j.triggers.map((t) => t.kind),
        };
      });
      if (output === 'json') {
        printJson(ctx.io, rows);
        return;
      }
      ctx.io.stdout(
        renderTable(
          ['JOB', 'KIND', 'AGENT', 'RUN BY', 'APPROVED BY', 'LOCK', 'STARTED BY'],
          rows.map((r) => [
            r.path,
            r.kind,
            r.agent,
            r.runnableBy.join(','),
            r.approvedBy,
            r.locked ? 'yes' : null,
            r.triggers.length > 0 ? r.triggers.join(',') : 'people',
          ]),
        ),
      );
    });
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
      const { buildJenkins, buildJenkinsModel, renderRootJenkinsfile } = jenkins();
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

/** Loaded when a jobs command runs: the renderers pull in `yaml`, which `tdr --help` does not need. */
function jenkins(): typeof import('../pipelines/jenkins') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../pipelines/jenkins') as typeof import('../pipelines/jenkins');
}
