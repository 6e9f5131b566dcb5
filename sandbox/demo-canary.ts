/**
 * The demo's canaries in prod (./demo.ts tells the rest): a function release that prod takes as a
 * canary (services/queries.ts `functionDelivery`), once with a healthy build, which passes and
 * moves `live` wholly, and once with a build whose new version fails a fifth of its invocations
 * (an error burst), which the judge fails before the bake ends and `live` moves back. The alias's
 * traffic is put to moto's CloudWatch minute by minute as the bake's clock moves
 * (./canary-world.ts); the rest is the release engine against moto.
 *
 * Each canary is one `CanaryDemo`: ./demo-ecs-canary.ts adds the ECS canaries (a service on the
 * service-deployment stand-in) to the same list.
 */
import { naming } from '../services/naming';
import { approve } from '../pipelines/release/admin/approve';
import { recordCheck } from '../pipelines/release/admin/check';
import { Lambda } from '../pipelines/release/aws/lambda';
import { ledgerOf, type ReleaseDeps } from '../pipelines/release/saga/context';
import { inFreezeWindow } from '../pipelines/release/saga/gates';
import type { ReleaseRequest } from '../pipelines/release/saga/request';
import { releaseFunction } from '../pipelines/release/strategies/lambda-alias-shift';
import { HEALTHY, canaryWorld } from './canary-world';
import { commandLine, ledgerSeqs, tell, type DemoIo } from './demo-steps';
import type { VersionBehaviour } from './lambda-traffic';

/** A new version that fails a fifth of its invocations: what the judge must catch. */
export const ERROR_BURST: VersionBehaviour = { errorRate: 0.2, durationMs: 250 };
/** Invocations of the alias a minute: the canary's share is well over the judge's 100. */
export const DEMO_INVOCATIONS_PER_MINUTE = 2000;

/** The story's clock: each canary's bake starts where the one before ended. */
export interface StoryTime {
  ms?: number;
}

export interface CanaryDemo {
  readonly title: string;
  /** Whether the story expects it rolled back (told with its exit code, and the story goes on). */
  readonly rolledBack: boolean;
  readonly run: (deps: ReleaseDeps, io: DemoIo, approver: ReleaseDeps, time: StoryTime) => Promise<void>;
}

/** The canaries, in order. */
export function canaryStory(fn: string): CanaryDemo[] {
  return [
    {
      title: `Prod takes ${fn} v2 as a canary: a healthy build passes`,
      rolledBack: false,
      run: (deps, io, approver, time) => functionCanary(deps, io, approver, time, fn, 'v2', () => HEALTHY),
    },
    {
      title: `${fn} v3 errs on a fifth of its invocations: the judge fails it and live moves back`,
      rolledBack: true,
      run: async (deps, io, approver, time) => {
        await throughStaging(deps, io, fn, 'v3');
        const before = (
          await new Lambda(deps.clients.lambda('prod')).alias(
            naming.functionName(fn, 'prod'),
            naming.functionAlias(),
          )
        )?.FunctionVersion;
        await functionCanary(
          deps,
          io,
          approver,
          time,
          fn,
          'v3',
          (v) => (v === before ? HEALTHY : ERROR_BURST),
          true,
        );
      },
    },
  ];
}

export async function runCanaryStory(
  deps: ReleaseDeps,
  io: DemoIo,
  approver: ReleaseDeps,
  steps: readonly CanaryDemo[],
): Promise<void> {
  io.say(
    '\n== Canaries in prod: the new version takes a share of the traffic, the judge reads it against the old one, and decides',
  );
  const time: StoryTime = {};
  for (const s of steps) {
    io.say(`\n== ${s.title}`);
    await s.run(deps, io, approver, time);
  }
}

async function throughStaging(deps: ReleaseDeps, io: DemoIo, fn: string, version: string) {
  const step = (title: string, req: ReleaseRequest) =>
    tell(io, {
      title,
      command: commandLine(req),
      run: () => releaseFunction(deps, req),
      outcome: (r) => `${r.outcome}: ${r.version} sha256 ${r.sha256} (ledger ${ledgerSeqs(r.ledger)})`,
      show: () => Promise.resolve(),
    });
  await step(`Jenkins deploys ${fn} ${version} to intg`, {
    action: 'deploy',
    service: fn,
    env: 'intg',
    version,
    actor: 'jenkins',
  });
  await step(`${fn} ${version} is promoted to staging`, {
    action: 'promote',
    service: fn,
    env: 'staging',
    actor: 'bob',
  });
}

/** e2e passed on staging, Alice approves, Bob promotes to prod: the canary, then what the ledger says. */
async function functionCanary(
  deps: ReleaseDeps,
  io: DemoIo,
  approver: ReleaseDeps,
  time: StoryTime,
  fn: string,
  version: string,
  behaviour: (version: string) => VersionBehaviour,
  expectRollback = false,
): Promise<void> {
  await recordCheck(deps, {
    service: fn,
    env: 'staging',
    version,
    name: 'e2e',
    result: 'passed',
    actor: 'jenkins',
    url: null,
  });
  const approval = await approve(approver, { service: fn, env: 'prod' });
  io.say(
    `(e2e passed on staging; ledger #${approval.seq}: ${approval.version} approved by ${approval.approver})`,
  );
  const world = canaryWorld(deps, {
    fn,
    env: 'prod',
    perMinute: DEMO_INVOCATIONS_PER_MINUTE,
    behaviour,
    startMs: Math.max(time.ms ?? 0, deps.now().getTime()),
  });
  const frozen = (deps.platform.environments.prod.promotion?.freezeWindows ?? []).some((w) =>
    inFreezeWindow(w, deps.now()),
  );
  const req: ReleaseRequest = {
    action: 'promote',
    service: fn,
    env: 'prod',
    actor: 'bob',
    ...(frozen ? { breakGlass: true, reason: 'sandbox demo run during a freeze window' } : {}),
  };
  await tell(io, {
    title: `Bob promotes ${fn} ${version} to prod`,
    command: commandLine(req),
    run: () => releaseFunction(world.deps, req),
    outcome: (r) =>
      `${r.outcome}: ${r.version} (ledger ${ledgerSeqs(r.ledger)}), ${naming.functionAlias()} → version ${r.aliasVersionArn?.split(':').at(-1) ?? '?'}`,
    show: () => showCourse(deps, io, fn, world.clock.minutes),
    expectRefusal: expectRollback,
  });
  time.ms = world.clock.now().getTime();
}

/** The run's canary as the ledger holds it: the steps, how often the judge looked, and what decided. */
async function showCourse(deps: ReleaseDeps, io: DemoIo, fn: string, minutes: number): Promise<void> {
  const last = (await ledgerOf(deps).records(fn, 'prod')).at(-1);
  if (last?.kind !== 'release' || !last.canary) return;
  const course = last.canary;
  const evidence = course.evidence as {
    checks?: Array<{ check: string; verdict: string; reason: string }>;
  } | null;
  io.say(
    [
      `ledger #${last.seq} (${last.outcome}): canary ${course.weightPercent}% for ${course.bakeMinutes} min, ${minutes} minute(s) of traffic, judged ${course.judgements.length} time(s)`,
      ...course.steps.map((s) => `  ${s.at}  ${s.step}`),
      `  deciding judgement: ${course.evidence?.verdict ?? 'none'}`,
      ...(evidence?.checks ?? []).map((c) => `    ${c.check}: ${c.verdict} (${c.reason})`),
    ].join('\n'),
  );
}
