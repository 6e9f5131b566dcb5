/**
 * An ECS Fargate service (and its one-off sibling, a task definition with no service): its own
 * cluster with Container Insights (TDR runs one cluster per service), log group with retention,
 * execution and task roles, a task definition, and for a service: tasks in private subnets without
 * public IPs, a security group admitting only the load balancer, a target group with the
 * catalogue's health check, a host-based listener rule, the deployment circuit breaker with
 * rollback, and CPU autoscaling where asked.
 *
 * The release engine owns what runs: it registers digest-pinned task-definition revisions and
 * points the service at them. The service therefore ignores changes to `taskDefinition` (and to
 * `desiredCount` under autoscaling) so `pulumi up` never rolls a release back.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { naming } from '../../services/naming';
import { taskDefinitionFor, taskRolesFor, type TaskDefinitionArgs } from '../definitions/ecs-task';
import { createRole } from './iam';

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
  const targetGroup = new aws.lb.TargetGroup(
    `${name}-tg`,
    {
      name: naming.targetGroup(args.serviceName, args.env),
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
    opts,
  );
  new aws.lb.ListenerRule(
    `${name}-rule`,
    {
      listenerArn: args.httpsListenerArn,
      priority: args.listenerRulePriority,
      conditions: [{ hostHeader: { values: [args.hostname] } }],
      actions: [{ type: 'forward', targetGroupArn: targetGroup.arn }],
    },
    opts,
  );
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
      deploymentCircuitBreaker: { enable: true, rollback: true },
      deploymentMinimumHealthyPercent: args.singleton ? 0 : 100,
      deploymentMaximumPercent: args.singleton ? 100 : 200,
      healthCheckGracePeriodSeconds: 120,
      networkConfiguration: { subnets: [...args.subnetIds], securityGroups: [sg.id], assignPublicIp: false },
      loadBalancers: [
        {
          targetGroupArn: targetGroup.arn,
          containerName: naming.containerName(args.serviceName),
          containerPort: args.containerPort,
        },
      ],
    },
    { parent, ignoreChanges: [...RELEASE_OWNED_PROPERTIES, ...(args.autoscaling ? ['desiredCount'] : [])] },
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
  return { ...task, ecsServiceName, securityGroupId: sg.id, targetGroupArnSuffix: targetGroup.arnSuffix };
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
