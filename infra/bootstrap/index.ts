/**
 * Entry point for the Pulumi CLI in infra/bootstrap: `pulumi up --stack bootstrap`, in mgmt with
 * administrator credentials (checked first), the account ids from TDR_ACCOUNT_IDS.
 */
import * as pulumi from '@pulumi/pulumi';
import { loadPlatform } from '../../services/config';
import { prepareBootstrap, realRunClients } from '../real-run';
import { defineBootstrap } from './program';

const platform = loadPlatform();

export = prepareBootstrap(
  pulumi.runtime.allConfig(),
  process.env,
  realRunClients(platform.environments.mgmt.region),
).then((config) => defineBootstrap(platform, config));
