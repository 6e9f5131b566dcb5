/**
 * Kaniko as its own ECS task in mgmt (services/kaniko.ts says why): the bucket the build agent
 * uploads build contexts to, the task's role, and its task definition on the Jenkins cluster. The
 * build agent starts it with RunTask (pipelines/jenkins/scripts/kaniko-build.sh); its permissions
 * to do so are TDRJenkinsNodeRoleMgmt's (infra/definitions/kaniko.ts, kanikoCallerStatements).
 *
 * The image is mgmt's `jenkins-kaniko` at the fork's release tag (ECR tags are immutable, so the
 * tag names one image): the bootstrap plan's "Jenkins images" step pushes it first, mgmt/agent-image
 * afterwards.
 */
import * as aws from '@pulumi/aws';

import { KANIKO } from '../../services/kaniko';
import { naming } from '../../services/naming';
import { createRole } from '../components/iam';
import { SecureBucket } from '../components/secure-bucket';
import { arn } from '../definitions/iam';
import { kanikoRepositoryArns } from '../definitions/jenkins';
import { kanikoTaskRole } from '../definitions/kaniko';
import type { AccountContext } from './account';

export interface KanikoTaskArgs {
  /** The agents' execution role: pulls mgmt's Jenkins images (Kaniko's among them), writes their logs. */
  readonly executionRole: aws.iam.Role;
  /** The agents' log group (the awslogs driver writes to it as the execution role). */
  readonly logGroupName: string;
}

export function defineKanikoTask(ctx: AccountContext, args: KanikoTaskArgs): aws.ecs.TaskDefinition {
  const { region, accountId, root } = ctx;
  const opts = { parent: root };
  new SecureBucket(
    'kaniko-context',
    {
      bucketName: naming.jenkinsKanikoContextBucket(),
      // A context is read once, by the task that builds it: nothing to keep.
      lifecycle: [
        {
          id: 'expire-contexts',
          expireAfterDays: KANIKO.contextExpireDays,
          noncurrentVersionsExpireAfterDays: 1,
        },
      ],
    },
    opts,
  );
  const taskRole = createRole(
    'jenkins-kaniko-task-role',
    kanikoTaskRole(ctx, kanikoRepositoryArns(ctx)),
    root,
  );
  const image = `${arn.ecrImageUri(region, accountId, naming.jenkinsImageRepository('kaniko'))}:${KANIKO.version}`;
  const container: Record<string, unknown> = {
    name: KANIKO.container,
    image,
    essential: true,
    // The fork's S3 context reads the region from the AWS SDK's environment.
    environment: [{ name: 'AWS_REGION', value: region }],
    logConfiguration: {
      logDriver: 'awslogs',
      options: {
        'awslogs-group': args.logGroupName,
        'awslogs-region': region,
        'awslogs-stream-prefix': KANIKO.logStreamPrefix,
      },
    },
  };
  return new aws.ecs.TaskDefinition(
    'jenkins-kaniko-task',
    {
      family: naming.jenkinsKanikoFamily(),
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: String(KANIKO.cpu),
      memory: String(KANIKO.memory),
      ephemeralStorage: { sizeInGib: KANIKO.ephemeralStorageGiB },
      runtimePlatform: { operatingSystemFamily: 'LINUX', cpuArchitecture: 'X86_64' },
      executionRoleArn: args.executionRole.arn,
      taskRoleArn: taskRole.arn,
      containerDefinitions: JSON.stringify([container]),
    },
    opts,
  );
}
