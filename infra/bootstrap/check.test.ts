/**
 * `tdr bootstrap check` item by item, with the AWS clients mocked (aws-sdk-client-mock): a
 * parameter of the wrong type is NG (the runbook's SecureString/String split is what is checked),
 * a missing object is NG naming AWS's error, every item is checked after a failure, other accounts'
 * roles and stacks are [--], and only read calls are made.
 */
import { ECRClient } from '@aws-sdk/client-ecr';
import { IAMClient } from '@aws-sdk/client-iam';
import { HeadBucketCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DescribeParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';
import {
  DescribeLoadBalancersCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { GetAliasCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { expect } from 'chai';
import { checkStandUp } from './check';
import type { StandUpStep } from './plan';

const MGMT = '900000000000';
const step: StandUpStep = {
  step: 3,
  title: 't',
  runsAs: 'r',
  commands: [],
  check: 'c',
  creates: [
    { kind: 'parameter', name: '/mgmt/slack/release-webhook', type: 'SecureString' },
    { kind: 'parameter', name: '/mgmt/mgmt_account', type: 'String' },
    { kind: 'package', bucket: 'b', key: 'f/v1/f.jar' },
    { kind: 'bucket', bucket: 'b' },
    { kind: 'role', arn: 'arn:aws:iam::700000000000:role/PreservationExportReaderIntg' },
    { kind: 'stack', stack: 'intg' },
  ],
};

function clients() {
  const c = {
    ssm: new SSMClient({ region: 'eu-west-2' }),
    ecr: new ECRClient({ region: 'eu-west-2' }),
    s3: new S3Client({ region: 'eu-west-2' }),
    iam: new IAMClient({ region: 'eu-west-2' }),
  };
  const ssm = mockClient(c.ssm);
  const s3 = mockClient(c.s3);
  ssm.on(DescribeParametersCommand).callsFake((input: { ParameterFilters: Array<{ Values: string[] }> }) => ({
    Parameters: [{ Name: input.ParameterFilters[0]!.Values[0], Type: 'String' }],
  }));
  s3.on(HeadObjectCommand).rejects(Object.assign(new Error('Not Found'), { name: 'NotFound' }));
  s3.on(HeadBucketCommand).resolves({});
  return { c, calls: () => [...ssm.calls(), ...s3.calls()].map((x) => x.args[0].constructor.name) };
}

describe('tdr bootstrap check, item by item', () => {
  it('NG for a secret stored as String and a missing package, each named; the rest still checked', async () => {
    const { c, calls } = clients();
    const results = await checkStandUp([step], c, MGMT);
    expect(results.map((r) => r.mark)).to.deep.equal(['ng', 'ok', 'ng', 'ok', 'skipped', 'skipped']);
    expect(results[0]!.detail).to.equal('Error: is String, the stand-up makes it SecureString');
    expect(results[2]!.detail).to.equal('missing (NotFound)');
    for (const name of calls()) expect(name).to.match(/^(Describe|Head|Get)/);
  });

  it('in the sandbox a secret is not looked for; --step picks one step', async () => {
    const { c } = clients();
    const sandbox = await checkStandUp([step], c, MGMT, { sandbox: true });
    expect(sandbox[0]!.mark).to.equal('skipped');
    expect(await checkStandUp([step], c, MGMT, { only: 4 })).to.deep.equal([]);
  });

  it('checks a workload stack through the role assumed there: each service, alias and load balancer, only reads', async () => {
    const { c } = clients();
    const w = {
      ecs: new ECSClient({ region: 'eu-west-2' }),
      lambda: new LambdaClient({ region: 'eu-west-2' }),
      elbv2: new ElasticLoadBalancingV2Client({ region: 'eu-west-2' }),
    };
    const ecs = mockClient(w.ecs);
    const lambda = mockClient(w.lambda);
    const elbv2 = mockClient(w.elbv2);
    // ECS names a missing service in `failures`, not with an error (ECS API DescribeServices).
    ecs.on(DescribeServicesCommand, { services: ['a_service_intg'] }).resolves({
      services: [{ serviceName: 'a_service_intg', status: 'ACTIVE', runningCount: 1, desiredCount: 1 }],
    });
    ecs.on(DescribeServicesCommand, { services: ['b_service_intg'] }).resolves({
      services: [],
      failures: [{ arn: 'x', reason: 'MISSING' }],
    });
    lambda
      .on(GetAliasCommand)
      .rejects(Object.assign(new Error('Alias not found'), { name: 'ResourceNotFoundException' }));
    elbv2.on(DescribeLoadBalancersCommand).resolves({ LoadBalancers: [{ State: { Code: 'active' } }] });
    const reached: string[] = [];
    const workload = (env: string) => ({
      ...w,
      reach: async () => {
        reached.push(env);
        return `arn:aws:iam::900000000002:role/TDRReleaseReaderRole${env}`;
      },
    });
    const intg: StandUpStep = {
      ...step,
      step: 6,
      creates: [
        { kind: 'stack', stack: 'intg' },
        { kind: 'stack', stack: 'sbox' },
        { kind: 'service', env: 'intg', cluster: 'a_intg', service: 'a_service_intg' },
        { kind: 'service', env: 'intg', cluster: 'b_intg', service: 'b_service_intg' },
        { kind: 'function', env: 'intg', functionName: 'tdr-f-intg', alias: 'live' },
        { kind: 'loadBalancer', env: 'intg', name: 'tdr-intg' },
      ],
    };
    const results = await checkStandUp([intg], { ...c, workload }, MGMT);
    expect(results.map((r) => [r.mark, r.detail])).to.deep.equal([
      [
        'ok',
        "arn:aws:iam::900000000002:role/TDRReleaseReaderRoleintg assumed: the stack's items below are checked through it",
      ],
      ['skipped', results[1]!.detail],
      ['ok', 'ACTIVE, 1/1 running'],
      ['ng', 'missing (ServiceNotFoundException)'],
      ['ng', 'missing (ResourceNotFoundException)'],
      ['ok', 'active'],
    ]);
    expect(reached).to.deep.equal(['intg']);
    const sent = [...ecs.calls(), ...lambda.calls(), ...elbv2.calls()].map((x) => x.args[0].constructor.name);
    expect(sent).to.have.length(4);
    for (const name of sent) expect(name).to.match(/^(Describe|Get)/);
    // Without a way into the workload accounts, their items are named as not checked, never passed.
    const blind = await checkStandUp([intg], c, MGMT);
    expect(blind.filter((r) => r.item.startsWith('intg')).every((r) => r.mark === 'skipped')).to.equal(true);
    expect(blind[0]!.mark).to.equal('skipped');
  });
});
