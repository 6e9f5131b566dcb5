/**
 * The sandbox's public entry point of each workload environment, as infra builds it
 * (infra/components/load-balancer.ts, infra/accounts/workload.ts): the load balancer `tdr-{env}`,
 * an HTTPS listener whose default answer is 404, and one host rule per service forwarding to its
 * target group, at infra's priorities. What the maintenance switch changes, on moto.
 *
 * Changed for moto only: the subnets are the account's default ones (moto has no network stack
 * of ours), and the certificate is requested from moto's ACM and never validated.
 */
import { RequestCertificateCommand, type ACMClient } from '@aws-sdk/client-acm';
import { DescribeSubnetsCommand, DescribeVpcsCommand, type EC2Client } from '@aws-sdk/client-ec2';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateRuleCommand,
  CreateTargetGroupCommand,
  DescribeLoadBalancersCommand,
  type ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Platform } from '../services/config';
import type { WorkloadEnvironmentName } from '../services/environments';
import { naming } from '../services/naming';
import { ecsServices } from '../services/queries';
import {
  listenerRulePriority,
  MODERN_TLS_POLICY,
  NOT_FOUND_RESPONSE,
} from '../infra/definitions/load-balancer';
import { attempt, errorName } from '../pipelines/release/errors';

export interface LoadBalancerClients {
  readonly elbv2: ElasticLoadBalancingV2Client;
  readonly ec2: EC2Client;
  readonly acm: ACMClient;
}

/** Creates `tdr-{env}` with its listener and rules, unless it is there already. */
export async function createPublicLoadBalancer(
  c: LoadBalancerClients,
  platform: Platform,
  env: WorkloadEnvironmentName,
): Promise<string> {
  const name = naming.loadBalancer(env);
  if (await exists(c.elbv2, name)) return `${env}: load balancer ${name} (already there)`;
  const domain = platform.environments[env].domain ?? `${env}.tdr.test`;
  const [subnets, vpcId] = await defaultNetwork(c.ec2, env);
  const lb = await attempt(`creating load balancer ${name} in ${env}`, () =>
    c.elbv2.send(
      new CreateLoadBalancerCommand({
        Name: name,
        Type: 'application',
        Scheme: 'internet-facing',
        Subnets: subnets,
      }),
    ),
  );
  const lbArn = lb.LoadBalancers?.[0]?.LoadBalancerArn ?? '';
  const cert = await attempt(`requesting a certificate for *.${domain} in ${env}`, () =>
    c.acm.send(new RequestCertificateCommand({ DomainName: `*.${domain}`, ValidationMethod: 'DNS' })),
  );
  const listener = await attempt(`creating the HTTPS listener of ${name} in ${env}`, () =>
    c.elbv2.send(
      new CreateListenerCommand({
        LoadBalancerArn: lbArn,
        Protocol: 'HTTPS',
        Port: naming.publicListenerPort(),
        SslPolicy: MODERN_TLS_POLICY,
        Certificates: [{ CertificateArn: cert.CertificateArn }],
        DefaultActions: [
          {
            Type: 'fixed-response',
            FixedResponseConfig: {
              StatusCode: NOT_FOUND_RESPONSE.statusCode,
              ContentType: NOT_FOUND_RESPONSE.contentType,
              MessageBody: NOT_FOUND_RESPONSE.messageBody,
            },
          },
        ],
      }),
    ),
  );
  const listenerArn = listener.Listeners?.[0]?.ListenerArn ?? '';
  const services = ecsServices(platform.catalogue);
  for (const [i, [service, entry]] of services.entries()) {
    const tg = await attempt(`creating target group ${naming.targetGroup(service, env)}`, () =>
      c.elbv2.send(
        new CreateTargetGroupCommand({
          Name: naming.targetGroup(service, env),
          Protocol: 'HTTP',
          Port: entry.containerPort,
          VpcId: vpcId,
          TargetType: 'ip',
        }),
      ),
    );
    await attempt(`creating the host rule of ${service} on ${name}`, () =>
      c.elbv2.send(
        new CreateRuleCommand({
          ListenerArn: listenerArn,
          Priority: listenerRulePriority(i),
          Conditions: [
            {
              Field: 'host-header',
              HostHeaderConfig: { Values: [naming.hostname(entry.hostnamePrefix, domain)] },
            },
          ],
          Actions: [{ Type: 'forward', TargetGroupArn: tg.TargetGroups?.[0]?.TargetGroupArn ?? '' }],
        }),
      ),
    );
  }
  return `${env}: load balancer ${name}, HTTPS listener with ${services.length} host rules`;
}

async function exists(elbv2: ElasticLoadBalancingV2Client, name: string): Promise<boolean> {
  try {
    const out = await elbv2.send(new DescribeLoadBalancersCommand({ Names: [name] }));
    return (out.LoadBalancers ?? []).length > 0;
  } catch (err) {
    if (/LoadBalancerNotFound/.test(errorName(err) ?? '')) return false;
    throw err;
  }
}

/** The default VPC's subnets (two, in different zones, as an ALB needs) and the VPC. */
async function defaultNetwork(ec2: EC2Client, env: string): Promise<[string[], string]> {
  const vpcs = await attempt(`finding the default VPC in ${env}`, () =>
    ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'isDefault', Values: ['true'] }] })),
  );
  const vpcId = vpcs.Vpcs?.[0]?.VpcId ?? '';
  const subnets = await attempt(`finding the default subnets in ${env}`, () =>
    ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] })),
  );
  return [(subnets.Subnets ?? []).slice(0, 2).map((s) => s.SubnetId ?? ''), vpcId];
}
