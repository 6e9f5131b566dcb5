/**
 * What the sandbox creates, as plain data built from infra's own definitions (infra/definitions):
 * the Jenkins roles of the two hops, each ECS entry's execution and task roles and task
 * definition, and each function's role and definition. Only what moto needs is changed, and every change is named here, so
 * the sandbox cannot drift from infra unnoticed (sandbox/definitions.test.ts compares both).
 * Nothing here loads Pulumi.
 */
import { createHash } from 'node:crypto';
import type { RegisterTaskDefinitionCommandInput } from '@aws-sdk/client-ecs';
import type { CreateFunctionCommandInput } from '@aws-sdk/client-lambda';
import type { AccountIds, Platform } from '../services/config';
import {
  WORKLOAD_ENVIRONMENTS,
  type EnvironmentName,
  type WorkloadEnvironmentName,
} from '../services/environments';
import { naming } from '../services/naming';
import { ecsEntries, entryOfKind, functions } from '../services/queries';
import { accountFacts, type WorkloadAccountFacts } from '../infra/definitions/account';
import { taskDefinitionFor, taskRoleArns, taskRolesFor } from '../infra/definitions/ecs-task';
import { arn, crossAccountRoleSpec, roleDocuments, type RoleDocuments } from '../infra/definitions/iam';
import {
  jenkinsEcsUpdateRole,
  jenkinsMgmtNodeRole,
  jenkinsNodeRole,
  releaseReaderRole,
} from '../infra/definitions/jenkins';
import { releaseApproverRoles } from '../infra/definitions/release-approver';
import { releaseApprovalRole } from '../infra/definitions/release-approval';
import { functionDefinition, functionRoleSpec } from '../infra/definitions/lambda';
import { workloadTaskArgs } from '../infra/definitions/workload';

/** Fake account ids of the sandbox (infra's embedded stack config uses the same); mgmt is the caller's. */
export const SANDBOX_ACCOUNT_IDS = {
  sbox: '111111111111',
  intg: '222222222222',
  staging: '333333333333',
  prod: '444444444444',
} as const;

export const SANDBOX_VERSIONS = ['v1', 'v2', 'v3'] as const;

/** The value the sandbox stores where a service's database password would be. */
export const SANDBOX_SECRET_VALUE = 'sandbox-not-a-secret';

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

/**
 * Statements of infra's roles the sandbox leaves out: it creates no KMS key for the SNS topics, so
 * a function's grant on that key has nothing to name.
 */
export const SANDBOX_OMITTED_STATEMENTS: readonly string[] = ['EncryptForTopics'];

export interface SandboxRole {
  /** The account the role lives in. */
  readonly env: EnvironmentName;
  readonly role: RoleDocuments;
  /** What `sandbox up` reports for it; absent for roles it does not list one by one. */
  readonly summary?: string;
}

/**
 * Every role infra gives the release path: in mgmt each `TDRJenkinsNodeRole{Env}` (mgmt's own, the
 * builds', included) and the release approvers' roles, in each workload account
 * `TDRJenkinsECSUpdateRole{Env}`, `TDRReleaseReaderRole{Env}`, `TDRReleaseApprovalRole{Env}` where
 * something pauses for an approval, and the execution and task role of every catalogue entry.
 */
export function sandboxRoles(platform: Platform, ids: AccountIds): SandboxRole[] {
  const mgmt = accountFacts(platform, 'mgmt', ids.mgmt);
  const mgmtRoles: SandboxRole[] = [
    {
      env: 'mgmt',
      role: roleDocuments(jenkinsMgmtNodeRole(mgmt, ids)),
      summary: `mgmt: IAM ${naming.jenkinsNodeRole('mgmt')} (builds: ECR push, function packages; the nightly report: the ledger, read only)`,
    },
    ...releaseApproverRoles(mgmt, ids).map((spec): SandboxRole => ({
      env: 'mgmt',
      role: roleDocuments(spec),
      summary: `mgmt: IAM ${spec.roleName} (people with MFA approve releases)`,
    })),
  ];
  const workloadRoles = WORKLOAD_ENVIRONMENTS.flatMap((env): SandboxRole[] => {
    const workload = accountFacts(platform, env, ids[env]);
    const entryRoles = ecsEntries(platform.catalogue).flatMap(([name]) => {
      const roles = taskRolesFor(workloadTaskArgs(workload, name, ids.mgmt));
      return [roles.execution, roles.task].map((r) => ({ env, role: roleDocuments(r) }));
    });
    const functionRoles = functions(platform.catalogue).map(([name]) => ({
      env,
      role: roleDocuments(functionRoleSpec(workload, name)),
    }));
    return [
      {
        env: 'mgmt',
        role: roleDocuments(jenkinsNodeRole(mgmt, env, ids[env])),
        summary: `mgmt: IAM ${naming.jenkinsNodeRole(env)} → ${env}: IAM ${naming.jenkinsEcsUpdateRole(env)}`,
      },
      { env, role: roleDocuments(crossAccountRoleSpec(jenkinsEcsUpdateRole(workload, ids.mgmt))) },
      {
        env,
        role: roleDocuments(crossAccountRoleSpec(releaseReaderRole(workload, ids.mgmt))),
        summary: `mgmt: IAM ${naming.jenkinsNodeRole('mgmt')} → ${env}: IAM ${naming.releaseReaderRole(env)} (read only)`,
      },
      ...approvalRoles(workload, ids.mgmt),
      ...entryRoles,
      ...functionRoles,
    ];
  });
  return [...mgmtRoles, ...workloadRoles];
}

/** The workload account's approval role, where the model gives it one (infra/accounts/workload.ts). */
function approvalRoles(workload: WorkloadAccountFacts, mgmtAccountId: string): SandboxRole[] {
  const spec = releaseApprovalRole(workload, mgmtAccountId);
  return spec
    ? [
        {
          env: workload.env,
          role: roleDocuments(crossAccountRoleSpec(spec)),
          summary: `mgmt: IAM ${spec.trustedPrincipalArns.map((a) => a.split('/').pop()).join(', ')} → ${workload.env}: IAM ${spec.roleName} (continue a deployment held for approval)`,
        },
      ]
    : [];
}

/** The SSM parameter a service with a database reads its password from, if it has one. */
export function databaseSecretOf(
  platform: Platform,
  env: WorkloadEnvironmentName,
  name: string,
): string | undefined {
  const entry = entryOfKind(platform.catalogue, name, 'service');
  return entry?.database ? naming.databaseSecret(name, env) : undefined;
}

/**
 * Infra's task definition of `name` in `env`, with what the sandbox changes for moto:
 * - the main container runs `image` (a released version, pinned by digest), not infra's initial tag;
 * - a service with a database gets its password as a secret, so `tdr verify` has a secret to check
 *   (infra does not wire the password into the task definition yet);
 * - a one-off task is registered in bridge mode without Fargate compatibility: moto forces awsvpc on
 *   a FARGATE-compatible definition and attaches awsvpc tasks to a real subnet, which the sandbox
 *   cannot create without an EC2 client, yet it runs such a bridge-mode definition on Fargate
 *   (`tdr task run` gives awsvpc definitions the network of the environment's services).
 */
export function sandboxTaskDefinition(
  platform: Platform,
  ids: AccountIds,
  env: WorkloadEnvironmentName,
  name: string,
  image: string,
): RegisterTaskDefinitionCommandInput {
  const workload = accountFacts(platform, env, ids[env]);
  const args = workloadTaskArgs(workload, name, ids.mgmt);
  const infra = taskDefinitionFor(args, taskRoleArns(args));
  const mainContainer = naming.containerName(name);
  const secret = databaseSecretOf(platform, env, name);
  const containerDefinitions = infra.containerDefinitions.map((c) =>
    c.name !== mainContainer
      ? c
      : {
          ...c,
          image,
          ...(secret
            ? {
                secrets: [
                  {
                    name: 'DB_PASSWORD',
                    valueFrom: arn.ssmParameter(workload.region, workload.accountId, secret),
                  },
                ],
              }
            : {}),
        },
  );
  if (entryOfKind(platform.catalogue, name, 'task')) {
    const { requiresCompatibilities: _fargate, ...rest } = infra;
    return { ...rest, networkMode: 'bridge', containerDefinitions };
  }
  return { ...infra, containerDefinitions };
}

/** A package's bytes in the sandbox: different per function and version, as builds are. */
export function fakePackage(fn: string, version: string): Buffer {
  return Buffer.from(`tdr sandbox package of ${fn} ${version}\n`);
}

/** The log group infra creates beside the function: its role may write there, not create it. */
export function sandboxFunctionLogGroup(
  platform: Platform,
  ids: AccountIds,
  env: WorkloadEnvironmentName,
  name: string,
): string {
  return functionDefinition(accountFacts(platform, env, ids[env]), name).logGroup;
}

/**
 * Infra's function `name` in `env` as CreateFunction takes it, with what the sandbox changes for
 * moto: no VPC configuration (the sandbox creates no network; moto runs no code anyway), and no
 * tracing or logging configuration (moto keeps neither).
 */
export function sandboxFunction(
  platform: Platform,
  ids: AccountIds,
  env: WorkloadEnvironmentName,
  name: string,
): CreateFunctionCommandInput {
  const workload = accountFacts(platform, env, ids[env]);
  const def = functionDefinition(workload, name);
  const role = functionRoleSpec(workload, name);
  return {
    FunctionName: def.functionName,
    Runtime: def.runtime,
    Handler: def.handler,
    Role: naming.roleArn(ids[env], role.roleName),
    MemorySize: def.memory,
    Timeout: def.timeoutSeconds,
    Code: { S3Bucket: def.codeBucket, S3Key: def.initialKey },
    Environment: { Variables: { ...def.environment } },
    Publish: true,
  };
}
