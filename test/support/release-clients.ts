/**
 * The release engine's clients for unit tests: the caller's mocked ECS, ECR, S3, SSM and (optionally) Lambda,
 * ELBv2 and Logs, with clients the tests never reach for the rest, and the harness's fake account ids.
 */
import { ACMClient } from '@aws-sdk/client-acm';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { EC2Client } from '@aws-sdk/client-ec2';
import type { ECRClient } from '@aws-sdk/client-ecr';
import type { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { IAMClient } from '@aws-sdk/client-iam';
import { LambdaClient } from '@aws-sdk/client-lambda';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { ReleaseClients } from '../../pipelines/release/aws/aws';
import { TEST_ACCOUNT_IDS } from './accounts';

/** Who the unit tests' caller is, unless a test says otherwise. */
export const TEST_IDENTITY = 'arn:aws:sts::123456789012:assumed-role/TDRDeveloper/tester';

export function fakeReleaseClients(c: {
  ecs: ECSClient;
  ecr: ECRClient;
  s3: S3Client;
  ssm: SSMClient;
  lambda?: LambdaClient;
  elbv2?: ElasticLoadBalancingV2Client;
  logs?: CloudWatchLogsClient;
  cloudWatch?: CloudWatchClient;
  identity?: string;
}): ReleaseClients {
  const iam = new IAMClient({ region: 'eu-west-2' });
  const logs = c.logs ?? new CloudWatchLogsClient({ region: 'eu-west-2' });
  const lambda = c.lambda ?? new LambdaClient({ region: 'eu-west-2' });
  const cloudWatch = c.cloudWatch ?? new CloudWatchClient({ region: 'eu-west-2' });
  const elbv2 = c.elbv2 ?? new ElasticLoadBalancingV2Client({ region: 'eu-west-2' });
  const ec2 = new EC2Client({ region: 'eu-west-2' });
  const acm = new ACMClient({ region: 'eu-west-2' });
  return {
    mgmt: { ecr: c.ecr, s3: c.s3, ssm: c.ssm, iam },
    accountIds: TEST_ACCOUNT_IDS,
    ecs: () => c.ecs,
    lambda: () => lambda,
    ssm: () => c.ssm,
    logs: () => logs,
    cloudWatch: () => cloudWatch,
    iam: () => iam,
    elbv2: () => elbv2,
    ec2: () => ec2,
    acm: () => acm,
    callerIdentity: async () => c.identity ?? TEST_IDENTITY,
  };
}
