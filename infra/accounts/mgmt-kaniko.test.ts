/**
 * Kaniko as its own ECS task, as the mgmt stack creates it (issue 23), under Pulumi's mock engine,
 * checked against what `kaniko-build` (pipelines/jenkins/scripts/kaniko-build.sh) does: every `aws`
 * call in the script is derived from its text and asked of TDRJenkinsNodeRoleMgmt's synthesised
 * policy with the IAM simulator (`@cloud-copilot/iam-simulate`, ../definitions/iam-simulator.test-helper.ts);
 * the task definition is the one the script starts, with the container it overrides; the task's
 * own role pushes to exactly the repositories builds push to and reads only the contexts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { loadPlatform } from '../../services/config';
import { KANIKO } from '../../services/kaniko';
import { naming } from '../../services/naming';
import { AGENT_IMAGE_TARGETS } from '../../pipelines/jenkins/settings';
import { bootstrapDefinitions } from '../bootstrap/definitions';
import { arn } from '../definitions/iam';
import { allows } from '../definitions/iam-simulator.test-helper';
import { imageRepositories } from '../definitions/jenkins';
import { statementsOf, type Statement } from '../policies/documents';
import type { RecordedResource } from '../policies/evaluate';
import { loadStackConfig, synthStack, type SynthResult } from '../synth';

type Inputs = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const platform = loadPlatform({});
const stackConfig = loadStackConfig('mgmt');
if (stackConfig.kind !== 'management') throw new Error('Pulumi.mgmt.yaml is not the management stack');
const MGMT = stackConfig.values['tdr:accountId'];
const REGION = platform.environments.mgmt.region;
const SCRIPT = readFileSync(join(__dirname, '..', '..', 'pipelines/jenkins/scripts/kaniko-build.sh'), 'utf8');

const CLUSTER = arn.ecsCluster(REGION, MGMT, naming.jenkinsCluster());
const TASK = `arn:aws:ecs:${REGION}:${MGMT}:task/${naming.jenkinsCluster()}/0123456789abcdef`;
const FAMILY_REVISION = `arn:aws:ecs:${REGION}:${MGMT}:task-definition/${naming.jenkinsKanikoFamily()}:4`;
const CONTEXT = `arn:aws:s3:::${naming.jenkinsKanikoContextBucket()}/${KANIKO.contextPrefix}v7/20261206T000000Z-42.tar.gz`;
const LOG_STREAM = `${arn.logGroup(REGION, MGMT, naming.logGroup('jenkins-agent', 'mgmt'))}:log-stream:${KANIKO.logStreamPrefix}/${KANIKO.container}/0123456789abcdef`;
const ON_CLUSTER = { 'ecs:cluster': CLUSTER };
const TO_ECS = { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' };
const repositoryArn = (name: string) => arn.ecrRepository(REGION, MGMT, name);

/** The repositories builds push to: each catalogue image's, each agent image's, and Kaniko's own. */
const PUSHED = [
  ...[...imageRepositories(platform).keys()].map((r) => naming.ecrRepository(r)),
  ...AGENT_IMAGE_TARGETS.map((t) => t.repository),
  naming.jenkinsImageRepository('kaniko'),
];

interface Request {
  action: string;
  resource: string;
  context?: Record<string, string>;
}

/**
 * Each `aws SERVICE COMMAND` the script runs, as the IAM requests it makes (Service Authorization
 * Reference; `aws s3 cp` of one file is PutObject, multipart parts included). A call missing here
 * fails the test: a new call in the script needs its permission checked.
 */
function requestsOf(service: string, command: string, passedRoles: string[]): Request[] | undefined {
  const table: Record<string, Request[]> = {
    // "No permissions are required to perform this operation" (STS API reference, GetCallerIdentity).
    'sts get-caller-identity': [],
    'ecr describe-images': PUSHED.map((r) => ({ action: 'ecr:DescribeImages', resource: repositoryArn(r) })),
    's3 cp': [{ action: 's3:PutObject', resource: CONTEXT }],
    'ssm get-parameters': [
      naming.jenkinsAgentSubnetsParameter(),
      naming.jenkinsAgentSecurityGroupParameter(),
    ].map((p) => ({ action: 'ssm:GetParameters', resource: arn.ssmParameter(REGION, MGMT, p) })),
    'ecs run-task': [
      { action: 'ecs:RunTask', resource: FAMILY_REVISION, context: ON_CLUSTER },
      ...passedRoles.map((role) => ({ action: 'iam:PassRole', resource: role, context: TO_ECS })),
    ],
    'ecs describe-tasks': [{ action: 'ecs:DescribeTasks', resource: TASK, context: ON_CLUSTER }],
    'ecs stop-task': [{ action: 'ecs:StopTask', resource: TASK, context: ON_CLUSTER }],
    'logs get-log-events': [{ action: 'logs:GetLogEvents', resource: LOG_STREAM }],
  };
  return table[`${service} ${command}`];
}

/** `aws SERVICE COMMAND` in the script's code (comments left out). */
function scriptCalls(): Array<[string, string]> {
  const code = SCRIPT.split('\n')
    .filter((l) => !/^\s*#/.test(l))
    .join('\n');
  const calls = [...code.matchAll(/\baws ([a-z0-9-]+) ([a-z0-9-]+)/g)].map((m) => `${m[1]} ${m[2]}`);
  return [...new Set(calls)].map((c) => c.split(' ') as [string, string]);
}

describe('Kaniko’s own task in the mgmt stack, and what kaniko-build may do with it (offline synth)', function () {
  this.timeout(60_000);
  let synth: SynthResult;
  const ofType = (type: string): RecordedResource[] => synth.records.filter((r) => r.type === `aws:${type}`);
  const rolePolicy = (role: string): Statement[] =>
    statementsOf(ofType('iam/rolePolicy:RolePolicy').find((p) => p.inputs.role === role)?.inputs.policy);
  const task = (): Inputs =>
    ofType('ecs/taskDefinition:TaskDefinition').find((t) => t.inputs.family === naming.jenkinsKanikoFamily())
      ?.inputs as Inputs;
  const container = (): Inputs => (JSON.parse(String(task().containerDefinitions)) as Inputs[])[0]!;

  before(async () => {
    synth = await synthStack('mgmt', { platform });
  });

  it('defines the task the script starts: Fargate, the container it overrides, Kaniko’s image at the fork’s release', () => {
    const t = task();
    expect(t.requiresCompatibilities).to.deep.equal(['FARGATE']);
    expect(t.networkMode).to.equal('awsvpc');
    const containers = JSON.parse(String(t.containerDefinitions)) as Inputs[];
    expect(containers.map((c) => c.name)).to.deep.equal([KANIKO.container]);
    expect(container().image).to.equal(
      `${arn.ecrImageUri(REGION, MGMT, naming.jenkinsImageRepository('kaniko'))}:${KANIKO.version}`,
    );
    // The bootstrap creates the repository the image is pushed to.
    const repositories = bootstrapDefinitions(REGION, {
      mgmt: MGMT,
      sbox: '555555555555',
      ...stackConfig.values['tdr:workloadAccountIds'],
    }).jenkinsImageRepositories.map((r) => r.name);
    expect(repositories).to.include(naming.jenkinsImageRepository('kaniko'));
    // Logs go where the script's log link and log tail look, in a group the stack creates.
    const options = container().logConfiguration.options as Record<string, string>;
    expect(options['awslogs-stream-prefix']).to.equal(KANIKO.logStreamPrefix);
    expect(ofType('cloudwatch/logGroup:LogGroup').map((g) => g.inputs.name)).to.include(
      options['awslogs-group'],
    );
    expect(SCRIPT).to.contain(`KANIKO_LOG_GROUP:-${options['awslogs-group']}}`);
    expect(t.executionRoleArn).to.equal(naming.roleArn(MGMT, naming.jenkinsAgentExecutionRole()));
    expect(t.taskRoleArn).to.equal(naming.roleArn(MGMT, naming.jenkinsKanikoTaskRole()));
  });

  it('keeps build contexts in their own bucket for a day only', () => {
    const lifecycle = ofType('s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration').find(
      (l) => l.inputs.bucket === naming.jenkinsKanikoContextBucket(),
    );
    const rules = (lifecycle?.inputs as Inputs | undefined)?.rules as Inputs[] | undefined;
    expect(rules?.[0]?.expiration).to.deep.equal({ days: KANIKO.contextExpireDays });
  });

  it('lets the build agent make every AWS call kaniko-build makes', async () => {
    const node = rolePolicy(naming.jenkinsNodeRole('mgmt'));
    const passed = [task().taskRoleArn as string, task().executionRoleArn as string];
    const calls = scriptCalls();
    expect(calls.length).to.be.greaterThan(5);
    for (const [service, command] of calls) {
      const requests = requestsOf(service, command, passed);
      expect(requests, `aws ${service} ${command}: add its IAM requests to this test`).to.not.equal(
        undefined,
      );
      for (const r of requests!)
        expect(await allows(node, r), `aws ${service} ${command}: ${r.action} ${r.resource}`).to.equal(true);
    }
  });

  it('and nothing beside it: no other task definition, cluster, role, bucket prefix or log', async () => {
    const node = rolePolicy(naming.jenkinsNodeRole('mgmt'));
    const otherFamily = `arn:aws:ecs:${REGION}:${MGMT}:task-definition/${naming.taskFamily('jenkins', 'mgmt')}:1`;
    const denied: Request[] = [
      { action: 'ecs:RunTask', resource: otherFamily, context: ON_CLUSTER },
      {
        action: 'ecs:RunTask',
        resource: FAMILY_REVISION,
        context: { 'ecs:cluster': arn.ecsCluster(REGION, MGMT, 'another') },
      },
      {
        action: 'ecs:StopTask',
        resource: TASK,
        context: { 'ecs:cluster': arn.ecsCluster(REGION, MGMT, 'another') },
      },
      {
        action: 'iam:PassRole',
        resource: naming.roleArn(MGMT, naming.jenkinsNodeRole('mgmt')),
        context: TO_ECS,
      },
      {
        action: 'iam:PassRole',
        resource: naming.roleArn(MGMT, naming.jenkinsKanikoTaskRole()),
        context: { 'iam:PassedToService': 'lambda.amazonaws.com' },
      },
      {
        action: 's3:PutObject',
        resource: `arn:aws:s3:::${naming.jenkinsKanikoContextBucket()}/other/x.tar.gz`,
      },
      { action: 's3:GetObject', resource: CONTEXT },
      { action: 'ecr:PutImage', resource: repositoryArn(PUSHED[0]!) },
      {
        action: 'logs:GetLogEvents',
        resource: `${arn.logGroup(REGION, MGMT, naming.logGroup('jenkins-agent', 'mgmt'))}:log-stream:other/x`,
      },
    ];
    for (const r of denied) expect(await allows(node, r), `${r.action} ${r.resource}`).to.equal(false);
  });

  it('lets Kaniko’s task read the contexts and push to exactly the repositories builds push to', async () => {
    const kaniko = rolePolicy(naming.jenkinsKanikoTaskRole());
    // The ECR user guide's push permissions ("IAM permissions for pushing an image").
    const push = [
      'ecr:BatchCheckLayerAvailability',
      'ecr:InitiateLayerUpload',
      'ecr:UploadLayerPart',
      'ecr:CompleteLayerUpload',
      'ecr:PutImage',
    ];
    expect(PUSHED.length).to.be.greaterThan(AGENT_IMAGE_TARGETS.length);
    for (const r of PUSHED)
      for (const action of push)
        expect(await allows(kaniko, { action, resource: repositoryArn(r) }), `${action} ${r}`).to.equal(true);
    expect(await allows(kaniko, { action: 'ecr:GetAuthorizationToken', resource: '*' })).to.equal(true);
    expect(await allows(kaniko, { action: 's3:GetObject', resource: CONTEXT })).to.equal(true);
    // Not the controller's image (the operator builds it), not another account's, no deletes.
    const denied: Request[] = [
      { action: 'ecr:PutImage', resource: repositoryArn(naming.jenkinsImageRepository('controller')) },
      { action: 'ecr:PutImage', resource: arn.ecrRepository(REGION, '210987654321', PUSHED[0]!) },
      { action: 'ecr:BatchDeleteImage', resource: repositoryArn(PUSHED[0]!) },
      { action: 's3:PutObject', resource: CONTEXT },
      { action: 's3:GetObject', resource: `arn:aws:s3:::${naming.ledgerBucket()}/records/x.json` },
    ];
    for (const r of denied) expect(await allows(kaniko, r), `${r.action} ${r.resource}`).to.equal(false);
  });
});
