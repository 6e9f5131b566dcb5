/**
 * `tdr sandbox up`: against the endpoint in AWS_ENDPOINT_URL (moto), create what the release
 * engine touches, from the catalogue and the naming module: in mgmt the ECR repositories with a
 * few image versions (small fake manifests), the ledger bucket, the bootstrap's resources
 * (./bootstrap.ts: state bucket, secrets key, infra and deploy roles, SSM account-id parameters),
 * the Jenkins agents' `TDRJenkinsNodeRole{Env}` (mgmt's own, for builds, too) and the release
 * approvers' roles; in each workload account the clusters, task definitions, services, the
 * secrets, log groups and roles their task definitions reference, the one-off tasks' task
 * definitions, `TDRJenkinsECSUpdateRole{Env}` and the public load balancer with its HTTPS
 * listener and host rules (./load-balancer.ts); the code bucket with packages v1-v3 of every
 * function, and each function at v1 with its `live` alias and its log group.
 *
 * Every role and task definition is infra's own (sandbox/definitions.ts builds them from
 * infra/definitions), changed only where moto needs it. Everything is idempotent: running
 * `sandbox up` twice leaves one of each. moto does not enforce IAM, so the roles are there to be
 * looked at (and tested) for the two-hop trust of DESIGN.md, not because AssumeRole needs them.
 */
import { CreateLogGroupCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { CreateRepositoryCommand, PutImageCommand, type ECRClient } from '@aws-sdk/client-ecr';
import {
  CreateBucketCommand,
  PutBucketVersioningCommand,
  type BucketLocationConstraint,
} from '@aws-sdk/client-s3';
import type { KMSClient } from '@aws-sdk/client-kms';
import { PutParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import { parseAccountIds, type AccountIds, type Platform } from '../services/config';
import type { EcsServiceEntry } from '../services/catalogue';
import { WORKLOAD_ENVIRONMENTS, type WorkloadEnvironmentName } from '../services/environments';
import { JENKINS_IMAGES, naming } from '../services/naming';
import { KANIKO } from '../services/kaniko';
import { ecsEntries } from '../services/queries';
import { INITIAL_IMAGE_TAG } from '../infra/accounts/settings';
import { AGENT_IMAGE_TARGETS, DEFAULT_JENKINS_SETTINGS, agentImageTag } from '../pipelines/jenkins/settings';
import { createFunctions, uploadPackages } from './functions';
import { createPublicLoadBalancer } from './load-balancer';
import type { ReleaseClients } from '../pipelines/release/aws/aws';
import { attempt } from '../pipelines/release/errors';
import { repositoryUri } from '../pipelines/release/aws/images';
import { Ecs } from '../pipelines/release/aws/ecs';
import {
  SANDBOX_ACCOUNT_IDS,
  SANDBOX_SECRET_VALUE,
  SANDBOX_VERSIONS,
  databaseSecretOf,
  fakeManifest,
  sandboxRoles,
  sandboxTaskDefinition,
} from './definitions';
import { bootstrapClientsOf, sandboxBootstrap } from './bootstrap';
import { ensureRole, ignoreExists } from './aws';

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

// eslint-disable-next-line max-lines-per-function -- the sandbox's stand-up steps in order, as `tdr sandbox up` prints them.
export async function sandboxUp(
  clients: ReleaseClients,
  platform: Platform,
  kms: KMSClient,
): Promise<SandboxReport> {
  const created: string[] = [];
  const { ecr, s3 } = clients.mgmt;
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

  created.push(...(await sandboxBootstrap(bootstrapClientsOf(clients, kms), region, clients.accountIds)));

  const v1: Record<string, string> = {};
  for (const [, entry] of ecsEntries(platform.catalogue)) {
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
    // As the stand-up's seed step does: the image the workload stacks start from (v1's, here).
    await ignoreExists(`tagging ${repo}:${INITIAL_IMAGE_TAG}`, () =>
      ecr.send(
        new PutImageCommand({
          repositoryName: repo,
          imageTag: INITIAL_IMAGE_TAG,
          imageManifest: fakeManifest(repo, 'v1'),
        }),
      ),
    );
    created.push(`mgmt: ECR ${repo} ${[...SANDBOX_VERSIONS, INITIAL_IMAGE_TAG].join(' ')}`);
  }

  // As the plan's "Jenkins images" step does: the bootstrap's four repositories, and the agent
  // images the JCasC templates name under their tag (stand-in manifests: nothing here runs an agent,
  // and `tdr bootstrap check` looks for them).
  const agentTag = agentImageTag(DEFAULT_JENKINS_SETTINGS.tdrVersion);
  for (const image of JENKINS_IMAGES) await createRepository(ecr, naming.jenkinsImageRepository(image));
  // Kaniko's own image goes by the fork's release tag (services/kaniko.ts), as the plan pushes it.
  const images = [
    ...AGENT_IMAGE_TARGETS.map(({ repository }) => ({ repository, tag: agentTag })),
    { repository: naming.jenkinsImageRepository('kaniko'), tag: KANIKO.version },
  ];
  for (const { repository, tag } of images)
    await ignoreExists(`pushing ${repository}:${tag}`, () =>
      ecr.send(
        new PutImageCommand({
          repositoryName: repository,
          imageTag: tag,
          imageManifest: fakeManifest(repository, tag),
        }),
      ),
    );
  created.push(
    `mgmt: ECR ${JENKINS_IMAGES.map((i) => naming.jenkinsImageRepository(i)).join(', ')} (agents ${agentTag}, kaniko ${KANIKO.version})`,
  );

  // IAM and ECS do not wait for each other (moto checks no role a task definition names).
  const [roleLines, workloadLines] = await Promise.all([
    createRoles(clients, platform),
    Promise.all(
      WORKLOAD_ENVIRONMENTS.map(async (env) => {
        const lines: string[] = [];
        for (const [name, entry] of ecsEntries(platform.catalogue)) {
          const repo = naming.ecrRepository(entry.imageRepository);
          const uri = await repositoryUri(ecr, repo);
          await createLogGroup(clients.logs(env), env, naming.logGroup(name, env));
          if (entry.kind === 'service') {
            await createService(clients, platform, env, name, entry, `${uri}@${v1[repo] ?? ''}`);
            lines.push(
              `${env}: ${naming.cluster(name, env)}/${naming.ecsService(name, env)} (${naming.taskFamily(name, env)}), log group ${naming.logGroup(name, env)}`,
            );
          } else {
            await createOneOffTask(clients, platform, env, name, `${uri}@${v1[repo] ?? ''}`);
            lines.push(
              `${env}: ${naming.cluster(name, env)} one-off task ${naming.taskFamily(name, env)}, log group ${naming.logGroup(name, env)}`,
            );
          }
        }
        return lines;
      }),
    ),
  ]);
  created.push(...roleLines, ...workloadLines.flat());
  created.push(
    ...(await Promise.all(
      WORKLOAD_ENVIRONMENTS.map((env) =>
        createPublicLoadBalancer(
          { elbv2: clients.elbv2(env), ec2: clients.ec2(env), acm: clients.acm(env) },
          platform,
          env,
        ),
      ),
    )),
  );
  // Functions need their roles (moto checks a function's role exists) and their packages.
  created.push(...(await uploadPackages(s3, platform)));
  created.push(...(await createFunctions(clients.lambda, clients.logs, platform, clients.accountIds)));
  return { accountIds: clients.accountIds, created };
}

/** The roles of sandboxRoles(), side by side: they do not depend on each other. */
async function createRoles(clients: ReleaseClients, platform: Platform): Promise<string[]> {
  const roles = sandboxRoles(platform, clients.accountIds);
  await Promise.all(
    roles.map(({ env, role }) => ensureRole(env === 'mgmt' ? clients.mgmt.iam : clients.iam(env), env, role)),
  );
  return roles.flatMap((r) => (r.summary ? [r.summary] : []));
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
  platform: Platform,
  env: WorkloadEnvironmentName,
  name: string,
  entry: EcsServiceEntry,
  image: string,
): Promise<void> {
  const ecs = new Ecs(clients.ecs(env));
  const ssm: SSMClient = clients.ssm(env);
  const cluster = naming.cluster(name, env);
  const serviceName = naming.ecsService(name, env);
  const secret = databaseSecretOf(platform, env, name);
  if (secret) {
    await attempt(`writing SSM ${secret} in ${env}`, () =>
      ssm.send(
        new PutParameterCommand({
          Name: secret,
          Value: SANDBOX_SECRET_VALUE,
          Type: 'SecureString',
          Overwrite: true,
        }),
      ),
    );
  }
  await ecs.createCluster(cluster, `creating cluster ${cluster} in ${env}`);
  if (await ecs.activeService(cluster, serviceName, ` in ${env}`)) return;
  const taskDefinition = await ecs.registerTaskDefinition(
    sandboxTaskDefinition(platform, clients.accountIds, env, name, image),
    `registering ${naming.taskFamily(name, env)} in ${env}`,
  );
  await ecs.createService(
    {
      cluster,
      serviceName,
      taskDefinition,
      desiredCount: entry.desiredCount[env],
      launchType: 'FARGATE',
      deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } },
    },
    `creating service ${serviceName} in ${env}`,
  );
  // moto counts a new service's tasks as running only once its desired count is set by an update.
  await ecs.updateService(
    { cluster, service: serviceName, desiredCount: entry.desiredCount[env] },
    `starting ${serviceName}'s tasks in ${env}`,
  );
}

/** A one-off task as infra defines it, registered once (see sandboxTaskDefinition for moto's network). */
async function createOneOffTask(
  clients: ReleaseClients,
  platform: Platform,
  env: WorkloadEnvironmentName,
  name: string,
  image: string,
): Promise<void> {
  const ecs = new Ecs(clients.ecs(env));
  const cluster = naming.cluster(name, env);
  const family = naming.taskFamily(name, env);
  await ecs.createCluster(cluster, `creating cluster ${cluster} in ${env}`);
  if (await ecs.latestRevision(family, env)) return;
  await ecs.registerTaskDefinition(
    sandboxTaskDefinition(platform, clients.accountIds, env, name, image),
    `registering ${family} in ${env}`,
  );
}
