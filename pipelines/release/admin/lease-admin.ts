/** `tdr lease break`: a lease removed by hand, with who did it and why recorded in the ledger. */
import { checkLedgerSubject, ledgerOf, leasesOf, workloadEnv, type ReleaseDeps } from '../saga/context';
import { ReleaseInputError } from '../errors';
import type { LeaseBreakRecord } from '../ledger/ledger';

export interface LeaseBreakRequest {
  readonly service: string;
  readonly env: string;
  readonly reason: string;
  readonly actor: string;
}

export function validateLeaseBreak(deps: Pick<ReleaseDeps, 'platform'>, req: LeaseBreakRequest): void {
  checkLedgerSubject(deps.platform, req.service);
  workloadEnv(req.env);
  if (!req.reason.trim()) throw new ReleaseInputError('reason: say why the lease is broken (recorded)');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(req.reason))
    throw new ReleaseInputError('reason: must be one line of text');
}

/**
 * Removes the lease (whoever holds it, expired or not) and records it. The run that held it, if
 * still alive, fails its next renewal and stops before its next change.
 */
export async function breakLease(
  deps: Pick<ReleaseDeps, 'clients' | 'platform' | 'now'>,
  req: LeaseBreakRequest,
): Promise<LeaseBreakRecord> {
  validateLeaseBreak(deps, req);
  const env = workloadEnv(req.env);
  const broken = await leasesOf(deps).break(req.service, env);
  return (await ledgerOf(deps).append({
    kind: 'lease',
    action: 'break',
    service: req.service,
    env,
    version: '',
    digest: '',
    actor: req.actor,
    holder: broken.holder,
    holderRunId: broken.runId,
    expiresAt: broken.expiresAt,
    reason: req.reason,
  })) as LeaseBreakRecord;
}
