/**
 * The one Lambda adapter: every Lambda call of the platform goes through here, each wrapped with
 * what was being attempted. And the function package in mgmt's code bucket, resolved to the
 * SHA-256 the build recorded (S3's full-object checksum), which is the digest a function release
 * carries: Lambda reports the same value as `CodeSha256` once the code is deployed.
 *
 * An update is over when Lambda says so: `LastUpdateStatus` Successful, or Failed with its reason
 * (https://docs.aws.amazon.com/lambda/latest/dg/functions-states.html).
 */
import { HeadObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import {
  CreateAliasCommand,
  CreateFunctionCommand,
  GetAliasCommand,
  GetFunctionConfigurationCommand,
  PublishVersionCommand,
  UpdateAliasCommand,
  UpdateFunctionCodeCommand,
  type AliasConfiguration,
  type CreateFunctionCommandInput,
  type FunctionConfiguration,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { AwsCallError, attempt, errorName } from '../errors';
import type { GateVerdict } from '../verdict';
import { pollUntil } from '../wait';
import type { WaitOptions, WaitResult } from './ecs';

/** A function package in the code bucket: where it is and the SHA-256 its upload recorded. */
export interface ResolvedPackage {
  readonly version: string;
  readonly bucket: string;
  readonly key: string;
  /** The S3 object version: a package is pinned even if its key were ever written again. */
  readonly objectVersion: string | null;
  /** Base64 SHA-256 of the package, as S3's checksum and Lambda's `CodeSha256` give it. */
  readonly sha256: string;
  /** `s3://bucket/key`: what the ledger's `image` holds for a function. */
  readonly uri: string;
}

/** The package, or why there is none to release (a gate then refuses). */
export type PackageLookup =
  { readonly ok: true; readonly pkg: ResolvedPackage } | { readonly ok: false; readonly reason: string };

const NOT_FOUND = new Set(['NotFound', 'NoSuchKey', 'NoSuchBucket']);

/**
 * The package `key` in `bucket`. A package without a full-object SHA-256 (uploaded without
 * `--checksum-sha256`, or in parts) is refused: its digest could not be compared with what Lambda
 * reports.
 */
export async function resolvePackage(
  s3: S3Client,
  bucket: string,
  key: string,
  version: string,
): Promise<PackageLookup> {
  const uri = `s3://${bucket}/${key}`;
  try {
    const out = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: 'ENABLED' }));
    const sha256 = out.ChecksumSHA256;
    if (!sha256 || sha256.includes('-'))
      return {
        ok: false,
        reason: `${uri} has no full-object SHA-256 checksum: upload it with upload-package (put-object --checksum-sha256)`,
      };
    return { ok: true, pkg: { version, bucket, key, objectVersion: out.VersionId ?? null, sha256, uri } };
  } catch (err) {
    const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (NOT_FOUND.has(errorName(err) ?? '') || status === 404)
      return { ok: false, reason: `${version} is not in the code bucket (no ${uri})` };
    throw new AwsCallError(`reading package ${uri} in mgmt`, err);
  }
}

/** A package's key in the code bucket, and when it was uploaded. */
export interface PackageObject {
  readonly version: string;
  readonly key: string;
  readonly lastModified: Date | undefined;
}

/**
 * Every package of `fn` in `bucket`, `{fn}/{version}/{file}`, newest upload first. Upload time,
 * not the version's name, orders them: branch builds have no number to sort by.
 */
export async function listPackages(
  s3: S3Client,
  bucket: string,
  prefix: string,
  file: string,
): Promise<PackageObject[]> {
  const found: PackageObject[] = [];
  let token: string | undefined;
  do {
    const page = await attempt(`listing the packages s3://${bucket}/${prefix} in mgmt`, () =>
      s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token })),
    );
    for (const o of page.Contents ?? []) {
      // Anything else under the prefix (a checksum file, a deeper key) is not a package.
      const [version, name, ...deeper] = (o.Key ?? '').slice(prefix.length).split('/');
      if (version && name === file && deeper.length === 0)
        found.push({ version, key: o.Key ?? '', lastModified: o.LastModified });
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  const time = (p: PackageObject) => p.lastModified?.getTime() ?? 0;
  return found.sort((a, b) => time(b) - time(a) || b.key.localeCompare(a.key));
}

/** The gate every function release passes first: the package exists, and this is its SHA-256. */
export function packageGate(fn: string, version: string, lookup: PackageLookup): GateVerdict {
  return {
    gate: 'package',
    ok: lookup.ok,
    detail: lookup.ok ? `${fn} ${version} is ${lookup.pkg.uri} (sha256 ${lookup.pkg.sha256})` : lookup.reason,
  };
}

/** The additional version an alias weighs and its weight (0.0-1.0), if it has one. */
export function aliasWeight(
  alias: AliasConfiguration | undefined,
): { readonly version: string; readonly weight: number } | undefined {
  const [entry] = Object.entries(alias?.RoutingConfig?.AdditionalVersionWeights ?? {});
  return entry ? { version: entry[0], weight: entry[1] } : undefined;
}

/** A function's `live` alias and the version it points at. */
export interface LiveFunction {
  readonly alias: AliasConfiguration;
  /** The configuration of the version the alias points at: its `CodeSha256` is what runs. */
  readonly version: FunctionConfiguration;
}

export class Lambda {
  constructor(readonly client: LambdaClient) {}

  /** `$LATEST` or one version's configuration. */
  async configuration(functionName: string, qualifier?: string, why = ''): Promise<FunctionConfiguration> {
    return attempt(
      `reading the configuration of ${functionName}${qualifier ? `:${qualifier}` : ''}${why}`,
      () =>
        this.client.send(
          new GetFunctionConfigurationCommand({
            FunctionName: functionName,
            ...(qualifier ? { Qualifier: qualifier } : {}),
          }),
        ),
    );
  }

  /** `$LATEST`'s configuration, or undefined when there is no such function. */
  async findFunction(functionName: string, why = ''): Promise<FunctionConfiguration | undefined> {
    try {
      return await this.client.send(new GetFunctionConfigurationCommand({ FunctionName: functionName }));
    } catch (err) {
      if (errorName(err) === 'ResourceNotFoundException') return undefined;
      throw new AwsCallError(`reading the configuration of ${functionName}${why}`, err);
    }
  }

  /** The alias, or undefined when the function has none of that name. */
  async alias(functionName: string, alias: string, why = ''): Promise<AliasConfiguration | undefined> {
    try {
      return await this.client.send(new GetAliasCommand({ FunctionName: functionName, Name: alias }));
    } catch (err) {
      if (errorName(err) === 'ResourceNotFoundException') return undefined;
      throw new AwsCallError(`reading alias ${alias} of ${functionName}${why}`, err);
    }
  }

  /** The alias and the configuration of the version it points at; undefined without the alias. */
  async live(functionName: string, alias: string, why = ''): Promise<LiveFunction | undefined> {
    const a = await this.alias(functionName, alias, why);
    if (!a?.FunctionVersion) return undefined;
    return { alias: a, version: await this.configuration(functionName, a.FunctionVersion, why) };
  }

  /** Points `$LATEST` at the package; Lambda then updates asynchronously (see waitForUpdate). */
  async updateCode(functionName: string, pkg: ResolvedPackage): Promise<FunctionConfiguration> {
    return attempt(`updating the code of ${functionName} to ${pkg.uri}`, () =>
      this.client.send(
        new UpdateFunctionCodeCommand({
          FunctionName: functionName,
          S3Bucket: pkg.bucket,
          S3Key: pkg.key,
          ...(pkg.objectVersion ? { S3ObjectVersion: pkg.objectVersion } : {}),
          Publish: false,
        }),
      ),
    );
  }

  /** Until `LastUpdateStatus` is Successful (ok) or Failed (its reason), or the timeout. */
  async waitForUpdate(functionName: string, opts: WaitOptions, qualifier?: string): Promise<WaitResult> {
    type Done = { readonly ok: true } | { readonly ok: false; readonly reason: string };
    const end = await pollUntil<Done, string>(opts.clock, async (elapsedMs) => {
      const c = await this.configuration(functionName, qualifier, ' while waiting for its update');
      const status = c.LastUpdateStatus ?? 'Successful';
      opts.progress(elapsedMs, `LastUpdateStatus ${status}${c.State ? `, State ${c.State}` : ''}`);
      if (status === 'Failed' || c.State === 'Failed')
        return {
          done: {
            ok: false,
            reason: `Lambda failed the update: ${c.LastUpdateStatusReasonCode ?? c.StateReasonCode ?? 'Failed'}: ${c.LastUpdateStatusReason ?? c.StateReason ?? 'no reason given'}`,
          },
        };
      if (status === 'Successful' && (c.State ?? 'Active') === 'Active') return { done: { ok: true } };
      return { pending: `${status}/${c.State ?? '?'}` };
    });
    if ('done' in end) return { ...end.done, elapsedMs: end.elapsedMs };
    return {
      ok: false,
      reason: `the update was still ${end.pending} after ${Math.round(end.elapsedMs / 1000)} s`,
      elapsedMs: end.elapsedMs,
    };
  }

  /**
   * Publishes `$LATEST` as a new version, only if its code is still `codeSha256` (Lambda refuses
   * otherwise, so a concurrent change cannot be published under our name).
   */
  async publishVersion(
    functionName: string,
    codeSha256: string,
    description: string,
  ): Promise<FunctionConfiguration> {
    const out = await attempt(`publishing a version of ${functionName}`, () =>
      this.client.send(
        new PublishVersionCommand({
          FunctionName: functionName,
          CodeSha256: codeSha256,
          Description: description,
        }),
      ),
    );
    if (!out.Version)
      throw new AwsCallError(`publishing a version of ${functionName}`, new Error('no version returned'));
    return out;
  }

  /**
   * Points the alias wholly at `version`: any routing weight (a canary's, or one a crashed canary
   * left) is cleared with an empty `AdditionalVersionWeights`, since UpdateAlias without
   * `RoutingConfig` keeps the one there (https://docs.aws.amazon.com/lambda/latest/api/API_UpdateAlias.html).
   */
  async moveAlias(
    functionName: string,
    alias: string,
    version: string,
    why: string,
  ): Promise<AliasConfiguration> {
    return attempt(why, () =>
      this.client.send(
        new UpdateAliasCommand({
          FunctionName: functionName,
          Name: alias,
          FunctionVersion: version,
          RoutingConfig: { AdditionalVersionWeights: {} },
        }),
      ),
    );
  }

  /**
   * A canary: the alias stays on `baseline` and sends `weight` (0.0-1.0) of its invocations to
   * `canary`, one additional published version, never `$LATEST`
   * (https://docs.aws.amazon.com/lambda/latest/api/API_AliasRoutingConfiguration.html).
   */
  async weighAlias(
    functionName: string,
    alias: string,
    versions: { readonly baseline: string; readonly canary: string; readonly weight: number },
    why: string,
  ): Promise<AliasConfiguration> {
    if (
      !/^\d+$/.test(versions.canary) ||
      !/^\d+$/.test(versions.baseline) ||
      versions.canary === versions.baseline
    )
      throw new Error(`a canary weighs two published versions: ${versions.baseline} and ${versions.canary}`);
    if (!(versions.weight > 0 && versions.weight < 1))
      throw new Error(`a canary weight is over 0 and under 1: ${versions.weight}`);
    return attempt(why, () =>
      this.client.send(
        new UpdateAliasCommand({
          FunctionName: functionName,
          Name: alias,
          FunctionVersion: versions.baseline,
          RoutingConfig: { AdditionalVersionWeights: { [versions.canary]: versions.weight } },
        }),
      ),
    );
  }

  // ---- For `tdr sandbox up`: what infra creates on AWS. ----

  /** Creates the function unless it exists; its configuration either way. */
  async ensureFunction(input: CreateFunctionCommandInput): Promise<FunctionConfiguration> {
    try {
      return await this.client.send(new CreateFunctionCommand(input));
    } catch (err) {
      if (errorName(err) !== 'ResourceConflictException')
        throw new AwsCallError(`creating function ${input.FunctionName}`, err);
      return this.configuration(input.FunctionName ?? '');
    }
  }

  /** Creates the alias at `version` unless it exists. */
  async ensureAlias(functionName: string, alias: string, version: string): Promise<AliasConfiguration> {
    const existing = await this.alias(functionName, alias);
    if (existing) return existing;
    return attempt(`creating alias ${alias} of ${functionName}`, () =>
      this.client.send(
        new CreateAliasCommand({ FunctionName: functionName, Name: alias, FunctionVersion: version }),
      ),
    );
  }
}
