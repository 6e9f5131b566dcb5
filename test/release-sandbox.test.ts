/**
 * `tdr sandbox up` against moto: the Jenkins roles' two-hop trust in the right accounts, every
 * role exactly as sandbox/definitions.ts defines it (and so as infra does: see
 * sandbox/definitions.test.ts), the log groups that `tdr verify` checks, and running it twice.
 */
import { DeleteLogGroupCommand, CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { GetRoleCommand, GetRolePolicyCommand, IAMClient, ListRolesCommand } from '@aws-sdk/client-iam';
import { expect } from 'chai';
import { loadPlatform } from '../services/config';
import { WORKLOAD_ENVIRONMENTS } from '../services/environments';
import { naming } from '../services/naming';
import { inlinePolicyName } from '../infra/definitions/iam';
import { sandboxRoles } from '../sandbox/definitions';
import { TEST_ACCOUNT_IDS, assumeRole } from './support/accounts';
import { SANDBOX, sandboxUp, tdr } from './support/release';

const MGMT = TEST_ACCOUNT_IDS.mgmt;

async function iamIn(env: keyof typeof SANDBOX): Promise<IAMClient> {
  return new IAMClient({ credentials: await assumeRole(SANDBOX[env], naming.jenkinsEcsUpdateRole(env)) });
}

/** IAM returns policy documents URL-encoded. */
function policy(document: string | undefined): { Statement: Array<Record<string, unknown>> } {
  return JSON.parse(decodeURIComponent(document ?? '{}')) as { Statement: Array<Record<string, unknown>> };
}

async function roleNames(iam: IAMClient): Promise<string[]> {
  return ((await iam.send(new ListRolesCommand({}))).Roles ?? []).map((r) => r.RoleName ?? '');
}

describe('tdr sandbox up (moto)', () => {
  it('creates each node role in mgmt and each update role in its workload account, trusting only each other', async () => {
    await sandboxUp();
    const mgmtIam = new IAMClient({});
    const inMgmt = await roleNames(mgmtIam);
    for (const env of WORKLOAD_ENVIRONMENTS) {
      const nodeRole = naming.jenkinsNodeRole(env);
      const updateRole = naming.jenkinsEcsUpdateRole(env);
      expect(inMgmt, 'mgmt').to.include(nodeRole).and.not.include(updateRole);

      const node = await mgmtIam.send(new GetRoleCommand({ RoleName: nodeRole }));
      expect(node.Role?.Arn).to.equal(naming.roleArn(MGMT, nodeRole));
      expect(policy(node.Role?.AssumeRolePolicyDocument).Statement).to.deep.equal([
        {
          Effect: 'Allow',
          Principal: { Service: 'ecs-tasks.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'aws:SourceAccount': MGMT } },
        },
      ]);
      const allowed = await mgmtIam.send(
        new GetRolePolicyCommand({ RoleName: nodeRole, PolicyName: inlinePolicyName(nodeRole) }),
      );
      expect(
        policy(allowed.PolicyDocument).Statement.filter((s) => s.Action === 'sts:AssumeRole'),
      ).to.deep.equal([
        {
          Sid: 'AssumeUpdateRole',
          Effect: 'Allow',
          Action: 'sts:AssumeRole',
          Resource: naming.roleArn(SANDBOX[env], updateRole),
        },
      ]);

      const workloadIam = await iamIn(env);
      const inWorkload = await roleNames(workloadIam);
      expect(inWorkload, env).to.include(updateRole).and.not.include(nodeRole);
      // Only this environment's update role lives here, not another environment's.
      for (const other of WORKLOAD_ENVIRONMENTS.filter((o) => o !== env)) {
        expect(inWorkload, env).to.not.include(naming.jenkinsEcsUpdateRole(other));
      }
      const update = await workloadIam.send(new GetRoleCommand({ RoleName: updateRole }));
      expect(update.Role?.Arn).to.equal(naming.roleArn(SANDBOX[env], updateRole));
      expect(policy(update.Role?.AssumeRolePolicyDocument).Statement).to.deep.equal([
        { Effect: 'Allow', Principal: { AWS: [naming.roleArn(MGMT, nodeRole)] }, Action: 'sts:AssumeRole' },
      ]);
    }
  });

  it('creates every role as its definition says: trust, inline policy, description, session length', async () => {
    await sandboxUp();
    const roles = sandboxRoles(loadPlatform({}), { mgmt: MGMT, sbox: TEST_ACCOUNT_IDS.sbox, ...SANDBOX });
    const clients = new Map<string, IAMClient>();
    for (const { env, role } of roles) {
      const iam =
        env === 'mgmt' ? new IAMClient({}) : (clients.get(env) ?? (await iamIn(env as keyof typeof SANDBOX)));
      if (env !== 'mgmt') clients.set(env, iam);
      const got = (await iam.send(new GetRoleCommand({ RoleName: role.roleName }))).Role;
      expect(policy(got?.AssumeRolePolicyDocument), `${env} ${role.roleName}`).to.deep.equal(
        JSON.parse(role.trustPolicy),
      );
      expect(got?.Description).to.equal(role.description);
      expect(got?.MaxSessionDuration).to.equal(role.maxSessionDuration);
      if (role.inlinePolicy) {
        const inline = await iam.send(
          new GetRolePolicyCommand({ RoleName: role.roleName, PolicyName: role.inlinePolicy.name }),
        );
        expect(policy(inline.PolicyDocument), `${env} ${role.inlinePolicy.name}`).to.deep.equal(
          JSON.parse(role.inlinePolicy.document),
        );
      }
    }
  });

  it('runs twice without error and leaves one of each role', async () => {
    const env = await sandboxUp();
    const again = await tdr(['sandbox', 'up'], env);
    expect(again.stdout).to.contain(`mgmt: IAM ${naming.jenkinsNodeRole('prod')}`);
    const inMgmt = await roleNames(new IAMClient({}));
    expect(inMgmt.filter((r) => r === naming.jenkinsNodeRole('intg'))).to.have.length(1);
    expect(await roleNames(await iamIn('intg'))).to.include(naming.jenkinsEcsUpdateRole('intg'));
  });

  it('verify is all [OK] on a fresh sandbox, and [NG] with what to do when the log group is gone', async () => {
    const env = await sandboxUp();
    // consignmentapi references a secret, so every one of its checks runs; frontend has none to check.
    const all = await tdr(['verify', '--service', 'consignmentapi', '--env', 'intg'], env);
    expect(
      all.stdout
        .trim()
        .split('\n')
        .filter((l) => !l.startsWith('[OK]')),
      all.stdout,
    ).to.deep.equal([]);
    expect(all.stdout).to.contain(
      `[OK] log group: ${naming.logGroup('consignmentapi', 'intg')} exists in intg`,
    );
    const frontend = await tdr(['verify', '--service', 'frontend', '--env', 'intg'], env);
    expect(frontend.stdout).to.contain(
      `[OK] log group: ${naming.logGroup('frontend', 'intg')} exists in intg`,
    );
    expect(frontend.stdout).to.not.contain('[NG]');

    const logs = new CloudWatchLogsClient({
      credentials: await assumeRole(SANDBOX.intg, naming.jenkinsEcsUpdateRole('intg')),
    });
    await logs.send(new DeleteLogGroupCommand({ logGroupName: naming.logGroup('frontend', 'intg') }));
    const ng = await tdr(['verify', '--service', 'frontend', '--env', 'intg'], env, 1);
    expect(ng.stdout).to.contain(
      `[NG] log group: ${naming.logGroup('frontend', 'intg')} does not exist in intg (account ${SANDBOX.intg})`,
    );
    expect(ng.stdout).to.contain('run pulumi up for the intg stack (locally: tdr sandbox up)');
    expect(ng.stderr).to.contain('1 preflight check failed');
    // The other service's log group is untouched, and its verify still passes.
    await tdr(['verify', '--service', 'consignmentapi', '--env', 'intg'], env);
  });
});
