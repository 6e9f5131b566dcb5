/**
 * Credentials that expire part-way through a command (issue 21): AWS answers ExpiredToken /
 * ExpiredTokenException, "The security token included in the request is expired"
 * (https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html,
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/CommonErrors.html). Before a release
 * has written anything, that is configuration: exit 2 and the one line of cli/credentials.test.ts.
 * After its write-ahead record the run may have changed what runs, so exit 2's "nothing changed"
 * would be untrue: exit 1, the same advice, and the record kept, open, for the next command to
 * settle. ECS, ECR and S3 are mocked at the client (aws-sdk-client-mock); the ledger is the
 * in-memory bucket of test/support/memory-s3.ts.
 */
import { DescribeImagesCommand, DescribeRepositoriesCommand, ECRClient } from '@aws-sdk/client-ecr';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
} from '@aws-sdk/client-ecs';
import { SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { expect } from 'chai';
import { loadPlatform } from '../services/config';
import { awsError, memoryS3, type MemoryS3 } from '../test/support/memory-s3';
import { fakeReleaseClients } from '../test/support/release-clients';
import { credentialsErrorOf } from '../pipelines/release/errors';
import type { ReleaseDeps } from '../pipelines/release/saga/context';
import { runTask } from '../pipelines/release/strategies/ecs-task-run';
import { ExitCode, exitCodeOf } from './exit-codes';

const URI = '123456789012.dkr.ecr.eu-west-2.amazonaws.com/consignment-api-data';
const DIGEST = `sha256:${'7'.repeat(64)}`;
const TD = 'arn:aws:ecs:eu-west-2:222222222222:task-definition/consignment-api-data-intg:2';
const TASK_ARN = 'arn:aws:ecs:eu-west-2:222222222222:task/consignment-api-data_intg/abc';
const EXPIRED = 'The security token included in the request is expired';
const HINTS = ['AWS_PROFILE', 'aws sso login', 'AWS_ACCESS_KEY_ID', 'AWS_ENDPOINT_URL'];

/** From now on every S3 call is refused as AWS refuses an expired session (S3's ExpiredToken). */
function expireS3(s3: MemoryS3): void {
  const refused = awsError('ExpiredToken', 400, EXPIRED);
  s3.mock.on(PutObjectCommand).rejects(refused);
  s3.mock.on(GetObjectCommand).rejects(refused);
  s3.mock.on(DeleteObjectCommand).rejects(refused);
  s3.mock.on(ListObjectsV2Command).rejects(refused);
}

/**
 * A one-off task run whose credentials expire at the ECS call `expireAt` (the ECR look-up, before
 * anything is written, or DescribeTasks, after RunTask): from there on ECS, ECR and S3 refuse.
 */
function world(expireAt: 'DescribeRepositories' | 'DescribeTasks') {
  const s3 = memoryS3();
  const ecsClient = new ECSClient({ region: 'eu-west-2' });
  const ecs = mockClient(ecsClient);
  const ecrClient = new ECRClient({ region: 'eu-west-2' });
  const ecr = mockClient(ecrClient);
  const expired = (name: string) => () => {
    expireS3(s3);
    throw awsError(name, 400, EXPIRED);
  };
  if (expireAt === 'DescribeRepositories')
    ecr.on(DescribeRepositoriesCommand).callsFake(expired('ExpiredTokenException'));
  else ecr.on(DescribeRepositoriesCommand).resolves({ repositories: [{ repositoryUri: URI }] });
  ecr.on(DescribeImagesCommand).resolves({ imageDetails: [{ imageDigest: DIGEST }] });
  ecs.on(DescribeTaskDefinitionCommand).callsFake((input: { taskDefinition: string }) => ({
    taskDefinition: {
      taskDefinitionArn: TD,
      family: input.taskDefinition,
      revision: 1,
      status: 'ACTIVE',
      networkMode: 'bridge',
      containerDefinitions: [
        { name: 'consignment-api-data', image: `${URI}@sha256:${'1'.repeat(64)}`, essential: true },
      ],
    },
  }));
  ecs.on(DescribeServicesCommand).resolves({ services: [] });
  ecs.on(RegisterTaskDefinitionCommand).resolves({ taskDefinition: { taskDefinitionArn: TD } });
  ecs
    .on(RunTaskCommand)
    .resolves({ tasks: [{ taskArn: TASK_ARN, lastStatus: 'PROVISIONING' }], failures: [] });
  // An error of a service whose name for it is neither of the two: AWS's words are enough.
  ecs.on(DescribeTasksCommand).callsFake(expired('UnrecognizedClientException'));
  const clients = fakeReleaseClients({
    ecs: ecsClient,
    ecr: ecrClient,
    s3: s3.client,
    ssm: new SSMClient({}),
  });
  const clock = { t: Date.parse('2026-11-25T10:00:00Z') };
  const logs: string[] = [];
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
    newRunId: () => 'run-1',
  };
  return { deps, s3, ecs, logs };
}

async function thrown(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected the task run to throw');
}

/** What cli/main.ts prints and exits with for an error (its catch, in the same two steps). */
function shown(err: unknown): { line: string; code: number } {
  const e = credentialsErrorOf(err) ?? err;
  return { line: e instanceof Error ? e.message : String(e), code: exitCodeOf(e) };
}

const request = { task: 'consignment-api-data', env: 'intg', version: 'v5', actor: 'jenkins' } as const;

describe('credentials that expire during a command', () => {
  it('before anything is written: exit 2, one line of what to do, no record, no lease', async () => {
    const w = world('DescribeRepositories');
    const { line, code } = shown(await thrown(runTask(w.deps, request)));
    expect(code).to.equal(ExitCode.invalidInput);
    expect(line).to.match(/^AWS credentials are missing or expired \(ExpiredTokenException: /);
    expect(line.split('\n')).to.have.length(1);
    for (const hint of HINTS) expect(line, hint).to.contain(hint);
    expect([...w.s3.objects.keys()]).to.deep.equal([]);
    expect(w.ecs.commandCalls(RunTaskCommand)).to.have.length(0);
  });

  it('after the write-ahead: exit 1, the same advice, the record kept open for the next command', async () => {
    const w = world('DescribeTasks');
    const err = await thrown(runTask(w.deps, request));
    const { line, code } = shown(err);
    expect(code, line).to.equal(ExitCode.failed);
    expect(line).to.match(
      /^AWS credentials expired during the run \(UnrecognizedClientException: The security token included in the request is expired\): ledger #1 is left open/,
    );
    expect(line.split('\n')).to.have.length(1);
    for (const hint of HINTS) expect(line, hint).to.contain(hint);
    // The task was started, and the ledger still says so: `started` and, once ECS took the task,
    // `running` are kept, with no outcome written after them, and the lease (not releasable
    // without credentials) is left to expire.
    expect(w.ecs.commandCalls(RunTaskCommand)).to.have.length(1);
    const records = [...w.s3.objects.entries()].filter(([k]) => k.startsWith('records/'));
    expect(records.map(([, o]) => (JSON.parse(o.body) as { outcome: string }).outcome)).to.deep.equal([
      'started',
      'running',
    ]);
    expect(w.s3.objects.has('leases/consignment-api-data/intg.json')).to.equal(true);
    expect(w.logs.join('\n')).to.contain('could not release the lease');
  });
});
