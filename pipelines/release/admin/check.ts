/** `tdr check record`: a named check's result (e.g. staging's e2e) for a version's digest. */
import type { ReleaseDeps } from '../saga/context';
import { ledgerOf, workloadEnv } from '../saga/context';
import { releasableEntry, resolveArtifact } from '../saga/artifacts';
import { isReleaseVersion } from '../../../services/versions';
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

export const CHECK_NAME_PATTERN = /^[a-z][a-z0-9-]*$/;

export function validateCheck(deps: Pick<ReleaseDeps, 'platform'>, req: CheckRequest): void {
  releasableEntry(deps.platform, req.service);
  workloadEnv(req.env);
  if (!isReleaseVersion(req.version))
    throw new ReleaseInputError(
      `version: ${JSON.stringify(req.version)} must be v followed by digits, e.g. v42`,
    );
  if (!CHECK_NAME_PATTERN.test(req.name))
    throw new ReleaseInputError(`name: ${JSON.stringify(req.name)} must be a check name like e2e`);
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
