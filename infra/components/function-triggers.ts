/**
 * What starts a function, as the catalogue lists it: an SQS queue (redriving to the function's
 * dead-letter queue after `maxReceiveCount` failed receives) read by an event source mapping, an
 * EventBridge schedule, and S3 events of a bucket. Every trigger calls the `live` alias, so a
 * release takes effect for every trigger at once. Step Functions and direct invocations need no
 * resource on the function's side (the caller's role grants the call).
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { createQueue } from './lambda-function';

/** AWS's advice: a queue's visibility timeout at least six times its function's timeout. */
const VISIBILITY_PER_FUNCTION_TIMEOUT = 6;

export interface FunctionTriggersArgs {
  readonly functionName: string;
  readonly aliasArn: pulumi.Input<string>;
  readonly functionTimeoutSeconds: number;
  readonly accountId: string;
  readonly queues: ReadonlyArray<{
    readonly queueName: string;
    readonly batchSize: number;
    readonly maxReceiveCount: number;
    readonly deadLetterQueueArn: pulumi.Input<string>;
  }>;
  readonly schedules: ReadonlyArray<{ readonly ruleName: string; readonly expression: string }>;
}

export function createFunctionTriggers(
  name: string,
  args: FunctionTriggersArgs,
  parent: pulumi.Resource,
): void {
  const opts = { parent };
  for (const q of args.queues) {
    const queue = createQueue(`${name}-${q.queueName}`, q.queueName, parent, {
      visibilityTimeoutSeconds: VISIBILITY_PER_FUNCTION_TIMEOUT * args.functionTimeoutSeconds,
      redrivePolicy: pulumi.jsonStringify({
        deadLetterTargetArn: q.deadLetterQueueArn,
        maxReceiveCount: q.maxReceiveCount,
      }),
    });
    new aws.lambda.EventSourceMapping(
      `${name}-${q.queueName}-mapping`,
      {
        eventSourceArn: queue.arn,
        functionName: args.aliasArn,
        batchSize: q.batchSize,
        // A failed message is retried on its own, not with its whole batch.
        functionResponseTypes: ['ReportBatchItemFailures'],
      },
      opts,
    );
  }
  for (const s of args.schedules) {
    const rule = new aws.cloudwatch.EventRule(
      `${name}-${s.ruleName}`,
      { name: s.ruleName, scheduleExpression: s.expression, description: `Runs ${args.functionName}` },
      opts,
    );
    new aws.lambda.Permission(
      `${name}-${s.ruleName}-invoke`,
      {
        action: 'lambda:InvokeFunction',
        function: args.aliasArn,
        principal: 'events.amazonaws.com',
        sourceArn: rule.arn,
      },
      opts,
    );
    new aws.cloudwatch.EventTarget(
      `${name}-${s.ruleName}-target`,
      { rule: rule.name, arn: args.aliasArn },
      opts,
    );
  }
}

export class FunctionTriggers extends pulumi.ComponentResource {
  constructor(name: string, args: FunctionTriggersArgs, opts?: pulumi.ComponentResourceOptions) {
    super('tdr:serverless:FunctionTriggers', name, {}, opts);
    createFunctionTriggers(name, args, this);
    this.registerOutputs({});
  }
}

export interface BucketTriggerArgs {
  readonly bucketName: string;
  readonly bucketId: pulumi.Input<string>;
  readonly accountId: string;
  readonly functions: ReadonlyArray<{
    readonly functionName: string;
    readonly aliasArn: pulumi.Input<string>;
    readonly events: readonly string[];
  }>;
}

/** A bucket has one notification configuration: every function its events start, together. */
export class BucketTrigger extends pulumi.ComponentResource {
  constructor(name: string, args: BucketTriggerArgs, opts?: pulumi.ComponentResourceOptions) {
    super('tdr:serverless:BucketTrigger', name, {}, opts);
    const permissions = args.functions.map(
      (f) =>
        new aws.lambda.Permission(
          `${name}-${f.functionName}-invoke`,
          {
            action: 'lambda:InvokeFunction',
            function: f.aliasArn,
            principal: 's3.amazonaws.com',
            sourceArn: `arn:aws:s3:::${args.bucketName}`,
            sourceAccount: args.accountId,
          },
          { parent: this },
        ),
    );
    new aws.s3.BucketNotification(
      `${name}-notification`,
      {
        bucket: args.bucketId,
        lambdaFunctions: args.functions.map((f) => ({
          lambdaFunctionArn: f.aliasArn,
          events: [...f.events],
        })),
      },
      // S3 tests the invoke permission when the configuration is written.
      { parent: this, dependsOn: permissions },
    );
    this.registerOutputs({});
  }
}
