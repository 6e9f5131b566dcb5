/** Names people type are compared after NFKC, and refused when they hide or fake characters. */
import { expect } from 'chai';
import { isApprover, isRole, personName, principalOf, samePerson, samePrincipal } from './identity';

const MGMT = '123456789012';

describe('identity', () => {
  it('refuses zero-width and formatting characters, and letters outside ASCII (homoglyphs)', () => {
    for (const name of [
      'bob\u200b',
      '\u200dbob',
      'b\u00adob',
      'bob\u202e',
      '\ufeffbob',
      'b\u2060ob',
      'bоb' /* Cyrillic о */,
    ]) {
      expect(() => personName(name, 'jenkins-approver'), JSON.stringify(name)).to.throw(
        /^jenkins-approver: /,
      );
    }
  });

  it('normalises full-width letters (NFKC), so ｂｏｂ is bob, the same person as Bob', () => {
    expect(personName('ｂｏｂ', 'x')).to.equal('bob');
    expect(samePerson(personName('ｂｏｂ', 'x'), 'Bob')).to.equal(true);
    expect(personName(' alice@example.org ', 'x')).to.equal('alice@example.org');
  });

  it('reads callers from STS ARNs, and compares sessions, not roles', () => {
    expect(principalOf(`arn:aws:sts::${MGMT}:assumed-role/TDRAdmin/alice`)).to.include({
      type: 'assumed-role',
      name: 'TDRAdmin',
      session: 'alice',
    });
    expect(principalOf('not an arn')).to.equal(undefined);
    expect(
      samePrincipal(`arn:aws:sts::${MGMT}:assumed-role/A/alice`, `arn:aws:sts::${MGMT}:assumed-role/B/ALICE`),
    ).to.equal(true);
    expect(
      samePrincipal(`arn:aws:sts::${MGMT}:assumed-role/A/alice`, `arn:aws:sts::${MGMT}:assumed-role/A/bob`),
    ).to.equal(false);
  });

  it('matches approver roles in the mgmt account only, with * for an SSO suffix', () => {
    const approvers = [
      'role/TDRReleaseApproverProd',
      'role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_TDRAdmin_*',
    ];
    expect(
      isApprover(`arn:aws:sts::${MGMT}:assumed-role/TDRReleaseApproverProd/a`, approvers, MGMT),
    ).to.equal(true);
    expect(
      isApprover(`arn:aws:sts::${MGMT}:assumed-role/AWSReservedSSO_TDRAdmin_ab12/a`, approvers, MGMT),
    ).to.equal(true);
    expect(
      isApprover(`arn:aws:sts::${MGMT}:assumed-role/AWSReservedSSO_TDRAdminX/a`, approvers, MGMT),
    ).to.equal(false);
    expect(
      isApprover(`arn:aws:sts::222222222222:assumed-role/TDRReleaseApproverProd/a`, approvers, MGMT),
    ).to.equal(false);
    expect(isApprover(`arn:aws:iam::${MGMT}:user/TDRReleaseApproverProd`, approvers, MGMT)).to.equal(false);
    expect(
      isRole(`arn:aws:sts::${MGMT}:assumed-role/TDRJenkinsNodeRoleProd/x`, 'TDRJenkinsNodeRoleProd', MGMT),
    ).to.equal(true);
  });
});
