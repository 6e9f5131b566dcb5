/**
 * What a real `pulumi preview|up` does before declaring anything (./identity.ts says why):
 * reads the account ids, asks STS who the credentials are, and refuses a mismatch. Offline
 * synth never comes here.
 *
 * Its refusals that need no AWS call (an example value left in the organisation, a stack config
 * setting one of the organisation's keys) are also {@link preflight}, which `tdr preflight` runs
 * before Pulumi starts: inside the program a refusal can only fail the Pulumi run, whose exit code
 * is Pulumi's own, while the CLI exits 2 (invalid configuration, nothing called).
 */
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { parseAccountIds, resolveAccountIds, type AccountIds } from '../services/config';
import type { EnvironmentName } from '../services/environments';
import { realOrganisation, type Organisation } from '../services/organisation';
import { parseBootstrapConfig, type BootstrapConfig } from './bootstrap/config';
import {
  EXAMPLE_CONTROLLER_IMAGE_DIGEST,
  parseStackConfig,
  readStackConfigBag,
  requireStackName,
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

/** The stack's config with the real organisation's values: refuses an example value, before any AWS call. */
function realStackConfig(
  stack: EnvironmentName,
  raw: Readonly<Record<string, string>>,
  env: Env,
  source: string,
) {
  const org = realOrganisation(env);
  const config = withOrganisation(stack, raw, org, source);
  refuseExampleControllerImage(stack, raw);
  return { org, config };
}

export interface PreflightResult {
  readonly stack: string;
  readonly organisationFile: string;
  readonly githubOrganisation: Organisation['githubOrganisation'];
  /** The stack's config keys the organisation fills in (none for the bootstrap). */
  readonly organisationKeys: number;
  readonly accountIds: 'TDR_ACCOUNT_IDS' | 'SSM in mgmt, read by the run';
}

/**
 * What a real run of `stack` would refuse without calling AWS, checked before Pulumi starts:
 * the organisation (TDR_ORGANISATION: missing, unreadable, or any example value), the stack's
 * own config against it (infra/stacks/Pulumi.<stack>.yaml, as Pulumi passes it to the program),
 * and TDR_ACCOUNT_IDS when set. Throws the same errors, naming each field and its source.
 */
export function preflight(stack: string, env: Env, configDir?: string): PreflightResult {
  const accountIds = env.TDR_ACCOUNT_IDS ? 'TDR_ACCOUNT_IDS' : 'SSM in mgmt, read by the run';
  if (env.TDR_ACCOUNT_IDS) parseAccountIds(env.TDR_ACCOUNT_IDS, 'TDR_ACCOUNT_IDS');
  if (stack === BOOTSTRAP_STACK) {
    const org = realOrganisation(env);
    return {
      stack,
      organisationFile: env.TDR_ORGANISATION ?? '',
      githubOrganisation: org.githubOrganisation,
      organisationKeys: 0,
      accountIds,
    };
  }
  const name = requireStackName(stack);
  const { raw, source } = readStackConfigBag(name, configDir);
  const { org, config } = realStackConfig(name, raw, env, source);
  return {
    stack,
    organisationFile: env.TDR_ORGANISATION ?? '',
    githubOrganisation: org.githubOrganisation,
    organisationKeys: Object.keys(config).length - Object.keys(raw).length,
    accountIds,
  };
}

export async function prepareAccountStack(
  stack: EnvironmentName,
  raw: Readonly<Record<string, string>>,
  env: Env,
  clients: RealRunClients,
): Promise<StackConfig> {
  // Before any AWS call: an example hosted zone, Slack id or allowlist never reaches a real account.
  const { config: withOrg } = realStackConfig(stack, raw, env, `stack ${stack}`);
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
