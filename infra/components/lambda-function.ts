/**
 * A Lambda function of the catalogue: its role (only what its triggers and targets need, from
 * infra/definitions/lambda.ts), its log group with retention, its dead-letter queue (the redrive
 * target of its SQS triggers and the on-failure destination of its asynchronous invocations), and
 * the alias `live` that every trigger calls and every release moves.
 *
 * The release engine owns what runs: it updates the code, publishes a version and points `live` at
 * it. The function therefore ignores changes to its code and the alias to its version, so that
 * `pulumi up` never rolls a release back.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { FunctionDefinition } from '../definitions/lambda';
import { createRole, type RoleSpec } from './iam';

/** Properties the release engine changes; infra must not fight them. */
export const FUNCTION_RELEASE_OWNED = ['s3Key', 's3ObjectVersion', 'sourceCodeHash'] as const;
export const ALIAS_RELEASE_OWNED = ['functionVersion'] as const;

/** How often an asynchronous event is retried before it goes to the dead-letter queue (Lambda's maximum). */
const ASYNC_RETRIES = 2;

export interface LambdaFunctionArgs {
  readonly definition: FunctionDefinition;
  readonly role: RoleSpec;
  readonly logRetentionDays: number;
  /** Private subnets and the function's security groups, for a function in the VPC. */
  readonly vpc?: {
    readonly subnetIds: ReadonlyArray<pulumi.Input<string>>;
    readonly securityGroupIds: ReadonlyArray<pulumi.Input<string>>;
  };
  /** Invoked asynchronously (S3, EventBridge): failed events go to the dead-letter queue. */
  readonly asyncInvocation: boolean;
}

export interface LambdaFunctionOutputs {
  readonly functionName: string;
  readonly functionArn: pulumi.Output<string>;
  readonly aliasArn: pulumi.Output<string>;
  readonly deadLetterQueueArn: pulumi.Output<string> | undefined;
  readonly deadLetterQueueName: string | null;
}

/** A queue as every TDR queue is: encrypted with SQS's own key, messages kept 14 days. */
export function createQueue(
  name: string,
  queueName: string,
  parent: pulumi.Resource,
  extra: aws.sqs.QueueArgs = {},
) {
  return new aws.sqs.Queue(
    name,
    { name: queueName, sqsManagedSseEnabled: true, messageRetentionSeconds: 14 * 86_400, ...extra },
    { parent },
  );
}

export function createLambdaFunction(
  name: string,
  args: LambdaFunctionArgs,
  parent: pulumi.Resource,
): LambdaFunctionOutputs {
  const { definition: def } = args;
  const opts = { parent };
  if (args.asyncInvocation && !def.deadLetterQueue)
    throw new Error(`${def.functionName} is invoked asynchronously but has no dead-letter queue`);
  const logGroup = new aws.cloudwatch.LogGroup(
    `${name}-logs`,
    { name: def.logGroup, retentionInDays: args.logRetentionDays },
    opts,
  );
  const role = createRole(`${name}-role`, args.role, parent);
  const dlq = def.deadLetterQueue ? createQueue(`${name}-dlq`, def.deadLetterQueue, parent) : undefined;
  const fn = new aws.lambda.Function(
    `${name}-function`,
    {
      name: def.functionName,
      role: role.arn,
      runtime: def.runtime,
      handler: def.handler,
      memorySize: def.memory,
      timeout: def.timeoutSeconds,
      s3Bucket: def.codeBucket,
      s3Key: def.initialKey,
      publish: true,
      ...(def.reservedConcurrency === null ? {} : { reservedConcurrentExecutions: def.reservedConcurrency }),
      environment: { variables: { ...def.environment } },
      loggingConfig: { logFormat: 'JSON', logGroup: def.logGroup },
      tracingConfig: { mode: 'Active' },
      ...(args.vpc
        ? {
            vpcConfig: {
              subnetIds: [...args.vpc.subnetIds],
              securityGroupIds: [...args.vpc.securityGroupIds],
            },
          }
        : {}),
    },
    { parent, dependsOn: [logGroup], ignoreChanges: [...FUNCTION_RELEASE_OWNED] },
  );
  const alias = new aws.lambda.Alias(
    `${name}-live`,
    { name: 'live', functionName: fn.name, functionVersion: fn.version },
    { parent, ignoreChanges: [...ALIAS_RELEASE_OWNED] },
  );
  if (args.asyncInvocation && dlq) {
    new aws.lambda.FunctionEventInvokeConfig(
      `${name}-async`,
      {
        functionName: fn.name,
        qualifier: alias.name,
        maximumRetryAttempts: ASYNC_RETRIES,
        destinationConfig: { onFailure: { destination: dlq.arn } },
      },
      opts,
    );
  }
  return {
    functionName: def.functionName,
    functionArn: fn.arn,
    aliasArn: alias.arn,
    deadLetterQueueArn: dlq?.arn,
    deadLetterQueueName: def.deadLetterQueue,
  };
}

export class LambdaFunction extends pulumi.ComponentResource {
  readonly functionName: string;
  readonly functionArn: pulumi.Output<string>;
  readonly aliasArn: pulumi.Output<string>;
  readonly deadLetterQueueArn: pulumi.Output<string> | undefined;
  readonly deadLetterQueueName: string | null;

  constructor(name: string, args: LambdaFunctionArgs, opts?: pulumi.ComponentResourceOptions) {
    super('tdr:serverless:Function', name, {}, opts);
    const out = createLambdaFunction(name, args, this);
    this.functionName = out.functionName;
    this.functionArn = out.functionArn;
    this.aliasArn = out.aliasArn;
    this.deadLetterQueueArn = out.deadLetterQueueArn;
    this.deadLetterQueueName = out.deadLetterQueueName;
    this.registerOutputs({ functionName: this.functionName, aliasArn: this.aliasArn });
  }
}
