/**
 * The maintenance switch against moto's ELBv2: the sandbox's load balancer and listener are
 * infra's, "on" puts the service-unavailable rule first, "off" leaves the listener exactly as it
 * was (every rule, field by field), and both are in the ledger, `history` and `status`.
 */
import {
  CreateRuleCommand,
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
  ElasticLoadBalancingV2Client,
  ModifyRuleCommand,
  type Rule,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { S3Client } from '@aws-sdk/client-s3';
import { expect } from 'chai';
import { naming } from '../services/naming';
import { ecsServices } from '../services/queries';
import { loadPlatform } from '../services/config';
import { Ledger, type HistoryEntry } from '../pipelines/release/ledger/ledger';
import { Leases } from '../pipelines/release/ledger/lease';
import { WORKLOAD_ENVIRONMENTS } from '../services/environments';
import type { MaintenanceStatus } from '../pipelines/release/reads/maintenance-status';
import { assumeRole } from './support/accounts';
import { SANDBOX, sandboxUp, tdr } from './support/release';

type Env = Record<string, string | undefined>;
type WorkloadEnv = keyof typeof SANDBOX;

async function elbIn(env: WorkloadEnv): Promise<ElasticLoadBalancingV2Client> {
  return new ElasticLoadBalancingV2Client({
    credentials: await assumeRole(SANDBOX[env], naming.jenkinsEcsUpdateRole(env)),
  });
}

/** The public listener's rules, read straight from ELBv2. */
async function listenerRules(env: WorkloadEnv): Promise<{ listenerArn: string; rules: Rule[] }> {
  const elb = await elbIn(env);
  const lb = await elb.send(new DescribeLoadBalancersCommand({ Names: [naming.loadBalancer(env)] }));
  const listeners = await elb.send(
    new DescribeListenersCommand({ LoadBalancerArn: lb.LoadBalancers?.[0]?.LoadBalancerArn }),
  );
  const listenerArn =
    listeners.Listeners?.find((l) => l.Port === naming.publicListenerPort())?.ListenerArn ?? '';
  const out = await elb.send(new DescribeRulesCommand({ ListenerArn: listenerArn }));
  return { listenerArn, rules: out.Rules ?? [] };
}

async function historyOf(env: Env, ...args: string[]): Promise<HistoryEntry[]> {
  return JSON.parse((await tdr(['history', ...args, '-o', 'json'], env)).stdout) as HistoryEntry[];
}

async function maintenanceOf(env: Env, e: WorkloadEnv): Promise<MaintenanceStatus | null> {
  const rows = JSON.parse((await tdr(['status', '--env', e, '-o', 'json'], env)).stdout) as Array<{
    maintenance: MaintenanceStatus | null;
  }>;
  expect(rows.length).to.be.greaterThan(0);
  return rows[0]!.maintenance;
}

describe('maintenance switch (moto)', () => {
  it('on puts the 503 rule first; off leaves the listener exactly as it was; both recorded and shown', async () => {
    const env = await sandboxUp();
    const before = await listenerRules('intg');
    // The sandbox's listener is infra's: the 404 default and one host rule per catalogue service.
    expect(before.rules.length).to.equal(ecsServices(loadPlatform({}).catalogue).length + 1);

    const dry = await tdr(
      ['maintenance', 'on', '--env', 'intg', '--reason', 'database upgrade', '--dry-run'],
      env,
    );
    expect(dry.stdout).to.contain('maintenance on in intg: planned');
    expect((await listenerRules('intg')).rules).to.deep.equal(before.rules);

    const on = await tdr(
      ['maintenance', 'on', '--env', 'intg', '--reason', 'database <upgrade>', '--actor', 'ops'],
      env,
    );
    expect(on.stdout).to.contain('maintenance on in intg: succeeded');
    const during = await listenerRules('intg');
    const first = during.rules.find((r) => r.Priority === '1');
    expect(first?.Actions?.[0]?.FixedResponseConfig).to.include({
      StatusCode: '503',
      ContentType: 'text/html',
    });
    expect(first?.Actions?.[0]?.FixedResponseConfig?.MessageBody).to.contain('database &#60;upgrade&#62;');
    expect(during.rules.length).to.equal(before.rules.length + 1);

    const status = await maintenanceOf(env, 'intg');
    expect(status).to.include({ on: true, by: 'ops', reason: 'database <upgrade>', listener: true });
    expect(status?.drift).to.deep.equal([]);
    expect((await tdr(['status', '--env', 'intg'], env)).stdout).to.contain('MAINTENANCE intg: ON since');
    expect(await maintenanceOf(env, 'staging')).to.include({ on: false, listener: false });

    // Already on: a conflict, nothing changed.
    const again = await tdr(['maintenance', 'on', '--env', 'intg', '--reason', 'twice'], env, 4);
    expect(again.stderr).to.contain('maintenance is already on');
    expect((await listenerRules('intg')).rules).to.deep.equal(during.rules);

    const off = await tdr(['maintenance', 'off', '--env', 'intg', '--actor', 'ops'], env);
    expect(off.stdout).to.contain('maintenance off in intg: succeeded');
    const after = await listenerRules('intg');
    expect(after.listenerArn).to.equal(before.listenerArn);
    // Every rule, every field: ARN, priority, conditions, actions, default flag.
    expect(after.rules).to.deep.equal(before.rules);
    expect((await maintenanceOf(env, 'intg'))?.on).to.equal(false);
    expect((await tdr(['status', '--env', 'intg'], env)).stdout).to.not.contain('MAINTENANCE');

    const records = await historyOf(env, '--service', 'maintenance', '--env', 'intg');
    expect(
      records.map((r) => (r.kind === 'maintenance' ? `${r.action} ${r.outcome}` : r.kind)),
    ).to.deep.equal([
      'maintenance-off succeeded',
      'maintenance-off started',
      'maintenance-on succeeded',
      'maintenance-on started',
    ]);
    const onRecord = records[2]!;
    expect(onRecord).to.include({ kind: 'maintenance', actor: 'ops', reason: 'database <upgrade>' });
    expect((records[0] as { restores: number }).restores).to.equal(onRecord.seq);
    // The merged history of the environment shows the switch among releases.
    const all = await historyOf(env, '--env', 'intg');
    expect(all.filter((r) => r.service === 'maintenance').length).to.equal(records.length);

    // Off when it is already off: nothing to do, exit 0 (4 means a held lease), nothing recorded.
    const notOn = await tdr(['maintenance', 'off', '--env', 'intg'], env, 0);
    expect(notOn.stdout).to.contain('maintenance is already off in intg: nothing to do');
    const json = await tdr(['maintenance', 'off', '--env', 'intg', '-o', 'json'], env, 0);
    expect(JSON.parse(json.stdout)).to.deep.equal({ switch: 'off', env: 'intg', outcome: 'already-off' });
    expect(await historyOf(env, '--service', 'maintenance', '--env', 'intg')).to.have.length(records.length);
  });

  it('status shows a stuck maintenance lease and what to do; tdr status --service maintenance shows the switch alone (issue 24 item 13)', async () => {
    const env = await sandboxUp();
    // A switch that died holding its lease (a killed Jenkins agent).
    await new Leases(new S3Client({ forcePathStyle: true }), naming.ledgerBucket()).acquire(
      naming.maintenanceSubject(),
      'intg',
      'jenkins-agent-9',
      'run-dead',
      600_000,
    );
    const text = await tdr(['status', '--service', 'maintenance'], env);
    expect(text.stdout).to.match(
      /lease maintenance\/intg: held by jenkins-agent-9 since .* tdr maintenance on\/off waits for it \(exit 4\)\. If that run is gone: tdr lease break --service maintenance --env intg --reason/,
    );
    expect(text.stdout, 'only the switch').to.not.contain('frontend');
    const rows = JSON.parse(
      (await tdr(['status', '--service', 'maintenance', '-o', 'json'], env)).stdout,
    ) as MaintenanceStatus[];
    expect(rows.map((r) => r.env)).to.deep.equal(WORKLOAD_ENVIRONMENTS.slice());
    expect(rows.find((r) => r.env === 'intg')?.lease).to.deep.include({
      holder: 'jenkins-agent-9',
      expired: false,
    });
    expect(rows.filter((r) => r.env !== 'intg').map((r) => r.lease)).to.deep.equal(
      WORKLOAD_ENVIRONMENTS.filter((e) => e !== 'intg').map(() => null),
    );
    // And what it says is so: the next switch waits (exit 4) until the lease is broken.
    await tdr(['maintenance', 'on', '--env', 'intg', '--reason', 'x'], env, 4);
  });

  it('off puts back a rule changed while maintenance was on, from the record, and names a rule added meanwhile', async () => {
    const env = await sandboxUp();
    const before = await listenerRules('staging');
    await tdr(['maintenance', 'on', '--env', 'staging', '--reason', 'incident'], env);
    const changed = before.rules.find((r) => !r.IsDefault)!;
    await (
      await elbIn('staging')
    ).send(
      new ModifyRuleCommand({
        RuleArn: changed.RuleArn,
        Conditions: [{ Field: 'host-header', HostHeaderConfig: { Values: ['elsewhere.example'] } }],
      }),
    );
    const added = await (
      await elbIn('staging')
    ).send(
      new CreateRuleCommand({
        ListenerArn: before.listenerArn,
        Priority: 500,
        Conditions: [{ Field: 'path-pattern', Values: ['/added/*'] }],
        Actions: [
          { Type: 'fixed-response', FixedResponseConfig: { StatusCode: '200', ContentType: 'text/plain' } },
        ],
      }),
    );
    const addedArn = added.Rules?.[0]?.RuleArn ?? '';
    const off = await tdr(['maintenance', 'off', '--env', 'staging'], env);
    expect(off.stdout).to.contain(`put back the conditions and actions of ${changed.RuleArn}`);
    expect(off.stdout).to.contain(
      `Left in place (appeared while maintenance was on; look at them):\n  ${addedArn}`,
    );
    const after = await listenerRules('staging');
    // The kept rules are back as they were; the added one is someone else's and stays.
    expect(after.rules.filter((r) => r.RuleArn !== addedArn)).to.deep.equal(before.rules);
    expect(after.rules.map((r) => r.RuleArn)).to.include(addedArn);
    const [record] = await historyOf(env, '--service', 'maintenance', '--env', 'staging');
    expect(record).to.deep.include({
      action: 'maintenance-off',
      outcome: 'succeeded',
      unexpectedRules: [addedArn],
    });
  });

  it('a switch cut short (the job killed after CreateRule) is settled from the listener by the next one', async () => {
    const env = await sandboxUp();
    const before = await listenerRules('intg');
    // What a killed "on" leaves: its write-ahead record, and the 503 rule it had created.
    const ledger = new Ledger(new S3Client({ forcePathStyle: true }), naming.ledgerBucket());
    const started = await ledger.append({
      kind: 'maintenance',
      runId: 'killed-run',
      action: 'maintenance-on',
      outcome: 'started',
      service: naming.maintenanceSubject(),
      env: 'intg',
      version: '',
      digest: '',
      actor: 'jenkins',
      reason: 'killed mid-way',
      listenerArn: before.listenerArn,
      savedRules: before.rules as never,
      maintenanceRule: null,
      restores: null,
      unexpectedRules: [],
      buildUrl: null,
      startedAt: new Date().toISOString(),
      finishedAt: null,
      detail: null,
      settles: null,
      approval: null,
    });
    await (
      await elbIn('intg')
    ).send(
      new CreateRuleCommand({
        ListenerArn: before.listenerArn,
        Priority: 1,
        Conditions: [{ Field: 'path-pattern', Values: ['*'] }],
        Actions: [
          {
            Type: 'fixed-response',
            FixedResponseConfig: { StatusCode: '503', ContentType: 'text/html', MessageBody: 'down' },
          },
        ],
      }),
    );
    const status = (await tdr(['status', '--env', 'intg'], env)).stdout;
    expect(status).to.contain(`unsettled maintenance/intg: ledger #${started.seq} has no outcome`);
    expect(status).to.contain('drift maintenance/intg: a rule answers 503 first on the listener');

    const off = await tdr(['maintenance', 'off', '--env', 'intg'], env);
    expect(off.stdout).to.contain(`settled cut-short switches: #${started.seq + 1}`);
    expect((await listenerRules('intg')).rules).to.deep.equal(before.rules);
    const records = await historyOf(env, '--service', 'maintenance', '--env', 'intg');
    expect(records.find((r) => r.seq === started.seq + 1)).to.deep.include({
      action: 'maintenance-on',
      outcome: 'succeeded',
      settles: started.seq,
    });
  });

  it('refuses bad input before any AWS call, and prod without an approver', async () => {
    const env = await sandboxUp();
    const noReason = await tdr(['maintenance', 'on', '--env', 'intg'], env, 2);
    expect(noReason.stderr).to.contain('reason:');
    const badEnv = await tdr(['maintenance', 'on', '--env', 'mgmt', '--reason', 'x'], env, 2);
    expect(badEnv.stderr).to.contain('--env');
    const long = await tdr(['maintenance', 'on', '--env', 'intg', '--reason', 'x'.repeat(900)], env, 2);
    expect(long.stderr).to.match(/reason: .*1024/);
    const before = await listenerRules('prod');
    const dry = await tdr(
      ['maintenance', 'on', '--env', 'prod', '--reason', 'incident', '--dry-run'],
      env,
      3,
    );
    expect(dry.stdout).to.contain('[NG]');
    const refused = await tdr(['maintenance', 'on', '--env', 'prod', '--reason', 'incident'], env, 3);
    expect(refused.stderr).to.contain("is not one of prod's approvers");
    expect((await listenerRules('prod')).rules).to.deep.equal(before.rules);
    expect(await historyOf(env, '--service', 'maintenance', '--env', 'prod')).to.deep.equal([]);
  });
});
