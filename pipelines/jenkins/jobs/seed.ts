/** seed: regenerates every job from pipelines/jenkins (on each controller start and each merge to main). */
import { runTdr, tdrJobsBuild } from '../tdr-commands';
import { PLATFORM_JOB, SEED_JOB, type Contribution, type JobContext } from './context';
import { mgmtJob } from './skeleton';

export function seedJob(ctx: JobContext): Contribution {
  const out = ctx.settings.outputDir;
  return mgmtJob(ctx, {
    id: 'seed',
    title: 'Seed jobs',
    stage: 'Generate jobs',
    steps: [runTdr(tdrJobsBuild({ out })), { kind: 'job-dsl', targets: `${out}/seed.groovy` }],
    path: SEED_JOB,
    kind: 'seed',
    description:
      'Recreates every job from pipelines/jenkins: on each controller start and each merge to main',
    triggers: [{ kind: 'upstream', jobs: [PLATFORM_JOB] }],
  });
}
