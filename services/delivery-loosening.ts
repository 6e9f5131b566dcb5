/**
 * Configuration (`TDR_CONFIG`) may not quietly loosen how a release reaches an approval-gated
 * environment (prod) either: its canary, its approval pause on the test listener, its alarm
 * rollback and its bakes are gates as much as the approval is (services/config.ts
 * `loosenedGates` holds the promotion rules; this holds the delivery, per service, since the
 * catalogue may override an environment's strategy). Allowed only against a local sandbox.
 */
import type { DeliveryStrategy, FunctionDelivery } from './delivery';
import { ENVIRONMENT_NAMES, type WorkloadEnvironmentName } from './environments';
import type { ValidationIssue } from './errors';
import { deliveryStrategy, functionDelivery, namesOfKind } from './queries';
import type { PlatformModel } from './validate';

/** What each loosening says, for the strategy in force before and after the configuration. */
function loosenings(before: DeliveryStrategy, after: DeliveryStrategy): string[] {
  const out: string[] = [];
  if (before.kind !== after.kind) out.push(`${before.kind} → ${after.kind}`);
  if (before.alarmRollback && !after.alarmRollback) out.push('drops alarm rollback');
  if (before.kind === 'rolling' || after.kind === 'rolling') return out;
  if (before.approvalPause && !after.approvalPause) out.push('removes the approval pause');
  if (before.testTraffic && !after.testTraffic) out.push('drops test traffic');
  if (after.bakeTimeInMinutes < before.bakeTimeInMinutes)
    out.push(`bakeTimeInMinutes ${before.bakeTimeInMinutes} → ${after.bakeTimeInMinutes}`);
  if (before.kind === 'canary' && after.kind === 'canary') {
    if (after.canaryPercent > before.canaryPercent)
      out.push(`canaryPercent ${before.canaryPercent} → ${after.canaryPercent}`);
    if (after.canaryBakeTimeInMinutes < before.canaryBakeTimeInMinutes)
      out.push(
        `canaryBakeTimeInMinutes ${before.canaryBakeTimeInMinutes} → ${after.canaryBakeTimeInMinutes}`,
      );
  }
  if (before.kind === 'linear' && after.kind === 'linear') {
    if (after.stepPercent > before.stepPercent)
      out.push(`stepPercent ${before.stepPercent} → ${after.stepPercent}`);
    if (after.stepBakeTimeInMinutes < before.stepBakeTimeInMinutes)
      out.push(`stepBakeTimeInMinutes ${before.stepBakeTimeInMinutes} → ${after.stepBakeTimeInMinutes}`);
  }
  return out;
}

/**
 * Every service's delivery into an approval-gated environment that `configured` makes weaker than
 * `defaults`, with the path the change came from (the environment's strategy, or the service's
 * override in the catalogue).
 */
export function loosenedDelivery(defaults: PlatformModel, configured: PlatformModel): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const env of ENVIRONMENT_NAMES) {
    if (!defaults.environments[env].promotion?.approval) continue;
    const name = env as WorkloadEnvironmentName;
    for (const service of namesOfKind(defaults.catalogue, 'service')) {
      const before = deliveryStrategy(defaults, service, name);
      const after = deliveryStrategy(configured, service, name);
      if (!before || !after) continue;
      const loose = loosenings(before, after);
      if (loose.length === 0) continue;
      const own = configured.catalogue[service] as
        { delivery?: Partial<Record<string, unknown>> } | undefined;
      const path = own?.delivery?.[env]
        ? `catalogue.${service}.delivery.${env}`
        : `environments.${env}.delivery`;
      issues.push({
        path,
        message: `${loose.join(', ')} for ${service}: loosens how releases reach ${env}, which needs approval; allowed only against a local sandbox (AWS_ENDPOINT_URL on 127.0.0.1)`,
      });
    }
    for (const fn of namesOfKind(defaults.catalogue, 'lambda')) {
      const before = functionDelivery(defaults, fn, name);
      const after = functionDelivery(configured, fn, name);
      if (!before || !after) continue;
      const loose = functionLoosenings(before, after);
      if (loose.length === 0) continue;
      const own = configured.catalogue[fn] as { delivery?: Partial<Record<string, unknown>> } | undefined;
      issues.push({
        path: own?.delivery?.[env] ? `catalogue.${fn}.delivery.${env}` : `environments.${env}.delivery`,
        message: `${loose.join(', ')} for ${fn}: loosens how releases reach ${env}, which needs approval; allowed only against a local sandbox (AWS_ENDPOINT_URL on 127.0.0.1)`,
      });
    }
  }
  return issues;
}

/** A function's canary is a gate too: dropped, a larger weight or a shorter bake loosens it. */
function functionLoosenings(before: FunctionDelivery, after: FunctionDelivery): string[] {
  if (before.kind !== 'canary') return [];
  if (after.kind !== 'canary') return [`canary → ${after.kind}`];
  const out: string[] = [];
  if (after.weightPercent > before.weightPercent)
    out.push(`weightPercent ${before.weightPercent} → ${after.weightPercent}`);
  if (after.bakeMinutes < before.bakeMinutes)
    out.push(`bakeMinutes ${before.bakeMinutes} → ${after.bakeMinutes}`);
  return out;
}
