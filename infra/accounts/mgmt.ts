/**
 * The management account: every ECR repository, the release ledger, Jenkins (controller on
 * Fargate with its home on EFS, behind an allowlisted ALB; one agent role per workload
 * environment and mgmt's own for builds; the agents' network published in SSM for JCasC), the
 * release approvers' roles, Amazon Managed Grafana, and the notifications topic.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';

import type { Platform } from '../../services/config';
import { WORKLOAD_ENVIRONMENTS } from '../../services/environments';
import { naming, roleSuffix } from '../../services/naming';
import { functions } from '../../services/queries';
import type { MgmtStackConfig } from '../config';
import { EcsService } from '../components/ecs-service';
import { arn, createRole, policyDocument, serviceTrust } from '../components/iam';
import { PublicLoadBalancer } from '../components/load-balancer';
import { Network } from '../components/network';
import { SecureBucket } from '../components/secure-bucket';
import { JenkinsAgentCloud } from '../components/jenkins-agent-cloud';
import { imageRepositories, jenkinsMgmtNodeRole, jenkinsNodeRole } from '../definitions/jenkins';
import {
  jenkinsAgentExecutionRole,
  jenkinsControllerStatements,
  jenkinsPlatformAgentRole,
  jenkinsSboxNodeRole,
} from '../definitions/jenkins-controller';
import { grafanaWorkspaceReadStatements } from '../definitions/grafana-workspace';
import { releaseApproverRoles } from '../definitions/release-approver';
import { defineKanikoTask } from './mgmt-kaniko';
import { MGMT_SETTINGS } from './settings';
import { notificationsKey, notificationsTopic, openAccount, type AccountContext } from './account';
import { elbLogDeliveryAccount } from './workload';

export function defineMgmtAccount(platform: Platform, config: MgmtStackConfig): Record<string, unknown> {
  const ctx = openAccount(platform, 'mgmt', config['tdr:accountId']);
  const { root } = ctx;
  const opts = { parent: root };
  const workloadAccounts = config['tdr:workloadAccountIds'];

  const key = notificationsKey(ctx, ['cloudwatch.amazonaws.com', 'codestar-notifications.amazonaws.com']);
  const topic = notificationsTopic(ctx, key);

  defineRepositories(ctx, workloadAccounts);

  const ledger = new SecureBucket(
    'release-ledger',
    {
      bucketName: naming.ledgerBucket(),
      objectLockDays: MGMT_SETTINGS.ledgerObjectLockDays,
      lifecycle: [
        { id: 'keep-versions', noncurrentVersionsExpireAfterDays: MGMT_SETTINGS.ledgerObjectLockDays },
      ],
    },
    opts,
  );

  const code = defineBackendCodeBucket(ctx, workloadAccounts);

  const nodeRoles = WORKLOAD_ENVIRONMENTS.map((env) =>
    createRole(`jenkins-node-${env}`, jenkinsNodeRole(ctx, env, workloadAccounts[env]), root),
  );
  const mgmtNodeRole = createRole('jenkins-node-mgmt', jenkinsMgmtNodeRole(ctx, workloadAccounts), root);
  const sboxNodeRole = createRole('jenkins-node-sbox', jenkinsSboxNodeRole(ctx), root);
  const platformAgentRole = createRole('jenkins-platform-agent-role', jenkinsPlatformAgentRole(ctx), root);
  for (const spec of releaseApproverRoles(ctx, workloadAccounts))
    createRole(`release-approver-${spec.roleName}`, spec, root);

  const agentExecutionRole = defineJenkinsAgents(ctx);
  const { controller: jenkins, network } = defineJenkins(ctx, config, [
    ...nodeRoles,
    mgmtNodeRole,
    sboxNodeRole,
    platformAgentRole,
    agentExecutionRole,
  ]);
  new JenkinsAgentCloud(
    'jenkins-agents',
    { vpcId: network.vpcId, clusterArn: jenkins.clusterArn, subnetIds: network.privateSubnetIds },
    opts,
  );
  defineKanikoTask(ctx, {
    executionRole: agentExecutionRole,
    logGroupName: naming.logGroup('jenkins-agent', 'mgmt'),
  });
  const grafana = defineGrafana(ctx, workloadAccounts);
  return ctx.root.complete({
    ledgerBucket: ledger.bucketName,
    backendCodeBucket: code.bucketName,
    jenkinsUrl: `https://${config['tdr:jenkinsHostname']}`,
    jenkinsService: jenkins.ecsServiceName,
    grafanaWorkspaceId: grafana.id,
    notificationsTopicArn: topic.arn,
  });
}

/**
 * The function packages, `{function}/{version}/{file}`, uploaded by the build. Versioned (a version
 * is never rewritten: the release ledger holds its SHA-256) and encrypted with S3's key, which the
 * workload accounts can read through. Each workload account's release role and Pulumi role read
 * only the prefixes of the functions it runs: Lambda fetches the code with the caller's access.
 */
function defineBackendCodeBucket(
  ctx: AccountContext,
  workloadAccounts: MgmtStackConfig['tdr:workloadAccountIds'],
): SecureBucket {
  const bucketName = naming.backendCodeBucket();
  return new SecureBucket(
    'backend-code',
    {
      bucketName,
      lifecycle: [{ id: 'keep-old-packages', noncurrentVersionsExpireAfterDays: 90 }],
      grants: WORKLOAD_ENVIRONMENTS.map((env) => ({
        Sid: `${roleSuffix(env)}ReadsItsFunctions`,
        Effect: 'Allow' as const,
        // The account, narrowed to its two roles by aws:PrincipalArn: S3 rejects a policy naming a
        // role that does not exist yet ("Invalid principal in policy"), and the workload stacks
        // create theirs after mgmt's (IAM User Guide, "AWS JSON policy elements: Principal",
        // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-roles).
        Principal: { AWS: `arn:aws:iam::${workloadAccounts[env]}:root` },
        Condition: {
          ArnEquals: {
            'aws:PrincipalArn': [
              naming.roleArn(workloadAccounts[env], naming.jenkinsEcsUpdateRole(env)),
              naming.roleArn(workloadAccounts[env], naming.pulumiDeployRole(env)),
            ],
          },
        },
        Action: ['s3:GetObject', 's3:GetObjectVersion'],
        Resource: functions(ctx.platform.catalogue).map(([fn]) =>
          arn.s3Objects(bucketName, naming.functionPackagePrefix(fn)),
        ),
      })),
    },
    { parent: ctx.root },
  );
}

function defineRepositories(
  ctx: AccountContext,
  workloadAccounts: MgmtStackConfig['tdr:workloadAccountIds'],
): void {
  const opts = { parent: ctx.root };
  for (const [repository, users] of imageRepositories(ctx.platform)) {
    const name = naming.ecrRepository(repository);
    const repo = new aws.ecr.Repository(
      `ecr-${repository}`,
      {
        name,
        imageTagMutability: 'IMMUTABLE',
        imageScanningConfiguration: { scanOnPush: true },
        encryptionConfigurations: [{ encryptionType: 'AES256' }],
      },
      opts,
    );
    new aws.ecr.LifecyclePolicy(
      `ecr-${repository}-lifecycle`,
      {
        repository: repo.name,
        policy: JSON.stringify({
          rules: [
            {
              rulePriority: 1,
              description: 'keep the last 100 versions',
              selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 100 },
              action: { type: 'expire' },
            },
          ],
        }),
      },
      opts,
    );
    // Cross-account pulls name the account (AWS requires principals that exist when the policy is
    // written) and narrow to the execution roles of the entries built from this repository.
    new aws.ecr.RepositoryPolicy(
      `ecr-${repository}-policy`,
      {
        repository: repo.name,
        policy: policyDocument([
          {
            Sid: 'WorkloadAccountsPull',
            Effect: 'Allow',
            Principal: {
              AWS: WORKLOAD_ENVIRONMENTS.map((env) => `arn:aws:iam::${workloadAccounts[env]}:root`),
            },
            Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'],
            Resource: arn.ecrRepository(ctx.region, ctx.accountId, name),
            Condition: {
              ArnEquals: {
                'aws:PrincipalArn': WORKLOAD_ENVIRONMENTS.flatMap((env) =>
                  users.map((u) =>
                    naming.roleArn(workloadAccounts[env], naming.executionRole(u.pascalName, env)),
                  ),
                ),
              },
            },
          },
        ]),
      },
      opts,
    );
  }
}

/**
 * Agents run in the controller's cluster. The controller's ECS cloud registers one task definition
 * per JCasC template itself (amazon-ecs plugin), with the template's task role (an environment's
 * node or infra role) and this execution role; the stack gives them a log group and the role.
 */
function defineJenkinsAgents(ctx: AccountContext): aws.iam.Role {
  new aws.cloudwatch.LogGroup(
    'jenkins-agent-logs',
    { name: naming.logGroup('jenkins-agent', 'mgmt'), retentionInDays: MGMT_SETTINGS.logRetentionDays },
    { parent: ctx.root },
  );
  return createRole('jenkins-agent-execution-role', jenkinsAgentExecutionRole(ctx), ctx.root);
}

// eslint-disable-next-line max-lines-per-function -- Pulumi resources declared in dependency order, one block each: splitting would pass half-built resources between functions.
function defineJenkins(
  ctx: AccountContext,
  config: MgmtStackConfig,
  // The roles the controller passes to agent tasks: created before it, so that PassRole never
  // names a role that is not there yet (the infra roles come from the bootstrap).
  agentRoles: aws.iam.Role[],
): { controller: EcsService; network: Network } {
  const { region, accountId, root } = ctx;
  const opts = { parent: root };
  const settings = MGMT_SETTINGS.jenkins;
  const controllerRepository = arn.ecrImageUri(
    region,
    accountId,
    naming.jenkinsImageRepository('controller'),
  );
  const network = new Network(
    'network',
    {
      env: 'mgmt',
      region,
      accountId,
      cidr: config['tdr:vpcCidr'],
      availabilityZones: MGMT_SETTINGS.availabilityZones,
      natGatewayPerZone: false,
      flowLogRetentionDays: MGMT_SETTINGS.logRetentionDays,
    },
    opts,
  );
  const accessLogsName = naming.bucket('alb-logs', 'mgmt');
  const accessLogs = new SecureBucket(
    'alb-logs',
    {
      bucketName: accessLogsName,
      lifecycle: [
        {
          id: 'expire-logs',
          expireAfterDays: MGMT_SETTINGS.logRetentionDays,
          noncurrentVersionsExpireAfterDays: 1,
        },
      ],
      grants: [
        {
          Sid: 'ElbLogDelivery',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${elbLogDeliveryAccount(region)}:root` },
          Action: 's3:PutObject',
          Resource: arn.s3Objects(accessLogsName, `AWSLogs/${accountId}/`),
        },
      ],
    },
    opts,
  );
  const lb = new PublicLoadBalancer(
    'jenkins-public',
    {
      loadBalancerName: naming.loadBalancer('mgmt'),
      vpcId: network.vpcId,
      vpcCidr: network.cidr,
      subnetIds: network.publicSubnetIds,
      certificateDomain: config['tdr:jenkinsHostname'],
      hostedZoneId: config['tdr:hostedZoneId'],
      hostnames: [config['tdr:jenkinsHostname']],
      accessLogsBucket: accessLogs.bucket.id,
      ingressCidrs: config['tdr:jenkinsAllowlist'],
      deletionProtection: true,
    },
    opts,
  );
  // Agents reach the controller as everyone does, through the load balancer's HTTPS URL (WebSocket,
  // JCasC `jenkinsUrl`), from the private subnets through the NAT gateway: its public address joins
  // the allowlist, on 443 only. Without it the agents' connection is refused at the load balancer.
  network.natPublicIps.forEach((ip, i) => {
    new aws.vpc.SecurityGroupIngressRule(
      `jenkins-public-in-443-agents-${i}`,
      {
        securityGroupId: lb.securityGroupId,
        ipProtocol: 'tcp',
        fromPort: 443,
        toPort: 443,
        cidrIpv4: pulumi.interpolate`${ip}/32`,
        description: 'HTTPS from the Jenkins agents (the NAT gateway): WebSocket to the controller',
      },
      opts,
    );
  });
  const fileSystem = new aws.efs.FileSystem(
    'jenkins-home',
    {
      creationToken: naming.jenkinsHomeFileSystem(),
      encrypted: true,
      performanceMode: 'generalPurpose',
      throughputMode: 'elastic',
      tags: { Name: naming.jenkinsHomeFileSystem() },
    },
    { parent: root, protect: true },
  );
  new aws.efs.BackupPolicy(
    'jenkins-home-backup',
    { fileSystemId: fileSystem.id, backupPolicy: { status: 'ENABLED' } },
    opts,
  );
  const accessPoint = new aws.efs.AccessPoint(
    'jenkins-home-access-point',
    {
      fileSystemId: fileSystem.id,
      posixUser: { uid: settings.posixId, gid: settings.posixId },
      rootDirectory: {
        path: '/jenkins_home',
        creationInfo: { ownerUid: settings.posixId, ownerGid: settings.posixId, permissions: '750' },
      },
    },
    opts,
  );
  const efsSg = new aws.ec2.SecurityGroup(
    'jenkins-home-sg',
    {
      name: `${naming.jenkinsHomeFileSystem()}-nfs`,
      description: 'Jenkins home over NFS: the controller only',
      vpcId: network.vpcId,
    },
    opts,
  );
  network.privateSubnetIds.forEach((subnetId, i) => {
    new aws.efs.MountTarget(
      `jenkins-home-mount-${i}`,
      { fileSystemId: fileSystem.id, subnetId, securityGroups: [efsSg.id] },
      opts,
    );
  });
  const controller = new EcsService(
    'jenkins',
    {
      env: 'mgmt',
      region,
      accountId,
      serviceName: 'jenkins',
      pascalName: 'Jenkins',
      cpu: settings.cpu,
      memory: settings.memory,
      // The controller image (plugins and JCasC baked in), by the digest the operator pushed.
      image: `${controllerRepository}@${config['tdr:jenkinsControllerImageDigest']}`,
      imageRepositoryArn: arn.ecrRepository(region, accountId, naming.jenkinsImageRepository('controller')),
      // The secret source's AWS SDK (v1) finds its region in AWS_REGION.
      environment: { AWS_REGION: region },
      containerPort: settings.port,
      healthCheck: settings.healthCheck,
      sidecars: [],
      desiredCount: 1,
      singleton: true,
      logRetentionDays: MGMT_SETTINGS.logRetentionDays,
      efsVolume: {
        fileSystemId: fileSystem.id,
        accessPointId: accessPoint.id,
        containerPath: settings.homePath,
      },
      taskRoleStatements: [
        {
          Sid: 'MountHome',
          Effect: 'Allow',
          Action: ['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite'],
          Resource: fileSystem.arn,
        },
        ...jenkinsControllerStatements(ctx),
      ],
      vpcId: network.vpcId,
      subnetIds: network.privateSubnetIds,
      loadBalancerSecurityGroupId: lb.securityGroupId,
      httpsListenerArn: lb.httpsListenerArn,
      hostname: config['tdr:jenkinsHostname'],
      listenerRulePriority: 10,
    },
    { parent: root, dependsOn: [accessPoint, ...agentRoles] },
  );
  new aws.vpc.SecurityGroupIngressRule(
    'jenkins-home-in-nfs',
    {
      securityGroupId: efsSg.id,
      referencedSecurityGroupId: controller.securityGroupId,
      ipProtocol: 'tcp',
      fromPort: 2049,
      toPort: 2049,
      description: 'NFS from the Jenkins controller',
    },
    opts,
  );
  return { controller, network };
}

function defineGrafana(
  ctx: AccountContext,
  workloadAccounts: MgmtStackConfig['tdr:workloadAccountIds'],
): aws.grafana.Workspace {
  const role = createRole(
    'grafana-workspace-role',
    {
      roleName: naming.grafanaWorkspaceRole(),
      description: 'Amazon Managed Grafana: reads each workload account through its monitoring role',
      trust: [serviceTrust('grafana.amazonaws.com', ctx.accountId)],
      statements: [
        {
          Sid: 'AssumeMonitoringRoles',
          Effect: 'Allow',
          Action: 'sts:AssumeRole',
          Resource: WORKLOAD_ENVIRONMENTS.map((env) =>
            naming.roleArn(workloadAccounts[env], naming.grafanaMonitoringRole(env)),
          ),
        },
        {
          Sid: 'PublishNotifications',
          Effect: 'Allow',
          Action: 'sns:Publish',
          Resource: arn.snsTopic(ctx.region, ctx.accountId, naming.notificationsTopic('mgmt')),
        },
        // mgmt's own datasource reads with this role: customer-managed permissions attach nothing.
        ...grafanaWorkspaceReadStatements(ctx.region, ctx.accountId),
      ],
    },
    ctx.root,
  );
  return new aws.grafana.Workspace(
    'grafana',
    {
      name: naming.grafanaWorkspace(),
      accountAccessType: 'CURRENT_ACCOUNT',
      authenticationProviders: ['AWS_SSO'],
      permissionType: 'CUSTOMER_MANAGED',
      roleArn: role.arn,
      dataSources: ['CLOUDWATCH'],
      notificationDestinations: ['SNS'],
    },
    { parent: ctx.root },
  );
}
