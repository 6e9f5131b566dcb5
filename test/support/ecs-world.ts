/**
 * A world for unit tests of the release saga: ECS and ECR mocked at the client
 * (aws-sdk-client-mock), S3 the in-memory conditional-write bucket of ./memory-s3.ts, a fake
 * clock. moto's ECS reports every rollout complete at once, so rollouts that FAIL, stall or are
 * moved by the circuit breaker, and replies that are lost, can only be tested here.
 */
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  type Service,
} from '@aws-sdk/client-ecs';
import { DescribeImagesCommand, DescribeRepositoriesCommand, ECRClient } from '@aws-sdk/client-ecr';
import { SSMClient } from '@aws-sdk/client-ssm';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { expect } from 'chai';
import { loadPlatform } from '../../services/config';
import { PlatformError } from '../../services/errors';
import type { ReleaseDeps } from '../../pipelines/release/saga/context';
import {
  releaseService,
  type ReleaseRequest,
  type ReleaseResult,
} from '../../pipelines/release/strategies/ecs-service-rollout';
import type { LedgerRecord } from '../../pipelines/release/ledger/ledger';
import type { Finished } from '../../pipelines/release/saga/saga';
import { memoryS3, type MemoryS3 } from './memory-s3';
import { fakeReleaseClients } from './release-clients';

export const URI = '123456789012.dkr.ecr.eu-west-2.amazonaws.com/transfer-frontend';
export const DIGEST = {
  v1: `sha256:${'1'.repeat(64)}`,
  v2: `sha256:${'2'.repeat(64)}`,
  v3: `sha256:${'3'.repeat(64)}`,
};
export const TD = (n: number) => `arn:aws:ecs:eu-west-2:222222222222:task-definition/frontend-intg:${n}`;

/** How the fake ECS behaves once pointed at a revision: what DescribeServices says about it. */
export type Behaviour = (td: string, polls: number) => Partial<Service>;
export const steady: Behaviour = () => ({
  runningCount: 1,
  desiredCount: 1,
  deployments: [{ status: 'PRIMARY', rolloutState: 'COMPLETED' }],
});

export interface World {
  deps: ReleaseDeps;
  s3: MemoryS3;
  ecs: AwsClientStub<ECSClient>;
  ecr: AwsClientStub<ECRClient>;
  logs: string[];
  clock: { t: number };
  images: Map<string, string>;
  service: { td: string };
}

export function world(behaviour: Behaviour = steady, startImage = `${URI}@${DIGEST.v1}`): World {
  const s3 = memoryS3();
  const ecsClient = new ECSClient({ region: 'eu-west-2' });
  const ecs = mockClient(ecsClient);
  const ecrClient = new ECRClient({ region: 'eu-west-2' });
  const ecr = mockClient(ecrClient);
  const ssm = new SSMClient({ region: 'eu-west-2' });
  const clock = { t: Date.parse('2026-11-25T10:00:00Z') };
  const logs: string[] = [];
  const images = new Map<string, string>([[TD(1), startImage]]);
  const service = { td: TD(1) };
  let polls = 0;
  let revision = 1;

  ecr.on(DescribeRepositoriesCommand).resolves({ repositories: [{ repositoryUri: URI }] });
  ecr.on(DescribeImagesCommand).callsFake((input: { imageIds: Array<{ imageTag?: string }> }) => {
    const digest = DIGEST[input.imageIds[0]?.imageTag as keyof typeof DIGEST];
    if (!digest) throw Object.assign(new Error('not found'), { name: 'ImageNotFoundException' });
    return { imageDetails: [{ imageDigest: digest }] };
  });
  ecs.on(DescribeServicesCommand).callsFake(() => {
    polls++;
    return {
      services: [
        {
          status: 'ACTIVE',
          serviceName: 'frontend_service_intg',
          taskDefinition: service.td,
          ...(service.td === TD(1) ? steady(service.td, polls) : behaviour(service.td, polls)),
        },
      ],
    };
  });
  ecs.on(DescribeTaskDefinitionCommand).callsFake((input: { taskDefinition: string }) => ({
    taskDefinition: {
      taskDefinitionArn: input.taskDefinition,
      family: 'frontend-intg',
      revision: Number(input.taskDefinition.split(':').pop()),
      status: 'ACTIVE',
      cpu: '512',
      memory: '1024',
      containerDefinitions: [{ name: 'frontend', image: images.get(input.taskDefinition), memory: 512 }],
    },
  }));
  ecs
    .on(RegisterTaskDefinitionCommand)
    .callsFake((input: { containerDefinitions: Array<{ image: string }> }) => {
      revision++;
      images.set(TD(revision), input.containerDefinitions[0]?.image ?? '');
      return { taskDefinition: { taskDefinitionArn: TD(revision) } };
    });
  ecs.on(UpdateServiceCommand).callsFake((input: { taskDefinition: string }) => {
    service.td = input.taskDefinition;
    polls = 0;
    return { service: { taskDefinition: input.taskDefinition } };
  });

  const clients = fakeReleaseClients({ ecs: ecsClient, ecr: ecrClient, s3: s3.client, ssm });
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
  return { deps, s3, ecs, ecr, logs, clock, images, service };
}

export function ledger(w: World): LedgerRecord[] {
  return [...w.s3.objects.entries()]
    .filter(([k]) => k.startsWith('records/'))
    .map(([, o]) => JSON.parse(o.body) as LedgerRecord);
}

export const deploy = (version = 'v2', extra: Partial<ReleaseRequest> = {}): ReleaseRequest => ({
  action: 'deploy',
  service: 'frontend',
  env: 'intg',
  version,
  actor: 'jenkins',
  ...extra,
});

/** The release's result, which must have succeeded. */
export async function release(deps: ReleaseDeps, req: ReleaseRequest): Promise<ReleaseResult> {
  const { result, failure } = await releaseService(deps, req);
  expect(failure, 'the release failed').to.equal(null);
  return result;
}

/** A release that went through and did not succeed: its result, and why (the CLI exits 1 on it). */
export async function failed(
  p: Promise<Finished<ReleaseResult>>,
): Promise<{ result: ReleaseResult; failure: string }> {
  const { result, failure } = await p;
  if (failure === null) throw new Error(`expected the release to fail, it ended ${result.outcome}`);
  return { result, failure };
}

/** A release refused or stopped by an error: the typed error, with its kind. */
export async function thrown(p: Promise<unknown>): Promise<PlatformError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof PlatformError) return err;
    throw err;
  }
  throw new Error('expected the release to throw');
}
