/**
 * The image builder's permissions, as plain data (services/kaniko.ts says why Kaniko runs as its own
 * ECS task). Two sides:
 *
 * - the Kaniko task's role: read the build contexts, push to exactly the repositories builds push
 *   to (the catalogue's and the Jenkins agent images'), as the ECR user guide lists push ("IAM
 *   permissions for pushing an image"; the ECR credential helper the image carries gets its token
 *   with ecr:GetAuthorizationToken, which takes no resource);
 * - the build agent (TDRJenkinsNodeRoleMgmt), which runs `kaniko-build`
 *   (pipelines/jenkins/scripts/kaniko-build.sh): upload a context, read the agents' network from
 *   SSM, start the task on the Jenkins cluster, pass its two roles, watch it, read its log.
 *
 * Resource types per the Service Authorization Reference: RunTask acts on a task definition and
 * takes `ecs:cluster`; DescribeTasks on a task; PassRole on a role, with `iam:PassedToService`.
 */
import { naming } from '../../services/naming';
import { KANIKO } from '../../services/kaniko';
import type { AccountFacts } from './account';
import { arn, serviceTrust, type PolicyStatement, type RoleSpec } from './iam';

/** Every revision of the Kaniko task definition: `kaniko-build` runs the family's latest. */
export function kanikoTaskDefinitionArns(mgmt: AccountFacts): string {
  return `arn:aws:ecs:${mgmt.region}:${mgmt.accountId}:task-definition/${naming.jenkinsKanikoFamily()}:*`;
}

/**
 * `repositories`: what builds push to, the catalogue's images and the Jenkins agent images, Kaniko's
 * own included (./jenkins.ts, kanikoRepositoryArns; passed in, as jenkins.ts imports this file).
 */
export function kanikoTaskRole(mgmt: AccountFacts, repositories: readonly string[]): RoleSpec {
  const bucket = naming.jenkinsKanikoContextBucket();
  return {
    roleName: naming.jenkinsKanikoTaskRole(),
    description: `Kaniko builds: read build contexts from ${bucket}, push to the catalogue's and the Jenkins agents' ECR repositories`,
    trust: [serviceTrust('ecs-tasks.amazonaws.com', mgmt.accountId)],
    statements: [
      {
        // Kaniko's S3 context is one GetObject of the .tar.gz (the fork's README, "Kaniko Build Contexts").
        Sid: 'ReadBuildContexts',
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: arn.s3Objects(bucket, KANIKO.contextPrefix),
      },
      // A registry token is account-wide by design; what it can push to is limited below.
      { Sid: 'EcrToken', Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
      {
        Sid: 'PushImages',
        Effect: 'Allow',
        Action: [
          'ecr:BatchCheckLayerAvailability',
          'ecr:InitiateLayerUpload',
          'ecr:UploadLayerPart',
          'ecr:CompleteLayerUpload',
          'ecr:PutImage',
          'ecr:BatchGetImage',
          'ecr:GetDownloadUrlForLayer',
        ],
        Resource: [...repositories],
      },
    ],
  };
}

/** What the build agent's role needs to run `kaniko-build`, beyond the ECR reads it already has. */
export function kanikoCallerStatements(mgmt: AccountFacts): PolicyStatement[] {
  const { region, accountId } = mgmt;
  const cluster = arn.ecsCluster(region, accountId, naming.jenkinsCluster());
  const onCluster = { ArnEquals: { 'ecs:cluster': cluster } };
  return [
    {
      Sid: 'UploadBuildContexts',
      Effect: 'Allow',
      Action: 's3:PutObject',
      Resource: arn.s3Objects(naming.jenkinsKanikoContextBucket(), KANIKO.contextPrefix),
    },
    {
      // The task runs in the agents' subnets with their security group (infra/components/jenkins-agent-cloud.ts).
      Sid: 'ReadAgentNetwork',
      Effect: 'Allow',
      Action: 'ssm:GetParameters',
      Resource: [naming.jenkinsAgentSubnetsParameter(), naming.jenkinsAgentSecurityGroupParameter()].map(
        (p) => arn.ssmParameter(region, accountId, p),
      ),
    },
    {
      Sid: 'RunKaniko',
      Effect: 'Allow',
      Action: 'ecs:RunTask',
      Resource: kanikoTaskDefinitionArns(mgmt),
      Condition: onCluster,
    },
    {
      // Watch it, and stop it when it outlives kaniko-build's bound. Task ids are ECS's, so the
      // cluster's tasks; the agents' own tasks are the controller's to stop, which has the same reach.
      Sid: 'WatchKaniko',
      Effect: 'Allow',
      Action: ['ecs:DescribeTasks', 'ecs:StopTask'],
      Resource: `arn:aws:ecs:${region}:${accountId}:task/${naming.jenkinsCluster()}/*`,
      Condition: onCluster,
    },
    {
      // A failed build prints the end of Kaniko's log into the Jenkins build log. Its stream is
      // `{prefix}/{container}/{task id}` in the agents' log group (awslogs driver).
      Sid: 'ReadKanikoLogs',
      Effect: 'Allow',
      Action: 'logs:GetLogEvents',
      Resource: `${arn.logGroup(region, accountId, naming.logGroup('jenkins-agent', 'mgmt'))}:log-stream:${KANIKO.logStreamPrefix}/*`,
    },
    {
      // RunTask passes the task definition's task and execution roles (ECS Developer Guide,
      // "Amazon ECS task execution IAM role" and "Task IAM role": iam:PassRole to start a task).
      Sid: 'PassKanikoRoles',
      Effect: 'Allow',
      Action: 'iam:PassRole',
      Resource: [naming.jenkinsKanikoTaskRole(), naming.jenkinsAgentExecutionRole()].map((r) =>
        naming.roleArn(accountId, r),
      ),
      Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
    },
  ];
}
