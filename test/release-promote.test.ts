/**
 * `tdr promote` against moto: the same digest through intg → staging → prod, and every gate's
 * refusal (exit 3), each naming its reason, all reasons at once.
 */
import { expect } from 'chai';
import { QUICK_CONFIG, approveAs, as, configFile, liveImage, sandboxUp, tdr } from './support/release';

type Env = Record<string, string | undefined>;

async function toStaging(env: Env, version = 'v2') {
  await tdr(
    [
      'deploy',
      '--service',
      'frontend',
      '--env',
      'intg',
      '--version',
      version,
      '--actor',
      'jenkins',
      '--git-commit',
      '0a1b2c3',
    ],
    env,
  );
  await tdr(['promote', '--service', 'frontend', '--to', 'staging', '--actor', 'bob'], env);
}

async function e2ePassed(env: Env, version = 'v2') {
  await tdr(
    [
      'check',
      'record',
      '--service',
      'frontend',
      '--env',
      'staging',
      '--version',
      version,
      '--name',
      'e2e',
      '--result',
      'passed',
      '--url',
      'https://jenkins.example/e2e/1',
    ],
    env,
  );
}

async function history(env: Env, to: string): Promise<Array<Record<string, unknown>>> {
  return JSON.parse(
    (await tdr(['history', '--service', 'frontend', '--env', to, '-o', 'json'], env)).stdout,
  ) as Array<Record<string, unknown>>;
}

describe('tdr promote (moto)', () => {
  it('promotes the same digest to staging and then prod, recording who approved', async () => {
    const env = await sandboxUp();
    await toStaging(env);
    await e2ePassed(env);
    await approveAs(env, 'alice');
    await tdr(
      [
        'promote',
        '--service',
        'frontend',
        '--to',
        'prod',
        '--actor',
        'bob',
        '--build-url',
        'https://jenkins.example/p/9',
      ],
      env,
    );

    const images = await Promise.all(
      (['intg', 'staging', 'prod'] as const).map(async (e) => (await liveImage('frontend', e)).image),
    );
    expect(images[0]).to.match(/@sha256:[0-9a-f]{64}$/);
    expect(new Set(images).size, images.join('\n')).to.equal(1);

    const [prod] = await history(env, 'prod');
    expect(prod).to.include({
      action: 'promote',
      outcome: 'succeeded',
      version: 'v2',
      sourceEnv: 'staging',
      actor: 'bob',
      approver: 'alice',
      identity: 'arn:aws:sts::123456789012:user/moto',
      buildUrl: 'https://jenkins.example/p/9',
      breakGlass: false,
      gitCommit: '0a1b2c3',
    });
    expect(prod?.approval).to.deep.include({
      via: 'sts',
      approver: 'alice',
      identity: 'arn:aws:sts::123456789012:assumed-role/TDRReleaseApproverProd/alice',
    });
    expect(prod?.overrides).to.include('environments.prod.promotion.soakMinutes=0');
    expect(prod?.gateSettings).to.include({ source: 'staging', soakMinutes: 0 });
    expect((prod?.gates as Array<{ gate: string; ok: boolean }>).map((g) => g.gate)).to.include.members([
      'order',
      'succeeded upstream',
      'same digest',
      'check e2e',
      'approval',
      'image',
    ]);
  });

  it('refuses to skip staging: a version only in intg cannot go to prod', async () => {
    const env = await sandboxUp();
    await tdr(['deploy', '--service', 'frontend', '--env', 'intg', '--version', 'v2'], env);
    const r = await tdr(
      ['promote', '--service', 'frontend', '--to', 'prod', '--version', 'v2', '--actor', 'bob'],
      env,
      3,
    );
    expect(r.stderr).to.contain('[NG] succeeded upstream: v2 has never succeeded in staging');
    expect(await history(env, 'prod')).to.deep.equal([]);
  });

  it('refuses an unknown version and a version that never succeeded upstream', async () => {
    const env = await sandboxUp();
    await toStaging(env);
    const unknown = await tdr(
      ['promote', '--service', 'frontend', '--to', 'staging', '--version', 'v77'],
      env,
      3,
    );
    expect(unknown.stderr).to.contain('v77 does not exist in ECR repository transfer-frontend');
    expect(unknown.stderr).to.contain('v77 has never succeeded in intg');
    const never = await tdr(
      ['promote', '--service', 'frontend', '--to', 'staging', '--version', 'v3'],
      env,
      3,
    );
    expect(never.stderr).to.contain('v3 has never succeeded in intg');
    const nothing = await tdr(['promote', '--service', 'keycloak', '--to', 'staging'], env, 3);
    expect(nothing.stderr).to.contain('no version of keycloak has succeeded in intg');
  });

  it('prod needs an approval written by one of its approvers, who is not the promoter (exit 3)', async () => {
    const env = await sandboxUp();
    await toStaging(env);
    await e2ePassed(env);
    const none = await tdr(['promote', '--service', 'frontend', '--to', 'prod', '--actor', 'bob'], env, 3);
    expect(none.stderr).to.contain('[NG] approval: prod needs an approval by one of its approvers (admins)');
    // A typed name approves nothing: the flag is gone.
    await tdr(['promote', '--service', 'frontend', '--to', 'prod', '--approver', 'alice'], env, 2);
    // Not an approver: the developer's own identity.
    const notApprover = await tdr(['approve', '--service', 'frontend', '--env', 'prod'], env, 3);
    expect(notApprover.stderr).to.contain(
      "arn:aws:sts::123456789012:user/moto is not one of prod's approvers",
    );
    // Alice approves, then promotes herself: four eyes are identities, whatever --actor says.
    await approveAs(env, 'alice');
    const alice = await as(env, 'TDRReleaseApproverProd', 'alice');
    const self = await tdr(['promote', '--service', 'frontend', '--to', 'prod', '--actor', 'bob'], alice, 3);
    expect(self.stderr).to.contain('approved and promoted through the same role (TDRReleaseApproverProd)');
    // Claiming Jenkins' input step, from a developer's identity: refused when recording.
    const claim = ['--jenkins-approver', 'carol', '--build-url', 'https://jenkins.example/p/1'];
    const jenkins = await approveAs(env, 'mallory', claim, 3);
    expect(jenkins.stderr).to.contain('only Jenkins (TDRJenkinsNodeRoleProd) records approvals');
    // A zero-width space in a name is refused before any AWS call.
    const hidden = await tdr(
      [
        'approve',
        '--service',
        'frontend',
        '--env',
        'prod',
        '--jenkins-approver',
        'bob\u200b',
        '--build-url',
        'https://j/1',
      ],
      env,
      2,
    );
    expect(hidden.stderr).to.contain('jenkins-approver: contains an invisible or formatting character');
    expect((await history(env, 'prod')).filter((r) => r.kind !== 'approval')).to.deep.equal([]);
  });

  it("Jenkins records the input step's approver with its build; the gate takes it only for that build", async () => {
    const env = await sandboxUp();
    await toStaging(env);
    await e2ePassed(env);
    const jenkins = await as(env, 'TDRJenkinsNodeRoleProd', 'jenkins-prod');
    const build = 'https://jenkins.example/job/prod/frontend/promote/12/';
    // Full-width letters are the same person after NFKC: ｂｏｂ approving bob's build is refused.
    await tdr(
      [
        'approve',
        '--service',
        'frontend',
        '--env',
        'prod',
        '--jenkins-approver',
        'ｂｏｂ',
        '--build-url',
        build,
      ],
      jenkins,
    );
    const self = await tdr(
      ['promote', '--service', 'frontend', '--to', 'prod', '--actor', 'bob', '--build-url', build],
      jenkins,
      3,
    );
    expect(self.stderr).to.contain('approver bob is the promoter');
    await tdr(
      [
        'approve',
        '--service',
        'frontend',
        '--env',
        'prod',
        '--jenkins-approver',
        'alice',
        '--build-url',
        build,
      ],
      jenkins,
    );
    const other = await tdr(
      ['promote', '--service', 'frontend', '--to', 'prod', '--actor', 'bob', '--build-url', `${build}x`],
      jenkins,
      3,
    );
    expect(other.stderr).to.contain('which is not the build promoting');
    await tdr(
      ['promote', '--service', 'frontend', '--to', 'prod', '--actor', 'bob', '--build-url', build],
      jenkins,
    );
    const [rec] = await history(env, 'prod');
    expect(rec?.approval).to.deep.include({ via: 'jenkins-input', approver: 'alice', buildUrl: build });
  });

  it('refuses prod before the soak time and without e2e on staging, listing every refusal at once', async () => {
    // The embedded model: 30 minutes of soak on staging, e2e required.
    const env = await sandboxUp({
      TDR_CONFIG: configFile({ environments: { prod: { promotion: { freezeWindows: [] } } } }),
    });
    await toStaging(env);
    const r = await tdr(['promote', '--service', 'frontend', '--to', 'prod', '--actor', 'bob'], env, 3);
    expect(r.stderr).to.contain('refused by 3 gates');
    expect(r.stderr).to.match(/\[NG\] soak: live in staging for 0 min since ledger #\d+, needs 30/);
    expect(r.stderr).to.contain('[NG] check e2e: no e2e result recorded in staging');
    expect(r.stderr).to.contain('[NG] approval');
    // A failed e2e is a refusal too, even with an approver.
    await e2ePassed(env);
    await tdr(
      [
        'check',
        'record',
        '--service',
        'frontend',
        '--env',
        'staging',
        '--version',
        'v2',
        '--name',
        'e2e',
        '--result',
        'failed',
      ],
      env,
    );
    await approveAs(env, 'alice');
    const failed = await tdr(['promote', '--service', 'frontend', '--to', 'prod', '--actor', 'bob'], env, 3);
    expect(failed.stderr).to.match(/\[NG\] check e2e: e2e failed in staging/);
  });

  it('refuses prod in a freeze window; break-glass with a reason goes through and is recorded', async () => {
    const always = {
      days: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'],
      from: '00:00',
      to: '24:00',
      timezone: 'Europe/London',
      reason: 'test freeze',
    };
    const env = await sandboxUp({
      TDR_CONFIG: configFile({
        environments: {
          prod: { promotion: { ...QUICK_CONFIG.environments.prod.promotion, freezeWindows: [always] } },
        },
      }),
    });
    await toStaging(env);
    await e2ePassed(env);
    await approveAs(env, 'alice');
    const frozen = await tdr(['promote', '--service', 'frontend', '--to', 'prod', '--actor', 'bob'], env, 3);
    expect(frozen.stderr).to.contain('[NG] freeze: in a freeze window: test freeze');
    await tdr(
      [
        'promote',
        '--service',
        'frontend',
        '--to',
        'prod',
        '--actor',
        'bob',
        '--break-glass',
        '--reason',
        'incident 123 fix',
      ],
      env,
    );
    const [rec] = await history(env, 'prod');
    expect(rec).to.include({ outcome: 'succeeded', breakGlass: true, reason: 'incident 123 fix' });
    expect(JSON.stringify(rec?.gates)).to.contain('overridden by break-glass: incident 123 fix');
  });
});
