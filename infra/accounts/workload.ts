/**
 * A workload account (intg, staging, prod): network, load balancer, every catalogue service and
 * one-off task, their databases, the four buckets of DESIGN.md, the role Jenkins deploys through,
 * the role Grafana reads through, and alarms. Everything follows from the catalogue.
 */
import * as aws from '@pulumi/aws';
import type * as pulumi from '@pulumi/pulumi';
import type { DeliveryStrategy } from '../../services/delivery';
import { CANARY_JUDGE_FUNCTION } from '../../services/platform-functions';
import type { Platform } from '../../services/config';
import type { WorkloadEnvironmentName } from '../../services/environments';
import { S3_REQUEST_METRICS_BUCKETS } from '../../services/aws-metrics';
import { naming, WORKLOAD_BUCKET_FUNCTIONS, type WorkloadBucketFunction } from '../../services/naming';
import {
  deliveryStrategy,
  ecsEntries,
  ecsServices,
  functions,
  oneOffTasks,
  stateMachines,
} from '../../services/queries';
import type { WorkloadStackConfig } from '../config';
import { CrossAccountRole } from '../components/cross-account-role';
import { Database } from '../components/database';
import { EcsService, EcsTask } from '../components/ecs-service';
import { arn, createRole, policyDocument, type PolicyStatement } from '../components/iam';
import { PublicLoadBalancer } from '../components/load-balancer';
import { Network } from '../components/network';
import { SecureBucket, type BucketLifecycle } from '../components/secure-bucket';
import { AlarmChat } from '../components/alarm-chat';
import { ServiceAlarms } from '../components/service-alarms';
import { accountFacts } from '../definitions/account';
import {
  ECS_LOAD_BALANCER_INFRASTRUCTURE_POLICY_ARN,
  JUDGED_KINDS,
  ecsDeploymentSettings,
  ecsJudgeHookRole,
  ecsLoadBalancerInfrastructureRole,
} from '../definitions/ecs-deployment';
import { jenkinsEcsUpdateRole, releaseReaderRole } from '../definitions/jenkins';
import { releaseApprovalRole } from '../definitions/release-approval';
import { listenerRulePriority } from '../definitions/load-balancer';
import { workloadTaskArgs } from '../definitions/workload';
import { WORKLOAD_SETTINGS } from './settings';
import { defineBackend, defineFunctionSecurityGroups, type Backend } from './backend';
import { notificationsKey, notificationsTopic, openAccount, type AccountContext } from './account';

/** The account ALB access logs are delivered from, per region (regions older than August 2022). */
const ELB_LOG_DELIVERY_ACCOUNTS: Readonly<Record<string, string>> = {
  'eu-west-1': '156460612806',
  'eu-west-2': '652711504416',
};

export function elbLogDeliveryAccount(region: string): string {
  const account = ELB_LOG_DELIVERY_ACCOUNTS[region];
  if (!account) throw new Error(`no ELB log delivery account known for region ${region}`);
  return account;
}

const BUCKET_LIFECYCLE: Readonly<Record<WorkloadBucketFunction, BucketLifecycle>> = {
  // Files wait here only until the antivirus scan moves them on.
  'upload-files-cloudfront-dirty': {
    id: 'expire-unscanned',
    expireAfterDays: 7,
    noncurrentVersionsExpireAfterDays: 1,
  },
  'upload-files': { id: 'expire-old-versions', noncurrentVersionsExpireAfterDays: 30 },
  'upload-files-quarantine': {
    id: 'expire-quarantined',
    expireAfterDays: 90,
    noncurrentVersionsExpireAfterDays: 7,
  },
  'consignment-export': { id: 'expire-old-versions', noncurrentVersionsExpireAfterDays: 90 },
};

// eslint-disable-next-line max-lines-per-function -- Pulumi resources declared in dependency order, one block each: splitting would pass half-built resources between functions.
export function defineWorkloadAccount(
  platform: Platform,
  env: WorkloadEnvironmentName,
  config: WorkloadStackConfig,
): Record<string, unknown> {
  const ctx = openAccount(platform, env, config['tdr:accountId']);
  const settings = WORKLOAD_SETTINGS[env];
  const { region, accountId, root } = ctx;
  const opts = { parent: root };
  const domain = ctx.environment.domain;
  if (!domain) throw new Error(`environment ${env} is a workload account but has no domain`);
  const mgmtAccountId = config['tdr:mgmtAccountId'];
  const facts = accountFacts(platform, env, accountId);

  const key = notificationsKey(ctx, ['cloudwatch.amazonaws.com', 's3.amazonaws.com']);
  const topic = notificationsTopic(ctx, key);
  // Every alarm of the account notifies this topic; Slack hears it even when Grafana is down.
  new AlarmChat(
    'alarms-chat',
    {
      env,
      accountId,
      region,
      slackWorkspaceId: config['tdr:slackWorkspaceId'],
      slackChannelId: config['tdr:alarmsSlackChannelId'],
      topicArns: [topic.arn],
    },
    opts,
  );

  const network = new Network(
    'network',
    {
      env,
      region,
      accountId,
      cidr: config['tdr:vpcCidr'],
      availabilityZones: settings.availabilityZones,
      natGatewayPerZone: settings.natGatewayPerZone,
      flowLogRetentionDays: settings.logRetentionDays,
    },
    opts,
  );

  const buckets = defineBuckets(ctx, config, key, settings.logRetentionDays);
  const backendNetwork = { vpcId: network.vpcId, subnetIds: network.privateSubnetIds };
  const functionGroups = defineFunctionSecurityGroups(ctx, backendNetwork, network.cidr);
  // The functions that connect to a service's database share a security group: one rule for all.
  const functionClientsOf = (service: string) =>
    [
      ...new Set(
        functions(platform.catalogue)
          .filter(([, f]) => f.network.database === service)
          .flatMap(([f]) => functionGroups.get(f) ?? []),
      ),
    ].map((sg) => sg.id);

  const serviceEntries = ecsServices(platform.catalogue);
  const deliveries = new Map(
    serviceEntries.map(([name]) => {
      const strategy = deliveryStrategy(platform, name, env);
      if (!strategy) throw new Error(`${name} is not an ECS service of the catalogue`);
      return [name, strategy] as const;
    }),
  );
  // What the services' strategies need of the account: a test listener, the infrastructure role.
  const settingsOf = [...deliveries.values()].map((d) => ecsDeploymentSettings(d, []));
  const infrastructureRole = settingsOf.some((d) => d.sideBySide) ? ecsInfrastructureRole(ctx) : undefined;
  const lb = new PublicLoadBalancer(
    'public',
    {
      loadBalancerName: naming.loadBalancer(env),
      vpcId: network.vpcId,
      vpcCidr: network.cidr,
      subnetIds: network.publicSubnetIds,
      certificateDomain: `*.${domain}`,
      hostedZoneId: config['tdr:hostedZoneId'],
      hostnames: serviceEntries.map(([, e]) => naming.hostname(e.hostnamePrefix, domain)),
      accessLogsBucket: buckets.accessLogs.bucket.id,
      ingressCidrs: ['0.0.0.0/0'],
      deletionProtection: settings.loadBalancerDeletionProtection,
      ...(settingsOf.some((d) => d.testTraffic) ? { testListenerPort: naming.testListenerPort() } : {}),
    },
    opts,
  );

  // Before the services: the canary judge's hook points at a function that must exist first.
  const backend = defineBackend(ctx, {
    facts,
    network: backendNetwork,
    securityGroups: functionGroups,
    buckets,
    topicKeyArn: key.arn,
    topicArn: topic.arn,
    logRetentionDays: settings.logRetentionDays,
  });
  const judge = judgeHookTarget(ctx, [...deliveries.values()], backend);

  serviceEntries.forEach(([name, entry], i) => {
    const desiredCount = entry.desiredCount[env];
    const service = new EcsService(
      name,
      {
        ...workloadTaskArgs(facts, name, mgmtAccountId),
        containerPort: entry.containerPort,
        healthCheck: entry.healthCheck,
        desiredCount,
        logRetentionDays: settings.logRetentionDays,
        vpcId: network.vpcId,
        subnetIds: network.privateSubnetIds,
        loadBalancerSecurityGroupId: lb.securityGroupId,
        httpsListenerArn: lb.httpsListenerArn,
        hostname: naming.hostname(entry.hostnamePrefix, domain),
        listenerRulePriority: listenerRulePriority(i),
        delivery: deliveries.get(name)!,
        loadBalancerArnSuffix: lb.arnSuffix,
        topicArn: topic.arn,
        ...(lb.testListenerArn ? { testListenerArn: lb.testListenerArn } : {}),
        ...(infrastructureRole ? { infrastructureRoleArn: infrastructureRole.arn } : {}),
        ...(judge ? { judge } : {}),
        ...(settings.autoscaling
          ? {
              autoscaling: {
                minCount: desiredCount,
                maxCount: desiredCount * settings.autoscaling.maxFactor,
                targetCpuPercent: settings.autoscaling.targetCpuPercent,
              },
            }
          : {}),
      },
      opts,
    );
    if (entry.database) {
      new Database(
        `${name}-db`,
        {
          env,
          serviceName: name,
          vpcId: network.vpcId,
          subnetIds: network.privateSubnetIds,
          clientSecurityGroupIds: [service.securityGroupId, ...functionClientsOf(name)],
          ...settings.database,
          allocatedStorageGb: settings.database.allocatedStorageGb,
        },
        opts,
      );
    }
    new ServiceAlarms(
      `${name}-alarms`,
      {
        env,
        serviceName: name,
        clusterName: service.clusterName,
        ecsServiceName: service.ecsServiceName,
        targetGroupArnSuffix: service.targetGroupArnSuffix,
        loadBalancerArnSuffix: lb.arnSuffix,
        topicArn: topic.arn,
      },
      opts,
    );
  });

  for (const [name] of oneOffTasks(platform.catalogue)) {
    new EcsTask(
      name,
      { ...workloadTaskArgs(facts, name, mgmtAccountId), logRetentionDays: settings.logRetentionDays },
      opts,
    );
  }

  const updateRole = new CrossAccountRole(
    'jenkins-ecs-update',
    jenkinsEcsUpdateRole(facts, mgmtAccountId),
    opts,
  );
  // The nightly report's read-only way in: mgmt's build agents must never hold the update role.
  new CrossAccountRole('release-reader', releaseReaderRole(facts, mgmtAccountId), opts);
  // `tdr approve` by an approver as themself continues a deployment held for approval through this.
  const approval = releaseApprovalRole(facts, mgmtAccountId);
  if (approval) new CrossAccountRole('release-approval', approval, opts);
  const monitoringRole = new CrossAccountRole(
    'grafana-monitoring',
    {
      roleName: naming.grafanaMonitoringRole(env),
      description: `Amazon Managed Grafana in mgmt reads ${env} metrics and logs through this role`,
      trustedPrincipalArns: [naming.roleArn(mgmtAccountId, naming.grafanaWorkspaceRole())],
      statements: monitoringRoleStatements(ctx),
    },
    opts,
  );
  return ctx.root.complete({
    vpcId: network.vpcId,
    updateRoleArn: updateRole.roleArn,
    monitoringRoleArn: monitoringRole.roleArn,
    notificationsTopicArn: topic.arn,
  });
}

/** The role ECS moves listener rules through, with the AWS managed policy the ECS guide names. */
function ecsInfrastructureRole(ctx: AccountContext): aws.iam.Role {
  const role = createRole(
    'ecs-lb-infrastructure-role',
    ecsLoadBalancerInfrastructureRole(ctx.env, ctx.accountId),
    ctx.root,
  );
  new aws.iam.RolePolicyAttachment(
    'ecs-lb-infrastructure-role-managed',
    { role: role.name, policyArn: ECS_LOAD_BALANCER_INFRASTRUCTURE_POLICY_ARN },
    { parent: ctx.root },
  );
  return role;
}

/**
 * Where ECS sends a canary or linear service's judge hook: the catalogue's canary judge (its `live`
 * alias) and the role ECS invokes it with; none when no service of the environment is judged.
 */
function judgeHookTarget(
  ctx: AccountContext,
  deliveries: readonly DeliveryStrategy[],
  backend: Backend,
): { hookTargetArn: pulumi.Output<string>; roleArn: pulumi.Output<string> } | undefined {
  if (!deliveries.some((d) => JUDGED_KINDS.includes(d.kind))) return undefined;
  const fn = backend.functions.get(CANARY_JUDGE_FUNCTION);
  if (!fn)
    throw new Error(
      `${ctx.env} has canary or linear services but no ${CANARY_JUDGE_FUNCTION} function to judge them`,
    );
  const role = createRole(
    'ecs-judge-hook-role',
    ecsJudgeHookRole(ctx.env, ctx.accountId, fn.aliasArn),
    ctx.root,
  );
  return { hookTargetArn: fn.aliasArn, roleArn: role.arn };
}

/** CloudWatch and Logs, read only. */
export function monitoringRoleStatements(ctx: AccountContext): PolicyStatement[] {
  const { platform, env, region, accountId } = ctx;
  const logGroups = [
    ...ecsEntries(platform.catalogue).map(([name]) => naming.logGroup(name, env)),
    ...functions(platform.catalogue).map(([name]) => naming.functionLogGroup(name, env)),
    ...stateMachines(platform.catalogue).map(([, e]) => naming.stateMachineLogGroup(e.pascalName, env)),
  ];
  return [
    {
      // CloudWatch metric reads have no resource-level permissions.
      Sid: 'ReadMetrics',
      Effect: 'Allow',
      Action: ['cloudwatch:GetMetricData', 'cloudwatch:GetMetricStatistics', 'cloudwatch:ListMetrics'],
      Resource: '*',
    },
    {
      Sid: 'ReadAlarms',
      Effect: 'Allow',
      Action: ['cloudwatch:DescribeAlarms', 'cloudwatch:DescribeAlarmHistory'],
      Resource: `arn:aws:cloudwatch:${region}:${accountId}:alarm:tdr-*`,
    },
    {
      Sid: 'QueryServiceLogs',
      Effect: 'Allow',
      Action: ['logs:StartQuery', 'logs:GetLogEvents', 'logs:FilterLogEvents', 'logs:GetLogGroupFields'],
      Resource: logGroups.flatMap((g) => [
        arn.logGroup(region, accountId, g),
        arn.logStreams(region, accountId, g),
      ]),
    },
    {
      // Query results and the log-group listing are not resource-scoped in CloudWatch Logs.
      Sid: 'ReadQueryResults',
      Effect: 'Allow',
      Action: ['logs:GetQueryResults', 'logs:StopQuery', 'logs:DescribeLogGroups'],
      Resource: '*',
    },
  ];
}

// eslint-disable-next-line max-lines-per-function -- Pulumi resources declared in dependency order, one block each: splitting would pass half-built resources between functions.
function defineBuckets(
  ctx: AccountContext,
  config: WorkloadStackConfig,
  key: aws.kms.Key,
  logRetentionDays: number,
) {
  const { env, region, accountId, root } = ctx;
  const opts = { parent: root };
  const elbAccount = elbLogDeliveryAccount(region);
  const accessLogsName = naming.bucket('alb-logs', env);
  const accessLogs = new SecureBucket(
    'alb-logs',
    {
      bucketName: accessLogsName,
      lifecycle: [
        { id: 'expire-logs', expireAfterDays: logRetentionDays, noncurrentVersionsExpireAfterDays: 1 },
      ],
      grants: [
        {
          Sid: 'ElbLogDelivery',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${elbAccount}:root` },
          Action: 's3:PutObject',
          Resource: arn.s3Objects(accessLogsName, `AWSLogs/${accountId}/`),
        },
      ],
    },
    opts,
  );
  const exportName = naming.bucket('consignment-export', env);
  const preservationRole = config['tdr:preservationRoleArn'];
  const exportTopic = new aws.sns.Topic(
    'consignment-export-topic',
    { name: naming.exportNotificationsTopic(env), kmsMasterKeyId: key.arn },
    opts,
  );
  const exportTopicPolicy = new aws.sns.TopicPolicy(
    'consignment-export-topic-policy',
    {
      arn: exportTopic.arn,
      policy: policyDocument([
        {
          Sid: 'ExportBucketPublishes',
          Effect: 'Allow',
          Principal: { Service: 's3.amazonaws.com' },
          Action: 'sns:Publish',
          Resource: exportTopic.arn,
          Condition: {
            ArnEquals: { 'aws:SourceArn': arn.s3Bucket(exportName) },
            StringEquals: { 'aws:SourceAccount': accountId },
          },
        },
        {
          Sid: 'PreservationSubscribes',
          Effect: 'Allow',
          Principal: { AWS: preservationRole },
          Action: 'sns:Subscribe',
          Resource: exportTopic.arn,
        },
      ]),
    },
    opts,
  );
  const functionBuckets = Object.fromEntries(
    WORKLOAD_BUCKET_FUNCTIONS.map((fn) => {
      const bucketName = naming.bucket(fn, env);
      const isExport = fn === 'consignment-export';
      const bucket = new SecureBucket(
        fn,
        {
          bucketName,
          lifecycle: [BUCKET_LIFECYCLE[fn]],
          ...((S3_REQUEST_METRICS_BUCKETS as readonly string[]).includes(fn)
            ? { requestMetricsFilterId: naming.s3RequestMetricsFilter() }
            : {}),
          ...(isExport
            ? {
                grants: [
                  {
                    Sid: 'PreservationReadsExports',
                    Effect: 'Allow',
                    Principal: { AWS: preservationRole },
                    Action: ['s3:GetObject', 's3:GetObjectVersion'],
                    Resource: arn.s3Objects(bucketName),
                  },
                  {
                    Sid: 'PreservationListsExports',
                    Effect: 'Allow',
                    Principal: { AWS: preservationRole },
                    Action: ['s3:ListBucket'],
                    Resource: arn.s3Bucket(bucketName),
                  },
                ],
                notifyTopicArn: exportTopicPolicy.arn,
              }
            : {}),
        },
        opts,
      );
      return [fn, bucket] as const;
    }),
  ) as Record<WorkloadBucketFunction, SecureBucket>;
  return { accessLogs, ...functionBuckets };
}
