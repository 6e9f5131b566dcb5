/**
 * A prod canary through the release engine, against the ECS service-deployment stand-in
 * (test/support/canary-world.ts). Stage records, stage marks and announcements: ./ecs-progressive-stages.test.ts.
 */
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { expect } from 'chai';
import { approve } from '../admin/approve';
import {
  ALARM,
  MGMT,
  approveAsAlice,
  canaryWorld,
  promoteToPause,
  promoteToProd,
  prodRecords,
  ALICE,
} from '../../../test/support/canary-world';
import { continueHeldRelease, stopInFlightRelease } from './ecs-progressive-run';
import { stageKey } from './ecs-progressive';
import { releaseService } from './ecs-service-rollout';
import { status } from '../reads/status';
import { renderStatus } from '../../../cli/status';

describe('strategies/ecs-progressive: a prod canary that ECS shifts and the engine follows', function () {
  // Each test takes a release through intg, staging and prod's stages: about a second, more on a busy machine.
  this.timeout(20_000);
  it('pauses for approval on the test listener (exit 0, run open), then promotes with one approval', async () => {
    const w = canaryWorld();
    const held = await promoteToPause(w);
    expect(held.failure).to.equal(null);
    expect(held.result.outcome).to.equal('started');
    expect(w.logs.join('\n')).to.contain(
      'paused for approval on the test listener: https://app.tdr.nationalarchives.gov.uk:8443; run tdr approve --service frontend --env prod',
    );
    const all = prodRecords(w);
    // The write-ahead record, then one stage record per distinct stage, the pause last.
    const distinct = [...new Set(all.at(-1)!.stages!.map(stageKey))];
    expect(all.map((r) => r.outcome)).to.deep.equal(Array(1 + distinct.length).fill('started'));
    expect(all.slice(1).map((r) => stageKey(r.stage!))).to.deep.equal(distinct);
    const open = [all[0]!, all.at(-1)!];
    expect(open[1]!.detail).to.match(/^awaiting approval/);
    expect(open[1]!.stage).to.deep.equal(open[1]!.stages!.at(-1));
    expect(open[1]!.stages!.at(-1)).to.deep.include({
      stage: 'POST_TEST_TRAFFIC_SHIFT',
      awaitingApproval: true,
      test: 100,
      production: 0,
    });
    expect(open[1]!.stages!.map((s) => s.stage)).to.include.members(['PRE_SCALE_UP', 'TEST_TRAFFIC_SHIFT']);

    const { result, failure } = await approveAsAlice(w);
    expect(failure).to.equal(null);
    expect(result.outcome).to.equal('succeeded');
    const done = prodRecords(w).at(-1)!;
    expect(done).to.deep.include({ outcome: 'succeeded', settles: open[1]!.seq });
    expect(done.approval).to.deep.include({ approver: 'alice', via: 'sts', identity: ALICE });
    expect(done.approver).to.equal('alice');
    const judged = done.stages!.filter((s) => s.judgement);
    expect(judged).to.have.length(1);
    expect(judged[0]!.judgement!.verdict).to.equal('pass');
    expect(judged[0]!.production).to.equal(w.prod.canaryPercent);
    const evidence = judged[0]!.judgement!.evidence as { queries: unknown[]; window: { seconds: number } };
    expect(evidence.queries.length).to.be.greaterThan(0);
    expect(evidence.window.seconds).to.be.at.least(60);
    expect(done.stages!.map((s) => s.production)).to.include(100);
    expect(done.stages!.at(-1)!.status).to.equal('SUCCESSFUL');
  });

  it('tdr status shows the stage, the split and "awaiting approval" with the command to run', async () => {
    const w = canaryWorld();
    await promoteToPause(w);
    const [row] = await status(w.deps, { service: 'frontend', env: 'prod' });
    expect(row!.ecs.deployment).to.deep.include({
      stage: 'POST_TEST_TRAFFIC_SHIFT',
      status: 'IN_PROGRESS',
      production: 0,
      test: 100,
      awaitingApproval: true,
      serviceDeployment: prodRecords(w).at(-1)!.serviceDeployment,
    });
    expect(renderStatus([row!])).to.contain(
      'deploying frontend/prod: POST_TEST_TRAFFIC_SHIFT (IN_PROGRESS): production 0%, test 100%, awaiting approval: run tdr approve --service frontend --env prod',
    );
    await approveAsAlice(w);
    const [after] = await status(w.deps, { service: 'frontend', env: 'prod' });
    expect(after!.ecs.deployment).to.equal(null);
  });

  it('a service ECS still rolls (infra not applied) is released rolling, and needs its approval before', async () => {
    const w = canaryWorld();
    const rolling = w.ecs.on(DescribeServicesCommand);
    rolling.callsFake(() => ({
      services: [
        {
          status: 'ACTIVE',
          taskDefinition: w.service.td,
          runningCount: 1,
          desiredCount: 1,
          deployments: [{ status: 'PRIMARY', rolloutState: 'COMPLETED' }],
          deploymentConfiguration: { strategy: 'ROLLING' },
        },
      ],
    }));
    const err = await promoteToPause(w).catch((e: unknown) => e as Error & { kind?: string });
    expect((err as { kind?: string }).kind).to.equal('refused');
    expect((err as Error).message).to.contain('prod needs an approval by one of its approvers (admins)');
    expect(w.logs.join('\n')).to.contain(
      'the model releases frontend in prod canary, but ECS has the service ROLLING',
    );
  });

  it('the promoter cannot approve their own promotion at the pause (four eyes), and ECS keeps holding it', async () => {
    const w = canaryWorld();
    await promoteToPause(w);
    const bobApprover = `arn:aws:sts::${MGMT}:assumed-role/TDRReleaseApproverProd/bob`;
    const asBob = { ...w.deps, clients: { ...w.deps.clients, callerIdentity: async () => bobApprover } };
    const rec = await approve(asBob, { service: 'frontend', env: 'prod' });
    const err = await continueHeldRelease(
      asBob,
      { service: 'frontend', env: 'prod', actor: 'bob' },
      rec,
    ).catch((e: unknown) => e as Error & { kind?: string });
    expect((err as { kind?: string }).kind).to.equal('refused');
    expect((err as Error).message).to.contain('is the promoter');
    const arn = prodRecords(w).at(-1)!.serviceDeployment!;
    const d = w.standIn.describeServiceDeployments({ serviceDeploymentArns: [arn] }).serviceDeployments![0]!;
    expect(d.lifecycleHookDetails![0]!.status).to.equal('AWAITING_ACTION');
  });

  it('a canary that returns 5xx is rolled back by the alarm before 100 % of the traffic, recorded with its evidence', async () => {
    const w = canaryWorld();
    await promoteToPause(w);
    let fired = false;
    w.onTick.push(() => {
      const arn = prodRecords(w).at(-1)?.serviceDeployment;
      if (fired || !arn) return;
      const d = w.standIn.describeServiceDeployments({ serviceDeploymentArns: [arn] })
        .serviceDeployments![0]!;
      if ((d.targetServiceRevision?.requestedProductionTrafficWeight ?? 0) > 0) {
        fired = true;
        w.standIn.setAlarm(ALARM, 'ALARM');
      }
    });
    const reason =
      'Threshold Crossed: 1 out of the last 1 datapoints [12.0 (25/11/26 10:31:00)] was greater than the threshold (5.0)';
    const changed = new Date('2026-11-25T10:31:30Z');
    w.cw.on(DescribeAlarmsCommand).callsFake((input: { AlarmNames?: string[] }) => ({
      MetricAlarms: (input.AlarmNames ?? [])
        .filter((n) => n === ALARM)
        .map((n) => ({
          AlarmName: n,
          StateValue: 'ALARM',
          StateReason: reason,
          StateUpdatedTimestamp: changed,
        })),
    }));
    const { result, failure } = await approveAsAlice(w);
    expect(fired, 'the alarm fired during the canary').to.equal(true);
    expect(result.outcome).to.equal('rolled_back');
    expect(failure).to.contain(`rolled back by ${ALARM}`);
    const done = prodRecords(w).at(-1)!;
    expect(done).to.deep.include({
      outcome: 'rolled_back',
      detail: `rolled back by ${ALARM}`,
      rolledBackBy: [ALARM],
    });
    // Its evidence: what CloudWatch said of the alarm, and ECS's own reason and time.
    const asked = w.cw.commandCalls(DescribeAlarmsCommand).map((c) => c.args[0].input.AlarmNames);
    expect(asked).to.deep.equal([[ALARM]]);
    const arn = done.serviceDeployment!;
    const d = w.standIn.describeServiceDeployments({ serviceDeploymentArns: [arn] }).serviceDeployments![0]!;
    expect(done.alarmEvidence).to.deep.equal({
      ecsReason: d.rollback!.reason,
      rollbackStartedAt: d.rollback!.startedAt!.toISOString(),
      alarms: [{ name: ALARM, state: 'ALARM', stateReason: reason, stateUpdatedAt: changed.toISOString() }],
      error: null,
    });
    expect(
      done.stages!.every((s) => (s.production ?? 0) < 100),
      'never all the traffic',
    ).to.equal(true);
    expect(done.stages!.at(-1)!.status).to.equal('ROLLBACK_SUCCESSFUL');
  });

  it('an inconclusive step (no data) never promotes: the engine stops the deployment with ROLLBACK', async () => {
    const w = canaryWorld();
    await promoteToPause(w);
    w.metrics.RequestCount = null;
    w.metrics.HTTPCode_Target_5XX_Count = null;
    w.metrics.TargetResponseTime = null;
    const { result, failure } = await approveAsAlice(w);
    expect(result.outcome).to.equal('rolled_back');
    expect(failure).to.contain('the canary judge said inconclusive');
    const done = prodRecords(w).at(-1)!;
    const judged = done.stages!.filter((s) => s.judgement);
    expect(judged.map((s) => s.judgement!.verdict)).to.deep.equal(['inconclusive']);
    expect(
      done.stages!.every((s) => (s.production ?? 0) < 100),
      'never all the traffic',
    ).to.equal(true);
  });

  it('approve --no-wait continues the deployment and returns at once; the next operation settles it from ECS', async () => {
    const w = canaryWorld();
    await promoteToPause(w);
    const { result, failure } = await approveAsAlice(w, false);
    expect(failure).to.equal(null);
    expect(result.outcome).to.equal('started');
    expect(prodRecords(w).at(-1)!.outcome, 'left open').to.equal('started');
    // No engine judges the canary now: ECS alone takes it to the end.
    w.clock.t += 60 * 60_000;
    const next = await promoteToProd(w, 'v3');
    expect(next.result.settled).to.have.length(1);
    expect(prodRecords(w).find((r) => r.settles !== null)).to.deep.include({
      outcome: 'succeeded',
      version: 'v2',
    });
  });

  it('an open run whose deployment ECS is still working on is a conflict naming approve and rollback', async () => {
    const w = canaryWorld();
    await promoteToPause(w);
    const err = await releaseService(w.deps, {
      action: 'promote',
      service: 'frontend',
      env: 'prod',
      actor: 'bob',
    }).catch((e: unknown) => e as Error & { kind?: string });
    expect((err as { kind?: string }).kind).to.equal('conflict');
    expect((err as Error).message).to.contain('tdr approve --service frontend --env prod');
    expect((err as Error).message).to.contain('tdr rollback --service frontend --env prod');
  });

  it('tdr rollback during the pause stops the deployment with ROLLBACK and records it', async () => {
    const w = canaryWorld();
    await promoteToPause(w);
    const { result, failure } = await stopInFlightRelease(w.deps, {
      service: 'frontend',
      env: 'prod',
      actor: 'carol',
    });
    expect(failure).to.equal(null);
    expect(result.outcome).to.equal('rolled_back');
    const done = prodRecords(w).at(-1)!;
    expect(done.outcome).to.equal('rolled_back');
    expect(done.detail).to.match(/^rolled back by carol \(tdr rollback: StopServiceDeployment ROLLBACK\)/);
  });

  it('a follower stopped mid-canary (SIGTERM) leaves ECS to finish; the next operation settles the run from ECS', async () => {
    const w = canaryWorld();
    await promoteToPause(w);
    const stop = new AbortController();
    w.onTick.push(() => {
      const arn = prodRecords(w).at(-1)?.serviceDeployment;
      if (!arn || stop.signal.aborted) return;
      const d = w.standIn.describeServiceDeployments({ serviceDeploymentArns: [arn] })
        .serviceDeployments![0]!;
      if ((d.targetServiceRevision?.requestedProductionTrafficWeight ?? 0) > 0) stop.abort('SIGTERM');
    });
    const asAlice = {
      ...w.deps,
      signal: stop.signal,
      clients: { ...w.deps.clients, callerIdentity: async () => ALICE },
    };
    const rec = await approve(asAlice, { service: 'frontend', env: 'prod' });
    const err = await continueHeldRelease(
      asAlice,
      { service: 'frontend', env: 'prod', actor: 'alice' },
      rec,
    ).catch((e: unknown) => e as { kind?: string });
    expect(String(err)).to.contain('InterruptedError: interrupted by SIGTERM');
    const left = prodRecords(w).at(-1)!;
    expect(left.outcome, 'left open').to.equal('started');
    // The stages up to the stop are in the ledger: the production shift is the newest stage record.
    expect(left.stage).to.deep.include({ stage: 'PRODUCTION_TRAFFIC_SHIFT' });
    // ECS goes on alone: the canary bake, the rest of the traffic, the final bake.
    w.clock.t += 60 * 60_000;
    const next = await promoteToProd(w, 'v3');
    expect(next.failure).to.equal(null);
    const settled = prodRecords(w).find((r) => r.settles !== null)!;
    expect(settled).to.deep.include({ outcome: 'succeeded', version: 'v2' });
    expect(settled.detail).to.contain('ECS completed service deployment');
    expect(next.result.settled).to.deep.equal([settled.seq]);
    // Settlement adds the stage ECS ended in to the stages the killed follower recorded.
    expect(settled.settles).to.equal(left.seq);
    expect(settled.stages!.slice(0, -1)).to.deep.equal(left.stages);
    expect(settled.stages!.at(-1)!.status).to.equal('SUCCESSFUL');
  });
});
