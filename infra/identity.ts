/**
 * A real `pulumi preview|up` (not `tdr synth`): the account ids come from `TDR_ACCOUNT_IDS` or
 * SSM `/mgmt/{env}_account` (the stack files hold offline placeholders), and the credentials in
 * use must be the ones the stack is meant to run with, or nothing runs.
 *
 * Every stack runs with credentials in mgmt, where the state bucket, the secrets key and the
 * account ids live: the bootstrap with an administrator's, an account stack with its Jenkins
 * infra role's (`TDRJenkinsInfraRole{Env}`), from which its provider assumes the account's
 * deploy role. So the caller must be in mgmt, and an infra role may only run its own stack: a
 * prod program can never run with intg's credentials.
 */
import type { AccountIds } from '../services/config';
import type { EnvironmentName } from '../services/environments';
import { ENVIRONMENT_NAMES } from '../services/environments';
import { PlatformError } from '../services/errors';
import { naming } from '../services/naming';
import { BOOTSTRAP_STACK, type SynthStackName } from './stacks';

export interface CallerIdentity {
  readonly account: string;
  /** `arn:aws:sts::123456789012:assumed-role/TDRJenkinsInfraRoleIntg/session` or a user's ARN. */
  readonly arn: string;
}

/** The credentials in use are not the ones the stack runs with: nothing was changed. */
export class CredentialsMismatchError extends PlatformError {
  readonly kind = 'invalid';
  constructor(
    readonly stackName: string,
    readonly caller: CallerIdentity,
    reason: string,
  ) {
    super(`refusing to run the ${stackName} stack with the credentials of ${caller.arn}: ${reason}`);
    this.name = 'CredentialsMismatchError';
  }
}

function accountName(ids: AccountIds, account: string): string {
  const env = ENVIRONMENT_NAMES.find((e) => ids[e] === account);
  return env ? `${env}'s account ${account}` : `account ${account}, which is none of the platform's`;
}

/** The infra role an assumed-role ARN names, if any. */
function infraRoleEnvironment(arn: string): EnvironmentName | undefined {
  const role = /:assumed-role\/([^/]+)\//.exec(arn)?.[1];
  return ENVIRONMENT_NAMES.find((e) => naming.jenkinsInfraRole(e) === role);
}

export function checkCredentials(stack: SynthStackName, ids: AccountIds, caller: CallerIdentity): void {
  if (caller.account !== ids.mgmt) {
    throw new CredentialsMismatchError(
      stack,
      caller,
      `they are ${accountName(ids, caller.account)}, but every stack runs from mgmt (${ids.mgmt})` +
        (stack === BOOTSTRAP_STACK
          ? ' with administrator credentials'
          : ` as ${naming.jenkinsInfraRole(stack)}, which assumes ${naming.pulumiDeployRole(stack)} in ${ids[stack]}`),
    );
  }
  const infra = infraRoleEnvironment(caller.arn);
  if (infra === undefined) return;
  if (stack === BOOTSTRAP_STACK) {
    throw new CredentialsMismatchError(
      stack,
      caller,
      `the bootstrap creates the infra roles and runs with administrator credentials, not as ${naming.jenkinsInfraRole(infra)}`,
    );
  }
  if (infra !== stack) {
    throw new CredentialsMismatchError(
      stack,
      caller,
      `they are ${infra}'s infra role; the ${stack} stack runs only as ${naming.jenkinsInfraRole(stack)}`,
    );
  }
}

/** The stack's Pulumi config with its account ids replaced by the real ones. */
export function withAccountIds(
  stack: EnvironmentName,
  raw: Readonly<Record<string, string>>,
  ids: AccountIds,
): Record<string, string> {
  const out: Record<string, string> = { ...raw, 'tdr:accountId': ids[stack] };
  if (stack === 'mgmt') {
    out['tdr:workloadAccountIds'] = JSON.stringify({ intg: ids.intg, staging: ids.staging, prod: ids.prod });
  } else if (stack !== 'sbox') {
    out['tdr:mgmtAccountId'] = ids.mgmt;
  }
  return out;
}

/** The bootstrap's Pulumi config with the real account ids. */
export function withBootstrapAccountIds(
  raw: Readonly<Record<string, string>>,
  ids: AccountIds,
): Record<string, string> {
  return { ...raw, 'tdr-bootstrap:accountIds': JSON.stringify(ids) };
}
