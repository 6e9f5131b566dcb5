/** `tdr check record`: a named check's result (e.g. staging's e2e) for a version's digest. */
import type { ReleaseDeps } from '../saga/context';
import { ledgerOf, workloadEnv } from '../saga/context';
import { releasableEntry, resolveArtifact } from '../saga/artifacts';
import { versionProblem } from '../../../services/versions';
import { httpsUrlProblem } from '../../../services/input-bounds';
import { personName } from '../aws/identity';
import { ReleaseInputError } from '../errors';
import { GateRefusedError } from '../saga/gates';
import type { CheckRecord } from '../ledger/ledger';

export interface CheckRequest {
  readonly service: string;
  readonly env: string;
  readonly version: string;
  readonly name: string;
  readonly result: 'passed' | 'failed';
  readonly url?: string | null | undefined;
  readonly actor: string;
}

/** A check's name (`e2e`): a word or two, at most 63 characters, as Jenkins' jobs and the model name it. */
export const CHECK_NAME_PATTERN = /^[a-z][a-z0-9-]{0,62}$/;

export function validateCheck(deps: Pick<ReleaseDeps, 'platform'>, req: CheckRequest): void {
  releasableEntry(deps.platform, req.service);
  workloadEnv(req.env);
  const versionIssue = versionProblem(req.version);
  if (versionIssue) throw new ReleaseInputError(`version: ${versionIssue}`);
  if (!CHECK_NAME_PATTERN.test(req.name))
    throw new ReleaseInputError(
      `name: ${JSON.stringify(req.name.slice(0, 80))}${req.name.length > 80 ? '…' : ''} must be a check name like e2e (lowercase letters, digits and -, at most 63)`,
    );
  const urlIssue = req.url ? httpsUrlProblem(req.url) : null;
  if (urlIssue) throw new ReleaseInputError(`url: ${urlIssue}`);
  personName(req.actor, 'actor');
  if (req.result !== 'passed' && req.result !== 'failed')
    throw new ReleaseInputError('result: must be passed or failed');
}

export async function recordCheck(
  deps: Pick<ReleaseDeps, 'clients' | 'platform' | 'now'>,
  req: CheckRequest,
): Promise<CheckRecord> {
  validateCheck(deps, req);
  const [resolved, identity] = await Promise.all([
    resolveArtifact(deps, req.service, req.version),
    deps.clients.callerIdentity(),
  ]);
  // Known only after asking ECR, so not invalid input (exit 2 means nothing was called): refused,
  // as a release of a version missing from ECR is.
  if (!resolved.ok) throw new GateRefusedError([resolved.gate]);
  return (await ledgerOf(deps).append({
    kind: 'check',
    service: req.service,
    env: workloadEnv(req.env),
    version: req.version,
    digest: resolved.digest,
    name: req.name,
    result: req.result,
    url: req.url ?? null,
    actor: req.actor,
    identity,
    overrides: [...deps.platform.overrides],
  })) as CheckRecord;
}
