/**
 * What an ECS task is, as plain data: its execution and task roles and its task definition, for a
 * catalogue entry (or Jenkins) in one environment. infra's EcsService/EcsTask create these under
 * Pulumi; the sandbox registers the same definition on moto. No Pulumi at run time.
 */
import type { Sidecar } from '../../services/catalogue';
import type { EnvironmentName } from '../../services/environments';
import { naming } from '../../services/naming';
import { arn, serviceTrust, type PolicyStatement, type RoleSpec } from './iam';

/** `V` is how values known only at deploy time are typed: `pulumi.Input<string>` in infra, `string` elsewhere. */
export interface TaskDefinitionArgs<V = string> {
  readonly env: EnvironmentName;
  readonly region: string;
  readonly accountId: string;
  /** Catalogue key (`consignmentapi`) and its PascalCase form for role names. */
  readonly serviceName: string;
  readonly pascalName: string;
  readonly cpu: number;
  readonly memory: number;
  /** Initial image; the release engine replaces it with a digest-pinned one. */
  readonly image: string;
  /** The ECR repository (in mgmt) the execution role may pull from; absent for public images. */
  readonly imageRepositoryArn?: string;
  readonly containerPort?: number;
  readonly sidecars: readonly Sidecar[];
  readonly taskRoleStatements: readonly PolicyStatement[];
  readonly efsVolume?: {
    readonly fileSystemId: V;
    readonly accessPointId: V;
    readonly containerPath: string;
  };
  readonly environment?: Readonly<Record<string, string>>;
}

export interface ContainerDefinition {
  name: string;
  image: string;
  essential: boolean;
  cpu: number;
  memory: number;
  readonlyRootFilesystem?: boolean;
  portMappings: Array<{ containerPort: number; protocol: 'tcp' }>;
  environment?: Array<{ name: string; value: string }>;
  mountPoints?: Array<{ sourceVolume: string; containerPath: string; readOnly: boolean }>;
  logConfiguration: { logDriver: 'awslogs'; options: Record<string, string> };
}

export interface TaskDefinition<V = string> {
  family: string;
  cpu: string;
  memory: string;
  networkMode: 'awsvpc';
  requiresCompatibilities: Array<'FARGATE'>;
  runtimePlatform: { operatingSystemFamily: 'LINUX'; cpuArchitecture: 'X86_64' };
  executionRoleArn: V;
  taskRoleArn: V;
  containerDefinitions: ContainerDefinition[];
  volumes: Array<{
    name: string;
    efsVolumeConfiguration: {
      fileSystemId: V;
      transitEncryption: 'ENABLED';
      authorizationConfig: { accessPointId: V; iam: 'ENABLED' };
    };
  }>;
}

export interface TaskRoles {
  readonly execution: RoleSpec;
  readonly task: RoleSpec;
}

/** Both roles trust ECS tasks of this account only; the execution role pulls and logs, the task role is the entry's own. */
export function taskRolesFor(args: TaskDefinitionArgs<unknown>): TaskRoles {
  const logGroupName = naming.logGroup(args.serviceName, args.env);
  const executionStatements: PolicyStatement[] = [
    {
      Effect: 'Allow',
      // Both act on log streams only (Service Authorization Reference, CloudWatch Logs).
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: [arn.logStreams(args.region, args.accountId, logGroupName)],
    },
  ];
  if (args.imageRepositoryArn) {
    executionStatements.push(
      // GetAuthorizationToken cannot be scoped: it returns a registry token, not repository access.
      { Effect: 'Allow', Action: ['ecr:GetAuthorizationToken'], Resource: '*' },
      {
        Effect: 'Allow',
        Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'],
        Resource: args.imageRepositoryArn,
      },
    );
  }
  const trust = [serviceTrust('ecs-tasks.amazonaws.com', args.accountId)];
  return {
    execution: {
      roleName: naming.executionRole(args.pascalName, args.env),
      description: `Pulls the image and writes logs for ${args.serviceName} in ${args.env}`,
      trust,
      statements: executionStatements,
    },
    task: {
      roleName: naming.taskRole(args.pascalName, args.env),
      description: `What ${args.serviceName} itself may do in ${args.env}`,
      trust,
      statements: args.taskRoleStatements,
    },
  };
}

/** The role ARNs as named, for creators that know them before the roles exist. */
export function taskRoleArns(args: TaskDefinitionArgs<unknown>): {
  executionRoleArn: string;
  taskRoleArn: string;
} {
  return {
    executionRoleArn: naming.roleArn(args.accountId, naming.executionRole(args.pascalName, args.env)),
    taskRoleArn: naming.roleArn(args.accountId, naming.taskRole(args.pascalName, args.env)),
  };
}

/** The task definition: the main container gets what the sidecars leave of the task's CPU and memory. */
export function taskDefinitionFor<V>(
  args: TaskDefinitionArgs<V>,
  roles: { readonly executionRoleArn: V; readonly taskRoleArn: V },
): TaskDefinition<V> {
  const containerName = naming.containerName(args.serviceName);
  const logConfiguration = (streamPrefix: string): ContainerDefinition['logConfiguration'] => ({
    logDriver: 'awslogs',
    options: {
      'awslogs-group': naming.logGroup(args.serviceName, args.env),
      'awslogs-region': args.region,
      'awslogs-stream-prefix': streamPrefix,
    },
  });
  const containers: ContainerDefinition[] = [
    {
      name: containerName,
      image: args.image,
      essential: true,
      cpu: args.cpu - args.sidecars.reduce((sum, s) => sum + s.cpu, 0),
      memory: args.memory - args.sidecars.reduce((sum, s) => sum + s.memory, 0),
      readonlyRootFilesystem: false,
      portMappings:
        args.containerPort === undefined ? [] : [{ containerPort: args.containerPort, protocol: 'tcp' }],
      environment: Object.entries(args.environment ?? {}).map(([k, v]) => ({ name: k, value: v })),
      mountPoints: args.efsVolume
        ? [{ sourceVolume: 'efs', containerPath: args.efsVolume.containerPath, readOnly: false }]
        : [],
      logConfiguration: logConfiguration(containerName),
    },
    ...args.sidecars.map((s): ContainerDefinition => ({
      name: s.name,
      image: s.image,
      essential: false,
      cpu: s.cpu,
      memory: s.memory,
      portMappings: s.ports.map((p) => ({ containerPort: p, protocol: 'tcp' })),
      logConfiguration: logConfiguration(s.name),
    })),
  ];
  return {
    family: naming.taskFamily(args.serviceName, args.env),
    cpu: String(args.cpu),
    memory: String(args.memory),
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    runtimePlatform: { operatingSystemFamily: 'LINUX', cpuArchitecture: 'X86_64' },
    executionRoleArn: roles.executionRoleArn,
    taskRoleArn: roles.taskRoleArn,
    containerDefinitions: containers,
    volumes: args.efsVolume
      ? [
          {
            name: 'efs',
            efsVolumeConfiguration: {
              fileSystemId: args.efsVolume.fileSystemId,
              transitEncryption: 'ENABLED',
              authorizationConfig: { accessPointId: args.efsVolume.accessPointId, iam: 'ENABLED' },
            },
          },
        ]
      : [],
  };
}
