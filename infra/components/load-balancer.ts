/**
 * The public entry point of an account: an ALB on HTTPS with a modern TLS policy and a DNS-validated
 * ACM certificate, HTTP redirected to HTTPS, invalid headers dropped, access logs to a bucket, and
 * one alias record per service hostname. Services attach host-based rules to `httpsListenerArn`, and
 * those that ECS shifts traffic for a test rule to `testListenerArn` (the test listener, when asked).
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';

import { MODERN_TLS_POLICY, NOT_FOUND_RESPONSE } from '../definitions/load-balancer';

/** Tag the public-ingress policy uses to recognise the one security group that may face the internet. */
export const PUBLIC_LOAD_BALANCER_ROLE_TAG = { key: 'tdr:role', value: 'public-load-balancer' } as const;

export interface PublicLoadBalancerArgs {
  readonly loadBalancerName: string;
  readonly vpcId: pulumi.Input<string>;
  readonly vpcCidr: string;
  readonly subnetIds: ReadonlyArray<pulumi.Input<string>>;
  /** Covered by the certificate (a wildcard such as `*.tdr.nationalarchives.gov.uk`, or one host). */
  readonly certificateDomain: string;
  readonly hostedZoneId: string;
  /** One alias record each, pointing at the load balancer. */
  readonly hostnames: readonly string[];
  readonly accessLogsBucket: pulumi.Input<string>;
  /** Who may connect; the internet (`0.0.0.0/0`) for TDR itself, an allowlist for Jenkins. */
  readonly ingressCidrs: readonly string[];
  readonly deletionProtection: boolean;
  /**
   * A second HTTPS listener on this port for test traffic (ECS blue/green, canary and linear
   * deployments: the new revision answers here first; ECS_ALB_BLUE_GREEN_DOCS). Open to the same
   * `ingressCidrs` as 443. None when unset.
   */
  readonly testListenerPort?: number;
}

export interface PublicLoadBalancerOutputs {
  readonly securityGroupId: pulumi.Output<string>;
  readonly httpsListenerArn: pulumi.Output<string>;
  readonly arnSuffix: pulumi.Output<string>;
  readonly testListenerArn?: pulumi.Output<string>;
}

// eslint-disable-next-line max-lines-per-function -- Pulumi resources declared in dependency order, one block each: splitting would pass half-built resources between functions.
export function createPublicLoadBalancer(
  name: string,
  args: PublicLoadBalancerArgs,
  parent: pulumi.Resource,
): PublicLoadBalancerOutputs {
  const opts = { parent };
  const sg = new aws.ec2.SecurityGroup(
    `${name}-sg`,
    {
      name: `${args.loadBalancerName}-alb`,
      description: `Public load balancer ${args.loadBalancerName}: HTTPS and HTTP (redirected) only`,
      vpcId: args.vpcId,
      tags: { [PUBLIC_LOAD_BALANCER_ROLE_TAG.key]: PUBLIC_LOAD_BALANCER_ROLE_TAG.value },
    },
    opts,
  );
  for (const port of [443, 80, ...(args.testListenerPort === undefined ? [] : [args.testListenerPort])]) {
    args.ingressCidrs.forEach((cidr, i) => {
      new aws.vpc.SecurityGroupIngressRule(
        `${name}-in-${port}-${i}`,
        {
          securityGroupId: sg.id,
          ipProtocol: 'tcp',
          fromPort: port,
          toPort: port,
          cidrIpv4: cidr,
          description: `${port === 80 ? 'HTTP' : 'HTTPS'}${port === args.testListenerPort ? ' (test listener)' : ''} from ${cidr}`,
        },
        opts,
      );
    });
  }
  new aws.vpc.SecurityGroupEgressRule(
    `${name}-out-vpc`,
    {
      securityGroupId: sg.id,
      ipProtocol: 'tcp',
      fromPort: 1024,
      toPort: 65535,
      cidrIpv4: args.vpcCidr,
      description: 'to targets in the VPC',
    },
    opts,
  );
  const lb = new aws.lb.LoadBalancer(
    `${name}-alb`,
    {
      name: args.loadBalancerName,
      loadBalancerType: 'application',
      internal: false,
      securityGroups: [sg.id],
      subnets: [...args.subnetIds],
      dropInvalidHeaderFields: true,
      enableDeletionProtection: args.deletionProtection,
      accessLogs: { bucket: args.accessLogsBucket, enabled: true },
    },
    opts,
  );
  const certificate = new aws.acm.Certificate(
    `${name}-certificate`,
    { domainName: args.certificateDomain, validationMethod: 'DNS' },
    { parent },
  );
  const validationRecord = new aws.route53.Record(
    `${name}-certificate-validation-record`,
    {
      zoneId: args.hostedZoneId,
      name: certificate.domainValidationOptions.apply((o) => o[0]?.resourceRecordName ?? ''),
      type: certificate.domainValidationOptions.apply((o) => o[0]?.resourceRecordType ?? 'CNAME'),
      records: [certificate.domainValidationOptions.apply((o) => o[0]?.resourceRecordValue ?? '')],
      ttl: 300,
      allowOverwrite: true,
    },
    opts,
  );
  const validation = new aws.acm.CertificateValidation(
    `${name}-certificate-validation`,
    { certificateArn: certificate.arn, validationRecordFqdns: [validationRecord.fqdn] },
    opts,
  );
  const httpsListener = (resourceName: string, port: number) =>
    new aws.lb.Listener(
      resourceName,
      {
        loadBalancerArn: lb.arn,
        port,
        protocol: 'HTTPS',
        sslPolicy: MODERN_TLS_POLICY,
        certificateArn: validation.certificateArn,
        defaultActions: [
          {
            type: 'fixed-response',
            fixedResponse: { ...NOT_FOUND_RESPONSE },
          },
        ],
      },
      opts,
    );
  const https = httpsListener(`${name}-https`, 443);
  const test =
    args.testListenerPort === undefined
      ? undefined
      : httpsListener(`${name}-https-test`, args.testListenerPort);
  new aws.lb.Listener(
    `${name}-http`,
    {
      loadBalancerArn: lb.arn,
      port: 80,
      protocol: 'HTTP',
      defaultActions: [
        { type: 'redirect', redirect: { protocol: 'HTTPS', port: '443', statusCode: 'HTTP_301' } },
      ],
    },
    opts,
  );
  for (const host of args.hostnames) {
    new aws.route53.Record(
      `${name}-${host.split('.')[0]}-alias`,
      {
        zoneId: args.hostedZoneId,
        name: host,
        type: 'A',
        aliases: [{ name: lb.dnsName, zoneId: lb.zoneId, evaluateTargetHealth: true }],
      },
      opts,
    );
  }
  return {
    securityGroupId: sg.id,
    httpsListenerArn: https.arn,
    arnSuffix: lb.arnSuffix,
    ...(test ? { testListenerArn: test.arn } : {}),
  };
}

export class PublicLoadBalancer extends pulumi.ComponentResource implements PublicLoadBalancerOutputs {
  readonly securityGroupId: pulumi.Output<string>;
  readonly httpsListenerArn: pulumi.Output<string>;
  readonly arnSuffix: pulumi.Output<string>;
  readonly testListenerArn?: pulumi.Output<string>;

  constructor(name: string, args: PublicLoadBalancerArgs, opts?: pulumi.ComponentResourceOptions) {
    super('tdr:lb:PublicLoadBalancer', name, {}, opts);
    if (args.ingressCidrs.length === 0) throw new Error(`PublicLoadBalancer ${name}: ingressCidrs is empty`);
    if (args.testListenerPort !== undefined && [80, 443].includes(args.testListenerPort))
      throw new Error(
        `PublicLoadBalancer ${name}: testListenerPort ${args.testListenerPort} is taken (80, 443)`,
      );
    const out = createPublicLoadBalancer(name, args, this);
    this.securityGroupId = out.securityGroupId;
    this.httpsListenerArn = out.httpsListenerArn;
    this.arnSuffix = out.arnSuffix;
    if (out.testListenerArn) this.testListenerArn = out.testListenerArn;
    this.registerOutputs({ securityGroupId: this.securityGroupId, httpsListenerArn: this.httpsListenerArn });
  }
}
