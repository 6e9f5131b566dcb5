/**
 * The ECS service-deployment stand-in (sandbox/ecs-deployments.ts) on the wire, for a real `tdr` process
 * behind the proxy (./proxy.ts `answer`): ListServiceDeployments, DescribeServiceDeployments,
 * ContinueServiceDeployment and StopServiceDeployment answered in the awsJson1_1 protocol ECS
 * speaks (timestamps as epoch seconds; an error as `{__type, message}` with HTTP 400:
 * https://smithy.io/2.0/aws/protocols/aws-json-1_1-protocol.html), and moto's DescribeServices
 * answer for the service given the deployment configuration ECS would have.
 */
import type { DeploymentConfiguration } from '@aws-sdk/client-ecs';
import type { EcsDeploymentsStandIn } from '../../sandbox/ecs-deployments';
import type { Operation } from './proxy';

/** Dates as awsJson1_1 sends them: epoch seconds. */
function wire(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key, v: unknown) {
    const raw = this[key];
    return raw instanceof Date ? raw.getTime() / 1000 : v;
  });
}

const CALLS = {
  ListServiceDeployments: 'listServiceDeployments',
  DescribeServiceDeployments: 'describeServiceDeployments',
  ContinueServiceDeployment: 'continueServiceDeployment',
  StopServiceDeployment: 'stopServiceDeployment',
} as const;

export function standInAnswer(standIn: EcsDeploymentsStandIn) {
  return (op: Operation, body: Buffer): { status: number; body: string } | undefined => {
    const method = op.service === 'ECS' ? CALLS[op.name as keyof typeof CALLS] : undefined;
    if (!method) return undefined;
    try {
      const input = JSON.parse(body.toString('utf8') || '{}') as never;
      const { $metadata: _m, ...out } = standIn[method](input) as { $metadata: unknown };
      return { status: 200, body: wire(out) };
    } catch (err) {
      const e = err as Error;
      return { status: 400, body: JSON.stringify({ __type: e.name, message: e.message }) };
    }
  };
}

/** moto's DescribeServices answer, with what ECS would say of `service`: its deployment configuration. */
export function withDeploymentConfiguration(
  body: Buffer,
  serviceName: string,
  config: DeploymentConfiguration,
): Buffer | undefined {
  const out = JSON.parse(body.toString('utf8')) as { services?: Array<Record<string, unknown>> };
  const hit = (out.services ?? []).filter((s) => s.serviceName === serviceName);
  if (hit.length === 0) return undefined;
  for (const s of hit)
    Object.assign(s, { deploymentController: { type: 'ECS' }, deploymentConfiguration: config });
  return Buffer.from(JSON.stringify(out));
}
