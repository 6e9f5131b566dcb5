/**
 * A function canary in the sandbox, as the demo, the bench and the tests run one: the release
 * engine's own dependencies, with a clock whose sleep lets minutes of the alias's traffic happen at
 * once (./lambda-traffic.ts puts them to moto's CloudWatch), and moto's missing percentiles filled
 * in (./moto-percentiles.ts). Everything else (the saga, the judge, GetMetricData, UpdateAlias, the
 * ledger) is the engine's, against moto.
 */
import type { WorkloadEnvironmentName } from '../services/environments';
import { naming } from '../services/naming';
import { Lambda } from '../pipelines/release/aws/lambda';
import type { ReleaseDeps } from '../pipelines/release/saga/context';
import { AliasTraffic, trafficClock, type VersionBehaviour } from './lambda-traffic';
import { withPercentiles } from './moto-percentiles';

export interface CanaryWorld {
  readonly deps: ReleaseDeps;
  readonly traffic: AliasTraffic;
  readonly clock: ReturnType<typeof trafficClock>;
}

export function canaryWorld(
  deps: ReleaseDeps,
  opts: {
    readonly fn: string;
    readonly env: WorkloadEnvironmentName;
    /** Invocations of the alias per minute. */
    readonly perMinute: number;
    /** How each version behaves in the minute that starts at `minute`. */
    readonly behaviour: (version: string, minute: Date) => VersionBehaviour;
    /** Where the clock starts (default the engine's now): after an earlier canary's bake. */
    readonly startMs?: number;
  },
): CanaryWorld {
  const clients = {
    ...deps.clients,
    cloudWatch: (e: Parameters<ReleaseDeps['clients']['cloudWatch']>[0]) =>
      withPercentiles(deps.clients.cloudWatch(e)),
  };
  const traffic = new AliasTraffic(
    new Lambda(deps.clients.lambda(opts.env)),
    clients.cloudWatch(opts.env),
    naming.functionName(opts.fn, opts.env),
    naming.functionAlias(),
    opts.behaviour,
  );
  const clock = trafficClock(opts.startMs ?? deps.now().getTime(), traffic, opts.perMinute);
  return { deps: { ...deps, clients, now: clock.now, sleep: clock.sleep }, traffic, clock };
}

/** A healthy build: no errors, 200 ms. */
export const HEALTHY: VersionBehaviour = { errorRate: 0, durationMs: 200 };
