/**
 * The serverless backend in the sandbox: mgmt's code bucket with packages v1, v2 and v3 of every
 * function (each uploaded with its SHA-256, as the build's upload-package does), and in each
 * workload account every function created from v1 with its `live` alias and its log group, as
 * infra creates them
 * (sandbox/definitions.ts builds them from infra/definitions). Idempotent.
 */
import { createHash } from 'node:crypto';
import {
  CreateBucketCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  type BucketLocationConstraint,
  type S3Client,
} from '@aws-sdk/client-s3';
import { CreateLogGroupCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { AccountIds, Platform } from '../services/config';
import { WORKLOAD_ENVIRONMENTS, type WorkloadEnvironmentName } from '../services/environments';
import { naming } from '../services/naming';
import { functionPackageFile, functions } from '../services/queries';
import { attempt, errorName, AwsCallError } from '../pipelines/release/errors';
import { Lambda } from '../pipelines/release/aws/lambda';
import { ignoreExists } from './aws';
import { SANDBOX_VERSIONS, fakePackage, sandboxFunction, sandboxFunctionLogGroup } from './definitions';

/** The code bucket, versioned, with every function's sandbox versions. */
export async function uploadPackages(s3: S3Client, platform: Platform): Promise<string[]> {
  const bucket = naming.backendCodeBucket();
  try {
    await s3.send(
      new CreateBucketCommand({
        Bucket: bucket,
        CreateBucketConfiguration: {
          LocationConstraint: platform.environments.mgmt.region as BucketLocationConstraint,
        },
      }),
    );
  } catch (err) {
    if (!['BucketAlreadyOwnedByYou', 'BucketAlreadyExists'].includes(errorName(err) ?? ''))
      throw new AwsCallError(`creating code bucket ${bucket}`, err);
  }
  await attempt(`enabling versioning on ${bucket}`, () =>
    s3.send(
      new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }),
    ),
  );
  const lines: string[] = [];
  for (const [fn, entry] of functions(platform.catalogue)) {
    for (const version of SANDBOX_VERSIONS) {
      const body = fakePackage(fn, version);
      const key = naming.functionPackageKey(fn, version, functionPackageFile(entry));
      await attempt(`uploading s3://${bucket}/${key}`, () =>
        s3.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: key,
            Body: body,
            ChecksumAlgorithm: 'SHA256',
            ChecksumSHA256: createHash('sha256').update(body).digest('base64'),
          }),
        ),
      );
    }
    lines.push(`mgmt: s3://${bucket}/${fn}/ ${SANDBOX_VERSIONS.join(' ')}`);
  }
  return lines;
}

/** Every function at v1 with `live` on its first version, and its log group, in every workload account. */
export async function createFunctions(
  lambdaOf: (env: WorkloadEnvironmentName) => LambdaClient,
  logsOf: (env: WorkloadEnvironmentName) => CloudWatchLogsClient,
  platform: Platform,
  ids: AccountIds,
): Promise<string[]> {
  const perEnv = await Promise.all(
    WORKLOAD_ENVIRONMENTS.map(async (env) => {
      const lambda = new Lambda(lambdaOf(env));
      const lines: string[] = [];
      for (const [fn] of functions(platform.catalogue)) {
        const input = sandboxFunction(platform, ids, env, fn);
        const created = await lambda.ensureFunction(input);
        const first = created.Version && created.Version !== '$LATEST' ? created.Version : '1';
        const alias = await lambda.ensureAlias(input.FunctionName ?? '', naming.functionAlias(), first);
        const logGroup = sandboxFunctionLogGroup(platform, ids, env, fn);
        await ignoreExists(`creating log group ${logGroup} in ${env}`, () =>
          logsOf(env).send(new CreateLogGroupCommand({ logGroupName: logGroup })),
        );
        lines.push(
          `${env}: Lambda ${input.FunctionName} (${input.Runtime}, ${input.MemorySize} MiB), ${naming.functionAlias()} → ${alias.FunctionVersion}, log group ${logGroup}`,
        );
      }
      return lines;
    }),
  );
  return perEnv.flat();
}
