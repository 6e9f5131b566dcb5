/**
 * The Jenkins controller as the mgmt stack runs it (issue 23), under Pulumi's mock engine, checked
 * against what the controller's rendered jenkins.yaml asks for: the image is ours, by digest; every
 * `${/mgmt/…}` JCasC resolves is readable by the controller's task role; every agent template's
 * task role, execution role, task definition family and image repository is one the stacks create
 * and the controller may use, and nothing more.
 */
import { expect } from 'chai';
import { parse } from 'yaml';
import { loadPlatform } from '../../services/config';
import { naming } from '../../services/naming';
import { buildJenkinsModel, DEFAULT_JENKINS_SETTINGS } from '../../pipelines/jenkins';
import { renderCasc } from '../../pipelines/jenkins/render-casc';
import { bootstrapDefinitions } from '../bootstrap/definitions';
import { arn } from '../definitions/iam';
import { statementsOf, type Statement } from '../policies/documents';
import type { RecordedResource } from '../policies/evaluate';
import { loadStackConfig, synthStack, type SynthResult } from '../synth';

type Inputs = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

interface Template {
  templateName: string;
  label: string;
  image: string;
  taskrole: string;
  executionRole: string;
}

const platform = loadPlatform({});
const stackConfig = loadStackConfig('mgmt');
if (stackConfig.kind !== 'management') throw new Error('Pulumi.mgmt.yaml is not the management stack');
const MGMT = stackConfig.values['tdr:accountId'];
const REGION = platform.environments.mgmt.region;
const casc = renderCasc(buildJenkinsModel(platform), DEFAULT_JENKINS_SETTINGS);
/** JCasC resolves `${/mgmt/mgmt_account}` to mgmt's id; the synth knows it as the stack's account. */
const resolved = (s: string) => s.split('${' + naming.accountIdParameter('mgmt') + '}').join(MGMT);
const cloud = (
  parse(casc) as { jenkins: { clouds: Array<{ ecs: { name: string; templates: Template[] } }> } }
).jenkins.clouds[0]!.ecs;

/** Does an IAM resource pattern (`*` within a segment) match this ARN? */
const matches = (pattern: string, value: string) =>
  new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.?+^$()[\]{}|\\/]/g, '\\$&'))
      .join('.*')}$`,
  ).test(value);
const list = (v: unknown): string[] => (v === undefined ? [] : ([] as string[]).concat(v as string[]));

describe('the mgmt stack runs the Jenkins controller that jenkins.yaml describes (offline synth)', function () {
  this.timeout(60_000);
  let synth: SynthResult;
  const ofType = (type: string): RecordedResource[] => synth.records.filter((r) => r.type === `aws:${type}`);
  const rolePolicy = (role: string): Statement[] =>
    statementsOf(ofType('iam/rolePolicy:RolePolicy').find((p) => p.inputs.role === role)?.inputs.policy);
  const controller = () => rolePolicy(naming.taskRole('Jenkins', 'mgmt'));
  const sid = (statements: Statement[], name: string) => {
    const s = statements.find((x) => x.Sid === name);
    if (!s) throw new Error(`no statement ${name}`);
    return s;
  };

  before(async () => {
    synth = await synthStack('mgmt', { platform });
  });

  it('runs the controller image from mgmt’s ECR by the configured digest, not a stock image', () => {
    const task = ofType('ecs/taskDefinition:TaskDefinition').find(
      (t) => t.inputs.family === naming.taskFamily('jenkins', 'mgmt'),
    )?.inputs as Inputs;
    const containers = (
      typeof task.containerDefinitions === 'string'
        ? JSON.parse(task.containerDefinitions)
        : task.containerDefinitions
    ) as Inputs[];
    const repository = arn.ecrImageUri(REGION, MGMT, naming.jenkinsImageRepository('controller'));
    expect(containers.map((c) => c.image)).to.deep.equal([
      `${repository}@${stackConfig.values['tdr:jenkinsControllerImageDigest']}`,
    ]);
    const pull = rolePolicy(naming.executionRole('Jenkins', 'mgmt')).find((s) =>
      list(s.Action).includes('ecr:BatchGetImage'),
    );
    expect(list(pull?.Resource)).to.deep.equal([
      arn.ecrRepository(REGION, MGMT, naming.jenkinsImageRepository('controller')),
    ]);
  });

  it('lets the controller read exactly the SSM parameters jenkins.yaml references', () => {
    const referenced = [...new Set([...casc.matchAll(/\$\{(\/[^}]+)\}/g)].map((m) => m[1]!))];
    expect(referenced.length).to.be.greaterThan(3);
    const read = sid(controller(), 'ReadCascParameters');
    expect(read.Action).to.equal('ssm:GetParameter');
    expect(list(read.Resource)).to.have.members(
      referenced.map((p) => `arn:aws:ssm:${REGION}:${MGMT}:parameter${p}`),
    );
  });

  it('lets the controller register, run and stop exactly its templates’ task definitions, on its cluster', () => {
    const statements = controller();
    const cluster = arn.ecsCluster(REGION, MGMT, naming.jenkinsCluster());
    expect(cloud.templates.length).to.equal(buildJenkinsModel(platform).agents.length);
    for (const t of cloud.templates) {
      // ECSService#fullQualifiedTemplateName: the cloud's name, a dash, the template's name.
      const revision = `arn:aws:ecs:${REGION}:${MGMT}:task-definition/${cloud.name}-${t.templateName}:3`;
      for (const action of ['ecs:RegisterTaskDefinition', 'ecs:RunTask', 'ecs:ListTagsForResource'])
        expect(
          statements.some(
            (s) => list(s.Action).includes(action) && list(s.Resource).some((r) => matches(r, revision)),
          ),
          `${action} ${revision}`,
        ).to.equal(true);
    }
    for (const name of ['StartAgents', 'WatchAgents'])
      expect(sid(statements, name).Condition).to.deep.equal({ ArnEquals: { 'ecs:cluster': cluster } });
    // Another family in the account (a service's) is out of reach.
    const other = `arn:aws:ecs:${REGION}:${MGMT}:task-definition/${naming.taskFamily('jenkins', 'mgmt')}:1`;
    expect(list(sid(statements, 'StartAgents').Resource).some((r) => matches(r, other))).to.equal(false);
  });

  it('passes exactly the templates’ task and execution roles, each one a role a stack creates', () => {
    const fromTemplates = [
      ...new Set(cloud.templates.flatMap((t) => [resolved(t.taskrole), resolved(t.executionRole)])),
    ];
    const pass = sid(controller(), 'PassAgentRoles');
    expect(list(pass.Resource)).to.have.members(fromTemplates);
    const created = new Set([
      ...ofType('iam/role:Role').map((r) => naming.roleArn(MGMT, String(r.inputs.name))),
      // The infra agents' roles come from the bootstrap.
      ...bootstrapDefinitions(REGION, { ...idsOf(), mgmt: MGMT }).infraRoles.map((r) =>
        naming.roleArn(MGMT, r.roleName),
      ),
    ]);
    for (const role of fromTemplates) expect(created.has(role), role).to.equal(true);
    expect(created.has(naming.roleArn(MGMT, naming.jenkinsNodeRole('sbox')))).to.equal(true);
  });

  it('lets the agents reach the controller’s HTTPS URL through the load balancer, and opens no other port', () => {
    // Agents in the private subnets leave through the NAT gateway; its address must pass the allowlist.
    const alb = ofType('ec2/securityGroup:SecurityGroup').find(
      (g) => g.inputs.name === `${naming.loadBalancer('mgmt')}-alb`,
    );
    const ingress = ofType('vpc/securityGroupIngressRule:SecurityGroupIngressRule').filter(
      (r) => r.inputs.securityGroupId === alb?.id,
    );
    const eips = ofType('ec2/eip:Eip');
    expect(eips.length).to.be.greaterThan(0);
    for (const eip of eips) {
      const from = ingress.filter((r) => r.inputs.cidrIpv4 === `mock-${eip.name}-publicIp/32`);
      expect(
        from.map((r) => [r.inputs.fromPort, r.inputs.toPort]),
        eip.name,
      ).to.deep.equal([[443, 443]]);
    }
    expect([...new Set(ingress.map((r) => r.inputs.fromPort))].sort()).to.deep.equal([443, 80]);
    // No TCP agent port anywhere: the controller admits the load balancer on its HTTP port only.
    const controllerGroup = ofType('ec2/securityGroup:SecurityGroup').find(
      (g) => g.inputs.name === `${naming.ecsService('jenkins', 'mgmt')}-tasks`,
    );
    const toController = ofType('vpc/securityGroupIngressRule:SecurityGroupIngressRule').filter(
      (r) => r.inputs.securityGroupId === controllerGroup?.id,
    );
    expect(toController.map((r) => r.inputs.fromPort)).to.deep.equal([8080]);
  });

  it('the agents’ execution role pulls exactly the repositories the templates’ and Kaniko’s task’s images name, which the bootstrap creates', () => {
    // Kaniko's own task (infra/accounts/mgmt-kaniko.ts) starts with the same execution role.
    const kaniko = ofType('ecs/taskDefinition:TaskDefinition').find(
      (t) => t.inputs.family === naming.jenkinsKanikoFamily(),
    )?.inputs as Inputs;
    const kanikoImages = (JSON.parse(String(kaniko.containerDefinitions)) as Inputs[]).map((c) =>
      String(c.image),
    );
    const repositories = [
      ...new Set(
        [...cloud.templates.map((t) => t.image), ...kanikoImages].map((i) => /\/([^/:@]+)[:@]/.exec(i)![1]!),
      ),
    ];
    expect(repositories).to.have.members([
      naming.jenkinsImageRepository('agent'),
      naming.jenkinsImageRepository('build-agent'),
      naming.jenkinsImageRepository('platform-agent'),
      naming.jenkinsImageRepository('kaniko'),
    ]);
    const pull = sid(rolePolicy(naming.jenkinsAgentExecutionRole()), 'PullAgentImages');
    expect(list(pull.Resource)).to.have.members(repositories.map((r) => arn.ecrRepository(REGION, MGMT, r)));
    const bootstrap = bootstrapDefinitions(REGION, { ...idsOf(), mgmt: MGMT }).jenkinsImageRepositories;
    for (const r of [...repositories, naming.jenkinsImageRepository('controller')])
      expect(
        bootstrap.map((b) => b.name),
        r,
      ).to.include(r);
  });
});

function idsOf() {
  if (stackConfig.kind !== 'management') throw new Error('Pulumi.mgmt.yaml is not the management stack');
  const ids = stackConfig.values['tdr:workloadAccountIds'];
  return { mgmt: MGMT, sbox: '555555555555', intg: ids.intg, staging: ids.staging, prod: ids.prod };
}
