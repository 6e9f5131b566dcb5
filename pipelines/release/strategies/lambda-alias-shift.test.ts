/**
 * A function release with Lambda mocked at the client (aws-sdk-client-mock): updates that Lambda
 * fails, or that stay InProgress, cannot be produced by moto. S3 (the ledger and the code bucket)
 * is the in-memory bucket of test/support/memory-s3.ts.
 */
import {
  GetAliasCommand,
  GetFunctionConfigurationCommand,
  LambdaClient,
  PublishVersionCommand,
  UpdateAliasCommand,
  UpdateFunctionCodeCommand,
} from '@aws-sdk/client-lambda';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { ECRClient } from '@aws-sdk/client-ecr';
import { ECSClient } from '@aws-sdk/client-ecs';
import { SSMClient } from '@aws-sdk/client-ssm';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { expect } from 'chai';
import { loadPlatform } from '../../../services/config';
import type { LambdaEntry } from '../../../services/catalogue';
import { PlatformError } from '../../../services/errors';
import { awsError, memoryS3, type MemoryS3 } from '../../../test/support/memory-s3';
import { fakeReleaseClients } from '../../../test/support/release-clients';
import type { ReleaseDeps } from '../saga/context';
import type { ReleaseRequest } from '../saga/request';
import { releaseFunction } from './lambda-alias-shift';
import { recordKey, type LedgerRecord, type ReleaseRecord } from '../ledger/ledger';

const SHA = {
  v1: 'MTExMTExMTExMTExMTExMTExMTExMTExMTExMTExMTE=',
  v2: 'MjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjI=',
};
const FN = 'tdr-checksum-intg';
const ARN = (v: string) => `arn:aws:lambda:eu-west-2:222222222222:function:${FN}:${v}`;

interface World {
  deps: ReleaseDeps;
  s3: MemoryS3;
  client: LambdaClient;
  lambda: AwsClientStub<LambdaClient>;
  fn: { latest: string; versions: Map<string, string>; alias: string; status: string[] };
  logs: string[];
}

/** Lambda as it behaves after an update: the LastUpdateStatus of each look, in turn. */
function world(statuses: string[] = ['InProgress', 'Successful']): World {
  const s3 = memoryS3();
  const packages = new Map<string, string>([
    ['checksum/v1/checksum.jar', SHA.v1],
    ['checksum/v2/checksum.jar', SHA.v2],
  ]);
  s3.mock.on(HeadObjectCommand).callsFake((input: { Key: string }) => {
    const sha = packages.get(input.Key);
    if (!sha) throw awsError('NotFound', 404);
    return { ChecksumSHA256: sha, VersionId: 'object-version-1' };
  });
  const client = new LambdaClient({ region: 'eu-west-2' });
  const lambda = mockClient(client);
  const fn = { latest: SHA.v1, versions: new Map([['1', SHA.v1]]), alias: '1', status: [...statuses] };
  const shaOf = (key: string) => packages.get(key) ?? 'unknown';
  lambda.on(GetAliasCommand).callsFake(() => ({ Name: 'live', FunctionVersion: fn.alias }));
  lambda.on(GetFunctionConfigurationCommand).callsFake((input: { Qualifier?: string }) => {
    if (input.Qualifier)
      return {
        FunctionArn: ARN(input.Qualifier),
        CodeSha256: fn.versions.get(input.Qualifier),
        State: 'Active',
        LastUpdateStatus: 'Successful',
      };
    const status = fn.status.length > 1 ? fn.status.shift()! : (fn.status[0] ?? 'Successful');
    return {
      FunctionArn: ARN('$LATEST'),
      CodeSha256: fn.latest,
      State: 'Active',
      LastUpdateStatus: status,
      ...(status === 'Failed'
        ? {
            LastUpdateStatusReasonCode: 'InvalidImage',
            LastUpdateStatusReason: 'the jar is not a Lambda handler',
          }
        : {}),
    };
  });
  lambda.on(UpdateFunctionCodeCommand).callsFake((input: { S3Key: string }) => {
    fn.latest = shaOf(input.S3Key);
    return { CodeSha256: fn.latest, LastUpdateStatus: 'InProgress' };
  });
  lambda.on(PublishVersionCommand).callsFake((input: { CodeSha256: string }) => {
    if (input.CodeSha256 !== fn.latest) throw awsError('PreconditionFailedException', 412);
    const v = String(fn.versions.size + 1);
    fn.versions.set(v, fn.latest);
    return { Version: v, CodeSha256: fn.latest };
  });
  lambda.on(UpdateAliasCommand).callsFake((input: { FunctionVersion: string }) => {
    fn.alias = input.FunctionVersion;
    return { Name: 'live', FunctionVersion: fn.alias };
  });
  const clients = fakeReleaseClients({
    ecs: new ECSClient({ region: 'eu-west-2' }),
    ecr: new ECRClient({ region: 'eu-west-2' }),
    s3: s3.client,
    ssm: new SSMClient({ region: 'eu-west-2' }),
    lambda: client,
  });
  const clock = { t: Date.parse('2026-11-25T10:00:00Z') };
  const logs: string[] = [];
  let run = 0;
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
    newRunId: () => `run-${++run}`,
  };
  return { deps, s3, client, lambda, fn, logs };
}

const release = (w: World, req: Partial<ReleaseRequest> = {}) =>
  releaseFunction(w.deps, {
    action: 'deploy',
    service: 'checksum',
    env: 'intg',
    version: 'v2',
    actor: 'jenkins',
    ...req,
  });

function ledger(w: World, env = 'intg'): ReleaseRecord[] {
  return [...w.s3.objects.entries()]
    .filter(([k]) => k.startsWith(`records/checksum/${env}/`))
    .map(([, o]) => JSON.parse(o.body) as ReleaseRecord);
}

/** A record as an earlier run left it in the ledger. */
function seed(w: World, env: string, seq: number, rec: Partial<ReleaseRecord>): void {
  const full = {
    schema: 1,
    seq,
    kind: 'release',
    runId: `old-${seq}`,
    action: 'deploy',
    service: 'checksum',
    env,
    version: 'v1',
    digest: SHA.v1,
    image: 's3://tdr-backend-code-mgmt/checksum/v1/checksum.jar',
    gitCommit: null,
    taskDefinitionBefore: null,
    taskDefinitionAfter: ARN('1'),
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
  } as LedgerRecord;
  w.s3.objects.set(recordKey('checksum', env, seq), { body: JSON.stringify(full), etag: `"${seq}"` });
}

const calls = (w: World, command: unknown) => w.lambda.commandCalls(command as never).length;

describe('pipelines/release/lambda-alias-shift (function releases, Lambda mocked)', () => {
  it('deploy: updates the code, waits for Successful, publishes that SHA-256 only, moves live, records the SHA-256', async () => {
    const w = world();
    const { result, failure } = await release(w);
    expect(failure).to.equal(null);
    expect(result).to.deep.include({ outcome: 'succeeded', sha256: SHA.v2, aliasVersionArn: ARN('2') });
    expect(w.fn.alias).to.equal('2');
    expect(w.lambda.commandCalls(UpdateFunctionCodeCommand)[0]!.args[0].input).to.deep.include({
      FunctionName: FN,
      S3Bucket: 'tdr-backend-code-mgmt',
      S3Key: 'checksum/v2/checksum.jar',
      S3ObjectVersion: 'object-version-1',
    });
    expect(w.lambda.commandCalls(PublishVersionCommand)[0]!.args[0].input.CodeSha256).to.equal(SHA.v2);
    const records = ledger(w);
    expect(records.map((r) => r.outcome)).to.deep.equal(['started', 'succeeded']);
    for (const r of records)
      expect(r).to.deep.include({
        digest: SHA.v2,
        image: 's3://tdr-backend-code-mgmt/checksum/v2/checksum.jar',
      });
    expect(records[1]).to.deep.include({ taskDefinitionBefore: ARN('1'), taskDefinitionAfter: ARN('2') });
    expect(w.logs.join('\n')).to.match(
      /gate \[OK\] package: checksum v2 is s3:\/\/tdr-backend-code-mgmt\/checksum\/v2\/checksum.jar/,
    );
  });

  it('fails on LastUpdateStatus Failed with the live alias left where it was, and says why', async () => {
    const w = world(['InProgress', 'Failed']);
    const { result, failure } = await release(w);
    expect(result.outcome).to.equal('failed');
    expect(failure).to.match(/InvalidImage: the jar is not a Lambda handler; live left at version 1/);
    expect(calls(w, PublishVersionCommand)).to.equal(0);
    expect(calls(w, UpdateAliasCommand)).to.equal(0);
    expect(w.fn.alias).to.equal('1');
    expect(ledger(w).at(-1)).to.deep.include({ outcome: 'failed', taskDefinitionAfter: ARN('1') });
  });

  it('fails when the update is still InProgress at the timeout, alias untouched', async () => {
    const w = world(['InProgress']);
    const { failure } = await release(w);
    expect(failure).to.match(/still InProgress\/Active after 60 s; live left at version 1/);
    expect(calls(w, UpdateAliasCommand)).to.equal(0);
  });

  it('moves live back when the alias does not run the SHA-256 after the move (undo), recording rolled_back', async () => {
    const w = world();
    // Someone else's update lands between our publish and our check: version 2 runs other code.
    w.lambda.on(UpdateAliasCommand).callsFake((input: { FunctionVersion: string }) => {
      w.fn.alias = input.FunctionVersion;
      if (input.FunctionVersion === '2') w.fn.versions.set('2', 'b3RoZXI=');
      return {};
    });
    const { result, failure } = await release(w);
    expect(result.outcome).to.equal('rolled_back');
    expect(failure).to.match(/live moved back to version 1/);
    expect(w.fn.alias).to.equal('1');
  });

  it('refuses a version with no package before anything changes (exit 3), and an unknown function as input (exit 2)', async () => {
    const w = world();
    const refused = await release(w, { version: 'v9' }).catch((e: unknown) => e);
    expect((refused as PlatformError).kind).to.equal('refused');
    expect((refused as Error).message).to.match(/package: v9 is not in the code bucket/);
    const invalid = await release(w, { service: 'frontend' }).catch((e: unknown) => e);
    expect((invalid as PlatformError).kind).to.equal('invalid');
    expect((invalid as Error).message).to.match(/unknown function "frontend"; valid: .*checksum/);
    expect(w.lambda.calls()).to.have.length(0);
  });

  it('refuses a promotion whose package SHA-256 differs from the one that succeeded upstream', async () => {
    const w = world();
    seed(w, 'intg', 1, { version: 'v2', digest: 'c29tZXRoaW5nIGVsc2U=' });
    const refused = await release(w, { action: 'promote', env: 'staging', version: undefined }).catch(
      (e: unknown) => e,
    );
    expect((refused as PlatformError).kind).to.equal('refused');
    expect((refused as Error).message).to.match(/same digest/);
    expect(calls(w, UpdateFunctionCodeCommand)).to.equal(0);
  });

  it('rollback: moves live back to the version the ledger saw run that SHA-256, without touching the code', async () => {
    const w = world();
    w.fn.versions.set('2', SHA.v2);
    w.fn.alias = '2';
    seed(w, 'intg', 1, {});
    seed(w, 'intg', 2, {
      version: 'v2',
      digest: SHA.v2,
      taskDefinitionBefore: ARN('1'),
      taskDefinitionAfter: ARN('2'),
    });
    const { result, failure } = await release(w, { action: 'rollback', version: undefined });
    expect(failure).to.equal(null);
    expect(result).to.deep.include({ version: 'v1', reuses: '1', outcome: 'succeeded' });
    expect(calls(w, UpdateFunctionCodeCommand)).to.equal(0);
    expect(w.fn.alias).to.equal('1');
    expect(ledger(w).at(-1)).to.deep.include({
      action: 'rollback',
      digest: SHA.v1,
      taskDefinitionAfter: ARN('1'),
    });
  });

  it('--dry-run shows the plan and changes nothing', async () => {
    const w = world();
    const { result } = await release(w, { dryRun: true });
    expect(result).to.deep.include({ outcome: 'planned', sha256: SHA.v2, functionName: FN });
    expect(result.from).to.deep.equal({ version: null, sha256: SHA.v1, aliasVersion: '1' });
    expect(calls(w, UpdateFunctionCodeCommand) + calls(w, UpdateAliasCommand)).to.equal(0);
    expect(ledger(w)).to.deep.equal([]);
  });

  it('a canary weight applied with its reply lost is read back: live weighed, the run goes on; not applied: failed, live untouched', async () => {
    for (const applied of [true, false]) {
      const w = world();
      const platform = loadPlatform({});
      const entry = platform.catalogue.checksum as LambdaEntry;
      const canary = { kind: 'canary', weightPercent: 10, bakeMinutes: 5 } as const;
      const deps = {
        ...w.deps,
        platform: {
          ...platform,
          catalogue: { ...platform.catalogue, checksum: { ...entry, delivery: { intg: canary } } },
        },
      };
      let routing: Record<string, number> = {};
      w.lambda
        .on(UpdateAliasCommand)
        .callsFake(
          (input: {
            FunctionVersion: string;
            RoutingConfig?: { AdditionalVersionWeights?: Record<string, number> };
          }) => {
            const weights = input.RoutingConfig?.AdditionalVersionWeights ?? {};
            if (Object.keys(weights).length > 0) {
              if (applied) [w.fn.alias, routing] = [input.FunctionVersion, weights];
              throw Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
            }
            [w.fn.alias, routing] = [input.FunctionVersion, weights];
            return { Name: 'live', FunctionVersion: w.fn.alias };
          },
        );
      w.lambda.on(GetAliasCommand).callsFake(() => ({
        Name: 'live',
        FunctionVersion: w.fn.alias,
        RoutingConfig: { AdditionalVersionWeights: routing },
      }));
      const run = releaseFunction(deps, {
        action: 'deploy',
        service: 'checksum',
        env: 'intg',
        version: 'v2',
        actor: 'jenkins',
        wait: false,
      });
      if (applied) {
        const { result, failure } = await run;
        expect(failure).to.equal(null);
        expect(result).to.deep.include({ outcome: 'started', delivery: canary });
        expect([w.fn.alias, routing]).to.deep.equal(['1', { '2': 0.1 }]);
        expect(w.logs.join('\n'))
          .to.match(/reply was lost/)
          .and.match(/live weighed: 10% to version 2, the rest on 1/);
        expect(ledger(w).map((r) => r.outcome)).to.deep.equal(['started']);
        expect(ledger(w)[0]!.canary).to.deep.include({
          weightPercent: 10,
          bakeMinutes: 5,
          baselineVersion: '1',
        });
      } else {
        await run.then(
          () => expect.fail('a weight that did not apply is no release'),
          (err: Error) => expect(err.message).to.match(/weighing live/),
        );
        expect([w.fn.alias, routing]).to.deep.equal(['1', {}]);
        expect(ledger(w).at(-1)).to.deep.include({ outcome: 'failed' });
        expect(ledger(w).at(-1)!.detail).to.match(/live not moved/);
      }
      expect(w.lambda.commandCalls(UpdateAliasCommand)).to.have.length(1);
    }
  });

  it('a canary whose judge cannot read CloudWatch is inconclusive: live moves back, routing cleared, rolled_back', async () => {
    const w = world();
    const platform = loadPlatform({});
    const entry = platform.catalogue.checksum as LambdaEntry;
    const cw = new CloudWatchClient({ region: 'eu-west-2' });
    mockClient(cw).on(GetMetricDataCommand).rejects(awsError('AccessDenied', 403));
    const updates: Array<{ FunctionVersion?: string; RoutingConfig?: unknown }> = [];
    w.lambda
      .on(UpdateAliasCommand)
      .callsFake((input: { FunctionVersion: string; RoutingConfig?: unknown }) => {
        updates.push(input);
        w.fn.alias = input.FunctionVersion;
        return { Name: 'live', FunctionVersion: w.fn.alias };
      });
    const deps = {
      ...w.deps,
      clients: { ...w.deps.clients, cloudWatch: () => cw },
      platform: {
        ...platform,
        catalogue: {
          ...platform.catalogue,
          checksum: {
            ...entry,
            delivery: { intg: { kind: 'canary', weightPercent: 10, bakeMinutes: 5 } as const },
          },
        },
      },
    };
    const { result, failure } = await releaseFunction(deps, {
      action: 'deploy',
      service: 'checksum',
      env: 'intg',
      version: 'v2',
      actor: 'jenkins',
    });
    expect(result.outcome).to.equal('rolled_back');
    expect(failure).to.match(/canary inconclusive: the judge could not read the metrics/);
    expect(updates.map((u) => [u.FunctionVersion, u.RoutingConfig])).to.deep.equal([
      ['1', { AdditionalVersionWeights: { '2': 0.1 } }],
      ['1', { AdditionalVersionWeights: {} }],
    ]);
    expect(ledger(w).at(-1)!.canary?.steps.at(-1)?.step).to.match(/judge failed to read CloudWatch/);
  });
});
