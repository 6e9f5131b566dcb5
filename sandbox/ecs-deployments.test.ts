/**
 * The service-deployment stand-in (./ecs-deployments.ts) against the ECS API reference, through a
 * real ECSClient whose send() aws-sdk-client-mock answers from the stand-in; and every member name
 * and enum value it emits against the runtime schemas and enums of the installed
 * `@aws-sdk/client-ecs` (its dist-cjs exports `DescribeServiceDeploymentsResponse$` and friends: the
 * Smithy model, as arrays `[3 (structure), namespace, name, traits, memberNames, memberSchemas]`,
 * `[1 (list), namespace, name, traits, member]`, and numbers for simple types).
 */
import * as ecsSdk from '@aws-sdk/client-ecs';
import {
  ContinueServiceDeploymentCommand,
  DescribeServiceDeploymentsCommand,
  ECSClient,
  ListServiceDeploymentsCommand,
  StopServiceDeploymentCommand,
  type DeploymentConfiguration,
  type ServiceDeployment,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { expect } from 'chai';
import { linearShifts } from '../services/delivery';
import { EcsDeploymentsStandIn, ManualClock, PAUSE_FORBIDDEN } from './ecs-deployments';

const MINUTE = 60_000;
const STAGE_SECONDS = 30;

type Schema = unknown;
/** Which SDK enum each string member is, by `Structure.member` (the schema calls them all strings). */
const ENUMS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'ServiceDeployment.status': ecsSdk.ServiceDeploymentStatus,
  'ServiceDeployment.lifecycleStage': ecsSdk.ServiceDeploymentLifecycleStage,
  'ServiceDeploymentBrief.status': ecsSdk.ServiceDeploymentStatus,
  'DeploymentLifecycleHookDetail.targetType': ecsSdk.DeploymentLifecycleHookTargetType,
  'DeploymentLifecycleHookDetail.status': ecsSdk.DeploymentLifecycleHookStatus,
  'DeploymentLifecycleHookDetail.timeoutAction': ecsSdk.DeploymentLifecycleHookAction,
  'ServiceDeploymentAlarms.status': ecsSdk.ServiceDeploymentRollbackMonitorsStatus,
  'DeploymentConfiguration.strategy': ecsSdk.DeploymentStrategy,
  'DeploymentLifecycleHook.targetType': ecsSdk.DeploymentLifecycleHookTargetType,
  'DeploymentLifecycleHook.lifecycleStages': ecsSdk.DeploymentLifecycleHookStage,
  'DeploymentLifecycleHookTimeoutConfiguration.action': ecsSdk.DeploymentLifecycleHookAction,
};

/** Every problem of `value` against the SDK's runtime schema `schema`, by path. */
function schemaProblems(schema: Schema, value: unknown, at: string, owner = ''): string[] {
  const s = typeof schema === 'function' ? (schema as () => Schema)() : schema;
  if (typeof s === 'number') {
    const enumValues = ENUMS[owner];
    const simple = (code: number, v: unknown, where: string): string[] => {
      const ok =
        code === 0
          ? typeof v === 'string' && (!enumValues || Object.values(enumValues).includes(v))
          : code === 1
            ? typeof v === 'number'
            : code === 2
              ? typeof v === 'boolean'
              : code === 4
                ? v instanceof Date
                : false;
      return ok
        ? []
        : [
            `${where}: ${JSON.stringify(v)} is not schema type ${code}${enumValues ? ` (enum ${owner})` : ''}`,
          ];
    };
    if (s & 64)
      return Array.isArray(value)
        ? value.flatMap((v, i) => simple(s & ~64, v, `${at}.${i}`))
        : [`${at}: not a list`];
    if ([0, 1, 2, 4].includes(s)) return simple(s, value, at);
    return [`${at}: schema type ${s} is not known to this check`];
  }
  if (!Array.isArray(s)) return [`${at}: unreadable schema`];
  if (s[0] === 1) {
    if (!Array.isArray(value)) return [`${at}: not a list`];
    return value.flatMap((v, i) => schemaProblems(s[4], v, `${at}.${i}`, owner));
  }
  if (s[0] === 3) {
    if (typeof value !== 'object' || value === null) return [`${at}: not a structure ${String(s[2])}`];
    const names = s[4] as readonly string[];
    const members = s[5] as readonly Schema[];
    return Object.entries(value).flatMap(([k, v]) => {
      if (v === undefined || k === '$metadata') return [];
      const i = names.indexOf(k);
      if (i < 0) return [`${at}.${k}: ${String(s[2])} has no member ${k} (it has ${names.join(', ')})`];
      return schemaProblems(members[i], v, `${at}.${k}`, `${String(s[2])}.${k}`);
    });
  }
  return [`${at}: schema kind ${String(s[0])} is not known to this check`];
}

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

/** Every answer the tests saw, checked against the SDK's schema at the end (and at once). */
const seen: Array<{ schema: Schema; value: unknown }> = [];

function setup(config: DeploymentConfiguration, desiredCount = 2) {
  const clock = new ManualClock();
  const standIn = new EcsDeploymentsStandIn({ clock, stageSeconds: STAGE_SECONDS });
  const client = new ECSClient({
    region: 'eu-west-2',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
  standIn.install(mockClient(client));
  standIn.addService('frontend_prod', 'frontend_service_prod', { desiredCount, config });
  const start = () => standIn.startDeployment('frontend_prod', 'frontend_service_prod');
  const describe = async (arn: string): Promise<ServiceDeployment> => {
    const out = await client.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }));
    seen.push({ schema: ecsSdk.DescribeServiceDeploymentsResponse$, value: out });
    expect(
      schemaProblems(ecsSdk.DescribeServiceDeploymentsResponse$, out, 'DescribeServiceDeployments'),
    ).to.deep.equal([]);
    return out.serviceDeployments![0]!;
  };
  const stages = (n: number) => clock.advance(n * STAGE_SECONDS * 1000);
  return { clock, standIn, client, start, describe, stages };
}

const ALARM = 'frontend-prod-target-5xx';
const canaryConfig = (over: Partial<DeploymentConfiguration> = {}): DeploymentConfiguration => ({
  strategy: 'CANARY',
  canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 15 },
  bakeTimeInMinutes: 15,
  alarms: { alarmNames: [ALARM], enable: true, rollback: true },
  lifecycleHooks: [
    {
      targetType: 'PAUSE',
      lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'],
      timeoutConfiguration: { timeoutInMinutes: 120, action: 'ROLLBACK' },
    },
  ],
  ...over,
});

const weights = (d: ServiceDeployment) => ({
  stage: d.lifecycleStage,
  production: d.targetServiceRevision?.requestedProductionTrafficWeight,
  test: d.targetServiceRevision?.requestedTestTrafficWeight,
  sourceProduction: d.sourceServiceRevisions?.[0]?.requestedProductionTrafficWeight,
});

describe('sandbox/ecs-deployments: the ECS service-deployment stand-in', () => {
  it('takes a canary through its stages, held by the PAUSE hook until continued', async () => {
    const { start, describe, stages, clock, client } = setup(canaryConfig());
    const arn = start();
    expect(weights(await describe(arn))).to.deep.equal({
      stage: 'PRE_SCALE_UP',
      production: 0,
      test: 0,
      sourceProduction: 100,
    });
    stages(4);
    const paused = await describe(arn);
    expect(weights(paused)).to.deep.equal({
      stage: 'POST_TEST_TRAFFIC_SHIFT',
      production: 0,
      test: 100,
      sourceProduction: 100,
    });
    const hook = paused.lifecycleHookDetails?.[0];
    expect(hook).to.include({ targetType: 'PAUSE', status: 'AWAITING_ACTION', timeoutAction: 'ROLLBACK' });
    expect(hook?.expiresAt?.getTime()).to.equal(clock.now() + 120 * MINUTE);
    // Held: an hour later it has not moved.
    clock.advance(60 * MINUTE);
    expect((await describe(arn)).lifecycleStage).to.equal('POST_TEST_TRAFFIC_SHIFT');
    await client.send(
      new ContinueServiceDeploymentCommand({ serviceDeploymentArn: arn, hookId: hook!.hookId! }),
    );
    expect((await describe(arn)).lifecycleHookDetails?.[0]?.status).to.equal('SUCCEEDED');
    stages(1);
    expect(weights(await describe(arn))).to.deep.include({
      stage: 'PRODUCTION_TRAFFIC_SHIFT',
      production: 10,
      sourceProduction: 90,
    });
    clock.advance(15 * MINUTE - 1);
    expect(weights(await describe(arn)).production).to.equal(10);
    clock.advance(1);
    stages(1);
    expect(weights(await describe(arn))).to.deep.include({ production: 100, sourceProduction: 0 });
    stages(1);
    expect((await describe(arn)).lifecycleStage).to.equal('BAKE_TIME');
    clock.advance(15 * MINUTE);
    expect((await describe(arn)).lifecycleStage).to.equal('CLEAN_UP');
    stages(1);
    const done = await describe(arn);
    expect(done.status).to.equal('SUCCESSFUL');
    expect(done.sourceServiceRevisions?.[0]?.runningTaskCount).to.equal(0);
    expect(done.targetServiceRevision?.runningTaskCount).to.equal(2);
    expect(done.alarms?.status).to.equal('MONITORING_COMPLETE');
  });

  it('rolls a canary back when a watched alarm fires, before all traffic has shifted', async () => {
    const { start, describe, stages, standIn, client } = setup(canaryConfig({ lifecycleHooks: [] }));
    const arn = start();
    stages(6);
    expect(weights(await describe(arn)).production).to.equal(10);
    standIn.setAlarm('some-other-alarm', 'ALARM');
    expect((await describe(arn)).status).to.equal('IN_PROGRESS');
    standIn.setAlarm(ALARM, 'ALARM');
    const rolling = await describe(arn);
    expect(rolling.status).to.equal('ROLLBACK_IN_PROGRESS');
    expect(weights(rolling)).to.deep.include({ production: 0, sourceProduction: 100 });
    expect(rolling.alarms).to.deep.equal({
      status: 'TRIGGERED',
      alarmNames: [ALARM],
      triggeredAlarmNames: [ALARM],
    });
    expect(rolling.rollback?.reason).to.include(ALARM);
    stages(1);
    const back = await describe(arn);
    expect(back.status).to.equal('ROLLBACK_SUCCESSFUL');
    expect(back.rollback?.serviceRevisionArn).to.equal(back.sourceServiceRevisions?.[0]?.arn);
    const stop = client.send(
      new StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType: 'ROLLBACK' }),
    );
    expect((await rejection(stop)).name).to.equal('ConflictException');
  });

  it('rolls back when the PAUSE hook times out, and refuses a hook id it does not hold', async () => {
    const { start, describe, stages, clock, client } = setup(canaryConfig());
    const arn = start();
    stages(4);
    const wrong = client.send(
      new ContinueServiceDeploymentCommand({ serviceDeploymentArn: arn, hookId: 'nope' }),
    );
    expect((await rejection(wrong)).name).to.equal('InvalidParameterException');
    clock.advance(120 * MINUTE);
    const timedOut = await describe(arn);
    expect(timedOut.lifecycleHookDetails?.[0]?.status).to.equal('TIMED_OUT');
    expect(timedOut.status).to.equal('ROLLBACK_IN_PROGRESS');
    expect(timedOut.targetServiceRevision?.requestedProductionTrafficWeight).to.equal(0);
  });

  it('stops an in-flight deployment with ROLLBACK', async () => {
    const { start, describe, stages, client } = setup(canaryConfig({ lifecycleHooks: [] }));
    const arn = start();
    stages(6);
    await client.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType: 'ROLLBACK' }));
    const stopped = await describe(arn);
    expect(stopped.status).to.equal('ROLLBACK_IN_PROGRESS');
    expect(stopped.rollback?.reason).to.match(/StopServiceDeployment/);
  });

  it('shifts a linear deployment in equal steps with a bake between them and none after 100 %', async () => {
    const stepPercent = 30;
    const { start, describe, stages, clock } = setup({
      strategy: 'LINEAR',
      linearConfiguration: { stepPercent, stepBakeTimeInMinutes: 6 },
      bakeTimeInMinutes: 0,
    });
    const arn = start();
    stages(5);
    const seenWeights: number[] = [];
    for (let i = 0; i < linearShifts(stepPercent); i++) {
      stages(1);
      seenWeights.push(weights(await describe(arn)).production!);
      clock.advance(6 * MINUTE);
    }
    const expected = Array.from({ length: linearShifts(stepPercent) }, (_, i) =>
      Math.min(100, (i + 1) * stepPercent),
    );
    expect(seenWeights).to.deep.equal(expected);
  });

  it('refuses a PAUSE hook at either TRAFFIC_SHIFT stage, as the API reference says', () => {
    for (const stage of PAUSE_FORBIDDEN)
      expect(() =>
        setup(
          canaryConfig({
            lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: [stage as 'TEST_TRAFFIC_SHIFT'] }],
          }),
        ),
      ).to.throw(ecsSdk.InvalidParameterException, new RegExp(stage));
    expect(() => setup({ strategy: 'BLUE_GREEN' })).to.throw(/bakeTimeInMinutes: required/);
  });

  it('answers Describe with failures for unknown ARNs and List newest first, filtered and paged', async () => {
    const { start, stages, client, clock } = setup(
      canaryConfig({ lifecycleHooks: [], bakeTimeInMinutes: 0 }),
    );
    const arns: string[] = [];
    for (let i = 0; i < 3; i++) {
      arns.push(start());
      stages(10);
      clock.advance(15 * MINUTE);
    }
    const missing = `${arns[0]}x`;
    const described = await client.send(
      new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arns[0]!, missing] }),
    );
    seen.push({ schema: ecsSdk.DescribeServiceDeploymentsResponse$, value: described });
    expect(described.failures).to.deep.equal([{ arn: missing, reason: 'MISSING' }]);
    const tooMany = client.send(
      new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: Array(21).fill(arns[0]) }),
    );
    expect((await rejection(tooMany)).name).to.equal('InvalidParameterException');
    const page1 = await client.send(
      new ListServiceDeploymentsCommand({
        service: 'frontend_service_prod',
        cluster: 'frontend_prod',
        maxResults: 2,
      }),
    );
    const page2 = await client.send(
      new ListServiceDeploymentsCommand({
        service: 'frontend_service_prod',
        cluster: 'frontend_prod',
        nextToken: page1.nextToken,
      }),
    );
    for (const value of [page1, page2]) seen.push({ schema: ecsSdk.ListServiceDeploymentsResponse$, value });
    expect(
      [...page1.serviceDeployments!, ...page2.serviceDeployments!].map((d) => d.serviceDeploymentArn),
    ).to.deep.equal([...arns].reverse());
    expect(page2.nextToken).to.equal(undefined);
    const none = await client.send(
      new ListServiceDeploymentsCommand({ service: 'frontend_service_prod', status: ['IN_PROGRESS'] }),
    );
    expect(none.serviceDeployments).to.deep.equal([]);
  });

  it('emitted only members and enum values the SDK model has', () => {
    expect(seen.length).to.be.greaterThan(10);
    expect(
      seen.flatMap(({ schema, value }, i) => schemaProblems(schema, value, `answer ${i}`)),
    ).to.deep.equal([]);
  });

  it('has a schema check that can fail: a made-up member and a made-up stage are caught', () => {
    const bad = { serviceDeployments: [{ lifecycleStage: 'CANARY_BAKE', trafficSplit: 10 }] };
    expect(schemaProblems(ecsSdk.DescribeServiceDeploymentsResponse$, bad, 'x')).to.deep.equal([
      'x.serviceDeployments.0.lifecycleStage: "CANARY_BAKE" is not schema type 0 (enum ServiceDeployment.lifecycleStage)',
      `x.serviceDeployments.0.trafficSplit: ServiceDeployment has no member trafficSplit (it has ${(
        ecsSdk.ServiceDeployment$ as unknown as [number, string, string, number, string[]]
      )[4].join(', ')})`,
    ]);
    const nested = {
      serviceDeployments: [{ lifecycleHookDetails: [{ status: 'PAUSED', expiresAt: 'soon' }] }],
    };
    expect(schemaProblems(ecsSdk.DescribeServiceDeploymentsResponse$, nested, 'y')).to.deep.equal([
      'y.serviceDeployments.0.lifecycleHookDetails.0.status: "PAUSED" is not schema type 0 (enum DeploymentLifecycleHookDetail.status)',
      'y.serviceDeployments.0.lifecycleHookDetails.0.expiresAt: "soon" is not schema type 4',
    ]);
  });
});
