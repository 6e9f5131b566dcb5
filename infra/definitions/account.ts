/** What a definition needs to know of the account it describes. */
import type { Platform } from '../../services/config';
import type { EnvironmentName, WorkloadEnvironmentName } from '../../services/environments';

/** infra's AccountContext is one; the sandbox builds its own from the model and its account ids. */
export interface AccountFacts {
  readonly platform: Platform;
  readonly env: EnvironmentName;
  readonly region: string;
  readonly accountId: string;
}

export interface WorkloadAccountFacts extends AccountFacts {
  readonly env: WorkloadEnvironmentName;
}

/** The region is the model's, never a constant. */
export function accountFacts<E extends EnvironmentName>(
  platform: Platform,
  env: E,
  accountId: string,
): AccountFacts & { readonly env: E } {
  return { platform, env, region: platform.environments[env].region, accountId };
}
