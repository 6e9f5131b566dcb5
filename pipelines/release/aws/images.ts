/** A release version is an immutable ECR tag in mgmt, resolved once to its image digest. */
import { DescribeImagesCommand, DescribeRepositoriesCommand, type ECRClient } from '@aws-sdk/client-ecr';
import { AwsCallError, errorName } from '../errors';
import { short, type GateVerdict } from '../verdict';

export interface ResolvedImage {
  readonly version: string;
  readonly digest: string;
  /** `{registry}.dkr.ecr.{region}.amazonaws.com/{repo}@sha256:…`: what the task definition pins. */
  readonly image: string;
}

export async function repositoryUri(ecr: ECRClient, repository: string): Promise<string> {
  try {
    const out = await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [repository] }));
    const uri = out.repositories?.[0]?.repositoryUri;
    if (!uri) throw new Error('no repositoryUri returned');
    return uri;
  } catch (err) {
    throw new AwsCallError(`looking up ECR repository ${repository} in mgmt`, err);
  }
}

/** Resolves `version` in `repository`; null when no such tag exists (a gate then refuses). */
export async function resolveVersion(
  ecr: ECRClient,
  repository: string,
  version: string,
): Promise<ResolvedImage | null> {
  const uri = await repositoryUri(ecr, repository);
  try {
    const out = await ecr.send(
      new DescribeImagesCommand({ repositoryName: repository, imageIds: [{ imageTag: version }] }),
    );
    const digest = out.imageDetails?.[0]?.imageDigest;
    if (!digest) throw new Error('no image digest returned');
    return { version, digest, image: `${uri}@${digest}` };
  } catch (err) {
    if (errorName(err) === 'ImageNotFoundException') {
      return null;
    }
    throw new AwsCallError(`resolving ${repository}:${version} in ECR`, err);
  }
}

/** Whether `digest` still exists in `repository` (a lifecycle policy may have expired it). */
export async function digestExists(ecr: ECRClient, repository: string, digest: string): Promise<boolean> {
  try {
    const out = await ecr.send(
      new DescribeImagesCommand({ repositoryName: repository, imageIds: [{ imageDigest: digest }] }),
    );
    return (out.imageDetails ?? []).length > 0;
  } catch (err) {
    if (errorName(err) === 'ImageNotFoundException') return false;
    throw new AwsCallError(`looking up ${repository}@${digest} in ECR`, err);
  }
}

/** The digest in an image reference `repo@sha256:…`, if pinned. */
export function digestOf(image: string | undefined): string | null {
  const at = image?.lastIndexOf('@') ?? -1;
  return image && at >= 0 ? image.slice(at + 1) : null;
}

/** The gate every release passes first: the version exists, and this is its digest. */
export function imageGate(repository: string, version: string, resolved: ResolvedImage | null): GateVerdict {
  return {
    gate: 'image',
    ok: resolved !== null,
    detail: resolved
      ? `${repository}:${version} is ${short(resolved.digest)}`
      : `${version} does not exist in ECR repository ${repository}`,
  };
}
