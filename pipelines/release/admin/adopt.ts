/**
 * `tdr ledger adopt`: day one in the ledger. A stand-up starts every service from the image tagged
 * `initial` and every function from its `v1` package, and no release recorded them, so `tdr status`
 * would call each one drift. Adopting records, once per service or function × environment that has
 * no release yet, what really runs there as that environment's baseline: a `release` record
 * (action `deploy`, outcome `succeeded`, reason "baseline") with the digest read from ECS or the
 * `live` alias, the version named by ECR's tag of that digest (or the v1 package whose SHA-256 it
 * is), and the caller's identity. Nothing else is adopted: code the stand-up did not start is
 * named, never recorded. The append is conditional on the ledger being as read (`lastSeq`), so a
 * release that lands meanwhile wins and the adoption of that subject is skipped.
 */
import { DescribeImagesCommand } from '@aws-sdk/client-ecr';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import type { WorkloadEnvironmentName } from '../../../services/environments';
import { naming } from '../../../services/naming';
import { entryOfKind, functionPackageFile, functions } from '../../../services/queries';
import { isReleaseVersion } from '../../../services/versions';
import { Ecs, imageOf } from '../aws/ecs';
import { digestOf } from '../aws/images';
import { Lambda } from '../aws/lambda';
import { ledgerOf, releasableServices, type ReleaseDeps } from '../saga/context';
import { BASELINE_REASON, currentRelease, type LedgerView, type NewRecord } from '../ledger/ledger';

/** The reason every baseline record carries: how to tell one from a real deployment. */
export { BASELINE_REASON } from '../ledger/ledger-records';

export interface AdoptResult {
  readonly service: string;
  readonly env: WorkloadEnvironmentName;
  /** `adopted`: recorded now; `recorded`: the ledger already had a release; `refused`: see detail. */
  readonly outcome: 'adopted' | 'recorded' | 'refused';
  readonly version: string | null;
  readonly digest: string | null;
  readonly detail: string;
}

interface Running {
  readonly version: string | null;
  readonly digest: string | null;
  readonly image: string;
  readonly taskDefinition: string | null;
  /** Why it cannot be adopted, when it cannot. */
  readonly refusal?: string;
}

async function serviceRunning(
  deps: Pick<ReleaseDeps, 'clients' | 'platform' | 'now'>,
  service: string,
  env: WorkloadEnvironmentName,
): Promise<Running> {
  const ecs = new Ecs(deps.clients.ecs(env));
  const found = await ecs.activeService(naming.cluster(service, env), naming.ecsService(service, env));
  const taskDefinition = found?.taskDefinition ?? null;
  const td = taskDefinition ? await ecs.taskDefinition(taskDefinition) : undefined;
  const image = imageOf(td, naming.containerName(service)) ?? null;
  const view = { taskDefinition, image, digest: digestOf(image ?? undefined) ?? null };
  if (!view.taskDefinition || !view.digest || !view.image)
    return {
      version: null,
      digest: view.digest,
      image: view.image ?? '',
      taskDefinition: view.taskDefinition,
      refusal: 'ECS runs no service pinned to a digest here',
    };
  const entry = entryOfKind(deps.platform.catalogue, service, 'service')!;
  const out = await deps.clients.mgmt.ecr.send(
    new DescribeImagesCommand({
      repositoryName: naming.ecrRepository(entry.imageRepository),
      imageIds: [{ imageDigest: view.digest }],
    }),
  );
  const tags = out.imageDetails?.[0]?.imageTags ?? [];
  // A release version names it best; else the stand-up's own tag. Anything else was not started by the stand-up.
  const version =
    tags.filter(isReleaseVersion).sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)))[0] ??
    (tags.includes('initial') ? 'initial' : null);
  return {
    version,
    digest: view.digest,
    image: view.image,
    taskDefinition: view.taskDefinition,
    ...(version ? {} : { refusal: `ECR has no release or initial tag for ${view.digest}` }),
  };
}

async function functionRunning(
  deps: Pick<ReleaseDeps, 'clients' | 'platform'>,
  fn: string,
  env: WorkloadEnvironmentName,
): Promise<Running> {
  const entry = entryOfKind(deps.platform.catalogue, fn, 'lambda')!;
  const functionName = naming.functionName(fn, env);
  const live = await new Lambda(deps.clients.lambda(env)).live(functionName, naming.functionAlias());
  if (!live)
    return {
      version: null,
      digest: null,
      image: '',
      taskDefinition: null,
      refusal: `${functionName} has no ${naming.functionAlias()} alias`,
    };
  const sha = live.version.CodeSha256 ?? null;
  const key = naming.functionPackageKey(fn, 'v1', functionPackageFile(entry));
  const head = await deps.clients.mgmt.s3.send(
    new HeadObjectCommand({ Bucket: naming.backendCodeBucket(), Key: key, ChecksumMode: 'ENABLED' }),
  );
  const image = `s3://${naming.backendCodeBucket()}/${key}`;
  const arn = live.version.FunctionArn ?? null;
  // Lambda's CodeSha256 and S3's ChecksumSHA256 are both the base64 SHA-256 of the package.
  if (!sha || head.ChecksumSHA256 !== sha)
    return {
      version: null,
      digest: sha,
      image,
      taskDefinition: arn,
      refusal: `live runs sha256 ${sha ?? '?'}, not package v1 (${head.ChecksumSHA256 ?? 'no checksum'})`,
    };
  return { version: 'v1', digest: sha, image, taskDefinition: arn };
}

/** Adopts the baseline of every service and function in `envs` that has no release yet. */
// eslint-disable-next-line max-lines-per-function -- read the ledger, find what runs, refuse what the stand-up did not start, append: one pass in the order the records say it.
export async function adoptBaseline(
  deps: Pick<ReleaseDeps, 'clients' | 'platform' | 'now' | 'newRunId'>,
  envs: readonly WorkloadEnvironmentName[],
  actor: string,
): Promise<AdoptResult[]> {
  const ledger = ledgerOf(deps);
  const identity = await deps.clients.callerIdentity();
  const subjects = [
    ...releasableServices(deps.platform).map((s) => ({ name: s, read: serviceRunning })),
    ...functions(deps.platform.catalogue).map(([f]) => ({ name: f, read: functionRunning })),
  ];
  const results: AdoptResult[] = [];
  for (const env of envs) {
    for (const { name, read } of subjects) {
      const view: LedgerView = await ledger.view(name, env);
      const current = currentRelease(view.records);
      if (current) {
        results.push({
          service: name,
          env,
          outcome: 'recorded',
          version: current.version,
          digest: current.digest,
          detail: `ledger #${current.seq}`,
        });
        continue;
      }
      const running = await read(deps, name, env);
      if (running.refusal || !running.version || !running.digest) {
        results.push({
          service: name,
          env,
          outcome: 'refused',
          version: running.version,
          digest: running.digest,
          detail: running.refusal ?? 'nothing to adopt',
        });
        continue;
      }
      const at = deps.now().toISOString();
      const record: NewRecord = {
        kind: 'release',
        service: name,
        env,
        version: running.version,
        digest: running.digest,
        actor,
        identity,
        overrides: [...deps.platform.overrides],
        runId: deps.newRunId(),
        action: 'deploy',
        outcome: 'succeeded',
        image: running.image,
        gitCommit: null,
        taskDefinitionBefore: null,
        taskDefinitionAfter: running.taskDefinition,
        approver: null,
        buildUrl: null,
        sourceEnv: null,
        reason: BASELINE_REASON,
        breakGlass: false,
        gates: [],
        startedAt: at,
        finishedAt: at,
        detail: null,
        settles: null,
      };
      const written = await ledger
        .append(record, { lastSeq: view.lastSeq })
        .catch((err: unknown) => err as Error);
      results.push(
        written instanceof Error
          ? {
              service: name,
              env,
              outcome: 'refused',
              version: running.version,
              digest: running.digest,
              detail: `not written: ${written.message}`,
            }
          : {
              service: name,
              env,
              outcome: 'adopted',
              version: running.version,
              digest: running.digest,
              detail: `ledger #${written.seq}`,
            },
      );
    }
  }
  return results;
}
