/**
 * The Pulumi program of every stack: picks the account's definition from the validated stack
 * config. Called by infra/index.ts under the Pulumi CLI and by infra/synth.ts under mocks.
 */
import type { Platform } from '../services/config';
import type { StackConfig } from './config';
import { defineMgmtAccount } from './accounts/mgmt';
import { defineSboxAccount } from './accounts/sbox';
import { defineWorkloadAccount } from './accounts/workload';

export function defineStack(platform: Platform, config: StackConfig): Record<string, unknown> {
  switch (config.kind) {
    case 'management':
      return defineMgmtAccount(platform, config.values);
    case 'sandbox':
      return defineSboxAccount(platform, config.values);
    case 'workload':
      return defineWorkloadAccount(platform, config.stack, config.values);
  }
}
