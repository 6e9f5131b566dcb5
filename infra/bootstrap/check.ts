/**
 * `tdr bootstrap check`: whether what each stand-up step creates is there, read-only, from mgmt
 * (where the administrator runs the stand-up). Every item is checked even after a failure, so one
 * run names everything missing. Only read calls: SSM DescribeParameters (never the value of a
 * secret), ECR DescribeRepositories and DescribeImages, S3 HeadBucket and HeadObject, IAM GetRole.
 *
 * A workload account's items are checked through a role assumed in that account (the CLI picks it:
 * the read-only `TDRReleaseReaderRole{Env}`, as the nightly report does, or the Organization's
 * role for the administrator): its stack is OK when that role can be assumed, then ECS
 * DescribeServices, Lambda GetAlias and ELBv2 DescribeLoadBalancers, all granted to the reader
 * role (infra/definitions/jenkins.ts readerRoleStatements). mgmt's and sbox's stacks are not
 * looked at as a whole ("[--]"): mgmt's items are listed one by one, sbox runs no releases.
 */
import { DescribeImagesCommand, DescribeRepositoriesCommand, type ECRClient } from '@aws-sdk/client-ecr';
import { DescribeServicesCommand, type ECSClient } from '@aws-sdk/client-ecs';
import {
  DescribeLoadBalancersCommand,
  type ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { GetAliasCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { GetRoleCommand, type IAMClient } from '@aws-sdk/client-iam';
import { HeadBucketCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { DescribeParametersCommand, type SSMClient } from '@aws-sdk/client-ssm';
import type { WorkloadEnvironmentName } from '../../services/environments';
import type { StandUpItem, StandUpStep } from './plan';

/** A workload account, through a role assumed there. */
export interface WorkloadCheckClients {
  /** Assumes the role (once) and says which: how a workload stack item is checked. */
  readonly reach: () => Promise<string>;
  readonly ecs: ECSClient;
  readonly lambda: LambdaClient;
  readonly elbv2: ElasticLoadBalancingV2Client;
}

export interface CheckClients {
  readonly ssm: SSMClient;
  readonly ecr: ECRClient;
  readonly s3: S3Client;
  readonly iam: IAMClient;
  /** Absent: the workload accounts' items are not checked ("[--]"). */
  readonly workload?: (env: WorkloadEnvironmentName) => WorkloadCheckClients;
}

export type CheckMark = 'ok' | 'ng' | 'skipped';

export interface CheckResult {
  readonly step: number;
  readonly item: string;
  readonly mark: CheckMark;
  readonly detail: string;
}

/** What an error says, for a person: its name and message. */
function why(err: unknown): string {
  const e = err as { name?: string; message?: string };
  return `${e.name ?? 'Error'}: ${e.message ?? String(err)}`;
}

/** The error names AWS gives for "not there" (S3's HEAD answers carry no body: NotFound). */
const MISSING = new Set([
  'ParameterNotFound',
  'RepositoryNotFoundException',
  'ImageNotFoundException',
  'NotFound',
  'NoSuchBucket',
  'NoSuchKey',
  'NoSuchEntity',
  'NoSuchEntityException',
  'ResourceNotFoundException',
  'LoadBalancerNotFoundException',
  'ServiceNotFoundException',
  'ClusterNotFoundException',
]);

async function look(what: () => Promise<string>): Promise<{ mark: CheckMark; detail: string }> {
  try {
    return { mark: 'ok', detail: await what() };
  } catch (err) {
    const name = (err as { name?: string }).name ?? '';
    return { mark: 'ng', detail: MISSING.has(name) ? `missing (${name})` : why(err) };
  }
}

function label(item: StandUpItem): string {
  switch (item.kind) {
    case 'stack':
      return `stack ${item.stack}`;
    case 'role':
      return `role ${item.arn}`;
    case 'bucket':
      return `bucket s3://${item.bucket}`;
    case 'repository':
      return `ECR repository ${item.repository}`;
    case 'image':
      return `image ${item.repository}:${item.tag}`;
    case 'package':
      return `package s3://${item.bucket}/${item.key}`;
    case 'parameter':
      return `SSM ${item.name} (${item.type})`;
    case 'service':
      return `${item.env}: ECS service ${item.cluster}/${item.service}`;
    case 'function':
      return `${item.env}: function ${item.functionName}:${item.alias}`;
    case 'loadBalancer':
      return `${item.env}: load balancer ${item.name}`;
  }
}

const WORKLOAD_STACKS: readonly string[] = ['intg', 'staging', 'prod'] satisfies WorkloadEnvironmentName[];

const notReached = { mark: 'skipped' as const, detail: 'no workload account is reached from here' };

/** The checks of what a workload stack created, through the role assumed in its account. */
async function checkWorkloadItem(
  item: Extract<StandUpItem, { kind: 'service' | 'function' | 'loadBalancer' }>,
  w: WorkloadCheckClients,
) {
  switch (item.kind) {
    case 'service':
      return look(async () => {
        const out = await w.ecs.send(
          new DescribeServicesCommand({ cluster: item.cluster, services: [item.service] }),
        );
        const found = out.services?.find((s) => s.status === 'ACTIVE');
        // ECS answers a missing service in `failures` (reason MISSING), not with an error
        // (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/api_failures_messages.html);
        // a deleted one stays visible for a while with status INACTIVE.
        if (!found)
          throw Object.assign(new Error(out.failures?.[0]?.reason ?? 'MISSING'), {
            name: 'ServiceNotFoundException',
          });
        return `ACTIVE, ${found.runningCount ?? '?'}/${found.desiredCount ?? '?'} running`;
      });
    case 'function':
      return look(async () => {
        const out = await w.lambda.send(
          new GetAliasCommand({ FunctionName: item.functionName, Name: item.alias }),
        );
        return `${item.alias} → version ${out.FunctionVersion ?? '?'}`;
      });
    case 'loadBalancer':
      return look(async () => {
        const out = await w.elbv2.send(new DescribeLoadBalancersCommand({ Names: [item.name] }));
        return out.LoadBalancers?.[0]?.State?.Code ?? 'exists';
      });
  }
}

async function checkItem(item: StandUpItem, c: CheckClients, mgmtAccount: string, sandbox: boolean) {
  switch (item.kind) {
    case 'stack': {
      if (WORKLOAD_STACKS.includes(item.stack)) {
        const w = c.workload?.(item.stack as WorkloadEnvironmentName);
        if (!w) return notReached;
        return look(async () => `${await w.reach()} assumed: the stack's items below are checked through it`);
      }
      return {
        mark: 'skipped' as const,
        detail: `its resources: \`pulumi stack output --stack ${item.stack}\` (this check sees what the stand-up goes on to use of it, item by item)`,
      };
    }
    case 'service':
    case 'function':
    case 'loadBalancer': {
      const w = c.workload?.(item.env);
      return w ? checkWorkloadItem(item, w) : notReached;
    }
    case 'role': {
      const account = /^arn:aws:iam::(\d{12}):role\//.exec(item.arn)?.[1];
      const name = item.arn.split('/').at(-1) ?? '';
      if (account !== mgmtAccount)
        return { mark: 'skipped' as const, detail: `in account ${account}, not mgmt: not checked from here` };
      return look(async () => {
        const out = await c.iam.send(new GetRoleCommand({ RoleName: name }));
        return `created ${out.Role?.CreateDate?.toISOString() ?? '(no date)'}`;
      });
    }
    case 'bucket':
      return look(async () => {
        await c.s3.send(new HeadBucketCommand({ Bucket: item.bucket }));
        return 'exists';
      });
    case 'repository':
      return look(async () => {
        const out = await c.ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [item.repository] }));
        return out.repositories?.[0]?.repositoryUri ?? 'exists';
      });
    case 'image':
      return look(async () => {
        const out = await c.ecr.send(
          new DescribeImagesCommand({ repositoryName: item.repository, imageIds: [{ imageTag: item.tag }] }),
        );
        const digest = out.imageDetails?.[0]?.imageDigest;
        if (!digest) throw Object.assign(new Error('no such tag'), { name: 'ImageNotFoundException' });
        return digest;
      });
    case 'package':
      return look(async () => {
        const out = await c.s3.send(new HeadObjectCommand({ Bucket: item.bucket, Key: item.key }));
        return `${out.ContentLength ?? '?'} bytes`;
      });
    case 'parameter':
      // The sandbox runs no controller and holds no secret: people put them on real accounts.
      if (sandbox && item.type === 'SecureString')
        return {
          mark: 'skipped' as const,
          detail: 'a secret put by hand on real accounts; the sandbox has none',
        };
      return look(async () => {
        const out = await c.ssm.send(
          new DescribeParametersCommand({
            ParameterFilters: [{ Key: 'Name', Option: 'Equals', Values: [item.name] }],
          }),
        );
        const found = out.Parameters?.[0];
        if (!found) throw Object.assign(new Error(item.name), { name: 'ParameterNotFound' });
        if (found.Type !== item.type) throw new Error(`is ${found.Type}, the stand-up makes it ${item.type}`);
        return found.Type;
      });
  }
}

/** Every item of the chosen steps (all when `only` is undefined), in order. */
export async function checkStandUp(
  steps: readonly StandUpStep[],
  clients: CheckClients,
  mgmtAccount: string,
  opts: { readonly only?: number; readonly sandbox?: boolean } = {},
): Promise<CheckResult[]> {
  const { only, sandbox = false } = opts;
  const chosen = steps.filter((s) => only === undefined || s.step === only);
  const results: CheckResult[] = [];
  for (const step of chosen) {
    for (const item of step.creates) {
      const { mark, detail } = await checkItem(item, clients, mgmtAccount, sandbox);
      results.push({ step: step.step, item: label(item), mark, detail });
    }
  }
  return results;
}
