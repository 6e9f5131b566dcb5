/** Gates are pure: the model, the ledger and an injected clock in, verdicts out. */
import { expect } from 'chai';
import fc from 'fast-check';
import { loadPlatform } from '../../../services/config';
import type { FreezeWindow } from '../../../services/environments';
import { BRANCH_BUILD_REFUSAL, evaluateGates, inFreezeWindow, type GateInput } from './gates';
import type { ApprovalRecord, CheckRecord, LedgerRecord, ReleaseRecord } from '../ledger/ledger';

const MGMT = '123456789012';
// Bob signs in through SSO: IAM Identity Center names the session after him.
const BOB = `arn:aws:sts::${MGMT}:assumed-role/AWSReservedSSO_TDRDeveloper_0123456789abcdef/bob`;
const SSO_PATH = '/aws-reserved/sso.amazonaws.com/eu-west-2/';
const ALICE = `arn:aws:sts::${MGMT}:assumed-role/TDRReleaseApproverProd/alice`;
const JENKINS = `arn:aws:sts::${MGMT}:assumed-role/TDRJenkinsNodeRoleProd/jenkins`;
const BUILD = 'https://jenkins.example/job/prod/promote/9';

const platform = loadPlatform({});
const D2 = `sha256:${'2'.repeat(64)}`;
const D9 = `sha256:${'9'.repeat(64)}`;
// A Wednesday, 10:00 in London (GMT in November).
const WED = new Date('2026-11-25T10:00:00Z');

let seq = 0;
function rel(
  env: string,
  version: string,
  outcome: ReleaseRecord['outcome'],
  finishedAt: string,
  digest = D2,
): ReleaseRecord {
  return {
    schema: 1,
    seq: ++seq,
    kind: 'release',
    runId: `r${seq}`,
    action: 'promote',
    outcome,
    service: 'frontend',
    env,
    version,
    digest,
    image: `repo@${digest}`,
    gitCommit: null,
    taskDefinitionBefore: null,
    taskDefinitionAfter: null,
    approver: null,
    buildUrl: null,
    sourceEnv: null,
    reason: null,
    breakGlass: false,
    gates: [],
    actor: 'bob',
    startedAt: finishedAt,
    finishedAt,
    detail: null,
    settles: null,
    recordedAt: finishedAt,
  };
}
function approval(
  identity: string,
  approver: string,
  via: ApprovalRecord['via'] = 'sts',
  buildUrl: string | null = null,
  rolePath?: string,
): ApprovalRecord {
  return {
    schema: 1,
    seq: ++seq,
    kind: 'approval',
    service: 'frontend',
    env: 'prod',
    version: 'v2',
    digest: D2,
    actor: approver,
    via,
    approver,
    identity,
    ...(rolePath ? { rolePath } : {}),
    buildUrl,
    recordedAt: '2026-11-25T09:50:00Z',
  };
}
function check(env: string, name: string, result: 'passed' | 'failed', digest = D2): CheckRecord {
  return {
    schema: 1,
    seq: ++seq,
    kind: 'check',
    service: 'frontend',
    env,
    version: 'v2',
    digest,
    name,
    result,
    url: null,
    actor: 'ci',
    recordedAt: '2026-11-25T09:00:00Z',
  };
}

const stagingGood: LedgerRecord[] = [
  rel('staging', 'v2', 'succeeded', '2026-11-25T09:00:00Z'),
  check('staging', 'e2e', 'passed'),
];

function prod(over: Partial<GateInput> = {}): GateInput {
  return {
    action: 'promote',
    service: 'frontend',
    target: platform.environments.prod,
    version: 'v2',
    digest: D2,
    actor: 'bob',
    identity: BOB,
    buildUrl: null,
    mgmtAccount: MGMT,
    breakGlass: false,
    reason: null,
    now: WED,
    upstream: stagingGood,
    here: [approval(ALICE, 'alice')],
    ...over,
  };
}
const refused = (input: GateInput) =>
  evaluateGates(input)
    .filter((v) => !v.ok)
    .map((v) => v.gate);

describe('gates', () => {
  it('passes a well-formed prod promotion: order, upstream, digest, soak, e2e, approval, freeze', () => {
    const verdicts = evaluateGates(prod());
    expect(verdicts.map((v) => v.gate)).to.deep.equal([
      'order',
      'version',
      'succeeded upstream',
      'live upstream',
      'same digest',
      'soak',
      'check e2e',
      'approval',
      'freeze',
    ]);
    expect(
      verdicts.every((v) => v.ok),
      JSON.stringify(verdicts),
    ).to.equal(true);
  });

  it('order: deploy only where the build feeds, promote everywhere else', () => {
    expect(refused(prod({ action: 'deploy' }))).to.deep.equal(['order']);
    expect(
      refused({ ...prod(), action: 'promote', target: platform.environments.intg, upstream: [] }),
    ).to.deep.equal(['order']);
    expect(
      refused({ ...prod(), action: 'deploy', target: platform.environments.intg, upstream: [] }),
    ).to.deep.equal([]);
    expect(refused({ ...prod(), target: platform.environments.mgmt })).to.deep.equal(['order']);
  });

  it('refuses a version that never succeeded upstream (failed or only started is not success)', () => {
    const upstream = [
      rel('staging', 'v2', 'started', '2026-11-25T08:00:00Z'),
      rel('staging', 'v2', 'rolled_back', '2026-11-25T08:10:00Z'),
    ];
    expect(refused(prod({ upstream }))).to.deep.equal(['succeeded upstream', 'soak', 'check e2e']);
    expect(refused(prod({ version: 'v3' }))).to.include('succeeded upstream');
  });

  it('with nothing to promote, still reports approval and freeze at once', () => {
    expect(refused(prod({ version: null, here: [] }))).to.deep.equal(['succeeded upstream', 'approval']);
  });

  it('refuses when the tag now resolves to another digest than the one that succeeded upstream', () => {
    const v = evaluateGates(prod({ digest: D9 }));
    expect(v.find((x) => x.gate === 'same digest')).to.deep.include({ ok: false });
    expect(v.find((x) => x.gate === 'same digest')?.detail).to.contain('the tag moved');
  });

  it('soak: counts from the upstream success, by the injected clock', () => {
    const at = (iso: string) => refused(prod({ now: new Date(iso) }));
    expect(at('2026-11-25T09:29:59Z')).to.deep.equal(['soak']);
    expect(at('2026-11-25T09:30:00Z')).to.deep.equal([]);
    expect(
      evaluateGates(prod({ now: new Date('2026-11-25T09:10:00Z') })).find((v) => v.gate === 'soak')?.detail,
    ).to.contain('wait 20 min more');
  });

  it('required checks: the latest result for this digest upstream must be passed', () => {
    expect(refused(prod({ upstream: [stagingGood[0] as LedgerRecord] }))).to.deep.equal(['check e2e']);
    expect(refused(prod({ upstream: [...stagingGood, check('staging', 'e2e', 'failed')] }))).to.deep.equal([
      'check e2e',
    ]);
    expect(
      refused(
        prod({
          upstream: [...stagingGood, check('staging', 'e2e', 'failed'), check('staging', 'e2e', 'passed')],
        }),
      ),
    ).to.deep.equal([]);
    // A pass for another digest does not count.
    expect(
      refused(prod({ upstream: [stagingGood[0] as LedgerRecord, check('staging', 'e2e', 'passed', D9)] })),
    ).to.deep.equal(['check e2e']);
  });

  it('approval: a record by one of the approvers (their AWS identity), never by the promoter', () => {
    expect(refused(prod({ here: [] }))).to.deep.equal(['approval']);
    expect(evaluateGates(prod({ here: [] })).find((v) => v.gate === 'approval')?.detail).to.contain(
      'tdr approve --service frontend --env prod --version v2',
    );
    // Bob approving himself, even as an approver role: four eyes are identities, not names.
    const bobApprover = `arn:aws:sts::${MGMT}:assumed-role/TDRReleaseApproverProd/BOB`;
    expect(refused(prod({ here: [approval(bobApprover, 'BOB')] }))).to.deep.equal(['approval']);
    // Not an approver role, or an approver role in another account.
    const carol = approval(`arn:aws:sts::${MGMT}:assumed-role/TDRDeveloper/carol`, 'carol');
    expect(refused(prod({ here: [carol] }))).to.deep.equal(['approval']);
    const elsewhere = approval(
      'arn:aws:sts::999999999999:assumed-role/TDRReleaseApproverProd/carol',
      'carol',
    );
    expect(refused(prod({ here: [elsewhere] }))).to.deep.equal(['approval']);
    // An SSO permission set's role (its suffix is SSO's).
    const sso = `arn:aws:sts::${MGMT}:assumed-role/AWSReservedSSO_TDRAdmin_0123456789abcdef/carol@example.org`;
    expect(
      refused(prod({ here: [approval(sso, 'carol@example.org', 'sts', null, SSO_PATH)] })),
    ).to.deep.equal([]);
    // The same name without IAM Identity Center's path (a self-made look-alike, or a path never read).
    expect(refused(prod({ here: [approval(sso, 'carol@example.org', 'sts', null, '/')] }))).to.deep.equal([
      'approval',
    ]);
    expect(refused(prod({ here: [approval(sso, 'carol@example.org')] }))).to.deep.equal(['approval']);
    // An approval is used by the promotion that follows it.
    const used = [approval(ALICE, 'alice'), rel('prod', 'v2', 'failed', '2026-11-25T09:55:00Z')];
    expect(refused(prod({ here: used }))).to.deep.equal(['approval']);
    const staging = platform.environments.staging;
    const fromIntg = [rel('intg', 'v2', 'succeeded', '2026-11-25T09:00:00Z')];
    expect(refused({ ...prod({ here: [] }), target: staging, upstream: fromIntg })).to.deep.equal([]);
  });

  it('four eyes by person: the same human through another session name, role or Jenkins is refused (issue 24 #3, #4)', () => {
    const detail = (input: GateInput) =>
      evaluateGates(input).find((v) => v.gate === 'approval')?.detail ?? '';
    const ssoAlice = `arn:aws:sts::${MGMT}:assumed-role/AWSReservedSSO_TDRAdmin_0123456789abcdef/alice`;
    const bySsoAlice = [approval(ssoAlice, 'alice', 'sts', null, SSO_PATH)];
    // Another session name of the approver's own role.
    const alicePromoting = `arn:aws:sts::${MGMT}:assumed-role/TDRReleaseApproverProd/alice-promoting`;
    expect(refused(prod({ identity: alicePromoting }))).to.deep.equal(['approval']);
    expect(detail(prod({ identity: alicePromoting }))).to.contain(
      'through the same role (TDRReleaseApproverProd)',
    );
    // Through Jenkins' role with --actor naming the approver, in any disguise.
    for (const actor of [
      'alice',
      'ALICE',
      'ａｌｉｃｅ',
      'alice\u200b',
      'alice\u2060',
      'al\u00adice',
      'alice\u0301',
      'аlice',
      'alice\nbob',
    ]) {
      expect(
        refused(prod({ identity: JENKINS, actor, here: bySsoAlice })),
        JSON.stringify(actor),
      ).to.deep.equal(['approval']);
      expect(refused(prod({ identity: JENKINS, actor }))).to.deep.equal(['approval']);
    }
    expect(refused(prod({ identity: JENKINS, actor: 'bob', here: bySsoAlice }))).to.deep.equal([]);
    // Through a role whose session names its callers choose: no one, so the approval cannot count.
    const shared = `arn:aws:sts::${MGMT}:assumed-role/TDRDeveloper/bob`;
    expect(detail(prod({ identity: shared }))).to.contain('names no one');
    // Two people through one SSO role: Identity Center names each session, so that is four eyes.
    const ssoBob = `arn:aws:sts::${MGMT}:assumed-role/AWSReservedSSO_TDRAdmin_0123456789abcdef/bob`;
    expect(refused(prod({ identity: ssoBob, here: bySsoAlice }))).to.deep.equal([]);
    // The same SSO user, whichever permission set they come through.
    const aliceAsDeveloper = `arn:aws:sts::${MGMT}:assumed-role/AWSReservedSSO_TDRDeveloper_0123456789abcdef/Alice`;
    expect(refused(prod({ identity: aliceAsDeveloper, here: bySsoAlice }))).to.deep.equal(['approval']);
    expect(refused(prod({ identity: aliceAsDeveloper }))).to.deep.equal(['approval']);
  });

  it('approval through Jenkins: recorded by its node role for this build, the submitter not the build user', () => {
    const viaJenkins = (identity: string, approver: string, build = BUILD) =>
      refused(
        prod({
          identity: JENKINS,
          buildUrl: BUILD,
          here: [approval(identity, approver, 'jenkins-input', build)],
        }),
      );
    expect(viaJenkins(JENKINS, 'alice')).to.deep.equal([]);
    expect(viaJenkins(JENKINS, 'Bob')).to.deep.equal(['approval']); // the build user
    // The build user hiding characters is no one, so the approval cannot count (issue 24 #4).
    for (const actor of ['alice\u200b', 'аlice', 'al\u00adice'])
      expect(
        refused(
          prod({
            identity: JENKINS,
            actor,
            buildUrl: BUILD,
            here: [approval(JENKINS, 'alice', 'jenkins-input', BUILD)],
          }),
        ),
        JSON.stringify(actor),
      ).to.deep.equal(['approval']);
    expect(viaJenkins(JENKINS, 'alice', 'https://jenkins.example/job/other/1')).to.deep.equal(['approval']);
    expect(viaJenkins(BOB, 'alice')).to.deep.equal(['approval']); // written by a developer, claiming Jenkins
  });

  it('promotion takes what is live upstream: a version rolled back out of staging is refused', () => {
    const upstream = [
      rel('staging', 'v2', 'succeeded', '2026-11-25T07:00:00Z'),
      rel('staging', 'v3', 'succeeded', '2026-11-25T08:00:00Z', D9),
      { ...rel('staging', 'v2', 'succeeded', '2026-11-25T08:10:00Z'), action: 'rollback' as const },
      check('staging', 'e2e', 'passed', D9),
    ];
    expect(refused(prod({ version: 'v3', digest: D9, upstream }))).to.include('live upstream');
  });

  it('soak counts time live without a break: a rollback in between restarts it', () => {
    const upstream = [
      rel('staging', 'v2', 'succeeded', '2026-11-25T07:00:00Z'),
      rel('staging', 'v3', 'succeeded', '2026-11-25T08:00:00Z', D9),
      { ...rel('staging', 'v2', 'succeeded', '2026-11-25T09:45:00Z'), action: 'rollback' as const },
      check('staging', 'e2e', 'passed'),
    ];
    // First success at 07:00 (3 h ago), but live again only since 09:45.
    expect(refused(prod({ upstream }))).to.deep.equal(['soak']);
  });

  it('a check counts only if recorded after the digest went live upstream', () => {
    const early = [
      check('staging', 'e2e', 'passed'),
      rel('staging', 'v2', 'succeeded', '2026-11-25T09:00:00Z'),
    ];
    expect(refused(prod({ upstream: early }))).to.deep.equal(['check e2e']);
    expect(evaluateGates(prod({ upstream: early })).find((v) => v.gate === 'check e2e')?.detail).to.contain(
      'was recorded before it went live in staging',
    );
  });

  it('freeze: Fridays in Europe/London refuse unless glass is broken with a reason', () => {
    const fri = new Date('2026-11-27T12:00:00Z');
    expect(refused(prod({ now: fri }))).to.deep.equal(['freeze']);
    expect(refused(prod({ now: fri, breakGlass: true, reason: null }))).to.deep.equal(['freeze']);
    const broken = evaluateGates(prod({ now: fri, breakGlass: true, reason: 'incident 7' })).find(
      (v) => v.gate === 'freeze',
    );
    expect(broken).to.deep.include({ ok: true });
    expect(broken?.detail).to.contain('overridden by break-glass: incident 7');
  });

  it('freeze windows follow London time across BST: Friday 00:30 BST is Thursday 23:30 UTC', () => {
    const w: FreezeWindow = {
      days: ['Fri'],
      from: '00:00',
      to: '24:00',
      timezone: 'Europe/London',
      reason: 'r',
    };
    expect(inFreezeWindow(w, new Date('2026-06-04T23:30:00Z'))).to.equal(true);
    expect(inFreezeWindow(w, new Date('2026-06-05T23:30:00Z'))).to.equal(false);
    expect(inFreezeWindow(w, new Date('2026-11-26T23:30:00Z'))).to.equal(false);
    expect(inFreezeWindow(w, new Date('2026-11-27T00:00:00Z'))).to.equal(true);
  });

  it('freeze windows: from is inclusive, to exclusive', () => {
    const w: FreezeWindow = {
      days: ['Wed'],
      from: '09:00',
      to: '17:30',
      timezone: 'Europe/London',
      reason: 'r',
    };
    expect(inFreezeWindow(w, new Date('2026-11-25T08:59:00Z'))).to.equal(false);
    expect(inFreezeWindow(w, new Date('2026-11-25T09:00:00Z'))).to.equal(true);
    expect(inFreezeWindow(w, new Date('2026-11-25T17:29:00Z'))).to.equal(true);
    expect(inFreezeWindow(w, new Date('2026-11-25T17:30:00Z'))).to.equal(false);
  });

  it('a Friday-all-day window holds for every minute of a London Friday and no other day', () => {
    const w: FreezeWindow = {
      days: ['Fri'],
      from: '00:00',
      to: '24:00',
      timezone: 'Europe/London',
      reason: 'r',
    };
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2026-01-01'), max: new Date('2027-12-31'), noInvalidDate: true }),
        (d) => {
          const day = new Intl.DateTimeFormat('en-GB', {
            timeZone: 'Europe/London',
            weekday: 'short',
          }).format(d);
          expect(inFreezeWindow(w, d)).to.equal(day === 'Fri');
        },
      ),
    );
  });

  it('rollback: only backwards, to a version that succeeded here and stood; no freeze, no approval', () => {
    const here = [
      rel('prod', 'v1', 'succeeded', '2026-11-20T10:00:00Z', D9),
      rel('prod', 'v2', 'succeeded', '2026-11-24T10:00:00Z'),
    ];
    const fri = new Date('2026-11-27T12:00:00Z');
    const base = prod({ action: 'rollback', here, upstream: [], now: fri });
    expect(refused({ ...base, version: 'v1', digest: D9 })).to.deep.equal([]);
    expect(refused({ ...base, version: 'v1', digest: D2 })).to.deep.equal(['same digest']);
    expect(refused({ ...base, version: 'v0', digest: D2 })).to.deep.equal(['succeeded here before']);
    expect(refused({ ...base, version: null })).to.deep.equal(['succeeded here before']);
  });

  it('rollback never goes forward (--to a newer version is a promotion), nor back to what was rolled back or failed', () => {
    const promoted = (v: string, at: string, d = D2) => ({
      ...rel('prod', v, 'succeeded', at, d),
      action: 'promote' as const,
    });
    const here = [
      promoted('v1', '2026-11-20T10:00:00Z', D9),
      promoted('v2', '2026-11-23T10:00:00Z'),
      promoted('v3', '2026-11-24T10:00:00Z', D9),
      { ...rel('prod', 'v2', 'succeeded', '2026-11-24T11:00:00Z'), action: 'rollback' as const },
    ];
    const base = prod({ action: 'rollback', here, upstream: [] });
    // Ping-pong: v3 was rolled back, and it is newer than v2: refused on both counts.
    expect(refused({ ...base, version: 'v3', digest: D9 })).to.deep.equal([
      'backwards',
      'succeeded here before',
    ]);
    expect(refused({ ...base, version: 'v1', digest: D9 })).to.deep.equal([]);
    // A version whose later attempt here failed is no way back either.
    const failed = [
      ...here.slice(0, 2),
      rel('prod', 'v1', 'failed', '2026-11-23T12:00:00Z', D9),
      ...here.slice(2),
    ];
    expect(refused({ ...base, here: failed, version: 'v1', digest: D9 })).to.deep.equal([
      'succeeded here before',
    ]);
  });

  it('never passes a promotion whose version did not succeed upstream (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            version: fc.constantFrom('v1', 'v2', 'v3'),
            outcome: fc.constantFrom('started', 'succeeded', 'failed', 'rolled_back') as fc.Arbitrary<
              ReleaseRecord['outcome']
            >,
          }),
          { maxLength: 8 },
        ),
        fc.constantFrom('v1', 'v2', 'v3'),
        (history, version) => {
          const upstream = history.map((h) => rel('staging', h.version, h.outcome, '2026-11-20T09:00:00Z'));
          const ok = !refused(
            prod({ version, upstream: [...upstream, check('staging', 'e2e', 'passed')] }),
          ).includes('succeeded upstream');
          expect(ok).to.equal(history.some((h) => h.version === version && h.outcome === 'succeeded'));
        },
      ),
    );
  });

  describe('branch builds', () => {
    const BRANCH = 'branch-fix-upload-limit-1a2b3c4';
    const detail = (input: GateInput, gate: string) =>
      evaluateGates(input).find((v) => v.gate === gate)?.detail;
    const intg = (over: Partial<GateInput> = {}) =>
      prod({
        action: 'deploy',
        target: platform.environments.intg,
        version: BRANCH,
        upstream: [],
        here: [],
        ...over,
      });

    it('deploy only where the build feeds (intg)', () => {
      expect(refused(intg())).to.deep.equal([]);
      expect(refused(intg({ target: platform.environments.staging }))).to.include.members([
        'order',
        'version',
      ]);
      expect(detail(intg({ target: platform.environments.staging }), 'version')).to.contain(
        BRANCH_BUILD_REFUSAL,
      );
    });

    it('are never promoted, even when they succeeded and are live upstream, saying why', () => {
      const upstream = [rel('intg', BRANCH, 'succeeded', '2026-11-25T08:00:00Z')];
      const staging = prod({ target: platform.environments.staging, version: BRANCH, upstream, here: [] });
      expect(refused(staging)).to.deep.equal(['version']);
      expect(detail(staging, 'version')).to.equal(`${BRANCH} is a branch build: ${BRANCH_BUILD_REFUSAL}`);
      expect(refused(prod({ version: BRANCH }))).to.include('version');
    });

    it('rollback: to and from a branch build within intg, by ledger order; never elsewhere', () => {
      const here = [
        rel('intg', 'v2', 'succeeded', '2026-11-24T08:00:00Z'),
        rel('intg', BRANCH, 'succeeded', '2026-11-24T09:00:00Z'),
        rel('intg', 'v3', 'succeeded', '2026-11-24T10:00:00Z'),
      ];
      const back = intg({ action: 'rollback', here, digest: D2 });
      expect(refused(back)).to.deep.equal([]);
      const fromBranch = intg({ action: 'rollback', version: 'v2', here: here.slice(0, 2) });
      expect(refused(fromBranch)).to.deep.equal([]);
      // What is live is no rollback target.
      expect(refused(intg({ action: 'rollback', here: here.slice(0, 2) }))).to.deep.equal(['backwards']);
      const staging = prod({
        action: 'rollback',
        target: platform.environments.staging,
        version: BRANCH,
        upstream: [],
        here: here.map((r) => ({ ...r, env: 'staging' })),
      });
      expect(refused(staging)).to.deep.equal(['version']);
    });
  });
});
