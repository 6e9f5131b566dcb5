/**
 * `tdr lease break`: a lease removed by hand, recorded in the ledger with the AWS identity that
 * broke it (`sts:GetCallerIdentity`; `actor` is only a display name) and why.
 *
 * Who may: in an environment whose releases need an approver (prod), only one of its approvers,
 * as themself (the same test as `tdr approve`, SSO roles by their IAM path): breaking a lease lets
 * a second run act while the first may still be going, which is as much a decision about prod as
 * an approval. Elsewhere anyone who can reach the ledger may, as before.
 *
 * What is whose fault: the request's own fields are checked before any AWS call (exit 2); no
 * lease found is a state of AWS, not bad input (`NoLeaseError`, kind `failed`); a caller who may
 * not break it is refused (kind `refused`, exit 3), before anything changes.
 */
import { checkLedgerSubject, ledgerOf, leasesOf, workloadEnv, type ReleaseDeps } from '../saga/context';
import { ReleaseInputError } from '../errors';
import { GateRefusedError } from '../saga/gates';
import { callerRolePath, isApprover, needsRolePath } from '../aws/identity';
import { leaseKey, NoLeaseError, type Lease } from '../ledger/lease';
import type { LeaseBreakRecord } from '../ledger/ledger';
import type { GateVerdict } from '../verdict';
import { textProblem, REASON_MAX } from '../../../services/input-bounds';

export interface LeaseBreakRequest {
  readonly service: string;
  readonly env: string;
  readonly reason: string;
  readonly actor: string;
  /** Show the lease and who may break it; change nothing. */
  readonly dryRun?: boolean | undefined;
}

/** What `--dry-run` shows: the lease that would be broken and whether the caller may break it. */
export interface LeaseBreakPlan {
  readonly service: string;
  readonly env: string;
  readonly lease: Pick<Lease, 'holder' | 'runId' | 'acquiredAt' | 'expiresAt'>;
  readonly identity: string;
  readonly gate: GateVerdict;
}

export function validateLeaseBreak(deps: Pick<ReleaseDeps, 'platform'>, req: LeaseBreakRequest): void {
  checkLedgerSubject(deps.platform, req.service);
  workloadEnv(req.env);
  if (!req.reason.trim()) throw new ReleaseInputError('reason: say why the lease is broken (recorded)');
  const problem = textProblem(req.reason, REASON_MAX);
  if (problem) throw new ReleaseInputError(`reason: ${problem}`);
}

/**
 * Removes the lease (whoever holds it, expired or not) and records it. The run that held it, if
 * still alive, reads the lease before its next change and stops there (saga/guard.ts).
 */
export async function breakLease(
  deps: Pick<ReleaseDeps, 'clients' | 'platform' | 'now'>,
  req: LeaseBreakRequest,
): Promise<LeaseBreakRecord | LeaseBreakPlan> {
  validateLeaseBreak(deps, req);
  const env = workloadEnv(req.env);
  const leases = leasesOf(deps);
  const [identity, current] = await Promise.all([
    deps.clients.callerIdentity(),
    leases.read(leaseKey(req.service, env)),
  ]);
  const gate = await mayBreak(deps, env, identity);
  if (!current)
    throw new NoLeaseError(`no lease is held on ${req.service} in ${env}: nothing to break (tdr lease show)`);
  if (req.dryRun) {
    const { holder, runId, acquiredAt, expiresAt } = current;
    return { service: req.service, env, lease: { holder, runId, acquiredAt, expiresAt }, identity, gate };
  }
  if (!gate.ok) throw new GateRefusedError([gate]);
  const broken = await leases.break(req.service, env);
  return (await ledgerOf(deps).append({
    kind: 'lease',
    action: 'break',
    service: req.service,
    env,
    version: '',
    digest: '',
    actor: req.actor,
    identity,
    holder: broken.holder,
    holderRunId: broken.runId,
    expiresAt: broken.expiresAt,
    reason: req.reason,
  })) as LeaseBreakRecord;
}

/** In an environment whose releases need an approver, only an approver breaks its leases. */
async function mayBreak(
  deps: Pick<ReleaseDeps, 'clients' | 'platform'>,
  env: ReturnType<typeof workloadEnv>,
  identity: string,
): Promise<GateVerdict> {
  const rule = deps.platform.environments[env].promotion?.approval;
  if (!rule) return { gate: 'approver', ok: true, detail: `${env}'s leases need no approver to break` };
  const rolePath = needsRolePath(identity, rule.approvers)
    ? await callerRolePath(deps.clients.mgmt.iam, identity)
    : undefined;
  const ok = isApprover(identity, rule.approvers, deps.clients.accountIds.mgmt, rolePath);
  return {
    gate: 'approver',
    ok,
    detail: ok
      ? `${identity} is one of ${env}'s approvers`
      : `${identity} is not one of ${env}'s approvers (roles ${rule.approvers.join(', ')} in the mgmt account): only they break a lease in ${env}`,
  };
}
