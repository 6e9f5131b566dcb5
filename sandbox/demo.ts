/**
 * `tdr sandbox demo`: the whole story on the sandbox, with status after each step: deploy to
 * intg, promote to staging, e2e recorded, a refused prod promotion, an approved one, and a
 * rollback. Every step runs the real release engine against the sandbox's endpoint.
 */
import { approve } from '../pipelines/release/approve';
import type { ReleaseDeps } from '../pipelines/release/context';
import { recordCheck } from '../pipelines/release/check';
import {
  releaseService,
  type ReleaseRequest,
  type ReleaseResult,
} from '../pipelines/release/ecs-service-rollout';
import { ReleaseFailedError } from '../pipelines/release/errors';
import { inFreezeWindow } from '../pipelines/release/gates';
import { status, type StatusRow } from '../pipelines/release/status';

export interface DemoIo {
  /** A step's headline and what happened. */
  readonly say: (text: string) => void;
  readonly showStatus: (rows: readonly StatusRow[]) => void;
  /** The exit number `tdr` would give for an error: only cli/ knows them. */
  readonly exitCodeOf: (err: unknown) => number;
}

export const DEMO_SERVICE = 'frontend';

/**
 * `approver` is the engine as Alice, one of prod's approvers (an assumed approver role with her
 * session name): approvals are written by the approver, never typed by the promoter.
 */
export async function demo(deps: ReleaseDeps, io: DemoIo, approver: ReleaseDeps): Promise<void> {
  const service = DEMO_SERVICE;
  const show = async () => io.showStatus(await status(deps, { service }));
  const step = async (
    title: string,
    req: ReleaseRequest,
    expectRefusal = false,
  ): Promise<ReleaseResult | undefined> => {
    io.say(`\n== ${title}\n$ tdr ${commandLine(req)}`);
    try {
      const { result: r, failure } = await releaseService(deps, req);
      if (failure) throw new ReleaseFailedError(failure);
      io.say(`→ ${r.outcome}: ${r.version} ${r.digest} (ledger ${r.ledger.map((s) => `#${s}`).join(', ')})`);
      await show();
      return r;
    } catch (err) {
      io.say(`→ exit ${io.exitCodeOf(err)}: ${(err as Error).message}`);
      if (!expectRefusal) throw err;
      await show();
      return undefined;
    }
  };

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
  io.say('\nThe ledger holds every step: tdr history --service frontend --env staging');
}

function commandLine(r: ReleaseRequest): string {
  const parts: string[] = [
    r.action,
    `--service ${r.service}`,
    r.action === 'promote' ? `--to ${r.env}` : `--env ${r.env}`,
  ];
  if (r.version) parts.push(r.action === 'rollback' ? `--to ${r.version}` : `--version ${r.version}`);
  parts.push(`--actor ${r.actor}`);
  if (r.breakGlass) parts.push(`--break-glass --reason "${r.reason}"`);
  return parts.join(' ');
}
