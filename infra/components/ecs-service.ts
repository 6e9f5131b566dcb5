/**
 * An ECS Fargate service (and its one-off sibling, a task definition with no service): its own
 * cluster with Container Insights (TDR runs one cluster per service), log group with retention,
 * execution and task roles, a task definition, and for a service: tasks in private subnets without
 * public IPs, a security group admitting only the load balancer, a target group with the
 * catalogue's health check, a host-based listener rule, and CPU autoscaling where asked. How a
 * release moves traffic follows the delivery strategy (infra/definitions/ecs-deployment.ts): rolling
 * with the circuit breaker, or side by side (blue/green, canary, linear) with a second target group,
 * production and test listener rules, alarms that roll back, and in prod a PAUSE for approval.
 *
 * The release engine owns what runs: it registers digest-pinned task-definition revisions and
 * points the service at them. The service therefore ignores changes to `taskDefinition` (and to
 * `desiredCount` under autoscaling) so `pulumi up` never rolls a release back.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { naming } from '../../services/naming';
import type { DeliveryStrategy } from '../../services/delivery';
import { ROLLBACK_ALARM_LIST } from '../../services/thresholds';
import {
  ecsDeploymentSettings,
  judgeHook,
  judgeHookDetails,
  type EcsDeploymentSettings,
  type LifecycleHook,
} from '../definitions/ecs-deployment';
import { DEFAULT_JUDGE_SETTINGS } from '../../pipelines/release/judge/judge';
import { taskDefinitionFor, taskRolesFor, type TaskDefinitionArgs } from '../definitions/ecs-task';
import { createRole } from './iam';
import { createRollbackAlarms } from './service-alarms';

/** Properties of the service the release engine changes; infra must not fight them. */
export const RELEASE_OWNED_PROPERTIES = ['taskDefinition'] as const;

/** The task as infra/definitions/ecs-task.ts defines it, and how long its logs are kept. */
export interface TaskArgs extends TaskDefinitionArgs<pulumi.Input<string>> {
  readonly logRetentionDays: number;
}

export interface ServiceArgs extends TaskArgs {
  readonly containerPort: number;
  readonly healthCheck: { readonly path: string; readonly matcher: string; readonly port: number };
  readonly desiredCount: number;
  readonly vpcId: pulumi.Input<string>;
  readonly subnetIds: ReadonlyArray<pulumi.Input<string>>;
  readonly loadBalancerSecurityGroupId: pulumi.Input<string>;
  readonly httpsListenerArn: pulumi.Input<string>;
  readonly hostname: string;
  readonly listenerRulePriority: number;
  readonly autoscaling?: {
    readonly minCount: number;
    readonly maxCount: number;
    readonly targetCpuPercent: number;
  };
  /** One task at a time (Jenkins on EFS): stop the old task before starting the new one. */
  readonly singleton?: boolean;
  /**
   * How releases move traffic (services/delivery.ts `deliveryStrategy`). Unset: the circuit breaker
   * alone, as before progressive delivery (Jenkins in mgmt, which no release engine deploys).
   */
  readonly delivery?: DeliveryStrategy;
  /** Where the rollback alarms look and whom they notify: needed when the strategy has alarm rollback. */
  readonly loadBalancerArnSuffix?: pulumi.Input<string>;
  readonly topicArn?: pulumi.Input<string>;
  /** The load balancer's test listener: needed when the strategy sends test traffic first. */
  readonly testListenerArn?: pulumi.Input<string>;
  /** The role ECS assumes to move listener rules: needed by blue/green, canary and linear. */
  readonly infrastructureRoleArn?: pulumi.Input<string>;
  /**
   * The canary judge (the catalogue's `canary-judge`, its `live` alias) and the role ECS invokes it
   * with: a canary or linear service gets an AWS_LAMBDA hook at the production traffic shift.
   */
  readonly judge?: { readonly hookTargetArn: pulumi.Input<string>; readonly roleArn: pulumi.Input<string> };
}

export interface TaskOutputs {
  readonly clusterName: string;
  readonly clusterArn: pulumi.Output<string>;
  readonly taskRoleArn: pulumi.Output<string>;
  readonly executionRoleArn: pulumi.Output<string>;
  readonly taskDefinitionArn: pulumi.Output<string>;
}

export interface ServiceOutputs extends TaskOutputs {
  readonly ecsServiceName: string;
  readonly securityGroupId: pulumi.Output<string>;
  readonly targetGroupArnSuffix: pulumi.Output<string>;
  readonly alternateTargetGroupArnSuffix?: pulumi.Output<string>;
}

export function createTask(
  name: string,
  args: TaskArgs,
  parent: pulumi.Resource,
): TaskOutputs & { cluster: aws.ecs.Cluster } {
  const opts = { parent };
  const clusterName = naming.cluster(args.serviceName, args.env);
  const cluster = new aws.ecs.Cluster(
    `${name}-cluster`,
    { name: clusterName, settings: [{ name: 'containerInsights', value: 'enabled' }] },
    opts,
  );
  const logGroup = new aws.cloudwatch.LogGroup(
    `${name}-logs`,
    { name: naming.logGroup(args.serviceName, args.env), retentionInDays: args.logRetentionDays },
    opts,
  );
  const roles = taskRolesFor(args);
  const executionRole = createRole(`${name}-execution-role`, roles.execution, parent);
  const taskRole = createRole(`${name}-task-role`, roles.task, parent);
  const definition = taskDefinitionFor(args, {
    executionRoleArn: executionRole.arn,
    taskRoleArn: taskRole.arn,
  });
  const taskDefinition = new aws.ecs.TaskDefinition(
    `${name}-task`,
    { ...definition, containerDefinitions: JSON.stringify(definition.containerDefinitions) },
    { parent, dependsOn: [logGroup] },
  );
  return {
    cluster,
    clusterName,
    clusterArn: cluster.arn,
    taskRoleArn: taskRole.arn,
    executionRoleArn: executionRole.arn,
    taskDefinitionArn: taskDefinition.arn,
  };
}

// eslint-disable-next-line max-lines-per-function -- Pulumi resources declared in dependency order, one block each: splitting would pass half-built resources between functions.
export function createEcsService(name: string, args: ServiceArgs, parent: pulumi.Resource): ServiceOutputs {
  const opts = { parent };
  const task = createTask(name, args, parent);
  const sg = new aws.ec2.SecurityGroup(
    `${name}-sg`,
    {
      name: `${naming.ecsService(args.serviceName, args.env)}-tasks`,
      description: `Tasks of ${args.serviceName} in ${args.env}: the load balancer only`,
      vpcId: args.vpcId,
    },
    opts,
  );
  const ports = [...new Set([args.containerPort, args.healthCheck.port])];
  for (const port of ports) {
    new aws.vpc.SecurityGroupIngressRule(
      `${name}-in-${port}`,
      {
        securityGroupId: sg.id,
        referencedSecurityGroupId: args.loadBalancerSecurityGroupId,
        ipProtocol: 'tcp',
        fromPort: port,
        toPort: port,
        description: 'from the load balancer',
      },
      opts,
    );
  }
  new aws.vpc.SecurityGroupEgressRule(
    `${name}-out-https`,
    {
      securityGroupId: sg.id,
      ipProtocol: 'tcp',
      fromPort: 443,
      toPort: 443,
      cidrIpv4: '0.0.0.0/0',
      description: 'HTTPS to AWS APIs and ECR through NAT',
    },
    opts,
  );
  const deployment = args.delivery
    ? ecsDeploymentSettings(
        args.delivery,
        ROLLBACK_ALARM_LIST.map((a) => naming.alarm(args.serviceName, args.env, a.key)),
      )
    : undefined;
  const traffic = createTrafficRouting(name, args, deployment, parent);
  const rollbackAlarms = deployment?.alarms
    ? createRollbackAlarms(
        name,
        {
          env: args.env,
          serviceName: args.serviceName,
          ecsServiceName: naming.ecsService(args.serviceName, args.env),
          targetGroupArnSuffixes: [
            traffic.primary.arnSuffix,
            (traffic.alternate ?? traffic.primary).arnSuffix,
          ],
          loadBalancerArnSuffix: required(args.loadBalancerArnSuffix, name, 'loadBalancerArnSuffix'),
          topicArn: required(args.topicArn, name, 'topicArn'),
        },
        parent,
      )
    : [];
  const ecsServiceName = naming.ecsService(args.serviceName, args.env);
  const service = new aws.ecs.Service(
    `${name}-service`,
    {
      name: ecsServiceName,
      cluster: task.cluster.arn,
      taskDefinition: task.taskDefinitionArn,
      desiredCount: args.desiredCount,
      launchType: 'FARGATE',
      propagateTags: 'SERVICE',
      enableExecuteCommand: false,
      ...serviceDeploymentInputs(deployment, judgeHookFor(name, args, traffic)),
      deploymentMinimumHealthyPercent: args.singleton ? 0 : 100,
      deploymentMaximumPercent: args.singleton ? 100 : 200,
      healthCheckGracePeriodSeconds: 120,
      networkConfiguration: { subnets: [...args.subnetIds], securityGroups: [sg.id], assignPublicIp: false },
      loadBalancers: [
        {
          targetGroupArn: traffic.primary.arn,
          containerName: naming.containerName(args.serviceName),
          containerPort: args.containerPort,
          ...(traffic.advancedConfiguration ? { advancedConfiguration: traffic.advancedConfiguration } : {}),
        },
      ],
    },
    {
      parent,
      dependsOn: [...rollbackAlarms, ...traffic.rules],
      ignoreChanges: [
        ...RELEASE_OWNED_PROPERTIES,
        ...(args.autoscaling ? ['desiredCount'] : []),
        // ECS swaps the two target groups' roles at the end of each side-by-side deployment; a
        // `pulumi up` that swapped them back would start a deployment of its own. Not provable
        // offline (moto runs no deployments): what DescribeServices reports after a swap.
        ...(deployment?.sideBySide ? ['loadBalancers'] : []),
      ],
    },
  );
  if (args.autoscaling) {
    const target = new aws.appautoscaling.Target(
      `${name}-scaling-target`,
      {
        serviceNamespace: 'ecs',
        scalableDimension: 'ecs:service:DesiredCount',
        resourceId: `service/${task.clusterName}/${ecsServiceName}`,
        minCapacity: args.autoscaling.minCount,
        maxCapacity: args.autoscaling.maxCount,
      },
      { parent, dependsOn: [service] },
    );
    new aws.appautoscaling.Policy(
      `${name}-scaling-cpu`,
      {
        policyType: 'TargetTrackingScaling',
        serviceNamespace: target.serviceNamespace,
        scalableDimension: target.scalableDimension,
        resourceId: target.resourceId,
        targetTrackingScalingPolicyConfiguration: {
          targetValue: args.autoscaling.targetCpuPercent,
          predefinedMetricSpecification: { predefinedMetricType: 'ECSServiceAverageCPUUtilization' },
          scaleInCooldown: 300,
          scaleOutCooldown: 60,
        },
      },
      opts,
    );
  }
  return {
    ...task,
    ecsServiceName,
    securityGroupId: sg.id,
    targetGroupArnSuffix: traffic.primary.arnSuffix,
    ...(traffic.alternate ? { alternateTargetGroupArnSuffix: traffic.alternate.arnSuffix } : {}),
  };
}

function required<T>(value: T | undefined, name: string, field: string): T {
  if (value === undefined) throw new Error(`EcsService ${name}: alarm rollback needs ${field}`);
  return value;
}

/**
 * The judge hook of a canary or linear service: its details name the load balancer and the two
 * target groups as CloudWatch does (their ARN suffixes), known once Pulumi has them.
 */
function judgeHookFor(name: string, args: ServiceArgs, traffic: TrafficRouting): LifecycleHook | undefined {
  if (!args.delivery || !args.judge || !traffic.alternate) return undefined;
  const lb = required(args.loadBalancerArnSuffix, name, 'loadBalancerArnSuffix');
  const delivery = args.delivery;
  // Asked now with placeholders: whether the strategy is judged, and a judged one without a bake
  // throws at synth naming the field; the names come once Pulumi knows them.
  const probe = judgeHookDetails(
    args.serviceName,
    delivery,
    { loadBalancer: '', targetGroups: ['', ''] },
    DEFAULT_JUDGE_SETTINGS.minRequests,
  );
  if (!probe) return undefined;
  const hookDetails = pulumi
    .all([lb, traffic.primary.arnSuffix, traffic.alternate.arnSuffix])
    .apply(([loadBalancer, primary, alternate]) =>
      JSON.stringify(
        judgeHookDetails(
          args.serviceName,
          delivery,
          { loadBalancer, targetGroups: [primary, alternate] },
          DEFAULT_JUDGE_SETTINGS.minRequests,
        ),
      ),
    );
  return judgeHook({ hookTargetArn: args.judge.hookTargetArn, roleArn: args.judge.roleArn, hookDetails });
}

/** The service's deployment inputs; without a strategy, the circuit breaker alone (as before). */
function serviceDeploymentInputs(
  deployment: EcsDeploymentSettings | undefined,
  judge?: LifecycleHook,
): Pick<
  aws.ecs.ServiceArgs,
  'deploymentController' | 'deploymentConfiguration' | 'deploymentCircuitBreaker' | 'alarms'
> {
  if (!deployment) return { deploymentCircuitBreaker: { enable: true, rollback: true } };
  const { lifecycleHooks: configured, ...configuration } = deployment.deploymentConfiguration;
  const lifecycleHooks = [...(configured ?? []), ...(judge ? [judge] : [])];
  return {
    deploymentController: deployment.deploymentController,
    deploymentConfiguration: {
      ...configuration,
      ...(lifecycleHooks.length > 0
        ? { lifecycleHooks: lifecycleHooks.map((h) => ({ ...h, lifecycleStages: [...h.lifecycleStages] })) }
        : {}),
    },
    ...(deployment.deploymentCircuitBreaker
      ? { deploymentCircuitBreaker: deployment.deploymentCircuitBreaker }
      : {}),
    ...(deployment.alarms
      ? { alarms: { ...deployment.alarms, alarmNames: [...deployment.alarms.alarmNames] } }
      : {}),
  };
}

interface TrafficRouting {
  readonly primary: aws.lb.TargetGroup;
  /** The second target group, for a service ECS shifts traffic for. */
  readonly alternate?: aws.lb.TargetGroup;
  readonly rules: aws.lb.ListenerRule[];
  readonly advancedConfiguration?: aws.types.input.ecs.ServiceLoadBalancerAdvancedConfiguration;
}

/** A target group with the catalogue's health check (both of a pair have the same settings). */
function createTargetGroup(
  resourceName: string,
  groupName: string,
  args: ServiceArgs,
  parent: pulumi.Resource,
): aws.lb.TargetGroup {
  return new aws.lb.TargetGroup(
    resourceName,
    {
      name: groupName,
      port: args.containerPort,
      protocol: 'HTTP',
      targetType: 'ip',
      vpcId: args.vpcId,
      deregistrationDelay: 30,
      healthCheck: {
        enabled: true,
        path: args.healthCheck.path,
        matcher: args.healthCheck.matcher,
        port: String(args.healthCheck.port),
        protocol: 'HTTP',
        healthyThreshold: 3,
        unhealthyThreshold: 3,
        interval: 30,
      },
    },
    { parent },
  );
}

/**
 * The target groups and listener rules of a service. Rolling: one target group and a host rule, as
 * before. Side by side (blue/green, canary, linear; ECS_ALB_BLUE_GREEN_DOCS): two target groups
 * with the same settings, a production rule forwarding to both (the primary at weight 100, the
 * alternate at 0), and where the strategy asks for test traffic the same host on the test listener;
 * ECS moves the weights, so Pulumi ignores the rules' actions once created.
 */
function createTrafficRouting(
  name: string,
  args: ServiceArgs,
  deployment: EcsDeploymentSettings | undefined,
  parent: pulumi.Resource,
): TrafficRouting {
  const targetGroup = (resourceName: string, groupName: string) =>
    createTargetGroup(resourceName, groupName, args, parent);
  const primary = targetGroup(`${name}-tg`, naming.targetGroup(args.serviceName, args.env));
  const hostRule = (
    resourceName: string,
    listenerArn: pulumi.Input<string>,
    actions: aws.lb.ListenerRuleArgs['actions'],
  ) =>
    new aws.lb.ListenerRule(
      resourceName,
      {
        listenerArn,
        priority: args.listenerRulePriority,
        conditions: [{ hostHeader: { values: [args.hostname] } }],
        actions,
      },
      deployment?.sideBySide ? { parent, ignoreChanges: ['actions'] } : { parent },
    );
  if (!deployment?.sideBySide) {
    return {
      primary,
      rules: [
        hostRule(`${name}-rule`, args.httpsListenerArn, [{ type: 'forward', targetGroupArn: primary.arn }]),
      ],
    };
  }
  if (!args.infrastructureRoleArn)
    throw new Error(
      `EcsService ${name}: ${args.delivery?.kind ?? 'this strategy'} needs infrastructureRoleArn (the load balancer's infrastructure role)`,
    );
  const alternate = targetGroup(`${name}-tg2`, naming.alternateTargetGroup(args.serviceName, args.env));
  const weighted: aws.lb.ListenerRuleArgs['actions'] = [
    {
      type: 'forward',
      forward: {
        targetGroups: [
          { arn: primary.arn, weight: 100 },
          { arn: alternate.arn, weight: 0 },
        ],
      },
    },
  ];
  const production = hostRule(`${name}-rule`, args.httpsListenerArn, weighted);
  let test: aws.lb.ListenerRule | undefined;
  if (deployment.testTraffic) {
    if (!args.testListenerArn)
      throw new Error(
        `EcsService ${name}: test traffic needs testListenerArn (the load balancer's test listener)`,
      );
    test = hostRule(`${name}-test-rule`, args.testListenerArn, weighted);
  }
  return {
    primary,
    alternate,
    rules: test ? [production, test] : [production],
    advancedConfiguration: {
      alternateTargetGroupArn: alternate.arn,
      productionListenerRule: production.arn,
      ...(test ? { testListenerRule: test.arn } : {}),
      roleArn: args.infrastructureRoleArn,
    },
  };
}

export class EcsService extends pulumi.ComponentResource implements ServiceOutputs {
  readonly clusterName: string;
  readonly clusterArn: pulumi.Output<string>;
  readonly ecsServiceName: string;
  readonly taskRoleArn: pulumi.Output<string>;
  readonly executionRoleArn: pulumi.Output<string>;
  readonly taskDefinitionArn: pulumi.Output<string>;
  readonly securityGroupId: pulumi.Output<string>;
  readonly targetGroupArnSuffix: pulumi.Output<string>;

  constructor(name: string, args: ServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    super('tdr:ecs:Service', name, {}, opts);
    if (args.autoscaling && args.autoscaling.minCount > args.desiredCount) {
      throw new Error(`EcsService ${name}: autoscaling.minCount exceeds desiredCount`);
    }
    const out = createEcsService(name, args, this);
    this.clusterName = out.clusterName;
    this.clusterArn = out.clusterArn;
    this.ecsServiceName = out.ecsServiceName;
    this.taskRoleArn = out.taskRoleArn;
    this.executionRoleArn = out.executionRoleArn;
    this.taskDefinitionArn = out.taskDefinitionArn;
    this.securityGroupId = out.securityGroupId;
    this.targetGroupArnSuffix = out.targetGroupArnSuffix;
    this.registerOutputs({
      clusterName: this.clusterName,
      ecsServiceName: this.ecsServiceName,
      securityGroupId: this.securityGroupId,
    });
  }
}

/** A one-off task (migrations, exports): cluster, roles and task definition, run by hand or by a job. */
export class EcsTask extends pulumi.ComponentResource implements TaskOutputs {
  readonly clusterName: string;
  readonly clusterArn: pulumi.Output<string>;
  readonly taskRoleArn: pulumi.Output<string>;
  readonly executionRoleArn: pulumi.Output<string>;
  readonly taskDefinitionArn: pulumi.Output<string>;

  constructor(name: string, args: TaskArgs, opts?: pulumi.ComponentResourceOptions) {
    super('tdr:ecs:Task', name, {}, opts);
    const out = createTask(name, args, this);
    this.clusterName = out.clusterName;
    this.clusterArn = out.clusterArn;
    this.taskRoleArn = out.taskRoleArn;
    this.executionRoleArn = out.executionRoleArn;
    this.taskDefinitionArn = out.taskDefinitionArn;
    this.registerOutputs({ clusterName: this.clusterName, taskDefinitionArn: this.taskDefinitionArn });
  }
}
