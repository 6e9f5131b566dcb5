/**
 * What the Jenkins controller's task role may do, as plain data: read the SSM parameters its
 * JCasC names, and start its agents the way the amazon-ecs plugin does. Also the agents' execution
 * role and the sandbox's node role. The mgmt stack (infra/accounts/mgmt.ts) creates these roles.
 */
import { ENVIRONMENT_NAMES, WORKLOAD_ENVIRONMENTS, type EnvironmentName } from '../../services/environments';
import { naming } from '../../services/naming';
import { alertSecretParameter, contactChannels } from '../../services/on-call';
import type { AccountFacts } from './account';
import { arn, serviceTrust, type PolicyStatement, type RoleSpec } from './iam';
import { agentRepositoryArns, readAccountIds } from './jenkins';

/**
 * Every SSM parameter the controller's jenkins.yaml references as `${/mgmt/…}` (rendered by
 * pipelines/jenkins/render-casc.ts, whose names infra cannot import: infra/accounts/mgmt.test.ts
 * checks this list against the rendered file, both ways). The configuration-as-code-secret-ssm
 * plugin resolves each with one `GetParameter` (WithDecryption) as the controller's task role
 * (AwsSsmSecretSource#reveal, https://github.com/jenkinsci/configuration-as-code-secret-ssm-plugin);
 * a parameter it cannot read resolves to empty.
 */
export function controllerParameters(): string[] {
  return [
    naming.mgmtParameter('github/client'),
    naming.mgmtParameter('github/secret'),
    naming.mgmtParameter('github/username'),
    naming.mgmtParameter('github/password'),
    naming.mgmtParameter('slack/token'),
    naming.mgmtParameter('grafana/url'),
    naming.mgmtParameter('grafana/token'),
    ...WORKLOAD_ENVIRONMENTS.flatMap((env) => contactChannels(env).map((c) => alertSecretParameter(env, c))),
    naming.accountIdParameter('mgmt'),
    naming.jenkinsClusterArnParameter(),
    naming.jenkinsAgentSubnetsParameter(),
    naming.jenkinsAgentSecurityGroupParameter(),
  ];
}

/**
 * The task roles the controller's agent templates run as: each environment's node and infra roles,
 * and the platform agent's.
 */
export function agentTaskRoleNames(): string[] {
  return [
    ...ENVIRONMENT_NAMES.flatMap((env: EnvironmentName) => [
      naming.jenkinsNodeRole(env),
      naming.jenkinsInfraRole(env),
    ]),
    naming.jenkinsPlatformAgentRole(),
  ];
}

/**
 * The platform agent's task role (`ecs-mgmt-platform`): the root Jenkinsfile's Build stage runs
 * `npm test` against moto and an offline synth for every branch and pull request, and needs no AWS
 * permission; so it has none, and a branch's code gets no credential worth taking.
 */
export function jenkinsPlatformAgentRole(mgmt: AccountFacts): RoleSpec {
  return {
    roleName: naming.jenkinsPlatformAgentRole(),
    description: 'Jenkins platform agent (npm test, offline synth): no permission',
    trust: [serviceTrust('ecs-tasks.amazonaws.com', mgmt.accountId)],
  };
}

/**
 * The controller's own permissions beyond its home directory.
 *
 * SecureStrings are put under the AWS managed key aws/ssm, whose key policy lets every principal
 * of the account decrypt through SSM, so no kms:Decrypt is granted here
 * (https://docs.aws.amazon.com/systems-manager/latest/userguide/ps-restrict-decryption.html). A
 * parameter's ARN is `arn:aws:ssm:{region}:{account}:parameter/{name without its leading slash}`
 * (Service Authorization Reference, AWS Systems Manager, resource type `parameter`).
 *
 * The ECS calls are those of the amazon-ecs plugin's ECSService (registerTaskDefinition,
 * describeTaskDefinition, listTagsForResource, deregisterTaskDefinition, runTask, describeTasks,
 * stopTask), as its README's "IAM Permissions" lists them, scoped per the Service Authorization
 * Reference (Amazon ECS): RegisterTaskDefinition and RunTask to the templates' families
 * (`{cloud}-{template}`, ECSService#fullQualifiedTemplateName); RunTask, StopTask and
 * DescribeTasks to the controller's cluster by `ecs:cluster`; the plugin tags what it registers
 * and runs, which needs ecs:TagResource on creation (`ecs:CreateAction`). DescribeTaskDefinition
 * and DeregisterTaskDefinition take no resource. ListClusters and DescribeClusters are only the
 * plugin's configuration form's, which JCasC does not use.
 */
export function jenkinsControllerStatements(mgmt: AccountFacts): PolicyStatement[] {
  const { region, accountId } = mgmt;
  const cluster = arn.ecsCluster(region, accountId, naming.jenkinsCluster());
  const families = `arn:aws:ecs:${region}:${accountId}:task-definition/${naming.jenkinsCloudName()}-*:*`;
  const tasks = `arn:aws:ecs:${region}:${accountId}:task/${naming.jenkinsCluster()}/*`;
  const onCluster = { ArnEquals: { 'ecs:cluster': cluster } };
  return [
    {
      Sid: 'ReadCascParameters',
      Effect: 'Allow',
      Action: 'ssm:GetParameter',
      Resource: controllerParameters().map((p) => arn.ssmParameter(region, accountId, p)),
    },
    {
      Sid: 'RegisterAgentTaskDefinitions',
      Effect: 'Allow',
      Action: ['ecs:RegisterTaskDefinition', 'ecs:ListTagsForResource'],
      Resource: families,
    },
    {
      Sid: 'ReadAgentTaskDefinitions',
      Effect: 'Allow',
      Action: ['ecs:DescribeTaskDefinition', 'ecs:DeregisterTaskDefinition'],
      Resource: '*',
    },
    { Sid: 'StartAgents', Effect: 'Allow', Action: 'ecs:RunTask', Resource: families, Condition: onCluster },
    {
      Sid: 'WatchAgents',
      Effect: 'Allow',
      Action: ['ecs:DescribeTasks', 'ecs:StopTask'],
      Resource: tasks,
      Condition: onCluster,
    },
    {
      Sid: 'TagAgentsOnCreate',
      Effect: 'Allow',
      Action: 'ecs:TagResource',
      Resource: [families, tasks],
      Condition: { StringEquals: { 'ecs:CreateAction': ['RegisterTaskDefinition', 'RunTask'] } },
    },
    {
      Sid: 'PassAgentRoles',
      Effect: 'Allow',
      Action: 'iam:PassRole',
      Resource: [...agentTaskRoleNames(), naming.jenkinsAgentExecutionRole()].map((r) =>
        naming.roleArn(accountId, r),
      ),
      Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
    },
  ];
}

/** ECS starts every agent task with this role: pull the agent images, write the agents' logs. */
export function jenkinsAgentExecutionRole(mgmt: AccountFacts): RoleSpec {
  const { region, accountId } = mgmt;
  return {
    roleName: naming.jenkinsAgentExecutionRole(),
    description: 'Starts Jenkins agent tasks: pulls the agent images and writes their logs',
    trust: [serviceTrust('ecs-tasks.amazonaws.com', accountId)],
    statements: [
      {
        Sid: 'WriteLogs',
        Effect: 'Allow',
        // Both act on log streams only (Service Authorization Reference, CloudWatch Logs).
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: [arn.logStreams(region, accountId, naming.logGroup('jenkins-agent', 'mgmt'))],
      },
      // A registry token is account-wide by design; what it can pull is limited below.
      { Sid: 'EcrToken', Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
      {
        Sid: 'PullAgentImages',
        Effect: 'Allow',
        Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'],
        Resource: agentRepositoryArns(mgmt),
      },
    ],
  };
}

/**
 * The sandbox's agent (`ecs-sbox`): the controller's cloud has a template for every environment,
 * and a template whose task role does not exist cannot start. No job runs on it yet; it reads the
 * account ids and nothing else (the sandbox's infra jobs run as `TDRJenkinsInfraRoleSbox`).
 */
export function jenkinsSboxNodeRole(mgmt: AccountFacts): RoleSpec {
  return {
    roleName: naming.jenkinsNodeRole('sbox'),
    description: 'Jenkins agents of the sandbox (ecs-sbox): read the account ids, nothing else',
    trust: [serviceTrust('ecs-tasks.amazonaws.com', mgmt.accountId)],
    statements: [readAccountIds(mgmt)],
  };
}
