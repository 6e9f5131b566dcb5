/**
 * The gates' loopholes, closed, against moto: a rollback only goes back (never ping-pong to what
 * was rolled back, never forward with --to), and a version rolled back out of staging cannot be
 * promoted to prod from the CLI (one rule for the CLI and Jenkins: both run this engine).
 */
import { expect } from 'chai';
import { approveAs, e2ePassed, liveImage, sandboxUp, tdr } from './support/release';

const frontend = ['--service', 'frontend'];

describe('gates without loopholes (moto)', () => {
  it('rolling back twice does not redeploy what was rolled back; --to forward is refused', async () => {
    const env = await sandboxUp();
    await tdr(['deploy', ...frontend, '--env', 'intg', '--version', 'v2'], env);
    const v2 = (await liveImage('frontend', 'intg')).image;
    await tdr(['deploy', ...frontend, '--env', 'intg', '--version', 'v3'], env);
    await tdr(['rollback', ...frontend, '--env', 'intg'], env);
    expect((await liveImage('frontend', 'intg')).image).to.equal(v2);

    const again = await tdr(['rollback', ...frontend, '--env', 'intg'], env, 3);
    expect(again.stderr).to.contain('no earlier version of frontend in intg to roll back to');
    const forward = await tdr(['rollback', ...frontend, '--env', 'intg', '--to', 'v3'], env, 3);
    expect(forward.stderr).to.contain('[NG] backwards: v3 is not older than v2');
    expect(forward.stderr).to.contain('[NG] succeeded here before: v3 was rolled back');
    expect((await liveImage('frontend', 'intg')).image).to.equal(v2);
  });

  it('a version rolled back out of staging cannot be promoted to prod, approved or not', async () => {
    const env = await sandboxUp();
    for (const v of ['v2', 'v3']) {
      await tdr(['deploy', ...frontend, '--env', 'intg', '--version', v], env);
      await tdr(['promote', ...frontend, '--to', 'staging'], env);
    }
    await e2ePassed(env, 'frontend', 'v3');
    await tdr(['rollback', ...frontend, '--env', 'staging'], env);
    await approveAs(env, 'alice', ['--version', 'v3']);
    const r = await tdr(['promote', ...frontend, '--to', 'prod', '--version', 'v3'], env, 3);
    expect(r.stderr).to.contain('[NG] live upstream: v3 is not what is live in staging (v2 is');
  });

  it('config that loosens prod is refused against anything but a local sandbox; overrides are printed', async () => {
    const env = await sandboxUp();
    const remote = { ...env, AWS_ENDPOINT_URL: 'http://10.11.12.13:5000' };
    const r = await tdr(['promote', ...frontend, '--to', 'prod', '--dry-run'], remote, 2);
    expect(r.stderr).to.contain(
      'environments.prod.promotion.soakMinutes: 30 → 0 minutes: loosens a gate of prod',
    );
    const local = await tdr(['deploy', ...frontend, '--env', 'intg', '--version', 'v2', '--dry-run'], env);
    expect(local.stderr).to.contain(
      'configuration overrides in force (TDR_CONFIG, recorded): environments.prod.promotion.soakMinutes=0',
    );
  });
});
