import { expect } from 'chai';
import { naming } from '../services/naming';
import {
  checkCredentials,
  CredentialsMismatchError,
  withAccountIds,
  withBootstrapAccountIds,
} from './identity';
import { parseStackConfig } from './config';

const ids = {
  mgmt: '900000000000',
  sbox: '900000000001',
  intg: '900000000002',
  staging: '900000000003',
  prod: '900000000004',
} as const;
const assumed = (account: string, role: string) => ({
  account,
  arn: `arn:aws:sts::${account}:assumed-role/${role}/jenkins`,
});

function refusal(fn: () => void): string {
  try {
    fn();
  } catch (err) {
    expect(err).to.be.instanceOf(CredentialsMismatchError);
    expect((err as CredentialsMismatchError).kind).to.equal('invalid');
    return (err as Error).message;
  }
  throw new Error('expected a refusal');
}

describe('infra/identity: a real run checks the credentials before declaring anything', () => {
  it("an account stack runs from mgmt as its own infra role, or an administrator's credentials there", () => {
    checkCredentials('prod', ids, assumed(ids.mgmt, naming.jenkinsInfraRole('prod')));
    checkCredentials('prod', ids, assumed(ids.mgmt, 'AWSReservedSSO_AdministratorAccess_0'));
    checkCredentials('bootstrap', ids, assumed(ids.mgmt, 'AWSReservedSSO_AdministratorAccess_0'));
  });

  it("refuses a prod program with intg's credentials, naming both accounts", () => {
    expect(refusal(() => checkCredentials('prod', ids, assumed(ids.intg, 'Admin')))).to.equal(
      `refusing to run the prod stack with the credentials of arn:aws:sts::${ids.intg}:assumed-role/Admin/jenkins: ` +
        `they are intg's account ${ids.intg}, but every stack runs from mgmt (${ids.mgmt}) as TDRJenkinsInfraRoleProd, ` +
        `which assumes TDRPulumiDeployRoleProd in ${ids.prod}`,
    );
  });

  it("refuses the prod stack run as intg's infra role, and the bootstrap run as any infra role", () => {
    expect(
      refusal(() => checkCredentials('prod', ids, assumed(ids.mgmt, 'TDRJenkinsInfraRoleIntg'))),
    ).to.include("they are intg's infra role; the prod stack runs only as TDRJenkinsInfraRoleProd");
    expect(
      refusal(() => checkCredentials('bootstrap', ids, assumed(ids.mgmt, 'TDRJenkinsInfraRoleMgmt'))),
    ).to.include('runs with administrator credentials');
    expect(refusal(() => checkCredentials('bootstrap', ids, assumed('555555555555', 'Admin')))).to.include(
      'account 555555555555, which is none of the platform',
    );
  });

  it('the real account ids replace the offline placeholders of a stack file', () => {
    const raw = {
      'tdr:accountId': '222222222222',
      'tdr:mgmtAccountId': '123456789012',
      'tdr:vpcCidr': '10.2.0.0/16',
      'tdr:hostedZoneId': 'Z0INTG00000000000001',
      'tdr:preservationRoleArn': 'arn:aws:iam::555555555555:role/Reader',
      'tdr:slackWorkspaceId': 'T00000000',
      'tdr:alarmsSlackChannelId': 'C00000000',
    };
    const config = parseStackConfig('intg', withAccountIds('intg', raw, ids), 'stack intg');
    expect(config.values['tdr:accountId']).to.equal(ids.intg);
    expect(config.kind === 'workload' && config.values['tdr:mgmtAccountId']).to.equal(ids.mgmt);
    expect(JSON.parse(withAccountIds('mgmt', {}, ids)['tdr:workloadAccountIds']!)).to.deep.equal({
      intg: ids.intg,
      staging: ids.staging,
      prod: ids.prod,
    });
    expect(JSON.parse(withBootstrapAccountIds({}, ids)['tdr-bootstrap:accountIds']!)).to.deep.equal(ids);
  });
});
