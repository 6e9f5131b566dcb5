/**
 * Entry point for the Pulumi CLI (`main: infra/` in Pulumi.yaml): `pulumi preview --stack intg`.
 * The stack name is the account; its config comes from infra/stacks/Pulumi.<stack>.yaml, its
 * account ids from TDR_ACCOUNT_IDS or SSM, and the credentials are checked first (./real-run.ts).
 */
import * as pulumi from '@pulumi/pulumi';
import { loadPlatform } from '../services/config';
import { requireStackName } from './config';
import { defineStack } from './program';
import { prepareAccountStack, realRunClients } from './real-run';

const platform = loadPlatform();
const stack = requireStackName(pulumi.getStack());

export = prepareAccountStack(
  stack,
  pulumi.runtime.allConfig(),
  process.env,
  realRunClients(platform.environments.mgmt.region),
).then((config) => defineStack(platform, config));
