/**
 * `tdr reject` and `tdr unreject` (issue 26): a version of a service, function or task marked bad
 * for good, so that no gate in any environment lets it through again (../saga/gates.ts
 * `rejectionVerdict`), until an approver takes it back with a reason. Who may is decided as for
 * `tdr approve` (./approve.ts): the caller's own AWS identity, one of an approving environment's
 * approvers; the record names them.
 */
import { REASON_MAX, textProblem } from '../../../services/input-bounds';
import { versionProblem, buildVersionProblem } from '../../../services/versions';
import { checkLedgerSubject, ledgerOf, type ReleaseDeps } from '../saga/context';
import { ReleaseInputError } from '../errors';
import { GateRefusedError } from '../saga/gates';
import {
  callerRolePath,
  isApprover,
  needsRolePath,
  personName,
  personOf,
  principalOf,
} from '../aws/identity';
import { REJECTIONS_STREAM, rejectedVersions, rejectionOf, type RejectionRecord } from '../ledger/ledger';
import { MAINTENANCE_SUBJECT } from '../../../services/naming';

export interface RejectRequest {
  readonly action: 'reject' | 'unreject';
  readonly service: string;
  readonly version: string;
  readonly reason: string;
}

/** The request's own fields, before any AWS call (exit 2). */
export function validateReject(deps: Pick<ReleaseDeps, 'platform'>, req: RejectRequest): void {
  checkLedgerSubject(deps.platform, req.service);
  if (req.service === MAINTENANCE_SUBJECT)
    throw new ReleaseInputError(
      'service: maintenance is a switch, not a versioned release: nothing to reject',
    );
  const problem = versionProblem(req.version) && buildVersionProblem(req.version);
  if (problem) throw new ReleaseInputError(`version: ${problem}`);
  if (!req.reason.trim())
    throw new ReleaseInputError(`reason: required: say why (at most ${REASON_MAX} characters)`);
  const reasonProblem = textProblem(req.reason, REASON_MAX);
  if (reasonProblem) throw new ReleaseInputError(`reason: ${reasonProblem}`);
}

/**
 * Every approver of every environment that needs approval: rejecting guards all of them, and
 * unrejecting undoes that guard, so either is for one who could approve a release there.
 */
function allApprovers(deps: Pick<ReleaseDeps, 'platform'>): string[] {
  const roles = Object.values(deps.platform.environments).flatMap(
    (e) => e.promotion?.approval?.approvers ?? [],
  );
  return [...new Set(roles)];
}

/**
 * Records the rejection (or its withdrawal). Refused (exit 3) when the caller is no approver, or
 * when it would change nothing (rejecting a rejected version, unrejecting one that is not).
 */
export async function reject(
  deps: Pick<ReleaseDeps, 'clients' | 'platform' | 'now'>,
  req: RejectRequest,
): Promise<RejectionRecord> {
  validateReject(deps, req);
  const ledger = ledgerOf(deps);
  const [identity, view] = await Promise.all([
    deps.clients.callerIdentity(),
    ledger.view(req.service, REJECTIONS_STREAM),
  ]);
  const approvers = allApprovers(deps);
  const mgmt = deps.clients.accountIds.mgmt;
  // As `tdr approve`: STS names a role without its path, so an SSO approver entry is checked on IAM.
  const rolePath = needsRolePath(identity, approvers)
    ? await callerRolePath(deps.clients.mgmt.iam, identity)
    : undefined;
  if (!isApprover(identity, approvers, mgmt, rolePath))
    throw new GateRefusedError([
      {
        gate: 'approver',
        ok: false,
        detail: `${identity}${rolePath ? ` (path ${rolePath})` : ''} is not an approver (roles ${approvers.join(', ')} in the mgmt account): only an approver may ${req.action} a version`,
      },
    ]);
  const current = rejectionOf(view.records, req.version);
  if (req.action === 'reject' && current)
    throw new GateRefusedError([
      {
        gate: 'rejected',
        ok: false,
        detail: `${req.service} ${req.version} is already rejected (ledger ${REJECTIONS_STREAM} #${current.seq} by ${current.approver}: ${current.reason})`,
      },
    ]);
  if (req.action === 'unreject' && !current)
    throw new GateRefusedError([
      {
        gate: 'rejected',
        ok: false,
        detail: `${req.service} ${req.version} is not rejected: nothing to undo`,
      },
    ]);
  const principal = principalOf(identity);
  const approver = personName(principal ? personOf(principal) : identity, 'identity');
  return (await ledger.append(
    {
      kind: 'rejection',
      service: req.service,
      env: REJECTIONS_STREAM,
      version: req.version,
      digest: '',
      actor: approver,
      action: req.action,
      reason: req.reason,
      approver,
      identity,
      ...(rolePath ? { rolePath } : {}),
      overrides: [...deps.platform.overrides],
    },
    view,
  )) as RejectionRecord;
}

/** The versions of each subject rejected now (status, the board, a train's plan). */
export async function rejections(
  deps: Pick<ReleaseDeps, 'clients' | 'now'>,
  subjects: readonly string[],
): Promise<Map<string, RejectionRecord[]>> {
  const ledger = ledgerOf(deps);
  const pairs = await Promise.all(
    subjects.map(
      async (s) => [s, rejectedVersions((await ledger.view(s, REJECTIONS_STREAM)).records)] as const,
    ),
  );
  return new Map(pairs);
}
