/** Release-train fixtures (issue 26): members through to prod at one version, staged at another. */
import { APPROVER_ROLE, as, configFile, sandboxUp, tdr } from './release';

type Env = Record<string, string | undefined>;
export const TRAIN_SERVICES = ['frontend', 'consignmentapi', 'keycloak'] as const;
export const TRAIN_FUNCTION = 'checksum';
export const TRAIN_TASK = 'consignment-api-data';

export async function toStaging(env: Env, name: string, version: string) {
  await tdr(['deploy', '--service', name, '--env', 'intg', '--version', version, '--actor', 'jenkins'], env);
  await tdr(['promote', '--service', name, '--to', 'staging', '--actor', 'bob'], env);
}

export async function toProd(env: Env, name: string, version: string) {
  await toStaging(env, name, version);
  await tdr(['approve', '--service', name, '--env', 'prod'], await as(env, APPROVER_ROLE, 'alice'));
  await tdr(['promote', '--service', name, '--to', 'prod', '--actor', 'bob'], env);
}

/**
 * A sandbox where prod runs v1 of three services and a function, and staging runs v2 of them and
 * has run the migrations task at v2: a train of five waits. No soak, freeze or required check.
 */
export async function stagedTrain(extra: Env = {}): Promise<Env> {
  const env = await sandboxUp({
    TDR_CONFIG: configFile({
      environments: { prod: { promotion: { soakMinutes: 0, freezeWindows: [], requiredChecks: [] } } },
      // The function member shifts `live` at once: prod's canary bakes 15 minutes of judged traffic
      // in real time (release-lambda-canary.test.ts tests it; a train calls the same release).
      catalogue: { [TRAIN_FUNCTION]: { delivery: { prod: { kind: 'allAtOnce' } } } },
    }),
    ...extra,
  });
  for (const s of [...TRAIN_SERVICES, TRAIN_FUNCTION]) await toProd(env, s, 'v1');
  for (const s of [...TRAIN_SERVICES, TRAIN_FUNCTION]) await toStaging(env, s, 'v2');
  await tdr(
    ['task', 'run', '--task', TRAIN_TASK, '--env', 'staging', '--version', 'v2', '--actor', 'bob'],
    env,
  );
  return env;
}
