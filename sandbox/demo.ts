/**
 * `tdr sandbox demo`: the whole story on the sandbox, with status after each step: deploy to
 * intg, promote to staging, e2e recorded, a refused prod promotion, an approved one, and a
 * rollback; then a function released the same way (intg, then staging); then canaries in prod: a
 * service as an ECS canary that passes and one a 5xx burst rolls back (./demo-ecs-canary.ts, its
 * stages from the stand-in of ECS's deployment lifecycle), and the function as a canary that passes
 * and one an error burst rolls back (./demo-canary.ts); then staging switched
 * into maintenance and back. Every step runs the real release engine against the sandbox's
 * endpoint. How a step is told is ./demo-steps.ts.
 */
import { WORKLOAD_ENVIRONMENTS } from '../services/environments';
import { naming } from '../services/naming';
import { adoptBaseline } from '../pipelines/release/admin/adopt';
import { functions } from '../services/queries';
import { approve } from '../pipelines/release/admin/approve';
import type { ReleaseDeps } from '../pipelines/release/saga/context';
import { recordCheck } from '../pipelines/release/admin/check';
import { releaseService } from '../pipelines/release/strategies/ecs-service-rollout';
import { functionStatus } from '../pipelines/release/reads/function-status';
import { inFreezeWindow } from '../pipelines/release/saga/gates';
import { releaseFunction } from '../pipelines/release/strategies/lambda-alias-shift';
import { switchMaintenance } from '../pipelines/release/strategies/maintenance';
import { maintenanceStatus } from '../pipelines/release/reads/maintenance-status';
import type { ReleaseRequest } from '../pipelines/release/saga/request';
import { status } from '../pipelines/release/reads/status';
import { commandLine, ledgerSeqs, tell, type DemoIo } from './demo-steps';
import { canaryStory, runCanaryStory } from './demo-canary';
import { DEMO_CANARY_SERVICE, ecsCanaryStory } from './demo-ecs-canary';

export type { DemoIo } from './demo-steps';

export const DEMO_SERVICE = 'frontend';

/** Where the demo switches maintenance on and off: never prod, whose switch needs an approver. */
export const DEMO_MAINTENANCE_ENV = 'staging';

/**
 * `approver` is the engine as Alice, one of prod's approvers (an assumed approver role with her
 * session name): approvals are written by the approver, never typed by the promoter.
 */
export async function demo(deps: ReleaseDeps, io: DemoIo, approver: ReleaseDeps): Promise<void> {
  // Day one: what the stand-up started is the ledger's baseline, else status calls it all drift.
  io.say('\n== Day one: the ledger adopts what the stand-up started\n$ tdr ledger adopt');
  const adopted = await adoptBaseline(deps, [...WORKLOAD_ENVIRONMENTS], 'stand-up');
  const count = (o: string) => adopted.filter((r) => r.outcome === o).length;
  io.say(`${count('adopted')} adopted, ${count('recorded')} already recorded, ${count('refused')} refused`);
  await serviceStory(deps, io, approver);
  const fn = await functionStory(deps, io);
  const ecs = ecsCanaryStory(deps.platform);
  const canaries = [...ecs, ...(fn ? canaryStory(fn) : [])];
  if (canaries.length > 0) await runCanaryStory(deps, io, approver, canaries);
  await maintenanceStory(deps, io);
  io.say(
    [
      '\nThe ledger holds every step:',
      `  tdr history --service ${DEMO_SERVICE} --env staging`,
      ...(ecs.length > 0
        ? [
            `  tdr history --service ${DEMO_CANARY_SERVICE} --env prod -o json   (the ECS canaries' stages and judgements)`,
          ]
        : []),
      ...(fn
        ? [
            `  tdr history --service ${fn} --env staging`,
            `  tdr history --service ${fn} --env prod -o json   (the canaries' steps and evidence)`,
          ]
        : []),
      `  tdr history --service ${naming.maintenanceSubject()} --env ${DEMO_MAINTENANCE_ENV}`,
    ].join('\n'),
  );
}

/** A service from intg to prod through every gate, and a rollback. */
async function serviceStory(deps: ReleaseDeps, io: DemoIo, approver: ReleaseDeps): Promise<void> {
  const service = DEMO_SERVICE;
  const step = (title: string, req: ReleaseRequest, expectRefusal = false) =>
    tell(io, {
      title,
      command: commandLine(req),
      run: () => releaseService(deps, req),
      outcome: (r) => `${r.outcome}: ${r.version} ${r.digest} (ledger ${ledgerSeqs(r.ledger)})`,
      show: async () => io.showStatus(await status(deps, { service })),
      expectRefusal,
    });

  await step('Jenkins deploys build v2 to intg', {
    action: 'deploy',
    service,
    env: 'intg',
    version: 'v2',
    actor: 'jenkins',
    buildUrl: 'https://jenkins.example/job/frontend/2',
  });
  await step('A developer promotes it to staging', {
    action: 'promote',
    service,
    env: 'staging',
    actor: 'bob',
  });

  io.say(
    `\n== The end-to-end tests pass on staging\n$ tdr check record --service ${service} --env staging --version v2 --name e2e --result passed`,
  );
  const check = await recordCheck(deps, {
    service,
    env: 'staging',
    version: 'v2',
    name: 'e2e',
    result: 'passed',
    actor: 'jenkins',
    url: 'https://jenkins.example/job/e2e/7',
  });
  io.say(`→ ledger #${check.seq}: e2e passed for ${check.digest}`);

  await step(
    'Bob promotes to prod with no approval: refused',
    { action: 'promote', service, env: 'prod', actor: 'bob' },
    true,
  );

  const frozen = (deps.platform.environments.prod.promotion?.freezeWindows ?? []).some((w) =>
    inFreezeWindow(w, deps.now()),
  );
  io.say(
    `\n== Alice, one of prod's approvers, approves as herself\n$ tdr approve --service ${service} --env prod`,
  );
  const approval = await approve(approver, { service, env: 'prod' });
  io.say(
    `→ ledger #${approval.seq}: ${approval.version} approved by ${approval.approver} (${approval.identity})`,
  );
  await step(frozen ? 'It is a freeze window, so Bob breaks glass with a reason' : 'Bob promotes to prod', {
    action: 'promote',
    service,
    env: 'prod',
    actor: 'bob',
    ...(frozen ? { breakGlass: true, reason: 'sandbox demo run during a freeze window' } : {}),
  });

  await step('Jenkins deploys v3 to intg', {
    action: 'deploy',
    service,
    env: 'intg',
    version: 'v3',
    actor: 'jenkins',
  });
  await step('v3 is promoted to staging', { action: 'promote', service, env: 'staging', actor: 'bob' });
  await step('Something is wrong with v3 on staging: roll back', {
    action: 'rollback',
    service,
    env: 'staging',
    actor: 'bob',
  });
}

/**
 * The catalogue's first function, v2 to intg and promoted to staging: the same saga, gates and
 * ledger as a service, with the package's SHA-256 as its digest and the `live` alias moving.
 * Returns the function's name (undefined when the catalogue has none).
 */
async function functionStory(deps: ReleaseDeps, io: DemoIo): Promise<string | undefined> {
  const [first] = functions(deps.platform.catalogue);
  if (!first) {
    io.say('\n(The catalogue has no functions: no function release to show.)');
    return undefined;
  }
  const [fn] = first;
  const alias = naming.functionAlias();
  const step = (title: string, req: ReleaseRequest) =>
    tell(io, {
      title,
      command: commandLine(req),
      run: () => releaseFunction(deps, req),
      outcome: (r) =>
        `${r.outcome}: ${r.version} sha256 ${r.sha256} (ledger ${ledgerSeqs(r.ledger)}), ${alias} → version ${r.aliasVersionArn?.split(':').at(-1) ?? '?'}`,
      show: async () => {
        const rows = await functionStatus(deps, { service: fn });
        io.showFunctionStatus(rows);
        const row = rows.find((r) => r.env === req.env);
        if (row)
          io.say(
            `the ledger recorded ${fn} ${row.version} in ${row.env} with sha256 ${row.sha256}; ${alias} points at version ${row.lambda.aliasVersion}, which runs sha256 ${row.lambda.sha256}`,
          );
      },
    });

  await step(`Functions are released the same way: Jenkins deploys package v2 of ${fn} to intg`, {
    action: 'deploy',
    service: fn,
    env: 'intg',
    version: 'v2',
    actor: 'jenkins',
  });
  await step(`A developer promotes ${fn} v2 to staging: the same SHA-256, a new version behind ${alias}`, {
    action: 'promote',
    service: fn,
    env: 'staging',
    actor: 'bob',
  });
  return fn;
}

/**
 * TDR's service-unavailable switch in staging: on with a reason (a 503 rule ahead of the
 * listener's others), seen by `tdr status`, and off again (the listener back as it was).
 */
async function maintenanceStory(deps: ReleaseDeps, io: DemoIo): Promise<void> {
  const env = DEMO_MAINTENANCE_ENV;
  const reason = 'database upgrade (sandbox demo)';
  const showMaintenance = async () => {
    const rows = await maintenanceStatus(deps, [env]);
    io.showMaintenance(rows);
    for (const m of rows.filter((r) => !r.on && r.listener === false && r.drift.length === 0))
      io.say(`tdr status: ${m.env} is not in maintenance; no rule answers 503 on its listener`);
  };

  await tell(io, {
    title: `Ops switch ${env} into maintenance: every request gets the service-unavailable page`,
    command: `maintenance on --env ${env} --reason "${reason}" --actor ops`,
    run: () => switchMaintenance(deps, { switch: 'on', env, reason, actor: 'ops' }),
    outcome: (r) => `${r.outcome}: ${r.detail} (ledger ${ledgerSeqs(r.ledger)})`,
    show: () => Promise.resolve(),
  });
  io.say(`\n== tdr status reports it, with who, when and why\n$ tdr status --env ${env}`);
  await showMaintenance();

  await tell(io, {
    title: `The upgrade is done: ops switch maintenance off in ${env}`,
    command: `maintenance off --env ${env} --actor ops`,
    run: () => switchMaintenance(deps, { switch: 'off', env, actor: 'ops' }),
    outcome: (r) =>
      `${r.outcome}: the listener is back as it was: ${r.detail} (ledger ${ledgerSeqs(r.ledger)})`,
    show: showMaintenance,
  });
}
