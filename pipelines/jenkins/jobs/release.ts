/**
 * The release jobs of one environment on the promotion path: deploy (fed by the build) or
 * promote, and rollback, for every catalogue service, plus the e2e job when a later
 * environment's promotion depends on this one's results.
 */
import type { EnvironmentName } from '../../../services/environments';
import type { Contribution, JobContext } from './context';
import { deployJobs } from './deploy';
import { e2eJob, feedsAnother } from './e2e';
import { promoteJobs } from './promote';
import { rollbackJobs } from './rollback';

export function releaseJobs(ctx: JobContext, target: EnvironmentName): Contribution[] {
  const promotion = ctx.platform.environments[target].promotion;
  if (!promotion) return [];
  const e2e = feedsAnother(ctx, target) ? e2eJob(ctx, target) : null;
  const release =
    promotion.source === 'build'
      ? deployJobs(ctx, target, e2e?.path ?? null)
      : promoteJobs(ctx, target, e2e?.path ?? null);
  const rollback = rollbackJobs(ctx, target);
  return [
    e2e ? { pipelines: [e2e.pipeline], jobs: [e2e.job] } : {},
    { pipelines: [release.pipeline, rollback.pipeline] },
    ...ctx.services.map((service) => ({
      folders: [{ path: `${target}/${service}`, description: `Releases of ${service} in ${target}` }],
      jobs: [release.job(service), rollback.job(service)],
    })),
  ];
}
