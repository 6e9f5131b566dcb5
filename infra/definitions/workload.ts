/**
 * The catalogue's ECS entries in a workload account, as infra provisions them: for each service
 * and one-off task, the arguments its roles and task definition are made from. The sandbox
 * registers the same definitions on moto (with a released image instead of the initial one).
 */
import { naming } from '../../services/naming';
import { entryOfKind } from '../../services/queries';
import { INITIAL_IMAGE_TAG } from '../accounts/settings';
import type { WorkloadAccountFacts } from './account';
import type { TaskDefinitionArgs } from './ecs-task';
import { arn, type PolicyStatement } from './iam';

/** What an entry's own task role may do beyond reading its parameters. */
function entryStatements(
  env: WorkloadAccountFacts['env'],
): Readonly<Record<string, readonly PolicyStatement[]>> {
  return {
    'consignment-export': [
      {
        Effect: 'Allow',
        Action: ['s3:GetObject'],
        Resource: arn.s3Objects(naming.bucket('upload-files', env)),
      },
      {
        Effect: 'Allow',
        Action: ['s3:PutObject'],
        Resource: arn.s3Objects(naming.bucket('consignment-export', env)),
      },
    ],
  };
}

/** Catalogue entry `name` (service or one-off task) in the workload account `workload` describes. */
export function workloadTaskArgs(
  workload: WorkloadAccountFacts,
  name: string,
  mgmtAccountId: string,
): TaskDefinitionArgs {
  const { platform, env, region, accountId } = workload;
  const entry = entryOfKind(platform.catalogue, name, 'service', 'task');
  if (!entry) throw new Error(`${name} is not an ECS service or task of the catalogue`);
  const repository = naming.ecrRepository(entry.imageRepository);
  const parameters: PolicyStatement = {
    Effect: 'Allow',
    Action: ['ssm:GetParameter', 'ssm:GetParameters', 'ssm:GetParametersByPath'],
    Resource: arn.ssmParameter(region, accountId, naming.serviceParameter(name, env, '*')),
  };
  return {
    env,
    region,
    accountId,
    serviceName: name,
    pascalName: entry.pascalName,
    cpu: entry.cpu[env],
    memory: entry.memory[env],
    image: `${arn.ecrImageUri(region, mgmtAccountId, repository)}:${INITIAL_IMAGE_TAG}`,
    imageRepositoryArn: arn.ecrRepository(region, mgmtAccountId, repository),
    ...(entry.kind === 'service' ? { containerPort: entry.containerPort } : {}),
    sidecars: entry.kind === 'service' ? entry.sidecars : [],
    taskRoleStatements: [parameters, ...(entryStatements(env)[name] ?? [])],
  };
}
