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
});
