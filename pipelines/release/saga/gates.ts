/**
 * Promotion gates: pure functions of the platform model, the ledger and an injected clock.
 * Every gate is evaluated and every verdict returned, so a refusal lists all its reasons at once.
 */
import type { Environment, EnvironmentName, FreezeWindow, Weekday } from '../../../services/environments';
import { PlatformError } from '../../../services/errors';
import { naming } from '../../../services/naming';
import { isBranchVersion, isReleaseVersion } from '../../../services/versions';
import {
  isApprover,
  isRole,
  isSsoRolePath,
  pinnedApproverRoles,
  principalOf,
  sameRole,
  samePerson,
  vouchedPerson,
} from '../aws/identity';
import {
  latestCheck,
  liveStint,
  lostStanding,
  openApprovals,
  rejectionOf,
  REJECTIONS_STREAM,
  succeededRelease,
  versionNumber,
  type ApprovalRecord,
  type LedgerRecord,
  type ReleaseAction,
  type ReleaseRecord,
} from '../ledger/ledger-records';
import { short, type GateVerdict } from '../verdict';

type Promotion = NonNullable<Environment['promotion']>;

export interface GateInput {
  readonly action: ReleaseAction;
  readonly service: string;
  readonly target: Environment;
  /** Null when there is none to release (nothing succeeded upstream, nothing to roll back to). */
  readonly version: string | null;
  /** The digest about to be deployed (resolved from ECR now). */
  readonly digest: string;
  /** A display name (Jenkins: the build user); who acts is `identity`. */
  readonly actor: string;
  /** The caller's AWS identity (`sts:GetCallerIdentity`), null when unknown. */
  readonly identity: string | null;
  /** The Jenkins build that runs this, if any (an approval through Jenkins counts only for it). */
  readonly buildUrl: string | null;
  /** Where approvers' roles live (account ids are configuration). */
  readonly mgmtAccount: string;
  readonly breakGlass: boolean;
  readonly reason: string | null;
  readonly now: Date;
  /** The source environment's ledger records (empty when the source is the build). */
  readonly upstream: readonly LedgerRecord[];
  /** The target environment's ledger records (approvals included). */
  readonly here: readonly LedgerRecord[];
  /**
   * Progressive delivery with a PAUSE hook (services/delivery.ts `approvalPause`): ECS holds the
   * deployment on the test listener and the approval is given there (`tdr approve` continues it,
   * under the same four-eyes rule, `approvalGate`), so a promotion needs none beforehand.
   */
  readonly approvalAtPause?: boolean;
  /**
   * The subject's rejections stream (`tdr reject`, issue 26): a rejected version is refused by
   * every action in every environment. Absent only for callers that predate it.
   */
  readonly rejections?: readonly LedgerRecord[];
}

/** One or more gates refused; every refusal is listed at once. */
export class GateRefusedError extends PlatformError {
  readonly kind = 'refused';
  constructor(readonly verdicts: readonly GateVerdict[]) {
    const refused = verdicts.filter((v) => !v.ok);
    super(
      `refused by ${refused.length} gate${refused.length === 1 ? '' : 's'}:\n` +
        refused.map((v) => `  [NG] ${v.gate}: ${v.detail}`).join('\n'),
    );
    this.name = 'GateRefusedError';
  }
}

export function evaluateGates(input: GateInput): GateVerdict[] {
  const gates = releaseGates(input);
  if (input.rejections && input.version !== null)
    gates.push(rejectionVerdict(input.rejections, input.service, input.version));
  return gates;
}

/**
 * Rejected means rejected (issue 26): the newest `tdr reject` of this version, not undone by a
 * `tdr unreject` since, refuses it whatever the action, the environment or who asks.
 */
export function rejectionVerdict(
  rejections: readonly LedgerRecord[],
  subject: string,
  version: string,
): GateVerdict {
  const r = rejectionOf(rejections, version);
  return r
    ? verdict(
        'not rejected',
        false,
        `${subject} ${version} was rejected by ${r.approver} at ${r.recordedAt} (ledger ${REJECTIONS_STREAM} #${r.seq}): ${r.reason}; tdr unreject --service ${subject} --version ${version} --reason "…" to allow it again`,
      )
    : verdict('not rejected', true, `${subject} ${version} is not rejected`);
}

function releaseGates(input: GateInput): GateVerdict[] {
  const promotion = input.target.promotion;
  if (!promotion) {
    return [
      verdict(
        'order',
        false,
        `${input.target.name} is not a workload environment: nothing is released there`,
      ),
    ];
  }
  if (input.action === 'rollback') return rollbackGates(input);

  const verdicts: GateVerdict[] = [];
  const fromBuild = promotion.source === 'build';
  const expected: ReleaseAction = fromBuild ? 'deploy' : 'promote';
  verdicts.push(
    verdict(
      'order',
      input.action === expected,
      input.action === expected
        ? fromBuild
          ? `${input.target.name} is fed by the build`
          : `${input.target.name} is promoted from ${promotion.source}`
        : fromBuild
          ? `${input.target.name} is fed by the build: use tdr deploy, not tdr promote`
          : `${input.target.name} takes only versions promoted from ${promotion.source}: use tdr promote --to ${input.target.name}`,
    ),
  );

  const version = input.version;
  if (version === null) {
    verdicts.push(
      fromBuild
        ? verdict('version', false, 'no version given')
        : verdict(
            'succeeded upstream',
            false,
            `no version of ${input.service} has succeeded in ${promotion.source}: nothing to promote`,
          ),
    );
  } else {
    verdicts.push(versionVerdict(input.target, version));
  }

  if (!fromBuild && version !== null) {
    verdicts.push(...upstreamVerdicts(input, promotion, version));
  }
  if (promotion.approval)
    verdicts.push(
      input.approvalAtPause
        ? verdict(
            'approval',
            true,
            `given while ECS holds the deployment on the test listener: tdr approve --service ${input.service} --env ${input.target.name} (four eyes, ${promotion.approval.group})`,
          )
        : approvalVerdict(input, promotion.approval),
    );

  verdicts.push(...freezeVerdicts(promotion.freezeWindows, input));
  return verdicts;
}

/** Why a branch build is refused outside the environment the build feeds. */
export const BRANCH_BUILD_REFUSAL = 'branch builds deploy only to intg; merge to the main branch for a vN';

/**
 * A release version goes anywhere its gates allow; a branch build only where the build feeds:
 * it is a developer's test of unmerged code, so it is never promoted and never run further on.
 */
export function versionVerdict(target: Environment, version: string): GateVerdict {
  if (isBranchVersion(version)) {
    const fedByBuild = target.promotion?.source === 'build';
    return verdict(
      'version',
      fedByBuild,
      fedByBuild
        ? `${version} is a branch build; ${target.name} is fed by the build`
        : `${version} is a branch build: ${BRANCH_BUILD_REFUSAL}`,
    );
  }
  return verdict(
    'version',
    isReleaseVersion(version),
    `${version} ${isReleaseVersion(version) ? 'is' : 'is not'} a release version (v followed by digits)`,
  );
}

/**
 * Whether `version` is older than `current` in this environment: by number between release
 * versions; a branch build has none, so there by when it last succeeded here.
 */
export function olderHere(here: readonly LedgerRecord[], version: string, current: ReleaseRecord): boolean {
  if (isReleaseVersion(version) && isReleaseVersion(current.version))
    return versionNumber(version) < versionNumber(current.version);
  const last = succeededRelease(here, version);
  return version !== current.version && last !== undefined && last.seq < current.seq;
}

/**
 * A promotion's gates on the environment before: the version is what is live there now (not one
 * rolled back out of it), the same digest, soaked for the time it has been live without a break,
 * and every required check passed for that digest since it went live there.
 */
function upstreamVerdicts(input: GateInput, promotion: Promotion, version: string): GateVerdict[] {
  const verdicts: GateVerdict[] = [];
  const source = promotion.source as EnvironmentName;
  const upstream = succeededRelease(input.upstream, version);
  verdicts.push(
    verdict(
      'succeeded upstream',
      upstream !== undefined,
      upstream
        ? `${version} succeeded in ${source} (ledger #${upstream.seq} at ${upstream.finishedAt ?? upstream.recordedAt})`
        : `${version} has never succeeded in ${source}: promote it there first`,
    ),
  );
  const stint = liveStint(input.upstream);
  const live =
    upstream && stint?.current.version === version && stint.current.digest === upstream.digest
      ? stint
      : undefined;
  if (upstream) {
    verdicts.push(
      verdict(
        'live upstream',
        live !== undefined,
        live
          ? `${version} is what is live in ${source}`
          : `${version} is not what is live in ${source} (${stint ? `${stint.current.version} is, ledger #${stint.current.seq}` : 'nothing is'}): a promotion takes what is live there`,
      ),
      verdict(
        'same digest',
        upstream.digest === input.digest,
        upstream.digest === input.digest
          ? `${short(input.digest)} is the digest that succeeded in ${source}`
          : `${version} now resolves to ${short(input.digest)} but ${short(upstream.digest)} succeeded in ${source}: the tag moved`,
      ),
    );
  }
  if (promotion.soakMinutes > 0) {
    const since = live ? Date.parse(live.since.finishedAt ?? live.since.recordedAt) : NaN;
    const soaked = (input.now.getTime() - since) / 60_000;
    const ok = live !== undefined && soaked >= promotion.soakMinutes;
    verdicts.push(
      verdict(
        'soak',
        ok,
        !live
          ? `${version} is not live in ${source}, so it has not started soaking`
          : ok
            ? `live in ${source} for ${Math.floor(soaked)} min without a break (needs ${promotion.soakMinutes})`
            : `live in ${source} for ${Math.floor(soaked)} min since ledger #${live.since.seq}, needs ${promotion.soakMinutes}: wait ${Math.ceil(promotion.soakMinutes - soaked)} min more`,
      ),
    );
  }
  for (const name of promotion.requiredChecks) {
    const check = latestCheck(input.upstream, name, input.digest);
    // A result counts only if recorded after the digest went live there (this stint).
    const after = live ? live.since.seq : Infinity;
    const counts = check !== undefined && check.seq > after;
    verdicts.push(
      verdict(
        `check ${name}`,
        counts && check.result === 'passed',
        check && counts
          ? `${name} ${check.result} in ${source} for ${short(input.digest)} (ledger #${check.seq})`
          : check
            ? `the ${name} result for ${short(input.digest)} (ledger #${check.seq}) was recorded before it went live in ${source}${live ? ` (ledger #${live.since.seq})` : ''}: run ${name} again`
            : `no ${name} result recorded in ${source} for ${short(input.digest)}: tdr check record --service ${input.service} --env ${source} --version ${version} --name ${name} --result passed`,
      ),
    );
  }
  return verdicts;
}

/**
 * Four eyes, from identities: an approval record for this digest, written by one of the
 * environment's approvers (their AWS identity) who is not the promoter, or by this Jenkins
 * build from its input step, naming a submitter who is not the build's user.
 */
function approvalVerdict(input: GateInput, rule: NonNullable<Promotion['approval']>): GateVerdict {
  const env = input.target.name;
  const approvals = input.version ? openApprovals(input.here, input.digest) : [];
  const how = `tdr approve --service ${input.service} --env ${env}${input.version ? ` --version ${input.version}` : ''}`;
  if (approvals.length === 0)
    return verdict(
      'approval',
      false,
      `${env} needs an approval by one of its approvers (${rule.group}): ${how}`,
    );
  const refusals: string[] = [];
  for (const a of approvals) {
    const refusal = approvalRefusal(input, rule, a);
    if (!refusal)
      return verdict(
        'approval',
        true,
        a.via === 'sts'
          ? `approved by ${a.approver} (${a.identity}, verified by AWS STS; ledger #${a.seq})`
          : `approved by ${a.approver} through Jenkins' input step (${a.buildUrl}; ledger #${a.seq})`,
      );
    refusals.push(`ledger #${a.seq}: ${refusal}`);
  }
  return verdict('approval', false, `no approval counts: ${refusals.join('; ')}`);
}

/**
 * The approval gate alone, for a promotion that ECS holds at its PAUSE hook (`input` is the held
 * run's promoter and this environment's records, approvals included): the same four-eyes rule.
 */
export function approvalGate(input: GateInput): GateVerdict {
  const rule = input.target.promotion?.approval;
  if (!rule) return verdict('approval', true, `${input.target.name} needs no approval`);
  return approvalVerdict(input, rule);
}

/** The approval the gate accepts for this promotion, if one does (recorded with the release). */
export function approvalOf(input: GateInput): ApprovalRecord | null {
  const rule = input.target.promotion?.approval;
  if (!rule || input.action === 'rollback' || !input.version) return null;
  return (
    openApprovals(input.here, input.digest).find((a) => approvalRefusal(input, rule, a) === null) ?? null
  );
}

/**
 * The four-eyes rule, stated once: the same human, whatever session name or role they come
 * through, cannot both approve and promote. Each side is the person AWS vouches for
 * (`vouchedPerson`: an IAM user, an SSO session, an approver role whose session name its trust
 * pins, Jenkins' build user), compared after NFKC and case folding; a side that names no one
 * cannot be checked, so its approval does not count; and one role on both sides is refused
 * unless it is an SSO role (whose sessions Identity Center names), since a shared role's
 * session names are whatever its callers choose.
 */
function approvalRefusal(
  input: GateInput,
  rule: NonNullable<Promotion['approval']>,
  a: ApprovalRecord,
): string | null {
  const jenkins = naming.jenkinsNodeRole(input.target.name);
  const mgmt = input.mgmtAccount;
  if (a.via === 'jenkins-input') {
    if (!isRole(a.identity, jenkins, mgmt))
      return `an approval through Jenkins must be recorded by ${jenkins}, not ${a.identity}`;
    if (!input.buildUrl || a.buildUrl !== input.buildUrl)
      return `approved through Jenkins build ${a.buildUrl}, which is not the build promoting (${input.buildUrl ?? 'none'})`;
    if (!rule.approverMustNotBePromoter) return null;
    const promoter = vouchedPerson(input.identity ?? '', {
      mgmtAccount: mgmt,
      pinned: [],
      jenkinsRole: jenkins,
      actor: input.actor,
    });
    if ('none' in promoter) return `four eyes cannot be checked against the promoter: ${promoter.none}`;
    if (samePerson(a.approver, promoter.person))
      return `approver ${a.approver} is the promoter: someone else from ${rule.group} must approve`;
    return null;
  }
  if (!isApprover(a.identity, rule.approvers, mgmt, a.rolePath))
    return `${a.identity}${a.rolePath ? ` (path ${a.rolePath})` : ''} is not one of ${input.target.name}'s approvers (${rule.approvers.join(', ')})`;
  if (!rule.approverMustNotBePromoter) return null;
  if (!input.identity) return "the promoter's AWS identity is unknown, so four eyes cannot be checked";
  const pinned = pinnedApproverRoles(rule.approvers);
  const approver = vouchedPerson(a.identity, { mgmtAccount: mgmt, pinned });
  const promoter = vouchedPerson(input.identity, {
    mgmtAccount: mgmt,
    pinned,
    jenkinsRole: jenkins,
    actor: input.actor,
  });
  if ('none' in approver) return `the approval names no one (${approver.none})`;
  if ('none' in promoter)
    return `four eyes cannot be checked against the promoter: ${promoter.none}; promote through Jenkins (its build user is the promoter) or as yourself (SSO, an IAM user)`;
  const ssoRole = a.rolePath ? isSsoRolePath(a.rolePath) : false;
  if (sameRole(a.identity, input.identity) && !ssoRole)
    return `approved and promoted through the same role (${principalOf(a.identity)?.name}), whose session names its callers choose: someone else from ${rule.group} must approve`;
  if (samePerson(approver.person, promoter.person))
    return `approver ${a.approver} is the promoter (${promoter.person}): someone else from ${rule.group} must approve`;
  return null;
}

/**
 * Rolling back is the way out of an incident, so promotion gates and freeze windows do not apply;
 * but it only goes backwards: to an older version that succeeded here before and was not itself
 * rolled back or failed since. Anything else is a promotion, with its gates.
 */
function rollbackGates(input: GateInput): GateVerdict[] {
  const env = input.target.name;
  if (input.version === null) {
    return [
      verdict(
        'succeeded here before',
        false,
        `no earlier version of ${input.service} in ${env} to roll back to (one that succeeded here, older than what is live, not rolled back or failed since)`,
      ),
    ];
  }
  const current = liveStint(input.here)?.current;
  const backwards = current !== undefined && olderHere(input.here, input.version, current);
  const before = succeededRelease(input.here, input.version);
  const standing = before ? lostStanding(input.here, input.version) : null;
  const verdicts = [
    verdict(
      'backwards',
      backwards,
      backwards
        ? `${input.version} is older than ${current.version}, live in ${env}`
        : current
          ? `${input.version} is not older than ${current.version}, live in ${env}: a rollback only goes back; moving forward is a promotion, with its gates`
          : `nothing is live in ${env} to roll back from`,
    ),
    verdict(
      'succeeded here before',
      before !== undefined && standing === null,
      before
        ? (standing ?? `${input.version} succeeded in ${env} (ledger #${before.seq}) and stood`)
        : `${input.version} has never succeeded in ${env}: nothing to roll back to`,
    ),
  ];
  if (isBranchVersion(input.version)) verdicts.push(versionVerdict(input.target, input.version));
  if (before) {
    verdicts.push(
      verdict(
        'same digest',
        before.digest === input.digest,
        before.digest === input.digest
          ? `${short(input.digest)} is the digest that ran here`
          : `${input.version} ran here as ${short(before.digest)} but is now ${short(input.digest)}`,
      ),
    );
  }
  return verdicts;
}

function freezeVerdicts(windows: readonly FreezeWindow[], input: GateInput): GateVerdict[] {
  const active = windows.filter((w) => inFreezeWindow(w, input.now));
  if (active.length === 0) {
    return windows.length > 0 ? [verdict('freeze', true, 'outside every freeze window')] : [];
  }
  const why = active
    .map((w) => `${w.reason} (${w.days.join(',')} ${w.from}-${w.to} ${w.timezone})`)
    .join('; ');
  if (input.breakGlass && input.reason) {
    return [
      verdict(
        'freeze',
        true,
        `in a freeze window, overridden by break-glass: ${input.reason} [window: ${why}]`,
      ),
    ];
  }
  return [verdict('freeze', false, `in a freeze window: ${why}; override with --break-glass --reason "…"`)];
}

/** Whether `now` falls in the window, in the window's own time zone (Europe/London keeps BST). */
export function inFreezeWindow(w: FreezeWindow, now: Date): boolean {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: w.timezone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(now);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  const day = get('weekday') as Weekday;
  const minutes = Number(get('hour')) * 60 + Number(get('minute'));
  if (!w.days.includes(day)) return false;
  return minutes >= toMinutes(w.from) && minutes < toMinutes(w.to);
}

function toMinutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

function verdict(gate: string, ok: boolean, detail: string): GateVerdict {
  return { gate, ok, detail };
}
