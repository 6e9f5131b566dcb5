/**
 * The one ECS adapter: every ECS call of the platform goes through here, each wrapped with what
 * was being attempted, and "which image does this container run" is answered in one place.
 *
 * Steady state is AWS's own definition (`waitUntilServicesStable`: one deployment, running =
 * desired), plus the service still pointing at the revision we deployed. Failure is the rollout
 * state FAILED, the circuit breaker moving the service to another revision, the service
 * disappearing, or the timeout.
 */
import {
  ContinueServiceDeploymentCommand,
  CreateClusterCommand,
  DescribeServiceDeploymentsCommand,
  ListServiceDeploymentsCommand,
  StopServiceDeploymentCommand,
  CreateServiceCommand,
  DescribeClustersCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  UpdateServiceCommand,
  type Cluster,
  type ContainerDefinition,
  type CreateServiceCommandInput,
  type ECSClient,
  type RegisterTaskDefinitionCommandInput,
  type RunTaskCommandInput,
  type Service,
  type ServiceDeployment,
  type ServiceDeploymentStatus,
  type Task,
  type TaskDefinition,
  type UpdateServiceCommandInput,
} from '@aws-sdk/client-ecs';
import { AwsCallError, ReleaseFailedError, attempt, errorName } from '../errors';
import { pollUntil, type PollClock } from '../wait';

/** A service that exists, and the task definition it runs. */
export interface Live {
  readonly service: Service;
  readonly taskDefinition: TaskDefinition;
}

export type WaitResult =
  | { readonly ok: true; readonly elapsedMs: number }
  | { readonly ok: false; readonly reason: string; readonly elapsedMs: number };

export interface WaitOptions {
  readonly clock: PollClock;
  /** Called on every look with a one-line picture of it. */
  readonly progress: (elapsedMs: number, line: string) => void;
}

/** What RunTask started, or why ECS placed nothing. */
export type RunTaskResult =
  | { readonly ok: true; readonly task: Task & { taskArn: string } }
  | { readonly ok: false; readonly reason: string };

/**
 * The statuses of a service deployment that ECS is still working on (API_ServiceDeployment.html,
 * `status`; the SDK's `ServiceDeploymentStatus`): anything else is where it ended.
 */
export const IN_FLIGHT: readonly ServiceDeploymentStatus[] = [
  'PENDING',
  'IN_PROGRESS',
  'ROLLBACK_REQUESTED',
  'ROLLBACK_IN_PROGRESS',
];

/** The container `name` of a task definition (the released one is named after its service). */
export function containerOf(td: TaskDefinition | undefined, name: string): ContainerDefinition | undefined {
  return td?.containerDefinitions?.find((c) => c.name === name);
}

/** The image container `name` runs, if the task definition has it. */
export function imageOf(td: TaskDefinition | undefined, name: string): string | undefined {
  return containerOf(td, name)?.image;
}

export class Ecs {
  constructor(readonly client: ECSClient) {}

  /** The service as ECS describes it (any status), or undefined when ECS knows none. */
  async service(cluster: string, name: string, why = ''): Promise<Service | undefined> {
    return (await this.describeService(cluster, name, why))[0];
  }

  /** The service if it is ACTIVE (a deleted one lingers as INACTIVE). */
  async activeService(cluster: string, name: string, why = ''): Promise<Service | undefined> {
    return (await this.describeService(cluster, name, why)).find((s) => s.status === 'ACTIVE');
  }

  private async describeService(cluster: string, name: string, why: string): Promise<Service[]> {
    const out = await attempt(`describing ECS service ${name} in cluster ${cluster}${why}`, () =>
      this.client.send(new DescribeServicesCommand({ cluster, services: [name] })),
    );
    return out.services ?? [];
  }

  async taskDefinition(ref: string): Promise<TaskDefinition | undefined> {
    const out = await attempt(`describing task definition ${ref}`, () =>
      this.client.send(new DescribeTaskDefinitionCommand({ taskDefinition: ref })),
    );
    return out.taskDefinition;
  }

  /** The family's newest ACTIVE revision, or undefined when it has none (never registered, or all deregistered). */
  async latestRevision(family: string, where: string): Promise<TaskDefinition | undefined> {
    try {
      const out = await this.client.send(new DescribeTaskDefinitionCommand({ taskDefinition: family }));
      if (out.taskDefinition && out.taskDefinition.status !== 'INACTIVE') return out.taskDefinition;
      return undefined;
    } catch (err) {
      // ECS answers an unknown family with a ClientException; anything else is a real failure.
      if (errorName(err) === 'ClientException') return undefined;
      throw new AwsCallError(`describing task family ${family} in ${where}`, err);
    }
  }

  /** The active service and the task definition it runs; a missing one is a failure to provision first. */
  async live(cluster: string, name: string): Promise<Live> {
    const service = await this.activeService(cluster, name);
    if (!service?.taskDefinition) {
      throw new ReleaseFailedError(
        `ECS service ${name} in cluster ${cluster} does not exist (or is not active): provision it first (tdr sandbox up locally)`,
      );
    }
    const taskDefinition = await this.taskDefinition(service.taskDefinition);
    if (!taskDefinition) throw new ReleaseFailedError(`task definition ${service.taskDefinition} not found`);
    return { service, taskDefinition };
  }

  /** Registers a revision; returns its ARN. */
  async registerTaskDefinition(input: RegisterTaskDefinitionCommandInput, what?: string): Promise<string> {
    const out = await attempt(what ?? `registering a revision of task family ${input.family}`, () =>
      this.client.send(new RegisterTaskDefinitionCommand(input)),
    );
    const arn = out.taskDefinition?.taskDefinitionArn;
    if (!arn) throw new ReleaseFailedError(`RegisterTaskDefinition returned no ARN for ${input.family}`);
    return arn;
  }

  async updateService(input: UpdateServiceCommandInput, what: string): Promise<Service | undefined> {
    const out = await attempt(what, () => this.client.send(new UpdateServiceCommand(input)));
    return out.service;
  }

  /** Points the service at a revision. */
  async deploy(cluster: string, service: string, taskDefinition: string, what: string): Promise<void> {
    await this.updateService({ cluster, service, taskDefinition }, what);
  }

  async createCluster(name: string, what = `creating cluster ${name}`): Promise<Cluster | undefined> {
    const out = await attempt(what, () => this.client.send(new CreateClusterCommand({ clusterName: name })));
    return out.cluster;
  }

  async createService(input: CreateServiceCommandInput, what?: string): Promise<Service | undefined> {
    const out = await attempt(what ?? `creating service ${input.serviceName}`, () =>
      this.client.send(new CreateServiceCommand(input)),
    );
    return out.service;
  }

  /** The cluster if it is ACTIVE. */
  async activeCluster(name: string): Promise<Cluster | undefined> {
    const out = await attempt(`describing cluster ${name}`, () =>
      this.client.send(new DescribeClustersCommand({ clusters: [name] })),
    );
    return out.clusters?.find((c) => c.status === 'ACTIVE');
  }

  async runTask(input: RunTaskCommandInput): Promise<RunTaskResult> {
    const out = await attempt(`running task ${input.taskDefinition} in cluster ${input.cluster}`, () =>
      this.client.send(new RunTaskCommand(input)),
    );
    const task = out.tasks?.[0];
    if (task?.taskArn) return { ok: true, task: { ...task, taskArn: task.taskArn } };
    const why = (out.failures ?? []).map((f) => `${f.arn ?? ''} ${f.reason ?? ''} ${f.detail ?? ''}`.trim());
    return { ok: false, reason: why.join('; ') || 'no failure given' };
  }

  /** The task, and ECS's reasons when it has none. */
  async task(cluster: string, taskArn: string): Promise<{ task: Task | undefined; failures: string[] }> {
    const out = await attempt(`describing task ${taskArn} in cluster ${cluster}`, () =>
      this.client.send(new DescribeTasksCommand({ cluster, tasks: [taskArn] })),
    );
    return { task: out.tasks?.[0], failures: (out.failures ?? []).map((f) => f.reason ?? '') };
  }

  /**
   * The tasks `startedBy` marks, running or stopped (ECS lists a stopped task for at least an
   * hour: https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ListTasks.html). How a
   * run whose RunTask reply was lost, or which was killed before recording it, finds its task.
   */
  async tasksStartedBy(cluster: string, startedBy: string): Promise<Task[]> {
    const arns = (
      await Promise.all(
        (['RUNNING', 'STOPPED'] as const).map((desiredStatus) =>
          attempt(`listing tasks started by ${startedBy} in cluster ${cluster}`, () =>
            this.client.send(new ListTasksCommand({ cluster, startedBy, desiredStatus })),
          ),
        ),
      )
    ).flatMap((out) => out.taskArns ?? []);
    if (arns.length === 0) return [];
    const out = await attempt(`describing tasks started by ${startedBy} in cluster ${cluster}`, () =>
      this.client.send(new DescribeTasksCommand({ cluster, tasks: arns })),
    );
    return out.tasks ?? [];
  }

  /**
   * The service's newest service deployments, newest first (ListServiceDeployments, maxResults
   * 1–100: https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ListServiceDeployments.html),
   * described in full (DescribeServiceDeployments, at most 20 ARNs a call:
   * API_DescribeServiceDeployments.html). `limit` is bounded to 20 so one describe answers it.
   */
  async serviceDeployments(cluster: string, service: string, limit = 5): Promise<ServiceDeployment[]> {
    const max = Math.min(20, Math.max(1, Math.floor(limit)));
    const listed = await attempt(`listing the service deployments of ${service} in cluster ${cluster}`, () =>
      this.client.send(new ListServiceDeploymentsCommand({ cluster, service, maxResults: max })),
    );
    const arns = (listed.serviceDeployments ?? []).flatMap((d) =>
      d.serviceDeploymentArn ? [d.serviceDeploymentArn] : [],
    );
    if (arns.length === 0) return [];
    const described = await this.describeServiceDeployments(arns);
    // Describe does not promise the order it was asked in; keep List's (newest first).
    return arns.flatMap((a) => described.filter((d) => d.serviceDeploymentArn === a));
  }

  /** One service deployment as ECS describes it now; undefined when ECS reports it missing. */
  async serviceDeployment(arn: string): Promise<ServiceDeployment | undefined> {
    return (await this.describeServiceDeployments([arn]))[0];
  }

  private async describeServiceDeployments(arns: string[]): Promise<ServiceDeployment[]> {
    const out = await attempt(`describing service deployment${arns.length === 1 ? ` ${arns[0]}` : 's'}`, () =>
      this.client.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: arns })),
    );
    return out.serviceDeployments ?? [];
  }

  /**
   * Lets a deployment held by a PAUSE lifecycle hook go on (ContinueServiceDeployment with the
   * hook's id from DescribeServiceDeployments' lifecycleHookDetails, action CONTINUE:
   * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContinueServiceDeployment.html).
   */
  async continueDeployment(arn: string, hookId: string): Promise<void> {
    await attempt(`continuing service deployment ${arn} (lifecycle hook ${hookId})`, () =>
      this.client.send(
        new ContinueServiceDeploymentCommand({ serviceDeploymentArn: arn, hookId, action: 'CONTINUE' }),
      ),
    );
  }

  /**
   * Rolls an in-flight deployment back (StopServiceDeployment, stopType ROLLBACK: "the valid
   * values are ROLLBACK", https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_StopServiceDeployment.html).
   */
  async stopDeployment(arn: string): Promise<void> {
    await attempt(`stopping service deployment ${arn} with ROLLBACK`, () =>
      this.client.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType: 'ROLLBACK' })),
    );
  }

  /** Waits for the service to run `taskDefinitionArn` steadily, or for the rollout to fail. */
  async waitForSteadyState(
    cluster: string,
    service: string,
    taskDefinitionArn: string,
    opts: WaitOptions,
  ): Promise<WaitResult> {
    const seen = await pollUntil<WaitResult, string>(opts.clock, async (elapsedMs) => {
      const s = await this.service(cluster, service);
      if (!s || s.status === 'INACTIVE' || s.status === 'DRAINING') {
        return { done: { ok: false, reason: `service ${service} is ${s?.status ?? 'missing'}`, elapsedMs } };
      }
      const deployments = s.deployments ?? [];
      const primary = deployments.find((d) => d.status === 'PRIMARY');
      const rolloutState = primary?.rolloutState ?? 'UNKNOWN';
      const running = s.runningCount ?? 0;
      const desired = s.desiredCount ?? 0;
      const picture = `running ${running}/${desired}, ${deployments.length} deployment${deployments.length === 1 ? '' : 's'}, rollout ${rolloutState}`;
      opts.progress(elapsedMs, picture);
      if (rolloutState === 'FAILED') {
        const reason = `rollout FAILED: ${primary?.rolloutStateReason ?? 'no reason given'}`;
        return { done: { ok: false, reason, elapsedMs } };
      }
      if (s.taskDefinition !== taskDefinitionArn) {
        const reason = `the service moved to ${s.taskDefinition} while we waited (circuit breaker rollback or another deployment)`;
        return { done: { ok: false, reason, elapsedMs } };
      }
      if (deployments.length === 1 && running === desired) return { done: { ok: true, elapsedMs } };
      return {
        pending: `running ${running}/${desired}, ${deployments.length} deployments, rollout ${rolloutState}`,
      };
    });
    if ('done' in seen) return seen.done;
    return {
      ok: false,
      reason: `timed out after ${Math.round(seen.elapsedMs / 1000)} s (${seen.pending})`,
      elapsedMs: seen.elapsedMs,
    };
  }

  /** Waits for the task to be STOPPED; undefined when it is not by the timeout. */
  async waitForTaskStop(cluster: string, taskArn: string, opts: WaitOptions): Promise<Task | undefined> {
    const seen = await pollUntil<Task, null>(opts.clock, async (elapsedMs) => {
      const { task, failures } = await this.task(cluster, taskArn);
      if (!task) {
        const why = failures.join('; ');
        throw new ReleaseFailedError(`ECS no longer knows task ${taskArn}${why ? `: ${why}` : ''}`);
      }
      opts.progress(elapsedMs, `task ${task.lastStatus ?? 'UNKNOWN'}`);
      return task.lastStatus === 'STOPPED' ? { done: task } : { pending: null };
    });
    return 'done' in seen ? seen.done : undefined;
  }
}
