/**
 * `tdr task run` with ECS mocked at the client (aws-sdk-client-mock). moto cannot make a task stop
 * with a chosen exit code (it walks every task to STOPPED with exit code 0), so a task that exits
 * non-zero, one that never starts, and the timeout can only be tested here.
 * S3 is the in-memory bucket of test/support/memory-s3.ts; the moto happy path up to RunTask is in
 * test/release-task.test.ts.
 */
import { DescribeImagesCommand, DescribeRepositoriesCommand, ECRClient } from '@aws-sdk/client-ecr';
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ListTasksCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  type Task,
} from '@aws-sdk/client-ecs';
import { SSMClient } from '@aws-sdk/client-ssm';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { expect } from 'chai';
import { loadPlatform } from '../../../services/config';
import { memoryS3, type MemoryS3 } from '../../../test/support/memory-s3';
import { fakeReleaseClients } from '../../../test/support/release-clients';
import { PlatformError } from '../../../services/errors';
import type { ReleaseDeps } from '../saga/context';
import type { TaskRunRecord } from '../ledger/ledger';
import type { Finished } from '../saga/saga';
import { runTask, startedBy, type TaskRunRequest, type TaskRunResult } from './ecs-task-run';

const URI = '123456789012.dkr.ecr.eu-west-2.amazonaws.com/consignment-api-data';
const DIGEST = `sha256:${'7'.repeat(64)}`;
const TD = (n: number) => `arn:aws:ecs:eu-west-2:222222222222:task-definition/consignment-api-data-intg:${n}`;
const CONSIGNMENT = '6f1c2b3a-4d5e-4f60-8a7b-9c0d1e2f3a4b';
const TASK_ARN = 'arn:aws:ecs:eu-west-2:222222222222:task/consignment-api-data_intg/abc';

interface World {
  deps: ReleaseDeps;
  s3: MemoryS3;
  ecs: AwsClientStub<ECSClient>;
  logs: string[];
}

/** `polls` DescribeTasks answers, the last repeated: what ECS says about the task over time. */
function world(
  answers: ReadonlyArray<Partial<Task>>,
  opts: { networkMode?: 'awsvpc' | 'bridge'; serviceNetwork?: Record<string, string[]> } = {},
): World {
  const s3 = memoryS3();
  const ecsClient = new ECSClient({ region: 'eu-west-2' });
  const ecs = mockClient(ecsClient);
  const ecrClient = new ECRClient({ region: 'eu-west-2' });
  const ecr = mockClient(ecrClient);
  ecr.on(DescribeRepositoriesCommand).resolves({ repositories: [{ repositoryUri: URI }] });
  ecr.on(DescribeImagesCommand).callsFake((input: { imageIds: Array<{ imageTag?: string }> }) => {
    if (input.imageIds[0]?.imageTag !== 'v5')
      throw Object.assign(new Error('not found'), { name: 'ImageNotFoundException' });
    return { imageDetails: [{ imageDigest: DIGEST }] };
  });
  ecs.on(DescribeTaskDefinitionCommand).callsFake((input: { taskDefinition: string }) => ({
    taskDefinition: {
      taskDefinitionArn: TD(1),
      family: input.taskDefinition,
      revision: 1,
      status: 'ACTIVE',
      networkMode: opts.networkMode ?? 'bridge',
      cpu: '512',
      memory: '1024',
      containerDefinitions: [
        {
          name: input.taskDefinition.replace(/-intg$/, ''),
          image: `${URI}@sha256:${'1'.repeat(64)}`,
          essential: true,
        },
      ],
    },
  }));
  ecs.on(DescribeServicesCommand).callsFake((input: { services: string[] }) => {
    const name = input.services[0] ?? '';
    const subnets = opts.serviceNetwork?.[name];
    return {
      services: [
        {
          serviceName: name,
          status: 'ACTIVE',
          ...(subnets
            ? {
                networkConfiguration: {
                  awsvpcConfiguration: {
                    subnets,
                    securityGroups: [`sg-${name}`],
                    assignPublicIp: 'DISABLED',
                  },
                },
              }
            : {}),
        },
      ],
    };
  });
  ecs.on(RegisterTaskDefinitionCommand).resolves({ taskDefinition: { taskDefinitionArn: TD(2) } });
  ecs
    .on(RunTaskCommand)
    .resolves({ tasks: [{ taskArn: TASK_ARN, lastStatus: 'PROVISIONING' }], failures: [] });
  let polls = 0;
  ecs.on(DescribeTasksCommand).callsFake(() => {
    const answer = answers[Math.min(polls++, answers.length - 1)] ?? {};
    return { tasks: [{ taskArn: TASK_ARN, ...answer }], failures: [] };
  });
  const ssm = new SSMClient({ region: 'eu-west-2' });
  const clients = fakeReleaseClients({ ecs: ecsClient, ecr: ecrClient, s3: s3.client, ssm });
  const clock = { t: Date.parse('2026-11-25T10:00:00Z') };
  const logs: string[] = [];
  let runs = 0;
  const deps: ReleaseDeps = {
    clients,
    platform: loadPlatform({}),
    now: () => new Date(clock.t),
    sleep: async (ms) => void (clock.t += ms),
    log: (l) => logs.push(l),
    notifier: {},
    pollMs: 5_000,
    timeoutMs: 60_000,
    leaseTtlMs: 600_000,
    newRunId: () => `run-${++runs}`,
  };
  return { deps, s3, ecs, logs };
}

function ledger(w: World, task = 'consignment-api-data'): TaskRunRecord[] {
  return [...w.s3.objects.entries()]
    .filter(([k]) => k.startsWith(`records/${task}/intg/`))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([, o]) => JSON.parse(o.body) as TaskRunRecord);
}

const request = (extra: Partial<TaskRunRequest> = {}): TaskRunRequest => ({
  task: 'consignment-api-data',
  env: 'intg',
  version: 'v5',
  actor: 'jenkins',
  buildUrl: 'https://jenkins.example/job/run-task/3/',
  ...extra,
});

/** A run that went through and did not succeed: its result, and why (the CLI exits 1 on it). */
async function failed(
  p: Promise<Finished<TaskRunResult>>,
): Promise<{ result: TaskRunResult; failure: string }> {
  const { result, failure } = await p;
  if (failure === null) throw new Error(`expected the task run to fail, it ended ${result.outcome}`);
  return { result, failure };
}

/** A run refused or stopped before it went through: the typed error, with its kind. */
async function thrown(p: Promise<unknown>): Promise<PlatformError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof PlatformError) return err;
    throw err;
  }
  throw new Error('expected the task run to throw');
}

async function succeeded(p: Promise<Finished<TaskRunResult>>): Promise<TaskRunResult> {
  const { result, failure } = await p;
  expect(failure).to.equal(null);
  return result;
}

const RUNNING: Partial<Task> = { lastStatus: 'RUNNING' };
const stoppedWith = (exitCode: number, container = 'consignment-api-data'): Partial<Task> => ({
  lastStatus: 'STOPPED',
  stopCode: 'EssentialContainerExited',
  stoppedReason: 'Essential container in task exited',
  containers: [{ name: container, exitCode }],
});

describe('runTask (one-off task, ECS mocked)', () => {
  it('succeeds when the essential container exits 0: started, running, succeeded; the digest pinned', async () => {
    const w = world([RUNNING, RUNNING, stoppedWith(0)]);
    const r = await succeeded(runTask(w.deps, request()));
    expect(r).to.include({ outcome: 'succeeded', exitCode: 0, taskArn: TASK_ARN, taskDefinition: TD(2) });
    const registered = w.ecs.commandCalls(RegisterTaskDefinitionCommand)[0]?.args[0].input;
    expect(registered?.family).to.equal('consignment-api-data-intg');
    expect(registered?.containerDefinitions?.[0]?.image).to.equal(`${URI}@${DIGEST}`);
    expect(w.ecs.commandCalls(RunTaskCommand)[0]?.args[0].input).to.include({
      cluster: 'consignment-api-data_intg',
      taskDefinition: TD(2),
      launchType: 'FARGATE',
      startedBy: 'tdr-run-1/jenkins',
    });
    expect(ledger(w).map((rec) => [rec.seq, rec.action, rec.outcome, rec.exitCode])).to.deep.equal([
      [1, 'task-run', 'started', null],
      [2, 'task-run', 'running', null],
      [3, 'task-run', 'succeeded', 0],
    ]);
    expect(w.s3.objects.has('leases/consignment-api-data/intg.json')).to.equal(false);
  });

  it('a container that exits non-zero fails the run (exit 1) with its exit code and stop reason recorded', async () => {
    const w = world([RUNNING, stoppedWith(3)]);
    const run = await failed(runTask(w.deps, request()));
    expect(run.failure).to.contain('container consignment-api-data exited 3');
    expect(run.result).to.include({ outcome: 'failed', exitCode: 3 });
    const last = ledger(w).at(-1);
    expect(last).to.include({
      outcome: 'failed',
      exitCode: 3,
      stopCode: 'EssentialContainerExited',
      stopReason: 'Essential container in task exited',
      taskArn: TASK_ARN,
      buildUrl: 'https://jenkins.example/job/run-task/3/',
      actor: 'jenkins',
    });
    expect(last?.finishedAt).to.be.a('string');
    expect(w.s3.objects.has('leases/consignment-api-data/intg.json')).to.equal(false);
  });

  it('a task that never starts fails with no exit code and ECS’s reason for it', async () => {
    const w = world([
      { lastStatus: 'PROVISIONING' },
      {
        lastStatus: 'STOPPED',
        stopCode: 'TaskFailedToStart',
        stoppedReason: 'CannotPullContainerError: pull image manifest has been retried 5 time(s)',
        containers: [{ name: 'consignment-api-data', reason: 'CannotPullContainerError' }],
      },
    ]);
    const run = await failed(runTask(w.deps, request()));
    expect(run.result.outcome).to.equal('failed');
    expect(run.failure).to.contain('never ran to an exit code (TaskFailedToStart: CannotPullContainerError');
    expect(ledger(w).at(-1)).to.include({
      outcome: 'failed',
      exitCode: null,
      stopCode: 'TaskFailedToStart',
      stopReason: 'CannotPullContainerError: pull image manifest has been retried 5 time(s)',
    });
  });

  it('gives up waiting at the timeout (exit 1) and leaves the run running for the next run to settle', async () => {
    const w = world([RUNNING]);
    const run = await failed(runTask(w.deps, request()));
    expect(run.failure).to.contain(
      `stopped waiting after 60 s; task ${TASK_ARN} is not STOPPED yet: ledger #2 stays running`,
    );
    expect(run.result.outcome).to.equal('running');
    expect(ledger(w).map((rec) => rec.outcome)).to.deep.equal(['started', 'running']);
    expect(w.s3.objects.has('leases/consignment-api-data/intg.json')).to.equal(false);
    expect(
      w.logs.some((l) => l.includes('waiting for the task to stop: 30 s elapsed, task RUNNING')),
    ).to.equal(true);
  });

  it('ECS placing no task is a failure recorded before anything waits', async () => {
    const w = world([RUNNING]);
    w.ecs.on(RunTaskCommand).resolves({ tasks: [], failures: [{ arn: TD(2), reason: 'RESOURCE:MEMORY' }] });
    const run = await failed(runTask(w.deps, request()));
    expect(run.result.outcome).to.equal('failed');
    expect(run.failure).to.contain('ECS placed no task').and.contain('RESOURCE:MEMORY');
    expect(ledger(w).map((rec) => rec.outcome)).to.deep.equal(['started', 'failed']);
    expect(w.ecs.commandCalls(DescribeTasksCommand)).to.have.length(0);
  });

  it('--no-wait returns once ECS accepted the task, the ledger saying running', async () => {
    const w = world([RUNNING]);
    const r = await succeeded(runTask(w.deps, request({ wait: false })));
    expect(r.outcome).to.equal('running');
    expect(ledger(w).at(-1)).to.include({ outcome: 'running', taskArn: TASK_ARN });
    expect(w.ecs.commandCalls(DescribeTasksCommand)).to.have.length(0);
  });

  it('an awsvpc task runs in the network of the service it belongs to, with no public IP', async () => {
    const w = world([stoppedWith(0)], {
      networkMode: 'awsvpc',
      serviceNetwork: {
        frontend_service_intg: ['subnet-front'],
        consignmentapi_service_intg: ['subnet-a', 'subnet-b'],
      },
    });
    await succeeded(runTask(w.deps, request()));
    expect(w.ecs.commandCalls(RunTaskCommand)[0]?.args[0].input.networkConfiguration).to.deep.equal({
      awsvpcConfiguration: {
        subnets: ['subnet-a', 'subnet-b'],
        securityGroups: ['sg-consignmentapi_service_intg'],
        assignPublicIp: 'DISABLED',
      },
    });
  });

  it('an awsvpc task with no matching service takes the first service that has a network', async () => {
    const w = world([stoppedWith(0, 'consignment-export')], {
      networkMode: 'awsvpc',
      serviceNetwork: { keycloak_service_intg: ['subnet-k'] },
    });
    const r = await succeeded(
      runTask(w.deps, request({ task: 'consignment-export', inputs: [`consignmentId=${CONSIGNMENT}`] })),
    );
    expect(r.network).to.equal('subnets and security groups of keycloak_service_intg, no public IP');
    expect(
      w.ecs.commandCalls(RunTaskCommand)[0]?.args[0].input.networkConfiguration?.awsvpcConfiguration?.subnets,
    ).to.deep.equal(['subnet-k']);
  });

  it('an awsvpc task with no service network to borrow fails before the lease and the ledger', async () => {
    const w = world([stoppedWith(0)], { networkMode: 'awsvpc' });
    const err = await thrown(runTask(w.deps, request()));
    expect(err.kind).to.equal('failed');
    expect(err.message).to.contain('no ECS service in intg has an awsvpc network configuration');
    expect(w.s3.objects.size).to.equal(0);
    expect(w.ecs.commandCalls(RunTaskCommand)).to.have.length(0);
  });

  it('refuses an unknown task and a bad version with exit 2 before any AWS call', async () => {
    const w = world([RUNNING]);
    const unknown = await thrown(runTask(w.deps, request({ task: 'frontend' })));
    expect(unknown.kind).to.equal('invalid');
    expect(unknown.message).to.equal(
      'task: unknown task "frontend"; valid: consignment-export, consignment-api-data, keycloak-update',
    );
    const bad = await thrown(runTask(w.deps, request({ version: 'latest' })));
    expect(bad.kind).to.equal('invalid');
    expect(bad.message).to.contain('version: "latest" is not a version');
    expect(w.ecs.calls()).to.have.length(0);
    expect(w.s3.objects.size).to.equal(0);
  });

  it('passes inputs as the container environment and records them', async () => {
    const w = world([stoppedWith(0, 'consignment-export')]);
    const r = await succeeded(
      runTask(w.deps, request({ task: 'consignment-export', inputs: [`consignmentId=${CONSIGNMENT}`] })),
    );
    expect(r.inputs).to.deep.equal({ consignmentId: CONSIGNMENT });
    expect(w.ecs.commandCalls(RunTaskCommand)[0]?.args[0].input.overrides).to.deep.equal({
      containerOverrides: [
        { name: 'consignment-export', environment: [{ name: 'CONSIGNMENT_ID', value: CONSIGNMENT }] },
      ],
    });
    expect(ledger(w, 'consignment-export').map((rec) => rec.inputs)).to.deep.equal([
      { consignmentId: CONSIGNMENT },
      { consignmentId: CONSIGNMENT },
      { consignmentId: CONSIGNMENT },
    ]);
  });

  it('a run without inputs carries no overrides and records none', async () => {
    const w = world([stoppedWith(0)]);
    await succeeded(runTask(w.deps, request()));
    expect(w.ecs.commandCalls(RunTaskCommand)[0]?.args[0].input.overrides).to.equal(undefined);
    expect(ledger(w).every((rec) => rec.inputs === undefined)).to.equal(true);
  });

  it('refuses a malformed or undeclared input with exit 2 before any AWS call', async () => {
    const w = world([RUNNING]);
    const bad = await thrown(
      runTask(w.deps, request({ task: 'consignment-export', inputs: ['consignmentId=not-a-uuid'] })),
    );
    expect(bad.kind).to.equal('invalid');
    expect(bad.message).to.contain('consignmentId "not-a-uuid" does not match');
    const undeclared = await thrown(runTask(w.deps, request({ inputs: ['bucket=x'] })));
    expect(undeclared.kind).to.equal('invalid');
    expect(undeclared.message).to.contain(
      'bucket is not an input of consignment-api-data: it takes no inputs',
    );
    expect(w.ecs.calls()).to.have.length(0);
    expect(w.s3.objects.size).to.equal(0);
  });

  it('a version missing from ECR is refused (exit 3, like deploy) before anything changes', async () => {
    const w = world([RUNNING]);
    const err = await thrown(runTask(w.deps, request({ version: 'v9' })));
    expect(err.kind).to.equal('refused');
    expect(err.message).to.contain('v9 does not exist in ECR repository consignment-api-data');
    expect(w.ecs.calls()).to.have.length(0);
  });

  it('settles a --no-wait run whose task has since stopped, then runs', async () => {
    const w = world([stoppedWith(2)]);
    await succeeded(runTask(w.deps, request({ wait: false })));
    const run = await failed(runTask(w.deps, request({ actor: 'ops' })));
    expect(run.failure).to.contain('exited 2');
    const records = ledger(w);
    expect(records.map((r) => [r.seq, r.runId, r.outcome, r.settles])).to.deep.equal([
      [1, 'run-1', 'started', null],
      [2, 'run-1', 'running', null],
      [3, 'run-1', 'failed', 2],
      [4, 'run-2', 'started', null],
      [5, 'run-2', 'running', null],
      [6, 'run-2', 'failed', null],
    ]);
    expect(records[2]?.detail).to.equal(
      'settled by ops: run run-1 (v5) left ledger #2 running; container consignment-api-data exited 2',
    );
    expect(records[2]).to.include({ exitCode: 2, taskArn: TASK_ARN, actor: 'jenkins' });
  });

  it('refuses with exit 4 while an earlier run’s task is still running, changing nothing', async () => {
    const w = world([RUNNING]);
    await succeeded(runTask(w.deps, request({ wait: false })));
    const err = await thrown(runTask(w.deps, request()));
    expect(err.kind).to.equal('conflict');
    expect(err.message).to.equal(
      `run run-1 (v5) left ledger #2 running: its task ${TASK_ARN} is still RUNNING`,
    );
    expect(ledger(w)).to.have.length(2);
    expect(w.ecs.commandCalls(RegisterTaskDefinitionCommand)).to.have.length(1);
    expect(w.s3.objects.has('leases/consignment-api-data/intg.json')).to.equal(false);
  });

  it('startedBy is what ECS accepts, whoever the actor is, and keeps the run id first', () => {
    expect(startedBy('Jane Doe <jane@example.org>', 'run-7')).to.equal(
      'tdr-run-7/Jane-Doe--jane-example-org-',
    );
    expect(startedBy('x'.repeat(200), 'run-7'))
      .to.have.length(128)
      .and.match(/^tdr-run-7\//);
  });

  it('RunTask whose reply was lost: the task the run started is found by its mark and waited for', async () => {
    const w = world([RUNNING, stoppedWith(0)]);
    w.ecs.on(RunTaskCommand).rejects(Object.assign(new Error('socket hang up'), { name: 'TimeoutError' }));
    w.ecs
      .on(ListTasksCommand, { startedBy: 'tdr-run-1/jenkins', desiredStatus: 'RUNNING' })
      .resolves({ taskArns: [TASK_ARN] });
    w.ecs.on(ListTasksCommand, { desiredStatus: 'STOPPED' }).resolves({ taskArns: [] });
    const r = await succeeded(runTask(w.deps, request()));
    expect(r).to.include({ outcome: 'succeeded', taskArn: TASK_ARN, exitCode: 0 });
    expect(ledger(w).map((rec) => [rec.outcome, rec.taskArn])).to.deep.equal([
      ['started', null],
      ['running', TASK_ARN],
      ['succeeded', TASK_ARN],
    ]);
  });

  it('RunTask lost and no task marked with the run: nothing ran; refused by ECS (4xx): nothing ran, no look', async () => {
    const lost = world([RUNNING]);
    lost.ecs.on(RunTaskCommand).rejects(Object.assign(new Error('socket hang up'), { name: 'TimeoutError' }));
    lost.ecs.on(ListTasksCommand).resolves({ taskArns: [] });
    const r = await runTask(lost.deps, request());
    expect(r.result).to.include({ outcome: 'failed', taskArn: null });
    expect(r.result.detail).to.match(/^nothing ran: .*ECS lists no task started by this run/);

    const refused = world([RUNNING]);
    refused.ecs.on(RunTaskCommand).rejects(
      Object.assign(new Error('bad subnet'), {
        name: 'InvalidParameterException',
        $metadata: { httpStatusCode: 400 },
      }),
    );
    expect((await runTask(refused.deps, request())).result.detail).to.match(/^nothing ran: .*bad subnet/);
    expect(refused.ecs.commandCalls(ListTasksCommand)).to.have.length(0);
  });

  it('a run killed between RunTask and recording its task is settled from the task its mark finds', async () => {
    const w = world([stoppedWith(3)]);
    // The first run loses RunTask's reply and cannot even list tasks: it stays open (`started`).
    w.ecs.on(RunTaskCommand).rejects(Object.assign(new Error('killed'), { name: 'TimeoutError' }));
    w.ecs.on(ListTasksCommand).rejects(new Error('no network either'));
    await thrown(runTask(w.deps, request()));
    expect(ledger(w).map((rec) => rec.outcome)).to.deep.equal(['started']);
    // Its task did start, and exited 3: the next run finds it by the first run's mark.
    w.ecs.on(RunTaskCommand).resolves({ tasks: [{ taskArn: TASK_ARN, lastStatus: 'PROVISIONING' }] });
    w.ecs.on(ListTasksCommand).resolves({ taskArns: [] });
    w.ecs
      .on(ListTasksCommand, { startedBy: 'tdr-run-1/jenkins', desiredStatus: 'STOPPED' })
      .resolves({ taskArns: [TASK_ARN] });
    await runTask(w.deps, request());
    expect(ledger(w).find((rec) => rec.settles === 1)).to.include({
      outcome: 'failed',
      exitCode: 3,
      runId: 'run-1',
    });
  });
});
