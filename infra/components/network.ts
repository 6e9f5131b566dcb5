/**
 * A VPC over two availability zones (three in prod): public subnets for load balancers, private
 * ones for tasks and databases, NAT for egress (one, or one per AZ where an AZ outage must not cut
 * egress), and flow logs of all traffic to CloudWatch.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { EnvironmentName } from '../../services/environments';
import { naming } from '../../services/naming';
import { arn, createRole, serviceTrust } from './iam';

export interface NetworkArgs {
  readonly env: EnvironmentName;
  readonly region: string;
  readonly accountId: string;
  /** A /16; subnets are /20 blocks carved from it. */
  readonly cidr: string;
  readonly availabilityZones: number;
  readonly natGatewayPerZone: boolean;
  readonly flowLogRetentionDays: number;
}

export interface NetworkOutputs {
  readonly vpcId: pulumi.Output<string>;
  readonly cidr: string;
  readonly publicSubnetIds: pulumi.Output<string>[];
  readonly privateSubnetIds: pulumi.Output<string>[];
  /** The NAT gateways' public addresses: what the private subnets' traffic comes from on the internet. */
  readonly natPublicIps: pulumi.Output<string>[];
}

/** `10.2.0.0/16`, 3 → `10.2.48.0/20`: public subnets take blocks 0-7, private ones 8-15. */
export function subnetCidr(vpcCidr: string, block: number): string {
  const [a, b] = vpcCidr.split('.');
  if (block < 0 || block > 15) throw new Error(`subnet block ${block} is outside a /16 of /20 blocks`);
  return `${a}.${b}.${block * 16}.0/20`;
}

export function availabilityZoneNames(region: string, count: number): string[] {
  return ['a', 'b', 'c'].slice(0, count).map((suffix) => `${region}${suffix}`);
}

// eslint-disable-next-line max-lines-per-function -- Pulumi resources declared in dependency order, one block each: splitting would pass half-built resources between functions.
export function createNetwork(name: string, args: NetworkArgs, parent: pulumi.Resource): NetworkOutputs {
  const opts = { parent };
  const vpcName = naming.vpc(args.env);
  const vpc = new aws.ec2.Vpc(
    `${name}-vpc`,
    { cidrBlock: args.cidr, enableDnsHostnames: true, enableDnsSupport: true, tags: { Name: vpcName } },
    opts,
  );
  // The default security group admits all traffic between its members: empty it.
  new aws.ec2.DefaultSecurityGroup(`${name}-default-sg`, { vpcId: vpc.id, ingress: [], egress: [] }, opts);
  const igw = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: vpc.id, tags: { Name: vpcName } }, opts);
  const publicRoutes = new aws.ec2.RouteTable(
    `${name}-public-rt`,
    {
      vpcId: vpc.id,
      routes: [{ cidrBlock: '0.0.0.0/0', gatewayId: igw.id }],
      tags: { Name: `${vpcName}-public` },
    },
    opts,
  );
  const zones = availabilityZoneNames(args.region, args.availabilityZones);
  const publicSubnets = zones.map((az, i) => {
    const subnet = new aws.ec2.Subnet(
      `${name}-public-${i}`,
      {
        vpcId: vpc.id,
        cidrBlock: subnetCidr(args.cidr, i),
        availabilityZone: az,
        mapPublicIpOnLaunch: false,
        tags: { Name: `${vpcName}-public-${az}` },
      },
      opts,
    );
    new aws.ec2.RouteTableAssociation(
      `${name}-public-${i}-rta`,
      { subnetId: subnet.id, routeTableId: publicRoutes.id },
      opts,
    );
    return subnet;
  });
  const natCount = args.natGatewayPerZone ? zones.length : 1;
  const eips: aws.ec2.Eip[] = [];
  const nats = publicSubnets.slice(0, natCount).map((subnet, i) => {
    const eip = new aws.ec2.Eip(
      `${name}-nat-${i}-eip`,
      { domain: 'vpc', tags: { Name: `${vpcName}-nat-${i}` } },
      opts,
    );
    eips.push(eip);
    return new aws.ec2.NatGateway(
      `${name}-nat-${i}`,
      { allocationId: eip.id, subnetId: subnet.id, tags: { Name: `${vpcName}-nat-${i}` } },
      { parent, dependsOn: [igw] },
    );
  });
  const privateSubnets = zones.map((az, i) => {
    const subnet = new aws.ec2.Subnet(
      `${name}-private-${i}`,
      {
        vpcId: vpc.id,
        cidrBlock: subnetCidr(args.cidr, 8 + i),
        availabilityZone: az,
        tags: { Name: `${vpcName}-private-${az}` },
      },
      opts,
    );
    const nat = nats[args.natGatewayPerZone ? i : 0];
    const routes = new aws.ec2.RouteTable(
      `${name}-private-${i}-rt`,
      {
        vpcId: vpc.id,
        routes: [{ cidrBlock: '0.0.0.0/0', natGatewayId: nat!.id }],
        tags: { Name: `${vpcName}-private-${az}` },
      },
      opts,
    );
    new aws.ec2.RouteTableAssociation(
      `${name}-private-${i}-rta`,
      { subnetId: subnet.id, routeTableId: routes.id },
      opts,
    );
    return subnet;
  });

  const logGroupName = naming.flowLogGroup(args.env);
  const logGroup = new aws.cloudwatch.LogGroup(
    `${name}-flow-logs`,
    { name: logGroupName, retentionInDays: args.flowLogRetentionDays },
    opts,
  );
  const flowLogRole = createRole(
    `${name}-flow-logs-role`,
    {
      roleName: naming.flowLogRole(args.env),
      description: `VPC flow logs of ${naming.vpc(args.env)} into ${logGroupName}`,
      trust: [serviceTrust('vpc-flow-logs.amazonaws.com', args.accountId)],
      statements: [
        {
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
          Resource: [
            arn.logGroup(args.region, args.accountId, logGroupName),
            arn.logStreams(args.region, args.accountId, logGroupName),
          ],
        },
      ],
    },
    parent,
  );
  new aws.ec2.FlowLog(
    `${name}-flow-log`,
    {
      vpcId: vpc.id,
      trafficType: 'ALL',
      logDestinationType: 'cloud-watch-logs',
      logDestination: logGroup.arn,
      iamRoleArn: flowLogRole.arn,
    },
    opts,
  );
  return {
    vpcId: vpc.id,
    cidr: args.cidr,
    publicSubnetIds: publicSubnets.map((s) => s.id),
    privateSubnetIds: privateSubnets.map((s) => s.id),
    natPublicIps: eips.map((e) => e.publicIp),
  };
}

export class Network extends pulumi.ComponentResource implements NetworkOutputs {
  readonly vpcId: pulumi.Output<string>;
  readonly cidr: string;
  readonly publicSubnetIds: pulumi.Output<string>[];
  readonly privateSubnetIds: pulumi.Output<string>[];
  readonly natPublicIps: pulumi.Output<string>[];

  constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super('tdr:network:Network', name, {}, opts);
    if (args.availabilityZones < 2 || args.availabilityZones > 3) {
      throw new Error(`Network ${name}: availabilityZones must be 2 or 3, got ${args.availabilityZones}`);
    }
    const out = createNetwork(name, args, this);
    this.vpcId = out.vpcId;
    this.cidr = out.cidr;
    this.publicSubnetIds = out.publicSubnetIds;
    this.privateSubnetIds = out.privateSubnetIds;
    this.natPublicIps = out.natPublicIps;
    this.registerOutputs({
      vpcId: this.vpcId,
      publicSubnetIds: this.publicSubnetIds,
      privateSubnetIds: this.privateSubnetIds,
    });
  }
}
