/**
 * Who may switch maintenance where releases need an approver, with ELBv2 mocked (a listener whose
 * rules CreateRule changes) and the ledger in memory. On moto (test/release-maintenance.test.ts)
 * the caller can be no Jenkins role, so the Jenkins-approver path is proved here.
 */
import { ECRClient } from '@aws-sdk/client-ecr';
import { ECSClient } from '@aws-sdk/client-ecs';
import {
  CreateRuleCommand,
  DeleteRuleCommand,
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
  ElasticLoadBalancingV2Client,
  type Rule,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { expect } from 'chai';
import { loadPlatform } from '../../../services/config';
import { naming } from '../../../services/naming';
import { TEST_ACCOUNT_IDS } from '../../../test/support/accounts';
import { memoryS3, type MemoryS3 } from '../../../test/support/memory-s3';
import { fakeReleaseClients } from '../../../test/support/release-clients';
import type { ReleaseDeps } from '../saga/context';
import { Ledger, type MaintenanceRecord } from '../ledger/ledger';
import { switchMaintenance, type MaintenanceRequest } from './maintenance';
import { InterruptedError } from '../saga/guard';

const LISTENER = 'arn:aws:elasticloadbalancing:eu-west-2:444444444444:listener/app/tdr-prod/1/2';
const assumed = (role: string, session: string) =>
  `arn:aws:sts::${TEST_ACCOUNT_IDS.mgmt}:assumed-role/${role}/${session}`;

/** `lostReply`: CreateRule takes effect, then its reply is lost (what the SDK's retry would meet). */
function world(identity: string, opts: { lostReply?: boolean } = {}): { deps: ReleaseDeps; s3: MemoryS3 } {
  const elbClient = new ElasticLoadBalancingV2Client({ region: 'eu-west-2' });
  const elb = mockClient(elbClient);
  const rules: Rule[] = [
    {
      RuleArn: `${LISTENER}/default`,
      Priority: 'default',
      IsDefault: true,
      Conditions: [],
      Actions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404' } }],
    },
  ];
  elb.on(DescribeLoadBalancersCommand).resolves({ LoadBalancers: [{ LoadBalancerArn: 'lb' }] });
  elb
    .on(DescribeListenersCommand)
    .resolves({ Listeners: [{ ListenerArn: LISTENER, Port: naming.publicListenerPort() }] });
  elb.on(DescribeRulesCommand).callsFake(() => ({ Rules: structuredClone(rules) }));
  elb.on(DeleteRuleCommand).callsFake((input: { RuleArn: string }) => {
    rules.splice(
      rules.findIndex((r) => r.RuleArn === input.RuleArn),
      1,
    );
    return {};
  });
  elb.on(CreateRuleCommand).callsFake((input: Omit<Rule, 'Priority'> & { Priority: number }) => {
    const rule = { ...input, RuleArn: `${LISTENER}/503`, Priority: String(input.Priority), IsDefault: false };
    rules.unshift(rule);
    if (opts.lostReply)
      throw Object.assign(new Error('A rule with priority 1 already exists'), {
        name: 'PriorityInUseException',
      });
    return { Rules: [rule] };
  });
  const s3 = memoryS3();
  const clients = fakeReleaseClients({
    ecs: new ECSClient({ region: 'eu-west-2' }),
    ecr: new ECRClient({ region: 'eu-west-2' }),
    s3: s3.client,
    ssm: new SSMClient({ region: 'eu-west-2' }),
    elbv2: elbClient,
    identity,
  });
  let runs = 0;
  const deps: ReleaseDeps = {
    clients,
    platform: loadPlatform({}),
    now: () => new Date('2026-11-30T03:00:00Z'),
    sleep: async () => undefined,
    log: () => undefined,
    notifier: {},
    pollMs: 1,
    timeoutMs: 1_000,
    leaseTtlMs: 60_000,
    newRunId: () => `run-${++runs}`,
  };
  return { deps, s3 };
}

const request = (env: string, extra: Partial<MaintenanceRequest> = {}): MaintenanceRequest => ({
  switch: 'on',
  env,
  reason: 'incident 42',
  actor: 'ops',
  ...extra,
});

function records(s3: MemoryS3, env: string): MaintenanceRecord[] {
  return [...s3.objects.entries()]
    .filter(([k]) => k.startsWith(`records/maintenance/${env}/`))
    .map(([, v]) => JSON.parse(v.body) as MaintenanceRecord);
}

describe('maintenance switch: approval where releases need one (ELBv2 mocked)', () => {
  it("Jenkins' own agent role passes its input step's approver: switched, and the approval recorded", async () => {
    const { deps, s3 } = world(assumed(naming.jenkinsNodeRole('prod'), 'build-7'));
    const { result, failure } = await switchMaintenance(deps, request('prod', { jenkinsApprover: 'alice' }));
    expect(failure).to.equal(null);
    expect(result.outcome).to.equal('succeeded');
    expect(records(s3, 'prod').at(-1)?.approval).to.deep.equal({
      via: 'jenkins-input',
      approver: 'alice',
      buildUrl: null,
    });
  });

  it('anyone else passing an approver is refused (exit 3), and nothing is recorded or changed', async () => {
    const { deps, s3 } = world(assumed('TDRDeveloper', 'mallory'));
    const err = await switchMaintenance(deps, request('prod', { jenkinsApprover: 'alice' })).then(
      () => undefined,
      (e: unknown) => e as Error & { kind?: string },
    );
    expect(err?.kind).to.equal('refused');
    expect(err?.message).to.contain(`only Jenkins (${naming.jenkinsNodeRole('prod')})`);
    expect(records(s3, 'prod')).to.deep.equal([]);
  });

  it("one of the environment's approver roles switches it themself", async () => {
    const { deps } = world(assumed('TDRReleaseApproverProd', 'carol'));
    expect((await switchMaintenance(deps, request('prod'))).result.outcome).to.equal('succeeded');
  });

  it('where no approver is needed, an approver passed is not recorded as an approval', async () => {
    const { deps, s3 } = world(assumed('TDRDeveloper', 'dave'));
    const { result } = await switchMaintenance(deps, request('intg', { jenkinsApprover: 'alice' }));
    expect(result.outcome).to.equal('succeeded');
    expect(records(s3, 'intg').every((r) => r.approval === null)).to.equal(true);
  });

  it('CreateRule took effect but its reply was lost: the listener shows it, so the switch succeeded', async () => {
    const { deps, s3 } = world(assumed('TDRDeveloper', 'dave'), { lostReply: true });
    const { result, failure } = await switchMaintenance(deps, request('intg'));
    expect(failure).to.equal(null);
    expect(result).to.include({ outcome: 'succeeded', maintenanceRule: `${LISTENER}/503` });
    expect(records(s3, 'intg').map((r) => r.outcome)).to.deep.equal(['started', 'succeeded']);
  });

  it('SIGTERM before CreateRule: nothing changed, recorded, and the stop goes up as InterruptedError (exit 143)', async () => {
    const stop = new AbortController();
    const { deps, s3 } = world(assumed('TDRDeveloper', 'dave'));
    // The abort arrives as the write-ahead record is written: the next checkpoint is CreateRule's.
    const log = (line: string) => line.includes(': started') && stop.abort('SIGTERM');
    const err = await switchMaintenance({ ...deps, log, signal: stop.signal }, request('intg')).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(InterruptedError);
    expect((err as InterruptedError).signal, 'what cli/exit-codes.ts turns into 143').to.equal('SIGTERM');
    const [started, stopped] = records(s3, 'intg');
    expect(started?.outcome).to.equal('started');
    expect(stopped).to.include({
      outcome: 'failed',
      detail: 'nothing changed; stopped: interrupted by SIGTERM',
    });
    expect(s3.objects.has('leases/maintenance/intg.json')).to.equal(false);
  });

  it('an "off" killed half-way is settled from the listener (503 rule still up: failed), then switched off', async () => {
    const { deps, s3 } = world(assumed('TDRDeveloper', 'dave'));
    await switchMaintenance(deps, request('intg'));
    const [on] = records(s3, 'intg').filter((r) => r.outcome === 'succeeded');
    // What the killed "off" left: its write-ahead record; it never reached DeleteRule.
    await new Ledger(s3.client, naming.ledgerBucket()).append({
      ...on!,
      runId: 'killed',
      action: 'maintenance-off',
      outcome: 'started',
      restores: on!.seq,
      finishedAt: null,
      detail: null,
    });
    const { result } = await switchMaintenance(deps, request('intg', { switch: 'off', reason: null }));
    expect(result.outcome).to.equal('succeeded');
    const settled = records(s3, 'intg').find((r) => r.settles === 3);
    expect(settled).to.include({ runId: 'killed', outcome: 'failed' });
    expect(settled?.detail).to.contain('did not');
  });
});
