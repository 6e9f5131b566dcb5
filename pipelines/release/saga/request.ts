/**
 * What a release request is and the decisions every release strategy (service rollout, function
 * alias shift) takes the same way: which fields are valid, where a promotion comes from, which
 * version an action means, and which git commit a digest was built from.
 */
import type { Platform } from '../../../services/config';
import type { WorkloadEnvironmentName } from '../../../services/environments';
import { buildVersionProblem, gitCommitProblem, isReleaseVersion } from '../../../services/versions';
import { workloadEnv, type ReleaseDeps } from './context';
import { ReleaseInputError } from '../errors';
import { REASON_MAX, httpsUrlProblem, textProblem } from '../../../services/input-bounds';
import { personName } from '../aws/identity';
import { olderHere } from './gates';
import type { TrainPass } from './train-lease';
import {
  currentRelease,
  type ApprovalRecord,
  lostStanding,
  releaseRecords,
  type LedgerRecord,
  type ReleaseAction,
} from '../ledger/ledger';

export interface ReleaseRequest {
  readonly action: ReleaseAction;
  /** The catalogue entry released: a service, or a function for the alias shift. */
  readonly service: string;
  readonly env: string;
  /** deploy: required; promote: defaults to the version live upstream; rollback: defaults to the one before. */
  readonly version?: string | undefined;
  readonly actor: string;
  readonly buildUrl?: string | null | undefined;
  readonly gitCommit?: string | null | undefined;
  readonly breakGlass?: boolean | undefined;
  readonly reason?: string | null | undefined;
  readonly dryRun?: boolean | undefined;
  readonly wait?: boolean | undefined;
  /** A release train's own member run (../saga/train-lease.ts); never set by a person. */
  readonly train?: TrainPass | undefined;
}

/**
 * A check of the request's own fields, before any AWS call; `entryOf` throws the input error for
 * a name that is not an entry of the strategy's kind.
 */
export function requestValidator(
  entryOf: (platform: Platform, name: string) => unknown,
): (deps: Pick<ReleaseDeps, 'platform'>, req: ReleaseRequest) => WorkloadEnvironmentName {
  return (deps, req) => {
    entryOf(deps.platform, req.service);
    const env = workloadEnv(req.env);
    if (req.action === 'deploy' && !req.version)
      throw new ReleaseInputError('version: required for deploy (e.g. v42)');
    // A branch build (branch-<name>-<sha7>) is well-formed here; where it may go is the gates' call.
    const problem = req.version === undefined ? null : buildVersionProblem(req.version);
    if (problem) throw new ReleaseInputError(`version: ${problem}`);
    const commitProblem = req.gitCommit ? gitCommitProblem(req.gitCommit) : null;
    if (commitProblem) throw new ReleaseInputError(`gitCommit: ${commitProblem}`);
    if (req.breakGlass && !req.reason?.trim())
      throw new ReleaseInputError('reason: --break-glass needs --reason "why"');
    if (!req.actor.trim()) throw new ReleaseInputError('actor: must not be empty');
    personName(req.actor, 'actor');
    checkBuildUrl(req.buildUrl);
    const reasonProblem = req.reason ? textProblem(req.reason, REASON_MAX) : null;
    if (reasonProblem) throw new ReleaseInputError(`reason: ${reasonProblem}`);
    return env;
  };
}

/** `--build-url`: Jenkins' BUILD_URL, recorded and shown as a link: https, bounded. */
export function checkBuildUrl(buildUrl: string | null | undefined): void {
  const problem = buildUrl ? httpsUrlProblem(buildUrl) : null;
  if (problem) throw new ReleaseInputError(`build-url: ${problem}`);
}

/** The environment a promotion to `env` takes its version from; null when fed by the build. */
export function promotionSource(
  deps: Pick<ReleaseDeps, 'platform'>,
  req: ReleaseRequest,
  env: WorkloadEnvironmentName,
): string | null {
  if (req.action === 'rollback') return null;
  const source = deps.platform.environments[env].promotion?.source;
  return source && source !== 'build' ? source : null;
}

/** The version asked for, else what the action implies. */
export function chooseVersion(
  req: ReleaseRequest,
  here: readonly LedgerRecord[],
  upstream: readonly LedgerRecord[],
  sourceEnv: string | null,
): string | undefined {
  if (req.version) return req.version;
  if (req.action === 'promote' && sourceEnv) return currentRelease(upstream)?.version;
  if (req.action === 'rollback') {
    // Back to the newest older version that succeeded here and stood (not rolled back or failed);
    // a release, since a branch build is someone's test: going back to one takes --to.
    const current = currentRelease(here);
    if (!current) return undefined;
    return releaseRecords(here)
      .filter(
        (r) =>
          r.outcome === 'succeeded' &&
          isReleaseVersion(r.version) &&
          olderHere(here, r.version, current) &&
          lostStanding(here, r.version) === null,
      )
      .at(-1)?.version;
  }
  return undefined;
}

/** The git commit the ledger recorded for `digest`, here or upstream, if any release named one. */
export function knownCommit(records: readonly LedgerRecord[], digest: string): string | null {
  return (
    releaseRecords(records)
      .filter((r) => r.digest === digest && r.gitCommit)
      .at(-1)?.gitCommit ?? null
  );
}

/**
 * What every release record says of who asked and why it was allowed: the caller's identity, the
 * approval the gate accepted (and how it was verified), and the gate settings and overrides in force.
 */
export function auditOf(
  deps: Pick<ReleaseDeps, 'platform'>,
  env: WorkloadEnvironmentName,
  prep: { readonly identity: string; readonly approval: ApprovalRecord | null },
) {
  const { approval } = prep;
  return {
    approver: approval?.approver ?? null,
    approval: approval && {
      seq: approval.seq,
      via: approval.via,
      approver: approval.approver,
      identity: approval.identity,
      buildUrl: approval.buildUrl,
    },
    identity: prep.identity,
    overrides: [...deps.platform.overrides],
    gateSettings: { ...deps.platform.environments[env].promotion },
  };
}
