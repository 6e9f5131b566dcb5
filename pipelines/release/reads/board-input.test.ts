/** The board's input from AWS: the ledger's heads (records and run summary), ECS, the leases, the maintenance switch. */
import { ECRClient } from '@aws-sdk/client-ecr';
import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';
import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { GetAliasCommand, GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { expect } from 'chai';
import { loadPlatform } from '../../../services/config';
import { naming } from '../../../services/naming';
import { namesOfKind } from '../../../services/queries';
import { memoryS3 } from '../../../test/support/memory-s3';
import { fakeReleaseClients } from '../../../test/support/release-clients';
import { gatherBoardSnapshot } from './board-input';
import { Leases } from '../ledger/lease';
import { Ledger, recordKey, type NewRecord, type RunFact as LedgerRunFact } from '../ledger/ledger';

const DAY = 86_400_000;
const NOW = Date.parse('2026-11-30T00:00:00Z');
const platform = loadPlatform({});

/** An "on" switch as `tdr maintenance on` records it (its write-ahead record, then its outcome). */
const maintenanceOnRecord = (outcome: 'started' | 'succeeded'): NewRecord => ({
  kind: 'maintenance',
  runId: 'maint-1',
  action: 'maintenance-on',
  outcome,
  service: naming.maintenanceSubject(),
  env: 'staging',
  version: '',
  digest: '',
  actor: 'ops',
  reason: 'database <upgrade>',
  listenerArn: 'arn:listener/staging',
  savedRules: [],
  maintenanceRule: outcome === 'succeeded' ? 'arn:rule/503' : null,
  restores: null,
  unexpectedRules: [],
  buildUrl: null,
  startedAt: new Date(NOW - 3_600_000).toISOString(),
  finishedAt: outcome === 'succeeded' ? new Date(NOW - 3_590_000).toISOString() : null,
  detail: null,
  settles: null,
  approval: null,
});

/** A public listener whose first rule answers 503 (maintenance on) or not. */
function listenerShowing(maintenance: boolean) {
  const elb = mockClient(ElasticLoadBalancingV2Client);
  elb.on(DescribeLoadBalancersCommand).resolves({ LoadBalancers: [{ LoadBalancerArn: 'arn:lb' }] });
  elb
    .on(DescribeListenersCommand)
    .resolves({ Listeners: [{ ListenerArn: 'arn:listener', Port: naming.publicListenerPort() }] });
  const fixed = (StatusCode: string) => [
    { Type: 'fixed-response' as const, FixedResponseConfig: { StatusCode, ContentType: 'text/html' } },
  ];
  elb.on(DescribeRulesCommand).resolves({
    Rules: [
      ...(maintenance
        ? [
            {
              RuleArn: 'arn:rule/503',
              Priority: '1',
              Conditions: [],
              Actions: fixed('503'),
              IsDefault: false,
            },
          ]
        : []),
      {
        RuleArn: 'arn:rule/default',
        Priority: 'default',
        Conditions: [],
        Actions: fixed('404'),
        IsDefault: true,
      },
    ],
  });
  return elb;
}

const run = (i: number, outcome: 'started' | 'succeeded'): NewRecord => ({
  kind: 'release',
  runId: `run-${i}`,
  action: 'deploy',
  service: 'frontend',
  env: 'intg',
  version: `v${i}`,
  digest: `sha256:${i}`,
  image: `r@sha256:${i}`,
  gitCommit: null,
  taskDefinitionBefore: null,
  taskDefinitionAfter: null,
  approver: null,
  buildUrl: null,
  sourceEnv: null,
  reason: null,
  breakGlass: false,
  gates: [],
  actor: 'jenkins',
  startedAt: new Date(NOW - (150 - i) * DAY).toISOString(),
  finishedAt: null,
  detail: null,
  settles: null,
  outcome,
});

describe('gatherBoardSnapshot', () => {
  it('reads one head per cell whatever the history (its run summary counts the window), and lists the leases', async function () {
    this.timeout(20_000);
    const s3 = memoryS3();
    let now = 0;
    const ledger = new Ledger(s3.client, naming.ledgerBucket(), () => new Date(now));
    // 150 runs, one a day: those that finished within the 90 days are in the head's run summary.
    for (let i = 0; i < 150; i++) {
      now = NOW - (150 - i) * DAY;
      await ledger.append(run(i, 'started'));
      await ledger.append(run(i, 'succeeded'));
    }
    now = NOW;
    await new Leases(s3.client, naming.ledgerBucket(), () => new Date(NOW)).acquire(
      'frontend',
      'intg',
      'jenkins-7',
      'run-x',
      60_000,
    );
    const ecs = mockClient(ECSClient);
    ecs.on(DescribeServicesCommand).resolves({ services: [] });
    const elb = listenerShowing(false);
    const clients = fakeReleaseClients({
      ecs: new ECSClient({}),
      ecr: new ECRClient({}),
      s3: s3.client,
      ssm: new SSMClient({}),
    });
    s3.mock.resetHistory();

    const snapshot = await gatherBoardSnapshot(
      { clients, platform, now: () => new Date(NOW), readOnly: true },
      { services: ['frontend'], environments: ['intg'], windowDays: 90 },
    );

    const recordReads = s3.mock
      .commandCalls(GetObjectCommand)
      .filter((c) =>
        c.args[0].input.Key?.startsWith(recordKey('frontend', 'intg', 1).replace(/\d+\.json$/, '')),
      );
    expect(snapshot.problems).to.deep.equal([]);
    expect(recordReads).to.have.length(0);
    expect(s3.mock.commandCalls(PutObjectCommand)).to.have.length(0);
    // Every run that finished in the board's 90 days, and none older than 90 days before the last write.
    const all = await ledger.records('frontend', 'intg');
    const finishedSince = (t: number) =>
      all
        .filter((r) => r.kind === 'release' && r.outcome === 'succeeded' && Date.parse(r.recordedAt) >= t)
        .map((r) => r.seq);
    const summarised = (snapshot.runs.frontend?.intg ?? []).map((f) => (f as LedgerRunFact).seq);
    expect(summarised).to.include.members(finishedSince(NOW - 90 * DAY));
    expect(summarised).to.deep.equal(finishedSince(NOW - DAY - 90 * DAY));
    expect(snapshot.leases).to.deep.include({
      service: 'frontend',
      env: 'intg',
      holder: 'jenkins-7',
      runId: 'run-x',
      acquiredAt: new Date(NOW).toISOString(),
      expiresAt: new Date(NOW + 60_000).toISOString(),
    });
    expect(snapshot.live['frontend/intg']).to.deep.equal({ state: 'absent' });
    expect(snapshot.maintenance.intg).to.deep.include({ on: false, listener: false, drift: [] });
    expect(snapshot.problems).to.deep.equal([]);
    ecs.restore();
    elb.restore();
  });

  it('reads what a function runs from its live alias: the code SHA-256 of the version it points at (issue 24 item 14)', async () => {
    const [fn] = namesOfKind(platform.catalogue, 'lambda');
    const functionName = naming.functionName(fn!, 'intg');
    const lambda = mockClient(LambdaClient);
    lambda
      .on(GetAliasCommand, { FunctionName: functionName, Name: naming.functionAlias() })
      .resolves({ FunctionVersion: '3' })
      .on(GetFunctionConfigurationCommand, { FunctionName: functionName, Qualifier: '3' })
      .resolves({ Version: '3', CodeSha256: 'kCsRFvL08MMw=' });
    const ecs = mockClient(ECSClient);
    ecs.on(DescribeServicesCommand).resolves({ services: [] });
    const elb = listenerShowing(false);
    const clients = fakeReleaseClients({
      ecs: new ECSClient({}),
      ecr: new ECRClient({}),
      s3: memoryS3().client,
      ssm: new SSMClient({}),
      lambda: new LambdaClient({}),
    });
    try {
      const snapshot = await gatherBoardSnapshot(
        { clients, platform, now: () => new Date(NOW), readOnly: true },
        { services: [fn!, 'frontend'], environments: ['intg'], windowDays: 30 },
      );
      expect(snapshot.live[`${fn}/intg`]).to.deep.equal({ state: 'running', digest: 'kCsRFvL08MMw=' });
      expect(snapshot.live['frontend/intg']).to.deep.equal({ state: 'absent' });
      expect(lambda.commandCalls(GetAliasCommand)).to.have.length(1);
    } finally {
      lambda.restore();
      ecs.restore();
      elb.restore();
    }
  });

  it('reads each environment’s maintenance switch as tdr status does: the ledger against the listener', async () => {
    const s3 = memoryS3();
    const ledger = new Ledger(s3.client, naming.ledgerBucket(), () => new Date(NOW));
    await ledger.append(maintenanceOnRecord('started'));
    const on = await ledger.append(maintenanceOnRecord('succeeded'));
    const ecs = mockClient(ECSClient);
    ecs.on(DescribeServicesCommand).resolves({ services: [] });
    const elb = listenerShowing(true);
    const clients = fakeReleaseClients({
      ecs: new ECSClient({}),
      ecr: new ECRClient({}),
      s3: s3.client,
      ssm: new SSMClient({}),
    });
    const gather = () =>
      gatherBoardSnapshot(
        { clients, platform, now: () => new Date(NOW) },
        { services: ['frontend'], environments: ['intg', 'staging'], windowDays: 30 },
      );
    try {
      const snapshot = await gather();
      expect(snapshot.maintenance.staging).to.deep.equal({
        on: true,
        since: new Date(NOW - 3_590_000).toISOString(),
        by: 'ops',
        reason: 'database <upgrade>',
        seq: on.seq,
        listener: true,
        drift: [],
        unsettled: [],
        problems: [],
      });
      // The listener answers 503 in intg too, and intg's ledger says nothing: drift.
      expect(snapshot.maintenance.intg?.on).to.equal(false);
      expect(snapshot.maintenance.intg?.drift).to.deep.equal([
        'a rule answers 503 first on the listener, but the ledger says maintenance is off',
      ]);
      expect(snapshot.problems).to.deep.equal([]);

      // A listener that cannot be read: the ledger's word stands, and the problem is named.
      elb
        .on(DescribeLoadBalancersCommand)
        .rejects(Object.assign(new Error('denied'), { name: 'AccessDenied' }));
      const degraded = await gather();
      expect(degraded.maintenance.staging).to.deep.include({ on: true, listener: null, drift: [] });
      expect(degraded.problems).to.include(
        'maintenance/staging: listener could not be read: describing load balancer tdr-staging in staging: AccessDenied: denied',
      );
    } finally {
      ecs.restore();
      elb.restore();
    }
  });
});
