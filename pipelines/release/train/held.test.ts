/**
 * A train whose prod member ECS holds at its approval pause (./held.ts), against the ECS
 * service-deployment stand-in (test/support/canary-world.ts): `consignmentapi` (rolling in prod
 * here) goes first, then `frontend` (prod's canary, with the PAUSE hook), as the catalogue orders
 * them. The train's one approval continues the held member; the train succeeds only once that
 * member's canary went wholly out, and a canary that fails rolls the whole train back.
 */
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  type Service,
} from '@aws-sdk/client-ecs';
import { expect } from 'chai';
import { naming } from '../../../services/naming';
import { trainOrder } from '../../../services/train-order';
import { ledgerOf } from '../saga/context';
import { currentRelease, type ReleaseRecord, type TrainRecord } from '../ledger/ledger';
import { ALICE, canaryWorld, prodCanaryService, type Canary } from '../../../test/support/canary-world';
import { DIGEST, URI, ledger, release } from '../../../test/support/ecs-world';
import { planTrain } from './plan';
import { approveTrain, promoteTrain } from './promote';

const API = 'consignmentapi';
const SERVICES = [API, 'frontend'];
const ROLLING = { kind: 'rolling', circuitBreaker: true, alarmRollback: false } as const;

/**
 * The canary world with a second service: consignmentapi, rolled by ECS in every environment,
 * with its own task definition per cluster (frontend keeps the world's one, and the stand-in's
 * deployments in prod).
 */
function twoServices(): Canary & { apiTd: Map<string, string> } {
  const w = canaryWorld();
  const p = w.deps.platform;
  const api = p.catalogue[API];
  expect(api?.kind, `${API} is a service of the catalogue`).to.equal('service');
  const platform = {
    ...p,
    catalogue: { ...p.catalogue, [API]: { ...api, delivery: { prod: ROLLING } } },
  } as typeof p;
  w.deps = { ...w.deps, platform };
  const apiTd = new Map<string, string>();
  const containers = new Map<string, string>();
  let revision = 100;
  const tdOf = (n: number) => `arn:aws:ecs:eu-west-2:222222222222:task-definition/${API}:${n}`;
  for (const env of ['intg', 'staging', 'prod'] as const) {
    const td = tdOf(++revision);
    apiTd.set(naming.cluster(API, env), td);
    w.images.set(td, `${URI}@${DIGEST.v1}`);
    containers.set(td, API);
  }
  w.ecs
    .on(RegisterTaskDefinitionCommand)
    .callsFake((input: { containerDefinitions: Array<{ name: string; image: string }> }) => {
      const td = tdOf(++revision);
      w.images.set(td, input.containerDefinitions[0]?.image ?? '');
      containers.set(td, input.containerDefinitions[0]?.name ?? '');
      return { taskDefinition: { taskDefinitionArn: td } };
    });
  w.ecs.on(DescribeTaskDefinitionCommand).callsFake((input: { taskDefinition: string }) => ({
    taskDefinition: {
      taskDefinitionArn: input.taskDefinition,
      family: 'frontend-intg',
      revision: Number(input.taskDefinition.split(':').pop()),
      status: 'ACTIVE',
      cpu: '512',
      memory: '1024',
      containerDefinitions: [
        {
          name: containers.get(input.taskDefinition) ?? 'frontend',
          image: w.images.get(input.taskDefinition),
          memory: 512,
        },
      ],
    },
  }));
  const rolling = (cluster: string, service: string): Service => ({
    status: 'ACTIVE',
    serviceName: service,
    taskDefinition: apiTd.get(cluster),
    runningCount: 1,
    desiredCount: 1,
    deployments: [{ status: 'PRIMARY', rolloutState: 'COMPLETED' }],
  });
  w.ecs.on(DescribeServicesCommand).callsFake((input: { cluster: string; services: string[] }) => ({
    services: [
      apiTd.has(input.cluster)
        ? rolling(input.cluster, input.services[0] ?? '')
        : prodCanaryService(w.service.td, w.prod),
    ],
  }));
  w.ecs
    .on(UpdateServiceCommand)
    .callsFake((input: { cluster: string; service: string; taskDefinition: string }) => {
      if (apiTd.has(input.cluster)) apiTd.set(input.cluster, input.taskDefinition);
      else {
        w.service.td = input.taskDefinition;
        if (input.cluster === naming.cluster('frontend', 'prod'))
          w.standIn.startDeployment(input.cluster, input.service);
      }
      return { service: { taskDefinition: input.taskDefinition } };
    });
  return Object.assign(w, { apiTd });
}

/** v2 of both services live in staging, v1 in prod (as a release before wrote it): the train's set. */
async function staged(w: Canary) {
  for (const service of SERVICES) {
    await release(w.deps, { action: 'deploy', service, env: 'intg', version: 'v2', actor: 'jenkins' });
    await release(w.deps, { action: 'promote', service, env: 'staging', actor: 'bob' });
    const ran = records(w, service, 'staging').at(-1)!;
    const { seq: _s, recordedAt: _r, schema: _c, ...rest } = ran;
    await ledgerOf(w.deps).append({
      ...rest,
      env: 'prod',
      version: 'v1',
      digest: DIGEST.v1,
      image: `${URI}@${DIGEST.v1}`,
    });
  }
  const plan = await planTrain(w.deps, { from: 'staging', to: 'prod', actor: 'bob' });
  expect(plan.members.map((m) => m.name)).to.deep.equal(trainOrder(w.deps.platform.catalogue, SERVICES));
  const asAlice = { ...w.deps, clients: { ...w.deps.clients, callerIdentity: async () => ALICE } };
  await approveTrain(asAlice, { trainId: plan.trainId, to: 'prod', actor: 'alice' });
  return plan;
}

const records = (w: Canary, service: string, env: string) =>
  ledger(w).filter((r): r is ReleaseRecord => r.kind === 'release' && r.service === service && r.env === env);
const trainRecords = (w: Canary) =>
  ledger(w)
    .filter((r): r is TrainRecord => r.kind === 'train' && r.env === 'prod')
    .sort((a, b) => a.seq - b.seq);

describe('train/held: a member ECS holds at its approval pause', function () {
  // Two services through intg, staging and prod's stages: a few seconds on a busy machine.
  this.timeout(30_000);

  it('is continued under the train approval, in order, and the train succeeds only once it went wholly out', async () => {
    const w = twoServices();
    const plan = await staged(w);
    const r = await promoteTrain(w.deps, { trainId: plan.trainId, to: 'prod', actor: 'bob' });
    expect(r.outcome, r.detail ?? '').to.equal('succeeded');
    expect(r.progress.map((p) => p.name)).to.deep.equal(plan.members.map((m) => m.name));
    expect(r.progress.every((p) => p.outcome === 'succeeded')).to.equal(true);
    // The held one: continued at its pause by the train's approver, then followed to its end.
    const held = r.progress.find((p) => p.name === 'frontend')!;
    const approval = ledger(w).find((a) => a.kind === 'approval' && a.service === 'frontend')!;
    expect(held.continued).to.deep.equal({
      approver: 'alice',
      approvedAt: approval.recordedAt,
      approval: approval.seq,
    });
    expect(held.detail).to.contain("under the train's approval by alice");
    const fe = records(w, 'frontend', 'prod');
    expect(fe.some((x) => x.outcome === 'started' && x.stage?.awaitingApproval)).to.equal(true);
    const done = fe.at(-1)!;
    expect(done.outcome).to.equal('succeeded');
    expect(held.ledger).to.include(done.seq);
    expect(done.stages!.some((s) => s.production === 100)).to.equal(true);
    // The train's final record says succeeded only after the held member's outcome was written.
    const steps = trainRecords(w).filter((t) => t.action === 'promote');
    expect(steps.at(-1)!.outcome).to.equal('succeeded');
    expect(Date.parse(steps.at(-1)!.recordedAt)).to.be.at.least(Date.parse(done.recordedAt));
    expect(steps.slice(0, -1).every((t) => t.outcome !== 'succeeded')).to.equal(true);
    expect(currentRelease(records(w, API, 'prod'))?.version).to.equal('v2');
  });

  it("whose held member's canary fails (5xx) rolls the train back: the earlier members as before", async () => {
    const w = twoServices();
    const plan = await staged(w);
    const apiBefore = w.images.get(w.apiTd.get(naming.cluster(API, 'prod'))!);
    // Only frontend's canary is judged (consignmentapi rolls here): a 5xx burst fails its step.
    w.metrics.HTTPCode_Target_5XX_Count = 400;
    const r = await promoteTrain(w.deps, { trainId: plan.trainId, to: 'prod', actor: 'bob' });
    expect(r.outcome, r.detail ?? '').to.equal('rolled_back');
    expect(r.progress.map((p) => `${p.name} ${p.action} ${p.outcome}`)).to.deep.equal([
      `${API} promote succeeded`,
      'frontend promote rolled_back',
      `${API} rollback succeeded`,
    ]);
    expect(r.detail).to.contain('frontend:');
    expect(records(w, 'frontend', 'prod').at(-1)!.outcome).to.equal('rolled_back');
    // consignmentapi is back where it was: the ledger and what ECS runs.
    expect(currentRelease(records(w, API, 'prod'))?.version).to.equal('v1');
    expect(w.images.get(w.apiTd.get(naming.cluster(API, 'prod'))!)).to.equal(apiBefore);
    expect(trainRecords(w).at(-1)!.outcome).to.equal('rolled_back');
    expect(trainRecords(w).some((t) => t.outcome === 'succeeded')).to.equal(false);
  });

  it('held where the train has no approval stops the train open, naming the member and how to resume: never succeeded', async () => {
    const w = twoServices();
    // An environment with no approvers whose live service has a PAUSE hook all the same.
    const p = w.deps.platform;
    const prod = {
      ...p.environments.prod,
      promotion: { ...p.environments.prod.promotion!, approval: null },
    };
    w.deps = { ...w.deps, platform: { ...p, environments: { ...p.environments, prod } } as typeof p };
    for (const service of SERVICES) {
      await release(w.deps, { action: 'deploy', service, env: 'intg', version: 'v2', actor: 'jenkins' });
      await release(w.deps, { action: 'promote', service, env: 'staging', actor: 'bob' });
    }
    const plan = await planTrain(w.deps, { from: 'staging', to: 'prod', actor: 'bob' });
    const r = await promoteTrain(w.deps, { trainId: plan.trainId, to: 'prod', actor: 'bob' });
    expect(r.outcome).to.equal('held');
    expect(r.detail)
      .to.contain('frontend v2 is held by ECS at its approval pause in prod')
      .and.contain('tdr approve is refused there')
      .and.contain(`tdr train promote --train ${plan.trainId} --to prod`);
    expect(r.progress.map((x) => `${x.name} ${x.outcome}`)).to.deep.equal([
      `${API} succeeded`,
      'frontend awaiting approval',
    ]);
    // The train stays open (a resume settles it), and nothing says it succeeded.
    const last = trainRecords(w).at(-1)!;
    expect(last.outcome).to.equal('progress');
    expect(last.detail).to.equal(r.detail);
    expect(trainRecords(w).some((t) => t.outcome === 'succeeded')).to.equal(false);
    expect(records(w, 'frontend', 'prod').at(-1)!.outcome).to.equal('started');
  });
});
