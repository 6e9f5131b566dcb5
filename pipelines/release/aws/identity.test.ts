/** Names people type are compared after NFKC, and refused when they hide or fake characters. */
import { expect } from 'chai';
import {
  isApprover,
  isRole,
  isSsoRolePath,
  needsRolePath,
  personName,
  pinnedApproverRoles,
  principalOf,
  rolePathOf,
  sameRole,
  samePerson,
  vouchedPerson,
} from './identity';

const MGMT = '123456789012';
const APPROVERS = [
  'role/TDRReleaseApproverProd',
  'role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_TDRAdmin_*',
];

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

  it('reads callers from STS ARNs; a role is one role whatever its session names', () => {
    expect(principalOf(`arn:aws:sts::${MGMT}:assumed-role/TDRAdmin/alice`)).to.include({
      type: 'assumed-role',
      name: 'TDRAdmin',
      session: 'alice',
    });
    expect(principalOf('not an arn')).to.equal(undefined);
    expect(
      sameRole(
        `arn:aws:sts::${MGMT}:assumed-role/A/alice`,
        `arn:aws:sts::${MGMT}:assumed-role/A/alice-promoting`,
      ),
    ).to.equal(true);
    expect(
      sameRole(`arn:aws:sts::${MGMT}:assumed-role/A/alice`, `arn:aws:sts::${MGMT}:assumed-role/B/alice`),
    ).to.equal(false);
  });

  it('vouches for a person only where AWS or Jenkins sets the name, never for a session name the caller chose', () => {
    const opts = { mgmtAccount: MGMT, pinned: ['TDRReleaseApproverProd'] };
    const jenkins = { ...opts, jenkinsRole: 'TDRJenkinsNodeRoleProd' };
    expect(vouchedPerson(`arn:aws:iam::${MGMT}:user/alice`, opts)).to.deep.equal({ person: 'alice' });
    expect(
      vouchedPerson(`arn:aws:sts::${MGMT}:assumed-role/AWSReservedSSO_TDRAdmin_ab12/alice@x.org`, opts),
    ).to.deep.equal({ person: 'alice@x.org' });
    expect(
      vouchedPerson(`arn:aws:sts::${MGMT}:assumed-role/TDRReleaseApproverProd/alice`, opts),
    ).to.deep.equal({
      person: 'alice',
    });
    // Jenkins' role is everyone's: its build user (--actor) is the person, checked for hidden characters.
    const agent = `arn:aws:sts::${MGMT}:assumed-role/TDRJenkinsNodeRoleProd/i-0abc`;
    expect(vouchedPerson(agent, { ...jenkins, actor: 'alice' })).to.deep.equal({ person: 'alice' });
    expect(vouchedPerson(agent, { ...jenkins, actor: 'alice\u200b' })).to.have.property('none');
    expect(vouchedPerson(agent, jenkins)).to.have.property('none');
    // A shared role's session name is whatever its caller chose: no one.
    const shared = vouchedPerson(`arn:aws:sts::${MGMT}:assumed-role/TDRDeveloper/bob`, opts);
    expect(shared).to.have.property('none').that.contains('chosen by whoever assumes the role');
    // A pinned role elsewhere is not the model's.
    expect(
      vouchedPerson('arn:aws:sts::999999999999:assumed-role/TDRReleaseApproverProd/alice', opts),
    ).to.have.property('none');
  });

  it("reads a role's path from its IAM ARN, and knows IAM Identity Center's (with or without a region)", () => {
    expect(rolePathOf(`arn:aws:iam::${MGMT}:role/TDRReleaseApproverProd`)).to.equal('/');
    expect(
      rolePathOf(`arn:aws:iam::${MGMT}:role/aws-reserved/sso.amazonaws.com/eu-west-2/AWSReservedSSO_A_1`),
    ).to.equal('/aws-reserved/sso.amazonaws.com/eu-west-2/');
    expect(isSsoRolePath('/aws-reserved/sso.amazonaws.com/')).to.equal(true);
    expect(isSsoRolePath('/aws-reserved/sso.amazonaws.com/eu-west-2/')).to.equal(true);
    expect(isSsoRolePath('/')).to.equal(false);
    expect(isSsoRolePath('/aws-reserved/sso.amazonaws.com/x/y/')).to.equal(false);
    expect(isSsoRolePath('/evil/aws-reserved/sso.amazonaws.com/')).to.equal(false);
    expect(pinnedApproverRoles(APPROVERS)).to.deep.equal(['TDRReleaseApproverProd']);
  });

  it('matches approver roles in the mgmt account only, with * for an SSO suffix and the SSO path required', () => {
    const sso = `arn:aws:sts::${MGMT}:assumed-role/AWSReservedSSO_TDRAdmin_ab12/a`;
    expect(
      isApprover(`arn:aws:sts::${MGMT}:assumed-role/TDRReleaseApproverProd/a`, APPROVERS, MGMT),
    ).to.equal(true);
    expect(needsRolePath(sso, APPROVERS)).to.equal(true);
    expect(needsRolePath(`arn:aws:sts::${MGMT}:assumed-role/TDRReleaseApproverProd/a`, APPROVERS)).to.equal(
      false,
    );
    expect(isApprover(sso, APPROVERS, MGMT, '/aws-reserved/sso.amazonaws.com/eu-west-2/')).to.equal(true);
    expect(isApprover(sso, APPROVERS, MGMT, '/aws-reserved/sso.amazonaws.com/')).to.equal(true);
    // Issue 24 #8: a self-made look-alike at path / (or a path unknown) is no approver.
    const selfMade = `arn:aws:sts::${MGMT}:assumed-role/AWSReservedSSO_TDRAdmin_selfmade/a`;
    expect(isApprover(selfMade, APPROVERS, MGMT, '/')).to.equal(false);
    expect(isApprover(selfMade, APPROVERS, MGMT)).to.equal(false);
    expect(isApprover(selfMade, APPROVERS, MGMT, '/evil/')).to.equal(false);
    expect(
      isApprover(
        `arn:aws:sts::${MGMT}:assumed-role/AWSReservedSSO_TDRAdminX/a`,
        APPROVERS,
        MGMT,
        '/aws-reserved/sso.amazonaws.com/',
      ),
    ).to.equal(false);
    expect(
      isApprover(`arn:aws:sts::222222222222:assumed-role/TDRReleaseApproverProd/a`, APPROVERS, MGMT),
    ).to.equal(false);
    expect(isApprover(`arn:aws:iam::${MGMT}:user/TDRReleaseApproverProd`, APPROVERS, MGMT)).to.equal(false);
    expect(
      isRole(`arn:aws:sts::${MGMT}:assumed-role/TDRJenkinsNodeRoleProd/x`, 'TDRJenkinsNodeRoleProd', MGMT),
    ).to.equal(true);
  });
});
