/**
 * Waiting for a rollout: steady state is AWS's own definition (`waitUntilServicesStable`: one
 * deployment, running = desired), plus the service still pointing at the revision we deployed.
 * Failure is the rollout state FAILED, the circuit breaker moving the service to another
 * revision, the service disappearing, or the timeout.
 */
import { DescribeServicesCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { attempt } from './errors';

export interface WaitOptions {
  readonly timeoutMs: number;
  readonly pollMs: number;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly progress: (p: WaitProgress) => void;
}

export interface WaitProgress {
  readonly elapsedMs: number;
  readonly running: number;
  readonly desired: number;
  readonly deployments: number;
  readonly rolloutState: string;
}

export type WaitResult =
  | { readonly ok: true; readonly elapsedMs: number }
  | { readonly ok: false; readonly reason: string; readonly elapsedMs: number };

export async function waitForSteadyState(
  ecs: ECSClient,
  cluster: string,
  service: string,
  taskDefinitionArn: string,
  opts: WaitOptions,
): Promise<WaitResult> {
  const start = opts.now();
  for (;;) {
    const elapsedMs = opts.now() - start;
    const out = await attempt(`describing ECS service ${service} in cluster ${cluster}`, () =>
      ecs.send(new DescribeServicesCommand({ cluster, services: [service] })),
    );
    const s = out.services?.[0];
    if (!s || s.status === 'INACTIVE' || s.status === 'DRAINING') {
      return { ok: false, reason: `service ${service} is ${s?.status ?? 'missing'}`, elapsedMs };
    }
    const deployments = s.deployments ?? [];
    const primary = deployments.find((d) => d.status === 'PRIMARY');
    const rolloutState = primary?.rolloutState ?? 'UNKNOWN';
    const running = s.runningCount ?? 0;
    const desired = s.desiredCount ?? 0;
    opts.progress({ elapsedMs, running, desired, deployments: deployments.length, rolloutState });

    if (rolloutState === 'FAILED') {
      return {
        ok: false,
        reason: `rollout FAILED: ${primary?.rolloutStateReason ?? 'no reason given'}`,
        elapsedMs,
      };
    }
    if (s.taskDefinition !== taskDefinitionArn) {
      return {
        ok: false,
        reason: `the service moved to ${s.taskDefinition} while we waited (circuit breaker rollback or another deployment)`,
        elapsedMs,
      };
    }
    if (deployments.length === 1 && running === desired) return { ok: true, elapsedMs };
    if (elapsedMs >= opts.timeoutMs) {
      return {
        ok: false,
        reason: `timed out after ${Math.round(elapsedMs / 1000)} s (running ${running}/${desired}, ${deployments.length} deployments, rollout ${rolloutState})`,
        elapsedMs,
      };
    }
    await opts.sleep(Math.min(opts.pollMs, Math.max(0, opts.timeoutMs - elapsedMs)));
  }
}
