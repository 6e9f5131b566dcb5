/**
 * `tdr reject` / `tdr unreject` against moto (issue 26): a rejected version is refused by every
 * gate that could let it through (deploy, promote, rollback --to, a function release, a task
 * run), naming who rejected it and why; only an approver may reject or take it back, with a reason.
 */
import { expect } from 'chai';
import { APPROVER_ROLE, as, liveImage, sandboxUp, tdr } from './support/release';

type Env = Record<string, string | undefined>;

async function asApprover(env: Env, args: string[], code = 0) {
  return tdr(args, await as(env, APPROVER_ROLE, 'alice'), code);
}

function deploy(env: Env, service: string, version: string, code = 0) {
  return tdr(
    ['deploy', '--service', service, '--env', 'intg', '--version', version, '--actor', 'jenkins'],
    env,
    code,
  );
}

describe('tdr reject (moto)', () => {
  it('refuses a rejected version in deploy, promote, rollback --to, a function release and a task run', async () => {
    const env = await sandboxUp();
    await deploy(env, 'frontend', 'v1');
    await deploy(env, 'frontend', 'v2');
    const before = await liveImage('frontend', 'intg');

    await asApprover(env, [
      'reject',
      '--service',
      'frontend',
      '--version',
      'v2',
      '--reason',
      'INC-1: corrupts metadata',
    ]);
    await asApprover(env, ['reject', '--service', 'frontend', '--version', 'v1', '--reason', 'INC-2: leaks']);
    // promote takes what is live in intg: v2, rejected.
    const promote = await tdr(
      ['promote', '--service', 'frontend', '--to', 'staging', '--actor', 'bob'],
      env,
      3,
    );
    expect(promote.stderr).to.match(
      /not rejected: frontend v2 was rejected by alice .*INC-1: corrupts metadata/,
    );
    const redeploy = await deploy(env, 'frontend', 'v2', 3);
    expect(redeploy.stderr).to.contain('INC-1');
    const back = await tdr(['rollback', '--service', 'frontend', '--env', 'intg', '--to', 'v1'], env, 3);
    expect(back.stderr).to.match(/not rejected: frontend v1 was rejected by alice .*INC-2: leaks/);
    // Nothing changed in ECS.
    expect(await liveImage('frontend', 'intg')).to.deep.equal(before);

    await deploy(env, 'checksum', 'v1');
    await asApprover(env, ['reject', '--service', 'checksum', '--version', 'v2', '--reason', 'bad hash']);
    const fn = await deploy(env, 'checksum', 'v2', 3);
    expect(fn.stderr).to.contain('not rejected: checksum v2 was rejected');

    await asApprover(env, [
      'reject',
      '--service',
      'consignment-api-data',
      '--version',
      'v2',
      '--reason',
      'drops a column',
    ]);
    const run = await tdr(
      ['task', 'run', '--task', 'consignment-api-data', '--env', 'intg', '--version', 'v2', '--no-wait'],
      env,
      3,
    );
    expect(run.stderr).to.contain('not rejected: consignment-api-data v2 was rejected by alice');

    // History and status show the rejection; unreject (with a reason) lets v2 through again.
    const history = await tdr(['history', '--service', 'frontend', '--env', 'intg'], env);
    expect(history.stdout).to.match(/REJECTED frontend v2: by alice .*INC-1/);
    const rejected = await tdr(['history', '--service', 'frontend', '--env', 'rejections'], env, 2);
    expect(rejected.stderr).to.contain('env');
    await asApprover(env, [
      'unreject',
      '--service',
      'frontend',
      '--version',
      'v2',
      '--reason',
      'was the config',
    ]);
    await deploy(env, 'frontend', 'v2');
    const status = JSON.parse(
      (await tdr(['status', '--service', 'frontend', '-o', 'json'], env)).stdout,
    ) as Array<{
      rejected: Array<{ version: string }>;
    }>;
    expect(status.length).to.be.greaterThan(0);
    for (const row of status) expect(row.rejected.map((r) => r.version)).to.deep.equal(['v1']);
  });

  it('lets only an approver reject, with a bounded reason, and refuses what changes nothing', async () => {
    const env = await sandboxUp();
    const noApprover = await tdr(
      ['reject', '--service', 'frontend', '--version', 'v2', '--reason', 'x'],
      env,
      3,
    );
    expect(noApprover.stderr).to.contain('is not an approver');
    await tdr(['reject', '--service', 'frontend', '--version', 'v2'], env, 2);
    const long = await tdr(
      ['reject', '--service', 'frontend', '--version', 'v2', '--reason', 'x'.repeat(501)],
      env,
      2,
    );
    expect(long.stderr).to.contain('reason: at most 500 characters');
    const unknown = await tdr(['reject', '--service', 'nope', '--version', 'v2', '--reason', 'x'], env, 2);
    expect(unknown.stderr).to.contain('nope');
    await asApprover(env, ['unreject', '--service', 'frontend', '--version', 'v2', '--reason', 'x'], 3);
    await asApprover(env, ['reject', '--service', 'frontend', '--version', 'v2', '--reason', 'bad']);
    const twice = await asApprover(
      env,
      ['reject', '--service', 'frontend', '--version', 'v2', '--reason', 'bad'],
      3,
    );
    expect(twice.stderr).to.contain('already rejected');
  });
});
