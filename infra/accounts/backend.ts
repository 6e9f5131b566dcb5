/**
 * The serverless backend of a workload account, from the catalogue: every function with its role,
 * log group, dead-letter queue, `live` alias and triggers (queues, schedules, bucket events), the
 * security groups of those in the VPC, and the state machines that chain them.
 */
import * as aws from '@pulumi/aws';
import type * as pulumi from '@pulumi/pulumi';
import { naming, type WorkloadBucketFunction } from '../../services/naming';
import { ASYNC_TRIGGER_KINDS, functions, stateMachines, triggersOfKind } from '../../services/queries';
import { BACKEND_ALARMS } from '../../services/thresholds';
import { BackendAlarms } from '../components/backend-alarms';
import { BucketTrigger, FunctionTriggers } from '../components/function-triggers';
import { LambdaFunction } from '../components/lambda-function';
import { StateMachine } from '../components/state-machine';
import type { WorkloadAccountFacts } from '../definitions/account';
import {
  functionDefinition,
  functionRoleSpec,
  stateMachineRoleSpec,
  stateMachineTargets,
} from '../definitions/lambda';
import type { AccountContext } from './account';

export interface BackendNetwork {
  readonly vpcId: pulumi.Input<string>;
  readonly subnetIds: ReadonlyArray<pulumi.Input<string>>;
}

export interface Backend {
  readonly functions: ReadonlyMap<string, LambdaFunction>;
  readonly stateMachines: ReadonlyMap<string, StateMachine>;
}

/** A security group that allows HTTPS out (to the API, and to AWS through NAT), and nothing in. */
function httpsOutGroup(
  ctx: AccountContext,
  logical: string,
  groupName: string,
  description: string,
  vpcId: pulumi.Input<string>,
): aws.ec2.SecurityGroup {
  const opts = { parent: ctx.root };
  const sg = new aws.ec2.SecurityGroup(`${logical}-sg`, { name: groupName, description, vpcId }, opts);
  new aws.vpc.SecurityGroupEgressRule(
    `${logical}-out-https`,
    {
      securityGroupId: sg.id,
      ipProtocol: 'tcp',
      fromPort: 443,
      toPort: 443,
      cidrIpv4: '0.0.0.0/0',
      description: 'HTTPS to the API and AWS through NAT',
    },
    opts,
  );
  return sg;
}

/**
 * The functions' security groups, shared as TDR shares them: one with HTTPS out only, one that
 * may also reach PostgreSQL in the VPC.
 */
function functionSecurityGroup(
  ctx: AccountContext,
  network: BackendNetwork,
  vpcCidr: string,
  reachesDatabase: boolean,
): aws.ec2.SecurityGroup {
  const logical = reachesDatabase ? 'lambda-outbound-with-db' : 'lambda-outbound';
  const sg = httpsOutGroup(
    ctx,
    logical,
    naming.functionSecurityGroup(reachesDatabase, ctx.env),
    `Lambda functions in the VPC: HTTPS out${reachesDatabase ? ' and PostgreSQL in the VPC' : ' only'}`,
    network.vpcId,
  );
  if (reachesDatabase)
    new aws.vpc.SecurityGroupEgressRule(
      `${logical}-out-postgres`,
      {
        securityGroupId: sg.id,
        ipProtocol: 'tcp',
        fromPort: 5432,
        toPort: 5432,
        cidrIpv4: vpcCidr,
        description: 'PostgreSQL inside the VPC',
      },
      { parent: ctx.root },
    );
  return sg;
}

/** The security group of each function in the VPC, by function. */
export function defineFunctionSecurityGroups(
  ctx: AccountContext,
  network: BackendNetwork,
  vpcCidr: string,
): Map<string, aws.ec2.SecurityGroup> {
  const groups = new Map<string, aws.ec2.SecurityGroup>();
  const shared = new Map<boolean, aws.ec2.SecurityGroup>();
  for (const [name, entry] of functions(ctx.platform.catalogue)) {
    if (!entry.network.vpc) continue;
    const reachesDatabase = entry.network.database !== undefined;
    let sg = shared.get(reachesDatabase);
    if (!sg) {
      sg = functionSecurityGroup(ctx, network, vpcCidr, reachesDatabase);
      shared.set(reachesDatabase, sg);
    }
    groups.set(name, sg);
  }
  return groups;
}

export interface BackendArgs {
  readonly facts: WorkloadAccountFacts;
  readonly network: BackendNetwork;
  readonly securityGroups: ReadonlyMap<string, aws.ec2.SecurityGroup>;
  readonly buckets: Readonly<Record<WorkloadBucketFunction, { readonly bucket: aws.s3.Bucket }>>;
  readonly topicKeyArn: pulumi.Input<string>;
  /** The environment's notifications topic, which every alarm notifies. */
  readonly topicArn: pulumi.Input<string>;
  readonly logRetentionDays: number;
}

// eslint-disable-next-line max-lines-per-function -- Pulumi resources declared in dependency order, one block each: splitting would pass half-built resources between functions.
export function defineBackend(ctx: AccountContext, args: BackendArgs): Backend {
  const { accountId, root, platform } = ctx;
  const { env } = args.facts;
  const opts = { parent: root };
  const byName = new Map<string, LambdaFunction>();
  const bucketEvents = new Map<
    WorkloadBucketFunction,
    Array<{ functionName: string; aliasArn: pulumi.Output<string>; events: readonly string[] }>
  >();
  for (const [name, entry] of functions(platform.catalogue)) {
    const definition = functionDefinition(args.facts, name);
    const sg = args.securityGroups.get(name);
    const fn = new LambdaFunction(
      name,
      {
        definition,
        role: functionRoleSpec(args.facts, name, { topicKeyArn: args.topicKeyArn }),
        logRetentionDays: args.logRetentionDays,
        ...(sg ? { vpc: { subnetIds: args.network.subnetIds, securityGroupIds: [sg.id] } } : {}),
        asyncInvocation: entry.triggers.some((t) => ASYNC_TRIGGER_KINDS.includes(t.kind)),
      },
      opts,
    );
    byName.set(name, fn);
    new BackendAlarms(
      `${name}-alarms`,
      {
        env,
        entryName: name,
        resourceName: definition.functionName,
        alarms: [
          { alarm: BACKEND_ALARMS.functionErrors, dimensions: { FunctionName: definition.functionName } },
          ...(definition.deadLetterQueue
            ? [
                {
                  alarm: BACKEND_ALARMS.deadLetterMessages,
                  dimensions: { QueueName: definition.deadLetterQueue },
                },
              ]
            : []),
        ],
        topicArn: args.topicArn,
      },
      opts,
    );
    const queues = triggersOfKind(entry, 'sqs');
    const schedules = triggersOfKind(entry, 'schedule');
    if (queues.length + schedules.length > 0) {
      new FunctionTriggers(
        `${name}-triggers`,
        {
          functionName: definition.functionName,
          aliasArn: fn.aliasArn,
          functionTimeoutSeconds: definition.timeoutSeconds,
          accountId,
          queues: queues.map((q) => ({
            queueName: naming.queue(q.queue, env),
            batchSize: q.batchSize,
            // Validation refuses an SQS trigger without one; the function's queue is always there then.
            maxReceiveCount: q.deadLetterQueue?.maxReceiveCount ?? 1,
            deadLetterQueueArn: fn.deadLetterQueueArn ?? '',
          })),
          schedules: schedules.map((s) => ({
            ruleName: naming.scheduleRule(name, env),
            expression: s.expression,
          })),
        },
        opts,
      );
    }
    for (const t of triggersOfKind(entry, 's3')) {
      const list = bucketEvents.get(t.bucket) ?? [];
      list.push({ functionName: definition.functionName, aliasArn: fn.aliasArn, events: t.events });
      bucketEvents.set(t.bucket, list);
    }
  }
  for (const [bucket, fns] of bucketEvents) {
    new BucketTrigger(
      `${bucket}-events`,
      {
        bucketName: naming.bucket(bucket, env),
        bucketId: args.buckets[bucket].bucket.id,
        accountId,
        functions: fns,
      },
      opts,
    );
  }

  return { functions: byName, stateMachines: defineStateMachines(ctx, args, byName) };
}

/** Each state machine with its tasks' security group and its alarm, after the functions it calls. */
function defineStateMachines(
  ctx: AccountContext,
  args: BackendArgs,
  byName: ReadonlyMap<string, LambdaFunction>,
): Map<string, StateMachine> {
  const { region, accountId, root, platform } = ctx;
  const opts = { parent: root };
  const { env } = args.facts;
  const machines = new Map<string, StateMachine>();
  for (const [name, entry] of stateMachines(platform.catalogue)) {
    const machineName = naming.stateMachine(entry.pascalName, env);
    const tasksGroup = httpsOutGroup(
      ctx,
      `${name}-tasks`,
      `${machineName}-tasks`,
      `ECS tasks started by ${machineName}: outbound HTTPS only`,
      args.network.vpcId,
    );
    const role = stateMachineRoleSpec(args.facts, entry);
    const machine = new StateMachine(
      name,
      {
        stateMachineName: machineName,
        entry,
        catalogue: platform.catalogue,
        target: { env, region, accountId },
        ecsNetwork: { subnetIds: args.network.subnetIds, securityGroupIds: [tasksGroup.id] },
        role,
        logGroup: naming.stateMachineLogGroup(entry.pascalName, env),
        logRetentionDays: args.logRetentionDays,
        dependsOn: stateMachineTargets(entry).functions.flatMap((f) => {
          const fn = byName.get(f);
          return fn ? [fn] : [];
        }),
      },
      opts,
    );
    machines.set(name, machine);
    new BackendAlarms(
      `${name}-alarms`,
      {
        env,
        entryName: name,
        resourceName: machine.stateMachineName,
        alarms: [{ alarm: BACKEND_ALARMS.executionsFailed, dimensions: { StateMachineArn: machine.arn } }],
        topicArn: args.topicArn,
      },
      opts,
    );
  }
  return machines;
}
