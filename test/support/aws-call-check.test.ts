/**
 * The call check itself (./aws-call-check.ts): recorded calls of the engine, simulated against
 * the generated policies, allowed where the role grants them and denied where it does not.
 */
import { expect } from 'chai';
import { naming } from '../../services/naming';
import { leaseKey } from '../../pipelines/release/ledger/lease';
import { TEST_ACCOUNT_IDS } from './accounts';
import type { RecordedCall } from './aws-calls';
import { checkCalls, goldenPolicies, OPERATIONS, report } from './aws-call-check';

const MGMT = TEST_ACCOUNT_IDS.mgmt;
const nodeRole = (env: string) => naming.roleArn(MGMT, naming.jenkinsNodeRole(env as 'intg'));

function call(
  c: Partial<RecordedCall> & Pick<RecordedCall, 'service' | 'operation' | 'input'>,
): RecordedCall {
  return {
    test: 'a test',
    command: 'tdr deploy --service',
    region: 'eu-west-2',
    account: MGMT,
    role: nodeRole('intg'),
    roleFrom: 'agent',
    ...c,
  };
}

describe('the recorded-call check (iam-simulate over the generated policies)', () => {
  const policies = goldenPolicies();

  it('allows a release giving back its own lease, and denies it another environment’s', async () => {
    const own = call({
      service: 'S3',
      operation: 'DeleteObject',
      input: { Bucket: naming.ledgerBucket(), Key: leaseKey('frontend', 'intg') },
    });
    const other = call({ ...own, input: { ...own.input, Key: leaseKey('frontend', 'prod') } });
    const r = await checkCalls([own, other], policies);
    expect(r.simulated).to.equal(2);
    expect(r.denials.map((d) => d.resource)).to.deep.equal([
      `arn:aws:s3:::${naming.ledgerBucket()}/${leaseKey('frontend', 'prod')}`,
    ]);
    expect(report(r)).to.contain('DENIED');
  });

  it('checks AssumeRole against the target role’s trust policy too', async () => {
    const assume = (env: 'intg' | 'prod') =>
      call({
        service: 'STS',
        operation: 'AssumeRole',
        input: { RoleArn: naming.roleArn(TEST_ACCOUNT_IDS[env], naming.jenkinsEcsUpdateRole(env)) },
      });
    const r = await checkCalls([assume('intg'), assume('prod')], policies);
    expect(r.denials.map((d) => d.resource)).to.deep.equal([
      naming.roleArn(TEST_ACCOUNT_IDS.prod, naming.jenkinsEcsUpdateRole('prod')),
    ]);
  });

  it('reads a cross-account package through the code bucket’s policy', async () => {
    const update = call({
      service: 'Lambda',
      operation: 'UpdateFunctionCode',
      account: TEST_ACCOUNT_IDS.intg,
      role: naming.roleArn(TEST_ACCOUNT_IDS.intg, naming.jenkinsEcsUpdateRole('intg')),
      roleFrom: 'credentials',
      input: {
        FunctionName: naming.functionName('checksum', 'intg'),
        S3Bucket: naming.backendCodeBucket(),
        S3Key: 'checksum/v2/checksum.zip',
      },
    });
    const r = await checkCalls([update], policies);
    expect(r.simulated).to.equal(2);
    expect(r.denials).to.deep.equal([]);
  });

  it('fails an operation it has no mapping for, and a role infra does not generate', async () => {
    const r = await checkCalls(
      [
        call({ service: 'S3', operation: 'DeleteBucket', input: { Bucket: 'x' } }),
        call({ service: 'S3', operation: 'GetObject', role: naming.roleArn(MGMT, 'Nobody'), input: {} }),
      ],
      policies,
    );
    expect(r.denials.map((d) => d.why)).to.deep.equal([
      'no mapping for S3 DeleteBucket in OPERATIONS',
      `no generated identity policy for ${naming.roleArn(MGMT, 'Nobody')}`,
    ]);
    expect(Object.keys(OPERATIONS).length).to.be.greaterThan(30);
  });
});
