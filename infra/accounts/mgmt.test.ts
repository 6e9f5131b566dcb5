/**
 * What the mgmt stack declares for the build agents, the release approvers and the controller's
 * ECS cloud, under Pulumi's mock engine: the roles exactly as infra/definitions says them, and the
 * SSM parameters JCasC reads, whose values are the stack's own cluster, private subnets and agents'
 * security group. Names come from the model and the naming module.
 */
import { expect } from 'chai';
import { loadPlatform, type Platform } from '../../services/config';
import type { Environment } from '../../services/environments';
import { naming } from '../../services/naming';
import { approverRoles } from '../../services/queries';
import { buildJenkinsModel, DEFAULT_JENKINS_SETTINGS } from '../../pipelines/jenkins';
import { renderCasc } from '../../pipelines/jenkins/render-casc';
import { accountFacts } from '../definitions/account';
import { roleDocuments, type RoleSpec } from '../definitions/iam';
import { jenkinsMgmtNodeRole } from '../definitions/jenkins';
import { releaseApproverRoles } from '../definitions/release-approver';
import { statementsOf } from '../policies/rules';
import type { RecordedResource } from '../policies/evaluate';
import { loadStackConfig, synthStack, type SynthResult } from '../synth';

type Inputs = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const platform = loadPlatform({});
const stackConfig = loadStackConfig('mgmt');
if (stackConfig.kind !== 'management') throw new Error('Pulumi.mgmt.yaml is not the management stack');
const MGMT = stackConfig.values['tdr:accountId'];
const WORKLOAD_ACCOUNTS = stackConfig.values['tdr:workloadAccountIds'];
const mgmt = accountFacts(platform, 'mgmt', MGMT);

function withStagingApproval(base: Platform, approvers: readonly string[]): Platform {
  const staging = base.environments.staging;
  const gated: Environment = {
    ...staging,
    promotion: {
      ...staging.promotion!,
      approval: { group: 'admins', approvers, approverMustNotBePromoter: true },
    },
  };
  return { ...base, environments: { ...base.environments, staging: gated } };
}

describe('the mgmt stack: build agents, release approvers, the agents’ cloud (offline synth)', function () {
  this.timeout(60_000);
  let synth: SynthResult;
  const ofType = (type: string): RecordedResource[] => synth.records.filter((r) => r.type === `aws:${type}`);
  /** Documents parsed, as the manifest has them. */
  const declared = (type: string) => synth.manifest.resources.filter((r) => r.type === `aws:${type}`);
  const roleNamed = (name: string) => declared('iam/role:Role').find((r) => r.inputs.name === name);
  const parameter = (name: string) =>
    ofType('ssm/parameter:Parameter').find((r) => r.inputs.name === name)?.inputs as Inputs | undefined;

  before(async () => {
    synth = await synthStack('mgmt', { platform });
  });

  it('passes every policy', () => {
    expect(synth.manifest.policies.violations).to.deep.equal([]);
  });

  it('declares the mgmt node role and every approver role of the model exactly as their definitions say', () => {
    const specs: RoleSpec[] = [
      jenkinsMgmtNodeRole(mgmt, WORKLOAD_ACCOUNTS),
      ...releaseApproverRoles(mgmt, WORKLOAD_ACCOUNTS),
    ];
    expect(specs.map((s) => s.roleName)).to.include.members([
      naming.jenkinsNodeRole('mgmt'),
      ...approverRoles(platform.environments).map((r) => r.roleName),
    ]);
    for (const spec of specs) {
      const doc = roleDocuments(spec);
      expect(roleNamed(spec.roleName)?.inputs, spec.roleName).to.deep.equal({
        name: doc.roleName,
        description: doc.description,
        assumeRolePolicy: JSON.parse(doc.trustPolicy),
        maxSessionDuration: doc.maxSessionDuration,
      });
      const policies = declared('iam/rolePolicy:RolePolicy').filter((p) => p.inputs.role === spec.roleName);
      expect(
        policies.map((p) => p.inputs),
        spec.roleName,
      ).to.deep.equal([
        { name: doc.inlinePolicy?.name, role: spec.roleName, policy: JSON.parse(doc.inlinePolicy!.document) },
      ]);
    }
  });

  it('lets the controller pass the mgmt node role to ECS tasks, as it passes the others', () => {
    const controller = ofType('iam/rolePolicy:RolePolicy').find(
      (p) => p.inputs.role === naming.taskRole('Jenkins', 'mgmt'),
    );
    const pass = statementsOf(controller?.inputs.policy).find((s) => s.Sid === 'PassAgentRoles');
    expect(pass?.Resource).to.include(naming.roleArn(MGMT, naming.jenkinsNodeRole('mgmt')));
    expect(pass?.Condition).to.deep.equal({
      StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' },
    });
  });

  it('publishes the three parameters the controller’s JCasC reads, and JCasC reads no other of the ECS cloud', () => {
    const names = [
      naming.jenkinsClusterArnParameter(),
      naming.jenkinsAgentSubnetsParameter(),
      naming.jenkinsAgentSecurityGroupParameter(),
    ];
    const casc = renderCasc(buildJenkinsModel(platform), DEFAULT_JENKINS_SETTINGS);
    for (const name of names) {
      expect(casc, name).to.contain('${' + name + '}');
      expect(parameter(name), name).to.include({ type: 'String' });
    }
    const ecsCloudRefs = [...casc.matchAll(/(?:cluster|subnets|securityGroups): \$\{([^}]+)\}/g)].map(
      (m) => m[1],
    );
    expect([...new Set(ecsCloudRefs)]).to.have.members(names);
  });

  it('the cluster parameter is the ARN of the Jenkins cluster the controller runs in', () => {
    const cluster = ofType('ecs/cluster:Cluster').find((c) => c.inputs.name === naming.jenkinsCluster());
    expect(cluster, naming.jenkinsCluster()).to.not.equal(undefined);
    const controller = ofType('ecs/service:Service').find(
      (s) => s.inputs.name === naming.jenkinsControllerService(),
    )?.inputs as Inputs;
    expect(parameter(naming.jenkinsClusterArnParameter())?.insecureValue)
      .to.equal(controller.cluster)
      .and.to.equal(`arn:aws:ecs:${mgmt.region}:${MGMT}:cluster/${naming.jenkinsCluster()}`);
  });

  it('the subnets parameter lists the private subnets (routed through NAT), as the ECS cloud takes them', () => {
    const value = String(parameter(naming.jenkinsAgentSubnetsParameter())?.insecureValue);
    const ids = value.split(',');
    const subnets = ofType('ec2/subnet:Subnet');
    const privateIds = subnets
      .filter((s) => {
        const association = ofType('ec2/routeTableAssociation:RouteTableAssociation').find(
          (a) => a.inputs.subnetId === s.id,
        );
        const table = ofType('ec2/routeTable:RouteTable').find(
          (t) => t.id === association?.inputs.routeTableId,
        );
        return ((table?.inputs.routes as Inputs[] | undefined) ?? []).some((r) => r.natGatewayId);
      })
      .map((s) => s.id);
    expect(privateIds.length).to.be.greaterThan(1);
    expect(ids).to.deep.equal(privateIds);
    const controller = ofType('ecs/service:Service').find(
      (s) => s.inputs.name === naming.jenkinsControllerService(),
    )?.inputs as Inputs;
    expect(ids).to.deep.equal(controller.networkConfiguration.subnets);
  });

  it('the security group parameter is the agents’ own group: in the VPC, nothing in, HTTPS out', () => {
    const group = ofType('ec2/securityGroup:SecurityGroup').find(
      (g) => g.inputs.name === naming.jenkinsAgentSecurityGroup(),
    );
    expect(parameter(naming.jenkinsAgentSecurityGroupParameter())?.insecureValue).to.equal(group?.id);
    expect(group?.inputs.vpcId).to.equal(ofType('ec2/vpc:Vpc')[0]?.id);
    expect(group?.inputs).to.not.have.property('ingress');
    const rulesOf = (type: string) => ofType(type).filter((r) => r.inputs.securityGroupId === group?.id);
    expect(rulesOf('vpc/securityGroupIngressRule:SecurityGroupIngressRule')).to.deep.equal([]);
    expect(rulesOf('vpc/securityGroupEgressRule:SecurityGroupEgressRule').map((r) => r.inputs)).to.deep.equal(
      [
        {
          securityGroupId: group?.id,
          ipProtocol: 'tcp',
          fromPort: 443,
          toPort: 443,
          cidrIpv4: '0.0.0.0/0',
          description: 'HTTPS to AWS APIs, ECR, GitHub and the controller, through NAT',
        },
      ],
    );
  });

  it('a second environment needing approval gets its own approver role on the next synth, within policy', async () => {
    const gated = withStagingApproval(platform, ['role/TDRReleaseApproverStaging']);
    const again = await synthStack('mgmt', { platform: gated });
    expect(again.manifest.policies.violations).to.deep.equal([]);
    const roles = again.records.filter((r) => r.type === 'aws:iam/role:Role').map((r) => r.inputs.name);
    for (const r of approverRoles(gated.environments)) expect(roles, r.roleName).to.include(r.roleName);
    expect(roles).to.include('TDRReleaseApproverStaging');
  });
});
