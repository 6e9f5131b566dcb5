/**
 * Every physical name the platform creates or looks up, following TDR's existing conventions
 * (users already know them). Nothing else in the repository spells a name by hand.
 */
import type { EnvironmentName } from './environments';

/** Capitalised role suffix as TDR writes it: `intg` → `Intg`. */
export function roleSuffix(env: EnvironmentName): string {
  return env.charAt(0).toUpperCase() + env.slice(1);
}

/** The Jenkins images the platform builds: the controller and the three agents. */
export const JENKINS_IMAGES = ['controller', 'agent', 'build-agent', 'platform-agent', 'kaniko'] as const;
export type JenkinsImage = (typeof JENKINS_IMAGES)[number];

export const MAINTENANCE_SUBJECT = 'maintenance';
/** The stream of a subject's rejections (`records/{subject}/rejections/`, issue 26): one for every environment. */
export const REJECTIONS_STREAM = 'rejections';
/** The ledger subject release trains are recorded under (`records/train/{env}/`, issue 26). */
export const TRAIN_SUBJECT = 'train';
const PULUMI_STATE_BUCKET = 'tdr-pulumi-state-mgmt';
const PULUMI_SECRETS_KEY_ALIAS = 'alias/tdr-pulumi-secrets-mgmt';

/** Management-account SSM parameter (`/mgmt/github/client`), resolved by Jenkins at runtime. */
function mgmtParameter(key: string): string {
  return `/mgmt/${key}`;
}

export const naming = {
  /** TDR runs one cluster per service: `consignmentapi_intg`. */
  cluster: (service: string, env: EnvironmentName) => `${service}_${env}`,
  ecsService: (service: string, env: EnvironmentName) => `${service}_service_${env}`,
  taskFamily: (service: string, env: EnvironmentName) => `${service}-${env}`,
  containerName: (service: string) => service,
  targetGroup: (service: string, env: EnvironmentName) => `${service}-tg-${env}`,
  /**
   * The second target group of a service that ECS shifts traffic for (blue/green, canary, linear):
   * the two swap roles at each deployment. ≤ 32 characters, as ELBv2 allows. No token of it is part
   * of a token of the first's (`alt`, `tg`), so a CloudWatch SEARCH by one name, whose unquoted
   * values match partially, never finds the other (dashboards/canary.ts).
   */
  alternateTargetGroup: (service: string, env: EnvironmentName) => `${service}-alt-${env}`,
  loadBalancer: (env: EnvironmentName) => `tdr-${env}`,
  /** The public listener's port: maintenance mode switches the listener on it. */
  publicListenerPort: () => 443,
  /** The test listener's port: the new revision answers here before it takes production traffic. */
  testListenerPort: () => 8443,
  /** The role ECS assumes to move the listener rules of a progressive deployment. */
  ecsLoadBalancerInfrastructureRole: (env: EnvironmentName) =>
    `TDRECSInfrastructureRoleForLoadBalancers${roleSuffix(env)}`,
  /** The role ECS assumes to invoke the canary judge's lifecycle hook (`lifecycleHooks[].roleArn`). */
  ecsJudgeHookRole: (env: EnvironmentName) => `TDRECSCanaryJudgeHookRole${roleSuffix(env)}`,
  /**
   * The ledger and lease key of an environment's maintenance switch (`records/maintenance/{env}/`):
   * not a catalogue name, which the catalogue's validation makes sure of.
   */
  maintenanceSubject: () => MAINTENANCE_SUBJECT,
  logGroup: (service: string, env: EnvironmentName) => `/ecs/${service}-${env}`,
  /** ECR repositories all live in mgmt; the name is the catalogue's image repository. */
  ecrRepository: (imageRepository: string) => imageRepository,
  bucket: (fn: string, env: EnvironmentName) => `tdr-${fn}-${env}`,
  ledgerBucket: () => 'tdr-release-ledger-mgmt',
  /** Where the ledger keeps the records of one subject (a catalogue entry, maintenance) in one environment. */
  ledgerRecordPrefix: (subject: string, env: string) => `records/${subject}/${env}/`,
  pulumiStateBucket: () => PULUMI_STATE_BUCKET,
  /** Where S3 writes the state bucket's access log. */
  pulumiStateLogBucket: () => 'tdr-pulumi-state-logs-mgmt',
  /** The KMS key Pulumi encrypts stack secrets with (`awskms://alias/…`). */
  pulumiSecretsKeyAlias: () => PULUMI_SECRETS_KEY_ALIAS,
  /** `pulumi login` of the account stacks: the state bucket in mgmt. */
  pulumiBackendUrl: (region: string) => `s3://${PULUMI_STATE_BUCKET}?region=${region}&awssdk=v2`,
  /** The secrets provider of every account stack. */
  pulumiSecretsProvider: (region: string) => `awskms://${PULUMI_SECRETS_KEY_ALIAS}?region=${region}`,
  /** The Pulumi stack of the bootstrap project (`infra/bootstrap`), run in mgmt. */
  bootstrapStack: () => 'bootstrap',
  databaseIdentifier: (service: string, env: EnvironmentName) => `${service}-db-${env}`,
  databaseSecret: (service: string, env: EnvironmentName) => `/${env}/${service}/database/password`,
  taskRole: (pascalName: string, env: EnvironmentName) => `TDR${pascalName}EcsTaskRole${roleSuffix(env)}`,
  executionRole: (pascalName: string, env: EnvironmentName) =>
    `TDR${pascalName}EcsExecutionRole${roleSuffix(env)}`,
  jenkinsNodeRole: (env: EnvironmentName) => `TDRJenkinsNodeRole${roleSuffix(env)}`,
  jenkinsEcsUpdateRole: (env: EnvironmentName) => `TDRJenkinsECSUpdateRole${roleSuffix(env)}`,
  /** Read-only twin of the update role: what `tdr report` and `tdr status` read, from mgmt's node role. */
  releaseReaderRole: (env: EnvironmentName) => `TDRReleaseReaderRole${roleSuffix(env)}`,
  grafanaMonitoringRole: (env: EnvironmentName) => `TDRGrafanaMonitoringRole${roleSuffix(env)}`,
  /**
   * What an approver's own identity continues a deployment ECS holds for approval through (`tdr
   * approve`): trusted by the environment's approver roles in mgmt only (infra/definitions/release-approval.ts).
   */
  releaseApprovalRole: (env: EnvironmentName) => `TDRReleaseApprovalRole${roleSuffix(env)}`,
  roleArn: (accountId: string, roleName: string) => `arn:aws:iam::${accountId}:role/${roleName}`,
  /** TDR's convention: mgmt holds each account's id at `/mgmt/{env}_account`. */
  accountIdParameter: (env: EnvironmentName) => `/mgmt/${env}_account`,
  serviceParameter: (service: string, env: EnvironmentName, key: string) => `/${env}/${service}/${key}`,
  slackWebhookParameter: () => '/mgmt/slack/release-webhook',
  /**
   * The organisation config (services/organisation.ts), not secret: a String parameter in mgmt the
   * bootstrap step puts from the operator's file, which the Jenkins infra jobs fetch before preflight.
   */
  organisationParameter: () => mgmtParameter('organisation'),
  notificationsTopic: (env: EnvironmentName) => `tdr-notifications-${env}`,
  alarm: (service: string, env: EnvironmentName, metric: string) => `tdr-${service}-${env}-${metric}`,
  grafanaFolderUid: (env: EnvironmentName) => `tdr-${env}`,
  grafanaDatasourceUid: (env: EnvironmentName) => `tdr-cloudwatch-${env}`,
  grafanaDashboardUid: (env: EnvironmentName, dashboard: string) => `tdr-${env}-${dashboard}`,
  hostname: (prefix: string, domain: string) => `${prefix}.${domain}`,
  /** Tags of a deploy annotation: the release engine writes them, dashboards filter on `deploy` + env. */
  /** What every dashboard of `env` filters on (`deploy`, env); a switch has no version to tag. */
  /**
   * Tags of a deployment-stage mark (a progressive deployment's stage, e.g. TEST_TRAFFIC_SHIFT):
   * the canary dashboard filters on `deploy-stage` + env. The release engine writes one per stage
   * record (pipelines/release/notify.ts `markStage`), as it writes deploy annotations.
   */
  deployStageAnnotationTags: (service: string, env: EnvironmentName, stage: string) => [
    'deploy-stage',
    service,
    env,
    stage,
  ],
  /** The tags the canary dashboard's stage-mark query asks for, all of them (a subset of the above). */
  deployStageAnnotationFilter: (env: EnvironmentName) => ['deploy-stage', env],
  deployAnnotationTags: (service: string, env: EnvironmentName, version: string) =>
    ['deploy', service, env, version].filter((tag) => tag !== ''),
  jenkinsCluster: () => 'jenkins_mgmt',
  /** What the controller's ECS cloud (JCasC) reads: the agents' cluster, subnets and security group. */
  jenkinsClusterArnParameter: () => mgmtParameter('jenkins_cluster_arn'),
  jenkinsAgentSubnetsParameter: () => mgmtParameter('fargate_subnet'),
  jenkinsAgentSecurityGroupParameter: () => mgmtParameter('fargate_security_group'),
  jenkinsAgentSecurityGroup: () => 'tdr-jenkins-agents-mgmt',
  jenkinsControllerService: () => 'jenkins_service_mgmt',
  jenkinsAgentFamily: (env: EnvironmentName) => `jenkins-agent-${env}`,
  /** The image builder's own task (services/kaniko.ts): its task definition family, task role and context bucket. */
  jenkinsKanikoFamily: () => 'jenkins-kaniko-mgmt',
  jenkinsKanikoTaskRole: () => 'TDRJenkinsKanikoTaskRoleMgmt',
  jenkinsKanikoContextBucket: () => 'tdr-kaniko-context-mgmt',
  /**
   * mgmt's ECR repository of a Jenkins image (pipelines/jenkins/controller and agent Dockerfiles):
   * `jenkins-controller`, `jenkins-agent`, `jenkins-build-agent`, `jenkins-platform-agent`.
   */
  jenkinsImageRepository: (image: JenkinsImage) => `jenkins-${image}`,
  /** The role ECS starts every Jenkins agent task with (pulls its image, writes its logs). */
  /** The amazon-ecs plugin's cloud in JCasC; it names each template's task definition `{cloud}-{template}`. */
  jenkinsCloudName: () => 'ecs',
  /** The platform agent's task role (the root Jenkinsfile's `npm test`): no permission at all. */
  jenkinsPlatformAgentRole: () => 'TDRJenkinsPlatformAgentRoleMgmt',
  jenkinsAgentExecutionRole: () => 'TDRJenkinsAgentEcsExecutionRoleMgmt',
  /** S3 request metrics (PutRequests…) are published per filter; TDR's buckets use one whole-bucket filter. */
  s3RequestMetricsFilter: () => 'EntireBucket',
  /** Label of the ECS Fargate Jenkins agents that run as `TDRJenkinsNodeRole{Env}`. */
  jenkinsAgentLabel: (env: EnvironmentName) => `ecs-${env}`,
  /** Lockable resource serialising releases of one service in one environment. */
  jenkinsReleaseLock: (service: string, env: EnvironmentName) => `tdr-release-${service}-${env}`,
  /** A catalogue entry's GitHub repository, by TDR's convention: `transfer-frontend` → `tdr-transfer-frontend`. */
  serviceRepository: (imageRepository: string) => `tdr-${imageRepository}`,
  /** GitHub team as the github-oauth plugin names it (`org*team`) for a platform group. */
  githubTeam: (group: string) => `nationalarchives*tdr-${group}`,
  /** Management-account SSM parameter (`/mgmt/github/client`), resolved by Jenkins at runtime. */
  mgmtParameter,
  pulumiStack: (env: EnvironmentName) => env,
  vpc: (env: EnvironmentName) => `tdr-vpc-${env}`,
  flowLogGroup: (env: EnvironmentName) => `/vpc/tdr-vpc-${env}/flow-logs`,
  /** The role Pulumi assumes in each account when Jenkins runs `pulumi up --stack {env}`. */
  pulumiDeployRole: (env: EnvironmentName) => `TDRPulumiDeployRole${roleSuffix(env)}`,
  /** The role of the Jenkins agent that runs `pulumi` for one account: it may assume only that account's deploy role. */
  jenkinsInfraRole: (env: EnvironmentName) => `TDRJenkinsInfraRole${roleSuffix(env)}`,
  /** Label of the ECS Fargate agent that runs as `TDRJenkinsInfraRole{Env}`. */
  jenkinsInfraAgentLabel: (env: EnvironmentName) => `ecs-infra-${env}`,
  jenkinsHomeFileSystem: () => 'tdr-jenkins-home-mgmt',
  grafanaWorkspace: () => 'tdr-grafana-mgmt',
  grafanaWorkspaceRole: () => 'TDRGrafanaWorkspaceRoleMgmt',
  flowLogRole: (env: EnvironmentName) => `TDRFlowLogsRole${roleSuffix(env)}`,
  exportNotificationsTopic: (env: EnvironmentName) => `tdr-consignment-export-${env}`,
  /** Grafana alert rule group of an environment's services (in the environment's folder). */
  grafanaRuleGroup: (env: EnvironmentName) => `tdr-${env}-services`,
  /**
   * Grafana alert rule uid (at most 40 characters): the CloudWatch alarm's name without its `tdr-`
   * prefix, so a rule and the alarm it mirrors are found by one name; see `grafanaUid`.
   */
  grafanaAlertRuleUid: (service: string, env: EnvironmentName, key: string) =>
    grafanaUid(`${service}-${env}-${key}`),
  /** Grafana contact point: one per environment and channel (`slack`, `paging`). */
  grafanaContactPoint: (env: EnvironmentName, channel: string) => `TDR ${env} ${channel}`,
  grafanaContactPointUid: (env: EnvironmentName, channel: string) => `tdr-${env}-${channel}`,
  /** AWS Chatbot configuration delivering an account's alarm topic to Slack. */
  chatbotSlackConfiguration: (env: EnvironmentName) => `tdr-alarms-${env}`,
  chatbotRole: (env: EnvironmentName) => `TDRChatbotAlarmsRole${roleSuffix(env)}`,
  /** Lambda functions: TDR's `tdr-{function}-{env}`, logging to Lambda's own log group name. */
  functionName: (fn: string, env: EnvironmentName) => `tdr-${fn}-${env}`,
  functionLogGroup: (fn: string, env: EnvironmentName) => `/aws/lambda/tdr-${fn}-${env}`,
  functionRole: (pascalName: string, env: EnvironmentName) => `TDR${pascalName}LambdaRole${roleSuffix(env)}`,
  /** TDR shares two among its functions: outbound only, and outbound with the database. */
  functionSecurityGroup: (reachesDatabase: boolean, env: EnvironmentName) =>
    reachesDatabase ? `tdr-lambda-outbound-with-db-${env}` : `tdr-lambda-outbound-${env}`,
  /** The alias every trigger invokes and every release moves. */
  functionAlias: () => 'live',
  /** Where a function's failed events and messages end up (redrive target, on-failure destination). */
  functionDeadLetterQueue: (fn: string, env: EnvironmentName) => `tdr-${fn}-dlq-${env}`,
  queue: (queue: string, env: EnvironmentName) => `tdr-${queue}-${env}`,
  scheduleRule: (fn: string, env: EnvironmentName) => `tdr-${fn}-schedule-${env}`,
  /** mgmt's bucket of function packages, `{function}/{version}/{file}` (TDR's own layout). */
  backendCodeBucket: () => 'tdr-backend-code-mgmt',
  functionPackagePrefix: (fn: string) => `${fn}/`,
  functionPackageKey: (fn: string, version: string, file: string) => `${fn}/${version}/${file}`,
  /** Step Functions: TDR's `TDRBackendChecksIntg`. */
  stateMachine: (pascalName: string, env: EnvironmentName) => `TDR${pascalName}${roleSuffix(env)}`,
  stateMachineRole: (pascalName: string, env: EnvironmentName) =>
    `TDR${pascalName}StateMachineRole${roleSuffix(env)}`,
  /** Under `/aws/vendedlogs/`, as AWS recommends for Step Functions (resource policy size). */
  stateMachineLogGroup: (pascalName: string, env: EnvironmentName) =>
    `/aws/vendedlogs/states/TDR${pascalName}${roleSuffix(env)}`,
} as const;

/** Grafana refuses uids over 40 characters: longer names keep a readable head and a hash tail. */
const GRAFANA_UID_MAX = 40;

function grafanaUid(name: string): string {
  if (name.length <= GRAFANA_UID_MAX) return name;
  // FNV-1a: a stable short tail needing no crypto import in this dependency-free module.
  let hash = 0x811c9dc5;
  for (const c of name) hash = Math.imul(hash ^ c.charCodeAt(0), 0x01000193) >>> 0;
  const tail = hash.toString(16).padStart(8, '0');
  return `${name.slice(0, GRAFANA_UID_MAX - tail.length - 1)}-${tail}`;
}

export type Naming = typeof naming;

/** The per-environment buckets of DESIGN.md, by function. */
export const WORKLOAD_BUCKET_FUNCTIONS = [
  'upload-files-cloudfront-dirty',
  'upload-files',
  'upload-files-quarantine',
  'consignment-export',
] as const;
export type WorkloadBucketFunction = (typeof WORKLOAD_BUCKET_FUNCTIONS)[number];
