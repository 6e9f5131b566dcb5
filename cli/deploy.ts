/** `tdr deploy`: the release engine's entry for Jenkins after each merged build. */
import type { Command } from 'commander';
import type { CliContext } from './context';
import { envOption, serviceOption } from './context';
import {
  addReleaseOptions,
  parseBuildVersion,
  parseGitCommit,
  requestFrom,
  runRelease,
  type ReleaseOpts,
} from './release-wiring';

export function register(program: Command, ctx: CliContext): void {
  const cmd = program
    .command('deploy')
    .description(
      'deploy a version (an ECR tag in mgmt, resolved to its digest) to an environment fed by the build',
    )
    .addOption(serviceOption(ctx, ['service', 'lambda']))
    .addOption(envOption(ctx).makeOptionMandatory())
    .requiredOption(
      '--version <version>',
      'release version (an immutable ECR tag such as v42) or a branch build (branch-<name>-<sha7>, intg only)',
      parseBuildVersion,
    )
    .option(
      '--git-commit <sha>',
      'git commit the version was built from (recorded; an empty value is none)',
      parseGitCommit,
    );
  addReleaseOptions(cmd).addHelpText(
    'after',
    '\nExamples:\n  $ tdr deploy --service frontend --env intg --version v42 --build-url "$BUILD_URL"\n  $ tdr deploy --service frontend --env intg --version v42 --dry-run\n  $ tdr deploy --service frontend --env intg --version branch-fix-upload-limit-1a2b3c4   # a branch build: intg only',
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
