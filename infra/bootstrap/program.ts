/**
 * The bootstrap program: ./definitions.ts as Pulumi resources. Run once, in mgmt, with
 * administrator credentials; every other account is reached through its
 * OrganizationAccountAccessRole, one explicit provider per account.
 */
import * as aws from '@pulumi/aws';
import type * as pulumi from '@pulumi/pulumi';
import type { Platform } from '../../services/config';
import { ENVIRONMENT_NAMES, type EnvironmentName } from '../../services/environments';
import { naming } from '../../services/naming';
import { Account, TAG_KEYS } from '../accounts/account';
import { createRole, type PolicyStatement } from '../components/iam';
import { SecureBucket } from '../components/secure-bucket';
import type { BootstrapConfig } from './config';
import {
  BOOTSTRAP_SETTINGS,
  bootstrapDefinitions,
  roleSpecOf,
  type BucketDefinition,
  type RoleDefinition,
} from './definitions';

export function defineBootstrap(platform: Platform, config: BootstrapConfig): Record<string, unknown> {
  const region = platform.environments.mgmt.region;
  const defs = bootstrapDefinitions(region, config.accountIds, { standUpRoleArns: config.standUpRoleArns });
  const roots = Object.fromEntries(
    ENVIRONMENT_NAMES.map((env) => [env, accountRoot(platform, config, env)]),
  ) as Record<EnvironmentName, Account>;
  const mgmt = roots.mgmt;

  const key = new aws.kms.Key(
    'pulumi-secrets-key',
    {
      description: defs.secretsKey.description,
      enableKeyRotation: defs.secretsKey.enableKeyRotation,
      deletionWindowInDays: defs.secretsKey.deletionWindowInDays,
      policy: JSON.stringify(defs.secretsKey.policy),
    },
    { parent: mgmt, protect: true },
  );
  new aws.kms.Alias(
    'pulumi-secrets-key-alias',
    { name: defs.secretsKey.alias, targetKeyId: key.keyId },
    { parent: mgmt },
  );

  const logs = bucket('pulumi-state-logs', defs.accessLogBucket, mgmt);
  const state = bucket('pulumi-state', defs.stateBucket, mgmt, {
    kmsKeyId: key.arn,
    accessLog: { bucket: logs.bucket.id, prefix: defs.stateBucket.accessLog?.prefix ?? '' },
  });

  const infraRoles = new Map(defs.infraRoles.map((r) => [r.env, role(`jenkins-infra-${r.env}`, r, mgmt)]));
  for (const r of defs.deployRoles) {
    const deployRole = role(`pulumi-deploy-${r.env}`, r, roots[r.env], [infraRoles.get(r.env)!]);
    for (const [i, policyArn] of r.managedPolicyArns.entries()) {
      new aws.iam.RolePolicyAttachment(
        `pulumi-deploy-${r.env}-policy-${i}`,
        { role: deployRole.name, policyArn },
        { parent: roots[r.env] },
      );
    }
  }
  for (const p of defs.accountIdParameters) {
    new aws.ssm.Parameter(
      `account-id-${p.name.replace(/^\/mgmt\//, '').replace(/_account$/, '')}`,
      // Account ids are not secrets: `insecureValue` keeps them readable in state and in review.
      { name: p.name, type: p.type, insecureValue: p.value, description: p.description },
      { parent: mgmt },
    );
  }
  for (const r of defs.jenkinsImageRepositories) {
    const repo = new aws.ecr.Repository(
      `ecr-${r.name}`,
      {
        name: r.name,
        imageTagMutability: r.imageTagMutability,
        imageScanningConfiguration: { scanOnPush: r.scanOnPush },
        encryptionConfigurations: [{ encryptionType: 'AES256' }],
      },
      { parent: mgmt },
    );
    new aws.ecr.LifecyclePolicy(
      `ecr-${r.name}-lifecycle`,
      {
        repository: repo.name,
        policy: JSON.stringify({
          rules: [
            {
              rulePriority: 1,
              description: `keep the last ${r.keepImages} images`,
              selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: r.keepImages },
              action: { type: 'expire' },
            },
          ],
        }),
      },
      { parent: mgmt },
    );
  }
  return {
    stateBucket: state.bucketName,
    secretsKeyAlias: defs.secretsKey.alias,
    deployRoles: defs.deployRoles.map((r) => naming.roleArn(r.accountId, r.roleName)),
  };
}

/** One provider per account: mgmt with the caller's own credentials, the others through their admin role. */
function accountRoot(platform: Platform, config: BootstrapConfig, env: EnvironmentName): Account {
  const accountId = config.accountIds[env];
  const provider = new aws.Provider(`bootstrap-${env}`, {
    region: platform.environments[env].region as aws.Region,
    allowedAccountIds: [accountId],
    ...(env === 'mgmt'
      ? {}
      : {
          assumeRoles: [
            {
              roleArn: naming.roleArn(accountId, BOOTSTRAP_SETTINGS.adminRoleName),
              sessionName: 'tdr-bootstrap',
            },
          ],
        }),
    defaultTags: {
      tags: {
        Project: 'tdr',
        [TAG_KEYS.environment]: env,
        ManagedBy: 'pulumi-bootstrap',
        ...(env === 'sbox' ? { [TAG_KEYS.expiry]: config.sboxExpiryDate } : {}),
      },
    },
  });
  return new Account(`bootstrap-${env}`, { provider });
}

function bucket(
  name: string,
  def: BucketDefinition,
  parent: pulumi.Resource,
  extra: {
    kmsKeyId?: pulumi.Input<string>;
    accessLog?: { bucket: pulumi.Input<string>; prefix: string };
  } = {},
): SecureBucket {
  return new SecureBucket(
    name,
    {
      bucketName: def.bucketName,
      sseAlgorithm: def.kmsKeyAlias ? 'aws:kms' : 'AES256',
      lifecycle: [
        {
          id: def.expireAfterDays === undefined ? 'expire-old-versions' : 'expire-logs',
          noncurrentVersionsExpireAfterDays: def.noncurrentVersionsExpireAfterDays,
          ...(def.expireAfterDays === undefined ? {} : { expireAfterDays: def.expireAfterDays }),
        },
      ],
      grants: def.grants as readonly PolicyStatement[],
      ...extra,
    },
    { parent, protect: true },
  );
}

function role(
  name: string,
  def: RoleDefinition,
  parent: pulumi.Resource,
  dependsOn: pulumi.Resource[] = [],
): aws.iam.Role {
  // A trust policy can name a role only once it exists: deploy roles wait for their infra role.
  return createRole(name, roleSpecOf(def), parent, dependsOn.length > 0 ? dependsOn : undefined);
}
