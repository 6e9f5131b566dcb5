/**
 * A deployment, as a readable script (after ecspresso's deploy.go):
 *
 *   resolve → check every gate → take the lease → write-ahead ledger record `started` →
 *   register a task-definition revision (the current one with the new image digest) →
 *   update the service → wait for steady state or failure → on failure roll back to the previous
 *   revision and wait again → final ledger record → release the lease → notify.
 *
 * deploy, promote and rollback all run through here; they differ only in where the version
 * comes from and which gates apply.
 */
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  type ECSClient,
  type Service,
  type TaskDefinition,
} from '@aws-sdk/client-ecs';
import type { WorkloadEnvironmentName } from '../../services/environments';
import { naming } from '../../services/naming';
import { ledgerOf, leasesOf, serviceEntry, workloadEnv, type ReleaseDeps } from './context';
import { GateRefusedError, ReleaseFailedError, ReleaseInputError, attempt } from './errors';
import { VERSION_PATTERN, evaluateGates, short, type GateVerdict } from './gates';
import { digestOf, resolveVersion } from './images';
import {
  type Ledger,
  currentRelease,
  releaseRecords,
  unsettledRuns,
  type LedgerRecord,
  type ReleaseAction,
  type ReleaseOutcome,
  type ReleaseRecord,
} from './ledger';
import { notify, type NotificationReport } from './notify';
import { taskDefinitionDiff, withImage } from './taskdef';
import { waitForSteadyState, type WaitResult } from './wait';

export interface ReleaseRequest {
  readonly action: ReleaseAction;
  readonly service: string;
  readonly env: string;
  /** deploy: required; promote: defaults to the version live upstream; rollback: defaults to the one before. */
  readonly version?: string | undefined;
  readonly actor: string;
  readonly approver?: string | null | undefined;
  readonly buildUrl?: string | null | undefined;
  readonly gitCommit?: string | null | undefined;
  readonly breakGlass?: boolean | undefined;
  readonly reason?: string | null | undefined;
  readonly dryRun?: boolean | undefined;
  readonly wait?: boolean | undefined;
}

export interface ReleasePlan {
  readonly action: ReleaseAction;
  readonly service: string;
  readonly env: WorkloadEnvironmentName;
  readonly sourceEnv: string | null;
  readonly version: string;
  readonly digest: string | null;
  readonly image: string | null;
  readonly from: {
    readonly version: string | null;
    readonly digest: string | null;
    readonly taskDefinition: string | null;
  };
  readonly taskDefinitionDiff: readonly string[];
  readonly gates: readonly GateVerdict[];
}

export interface ReleaseResult extends ReleasePlan {
  readonly outcome: 'planned' | ReleaseOutcome;
  readonly taskDefinition: string | null;
  readonly detail: string | null;
  readonly ledger: readonly number[];
  readonly settled: readonly number[];
  readonly notifications: readonly NotificationReport[];
}

/** Checks the request's own fields, before any AWS call. */
export function validateRequest(
  deps: Pick<ReleaseDeps, 'platform'>,
  req: ReleaseRequest,
): WorkloadEnvironmentName {
  serviceEntry(deps.platform, req.service);
  const env = workloadEnv(req.env);
  if (req.action === 'deploy' && !req.version)
    throw new ReleaseInputError('version: required for deploy (e.g. v42)');
  if (req.version !== undefined && !VERSION_PATTERN.test(req.version)) {
    throw new ReleaseInputError(
      `version: ${JSON.stringify(req.version)} is not a release version; expected v followed by digits, e.g. v42`,
    );
  }
  if (req.breakGlass && !req.reason?.trim())
    throw new ReleaseInputError('reason: --break-glass needs --reason "why"');
  if (!req.actor.trim()) throw new ReleaseInputError('actor: must not be empty');
  return env;
}

export async function release(deps: ReleaseDeps, req: ReleaseRequest): Promise<ReleaseResult> {
  const env = validateRequest(deps, req);
  const entry = serviceEntry(deps.platform, req.service);
  const target = deps.platform.environments[env];
  const sourceEnv = req.action === 'rollback' ? null : sourceOf(deps, env);
  const cluster = naming.cluster(req.service, env);
  const serviceName = naming.ecsService(req.service, env);
  const ecs = deps.clients.ecs(env);
  const ledger = ledgerOf(deps);
  const step = (s: string) => deps.log(`[${req.action} ${req.service} → ${env}] ${s}`);

  // 1. Resolve: which version and digest we are asked to release.
  step('reading the ledger');
  const [here, upstream] = await Promise.all([
    ledger.records(req.service, env),
    sourceEnv ? ledger.records(req.service, sourceEnv) : Promise.resolve([]),
  ]);
  const version = chooseVersion(req, here, upstream, sourceEnv);
  const resolved = version
    ? await resolveVersion(deps.clients.mgmt.ecr, entry.imageRepository, version)
    : null;

  // 2. Gates: all of them, every refusal at once.
  const gates: GateVerdict[] = [];
  if (version) {
    gates.push({
      gate: 'image',
      ok: resolved !== null,
      detail: resolved
        ? `${entry.imageRepository}:${version} is ${short(resolved.digest)}`
        : `${version} does not exist in ECR repository ${entry.imageRepository}`,
    });
  }
  gates.push(
    ...evaluateGates({
      action: req.action,
      service: req.service,
      target,
      version: version ?? null,
      digest: resolved?.digest ?? '',
      actor: req.actor,
      approver: req.approver ?? null,
      breakGlass: req.breakGlass ?? false,
      reason: req.reason ?? null,
      now: deps.now(),
      upstream,
      here,
    }),
  );
  for (const g of gates) step(`gate ${g.ok ? '[OK]' : '[NG]'} ${g.gate}: ${g.detail}`);
  const refused = gates.some((g) => !g.ok);
  const planFrom = (live: Live, records: readonly LedgerRecord[]): ReleasePlan => {
    const current = currentRelease(records);
    const next = resolved
      ? withImage(live.taskDefinition, naming.containerName(req.service), resolved.image)
      : null;
    return {
      action: req.action,
      service: req.service,
      env,
      sourceEnv,
      version: version ?? '(none)',
      digest: resolved?.digest ?? null,
      image: resolved?.image ?? null,
      from: {
        version: current?.version ?? null,
        digest: digestOf(imageOf(live.taskDefinition, req.service)) ?? current?.digest ?? null,
        taskDefinition: live.service.taskDefinition ?? null,
      },
      taskDefinitionDiff: next ? taskDefinitionDiff(live.taskDefinition, next) : [],
      gates,
    };
  };
  if (req.dryRun) {
    const plan = planFrom(await describeLive(ecs, cluster, serviceName), here);
    step('dry run: nothing changed');
    if (refused) throw Object.assign(new GateRefusedError(gates), { plan });
    return {
      ...plan,
      outcome: 'planned',
      taskDefinition: null,
      detail: null,
      ledger: [],
      settled: [],
      notifications: [],
    };
  }
  if (refused || !resolved || !version) throw new GateRefusedError(gates);

  // 3. Lease: one release per service × environment at a time.
  const runId = deps.newRunId();
  const leases = leasesOf(deps);
  const lease = await leases.acquire(
    req.service,
    env,
    `${req.actor} (${req.action} ${version}, run ${runId})`,
    runId,
    deps.leaseTtlMs,
  );
  step(`lease taken (expires ${lease.expiresAt})`);
  try {
    // Read the service and the ledger only now: under the lease nothing of ours moves them, so
    // the new revision and the rollback target are derived from what really runs.
    const [fresh, live] = await Promise.all([
      ledger.records(req.service, env),
      describeLive(ecs, cluster, serviceName),
    ]);
    const settled = await settleCrashedRuns(deps, ledger, live, req.service, env, fresh, req.actor);
    const known = [...fresh, ...settled];
    const plan = planFrom(live, known);
    const next = withImage(live.taskDefinition, naming.containerName(req.service), resolved.image);

    // 4. Write-ahead record: if we crash from here on, the next run settles it from ECS.
    const base = {
      kind: 'release' as const,
      runId,
      action: req.action,
      service: req.service,
      env,
      version,
      digest: resolved.digest,
      image: resolved.image,
      // Known from the build's deploy; promotions and rollbacks carry it forward from the record
      // of the same digest upstream or here.
      gitCommit: req.gitCommit ?? knownCommit([...upstream, ...here], resolved.digest),
      taskDefinitionBefore: live.service.taskDefinition ?? null,
      approver: req.approver ?? null,
      buildUrl: req.buildUrl ?? null,
      sourceEnv,
      reason: req.reason ?? null,
      breakGlass: req.breakGlass ?? false,
      gates: gates.map((g) => ({ gate: g.gate, ok: g.ok, detail: g.detail })),
      actor: req.actor,
      startedAt: deps.now().toISOString(),
      settles: null,
    };
    const started = await ledger.append(
      { ...base, outcome: 'started', taskDefinitionAfter: null, finishedAt: null, detail: null },
      known,
    );
    step(`ledger #${started.seq}: started`);
    known.push(started);

    const finish = async (outcome: ReleaseOutcome, detail: string | null, after: string | null) => {
      const rec = await ledger.append(
        { ...base, outcome, taskDefinitionAfter: after, finishedAt: deps.now().toISOString(), detail },
        known,
      );
      known.push(rec);
      step(`ledger #${rec.seq}: ${outcome}${detail ? ` (${detail})` : ''}`);
      return rec;
    };

    // 5. Register the new revision and point the service at it. An error before the update
    // changed nothing, which is recorded; an error after it leaves the outcome to ECS.
    let newArn: string;
    try {
      const registered = await attempt(`registering a revision of task family ${next.family}`, () =>
        ecs.send(new RegisterTaskDefinitionCommand(next)),
      );
      const arn = registered.taskDefinition?.taskDefinitionArn;
      if (!arn) throw new ReleaseFailedError(`RegisterTaskDefinition returned no ARN for ${next.family}`);
      newArn = arn;
      step(`registered ${newArn}`);
      await attempt(`updating ECS service ${serviceName} to ${newArn}`, () =>
        ecs.send(new UpdateServiceCommand({ cluster, service: serviceName, taskDefinition: arn })),
      );
    } catch (err) {
      await finish('failed', `nothing changed: ${(err as Error).message}`, null).catch(() => undefined);
      throw err;
    }
    step(`service ${serviceName} updated`);

    if (req.wait === false) {
      step(
        'not waiting (--no-wait): the next operation on this service and environment settles the outcome from ECS',
      );
      return {
        ...plan,
        outcome: 'started',
        taskDefinition: newArn,
        detail: null,
        ledger: [started.seq],
        settled: settled.map((s) => s.seq),
        notifications: [],
      };
    }

    // 6. Wait; on failure roll back to the revision that ran before.
    let outcome: ReleaseOutcome;
    let detail: string | null = null;
    let finalRecord: ReleaseRecord;
    try {
      const waited = await waitFor(deps, ecs, cluster, serviceName, newArn, step, 'waiting for steady state');
      if (waited.ok) {
        outcome = 'succeeded';
        finalRecord = (await finish(outcome, null, newArn)) as ReleaseRecord;
      } else {
        detail = waited.reason;
        step(`rollout failed: ${waited.reason}`);
        const previous = live.service.taskDefinition;
        if (!previous) {
          outcome = 'failed';
          finalRecord = (await finish(
            outcome,
            `${detail}; no previous revision to roll back to`,
            newArn,
          )) as ReleaseRecord;
        } else {
          step(`rolling back to ${previous}`);
          await attempt(`rolling ECS service ${serviceName} back to ${previous}`, () =>
            ecs.send(new UpdateServiceCommand({ cluster, service: serviceName, taskDefinition: previous })),
          );
          const back = await waitFor(
            deps,
            ecs,
            cluster,
            serviceName,
            previous,
            step,
            'waiting for the rollback',
          );
          outcome = back.ok ? 'rolled_back' : 'failed';
          detail = back.ok
            ? `${detail}; rolled back to ${previous}`
            : `${detail}; rollback to ${previous} also failed: ${back.reason}`;
          finalRecord = (await finish(outcome, detail, back.ok ? previous : newArn)) as ReleaseRecord;
        }
      }
    } catch (err) {
      step(
        `outcome unknown (${(err as Error).message}): ledger #${started.seq} is left open; the next operation settles it from ECS`,
      );
      throw err;
    }

    // 7. Notify (never fails the release), then report.
    const notifications = await notify(
      {
        service: req.service,
        env,
        version,
        digest: resolved.digest,
        action: req.action,
        outcome,
        actor: req.actor,
        detail,
        time: deps.now(),
      },
      deps.notifier,
    );
    for (const n of notifications) step(`notify ${n.channel}: ${n.status} (${n.detail})`);
    const result: ReleaseResult = {
      ...plan,
      outcome,
      taskDefinition: finalRecord.taskDefinitionAfter,
      detail,
      ledger: [started.seq, finalRecord.seq],
      settled: settled.map((s) => s.seq),
      notifications,
    };
    if (outcome !== 'succeeded') {
      throw Object.assign(
        new ReleaseFailedError(
          `${req.action} of ${req.service} ${version} to ${env} ${outcome.replace('_', ' ')}: ${detail}`,
        ),
        { result },
      );
    }
    return result;
  } finally {
    await leases.release(lease);
  }
}

function knownCommit(records: readonly LedgerRecord[], digest: string): string | null {
  return (
    releaseRecords(records)
      .filter((r) => r.digest === digest && r.gitCommit)
      .at(-1)?.gitCommit ?? null
  );
}

function sourceOf(deps: Pick<ReleaseDeps, 'platform'>, env: WorkloadEnvironmentName): string | null {
  const source = deps.platform.environments[env].promotion?.source;
  return source && source !== 'build' ? source : null;
}

function chooseVersion(
  req: ReleaseRequest,
  here: readonly LedgerRecord[],
  upstream: readonly LedgerRecord[],
  sourceEnv: string | null,
): string | undefined {
  if (req.version) return req.version;
  if (req.action === 'promote' && sourceEnv) return currentRelease(upstream)?.version;
  if (req.action === 'rollback') {
    const current = currentRelease(here);
    if (!current) return undefined;
    return releaseRecords(here)
      .filter((r) => r.outcome === 'succeeded' && r.seq < current.seq && r.version !== current.version)
      .at(-1)?.version;
  }
  return undefined;
}

export interface Live {
  readonly service: Service;
  readonly taskDefinition: TaskDefinition;
}

async function describeLive(ecs: ECSClient, cluster: string, serviceName: string): Promise<Live> {
  const out = await attempt(`describing ECS service ${serviceName} in cluster ${cluster}`, () =>
    ecs.send(new DescribeServicesCommand({ cluster, services: [serviceName] })),
  );
  const service = out.services?.find((s) => s.status === 'ACTIVE');
  if (!service?.taskDefinition) {
    throw new ReleaseFailedError(
      `ECS service ${serviceName} in cluster ${cluster} does not exist (or is not active): provision it first (tdr sandbox up locally)`,
    );
  }
  const td = await attempt(`describing task definition ${service.taskDefinition}`, () =>
    ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: service.taskDefinition })),
  );
  if (!td.taskDefinition) throw new ReleaseFailedError(`task definition ${service.taskDefinition} not found`);
  return { service, taskDefinition: td.taskDefinition };
}

export function imageOf(td: TaskDefinition | undefined, service: string): string | undefined {
  return td?.containerDefinitions?.find((c) => c.name === naming.containerName(service))?.image;
}

function waitFor(
  deps: ReleaseDeps,
  ecs: ECSClient,
  cluster: string,
  serviceName: string,
  arn: string,
  step: (s: string) => void,
  what: string,
): Promise<WaitResult> {
  let lastLine = '';
  let lastAt = -Infinity;
  return waitForSteadyState(ecs, cluster, serviceName, arn, {
    timeoutMs: deps.timeoutMs,
    pollMs: deps.pollMs,
    now: () => deps.now().getTime(),
    sleep: deps.sleep,
    progress: (p) => {
      const line = `running ${p.running}/${p.desired}, ${p.deployments} deployment${p.deployments === 1 ? '' : 's'}, rollout ${p.rolloutState}`;
      // Say something when the picture changes, and at least every 30 s while it does not.
      if (line !== lastLine || p.elapsedMs - lastAt >= 30_000) {
        step(`${what}: ${Math.round(p.elapsedMs / 1000)} s elapsed, ${line}`);
        lastLine = line;
        lastAt = p.elapsedMs;
      }
    },
  });
}

/**
 * A run that wrote `started` and never its outcome crashed (we hold the lease, so it is not
 * running). ECS knows what really happened: if the service runs that run's digest steadily, the
 * run succeeded; otherwise it failed. The settlement is appended as the run's outcome.
 */
export async function settleCrashedRuns(
  deps: Pick<ReleaseDeps, 'now' | 'log'>,
  ledger: Ledger,
  live: Live,
  service: string,
  env: WorkloadEnvironmentName,
  records: readonly LedgerRecord[],
  settledBy: string,
): Promise<ReleaseRecord[]> {
  const crashed = unsettledRuns(records);
  if (crashed.length === 0) return [];
  const liveDigest = digestOf(imageOf(live.taskDefinition, service));
  const steady =
    (live.service.deployments ?? []).length === 1 && live.service.runningCount === live.service.desiredCount;
  const known: LedgerRecord[] = [...records];
  const out: ReleaseRecord[] = [];
  const newest = crashed.at(-1);
  for (const run of crashed) {
    const runsIt = liveDigest === run.digest;
    // Only the newest open run can be what ECS runs now; any older one was superseded by it.
    const succeeded = run === newest && runsIt && steady;
    const what = `run ${run.runId} (${run.version}) wrote ledger #${run.seq} and no outcome`;
    const detail =
      run !== newest
        ? `settled by ${settledBy}: ${what}; superseded by run ${newest?.runId} before its outcome was recorded`
        : succeeded
          ? `settled by ${settledBy}: ${what}; ECS runs its digest steadily (${live.service.taskDefinition})`
          : runsIt
            ? `settled by ${settledBy}: ${what}; ECS runs its digest but is not steady (running ${live.service.runningCount}/${live.service.desiredCount}, ${(live.service.deployments ?? []).length} deployments), and this release supersedes it`
            : `settled by ${settledBy}: ${what}; ECS runs ${liveDigest ? short(liveDigest) : 'an unpinned image'} (${live.service.taskDefinition}), not ${short(run.digest)}`;
    deps.log(`[${service} → ${env}] ${detail}`);
    const { seq: _seq, recordedAt: _at, schema: _schema, ...rest } = run;
    const rec = (await ledger.append(
      {
        ...rest,
        outcome: succeeded ? 'succeeded' : 'failed',
        taskDefinitionAfter: live.service.taskDefinition ?? null,
        finishedAt: deps.now().toISOString(),
        detail,
        settles: run.seq,
      },
      known,
    )) as ReleaseRecord;
    known.push(rec);
    out.push(rec);
  }
  return out;
}
