/**
 * `tdr promote` against moto: the same digest through intg → staging → prod, and every gate's
 * refusal (exit 3), each naming its reason, all reasons at once.
 */
import { expect } from 'chai';
import { QUICK_CONFIG, configFile, liveImage, sandboxUp, tdr } from './support/release';

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
    await tdr(
      [
        'promote',
        '--service',
        'frontend',
        '--to',
        'prod',
        '--actor',
        'bob',
        '--approver',
        'alice',
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
      buildUrl: 'https://jenkins.example/p/9',
      breakGlass: false,
      gitCommit: '0a1b2c3',
    });
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
      [
        'promote',
        '--service',
        'frontend',
        '--to',
        'prod',
        '--version',
        'v2',
        '--actor',
        'bob',
        '--approver',
        'alice',
      ],
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

  it('refuses prod without an approver, and with the approver being the promoter (exit 3)', async () => {
    const env = await sandboxUp();
    await toStaging(env);
    await e2ePassed(env);
    const none = await tdr(['promote', '--service', 'frontend', '--to', 'prod', '--actor', 'bob'], env, 3);
    expect(none.stderr).to.contain('[NG] approval: prod needs --approver from admins');
    const self = await tdr(
      ['promote', '--service', 'frontend', '--to', 'prod', '--actor', 'bob', '--approver', 'Bob'],
      env,
      3,
    );
    expect(self.stderr).to.contain('approver Bob is the promoter');
    expect(await history(env, 'prod')).to.deep.equal([]);
  });

  it('refuses prod before the soak time and without e2e on staging, listing every refusal at once', async () => {
    // The embedded model: 30 minutes of soak on staging, e2e required.
    const env = await sandboxUp({
      TDR_CONFIG: configFile({ environments: { prod: { promotion: { freezeWindows: [] } } } }),
    });
    await toStaging(env);
    const r = await tdr(['promote', '--service', 'frontend', '--to', 'prod', '--actor', 'bob'], env, 3);
    expect(r.stderr).to.contain('refused by 3 gates');
    expect(r.stderr).to.match(/\[NG\] soak: live in staging for 0 min, needs 30/);
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
    const failed = await tdr(
      ['promote', '--service', 'frontend', '--to', 'prod', '--actor', 'bob', '--approver', 'alice'],
      env,
      3,
    );
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
    const frozen = await tdr(
      ['promote', '--service', 'frontend', '--to', 'prod', '--actor', 'bob', '--approver', 'alice'],
      env,
      3,
    );
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
        '--approver',
        'alice',
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
