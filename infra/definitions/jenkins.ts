/**
 * DESIGN.md's two hops, as plain data: Jenkins agents in mgmt run as `TDRJenkinsNodeRole{Env}`,
 * which may only assume `TDRJenkinsECSUpdateRole{Env}` in that environment's account, which
 * trusts only it. The nightly release report runs in mgmt as `TDRJenkinsNodeRoleMgmt`, which may
 * assume only `TDRReleaseReaderRole{Env}`, which reads and changes nothing. infra creates these
 * roles; the sandbox creates the same ones on moto.
 */
import type { Platform } from '../../services/config';
import {
  ENVIRONMENT_NAMES,
  WORKLOAD_ENVIRONMENTS,
  type WorkloadEnvironmentName,
} from '../../services/environments';
import { JENKINS_IMAGES, naming } from '../../services/naming';
import { ecsEntries, ecsServices, functions, oneOffTasks } from '../../services/queries';
import type { AccountFacts, WorkloadAccountFacts } from './account';
import { kanikoCallerStatements } from './kaniko';
import { lambdaArn } from './lambda';
import { progressiveDeliveryStatements } from './progressive-iam';
import { arn, serviceTrust, type CrossAccountRoleArgs, type PolicyStatement, type RoleSpec } from './iam';

/** The workload accounts' ids, by environment. */
export type WorkloadAccountIds = Readonly<Record<WorkloadEnvironmentName, string>>;

/** Image repository → catalogue entries released from it. */
export function imageRepositories(
  platform: Platform,
): Map<string, Array<{ name: string; pascalName: string }>> {
  const repos = new Map<string, Array<{ name: string; pascalName: string }>>();
  for (const [name, entry] of ecsEntries(platform.catalogue)) {
    const users = repos.get(entry.imageRepository) ?? [];
    users.push({ name, pascalName: entry.pascalName });
    repos.set(entry.imageRepository, users);
  }
  return repos;
}

/** The agents' role in mgmt (`mgmt` describes the mgmt account). */
export function jenkinsNodeRole(
  mgmt: AccountFacts,
  env: WorkloadEnvironmentName,
  workloadAccountId: string,
): RoleSpec {
  return {
    roleName: naming.jenkinsNodeRole(env),
    description: `Jenkins agents deploying to ${env}: may assume only ${naming.jenkinsEcsUpdateRole(env)} there`,
    trust: [serviceTrust('ecs-tasks.amazonaws.com', mgmt.accountId)],
    statements: nodeRoleStatements(mgmt, env, workloadAccountId),
  };
}

/** Assume only the update role of its environment, read ECR, write the ledger. */
export function nodeRoleStatements(
  mgmt: AccountFacts,
  env: WorkloadEnvironmentName,
  workloadAccountId: string,
): PolicyStatement[] {
  const repositories = catalogueRepositoryArns(mgmt);
  const ledger = naming.ledgerBucket();
  return [
    {
      Sid: 'AssumeUpdateRole',
      Effect: 'Allow',
      Action: 'sts:AssumeRole',
      Resource: naming.roleArn(workloadAccountId, naming.jenkinsEcsUpdateRole(env)),
    },
    // A registry token is account-wide by design; what it can read is limited below.
    { Sid: 'EcrToken', Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
    {
      Sid: 'ReadReleases',
      Effect: 'Allow',
      Action: ['ecr:DescribeImages', 'ecr:BatchGetImage', 'ecr:ListImages', 'ecr:DescribeRepositories'],
      Resource: repositories,
    },
    readAccountIds(mgmt),
    {
      Sid: 'WriteLedger',
      Effect: 'Allow',
      Action: ['s3:PutObject', 's3:GetObject'],
      Resource: arn.s3Objects(ledger),
    },
    { Sid: 'ListLedger', Effect: 'Allow', Action: 's3:ListBucket', Resource: arn.s3Bucket(ledger) },
    {
      // A release gives its lease back by deleting it (pipelines/release/ledger/lease.ts,
      // `leases/{service}/{env}.json`); without this the next release of the service waits out the
      // lease's time to live. Only this environment's leases.
      Sid: 'ReleaseLeases',
      Effect: 'Allow',
      Action: 's3:DeleteObject',
      Resource: `${arn.s3Bucket(ledger)}/leases/*/${env}.json`,
    },
    {
      // The release notification's Slack webhook, when TDR_SLACK_WEBHOOK_URL is not set (Jenkins
      // sets none). A SecureString under aws/ssm, whose key policy lets every principal of the
      // account decrypt through SSM (https://docs.aws.amazon.com/systems-manager/latest/userguide/ps-restrict-decryption.html).
      Sid: 'ReadReleaseWebhook',
      Effect: 'Allow',
      Action: 'ssm:GetParameter',
      Resource: arn.ssmParameter(mgmt.region, mgmt.accountId, naming.slackWebhookParameter()),
    },
    {
      // A function release resolves its package to the SHA-256 the build recorded.
      Sid: 'ReadFunctionPackages',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:GetObjectAttributes'],
      Resource: functionPackageResources(mgmt.platform),
    },
    {
      // `tdr verify` checks the code bucket is there (HeadBucket), which S3 authorises as
      // s3:ListBucket (Amazon S3 API Reference, HeadBucket, "Permissions").
      Sid: 'FindCodeBucket',
      Effect: 'Allow',
      Action: 's3:ListBucket',
      Resource: arn.s3Bucket(naming.backendCodeBucket()),
    },
  ];
}

/** Without TDR_ACCOUNT_IDS (Jenkins sets none), `tdr` reads the account ids from mgmt's SSM. */
export function readAccountIds(mgmt: AccountFacts): PolicyStatement {
  return {
    Sid: 'ReadAccountIds',
    Effect: 'Allow',
    Action: 'ssm:GetParameters',
    Resource: ENVIRONMENT_NAMES.map((e) =>
      arn.ssmParameter(mgmt.region, mgmt.accountId, naming.accountIdParameter(e)),
    ),
  };
}

/**
 * The mgmt agents' role: `ecs-mgmt` and the build agent `ecs-mgmt-build` (pipelines/jenkins/agents.ts).
 * A build has Kaniko's own task push the catalogue's images to mgmt's ECR and waits for their scan
 * (kaniko-build, scan-gate), and uploads function packages with their SHA-256 (upload-package).
 * The nightly `mgmt/release-report` (`tdr report`, TDR_WORKLOAD_ROLE=reader) reads the ledger and
 * the account ids, and each workload account through its `TDRReleaseReaderRole{Env}` only. Nothing
 * else: no ledger writes and no update role, since the intg deploy jobs a build starts run on
 * intg's agent as intg's node role.
 */
export function jenkinsMgmtNodeRole(mgmt: AccountFacts, workloadAccounts: WorkloadAccountIds): RoleSpec {
  return {
    roleName: naming.jenkinsNodeRole('mgmt'),
    description: `Jenkins agents in mgmt: build images through Kaniko's task, upload function packages to ${naming.backendCodeBucket()}, read the release ledger and each workload account through its release reader role`,
    trust: [serviceTrust('ecs-tasks.amazonaws.com', mgmt.accountId)],
    statements: [...mgmtNodeRoleStatements(mgmt), ...releaseReportStatements(mgmt, workloadAccounts)],
  };
}

/** What `tdr report` reads from mgmt: the account ids, the release webhook and the ledger (records, heads, leases); never a write. */
function releaseReportStatements(
  mgmt: AccountFacts,
  workloadAccounts: WorkloadAccountIds,
): PolicyStatement[] {
  const ledger = naming.ledgerBucket();
  return [
    {
      Sid: 'AssumeReaderRoles',
      Effect: 'Allow',
      Action: 'sts:AssumeRole',
      Resource: WORKLOAD_ENVIRONMENTS.map((env) =>
        naming.roleArn(workloadAccounts[env], naming.releaseReaderRole(env)),
      ),
    },
    readAccountIds(mgmt),
    {
      // `tdr report --slack` posts through the release webhook, a SecureString under the AWS
      // managed key aws/ssm, which "grants Decrypt permission to all IAM principals in the AWS
      // account" (https://docs.aws.amazon.com/systems-manager/latest/userguide/ps-restrict-decryption.html).
      Sid: 'ReadReleaseWebhook',
      Effect: 'Allow',
      Action: 'ssm:GetParameter',
      Resource: arn.ssmParameter(mgmt.region, mgmt.accountId, naming.slackWebhookParameter()),
    },
    { Sid: 'ReadLedger', Effect: 'Allow', Action: 's3:GetObject', Resource: arn.s3Objects(ledger) },
    { Sid: 'ListLedger', Effect: 'Allow', Action: 's3:ListBucket', Resource: arn.s3Bucket(ledger) },
  ];
}

/**
 * Images are built and pushed by Kaniko's own task (./kaniko.ts), which this role starts and
 * watches; it reads the images and their scan findings (kaniko-build's "already there?", scan-gate).
 * Function packages: new ones only: upload-package writes with `If-None-Match: *`, which S3 makes
 * a condition key (`s3:if-none-match`; "Enforce conditional writes", S3 user guide), so even this
 * role cannot overwrite a package a release recorded.
 */
function mgmtNodeRoleStatements(mgmt: AccountFacts): PolicyStatement[] {
  const packages = functionPackageResources(mgmt.platform);
  return [
    {
      Sid: 'ReadScans',
      Effect: 'Allow',
      Action: ['ecr:DescribeImages', 'ecr:DescribeImageScanFindings'],
      Resource: kanikoRepositoryArns(mgmt),
    },
    ...kanikoCallerStatements(mgmt),
    ...(packages.length === 0
      ? []
      : [
          {
            Sid: 'UploadFunctionPackages',
            Effect: 'Allow' as const,
            Action: 's3:PutObject',
            Resource: packages,
            Condition: { Null: { 's3:if-none-match': 'false' } },
          },
          {
            // upload-package looks before it uploads: a package already there is left alone.
            Sid: 'ReadFunctionPackages',
            Effect: 'Allow' as const,
            Action: 's3:GetObject',
            Resource: packages,
          },
        ]),
  ];
}

/**
 * The repositories builds push to (Kaniko's task role) and read (the build agent): the catalogue's
 * images, and the Jenkins agent images, which mgmt/agent-image rebuilds (Kaniko's own included).
 */
export function kanikoRepositoryArns(mgmt: AccountFacts): string[] {
  return [...catalogueRepositoryArns(mgmt), ...agentRepositoryArns(mgmt)];
}

/** mgmt's ECR repositories of the Jenkins agent images (every Jenkins image but the controller's). */
export function agentRepositoryArns(mgmt: AccountFacts): string[] {
  return JENKINS_IMAGES.filter((i) => i !== 'controller').map((i) =>
    arn.ecrRepository(mgmt.region, mgmt.accountId, naming.jenkinsImageRepository(i)),
  );
}

/** mgmt's ECR repositories of the catalogue's images. */
export function catalogueRepositoryArns(mgmt: AccountFacts): string[] {
  return [...imageRepositories(mgmt.platform).keys()].map((r) =>
    arn.ecrRepository(mgmt.region, mgmt.accountId, naming.ecrRepository(r)),
  );
}

/** The role Jenkins deploys through, in the workload account `workload` describes. */
export function jenkinsEcsUpdateRole(
  workload: WorkloadAccountFacts,
  mgmtAccountId: string,
): CrossAccountRoleArgs {
  const { env } = workload;
  return {
    roleName: naming.jenkinsEcsUpdateRole(env),
    description: `Jenkins agents for ${env} deploy through this role, from ${naming.jenkinsNodeRole(env)} in mgmt only`,
    trustedPrincipalArns: [naming.roleArn(mgmtAccountId, naming.jenkinsNodeRole(env))],
    statements: updateRoleStatements(workload),
  };
}

/**
 * What `tdr report` and `tdr status` read in a workload account (read only), for the nightly report
 * in mgmt: trusted by `TDRJenkinsNodeRoleMgmt` only.
 */
export function releaseReaderRole(
  workload: WorkloadAccountFacts,
  mgmtAccountId: string,
): CrossAccountRoleArgs {
  const { env } = workload;
  return {
    roleName: naming.releaseReaderRole(env),
    description: `The nightly release report reads ${env} through this role (ECS services, function aliases, the public listener), from ${naming.jenkinsNodeRole('mgmt')} in mgmt only; it changes nothing`,
    trustedPrincipalArns: [naming.roleArn(mgmtAccountId, naming.jenkinsNodeRole('mgmt'))],
    statements: readerRoleStatements(workload),
  };
}

/**
 * The reads of status.ts (DescribeServices, DescribeTaskDefinition), function-status.ts (GetAlias
 * of `live`, GetFunctionConfiguration of its version) and maintenance-status.ts (the public load
 * balancer, its listeners and rules), each scoped as far as IAM lets it be.
 */
export function readerRoleStatements(workload: AccountFacts): PolicyStatement[] {
  const { platform, env, region, accountId } = workload;
  const fns = functions(platform.catalogue);
  return [
    {
      Sid: 'ReadServices',
      Effect: 'Allow',
      Action: ['ecs:DescribeServices'],
      Resource: ecsServices(platform.catalogue).map(([s]) =>
        arn.ecsService(region, accountId, naming.cluster(s, env), naming.ecsService(s, env)),
      ),
    },
    ...progressiveDeliveryStatements(workload, 'reader'),
    {
      // ECS takes no resource for DescribeTaskDefinition (IAM service authorization reference).
      Sid: 'ReadTaskDefinitions',
      Effect: 'Allow',
      Action: ['ecs:DescribeTaskDefinition'],
      Resource: '*',
    },
    ...(fns.length === 0
      ? []
      : [
          {
            Sid: 'ReadFunctions',
            Effect: 'Allow' as const,
            Action: ['lambda:GetAlias', 'lambda:GetFunctionConfiguration'],
            Resource: fns.flatMap(([fn]) => [
              lambdaArn.function(region, accountId, naming.functionName(fn, env)),
              lambdaArn.qualified(region, accountId, naming.functionName(fn, env)),
            ]),
          },
        ]),
    {
      // ELBv2's Describe actions take no resource (Resource "*").
      Sid: 'ReadMaintenanceListener',
      Effect: 'Allow',
      Action: [
        'elasticloadbalancing:DescribeLoadBalancers',
        'elasticloadbalancing:DescribeListeners',
        'elasticloadbalancing:DescribeRules',
      ],
      Resource: '*',
    },
  ];
}

/** May describe and update only this environment's services, register task definitions, pass only the task roles. */
export function updateRoleStatements(workload: AccountFacts): PolicyStatement[] {
  const { platform, env, region, accountId } = workload;
  const entries = ecsEntries(platform.catalogue);
  const serviceNames = ecsServices(platform.catalogue).map(([name]) => name);
  return [
    {
      Sid: 'DeployServices',
      Effect: 'Allow',
      Action: ['ecs:DescribeServices', 'ecs:UpdateService'],
      Resource: serviceNames.map((s) =>
        arn.ecsService(region, accountId, naming.cluster(s, env), naming.ecsService(s, env)),
      ),
    },
    {
      Sid: 'RunOneOffTasks',
      Effect: 'Allow',
      Action: ['ecs:RunTask'],
      Resource: oneOffTasks(platform.catalogue).map(([t]) =>
        arn.ecsTaskDefinition(region, accountId, naming.taskFamily(t, env)),
      ),
    },
    {
      Sid: 'WatchTasks',
      Effect: 'Allow',
      Action: ['ecs:DescribeTasks'],
      Resource: entries.map(
        ([name]) => `arn:aws:ecs:${region}:${accountId}:task/${naming.cluster(name, env)}/*`,
      ),
    },
    {
      // A RunTask whose reply was lost is found again by ListTasks (startedBy). IAM authorises
      // ListTasks on container instances, with the cluster as `ecs:cluster`, not on the cluster or
      // its tasks (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerservice.html).
      // Fargate clusters have no container instance to name: the ARNs say which clusters, and so
      // does the condition key, in case AWS evaluates the request without an instance.
      Sid: 'FindLostTasks',
      Effect: 'Allow',
      Action: ['ecs:ListTasks'],
      Resource: entries.map(
        ([name]) => `arn:aws:ecs:${region}:${accountId}:container-instance/${naming.cluster(name, env)}/*`,
      ),
      Condition: {
        ArnEquals: {
          'ecs:cluster': entries.map(([name]) =>
            arn.ecsCluster(region, accountId, naming.cluster(name, env)),
          ),
        },
      },
    },
    {
      // ECS cannot scope these to a family: task-definition revisions do not exist before registration.
      Sid: 'RegisterTaskDefinitions',
      Effect: 'Allow',
      Action: ['ecs:RegisterTaskDefinition', 'ecs:DescribeTaskDefinition'],
      Resource: '*',
    },
    {
      // What `tdr verify` reads before a release: never a parameter's value.
      Sid: 'PreflightClusters',
      Effect: 'Allow',
      Action: ['ecs:DescribeClusters'],
      Resource: entries.map(([name]) => arn.ecsCluster(region, accountId, naming.cluster(name, env))),
    },
    {
      // Neither action can be scoped to a resource (IAM service authorization reference).
      Sid: 'PreflightDescribe',
      Effect: 'Allow',
      Action: ['logs:DescribeLogGroups', 'ssm:DescribeParameters'],
      Resource: '*',
    },
    ...functionReleaseStatements(workload),
    ...maintenanceStatements(workload),
    ...progressiveDeliveryStatements(workload, 'update'),
    {
      Sid: 'PassOnlyTaskRoles',
      Effect: 'Allow',
      Action: ['iam:PassRole'],
      Resource: entries.flatMap(([, e]) => [
        naming.roleArn(accountId, naming.taskRole(e.pascalName, env)),
        naming.roleArn(accountId, naming.executionRole(e.pascalName, env)),
      ]),
      Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
    },
  ];
}

/** The package prefixes of the catalogue's functions in mgmt's code bucket. */
export function functionPackageResources(platform: Platform): string[] {
  return functions(platform.catalogue).map(([fn]) =>
    arn.s3Objects(naming.backendCodeBucket(), naming.functionPackagePrefix(fn)),
  );
}

/**
 * A function release: read the package (Lambda fetches it with the caller's access), update the
 * code, publish a version, move the `live` alias; only this environment's functions.
 */
function functionReleaseStatements(workload: AccountFacts): PolicyStatement[] {
  const { platform, env, region, accountId } = workload;
  const fns = functions(platform.catalogue);
  if (fns.length === 0) return [];
  return [
    {
      Sid: 'ReleaseFunctions',
      Effect: 'Allow',
      Action: [
        'lambda:GetFunction',
        'lambda:GetFunctionConfiguration',
        'lambda:UpdateFunctionCode',
        'lambda:PublishVersion',
        'lambda:ListVersionsByFunction',
        'lambda:GetAlias',
        'lambda:UpdateAlias',
      ],
      Resource: fns.flatMap(([fn]) => [
        lambdaArn.function(region, accountId, naming.functionName(fn, env)),
        lambdaArn.qualified(region, accountId, naming.functionName(fn, env)),
      ]),
    },
    {
      Sid: 'ReadFunctionPackages',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:GetObjectVersion'],
      Resource: functionPackageResources(platform),
    },
  ];
}

/**
 * The maintenance switch (`tdr maintenance on|off`): read the public load balancer, and change the
 * rules of its listeners only. Describe actions take no resource (Resource "*"); rule changes are
 * scoped to the listener and listener-rule ARNs of `tdr-{env}`, whose shapes are
 * `listener/app/{name}/{lb-id}/{listener-id}` and `listener-rule/app/{name}/{lb-id}/{listener-id}/{rule-id}`
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awselasticloadbalancingv2.html,
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-listeners.html).
 */
function maintenanceStatements(workload: AccountFacts): PolicyStatement[] {
  const { env, region, accountId } = workload;
  const elb = `arn:aws:elasticloadbalancing:${region}:${accountId}`;
  const name = naming.loadBalancer(env);
  return [
    {
      Sid: 'MaintenanceReadListener',
      Effect: 'Allow',
      Action: [
        'elasticloadbalancing:DescribeLoadBalancers',
        'elasticloadbalancing:DescribeListeners',
        'elasticloadbalancing:DescribeRules',
      ],
      Resource: '*',
    },
    {
      Sid: 'MaintenanceSwitchRules',
      Effect: 'Allow',
      Action: [
        'elasticloadbalancing:CreateRule',
        'elasticloadbalancing:DeleteRule',
        'elasticloadbalancing:ModifyRule',
        'elasticloadbalancing:SetRulePriorities',
        'elasticloadbalancing:ModifyListener',
      ],
      Resource: [`${elb}:listener/app/${name}/*`, `${elb}:listener-rule/app/${name}/*`],
    },
  ];
}
