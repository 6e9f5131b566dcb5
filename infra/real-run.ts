/**
 * What a real `pulumi preview|up` does before declaring anything (./identity.ts says why):
 * reads the account ids, asks STS who the credentials are, and refuses a mismatch. Offline
 * synth never comes here.
 */
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { resolveAccountIds, type AccountIds } from '../services/config';
import type { EnvironmentName } from '../services/environments';
import { realOrganisation } from '../services/organisation';
import { parseBootstrapConfig, type BootstrapConfig } from './bootstrap/config';
import {
  EXAMPLE_CONTROLLER_IMAGE_DIGEST,
  parseStackConfig,
  StackConfigError,
  withOrganisation,
  type StackConfig,
} from './config';
import { checkCredentials, withAccountIds, withBootstrapAccountIds, type CallerIdentity } from './identity';
import { BOOTSTRAP_STACK } from './stacks';

type Env = Readonly<Record<string, string | undefined>>;

export interface RealRunClients {
  readonly sts: STSClient;
  readonly ssm: SSMClient;
}

export function realRunClients(region: string): RealRunClients {
  return { sts: new STSClient({ region }), ssm: new SSMClient({ region }) };
}

export async function callerIdentity(sts: STSClient): Promise<CallerIdentity> {
  const me = await sts.send(new GetCallerIdentityCommand({}));
  if (!me.Account || !me.Arn) throw new Error('sts GetCallerIdentity returned no account');
  return { account: me.Account, arn: me.Arn };
}

/** `TDR_ACCOUNT_IDS`, else SSM `/mgmt/{env}_account` in the caller's account (mgmt). */
export function realAccountIds(env: Env, ssm: SSMClient): Promise<AccountIds> {
  return resolveAccountIds(env, async (name) => {
    try {
      return (await ssm.send(new GetParameterCommand({ Name: name }))).Parameter?.Value;
    } catch (err) {
      if ((err as { name?: string }).name === 'ParameterNotFound') return undefined;
      throw new Error(`reading SSM ${name}: ${(err as Error).message}`, { cause: err });
    }
  });
}

export async function prepareAccountStack(
  stack: EnvironmentName,
  raw: Readonly<Record<string, string>>,
  env: Env,
  clients: RealRunClients,
): Promise<StackConfig> {
  // Before any AWS call: an example hosted zone, Slack id or allowlist never reaches a real account.
  const org = realOrganisation(env);
  const withOrg = withOrganisation(stack, raw, org, `stack ${stack}`);
  refuseExampleControllerImage(stack, raw);
  const ids = await realAccountIds(env, clients.ssm);
  checkCredentials(stack, ids, await callerIdentity(clients.sts));
  return parseStackConfig(stack, withAccountIds(stack, withOrg, ids), `stack ${stack}`);
}

/** The example digest of the offline config would start no controller at all: refused before any AWS call. */
export function refuseExampleControllerImage(
  stack: EnvironmentName,
  raw: Readonly<Record<string, string>>,
): void {
  const key = 'tdr:jenkinsControllerImageDigest';
  if (stack !== 'mgmt' || raw[key] !== EXAMPLE_CONTROLLER_IMAGE_DIGEST) return;
  throw new StackConfigError([
    {
      path: `stack mgmt ${key}`,
      message:
        `is the offline example (${EXAMPLE_CONTROLLER_IMAGE_DIGEST}); build and push the controller image ` +
        "(`tdr bootstrap plan`, step 'The Jenkins images'), then set the digest it printed: " +
        `pulumi config set ${key} sha256:… --stack mgmt`,
    },
  ]);
}

export async function prepareBootstrap(
  raw: Readonly<Record<string, string>>,
  env: Env,
  clients: RealRunClients,
): Promise<BootstrapConfig> {
  // The bootstrap itself uses none of the organisation's values, but it starts the stand-up:
  // refusing here names every missing one before anything is created.
  realOrganisation(env);
  const ids = await realAccountIds(env, clients.ssm);
  checkCredentials(BOOTSTRAP_STACK, ids, await callerIdentity(clients.sts));
  return parseBootstrapConfig(withBootstrapAccountIds(raw, ids), `stack ${BOOTSTRAP_STACK}`);
}
