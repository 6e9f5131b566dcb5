/**
 * The sandbox: a network, a cluster and a scratch ECR for technical spikes. Nothing is promoted
 * here, and every resource carries an expiry date (through the provider's default tags) so that
 * forgotten experiments are found and removed.
 */
import * as aws from '@pulumi/aws';
import type { Platform } from '../../services/config';
import { naming } from '../../services/naming';
import type { SboxStackConfig } from '../config';
import { Network } from '../components/network';
import { SBOX_SETTINGS } from './settings';
import { openAccount, TAG_KEYS } from './account';

export function defineSboxAccount(platform: Platform, config: SboxStackConfig): Record<string, unknown> {
  const ctx = openAccount(platform, 'sbox', config['tdr:accountId'], {
    [TAG_KEYS.expiry]: config['tdr:expiryDate'],
  });
  const opts = { parent: ctx.root };
  const network = new Network(
    'network',
    {
      env: 'sbox',
      region: ctx.region,
      accountId: ctx.accountId,
      cidr: config['tdr:vpcCidr'],
      availabilityZones: SBOX_SETTINGS.availabilityZones,
      natGatewayPerZone: false,
      flowLogRetentionDays: SBOX_SETTINGS.logRetentionDays,
    },
    opts,
  );
  const cluster = new aws.ecs.Cluster(
    'sandbox-cluster',
    { name: naming.cluster('sandbox', 'sbox'), settings: [{ name: 'containerInsights', value: 'enabled' }] },
    opts,
  );
  const repository = new aws.ecr.Repository(
    'ecr-scratch',
    {
      name: naming.ecrRepository(SBOX_SETTINGS.scratchRepository),
      imageTagMutability: 'IMMUTABLE',
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfigurations: [{ encryptionType: 'AES256' }],
      forceDelete: true,
    },
    opts,
  );
  new aws.ecr.LifecyclePolicy(
    'ecr-scratch-lifecycle',
    {
      repository: repository.name,
      policy: JSON.stringify({
        rules: [
          {
            rulePriority: 1,
            description: 'scratch images live a week',
            selection: { tagStatus: 'any', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 7 },
            action: { type: 'expire' },
          },
        ],
      }),
    },
    opts,
  );
  return ctx.root.complete({
    vpcId: network.vpcId,
    clusterName: cluster.name,
    scratchRepository: repository.name,
  });
}
