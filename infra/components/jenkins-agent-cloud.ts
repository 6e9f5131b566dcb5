/**
 * Where the controller's ECS cloud starts its agents, published where it looks: a security group
 * for the agents, and the three SSM parameters the controller's JCasC resolves when it starts
 * (pipelines/jenkins/render-casc.ts): the cluster, the agents' subnets (comma-separated, as the
 * ECS cloud takes them) and the security group.
 *
 * Agents only reach out: to AWS APIs, ECR, GitHub and the controller's URL, over HTTPS through the
 * NAT gateway; nothing connects to them.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { naming } from '../../services/naming';

export interface JenkinsAgentCloudArgs {
  readonly vpcId: pulumi.Input<string>;
  /** The cluster the controller starts agents in. */
  readonly clusterArn: pulumi.Input<string>;
  /** Private subnets: agents get no public IP. */
  readonly subnetIds: ReadonlyArray<pulumi.Input<string>>;
}

export interface JenkinsAgentCloudOutputs {
  readonly securityGroupId: pulumi.Output<string>;
}

export function createJenkinsAgentCloud(
  name: string,
  args: JenkinsAgentCloudArgs,
  parent: pulumi.Resource,
): JenkinsAgentCloudOutputs {
  const opts = { parent };
  const sg = new aws.ec2.SecurityGroup(
    `${name}-sg`,
    {
      name: naming.jenkinsAgentSecurityGroup(),
      description: 'Jenkins agents: outbound HTTPS only',
      vpcId: args.vpcId,
    },
    opts,
  );
  new aws.vpc.SecurityGroupEgressRule(
    `${name}-out-https`,
    {
      securityGroupId: sg.id,
      ipProtocol: 'tcp',
      fromPort: 443,
      toPort: 443,
      cidrIpv4: '0.0.0.0/0',
      description: 'HTTPS to AWS APIs, ECR, GitHub and the controller, through NAT',
    },
    opts,
  );
  const parameter = (
    suffix: string,
    parameterName: string,
    value: pulumi.Input<string>,
    description: string,
  ) =>
    new aws.ssm.Parameter(
      `${name}-${suffix}`,
      // Not secrets: `insecureValue` keeps them readable in state and in review.
      { name: parameterName, type: 'String', insecureValue: value, description },
      opts,
    );
  parameter(
    'cluster-parameter',
    naming.jenkinsClusterArnParameter(),
    args.clusterArn,
    'The cluster Jenkins starts its agents in (JCasC: the ECS cloud)',
  );
  parameter(
    'subnets-parameter',
    naming.jenkinsAgentSubnetsParameter(),
    pulumi.all([...args.subnetIds]).apply((ids) => ids.join(',')),
    "The Jenkins agents' private subnets, comma-separated (JCasC: the ECS cloud's templates)",
  );
  parameter(
    'security-group-parameter',
    naming.jenkinsAgentSecurityGroupParameter(),
    sg.id,
    "The Jenkins agents' security group (JCasC: the ECS cloud's templates)",
  );
  return { securityGroupId: sg.id };
}

export class JenkinsAgentCloud extends pulumi.ComponentResource implements JenkinsAgentCloudOutputs {
  readonly securityGroupId: pulumi.Output<string>;

  constructor(name: string, args: JenkinsAgentCloudArgs, opts?: pulumi.ComponentResourceOptions) {
    super('tdr:jenkins:AgentCloud', name, {}, opts);
    if (args.subnetIds.length === 0)
      throw new Error(`JenkinsAgentCloud ${name}: agents need at least one subnet`);
    const out = createJenkinsAgentCloud(name, args, this);
    this.securityGroupId = out.securityGroupId;
    this.registerOutputs({ securityGroupId: this.securityGroupId });
  }
}
