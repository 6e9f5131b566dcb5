/**
 * `tdr approve`: an approval is a ledger record written by the approver themself, under their
 * own AWS identity, which must be one of the environment's approvers; or by Jenkins, which runs
 * as one role, from its input step: the submitter's name and the build, marked as approved through
 * Jenkins. The promotion's gate then checks four eyes against the promoter's identity.
 */
import { naming } from '../../../services/naming';
import { versionProblem } from '../../../services/versions';
import { releasableEntry, resolveArtifact } from '../saga/artifacts';
import { ledgerOf, workloadEnv, type ReleaseDeps } from '../saga/context';
import { ReleaseInputError } from '../errors';
import { GateRefusedError } from '../saga/gates';
import { checkBuildUrl } from '../saga/request';
import {
  callerRolePath,
  isApprover,
  isRole,
  needsRolePath,
  personName,
  personOf,
  principalOf,
} from '../aws/identity';
import { currentRelease, type ApprovalRecord } from '../ledger/ledger';

export interface ApproveRequest {
  readonly service: string;
  readonly env: string;
  /** Default: the version live in the environment promoted from. */
  readonly version?: string | undefined;
  /** Jenkins' input step: the submitter's user id; else the caller's own identity approves. */
  readonly jenkinsApprover?: string | undefined;
  readonly buildUrl?: string | undefined;
}

/** The request's own fields, before any AWS call. */
export function validateApprove(deps: Pick<ReleaseDeps, 'platform'>, req: ApproveRequest): void {
  releasableEntry(deps.platform, req.service);
  const env = workloadEnv(req.env);
  if (!deps.platform.environments[env].promotion?.approval)
    throw new ReleaseInputError(`env: ${env} needs no approval (only ${approvalEnvs(deps).join(', ')} do)`);
  const problem = req.version === undefined ? null : versionProblem(req.version);
  if (problem) throw new ReleaseInputError(`version: ${problem}`);
  if (req.jenkinsApprover !== undefined) {
    personName(req.jenkinsApprover, 'jenkins-approver');
    if (!req.buildUrl) throw new ReleaseInputError('build-url: an approval through Jenkins names its build');
  }
  checkBuildUrl(req.buildUrl);
}

/** Who approves, as AWS (or Jenkins) vouches for them: what `authorise` found. */
export interface Approver {
  readonly identity: string;
  readonly via: 'sts' | 'jenkins-input';
  readonly approver: string;
  readonly rolePath?: string | undefined;
}

/**
 * Whether the caller may approve for `req.env`, from its own identity alone (reads only:
 * sts:GetCallerIdentity, and iam:GetRole of its own role where an approver entry has a path).
 * Refused: exit 3, like a gate; nothing else of the environment was looked at.
 */
export async function authorise(
  deps: Pick<ReleaseDeps, 'clients' | 'platform'>,
  req: ApproveRequest,
): Promise<Approver> {
  validateApprove(deps, req);
  const env = workloadEnv(req.env);
  const rule = deps.platform.environments[env].promotion?.approval;
  const identity = await deps.clients.callerIdentity();
  const mgmt = deps.clients.accountIds.mgmt;
  const jenkins = naming.jenkinsNodeRole(env);
  const via = req.jenkinsApprover === undefined ? 'sts' : 'jenkins-input';
  const approvers = rule?.approvers ?? [];
  // STS names a session's role without its path: where an approver entry has one (SSO's), the
  // caller's own role is read from IAM, so a look-alike `AWSReservedSSO_…` at `/` is no approver.
  const rolePath =
    via === 'sts' && needsRolePath(identity, approvers)
      ? await callerRolePath(deps.clients.mgmt.iam, identity)
      : undefined;
  const allowed =
    via === 'sts' ? isApprover(identity, approvers, mgmt, rolePath) : isRole(identity, jenkins, mgmt);
  if (!allowed)
    throw new GateRefusedError([
      {
        gate: 'approver',
        ok: false,
        detail:
          via === 'sts'
            ? `${identity}${rolePath ? ` (path ${rolePath})` : ''} is not one of ${env}'s approvers (roles ${approvers.join(', ')} in the mgmt account)`
            : `only Jenkins (${jenkins}) records approvals from its input step, not ${identity}`,
      },
    ]);
  const principal = principalOf(identity);
  const approver =
    via === 'sts'
      ? personName(principal ? personOf(principal) : identity, 'identity')
      : personName(req.jenkinsApprover ?? '', 'jenkins-approver');
  return { identity, via, approver, ...(rolePath ? { rolePath } : {}) };
}

/**
 * Refused: the caller may not approve (exit 3, like a gate). `who`: what `authorise` already
 * found for this request (`tdr approve` asks it before looking at ECS), else it is asked here.
 */
export async function approve(
  deps: Pick<ReleaseDeps, 'clients' | 'platform' | 'now'>,
  req: ApproveRequest & { readonly actor?: string | undefined },
  who?: Approver,
): Promise<ApprovalRecord> {
  validateApprove(deps, req);
  const env = workloadEnv(req.env);
  const source = deps.platform.environments[env].promotion?.source;
  const ledger = ledgerOf(deps);
  const [authorised, upstream] = await Promise.all([
    who ?? authorise(deps, req),
    source && source !== 'build' && !req.version ? ledger.view(req.service, source) : undefined,
  ]);
  const version = req.version ?? (upstream && currentRelease(upstream.records)?.version);
  if (!version)
    throw new GateRefusedError([
      { gate: 'approval', ok: false, detail: `nothing is live in ${source} to approve: give --version` },
    ]);
  const resolved = await resolveArtifact(deps, req.service, version);
  if (!resolved.ok) throw new GateRefusedError([resolved.gate]);
  const { identity, via, approver, rolePath } = authorised;
  return (await ledger.append({
    kind: 'approval',
    service: req.service,
    env,
    version,
    digest: resolved.digest,
    actor: req.actor ?? approver,
    via,
    approver,
    identity,
    ...(rolePath ? { rolePath } : {}),
    buildUrl: req.buildUrl ?? null,
    overrides: [...deps.platform.overrides],
  })) as ApprovalRecord;
}

function approvalEnvs(deps: Pick<ReleaseDeps, 'platform'>): string[] {
  return Object.values(deps.platform.environments)
    .filter((e) => e.promotion?.approval)
    .map((e) => e.name);
}
