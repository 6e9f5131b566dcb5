/**
 * The nightly report's read-only path on moto: after `tdr sandbox up`, each workload account has
 * its `TDRReleaseReaderRole{Env}`, trusted by mgmt's node role only, and `tdr report` and
 * `tdr status` with TDR_WORKLOAD_ROLE=reader see exactly what they see through the update role.
 * moto does not enforce IAM policies (infra/definitions/release-reader.test.ts checks those);
 * here the roles must exist and be assumable.
 */
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { expect } from 'chai';
import { WORKLOAD_ENVIRONMENTS } from '../services/environments';
import { naming } from '../services/naming';
import type { BoardData } from '../pipelines/report/board';
import { TEST_ACCOUNT_IDS, assumeRole } from './support/accounts';
import { SANDBOX, sandboxUp, tdr } from './support/release';

/** IAM returns policy documents URL-encoded. */
const policy = (document: string | undefined): unknown => JSON.parse(decodeURIComponent(document ?? '{}'));

/** What the clock moves between two runs a moment apart: when it was made, and ages. */
const CLOCK_KEYS = new Set(['generatedAt', 'asOf', 'start', 'end', 'days', 'waitingDays', 'ageMinutes']);

/** Output `-o json` without what the clock moves. */
function timeless(stdout: string): unknown {
  return JSON.parse(stdout, (key, value: unknown) => (CLOCK_KEYS.has(key) ? undefined : value));
}

describe('tdr report through the release reader roles (moto)', () => {
  it('creates a reader role in each workload account, trusted by the mgmt node role only', async () => {
    await sandboxUp();
    for (const env of WORKLOAD_ENVIRONMENTS) {
      const reader = naming.releaseReaderRole(env);
      const iam = new IAMClient({ credentials: await assumeRole(SANDBOX[env], reader) });
      const role = (await iam.send(new GetRoleCommand({ RoleName: reader }))).Role;
      expect(role?.Arn, env).to.equal(naming.roleArn(SANDBOX[env], reader));
      expect(policy(role?.AssumeRolePolicyDocument), env).to.deep.equal({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: [naming.roleArn(TEST_ACCOUNT_IDS.mgmt, naming.jenkinsNodeRole('mgmt'))] },
            Action: 'sts:AssumeRole',
          },
        ],
      });
    }
  });

  it('tdr report -o json and tdr status with TDR_WORKLOAD_ROLE=reader show what the update role shows', async () => {
    const env = await sandboxUp();
    await tdr(
      ['deploy', '--service', 'frontend', '--env', 'intg', '--version', 'v2', '--actor', 'jenkins'],
      env,
    );
    await tdr(
      ['maintenance', 'on', '--env', 'staging', '--reason', 'database upgrade', '--actor', 'ops'],
      env,
    );
    const reader = { ...env, TDR_WORKLOAD_ROLE: 'reader' };

    const viaReader = await tdr(['report', '-o', 'json'], reader);
    const viaUpdate = await tdr(['report', '-o', 'json'], env);
    expect(viaReader.stderr).to.not.contain('degraded');
    expect(timeless(viaReader.stdout)).to.deep.equal(timeless(viaUpdate.stdout));
    const data = JSON.parse(viaReader.stdout) as BoardData;
    const frontendIntg = data.rows.find((r) => r.service === 'frontend')?.cells.find((c) => c.env === 'intg');
    expect(frontendIntg?.current?.version).to.equal('v2');
    expect(data.summary.inMaintenance).to.equal(1);

    const status = await tdr(['status', '-o', 'json'], reader);
    expect(timeless(status.stdout)).to.deep.equal(
      timeless((await tdr(['status', '-o', 'json'], env)).stdout),
    );

    // The read-only role cannot carry a change: refused before any AWS call.
    const refused = await tdr(['maintenance', 'off', '--env', 'staging', '--actor', 'ops'], reader, 2);
    expect(refused.stderr).to.contain('needs the update role');
  });
});
