/**
 * Integration-test helpers for the release engine: a fresh sandbox on the harness's moto (reset
 * before each test), configuration files for the gates under test, and SDK clients into the
 * sandbox's accounts for checking what really changed.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { expect } from 'chai';
import { naming } from '../../services/naming';
import { loadPlatform, type Platform } from '../../services/config';
import { SANDBOX_ACCOUNT_IDS } from '../../sandbox/definitions';
import { runTdr } from './cli';
import { motoAt } from './moto';
import { assumeRole } from './accounts';
import { scratchDir } from './scratch';

/** The sandbox's fixed fake account ids of the workload accounts (mgmt is moto's default account). */
export const SANDBOX = {
  intg: SANDBOX_ACCOUNT_IDS.intg,
  staging: SANDBOX_ACCOUNT_IDS.staging,
  prod: SANDBOX_ACCOUNT_IDS.prod,
} as const;

type Env = Record<string, string | undefined>;

/** Writes a TDR_CONFIG overrides file and returns its path. */
export function configFile(overrides: unknown): string {
  const dir = scratchDir('tdr-release-test-');
  const file = join(dir, 'config.json');
  writeFileSync(file, JSON.stringify(overrides));
  return file;
}

/** No soak, no freeze: the gates a test does not exercise stay out of its way. */
export const QUICK_CONFIG = {
  environments: { prod: { promotion: { soakMinutes: 0, freezeWindows: [] } } },
};

/**
 * Runs `tdr sandbox up` and returns the environment every later `tdr` call in the test uses.
 *
 * The first stand-up of a configuration in a worker is real; moto's state after it is saved
 * (./moto_server_snapshots.py) and the next test that asks for the same configuration gets that
 * state back instead (~5 ms of moto's CPU, where a stand-up is ~650 requests and ~4 s). The test
 * sees the same accounts, roles, services, functions and buckets either way: what a stand-up writes
 * is a function of its configuration (`tdr sandbox up` is idempotent; test/release-sandbox.test.ts
 * runs it twice, test/moto-harness.test.ts checks a restored sandbox against a stood-up one). A
 * stand-up through a proxy in front of moto (which may count, slow or fault its calls) is the test's
 * alone: it runs for real, and is not kept.
 */
export async function sandboxUp(extra: Env = {}): Promise<Env> {
  const env: Env = {
    ...process.env,
    TDR_ACCOUNT_IDS: undefined,
    TDR_RELEASE_POLL_MS: '20',
    TDR_SLACK_WEBHOOK_URL: undefined,
    USER: 'tester',
    TDR_CONFIG: configFile(QUICK_CONFIG),
    ...extra,
  };
  const moto = motoAt(env.AWS_ENDPOINT_URL);
  const key = moto && standUpKey(env);
  if (key && (await moto.restore(key))) return env;
  const up = await runTdr(['sandbox', 'up'], env);
  expect(up.code, up.stderr).to.equal(0);
  if (key) await moto.save(key);
  return env;
}

/**
 * What a stand-up is made from (cli/sandbox.ts `up`, sandbox/up.ts): the platform as loaded from
 * TDR_CONFIG, TDR_ACCOUNT_IDS, TDR_WORKLOAD_ROLE (refused if read-only), and the AWS endpoint,
 * region and credentials. Left out, since only the demo reads them: each environment's promotion
 * gates and the list of overridden settings. Notification settings (Slack, Grafana) are not read.
 * A configuration that does not load has no key: the stand-up runs, and fails as the test expects.
 */
function standUpKey(env: Env): string | undefined {
  let platform: Platform;
  try {
    platform = loadPlatform(env);
  } catch {
    return undefined;
  }
  const { overridden: _o, overrides: _p, ...made } = platform;
  const environments = Object.fromEntries(
    Object.entries(made.environments).map(([name, e]) => [name, { ...e, promotion: undefined }]),
  );
  const aws = Object.entries(env)
    .filter(([name]) => name.startsWith('AWS_'))
    .sort(([a], [b]) => (a < b ? -1 : 1));
  const inputs = [{ ...made, environments }, env.TDR_ACCOUNT_IDS ?? null, env.TDR_WORKLOAD_ROLE ?? null, aws];
  return createHash('sha256').update(JSON.stringify(inputs)).digest('hex').slice(0, 32);
}

/** Records `e2e` passed for `version` on staging, as the staging e2e job does: prod's required check. */
export async function e2ePassed(env: Env, service: string, version: string) {
  await tdr(
    [
      'check',
      'record',
      '--service',
      service,
      '--env',
      'staging',
      '--version',
      version,
      '--name',
      'e2e',
      '--result',
      'passed',
    ],
    env,
  );
}

/** Runs `tdr`, failing the test with its output if the exit code is not `code`. */
export async function tdr(argv: string[], env: Env, code = 0) {
  const r = await runTdr(argv, env);
  expect(r.code, `tdr ${argv.join(' ')}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`).to.equal(code);
  return r;
}

export async function ecsIn(env: keyof typeof SANDBOX): Promise<ECSClient> {
  return new ECSClient({ credentials: await assumeRole(SANDBOX[env], naming.jenkinsEcsUpdateRole(env)) });
}

/** The image the ECS service of `service` in `env` really runs. */
export async function liveImage(
  service: string,
  env: keyof typeof SANDBOX,
): Promise<{ taskDefinition: string; image: string }> {
  const ecs = await ecsIn(env);
  const s = await ecs.send(
    new DescribeServicesCommand({
      cluster: naming.cluster(service, env),
      services: [naming.ecsService(service, env)],
    }),
  );
  const taskDefinition = s.services?.[0]?.taskDefinition ?? '';
  const td = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition }));
  const image =
    td.taskDefinition?.containerDefinitions?.find((c) => c.name === naming.containerName(service))?.image ??
    '';
  return { taskDefinition, image };
}

/**
 * Someone changes the service behind the platform's back: a task definition of their own with
 * `image` in it. Returns its ARN.
 */
export async function changeImageBehindTheBack(
  service: string,
  env: keyof typeof SANDBOX,
  image: string,
): Promise<string | undefined> {
  const ecs = await ecsIn(env);
  const live = await liveImage(service, env);
  const td = (await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: live.taskDefinition })))
    .taskDefinition;
  const hand = await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: td?.family,
      containerDefinitions: td?.containerDefinitions?.map((c) => ({ ...c, image })),
      cpu: td?.cpu,
      memory: td?.memory,
      networkMode: td?.networkMode,
      requiresCompatibilities: td?.requiresCompatibilities,
    }),
  );
  await ecs.send(
    new UpdateServiceCommand({
      cluster: naming.cluster(service, env),
      service: naming.ecsService(service, env),
      taskDefinition: hand.taskDefinition?.taskDefinitionArn,
    }),
  );
  return hand.taskDefinition?.taskDefinitionArn;
}

/** The mgmt account (moto's default), where approver roles live. */
export const MGMT_ACCOUNT = '123456789012';

/**
 * The environment of `who` acting as `role` in mgmt (an approver's SSO session, Jenkins' agent):
 * credentials moto hands out for the assumed role, so `sts:GetCallerIdentity` says who it is.
 */
export async function as(env: Env, role: string, who: string): Promise<Env> {
  const sts = new STSClient({});
  const { Credentials: c } = await sts.send(
    new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${MGMT_ACCOUNT}:role/${role}`, RoleSessionName: who }),
  );
  return {
    ...env,
    AWS_ACCESS_KEY_ID: c?.AccessKeyId,
    AWS_SECRET_ACCESS_KEY: c?.SecretAccessKey,
    AWS_SESSION_TOKEN: c?.SessionToken,
  };
}

/** Prod's approver role (the first approver of the embedded model). */
export const APPROVER_ROLE = 'TDRReleaseApproverProd';

/** `tdr approve` for prod as `who`, one of prod's approvers. */
export async function approveAs(env: Env, who: string, extra: string[] = [], code = 0) {
  return tdr(
    ['approve', '--service', 'frontend', '--env', 'prod', ...extra],
    await as(env, APPROVER_ROLE, who),
    code,
  );
}
