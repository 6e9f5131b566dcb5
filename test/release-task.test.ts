/**
 * `tdr task run` against moto: the whole run, RunTask and the ledger. moto walks a task through
 * its lifecycle to STOPPED as it is described, and reports every container's exit code as 0: it
 * cannot make a container exit non-zero or a task fail to start, so those are unit-tested with ECS
 * mocked (pipelines/release/strategies/ecs-task-run.test.ts).
 */
import { DescribeTaskDefinitionCommand, DescribeTasksCommand, ListTasksCommand } from '@aws-sdk/client-ecs';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { expect } from 'chai';
import { naming } from '../services/naming';
import { motoServer } from './support/hooks';
import { startProxy } from './support/proxy';
import { ecsIn, sandboxUp, tdr } from './support/release';

type Env = Record<string, string | undefined>;

const CONSIGNMENT = '0b6e3c8a-2f4d-4a1b-9c7e-5d3f2a1b0c9e';
const INPUT = `consignmentId=${CONSIGNMENT}`;

async function historyJson(env: Env, task: string, e: string): Promise<Array<Record<string, unknown>>> {
  return JSON.parse(
    (await tdr(['history', '--service', task, '--env', e, '-o', 'json'], env)).stdout,
  ) as Array<Record<string, unknown>>;
}

describe('tdr task run (moto)', () => {
  it('registers a digest-pinned revision, runs it on Fargate, and records started and running', async () => {
    const env = await sandboxUp();
    const ecs = await ecsIn('intg');
    const family = naming.taskFamily('consignment-api-data', 'intg');
    const before = (await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: family })))
      .taskDefinition;

    const r = await tdr(
      [
        'task',
        'run',
        '--task',
        'consignment-api-data',
        '--env',
        'intg',
        '--version',
        'v2',
        '--actor',
        'jenkins',
        '--build-url',
        'https://jenkins.example/job/run-task/7/',
        '--no-wait',
        '-o',
        'json',
      ],
      env,
    );
    const result = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(result).to.include({
      outcome: 'running',
      version: 'v2',
      taskDefinitionBefore: before?.taskDefinitionArn,
    });
    expect(result.digest).to.match(/^sha256:[0-9a-f]{64}$/);

    const after = (await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: family })))
      .taskDefinition;
    expect(after?.revision).to.equal((before?.revision ?? 0) + 1);
    expect(after?.taskDefinitionArn).to.equal(result.taskDefinition);
    const image = after?.containerDefinitions?.[0]?.image ?? '';
    expect(image).to.match(/\/consignment-api-data@sha256:[0-9a-f]{64}$/);
    expect(image.endsWith(`@${String(result.digest)}`)).to.equal(true);
    // Identical to the current revision except the image.
    expect({ ...after?.containerDefinitions?.[0], image: '' }).to.deep.equal({
      ...before?.containerDefinitions?.[0],
      image: '',
    });
    expect([after?.cpu, after?.memory, after?.taskRoleArn]).to.deep.equal([
      before?.cpu,
      before?.memory,
      before?.taskRoleArn,
    ]);

    const tasks = await ecs.send(
      new DescribeTasksCommand({
        cluster: naming.cluster('consignment-api-data', 'intg'),
        tasks: [String(result.taskArn)],
      }),
    );
    expect(tasks.tasks?.[0]?.taskDefinitionArn).to.equal(after?.taskDefinitionArn);
    expect(tasks.tasks?.[0]?.launchType).to.equal('FARGATE');

    const history = await historyJson(env, 'consignment-api-data', 'intg');
    // Marked with the run (the ledger's runId) and who ran it: how a run whose RunTask reply was
    // lost, or that was killed before recording the task, finds it (ListTasks by startedBy).
    const mark = `tdr-${String(history[0]?.runId)}/jenkins`;
    expect(tasks.tasks?.[0]?.startedBy).to.equal(mark);
    const marked = await ecs.send(
      new ListTasksCommand({ cluster: naming.cluster('consignment-api-data', 'intg'), startedBy: mark }),
    );
    expect(marked.taskArns).to.deep.equal([result.taskArn]);
    expect(history.map((h) => [h.seq, h.kind, h.action, h.outcome])).to.deep.equal([
      [2, 'task', 'task-run', 'running'],
      [1, 'task', 'task-run', 'started'],
    ]);
    expect(history[0]).to.include({
      taskArn: result.taskArn,
      taskDefinition: after?.taskDefinitionArn,
      actor: 'jenkins',
      buildUrl: 'https://jenkins.example/job/run-task/7/',
      digest: result.digest,
    });
    expect(history[1]).to.include({ taskArn: null, runId: history[0]?.runId });
    const table = await tdr(['history', '--service', 'consignment-api-data', '--env', 'intg'], env);
    expect(table.stdout).to.contain('task-run').and.contain('running');

    // The lease was given back.
    const s3 = new S3Client({ forcePathStyle: true });
    const leases = await s3.send(
      new ListObjectsV2Command({ Bucket: naming.ledgerBucket(), Prefix: 'leases/' }),
    );
    expect(leases.Contents ?? []).to.deep.equal([]);
    const first = await s3.send(
      new GetObjectCommand({
        Bucket: naming.ledgerBucket(),
        Key: 'records/consignment-api-data/intg/0000000001.json',
      }),
    );
    expect(JSON.parse(await first.Body!.transformToString())).to.include({ outcome: 'started' });
  });

  it('--dry-run shows the image change and changes nothing', async () => {
    const env = await sandboxUp();
    const r = await tdr(
      ['task', 'run', '--task', 'keycloak-update', '--env', 'staging', '--version', 'v3', '--dry-run'],
      env,
    );
    expect(r.stdout).to.contain('task-run keycloak-update v3 in staging: planned');
    expect(r.stdout).to.match(/- containerDefinitions\[0\]\.image: .*keycloak-update@sha256/);
    expect(await historyJson(env, 'keycloak-update', 'staging')).to.deep.equal([]);
  });

  it('refuses bad input with exit 2 before any AWS call, and a family infra never created with exit 1', async () => {
    // No sandbox: any AWS call would fail differently (exit 1).
    const env: Env = { ...process.env, TDR_ACCOUNT_IDS: undefined, USER: 'tester' };
    const unknown = await tdr(
      ['task', 'run', '--task', 'frontend', '--env', 'intg', '--version', 'v1'],
      env,
      2,
    );
    expect(unknown.stderr).to.contain('consignment-export, consignment-api-data, keycloak-update');
    const bad = await tdr(
      ['task', 'run', '--task', 'keycloak-update', '--env', 'intg', '--version', '42'],
      env,
      2,
    );
    expect(bad.stderr).to.contain('is not a version; expected a release version (v followed by digits');
    const badEnv = await tdr(
      ['task', 'run', '--task', 'keycloak-update', '--env', 'sbox', '--version', 'v1'],
      env,
      2,
    );
    expect(badEnv.stderr).to.contain('intg');

    const sandbox = await sandboxUp();
    const ecs = await ecsIn('prod');
    const { DeregisterTaskDefinitionCommand } = await import('@aws-sdk/client-ecs');
    const family = naming.taskFamily('consignment-export', 'prod');
    const td = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: family }));
    await ecs.send(
      new DeregisterTaskDefinitionCommand({ taskDefinition: td.taskDefinition?.taskDefinitionArn }),
    );
    const missing = await tdr(
      ['task', 'run', '--task', 'consignment-export', '--env', 'prod', '--version', 'v1', '--input', INPUT],
      sandbox,
      1,
    );
    expect(missing.stderr).to.contain(
      `task family ${family} has no revision in prod: infra must create it first`,
    );
    expect(await historyJson(sandbox, 'consignment-export', 'prod')).to.deep.equal([]);
  });

  it('a second run while the first one’s task still runs exits 4, naming it', async () => {
    const env = await sandboxUp();
    const argv = ['task', 'run', '--task', 'keycloak-update', '--env', 'intg', '--version', 'v1'];
    const first = await tdr([...argv, '--no-wait', '-o', 'json'], env);
    const { taskArn } = JSON.parse(first.stdout) as { taskArn: string };
    const second = await tdr(argv, env, 4);
    // moto moves a task one lifecycle step towards STOPPED each time it is described.
    expect(second.stderr).to.match(new RegExp(`its task ${taskArn} is still (RUNNING|DEACTIVATING)`));
    expect((await historyJson(env, 'keycloak-update', 'intg')).map((h) => h.outcome)).to.deep.equal([
      'running',
      'started',
    ]);
  });

  it('waits until the task STOPPED and records its exit code: exit 0, succeeded', async () => {
    const env = await sandboxUp();
    const r = await tdr(
      [
        'task',
        'run',
        '--task',
        'consignment-export',
        '--env',
        'staging',
        '--version',
        'v3',
        '--input',
        INPUT,
      ],
      env,
    );
    expect(r.stdout).to.contain('task-run consignment-export v3 in staging: succeeded');
    expect(r.stdout).to.contain('exit code: 0');
    expect(r.stderr).to.contain('task STOPPED');
    const history = await historyJson(env, 'consignment-export', 'staging');
    expect(history.map((h) => [h.seq, h.outcome, h.exitCode])).to.deep.equal([
      [3, 'succeeded', 0],
      [2, 'running', null],
      [1, 'started', null],
    ]);
    expect(history[0]?.finishedAt).to.be.a('string');
  });

  it('--input reaches the container as its environment and the ledger; a bad one exits 2 with no AWS call', async () => {
    const env = await sandboxUp();
    const proxy = await startProxy(motoServer().endpoint);
    try {
      const counted = { ...env, AWS_ENDPOINT_URL: proxy.endpoint };
      const argv = ['task', 'run', '--task', 'consignment-export', '--env', 'intg', '--version', 'v1'];
      const malformed = await tdr([...argv, '--input', 'consignmentId=not-a-uuid'], counted, 2);
      expect(malformed.stderr).to.contain('consignmentId "not-a-uuid" does not match');
      const undeclared = await tdr([...argv, '--input', INPUT, '--input', 'bucket=x'], counted, 2);
      expect(undeclared.stderr).to.contain(
        'bucket is not an input of consignment-export: it takes consignmentId',
      );
      expect(proxy.requests()).to.equal(0);

      const r = await tdr([...argv, '--input', INPUT, '--no-wait', '-o', 'json'], counted);
      const { taskArn, inputs } = JSON.parse(r.stdout) as { taskArn: string; inputs: unknown };
      expect(inputs).to.deep.equal({ consignmentId: CONSIGNMENT });
      const ecs = await ecsIn('intg');
      const tasks = await ecs.send(
        new DescribeTasksCommand({ cluster: naming.cluster('consignment-export', 'intg'), tasks: [taskArn] }),
      );
      expect(tasks.tasks?.[0]?.overrides?.containerOverrides).to.deep.equal([
        {
          name: naming.containerName('consignment-export'),
          environment: [{ name: 'CONSIGNMENT_ID', value: CONSIGNMENT }],
        },
      ]);
      const history = await historyJson(env, 'consignment-export', 'intg');
      expect(history.map((h) => h.inputs)).to.deep.equal([
        { consignmentId: CONSIGNMENT },
        { consignmentId: CONSIGNMENT },
      ]);
      const table = await tdr(['history', '--service', 'consignment-export', '--env', 'intg'], env);
      expect(table.stdout).to.contain(INPUT);
    } finally {
      await proxy.close();
    }
  });
});
