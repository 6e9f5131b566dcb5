/**
 * An S3 bucket the way every TDR bucket must be: encrypted, versioned, owner-enforced, public
 * access blocked, TLS-only, with lifecycle rules; optionally object lock (the release ledger) and
 * an event notification (the export bucket tells the preservation system of each new export), and
 * optionally S3 request metrics (the quarantine bucket's puts are an incident panel).
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { arn, policyDocument, type PolicyStatement } from './iam';

export interface BucketLifecycle {
  readonly id: string;
  /** Delete current objects this many days after creation (landing and quarantine buckets). */
  readonly expireAfterDays?: number;
  readonly noncurrentVersionsExpireAfterDays: number;
}

export interface SecureBucketArgs {
  readonly bucketName: string;
  readonly lifecycle: readonly BucketLifecycle[];
  /** Governance-mode object lock: even the account cannot silently rewrite history. */
  readonly objectLockDays?: number;
  /** Extra statements for the bucket policy (grants to named principals); the TLS-only deny is always there. */
  readonly grants?: readonly PolicyStatement[];
  readonly notifyTopicArn?: pulumi.Input<string>;
  /**
   * Turns on S3 request metrics (PutRequests…) for the whole bucket under this configuration id,
   * which CloudWatch publishes as the `FilterId` dimension. Without one S3 publishes none.
   */
  readonly requestMetricsFilterId?: string;
  /** SSE-S3 by default: S3 managed keys let named principals in other accounts read objects. */
  readonly sseAlgorithm?: 'AES256' | 'aws:kms';
  /** With `aws:kms`: a customer-managed key instead of the account's aws/s3 key. */
  readonly kmsKeyId?: pulumi.Input<string>;
  /** Server access logging into another bucket. */
  readonly accessLog?: { readonly bucket: pulumi.Input<string>; readonly prefix: string };
}

export interface SecureBucketOutputs {
  readonly bucketName: string;
  readonly bucketArn: string;
  readonly bucket: aws.s3.Bucket;
}

export function tlsOnlyStatement(bucketName: string): PolicyStatement {
  return {
    Sid: 'DenyInsecureTransport',
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:*',
    Resource: [arn.s3Bucket(bucketName), arn.s3Objects(bucketName)],
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  };
}

// eslint-disable-next-line max-lines-per-function -- Pulumi resources declared in dependency order, one block each: splitting would pass half-built resources between functions.
export function createSecureBucket(
  name: string,
  args: SecureBucketArgs,
  parent: pulumi.Resource,
): SecureBucketOutputs {
  const opts = { parent };
  const bucket = new aws.s3.Bucket(
    `${name}-bucket`,
    { bucket: args.bucketName, objectLockEnabled: args.objectLockDays !== undefined, forceDestroy: false },
    opts,
  );
  const dependsOn: pulumi.Resource[] = [
    new aws.s3.BucketOwnershipControls(
      `${name}-ownership`,
      { bucket: bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' } },
      opts,
    ),
  ];
  dependsOn.push(
    new aws.s3.BucketPublicAccessBlock(
      `${name}-public-access`,
      {
        bucket: bucket.id,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      },
      opts,
    ),
  );
  new aws.s3.BucketServerSideEncryptionConfiguration(
    `${name}-encryption`,
    {
      bucket: bucket.id,
      rules: [
        {
          applyServerSideEncryptionByDefault: {
            sseAlgorithm: args.sseAlgorithm ?? 'AES256',
            ...(args.kmsKeyId === undefined ? {} : { kmsMasterKeyId: args.kmsKeyId }),
          },
          bucketKeyEnabled: true,
        },
      ],
    },
    opts,
  );
  const versioning = new aws.s3.BucketVersioning(
    `${name}-versioning`,
    { bucket: bucket.id, versioningConfiguration: { status: 'Enabled' } },
    opts,
  );
  new aws.s3.BucketLifecycleConfiguration(
    `${name}-lifecycle`,
    {
      bucket: bucket.id,
      rules: args.lifecycle.map((rule) => ({
        id: rule.id,
        status: 'Enabled',
        filter: {},
        abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
        noncurrentVersionExpiration: { noncurrentDays: rule.noncurrentVersionsExpireAfterDays },
        ...(rule.expireAfterDays === undefined ? {} : { expiration: { days: rule.expireAfterDays } }),
      })),
    },
    { parent, dependsOn: [versioning] },
  );
  if (args.objectLockDays !== undefined) {
    new aws.s3.BucketObjectLockConfiguration(
      `${name}-object-lock`,
      { bucket: bucket.id, rule: { defaultRetention: { mode: 'GOVERNANCE', days: args.objectLockDays } } },
      { parent, dependsOn: [versioning] },
    );
  }
  new aws.s3.BucketPolicy(
    `${name}-policy`,
    {
      bucket: bucket.id,
      policy: policyDocument([tlsOnlyStatement(args.bucketName), ...(args.grants ?? [])]),
    },
    // The public access block must exist first, or a grant could briefly be public.
    { parent, dependsOn },
  );
  if (args.accessLog !== undefined) {
    new aws.s3.BucketLogging(
      `${name}-access-log`,
      { bucket: bucket.id, targetBucket: args.accessLog.bucket, targetPrefix: args.accessLog.prefix },
      opts,
    );
  }
  if (args.notifyTopicArn !== undefined) {
    new aws.s3.BucketNotification(
      `${name}-notification`,
      { bucket: bucket.id, topics: [{ topicArn: args.notifyTopicArn, events: ['s3:ObjectCreated:*'] }] },
      opts,
    );
  }
  if (args.requestMetricsFilterId !== undefined) {
    // No filter: the configuration covers every object in the bucket.
    new aws.s3.BucketMetric(
      `${name}-request-metrics`,
      { bucket: bucket.id, name: args.requestMetricsFilterId },
      opts,
    );
  }
  return { bucketName: args.bucketName, bucketArn: arn.s3Bucket(args.bucketName), bucket };
}

export class SecureBucket extends pulumi.ComponentResource {
  readonly bucketName: string;
  readonly bucketArn: string;
  readonly bucket: aws.s3.Bucket;

  constructor(name: string, args: SecureBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    super('tdr:storage:SecureBucket', name, {}, opts);
    if (args.lifecycle.length === 0)
      throw new Error(`SecureBucket ${name}: give at least one lifecycle rule`);
    const out = createSecureBucket(name, args, this);
    this.bucketName = out.bucketName;
    this.bucketArn = out.bucketArn;
    this.bucket = out.bucket;
    this.registerOutputs({ bucketName: this.bucketName, bucketArn: this.bucketArn });
  }
}
