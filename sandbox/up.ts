/**
 * `tdr sandbox up`: against the endpoint in AWS_ENDPOINT_URL (moto), create what the release
 * engine touches, from the catalogue and the naming module: in mgmt the ECR repositories with a
 * few image versions (small fake manifests), the ledger bucket and the SSM account-id
 * parameters and the Jenkins agents' `TDRJenkinsNodeRole{Env}`; in each workload account the
 * clusters, task definitions, services, the secrets and log groups their task definitions
 * reference, the one-off tasks' task definitions, and `TDRJenkinsECSUpdateRole{Env}`.
 *
 * Everything is idempotent: running `sandbox up` twice leaves one of each. moto does not enforce
 * IAM, so the roles are there to be looked at (and tested) for the two-hop trust of DESIGN.md,
 * not because AssumeRole needs them; their permissions beyond the trust are infra's.
 */
import { createHash } from 'node:crypto';
import { CreateLogGroupCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { CreateRepositoryCommand, PutImageCommand, type ECRClient } from '@aws-sdk/client-ecr';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  type ECSClient,
} from '@aws-sdk/client-ecs';
import {
  CreateBucketCommand,
  PutBucketVersioningCommand,
  type BucketLocationConstraint,
} from '@aws-sdk/client-s3';
import {
  CreateRoleCommand,
  PutRolePolicyCommand,
  UpdateAssumeRolePolicyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { PutParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import { parseAccountIds, type AccountIds, type Platform } from '../../services/config';
import type { EcsServiceEntry, OneOffTaskEntry } from '../../services/catalogue';
import {
  ENVIRONMENT_NAMES,
  WORKLOAD_ENVIRONMENTS,
  type WorkloadEnvironmentName,
} from '../../services/environments';
import { naming } from '../../services/naming';
import type { ReleaseClients } from './aws';
import { AwsCallError, attempt, errorName } from './errors';
import { repositoryUri } from './images';

/** Fake account ids of the sandbox; mgmt is whatever account the caller's credentials are in. */
export const SANDBOX_ACCOUNT_IDS = {
  sbox: '111111111111',
  intg: '222222222222',
  staging: '333333333333',
  prod: '444444444444',
} as const;

export const SANDBOX_VERSIONS = ['v1', 'v2', 'v3'] as const;

type Env = Readonly<Record<string, string | undefined>>;

/** TDR_ACCOUNT_IDS if set, else the fixed fakes with mgmt = the caller's account. */
export async function sandboxAccountIds(env: Env, sts: STSClient): Promise<AccountIds> {
  if (env.TDR_ACCOUNT_IDS !== undefined) {
    return parseAccountIds(env.TDR_ACCOUNT_IDS, 'TDR_ACCOUNT_IDS');
  }
  const me = await attempt('asking STS which account the credentials are in', () =>
    sts.send(new GetCallerIdentityCommand({})),
  );
  if (!me.Account) throw new Error('GetCallerIdentity returned no account');
  return { mgmt: me.Account, ...SANDBOX_ACCOUNT_IDS };
}

export interface SandboxReport {
  readonly accountIds: AccountIds;
  readonly created: readonly string[];
}

/** A digest that differs per repository and version, as moto derives it from the layers. */
export function fakeManifest(repository: string, version: string): string {
  const layer = createHash('sha256').update(`${repository}:${version}`).digest('hex');
  return JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    config: {
      mediaType: 'application/vnd.docker.container.image.v1+json',
      size: 1024,
      digest: `sha256:${createHash('sha256').update(`config ${repository}:${version}`).digest('hex')}`,
    },
    layers: [
      {
        mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
        size: 2048,
        digest: `sha256:${layer}`,
      },
    ],
  });
}

export async function sandboxUp(clients: ReleaseClients, platform: Platform): Promise<SandboxReport> {
  const created: string[] = [];
  const { ecr, s3, ssm } = clients.mgmt;
  const region = platform.environments.mgmt.region;

  await ignoreExists(`creating ledger bucket ${naming.ledgerBucket()}`, () =>
    s3.send(
      new CreateBucketCommand({
        Bucket: naming.ledgerBucket(),
        CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint },
      }),
    ),
  );
  // Versioned, so that even a writer that bypassed the conditional puts could not erase a record.
  await attempt(`enabling versioning on ${naming.ledgerBucket()}`, () =>
    s3.send(
      new PutBucketVersioningCommand({
        Bucket: naming.ledgerBucket(),
        VersioningConfiguration: { Status: 'Enabled' },
      }),
    ),
  );
  created.push(`mgmt: s3://${naming.ledgerBucket()} (versioned)`);

  for (const e of ENVIRONMENT_NAMES) {
    await attempt(`writing SSM ${naming.accountIdParameter(e)}`, () =>
      ssm.send(
        new PutParameterCommand({
          Name: naming.accountIdParameter(e),
          Value: clients.accountIds[e],
          Type: 'String',
          Overwrite: true,
        }),
      ),
    );
  }
  created.push(`mgmt: SSM ${ENVIRONMENT_NAMES.map((e) => naming.accountIdParameter(e)).join(', ')}`);

  const v1: Record<string, string> = {};
  for (const entry of Object.values(platform.catalogue)) {
    const repo = naming.ecrRepository(entry.imageRepository);
    await createRepository(ecr, repo);
    for (const version of SANDBOX_VERSIONS) {
      const out = await ignoreExists(`pushing ${repo}:${version}`, () =>
        ecr.send(
          new PutImageCommand({
            repositoryName: repo,
            imageTag: version,
            imageManifest: fakeManifest(repo, version),
          }),
        ),
      );
      if (version === 'v1' && out?.image?.imageId?.imageDigest) v1[repo] = out.image.imageId.imageDigest;
    }
    created.push(`mgmt: ECR ${repo} ${SANDBOX_VERSIONS.join(' ')}`);
  }

  created.push(...(await createJenkinsRoles(clients)));

  await Promise.all(
    WORKLOAD_ENVIRONMENTS.map(async (env) => {
      for (const [name, entry] of Object.entries(platform.catalogue)) {
        const repo = naming.ecrRepository(entry.imageRepository);
        const uri = await repositoryUri(ecr, repo);
        await createLogGroup(clients.logs(env), env, naming.logGroup(name, env));
        if (entry.kind === 'service') {
          await createService(clients, env, name, entry, `${uri}@${v1[repo] ?? ''}`);
          created.push(
            `${env}: ${naming.cluster(name, env)}/${naming.ecsService(name, env)} (${naming.taskFamily(name, env)}), log group ${naming.logGroup(name, env)}`,
          );
        } else {
          await createOneOffTask(clients, env, name, entry, `${uri}@${v1[repo] ?? ''}`);
          created.push(
            `${env}: ${naming.cluster(name, env)} one-off task ${naming.taskFamily(name, env)}, log group ${naming.logGroup(name, env)}`,
          );
        }
      }
    }),
  );
  return { accountIds: clients.accountIds, created };
}

const ECS_TASKS_TRUST = (accountId: string) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: 'ecs-tasks.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'aws:SourceAccount': accountId } },
      },
    ],
  });

/**
 * DESIGN.md's two hops: Jenkins agents in mgmt run as `TDRJenkinsNodeRole{Env}`, which may only
 * assume `TDRJenkinsECSUpdateRole{Env}` in that environment's account, which trusts only it.
 */
async function createJenkinsRoles(clients: ReleaseClients): Promise<string[]> {
  const ids = clients.accountIds;
  const out: string[] = [];
  for (const env of WORKLOAD_ENVIRONMENTS) {
    const nodeRole = naming.jenkinsNodeRole(env);
    const updateRole = naming.jenkinsEcsUpdateRole(env);
    const nodeRoleArn = naming.roleArn(ids.mgmt, nodeRole);
    const updateRoleArn = naming.roleArn(ids[env], updateRole);
    await ensureRole(clients.mgmt.iam, 'mgmt', nodeRole, ECS_TASKS_TRUST(ids.mgmt), {
      description: `Jenkins agents deploying to ${env}: may assume only ${updateRole} there`,
      policyName: 'AssumeUpdateRole',
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: updateRoleArn }],
      }),
    });
    await ensureRole(
      clients.iam(env),
      env,
      updateRole,
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: nodeRoleArn }, Action: 'sts:AssumeRole' }],
      }),
      { description: `Jenkins agents for ${env} deploy through this role, from ${nodeRole} in mgmt only` },
    );
    out.push(`mgmt: IAM ${nodeRole} → ${env}: IAM ${updateRole}`);
  }
  return out;
}

/** Creates the role, or brings an existing one's trust policy back to what it should be. */
async function ensureRole(
  iam: IAMClient,
  env: string,
  roleName: string,
  trust: string,
  opts: { description: string; policyName?: string; policy?: string },
): Promise<void> {
  const made = await ignoreExists(`creating IAM role ${roleName} in ${env}`, () =>
    iam.send(
      new CreateRoleCommand({
        RoleName: roleName,
        AssumeRolePolicyDocument: trust,
        Description: opts.description,
      }),
    ),
  );
  if (!made) {
    await attempt(`updating the trust policy of IAM role ${roleName} in ${env}`, () =>
      iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: roleName, PolicyDocument: trust })),
    );
  }
  const { policyName, policy } = opts;
  if (policyName && policy) {
    await attempt(`writing policy ${policyName} of IAM role ${roleName} in ${env}`, () =>
      iam.send(
        new PutRolePolicyCommand({ RoleName: roleName, PolicyName: policyName, PolicyDocument: policy }),
      ),
    );
  }
}

async function createLogGroup(logs: CloudWatchLogsClient, env: string, logGroup: string): Promise<void> {
  await ignoreExists(`creating log group ${logGroup} in ${env}`, () =>
    logs.send(new CreateLogGroupCommand({ logGroupName: logGroup })),
  );
}

async function createRepository(ecr: ECRClient, repo: string): Promise<void> {
  await ignoreExists(`creating ECR repository ${repo}`, () =>
    ecr.send(new CreateRepositoryCommand({ repositoryName: repo, imageTagMutability: 'IMMUTABLE' })),
  );
}

async function createService(
  clients: ReleaseClients,
  env: WorkloadEnvironmentName,
  name: string,
  entry: EcsServiceEntry,
  image: string,
): Promise<void> {
  const ecs: ECSClient = clients.ecs(env);
  const ssm: SSMClient = clients.ssm(env);
  const cluster = naming.cluster(name, env);
  const serviceName = naming.ecsService(name, env);
  const region = 'eu-west-2';
  const secrets: { name: string; valueFrom: string }[] = [];
  if (entry.database) {
    const parameter = naming.databaseSecret(name, env);
    await attempt(`writing SSM ${parameter} in ${env}`, () =>
      ssm.send(
        new PutParameterCommand({
          Name: parameter,
          Value: 'sandbox-not-a-secret',
          Type: 'SecureString',
          Overwrite: true,
        }),
      ),
    );
    secrets.push({
      name: 'DB_PASSWORD',
      valueFrom: `arn:aws:ssm:${region}:${clients.accountIds[env]}:parameter${parameter}`,
    });
  }
  await attempt(`creating cluster ${cluster} in ${env}`, () =>
    ecs.send(new CreateClusterCommand({ clusterName: cluster })),
  );
  const existing = await attempt(`describing ${serviceName} in ${env}`, () =>
    ecs.send(new DescribeServicesCommand({ cluster, services: [serviceName] })),
  );
  if (existing.services?.some((s) => s.status === 'ACTIVE')) return;
  const td = await attempt(`registering ${naming.taskFamily(name, env)} in ${env}`, () =>
    ecs.send(
      new RegisterTaskDefinitionCommand({
        family: naming.taskFamily(name, env),
        requiresCompatibilities: ['FARGATE'],
        networkMode: 'awsvpc',
        cpu: String(entry.cpu[env]),
        memory: String(entry.memory[env]),
        executionRoleArn: naming.roleArn(
          clients.accountIds[env],
          naming.executionRole(entry.pascalName, env),
        ),
        taskRoleArn: naming.roleArn(clients.accountIds[env], naming.taskRole(entry.pascalName, env)),
        containerDefinitions: [
          {
            name: naming.containerName(name),
            image,
            essential: true,
            memory: entry.memory[env] - entry.sidecars.reduce((m, s) => m + s.memory, 0),
            portMappings: [{ containerPort: entry.containerPort, protocol: 'tcp' }],
            secrets,
            logConfiguration: {
              logDriver: 'awslogs',
              options: {
                'awslogs-group': naming.logGroup(name, env),
                'awslogs-region': region,
                'awslogs-stream-prefix': name,
              },
            },
          },
          ...entry.sidecars.map((s) => ({
            name: s.name,
            image: s.image,
            essential: false,
            cpu: s.cpu,
            memory: s.memory,
            portMappings: s.ports.map((p) => ({ containerPort: p, protocol: 'tcp' as const })),
          })),
        ],
      }),
    ),
  );
  await attempt(`creating service ${serviceName} in ${env}`, () =>
    ecs.send(
      new CreateServiceCommand({
        cluster,
        serviceName,
        taskDefinition: td.taskDefinition?.taskDefinitionArn,
        desiredCount: entry.desiredCount[env],
        launchType: 'FARGATE',
        deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } },
      }),
    ),
  );
  // moto counts a new service's tasks as running only once its desired count is set by an update.
  await attempt(`starting ${serviceName}'s tasks in ${env}`, () =>
    ecs.send(
      new UpdateServiceCommand({ cluster, service: serviceName, desiredCount: entry.desiredCount[env] }),
    ),
  );
}

const ALREADY_EXISTS = new Set([
  'BucketAlreadyOwnedByYou',
  'BucketAlreadyExists',
  'RepositoryAlreadyExistsException',
  'ImageAlreadyExistsException',
  'EntityAlreadyExistsException',
  'ResourceAlreadyExistsException',
]);

async function ignoreExists<T>(what: string, call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (err) {
    if (ALREADY_EXISTS.has(errorName(err) ?? '')) return undefined;
    throw new AwsCallError(what, err);
  }
}

/**
 * A one-off task as infra defines it (cluster, family, roles, log group), except its network:
 * Fargate wants awsvpc, and moto attaches an awsvpc task to a real subnet, which the sandbox cannot
 * create without an EC2 client. moto forces awsvpc on any definition marked FARGATE-compatible,
 * but runs a bridge-mode definition that is not so marked on Fargate, so the sandbox registers
 * that; `tdr task run` gives awsvpc definitions the network of the environment's services.
 */
async function createOneOffTask(
  clients: ReleaseClients,
  env: WorkloadEnvironmentName,
  name: string,
  entry: OneOffTaskEntry,
  image: string,
): Promise<void> {
  const ecs: ECSClient = clients.ecs(env);
  const cluster = naming.cluster(name, env);
  const family = naming.taskFamily(name, env);
  await attempt(`creating cluster ${cluster} in ${env}`, () =>
    ecs.send(new CreateClusterCommand({ clusterName: cluster })),
  );
  try {
    await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: family }));
    return;
  } catch (err) {
    if (errorName(err) !== 'ClientException') throw new AwsCallError(`describing ${family} in ${env}`, err);
  }
  await attempt(`registering ${family} in ${env}`, () =>
    ecs.send(
      new RegisterTaskDefinitionCommand({
        family,
        networkMode: 'bridge',
        cpu: String(entry.cpu[env]),
        memory: String(entry.memory[env]),
        executionRoleArn: naming.roleArn(
          clients.accountIds[env],
          naming.executionRole(entry.pascalName, env),
        ),
        taskRoleArn: naming.roleArn(clients.accountIds[env], naming.taskRole(entry.pascalName, env)),
        containerDefinitions: [
          {
            name: naming.containerName(name),
            image,
            essential: true,
            memory: entry.memory[env],
            logConfiguration: {
              logDriver: 'awslogs',
              options: {
                'awslogs-group': naming.logGroup(name, env),
                'awslogs-region': 'eu-west-2',
                'awslogs-stream-prefix': name,
              },
            },
          },
        ],
      }),
    ),
  );
}
