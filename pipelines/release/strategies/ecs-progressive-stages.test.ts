/**
 * A progressive run's stages as they happen: one ledger stage record and one Grafana stage mark per
 * distinct stage, the outcome of approve/rollback at the pause announced, and a rollback by alarm
 * recorded with its evidence. On the prod canary of test/support/canary-world.ts.
 */
import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { expect } from 'chai';
import { naming } from '../../../services/naming';
import type { AnnotationSink } from '../notify';
import {
  ALARM,
  approveAsAlice,
  canaryWorld,
  promoteToPause,
  prodRecords,
} from '../../../test/support/canary-world';
import { stopInFlightRelease } from './ecs-progressive-run';
import { stageKey } from './ecs-progressive';

describe('strategies/ecs-progressive: stage records, stage marks, announcements', function () {
  this.timeout(20_000);
  it('each distinct stage is one stage record and one Grafana stage mark; approve at the pause announces the outcome', async () => {
    const w = canaryWorld();
    const annotations: Array<{ tags: string[]; text: string; time: number }> = [];
    const slack: string[] = [];
    const sink: AnnotationSink = { createAnnotation: async (a) => annotations.push(a) };
    w.deps = {
      ...w.deps,
      notifier: {
        annotations: sink,
        slackWebhookUrl: 'https://hooks.slack.invalid/services/T/B/x',
        fetch: (async (_url: string, init: { body: string }) => {
          slack.push((JSON.parse(init.body) as { text: string }).text);
          return new Response(null, { status: 200 });
        }) as unknown as typeof fetch,
      },
    };
    await promoteToPause(w);
    const stageMarks = () => annotations.filter((a) => a.tags[0] === 'deploy-stage');
    const stageRecords = () => prodRecords(w).filter((r) => r.outcome === 'started' && r.stage);
    const atPause = stageRecords();
    expect(atPause.length).to.be.greaterThan(1);
    expect(stageMarks().map((a) => a.tags)).to.deep.equal(
      atPause.map((r) => naming.deployStageAnnotationTags('frontend', 'prod', r.stage!.stage)),
    );
    const { result, failure } = await approveAsAlice(w);
    expect(failure).to.equal(null);
    const records = stageRecords();
    const keys = records.map((r) => stageKey(r.stage!));
    expect(keys, 'no stage recorded twice').to.deep.equal([...new Set(keys)]);
    const done = prodRecords(w).at(-1)!;
    // The canary's step and the rest of the traffic are two stages of one key: one record.
    const shifts = done.stages!.filter((x) => x.stage === 'PRODUCTION_TRAFFIC_SHIFT');
    expect(shifts.length).to.be.greaterThan(1);
    expect(keys.filter((k) => k === 'PRODUCTION_TRAFFIC_SHIFT')).to.have.length(1);
    // Every stage ECS was in before the end has its record, every record its mark.
    const before = [...new Set(done.stages!.slice(0, -1).map(stageKey))];
    expect(keys).to.deep.equal(before);
    expect(stageMarks()).to.have.length(records.length);
    expect(records.every((r) => r.outcome === 'started' && r.runId === done.runId)).to.equal(true);
    // Written during the approval: they carry it, and the result lists them before the outcome.
    const afterApproval = records.slice(atPause.length);
    expect(afterApproval.length).to.be.greaterThan(0);
    expect(afterApproval.every((r) => r.approver === 'alice')).to.equal(true);
    expect(result.ledger).to.deep.equal([...afterApproval.map((r) => r.seq), done.seq]);
    expect(done.stage, 'the outcome is of no one stage').to.equal(undefined);
    // The outcome, announced as the saga announces one: Slack and the deploy annotation.
    const toProd = slack.filter((t) => t.includes('to prod'));
    expect(toProd).to.have.length(1);
    expect(toProd[0]).to.contain('promote frontend v2 to prod: succeeded (by bob)');
    const prodTags = annotations.filter((a) => a.tags[0] === 'deploy' && a.tags.includes('prod'));
    expect(prodTags.map((a) => a.tags)).to.deep.equal([
      naming.deployAnnotationTags('frontend', 'prod', 'v2'),
    ]);
    expect(result.notifications?.map((n) => `${n.channel} ${n.status}`)).to.deep.equal([
      'slack sent',
      'grafana sent',
    ]);
  });

  it('a Grafana that fails every stage mark fails nothing: the release goes on, and the log says so', async () => {
    const w = canaryWorld();
    w.deps = {
      ...w.deps,
      notifier: {
        annotations: { createAnnotation: () => Promise.reject(new Error('HTTP 500 from Grafana')) },
      },
    };
    const held = await promoteToPause(w);
    expect(held.failure).to.equal(null);
    const { result, failure } = await approveAsAlice(w);
    expect(failure).to.equal(null);
    expect(result.outcome).to.equal('succeeded');
    expect(
      w.logs.filter((l) => / stage mark \S+ in grafana: failed \(HTTP 500 from Grafana\)/.test(l)).length,
    ).to.equal(prodRecords(w).filter((r) => r.stage).length);
    expect(result.notifications?.find((n) => n.channel === 'grafana')?.status).to.equal('failed');
  });

  it('tdr rollback during the pause announces the rollback (Slack), as the saga announces one', async () => {
    const w = canaryWorld();
    await promoteToPause(w);
    const slack: string[] = [];
    w.deps = {
      ...w.deps,
      notifier: {
        slackWebhookUrl: 'https://hooks.slack.invalid/services/T/B/x',
        fetch: (async (_url: string, init: { body: string }) => {
          slack.push((JSON.parse(init.body) as { text: string }).text);
          return new Response(null, { status: 200 });
        }) as unknown as typeof fetch,
      },
    };
    const { result } = await stopInFlightRelease(w.deps, {
      service: 'frontend',
      env: 'prod',
      actor: 'carol',
    });
    expect(result.outcome).to.equal('rolled_back');
    expect(slack).to.have.length(1);
    expect(slack[0]).to.match(/promote frontend v2 to prod: rolled_back \(by bob\) — rolled back by carol/);
  });

  it('a rollback by alarm whose alarm CloudWatch cannot describe is still recorded, the failure in its evidence', async () => {
    const w = canaryWorld();
    await promoteToPause(w);
    w.onTick.push(() => w.standIn.setAlarm(ALARM, 'ALARM'));
    w.cw
      .on(DescribeAlarmsCommand)
      .rejects(Object.assign(new Error('User is not authorized'), { name: 'AccessDenied' }));
    const { result } = await approveAsAlice(w);
    expect(result.outcome).to.equal('rolled_back');
    const done = prodRecords(w).at(-1)!;
    expect(done.rolledBackBy).to.deep.equal([ALARM]);
    expect(done.alarmEvidence!.alarms).to.deep.equal([
      { name: ALARM, state: null, stateReason: null, stateUpdatedAt: null },
    ]);
    expect(done.alarmEvidence!.error).to.contain('describing CloudWatch alarms');
    expect(done.alarmEvidence!.ecsReason).to.contain(ALARM);
  });
});
