/**
 * The catalogue's functions and state machines in a workload account, as plain data: each
 * function's role (only what its triggers and targets need), its settings, its dead-letter queue;
 * each state machine's role. infra creates them under Pulumi; the sandbox creates the functions on
 * moto from the same definitions. Nothing here loads Pulumi at run time.
 */
import type * as pulumi from '@pulumi/pulumi';
import type { LambdaEntry, LambdaRuntime, StateMachineEntry } from '../../services/catalogue';
import { naming } from '../../services/naming';
import {
  entryOfKind,
  functionPackageFile,
  needsDeadLetterQueue,
  stepReferences,
  triggersOfKind,
} from '../../services/queries';
import type { WorkloadAccountFacts } from './account';
import { arn, serviceTrust, type PolicyStatement, type RoleSpec } from './iam';

/** The version every function is created at, before its first release moves the `live` alias. */
export const INITIAL_FUNCTION_VERSION = 'v1';

export const lambdaArn = {
  function: (region: string, accountId: string, name: string) =>
    `arn:aws:lambda:${region}:${accountId}:function:${name}`,
  /** Every version and alias of the function. */
  qualified: (region: string, accountId: string, name: string) =>
    `arn:aws:lambda:${region}:${accountId}:function:${name}:*`,
  alias: (region: string, accountId: string, name: string) =>
    `arn:aws:lambda:${region}:${accountId}:function:${name}:${naming.functionAlias()}`,
  queue: (region: string, accountId: string, name: string) => `arn:aws:sqs:${region}:${accountId}:${name}`,
  stateMachine: (region: string, accountId: string, name: string) =>
    `arn:aws:states:${region}:${accountId}:stateMachine:${name}`,
};

/** X-Ray has no resource-level permissions. */
const TRACE_STATEMENT: PolicyStatement = {
  Sid: 'Trace',
  Effect: 'Allow',
  Action: [
    'xray:PutTraceSegments',
    'xray:PutTelemetryRecords',
    'xray:GetSamplingRules',
    'xray:GetSamplingTargets',
  ],
  Resource: '*',
};

/** What Lambda is given for one function in one environment (plain values; no Pulumi). */
export interface FunctionDefinition {
  readonly name: string;
  readonly functionName: string;
  readonly runtime: LambdaRuntime;
  readonly handler: string;
  readonly memory: number;
  readonly timeoutSeconds: number;
  readonly reservedConcurrency: number | null;
  readonly logGroup: string;
  readonly codeBucket: string;
  readonly initialKey: string;
  readonly environment: Readonly<Record<string, string>>;
  /** Its own dead-letter queue, when it has an SQS trigger or is invoked asynchronously. */
  readonly deadLetterQueue: string | null;
}

export function lambdaEntry(workload: WorkloadAccountFacts, name: string): LambdaEntry {
  const entry = entryOfKind(workload.platform.catalogue, name, 'lambda');
  if (!entry) throw new Error(`${name} is not a lambda of the catalogue`);
  return entry;
}

export function functionDefinition(workload: WorkloadAccountFacts, name: string): FunctionDefinition {
  const { env } = workload;
  const entry = lambdaEntry(workload, name);
  return {
    name,
    functionName: naming.functionName(name, env),
    runtime: entry.runtime,
    handler: entry.handler,
    memory: entry.memory[env],
    timeoutSeconds: entry.timeoutSeconds[env],
    reservedConcurrency: entry.reservedConcurrency,
    logGroup: naming.functionLogGroup(name, env),
    codeBucket: naming.backendCodeBucket(),
    initialKey: naming.functionPackageKey(name, INITIAL_FUNCTION_VERSION, functionPackageFile(entry)),
    environment: { ENVIRONMENT: env },
    deadLetterQueue: needsDeadLetterQueue(entry) ? naming.functionDeadLetterQueue(name, env) : null,
  };
}

/** ARNs known only to infra (Pulumi outputs), or to the sandbox as plain strings. */
export interface FunctionRoleInputs {
  /** The KMS key of the environment's SNS topics, when the function publishes to one. */
  readonly topicKeyArn?: pulumi.Input<string>;
}

/**
 * Only what the function's triggers and targets need: its log streams, its queues, its buckets,
 * its parameters, its topics, and in the VPC its network interfaces. No action is a wildcard.
 */
// eslint-disable-next-line max-lines-per-function -- one statement per trigger and target, in the order a reviewer checks them against the catalogue.
export function functionRoleSpec(
  workload: WorkloadAccountFacts,
  name: string,
  inputs: FunctionRoleInputs = {},
): RoleSpec {
  const { env, region, accountId } = workload;
  const entry = lambdaEntry(workload, name);
  const def = functionDefinition(workload, name);
  const statements: PolicyStatement[] = [
    {
      Sid: 'WriteOwnLogs',
      Effect: 'Allow',
      // Both act on log streams only (Service Authorization Reference, CloudWatch Logs).
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: [arn.logStreams(region, accountId, def.logGroup)],
    },
    // Active tracing: Lambda sends the function's segments to X-Ray as the function's role.
    TRACE_STATEMENT,
  ];
  const sqs = triggersOfKind(entry, 'sqs');
  if (sqs.length > 0)
    statements.push({
      Sid: 'ConsumeTriggerQueues',
      Effect: 'Allow',
      Action: [
        'sqs:ReceiveMessage',
        'sqs:DeleteMessage',
        'sqs:GetQueueAttributes',
        'sqs:ChangeMessageVisibility',
      ],
      Resource: sqs.map((t) => lambdaArn.queue(region, accountId, naming.queue(t.queue, env))),
    });
  if (def.deadLetterQueue)
    statements.push({
      Sid: 'SendFailuresToDeadLetterQueue',
      Effect: 'Allow',
      Action: ['sqs:SendMessage'],
      Resource: lambdaArn.queue(region, accountId, def.deadLetterQueue),
    });
  const { readBuckets, writeBuckets, parameters, topics } = entry.access;
  if (readBuckets.length > 0)
    statements.push({
      Sid: 'ReadBuckets',
      Effect: 'Allow',
      Action: ['s3:GetObject'],
      Resource: readBuckets.map((b) => arn.s3Objects(naming.bucket(b, env))),
    });
  if (writeBuckets.length > 0)
    statements.push({
      Sid: 'WriteBuckets',
      Effect: 'Allow',
      Action: ['s3:PutObject'],
      Resource: writeBuckets.map((b) => arn.s3Objects(naming.bucket(b, env))),
    });
  if (parameters.length > 0) {
    statements.push(
      {
        Sid: 'ReadParameters',
        Effect: 'Allow',
        Action: ['ssm:GetParameter'],
        Resource: parameters.map((p) => arn.ssmParameter(region, accountId, p.replace('{env}', env))),
      },
      {
        // SecureString parameters are decrypted by SSM with the account's key, on our behalf only.
        Sid: 'DecryptParametersThroughSsm',
        Effect: 'Allow',
        Action: ['kms:Decrypt'],
        Resource: `arn:aws:kms:${region}:${accountId}:key/*`,
        Condition: { StringEquals: { 'kms:ViaService': `ssm.${region}.amazonaws.com` } },
      },
    );
  }
  if (topics.length > 0) {
    const topicNames = topics.map((t) =>
      t === 'consignment-export' ? naming.exportNotificationsTopic(env) : naming.notificationsTopic(env),
    );
    statements.push({
      Sid: 'PublishToTopics',
      Effect: 'Allow',
      Action: ['sns:Publish'],
      Resource: topicNames.map((t) => arn.snsTopic(region, accountId, t)),
    });
    if (inputs.topicKeyArn)
      statements.push({
        Sid: 'EncryptForTopics',
        Effect: 'Allow',
        Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
        Resource: inputs.topicKeyArn,
      });
  }
  if (entry.access.readMetrics)
    statements.push({
      // GetMetricData has no resource types (Service Authorization Reference, CloudWatch): `*`.
      Sid: 'ReadMetrics',
      Effect: 'Allow',
      Action: ['cloudwatch:GetMetricData'],
      Resource: '*',
    });
  if (entry.network.vpc) {
    const ec2 = (what: string) => `arn:aws:ec2:${region}:${accountId}:${what}/*`;
    statements.push(
      {
        // What Lambda does to attach the function to the VPC's subnets (AWSLambdaVPCAccessExecutionRole).
        Sid: 'AttachToVpc',
        Effect: 'Allow',
        Action: [
          'ec2:CreateNetworkInterface',
          'ec2:DeleteNetworkInterface',
          'ec2:AssignPrivateIpAddresses',
          'ec2:UnassignPrivateIpAddresses',
        ],
        Resource: [ec2('network-interface'), ec2('subnet'), ec2('security-group')],
      },
      {
        Sid: 'DescribeInterfaces',
        Effect: 'Allow',
        Action: ['ec2:DescribeNetworkInterfaces'],
        Resource: '*',
      },
    );
  }
  return {
    roleName: naming.functionRole(entry.pascalName, env),
    description: `Lambda ${def.functionName}: ${entry.description}`,
    trust: [serviceTrust('lambda.amazonaws.com', accountId)],
    statements,
  };
}

/** What the state machine `name` calls: its functions (by their live alias) and its ECS tasks. */
export function stateMachineTargets(entry: StateMachineEntry): {
  readonly functions: readonly string[];
  readonly ecsTasks: readonly string[];
} {
  const refs = stepReferences(entry.steps, '');
  const functions = [...new Set([...refs.flatMap((r) => (r.function ? [r.function] : [])), entry.onFailure])];
  const ecsTasks = [...new Set(refs.flatMap((r) => (r.ecsTask ? [r.ecsTask] : [])))];
  return { functions, ecsTasks };
}

/**
 * Invoke its functions' live aliases, run and watch its ECS tasks (and pass only their roles, only
 * to ECS), deliver its logs, send traces. Log delivery, X-Ray and the managed ECS rule's actions
 * have no resource-level permissions.
 */
export function stateMachineRoleSpec(workload: WorkloadAccountFacts, entry: StateMachineEntry): RoleSpec {
  const { env, region, accountId } = workload;
  const targets = stateMachineTargets(entry);
  const statements: PolicyStatement[] = [
    {
      Sid: 'InvokeFunctions',
      Effect: 'Allow',
      Action: ['lambda:InvokeFunction'],
      Resource: targets.functions.map((f) => lambdaArn.alias(region, accountId, naming.functionName(f, env))),
    },
    {
      Sid: 'DeliverLogs',
      Effect: 'Allow',
      Action: [
        'logs:CreateLogDelivery',
        'logs:GetLogDelivery',
        'logs:UpdateLogDelivery',
        'logs:DeleteLogDelivery',
        'logs:ListLogDeliveries',
        'logs:PutResourcePolicy',
        'logs:DescribeResourcePolicies',
        'logs:DescribeLogGroups',
      ],
      Resource: '*',
    },
    TRACE_STATEMENT,
  ];
  if (targets.ecsTasks.length > 0) {
    const workloadEntries = targets.ecsTasks.map((t) => {
      const task = entryOfKind(workload.platform.catalogue, t, 'task');
      if (!task) throw new Error(`${t} is not a one-off task of the catalogue`);
      return [t, task] as const;
    });
    statements.push(
      {
        Sid: 'RunTasks',
        Effect: 'Allow',
        Action: ['ecs:RunTask'],
        Resource: targets.ecsTasks.map((t) =>
          arn.ecsTaskDefinition(region, accountId, naming.taskFamily(t, env)),
        ),
      },
      {
        Sid: 'WatchTasks',
        Effect: 'Allow',
        Action: ['ecs:StopTask', 'ecs:DescribeTasks'],
        Resource: targets.ecsTasks.map(
          (t) => `arn:aws:ecs:${region}:${accountId}:task/${naming.cluster(t, env)}/*`,
        ),
      },
      {
        // runTask.sync hears of the task's end through this managed rule.
        Sid: 'TaskEndRule',
        Effect: 'Allow',
        Action: ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'],
        Resource: `arn:aws:events:${region}:${accountId}:rule/StepFunctionsGetEventsForECSTaskRule`,
      },
      {
        Sid: 'PassTaskRoles',
        Effect: 'Allow',
        Action: ['iam:PassRole'],
        Resource: workloadEntries.flatMap(([, task]) => [
          naming.roleArn(accountId, naming.taskRole(task.pascalName, env)),
          naming.roleArn(accountId, naming.executionRole(task.pascalName, env)),
        ]),
        Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
      },
    );
  }
  return {
    roleName: naming.stateMachineRole(entry.pascalName, env),
    description: `Step Functions ${naming.stateMachine(entry.pascalName, env)}: ${entry.description}`,
    trust: [serviceTrust('states.amazonaws.com', accountId)],
    statements,
  };
}
