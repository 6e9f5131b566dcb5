/**
 * What every stack starts from: one explicit aws.Provider for the account (assuming the Pulumi
 * deploy role there, refusing to touch any other account), and a root component that every
 * resource of the stack hangs under, so children inherit the provider through `parent`.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { Platform } from '../../services/config';
import type { Environment, EnvironmentName } from '../../services/environments';
import { naming } from '../../services/naming';
import { policyDocument } from '../components/iam';
import type { AccountFacts } from '../definitions/account';

export interface AccountContext extends AccountFacts {
  readonly environment: Environment;
  /** Parent of every resource of the stack; carries the account's provider. */
  readonly root: Account;
}

export const TAG_KEYS = { environment: 'Environment', expiry: 'Expiry' } as const;

export class Account extends pulumi.ComponentResource {
  constructor(name: string, opts: pulumi.ComponentResourceOptions) {
    super('tdr:account:Account', name, {}, opts);
  }

  /** Called once the stack has declared everything; returns the outputs for the stack. */
  complete<T extends Record<string, unknown>>(outputs: T): T {
    this.registerOutputs(outputs);
    return outputs;
  }
}

export function openAccount(
  platform: Platform,
  env: EnvironmentName,
  accountId: string,
  extraTags: Readonly<Record<string, string>> = {},
): AccountContext {
  const environment = platform.environments[env];
  const provider = new aws.Provider(`${env}-account`, {
    region: environment.region as aws.Region,
    allowedAccountIds: [accountId],
    assumeRoles: [
      { roleArn: naming.roleArn(accountId, naming.pulumiDeployRole(env)), sessionName: 'tdr-pulumi' },
    ],
    defaultTags: {
      tags: { Project: 'tdr', [TAG_KEYS.environment]: env, ManagedBy: 'pulumi', ...extraTags },
    },
  });
  const root = new Account(env, { provider });
  return { platform, env, environment, accountId, region: environment.region, root };
}

/**
 * A customer-managed key for SNS topics: the AWS-managed SNS key cannot be granted to CloudWatch
 * alarms or S3 events, so an encrypted topic needs a key whose policy names those services.
 */
export function notificationsKey(ctx: AccountContext, publishers: readonly string[]): aws.kms.Key {
  const rootArn = `arn:aws:iam::${ctx.accountId}:root`;
  return new aws.kms.Key(
    `${ctx.env}-notifications-key`,
    {
      description: `Encrypts the TDR SNS topics of ${ctx.env}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: policyDocument([
        // In a key policy `*` means this key; the account administers it through IAM.
        {
          Sid: 'AccountAdministers',
          Effect: 'Allow',
          Principal: { AWS: rootArn },
          Action: 'kms:*',
          Resource: '*',
        },
        {
          Sid: 'ServicesPublish',
          Effect: 'Allow',
          Principal: { Service: [...publishers] },
          Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
          Resource: '*',
          Condition: { StringEquals: { 'aws:SourceAccount': ctx.accountId } },
        },
      ]),
    },
    { parent: ctx.root },
  );
}

export function notificationsTopic(ctx: AccountContext, key: aws.kms.Key): aws.sns.Topic {
  return new aws.sns.Topic(
    `${ctx.env}-notifications`,
    { name: naming.notificationsTopic(ctx.env), kmsMasterKeyId: key.arn },
    { parent: ctx.root },
  );
}
