/**
 * `tdr verify` for a function with Lambda, Logs and S3 mocked at the client: each check's `[OK]`
 * and its `[NG]`, and that every check runs (or says why it was skipped) after an earlier failure.
 * The ledger and the code bucket share the in-memory bucket of test/support/memory-s3.ts.
 */
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { ECRClient } from '@aws-sdk/client-ecr';
import { ECSClient } from '@aws-sdk/client-ecs';
import {
  GetAliasCommand,
  GetFunctionConfigurationCommand,
  LambdaClient,
  type FunctionConfiguration,
} from '@aws-sdk/client-lambda';
import {
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
} from '@aws-sdk/client-s3';
import { SSMClient } from '@aws-sdk/client-ssm';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { expect } from 'chai';
import { loadPlatform } from '../../../services/config';
import { naming } from '../../../services/naming';
import { functionPackageFile, functions } from '../../../services/queries';
import { awsError, memoryS3, type MemoryS3 } from '../../../test/support/memory-s3';
import { fakeReleaseClients } from '../../../test/support/release-clients';
import { TEST_ACCOUNT_IDS } from '../../../test/support/accounts';
import { recordKey, type LedgerRecord } from '../ledger/ledger';
import type { VerifyCheck } from './verify';
import { verifyFunction } from './verify-function';

const platform = loadPlatform({});
// Any function will do: the first of the catalogue, whichever that is.
const first = functions(platform.catalogue)[0];
if (!first) throw new Error('the catalogue has no function');
const [FN, ENTRY] = first;
const ENV = 'intg';
const NAME = naming.functionName(FN, ENV);
const CODE = naming.backendCodeBucket();
const ROLE = naming.jenkinsEcsUpdateRole(ENV);
const FILE = functionPackageFile(ENTRY);
const key = (version: string) => naming.functionPackageKey(FN, version, FILE);
const SHA = {
  v1: 'MTExMTExMTExMTExMTExMTExMTExMTExMTExMTExMTE=',
  v2: 'MjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjI=',
};
const ORDER = [
  'role assumable',
  'ledger bucket',
  'code bucket',
  'package',
  'function',
  'live alias',
  'log group',
  'ledger record',
];

interface World {
  deps: Parameters<typeof verifyFunction>[0];
  s3: MemoryS3;
  lambda: AwsClientStub<LambdaClient>;
  logs: AwsClientStub<CloudWatchLogsClient>;
  /** The code bucket: key → the SHA-256 its upload recorded (undefined: none) and when. */
  packages: Map<string, { sha256: string | undefined; at: Date }>;
  fn: {
    config: FunctionConfiguration | undefined;
    alias: string | undefined;
    versions: Record<string, string>;
  };
  logGroups: Set<string>;
}

/** A healthy function in intg at version 1 (package v1), as `sandbox up` leaves it. */
function world(opts: { credentials?: () => Promise<never> } = {}): World {
  const s3 = memoryS3();
  const packages = new Map<string, { sha256: string | undefined; at: Date }>([
    [key('v1'), { sha256: SHA.v1, at: new Date('2026-11-01T10:00:00Z') }],
    [key('v2'), { sha256: SHA.v2, at: new Date('2026-11-02T10:00:00Z') }],
  ]);
  // Only the code bucket's calls: the ledger's go to the in-memory bucket underneath.
  s3.mock.on(HeadObjectCommand, { Bucket: CODE }).callsFake((input: { Key: string }) => {
    const p = packages.get(input.Key);
    if (!p) throw awsError('NotFound', 404);
    return { ChecksumSHA256: p.sha256, VersionId: 'object-version-1' };
  });
  s3.mock.on(ListObjectsV2Command, { Bucket: CODE }).callsFake((input: { Prefix?: string }) => ({
    Contents: [...packages]
      .filter(([k]) => k.startsWith(input.Prefix ?? ''))
      .map(([Key, p]) => ({ Key, LastModified: p.at })),
    IsTruncated: false,
  }));
  const credentials = opts.credentials ?? { accessKeyId: 'k', secretAccessKey: 's' };
  const lambdaClient = new LambdaClient({ region: 'eu-west-2', credentials });
  const lambda = mockClient(lambdaClient);
  const fn: World['fn'] = {
    config: {
      FunctionName: NAME,
      Runtime: ENTRY.runtime,
      Handler: ENTRY.handler,
      State: 'Active',
      LastUpdateStatus: 'Successful',
    },
    alias: '1',
    versions: { '1': SHA.v1 },
  };
  lambda.on(GetFunctionConfigurationCommand).callsFake((input: { Qualifier?: string }) => {
    if (!fn.config) throw awsError('ResourceNotFoundException', 404, `Function not found: ${NAME}`);
    return input.Qualifier
      ? { ...fn.config, Version: input.Qualifier, CodeSha256: fn.versions[input.Qualifier] }
      : fn.config;
  });
  lambda.on(GetAliasCommand).callsFake(() => {
    if (!fn.alias) throw awsError('ResourceNotFoundException', 404, 'Cannot find alias');
    return { Name: 'live', FunctionVersion: fn.alias };
  });
  const logsClient = new CloudWatchLogsClient({ region: 'eu-west-2', credentials });
  const logs = mockClient(logsClient);
  const logGroups = new Set([naming.functionLogGroup(FN, ENV)]);
  logs.on(DescribeLogGroupsCommand).callsFake((input: { logGroupNamePrefix?: string }) => ({
    logGroups: [...logGroups]
      .filter((g) => g.startsWith(input.logGroupNamePrefix ?? ''))
      .map((logGroupName) => ({ logGroupName })),
  }));
  const clients = fakeReleaseClients({
    ecs: new ECSClient({ region: 'eu-west-2' }),
    ecr: new ECRClient({ region: 'eu-west-2' }),
    s3: s3.client,
    ssm: new SSMClient({ region: 'eu-west-2' }),
    lambda: lambdaClient,
    logs: logsClient,
  });
  const deps = { clients, platform, now: () => new Date('2026-11-25T10:00:00Z') };
  return { deps, s3, lambda, logs, packages, fn, logGroups };
}

/** A release record as an earlier run left it in the ledger. */
function seed(w: World, seq: number, rec: Partial<LedgerRecord>): void {
  const full = {
    schema: 1,
    seq,
    kind: 'release',
    runId: `old-${seq}`,
    action: 'deploy',
    service: FN,
    env: ENV,
    version: 'v1',
    digest: SHA.v1,
    image: `s3://${CODE}/${key('v1')}`,
    gitCommit: null,
    taskDefinitionBefore: null,
    taskDefinitionAfter: `arn:aws:lambda:eu-west-2:${TEST_ACCOUNT_IDS.intg}:function:${NAME}:1`,
    approver: null,
    buildUrl: null,
    sourceEnv: null,
    reason: null,
    breakGlass: false,
    gates: [],
    actor: 'jenkins',
    startedAt: '2026-11-24T10:00:00.000Z',
    finishedAt: '2026-11-24T10:05:00.000Z',
    recordedAt: '2026-11-24T10:05:00.000Z',
    detail: null,
    settles: null,
    outcome: 'succeeded',
    ...rec,
  };
  w.s3.objects.set(recordKey(FN, ENV, seq), { body: JSON.stringify(full), etag: `"${seq}"` });
}

const verify = (w: World) => verifyFunction(w.deps, FN, ENV);

function check(checks: readonly VerifyCheck[], name: string): VerifyCheck {
  const found = checks.find((c) => c.name === name);
  if (!found) throw new Error(`no ${name} check in ${JSON.stringify(checks)}`);
  return found;
}

/** Each check's status, by name, in the order they ran. */
const statuses = (checks: readonly VerifyCheck[]) => checks.map((c) => [c.name, c.status]);

describe('pipelines/release/verify-function (tdr verify for a function, AWS mocked)', () => {
  it('is all [OK] for a function as infra left it, in order, saying what it found', async () => {
    const checks = await verify(world());
    expect(statuses(checks)).to.deep.equal(ORDER.map((n) => [n, 'ok']));
    expect(check(checks, 'role assumable').detail).to.equal(`${ROLE} in ${TEST_ACCOUNT_IDS.intg}`);
    expect(check(checks, 'code bucket').detail).to.equal(`s3://${CODE} in mgmt`);
    expect(check(checks, 'package').detail).to.equal(
      `s3://${CODE}/${key('v2')} (sha256 ${SHA.v2}), the newest releasable of 2 under s3://${CODE}/${FN}/`,
    );
    expect(check(checks, 'function').detail).to.equal(
      `${NAME}: runtime ${ENTRY.runtime}, handler ${ENTRY.handler}, as the catalogue says`,
    );
    expect(check(checks, 'live alias').detail).to.equal(`live → version 1 (sha256 ${SHA.v1})`);
    expect(check(checks, 'log group').detail).to.equal(
      `${naming.functionLogGroup(FN, ENV)} exists in ${ENV}`,
    );
    expect(check(checks, 'ledger record').detail).to.equal(
      `no release of ${FN} in ${ENV} recorded yet (live runs version 1, sha256 ${SHA.v1}); the first release records one`,
    );
  });

  it('role assumable [NG]: the mgmt checks still run, the account checks are skipped naming the role', async () => {
    const w = world({
      credentials: async () => {
        throw new Error(
          `assuming role ${ROLE} in account ${TEST_ACCOUNT_IDS.intg}: AccessDenied: not allowed`,
        );
      },
    });
    const checks = await verify(w);
    expect(statuses(checks)).to.deep.equal([
      ['role assumable', 'ng'],
      ['ledger bucket', 'ok'],
      ['code bucket', 'ok'],
      ['package', 'ok'],
      ['function', 'skipped'],
      ['live alias', 'skipped'],
      ['log group', 'skipped'],
      ['ledger record', 'skipped'],
    ]);
    expect(check(checks, 'role assumable').detail).to.contain('AccessDenied');
    for (const c of checks.filter((c) => c.status === 'skipped')) expect(c.detail).to.equal(`needs ${ROLE}`);
    expect(w.lambda.calls()).to.have.length(0);
  });

  it('ledger bucket [NG] when mgmt refuses it; every other check still runs', async () => {
    const w = world();
    w.s3.mock
      .on(HeadBucketCommand, { Bucket: naming.ledgerBucket() })
      .rejects(awsError('Forbidden', 403, 'Forbidden'));
    const checks = await verify(w);
    expect(check(checks, 'ledger bucket')).to.deep.include({ status: 'ng', detail: 'Forbidden' });
    expect(checks.filter((c) => c.status !== 'ok').map((c) => c.name)).to.deep.equal(['ledger bucket']);
  });

  it('code bucket [NG]: the package is skipped, saying why', async () => {
    const w = world();
    w.s3.mock.on(HeadBucketCommand, { Bucket: CODE }).rejects(awsError('NotFound', 404, 'NotFound'));
    const checks = await verify(w);
    expect(check(checks, 'code bucket').status).to.equal('ng');
    expect(check(checks, 'package')).to.deep.include({ status: 'skipped', detail: 'needs the code bucket' });
    expect(check(checks, 'function').status).to.equal('ok');
  });

  it('package [NG] when the function has none: the build uploads them, nothing can be released', async () => {
    const w = world();
    w.packages.clear();
    // Something under the prefix that is not a package does not count as one.
    w.packages.set(`${FN}/v1/${FILE}.sha256`, { sha256: SHA.v1, at: new Date() });
    const checks = await verify(w);
    expect(check(checks, 'package')).to.deep.include({
      status: 'ng',
      detail: `no package of ${FN} under s3://${CODE}/${FN}/ ({version}/${FILE}): the build job uploads one with its SHA-256 on each merge (upload-package); until then there is nothing to release`,
    });
    expect(statuses(checks).filter(([, s]) => s !== 'ok')).to.deep.equal([['package', 'ng']]);
  });

  it('package [NG] when no package has a full-object SHA-256 (none, or a multipart composite)', async () => {
    const w = world();
    w.packages.set(key('v1'), { sha256: undefined, at: new Date('2026-11-01T10:00:00Z') });
    w.packages.set(key('v2'), { sha256: `${SHA.v2}-3`, at: new Date('2026-11-02T10:00:00Z') });
    const c = check(await verify(w), 'package');
    expect(c.status).to.equal('ng');
    expect(c.detail).to.equal(
      `none of the 2 packages under s3://${CODE}/${FN}/ has a full-object SHA-256, so the package gate refuses every one (v2, v1): upload them with upload-package (put-object --checksum-sha256)`,
    );
  });

  it('package [OK] names the newest upload (not the newest name) a release can take, and the newer ones it cannot', async () => {
    const w = world();
    w.packages.set(key('v9'), { sha256: SHA.v1, at: new Date('2026-11-03T10:00:00Z') });
    w.packages.set(key('v10'), { sha256: SHA.v2, at: new Date('2026-11-04T10:00:00Z') });
    expect(check(await verify(w), 'package').detail).to.match(
      new RegExp(
        `^s3://${CODE}/${key('v10')} \\(sha256 ${SHA.v2.replace(/[+/=]/g, '\\$&')}\\), the newest releasable of 4`,
      ),
    );
    w.packages.set(key('v11'), { sha256: undefined, at: new Date('2026-11-05T10:00:00Z') });
    const c = check(await verify(w), 'package');
    expect(c.status).to.equal('ok');
    expect(c.detail).to.contain(`s3://${CODE}/${key('v10')}`);
    expect(c.detail).to.contain('newer, without a full-object SHA-256 (the package gate refuses them): v11');
  });

  it('function [NG] when it does not exist: its alias and ledger record are skipped, its log group still checked', async () => {
    const w = world();
    w.fn.config = undefined;
    const checks = await verify(w);
    expect(check(checks, 'function')).to.deep.include({
      status: 'ng',
      detail: `${NAME} does not exist in ${ENV} (account ${TEST_ACCOUNT_IDS.intg}): infra creates it; run pulumi up for the ${ENV} stack (locally: tdr sandbox up)`,
    });
    expect(check(checks, 'live alias')).to.deep.include({ status: 'skipped', detail: `needs ${NAME}` });
    expect(check(checks, 'log group').status).to.equal('ok');
    expect(check(checks, 'ledger record')).to.deep.include({
      status: 'skipped',
      detail: 'needs the live alias',
    });
  });

  it('function [NG] when its runtime or handler is not what the catalogue says; the alias is still checked', async () => {
    const w = world();
    w.fn.config = { ...w.fn.config, Runtime: 'nodejs18.x', Handler: 'index.handler' };
    const checks = await verify(w);
    const c = check(checks, 'function');
    expect(c.status).to.equal('ng');
    expect(c.detail).to.equal(
      `${NAME} has runtime nodejs18.x, the catalogue says ${ENTRY.runtime}; handler index.handler, the catalogue says ${ENTRY.handler}: a release moves only the code, so it would run under these too; run pulumi up for the ${ENV} stack`,
    );
    expect(check(checks, 'live alias').status).to.equal('ok');
  });

  it('function [OK] says so when an update is in progress (a release would wait for it)', async () => {
    const w = world();
    w.fn.config = { ...w.fn.config, LastUpdateStatus: 'InProgress' };
    expect(check(await verify(w), 'function')).to.deep.include({
      status: 'ok',
      detail: `${NAME}: runtime ${ENTRY.runtime}, handler ${ENTRY.handler}, as the catalogue says (State Active, LastUpdateStatus InProgress)`,
    });
  });

  it('live alias [NG] when it is missing (the ledger record is skipped), or on $LATEST', async () => {
    const w = world();
    w.fn.alias = undefined;
    let checks = await verify(w);
    expect(check(checks, 'live alias')).to.deep.include({
      status: 'ng',
      detail: `${NAME} has no live alias in ${ENV}: every trigger calls it and every release moves it; infra creates it (run pulumi up for the ${ENV} stack; locally: tdr sandbox up)`,
    });
    expect(check(checks, 'ledger record').status).to.equal('skipped');

    w.fn.alias = '$LATEST';
    w.fn.versions.$LATEST = SHA.v1;
    checks = await verify(w);
    expect(check(checks, 'live alias').status).to.equal('ng');
    expect(check(checks, 'live alias').detail).to.contain('live points at $LATEST');
  });

  it("a Lambda error is that check's [NG], with what was being attempted; the rest still run", async () => {
    const w = world();
    w.lambda.on(GetAliasCommand).rejects(awsError('AccessDeniedException', 403, 'not authorized'));
    const checks = await verify(w);
    expect(check(checks, 'live alias')).to.deep.include({
      status: 'ng',
      detail: `reading alias live of ${NAME} in ${ENV}: AccessDeniedException: not authorized`,
    });
    expect(check(checks, 'log group').status).to.equal('ok');
  });

  it('log group [NG] when it is gone, naming the account and why Lambda will not create it', async () => {
    const w = world();
    w.logGroups.clear();
    expect(check(await verify(w), 'log group')).to.deep.include({
      status: 'ng',
      detail: `${naming.functionLogGroup(FN, ENV)} does not exist in ${ENV} (account ${TEST_ACCOUNT_IDS.intg}): ${NAME}'s logs are lost, because its role may write to the group (logs:CreateLogStream, logs:PutLogEvents) but not create it; run pulumi up for the ${ENV} stack (locally: tdr sandbox up)`,
    });
  });

  it('log group: the group the function is configured to log to is the one checked', async () => {
    const w = world();
    w.fn.config = { ...w.fn.config, LoggingConfig: { LogGroup: '/tdr/elsewhere' } };
    expect(check(await verify(w), 'log group')).to.deep.include({ status: 'ng' });
    w.logGroups.add('/tdr/elsewhere');
    expect(check(await verify(w), 'log group')).to.deep.include({
      status: 'ok',
      detail: `/tdr/elsewhere exists in ${ENV}`,
    });
  });

  it("ledger record [OK] when the ledger's current release is what live runs, naming a run with no outcome", async () => {
    const w = world();
    seed(w, 1, { runId: 'run-1', outcome: 'started', finishedAt: null });
    seed(w, 2, { runId: 'run-1' });
    const ok = `live runs v1 (sha256 ${SHA.v1}), as the ledger says (by jenkins at 2026-11-24T10:05:00.000Z)`;
    expect(check(await verify(w), 'ledger record')).to.deep.include({ status: 'ok', detail: ok });

    seed(w, 3, { runId: 'run-2', version: 'v2', digest: SHA.v2, outcome: 'started', finishedAt: null });
    expect(check(await verify(w), 'ledger record')).to.deep.include({
      status: 'ok',
      detail: `${ok}; run run-2 (v2 by jenkins, ledger #3) has no outcome yet, and the next release settles it`,
    });
  });

  it('ledger record [NG] when live runs code the ledger has no record of, or not its current release', async () => {
    const w = world();
    seed(w, 1, { version: 'v2', digest: SHA.v2, image: `s3://${CODE}/${key('v2')}` });
    let c = check(await verify(w), 'ledger record');
    expect(c.status).to.equal('ng');
    expect(c.detail).to.equal(
      `live runs version 1 (sha256 ${SHA.v1}), code the ledger has no record of: changed outside tdr (tdr status shows the drift), and the next release replaces it`,
    );

    // v1 was released once, then v2: live moved back by hand is drift too.
    const w2 = world();
    seed(w2, 1, {});
    seed(w2, 2, { version: 'v2', digest: SHA.v2, image: `s3://${CODE}/${key('v2')}` });
    c = check(await verify(w2), 'ledger record');
    expect(c.status).to.equal('ng');
    expect(c.detail).to.contain(`the ledger says v2 ${SHA.v2}`);
  });

  it('ledger record [NG] when the ledger cannot be read', async () => {
    const w = world();
    seed(w, 1, {});
    w.s3.mock
      .on(GetObjectCommand, { Bucket: naming.ledgerBucket() })
      .rejects(awsError('AccessDenied', 403, 'Access Denied'));
    const c = check(await verify(w), 'ledger record');
    expect(c.status).to.equal('ng');
    expect(c.detail).to.contain('Access Denied');
  });
});
