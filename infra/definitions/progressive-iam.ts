/**
 * What the release engine needs to follow a progressive ECS deployment (pipelines/release/strategies/
 * ecs-progressive*.ts): list and describe the service's deployments, continue one held at its
 * approval pause and stop one with ROLLBACK (update role only), and read the canary's metrics (both).
 *
 * Resource types from the Service Authorization Reference for Amazon ECS
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerservice.html):
 * ListServiceDeployments is authorised on the `service`; DescribeServiceDeployments,
 * ContinueServiceDeployment and StopServiceDeployment on the `service-deployment`
 * (`arn:aws:ecs:{region}:{account}:service-deployment/{cluster}/{service}/{id}`, the ARN
 * API_ServiceDeployment.html gives). CloudWatch's GetMetricData takes no resource
 * (../../infra/policies/iam-rules.ts UNSCOPABLE_ACTIONS); ELBv2's Describe* (the production and test
 * listener rules) are granted by the maintenance statements already. When ECS rolls a deployment
 * back by alarm, the update role describes those alarms for the record's evidence
 * (cloudwatch:DescribeAlarms, authorised on the `alarm`, arn:${Partition}:cloudwatch:${Region}:
 * ${Account}:alarm:${AlarmName}: Service Authorization Reference, Amazon CloudWatch): the services'
 * rollback alarms only (services/thresholds.ts ROLLBACK_ALARM_LIST, named as infra names them).
 */
import { naming } from '../../services/naming';
import { deliveryStrategy, ecsServices } from '../../services/queries';
import { WORKLOAD_ENVIRONMENTS } from '../../services/environments';
import { ROLLBACK_ALARM_LIST } from '../../services/thresholds';
import type { AccountFacts } from './account';
import type { PolicyStatement } from './iam';

export function progressiveDeliveryStatements(
  workload: AccountFacts,
  role: 'update' | 'reader',
): PolicyStatement[] {
  const { platform, region, accountId } = workload;
  const env = WORKLOAD_ENVIRONMENTS.find((e) => e === workload.env);
  if (!env) return [];
  // Only the services whose delivery here ECS shifts: a rolling one has no deployments to follow.
  const services = ecsServices(platform.catalogue)
    .map(([s]) => s)
    .filter((s) => (deliveryStrategy(platform, s, env)?.kind ?? 'rolling') !== 'rolling');
  // Both roles judge canaries: the engine as it follows a deployment, and `tdr canary judge`,
  // read-only, as the reader, wherever it is pointed.
  const judge: PolicyStatement = {
    Sid: 'JudgeCanaries',
    Effect: 'Allow',
    Action: ['cloudwatch:GetMetricData'],
    Resource: '*',
  };
  if (services.length === 0) return [judge];
  const base = `arn:aws:ecs:${region}:${accountId}`;
  const where = services.map((s) => `${naming.cluster(s, env)}/${naming.ecsService(s, env)}`);
  return [
    {
      Sid: 'ListServiceDeployments',
      Effect: 'Allow',
      Action: ['ecs:ListServiceDeployments'],
      Resource: where.map((w) => `${base}:service/${w}`),
    },
    {
      Sid: role === 'update' ? 'FollowServiceDeployments' : 'ReadServiceDeployments',
      Effect: 'Allow',
      Action:
        role === 'update'
          ? ['ecs:DescribeServiceDeployments', 'ecs:ContinueServiceDeployment', 'ecs:StopServiceDeployment']
          : ['ecs:DescribeServiceDeployments'],
      Resource: where.map((w) => `${base}:service-deployment/${w}/*`),
    },
    judge,
    ...(role === 'update'
      ? [
          {
            Sid: 'DescribeRollbackAlarms',
            Effect: 'Allow' as const,
            Action: ['cloudwatch:DescribeAlarms'],
            Resource: services.flatMap((s) =>
              ROLLBACK_ALARM_LIST.map(
                (a) => `arn:aws:cloudwatch:${region}:${accountId}:alarm:${naming.alarm(s, env, a.key)}`,
              ),
            ),
          },
        ]
      : []),
  ];
}
