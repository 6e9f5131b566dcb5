/**
 * `tdr verify`: a preflight, one `[OK]`/`[NG]` line per dependency a deployment of this service
 * in this environment needs, every one checked even after a failure. A function's verify
 * (verify-function.ts) shares `Checks`, the role and ledger checks and the log-group check, so
 * both read and fail alike.
 */
import { DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import type { TaskDefinition } from '@aws-sdk/client-ecs';
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import { DescribeParametersCommand } from '@aws-sdk/client-ssm';
import { naming } from '../../../services/naming';
import type { WorkloadEnvironmentName } from '../../../services/environments';
import { serviceEntry, workloadEnv, type ReleaseDeps } from '../saga/context';
import { Ecs, containerOf } from '../aws/ecs';
import { digestExists, digestOf } from '../aws/images';

export interface VerifyCheck {
  readonly name: string;
  /** `skipped` when a check could not run because an earlier one failed, or is not supported. */
  readonly status: 'ok' | 'ng' | 'skipped';
  readonly detail: string;
}

export async function verify(
  deps: Pick<ReleaseDeps, 'clients' | 'platform'>,
  service: string,
  envName: string,
): Promise<VerifyCheck[]> {
  const entry = serviceEntry(deps.platform, service);
  const env = workloadEnv(envName);
  const checks = new Checks();
  const run = checks.run.bind(checks);
  const skip = checks.skip.bind(checks);

  const role = naming.jenkinsEcsUpdateRole(env);
  const ecs = new Ecs(deps.clients.ecs(env));
  const assumed = await checkRoleAndLedger(checks, deps, env, ecs.client);

  const cluster = naming.cluster(service, env);
  const serviceName = naming.ecsService(service, env);
  if (!assumed) {
    for (const n of ['cluster', 'service', 'image digest', 'secrets', 'log group']) skip(n, `needs ${role}`);
    return checks.list;
  }
  await run('cluster', async () => {
    const c = await ecs.activeCluster(cluster);
    return { ok: Boolean(c), detail: c ? `${cluster} is ACTIVE` : `${cluster} does not exist` };
  });
  const td = await run<TaskDefinition>('service', async () => {
    const s = await ecs.activeService(cluster, serviceName);
    if (!s?.taskDefinition) return { ok: false, detail: `${serviceName} does not exist in ${cluster}` };
    const d = await ecs.taskDefinition(s.taskDefinition);
    return {
      ok: Boolean(d),
      detail: `${serviceName} runs ${s.taskDefinition} (${s.runningCount}/${s.desiredCount})`,
      value: d,
    };
  });
  if (!td) {
    for (const n of ['image digest', 'secrets', 'log group'])
      skip(n, 'needs the service and its task definition');
    return checks.list;
  }
  const container = containerOf(td, naming.containerName(service));
  await run('image digest', async () => {
    const digest = digestOf(container?.image);
    if (!digest)
      return {
        ok: false,
        detail: `container ${naming.containerName(service)} image ${container?.image ?? '(none)'} is not pinned by digest`,
      };
    const exists = await digestExists(deps.clients.mgmt.ecr, entry.imageRepository, digest);
    return {
      ok: exists,
      detail: `${entry.imageRepository}@${digest} ${exists ? 'exists' : 'is missing'} in ECR`,
    };
  });
  await checkSecrets(checks, deps, env, td);
  const logGroup = container?.logConfiguration?.options?.['awslogs-group'];
  if (logGroup)
    await checkLogGroup(
      checks,
      deps,
      env,
      logGroup,
      'new tasks cannot start, because the awslogs driver does not create it',
    );
  else checks.skip('log group', `container ${naming.containerName(service)} does not log with awslogs`);
  return checks.list;
}

/**
 * The checks every verify starts with: the update role, assumed through the client of the
 * account that the later checks use, and the ledger bucket. Whether the role was assumed.
 */
export async function checkRoleAndLedger(
  checks: Checks,
  deps: Pick<ReleaseDeps, 'clients'>,
  env: WorkloadEnvironmentName,
  client: { readonly config: { readonly credentials: () => Promise<unknown> } },
): Promise<boolean> {
  const assumed = await checks.run('role assumable', async () => {
    // Resolving the client's credentials is the AssumeRole every later call in the account needs.
    await client.config.credentials();
    return {
      ok: true,
      detail: `${naming.jenkinsEcsUpdateRole(env)} in ${deps.clients.accountIds[env]}`,
      value: true,
    };
  });
  await checks.run('ledger bucket', async () => {
    await deps.clients.mgmt.s3.send(new HeadBucketCommand({ Bucket: naming.ledgerBucket() }));
    return { ok: true, detail: `s3://${naming.ledgerBucket()} in mgmt` };
  });
  return assumed === true;
}

/** Every check, in order, each counted once. */
export class Checks {
  readonly list: VerifyCheck[] = [];

  /** Runs one check; a thrown error is its `[NG]`. Returns the check's value when it passed. */
  async run<T>(
    name: string,
    fn: () => Promise<{ ok: boolean; detail: string; value?: T }>,
  ): Promise<T | undefined> {
    try {
      const r = await fn();
      this.list.push({ name, status: r.ok ? 'ok' : 'ng', detail: r.detail });
      return r.ok ? r.value : undefined;
    } catch (err) {
      this.list.push({ name, status: 'ng', detail: (err as Error).message });
      return undefined;
    }
  }

  skip(name: string, detail: string): void {
    this.list.push({ name, status: 'skipped', detail });
  }
}

/** Each secret the task definition references exists (described, never read). */
async function checkSecrets(
  checks: Checks,
  deps: Pick<ReleaseDeps, 'clients'>,
  env: WorkloadEnvironmentName,
  td: TaskDefinition,
): Promise<void> {
  const secrets = (td.containerDefinitions ?? []).flatMap((c) => c.secrets ?? []);
  if (secrets.length === 0) checks.skip('secrets', 'the task definition references no secrets');
  for (const s of secrets) {
    const parameter = /:parameter(\/.*)$/.exec(s.valueFrom ?? '')?.[1];
    if (!parameter) {
      checks.skip(
        `secret ${s.name}`,
        `${s.valueFrom} is not an SSM parameter; Secrets Manager is not checked (no client in this build)`,
      );
      continue;
    }
    await checks.run(`secret ${s.name}`, async () => {
      // Existence only: describing a parameter never reads its (secret) value.
      const out = await deps.clients
        .ssm(env)
        .send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Values: [parameter] }] }));
      return (out.Parameters ?? []).some((p) => p.Name === parameter)
        ? { ok: true, detail: `SSM ${parameter} exists in ${env}` }
        : {
            ok: false,
            detail: `SSM ${parameter} does not exist in ${env}: the task cannot start; create it (pulumi up for the ${env} stack)`,
          };
    });
  }
}

/** The log group exists: `whyNeeded` says what breaks without it (neither ECS nor Lambda creates it). */
export async function checkLogGroup(
  checks: Checks,
  deps: Pick<ReleaseDeps, 'clients'>,
  env: WorkloadEnvironmentName,
  logGroup: string,
  whyNeeded: string,
): Promise<void> {
  const accountId = deps.clients.accountIds[env];
  await checks.run('log group', async () => {
    // The prefix search is the only lookup by name; an exact match is what the writer needs.
    const out = await deps.clients
      .logs(env)
      .send(new DescribeLogGroupsCommand({ logGroupNamePrefix: logGroup }));
    const found = (out.logGroups ?? []).some((g) => g.logGroupName === logGroup);
    return found
      ? { ok: true, detail: `${logGroup} exists in ${env}` }
      : {
          ok: false,
          detail: `${logGroup} does not exist in ${env} (account ${accountId}): ${whyNeeded}; run pulumi up for the ${env} stack (locally: tdr sandbox up)`,
        };
  });
}
