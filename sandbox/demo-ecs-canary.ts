/**
 * The demo's ECS canaries in prod (./demo-canary.ts runs them with the function canaries): a
 * service promoted to prod, where the model's delivery is a canary after an approval pause. moto
 * runs no ECS deployment stages, so the stages come from the platform's stand-in of ECS's
 * service-deployment lifecycle (./ecs-deployments.ts) in front of moto (./ecs-canary-world.ts), and
 * the output says so. The judge is the engine's own, over the target groups' metrics in moto's
 * CloudWatch: a healthy revision passes and takes all the traffic; one whose canary answers a fifth
 * of its requests with 5xx is judged fail at the end of the canary step, and the engine stops the
 * deployment with ROLLBACK before the rest of the traffic moves.
 */
import { deliveryStrategy, entryOfKind } from '../services/queries';
import { approve } from '../pipelines/release/admin/approve';
import { recordCheck } from '../pipelines/release/admin/check';
import { ledgerOf, type ReleaseDeps } from '../pipelines/release/saga/context';
import { inFreezeWindow } from '../pipelines/release/saga/gates';
import type { ReleaseRequest } from '../pipelines/release/saga/request';
import type { DeploymentStage } from '../pipelines/release/ledger/ledger';
import { releaseService } from '../pipelines/release/strategies/ecs-service-rollout';
import { continueHeldRelease } from '../pipelines/release/strategies/ecs-progressive-run';
import type { CanaryDemo, StoryTime } from './demo-canary';
import { commandLine, ledgerSeqs, tell, type DemoIo } from './demo-steps';
import {
  EcsCanaryWorld,
  HEALTHY_TARGET,
  deploymentConfigurationOf,
  type TargetBehaviour,
} from './ecs-canary-world';

/** The service the ECS canaries release (not the story's frontend, whose prod runs rolling on moto). */
export const DEMO_CANARY_SERVICE = 'consignmentapi';
/** A canary that answers a fifth of its requests with 5xx: what the judge must catch. */
export const FIVE_XX_BURST: TargetBehaviour = { errorRate: 0.2, responseSeconds: 0.2 };
/** Requests a minute: the canary's tenth is well over the judge's minimum of 100. */
export const DEMO_REQUESTS_PER_MINUTE = 3000;

/** The two ECS canaries (empty when the catalogue or prod's delivery has none to show). */
export function ecsCanaryStory(platform: ReleaseDeps['platform']): CanaryDemo[] {
  const service = DEMO_CANARY_SERVICE;
  const strategy = entryOfKind(platform.catalogue, service, 'service')
    ? deliveryStrategy(platform, service, 'prod')
    : undefined;
  if (!strategy || strategy.kind === 'rolling') return [];
  let world: EcsCanaryWorld | undefined;
  const worldFor = async (deps: ReleaseDeps, time: StoryTime) =>
    (world ??= await EcsCanaryWorld.create(deps, {
      service,
      env: 'prod',
      config: deploymentConfigurationOf(strategy, service, 'prod'),
      perMinute: DEMO_REQUESTS_PER_MINUTE,
      startMs: Math.max(time.ms ?? 0, deps.now().getTime()),
    }));
  const canary =
    (version: string, behaviour: TargetBehaviour, rolledBack: boolean): CanaryDemo['run'] =>
    async (deps, io, approver, time) => {
      if (!world) io.say(STAND_IN_NOTE);
      const w = await worldFor(deps, time);
      w.canary = behaviour;
      await ecsCanary(w, deps, io, approver, service, version, rolledBack);
      time.ms = w.now().getTime();
    };
  return [
    {
      title: `Prod takes ${service} v2 as an ECS canary: a healthy revision passes`,
      rolledBack: false,
      run: canary('v2', HEALTHY_TARGET, false),
    },
    {
      title: `${service} v3 answers a fifth of its requests with 5xx: the judge fails it, ECS rolls it back`,
      rolledBack: true,
      run: canary('v3', FIVE_XX_BURST, true),
    },
  ];
}

/** One line: where the stages come from, said before the first ECS canary. */
export const STAND_IN_NOTE =
  '(moto runs no ECS deployment stages: the stages below come from the platform stand-in of ' +
  "ECS's service-deployment lifecycle, sandbox/ecs-deployments.ts, not from ECS. The judge reads " +
  "the target groups' metrics from moto's CloudWatch.)";

async function ecsCanary(
  w: EcsCanaryWorld,
  deps: ReleaseDeps,
  io: DemoIo,
  approver: ReleaseDeps,
  service: string,
  version: string,
  expectRollback: boolean,
): Promise<void> {
  const bob = w.wrap(deps);
  const alice = w.wrap(approver);
  io.say(await throughStaging(bob, service, version));
  const frozen = (deps.platform.environments.prod.promotion?.freezeWindows ?? []).some((f) =>
    inFreezeWindow(f, bob.now()),
  );
  const req: ReleaseRequest = {
    action: 'promote',
    service,
    env: 'prod',
    actor: 'bob',
    ...(frozen ? { breakGlass: true, reason: 'sandbox demo run during a freeze window' } : {}),
  };
  io.say(`$ tdr ${commandLine(req)}`);
  const { result } = await releaseService(bob, req);
  io.say(`→ ${result.outcome}: ${result.detail ?? ''}`);
  if (!result.awaitingApproval) return;
  io.say(`  ${stageLine(result.stages ?? [])}`);

  await tell(io, {
    title: `Alice, one of prod's approvers, has tried ${version} on the test listener and approves: ECS continues`,
    command: `approve --service ${service} --env prod`,
    run: async () => {
      const approval = await approve(alice, { service, env: 'prod' });
      return continueHeldRelease(alice, { service, env: 'prod', actor: approval.approver }, approval);
    },
    outcome: (r) => `${r.outcome} (ledger ${ledgerSeqs(r.ledger)})${r.detail ? `: ${r.detail}` : ''}`,
    show: () => showCourse(bob, io, service),
    expectRefusal: expectRollback,
  });
}

/** Deploy to intg, promote to staging, e2e passed there: one line saying so, with the ledger records. */
async function throughStaging(deps: ReleaseDeps, service: string, version: string): Promise<string> {
  const run = async (req: ReleaseRequest) => {
    const { result, failure } = await releaseService(deps, req);
    if (failure) throw new Error(failure);
    return ledgerSeqs(result.ledger);
  };
  const intg = await run({ action: 'deploy', service, env: 'intg', version, actor: 'jenkins' });
  const staging = await run({ action: 'promote', service, env: 'staging', actor: 'bob' });
  const check = await recordCheck(deps, {
    service,
    env: 'staging',
    version,
    name: 'e2e',
    result: 'passed',
    actor: 'jenkins',
    url: null,
  });
  return `(${service} ${version} deployed to intg, ledger ${intg}; promoted to staging, ledger ${staging}; e2e passed there, #${check.seq})`;
}

/** `PRE_SCALE_UP → SCALE_UP → …`: the stages in order, each once, with the split where it moved. */
function stageLine(stages: readonly DeploymentStage[]): string {
  const names: string[] = [];
  for (const s of stages) {
    // Entering the shift, before any production traffic has moved: no step to show.
    if (s.stage === 'PRODUCTION_TRAFFIC_SHIFT' && s.production === 0 && s.status === 'IN_PROGRESS') continue;
    const split = s.stage === 'PRODUCTION_TRAFFIC_SHIFT' && s.production !== null ? ` ${s.production}%` : '';
    const how = s.awaitingApproval
      ? ' (paused for approval)'
      : s.status !== 'IN_PROGRESS' && s.status !== 'SUCCESSFUL'
        ? ` (${s.status})`
        : '';
    const name = `${s.stage}${split}${how}`;
    if (names.at(-1) !== name) names.push(name);
  }
  return `stages (stand-in): ${names.join(' → ')}`;
}

/** The run as the ledger holds it: the stages, and each judgement with its checks. */
async function showCourse(deps: ReleaseDeps, io: DemoIo, service: string): Promise<void> {
  const last = (await ledgerOf(deps).records(service, 'prod')).at(-1);
  if (last?.kind !== 'release') return;
  const stages = last.stages ?? [];
  const judged = stages.filter((s) => s.judgement);
  io.say(
    [
      `ledger #${last.seq} (${last.outcome})${last.rolledBackBy?.length ? `, rolled back by ${last.rolledBackBy.join(', ')}` : ''}`,
      `  ${stageLine(stages)}`,
      ...judged.flatMap((s) => {
        const checks = (
          s.judgement?.evidence as {
            checks?: Array<{ check: string; verdict: string; reason: string }>;
          } | null
        )?.checks;
        return [
          `  judged at ${s.production}%: ${s.judgement?.verdict}`,
          ...(checks ?? []).map((c) => `    ${c.check}: ${c.verdict} (${c.reason})`),
        ];
      }),
    ].join('\n'),
  );
}
