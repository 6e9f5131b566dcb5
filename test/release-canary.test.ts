/**
 * A prod canary through real `tdr` processes: moto for everything it serves, and the ECS
 * service-deployment stand-in (sandbox/ecs-deployments.ts) behind the proxy for what it does
 * not (ListServiceDeployments, DescribeServiceDeployments, ContinueServiceDeployment,
 * StopServiceDeployment), with moto's DescribeServices answer given the deployment configuration
 * infra would set (CANARY, alarm rollback, a PAUSE hook after test traffic). UpdateService of the
 * prod service starts a stand-in deployment, as it starts one in ECS. Grafana is the fake one on
 * 127.0.0.1 (GRAFANA_URL), recording the stage marks and deploy annotations `tdr` sends.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { DeploymentConfiguration, ServiceDeployment } from '@aws-sdk/client-ecs';
import { expect } from 'chai';
import { naming } from '../services/naming';
import { motoServer } from './support/hooks';
import { startProxy, type Proxy } from './support/proxy';
import { runTdr } from './support/cli';
import { EcsDeploymentsStandIn } from '../sandbox/ecs-deployments';
import { FakeGrafana } from './support/fake-grafana';
import { standInAnswer, withDeploymentConfiguration } from './support/ecs-deployments-wire';
import { APPROVER_ROLE, SANDBOX, as, e2ePassed, sandboxUp, tdr } from './support/release';

type Env = Record<string, string | undefined>;

const ROOT = join(__dirname, '..');
const CLUSTER = naming.cluster('frontend', 'prod');
const SERVICE = naming.ecsService('frontend', 'prod');
const FRONTEND = ['--service', 'frontend'];

/** What infra gives the prod service (services/delivery.ts prod), with bakes short enough for a test. */
const CONFIG: DeploymentConfiguration = {
  strategy: 'CANARY',
  bakeTimeInMinutes: 0,
  canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 0 },
  lifecycleHooks: [
    {
      targetType: 'PAUSE',
      lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'],
      timeoutConfiguration: { timeoutInMinutes: 120, action: 'ROLLBACK' },
    },
  ],
  alarms: { alarmNames: ['frontend-prod-target-5xx'], enable: true, rollback: true },
};

interface Stand {
  env: Env;
  standIn: EcsDeploymentsStandIn;
  proxy: Proxy;
  /** Called with each operation before it is answered. */
  watch: { on?: (label: string) => void };
}

async function stand(): Promise<Stand> {
  const clean = await sandboxUp();
  const standIn = new EcsDeploymentsStandIn({
    clock: { now: () => Date.now() },
    stageSeconds: 1,
    accountId: SANDBOX.prod,
  });
  standIn.addService(CLUSTER, SERVICE, { desiredCount: 1, config: CONFIG });
  const watch: Stand['watch'] = {};
  const answer = standInAnswer(standIn);
  const proxy = await startProxy(motoServer().endpoint, {
    onRequest: (op) => watch.on?.(op.label),
    answer,
    rewrite: (op, body) => {
      if (op.label === 'ECS UpdateService' && body.toString().includes(SERVICE))
        standIn.startDeployment(CLUSTER, SERVICE);
      return op.label === 'ECS DescribeServices'
        ? withDeploymentConfiguration(body, SERVICE, CONFIG)
        : undefined;
    },
  });
  return {
    env: { ...clean, AWS_ENDPOINT_URL: proxy.endpoint, TDR_LEASE_TTL_MS: '6000', TDR_RELEASE_POLL_MS: '100' },
    standIn,
    proxy,
    watch,
  };
}

/** v2 through intg and staging (both rolling in moto), its e2e check passed. */
async function toStaging(env: Env) {
  await tdr(['deploy', ...FRONTEND, '--env', 'intg', '--version', 'v2', '--actor', 'jenkins'], env);
  await tdr(['promote', ...FRONTEND, '--to', 'staging', '--actor', 'bob'], env);
  await e2ePassed(env, 'frontend', 'v2');
}

function newest(s: Stand): ServiceDeployment | undefined {
  const [brief] =
    s.standIn.listServiceDeployments({ cluster: CLUSTER, service: SERVICE }).serviceDeployments ?? [];
  if (!brief?.serviceDeploymentArn) return undefined;
  return s.standIn.describeServiceDeployments({ serviceDeploymentArns: [brief.serviceDeploymentArn] })
    .serviceDeployments?.[0];
}

async function history(env: Env): Promise<Array<Record<string, unknown>>> {
  const r = await tdr(['history', ...FRONTEND, '--env', 'prod', '-o', 'json'], env);
  return JSON.parse(r.stdout) as Array<Record<string, unknown>>;
}

describe('prod canary through tdr processes (moto + the ECS service-deployment stand-in)', () => {
  let s: Stand | undefined;
  let g: FakeGrafana | undefined;
  afterEach(async () => {
    await s?.proxy.close();
    await g?.stop();
    g = undefined;
  });

  it('promote pauses for approval (exit 0, run open, status shows it); rollback stops it with ROLLBACK', async function () {
    this.timeout(180_000);
    const grafana = (g = await FakeGrafana.start());
    s = await stand();
    s.env = { ...s.env, GRAFANA_URL: grafana.url, GRAFANA_TOKEN: grafana.token };
    await toStaging(s.env);
    const held = await tdr(['promote', ...FRONTEND, '--to', 'prod', '--actor', 'bob', '-o', 'json'], s.env);
    const result = JSON.parse(held.stdout) as { outcome: string; awaitingApproval: boolean; detail: string };
    expect(result).to.include({ outcome: 'started', awaitingApproval: true });
    expect(result.detail).to.contain('paused for approval on the test listener');
    expect(result.detail).to.contain('run tdr approve --service frontend --env prod');
    expect(newest(s)?.lifecycleHookDetails?.[0]?.status).to.equal('AWAITING_ACTION');
    // One stage record per distinct stage up to the pause, each with its Grafana stage mark.
    const stageRecords = (await history(s.env))
      .filter((h) => h.kind === 'release' && h.outcome === 'started' && h.stage)
      .reverse() as Array<{ stage: { stage: string; awaitingApproval: boolean }; seq: number }>;
    expect(stageRecords.length).to.be.greaterThan(2);
    expect(stageRecords.at(-1)!.stage).to.include({
      stage: 'POST_TEST_TRAFFIC_SHIFT',
      awaitingApproval: true,
    });
    const marks = grafana.annotations.filter((a) => a.tags[0] === 'deploy-stage');
    expect(marks.map((a) => a.tags)).to.have.deep.members(
      stageRecords.map((r) => naming.deployStageAnnotationTags('frontend', 'prod', r.stage.stage)),
    );
    expect(
      marks.every((a) => naming.deployStageAnnotationFilter('prod').every((t) => a.tags.includes(t))),
    ).to.equal(true);

    const status = await tdr(['status', ...FRONTEND, '--env', 'prod'], s.env);
    expect(status.stdout).to.contain('deploying frontend/prod: POST_TEST_TRAFFIC_SHIFT (IN_PROGRESS)');
    expect(status.stdout).to.contain('awaiting approval: run tdr approve --service frontend --env prod');

    const stopped = await tdr(['rollback', ...FRONTEND, '--env', 'prod', '--actor', 'carol'], s.env);
    expect(stopped.stdout).to.contain(': rolled_back');
    expect(newest(s)?.status).to.equal('ROLLBACK_SUCCESSFUL');
    const [last] = await history(s.env);
    expect(last).to.include({ outcome: 'rolled_back', version: 'v2' });
    expect(String(last?.detail)).to.match(
      /^rolled back by carol \(tdr rollback: StopServiceDeployment ROLLBACK\)/,
    );
    expect(last?.stage, 'the outcome is of no one stage').to.equal(undefined);
    // The rollback at the pause is announced as the saga announces one: the deploy annotation.
    const prodDeploys = grafana.annotations.filter((a) => a.tags[0] === 'deploy' && a.tags.includes('prod'));
    expect(prodDeploys.map((a) => a.tags)).to.deep.equal([
      naming.deployAnnotationTags('frontend', 'prod', 'v2'),
    ]);
    expect(prodDeploys[0]!.text).to.contain('promote frontend v2 to prod: rolled_back (by bob)');
    expect(stopped.stdout + stopped.stderr).to.match(/notify grafana: sent/);
  });

  it('tdr approve as an approver continues the held canary through the prod approval role, follows it to the end and records it', async function () {
    this.timeout(180_000);
    s = await stand();
    await toStaging(s.env);
    await tdr(['promote', ...FRONTEND, '--to', 'prod', '--actor', 'bob'], s.env);
    expect(newest(s)?.lifecycleHookDetails?.[0]?.status).to.equal('AWAITING_ACTION');
    const continued: string[] = [];
    s.watch.on = (label) => {
      if (label === 'ECS ContinueServiceDeployment') continued.push(label);
    };
    const asAlice = await as(s.env, APPROVER_ROLE, 'alice');
    // Exit 1: the judge finds no production listener rule on moto's service (inconclusive), and
    // an inconclusive step never promotes: the approver's command stops it with ROLLBACK.
    const approved = await tdr(['approve', ...FRONTEND, '--env', 'prod', '-o', 'json'], asAlice, 1);
    expect(approved.stderr).not.to.contain('could not look');
    expect(approved.stderr).to.contain('continuing service deployment');
    expect(continued, 'ContinueServiceDeployment sent once').to.have.length(1);
    expect(newest(s)?.status).to.equal('ROLLBACK_SUCCESSFUL');
    // Newest first: the outcome, the stage records the continued deployment reached, the approval.
    const records = await history(s.env);
    const last = records[0];
    expect(records.find((r) => r.kind === 'approval')).to.include({ approver: 'alice', version: 'v2' });
    expect(last).to.include({ outcome: 'rolled_back', version: 'v2' });
    expect(String(last?.detail)).to.contain('the canary judge said inconclusive');
  });

  it('SIGKILL of tdr approve mid-canary: ECS finishes alone, and the next operation settles the run from ECS', async function () {
    this.timeout(180_000);
    const st = (s = await stand());
    await toStaging(st.env);
    await tdr(['promote', ...FRONTEND, '--to', 'prod', '--actor', 'bob'], st.env);
    const asAlice = await as(st.env, APPROVER_ROLE, 'alice');
    const child = spawn(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', 'cli/main.ts', 'approve', ...FRONTEND, '--env', 'prod'],
      {
        cwd: ROOT,
        env: Object.fromEntries(
          Object.entries(asAlice).filter(([, v]) => v !== undefined),
        ) as NodeJS.ProcessEnv,
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((r) =>
      child.once('exit', (code, signal) => r(code ?? (signal === 'SIGKILL' ? 137 : null))),
    );
    let killedAt: number | undefined;
    st.watch.on = (label) => {
      if (killedAt !== undefined || label !== 'ECS DescribeServiceDeployments') return;
      const weight = newest(st)?.targetServiceRevision?.requestedProductionTrafficWeight ?? 0;
      if (weight > 0 && weight < 100) {
        killedAt = weight;
        child.kill('SIGKILL');
      }
    };
    expect(await exited, stderr).to.equal(137);
    expect(killedAt, 'killed while the canary had part of the traffic').to.equal(
      CONFIG.canaryConfiguration!.canaryPercent,
    );
    st.watch.on = undefined;
    const open = (await history(st.env)).filter((h) => h.kind === 'release');
    expect(open[0], 'the run is left open').to.include({ outcome: 'started' });
    // What the killed follower recorded stays: its newest record is a stage record.
    const kept = open[0] as { stage?: unknown; stages: unknown[]; seq: number };
    expect(kept.stage, 'a stage record').to.not.equal(undefined);

    // ECS goes on alone: the rest of the traffic, the bake, the clean-up.
    for (let i = 0; i < 60 && newest(st)?.status !== 'SUCCESSFUL'; i++)
      await new Promise((r) => setTimeout(r, 500));
    expect(newest(st)?.status).to.equal('SUCCESSFUL');

    // The next operation (after the killed run's lease runs out) settles the run from what ECS reports.
    const start = Date.now();
    let next = await runTdr(['promote', ...FRONTEND, '--to', 'prod', '--actor', 'bob', '-o', 'json'], st.env);
    while (next.code === 4 && Date.now() - start < 60_000) {
      await new Promise((r) => setTimeout(r, 1000));
      next = await runTdr(['promote', ...FRONTEND, '--to', 'prod', '--actor', 'bob', '-o', 'json'], st.env);
    }
    expect(next.code, next.stderr).to.equal(0);
    const settled = (await history(st.env)).find((h) => h.settles !== null);
    expect(settled).to.include({ outcome: 'succeeded', version: 'v2', settles: kept.seq });
    expect(String(settled?.detail)).to.contain('ECS completed service deployment');
    // Settlement adds the stage ECS ended in to the stages the killed follower recorded.
    expect((settled?.stages as unknown[]).slice(0, -1)).to.deep.equal(kept.stages);
  });
});
