/**
 * What a version of a releasable entry is, whichever kind it is: an image digest in ECR for a
 * service, a package's SHA-256 in the code bucket for a function. Checks and approvals are
 * recorded against it, as releases are.
 */
import type { Platform } from '../../../services/config';
import type { EcsServiceEntry, LambdaEntry } from '../../../services/catalogue';
import { naming } from '../../../services/naming';
import { entryOfKind, functionPackageFile, namesOfKind } from '../../../services/queries';
import type { ReleaseDeps } from './context';
import { ReleaseInputError } from '../errors';
import type { GateVerdict } from '../verdict';
import { imageGate, resolveVersion } from '../aws/images';
import { packageGate, resolvePackage, type PackageLookup } from '../aws/lambda';

/** The service or function `name`, or an input error listing every releasable one. */
export function releasableEntry(platform: Platform, name: string): EcsServiceEntry | LambdaEntry {
  const entry = entryOfKind(platform.catalogue, name, 'service', 'lambda');
  if (!entry)
    throw new ReleaseInputError(
      `service: unknown service or function ${JSON.stringify(name)}; valid: ${namesOfKind(platform.catalogue, 'service', 'lambda').join(', ')}`,
    );
  return entry;
}

/** The package of `version` of a function in mgmt's code bucket. */
export function functionPackage(
  deps: Pick<ReleaseDeps, 'clients'>,
  name: string,
  entry: LambdaEntry,
  version: string,
): Promise<PackageLookup> {
  const key = naming.functionPackageKey(name, version, functionPackageFile(entry));
  return resolvePackage(deps.clients.mgmt.s3, naming.backendCodeBucket(), key, version);
}

/** The digest `version` of `name` resolves to, or the gate verdict saying why there is none. */
export async function resolveArtifact(
  deps: Pick<ReleaseDeps, 'clients' | 'platform'>,
  name: string,
  version: string,
): Promise<
  { readonly ok: true; readonly digest: string } | { readonly ok: false; readonly gate: GateVerdict }
> {
  const entry = releasableEntry(deps.platform, name);
  if (entry.kind === 'lambda') {
    const lookup = await functionPackage(deps, name, entry, version);
    return lookup.ok
      ? { ok: true, digest: lookup.pkg.sha256 }
      : { ok: false, gate: packageGate(name, version, lookup) };
  }
  const resolved = await resolveVersion(deps.clients.mgmt.ecr, entry.imageRepository, version);
  return resolved
    ? { ok: true, digest: resolved.digest }
    : { ok: false, gate: imageGate(entry.imageRepository, version, null) };
}
