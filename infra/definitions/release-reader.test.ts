/**
 * `TDRReleaseReaderRole{Env}`: what the nightly report (in mgmt, as `TDRJenkinsNodeRoleMgmt`)
 * reads in a workload account, and nothing it could change anything with. Asked of its policy as
 * IAM would answer (./iam-simulator.test-helper.ts); every name comes from the model.
 */
import { expect } from 'chai';
import { loadPlatform } from '../../services/config';
import { WORKLOAD_ENVIRONMENTS } from '../../services/environments';
import { naming } from '../../services/naming';
import { deliveryStrategy, ecsServices, functions, oneOffTasks } from '../../services/queries';
import { TEST_ACCOUNT_IDS } from '../../test/support/accounts';
import { accountFacts } from './account';
import { allowedActions, allows } from './iam-simulator.test-helper';
import { arn, crossAccountRoleSpec, type PolicyStatement } from './iam';
import { releaseReaderRole } from './jenkins';
import { lambdaArn } from './lambda';
import type { Statement } from '../policies/documents';

const platform = loadPlatform({});
const MGMT = TEST_ACCOUNT_IDS.mgmt;
/** Read-only verbs, as IAM's action names spell them. */
const READ_ONLY = /^[a-z0-9-]+:(Describe|Get|List)[A-Za-z]*$/;

for (const env of WORKLOAD_ENVIRONMENTS) {
  describe(`${naming.releaseReaderRole(env)}: what tdr report and tdr status read in ${env}`, () => {
    const workload = accountFacts(platform, env, TEST_ACCOUNT_IDS[env]);
    const { region, accountId } = workload;
    const args = releaseReaderRole(workload, MGMT);
    const statements = args.statements.map((s: PolicyStatement) => s as Statement);
    const can = (action: string, resource: string) => allows(statements, { action, resource });
    const others = WORKLOAD_ENVIRONMENTS.filter((e) => e !== env);

    it('is trusted by the mgmt node role only (not the update path, not an account root)', async () => {
      expect(args.roleName).to.equal(naming.releaseReaderRole(env));
      expect(args.trustedPrincipalArns).to.deep.equal([naming.roleArn(MGMT, naming.jenkinsNodeRole('mgmt'))]);
      expect(crossAccountRoleSpec(args).trust).to.have.length(1);
    });

    it('grants exactly the reads of status, function status, the maintenance switch, service deployments and the canary judge', async () => {
      expect(allowedActions(statements)).to.deep.equal(
        [
          'cloudwatch:GetMetricData',
          'ecs:DescribeServices',
          'ecs:DescribeTaskDefinition',
          'elasticloadbalancing:DescribeListeners',
          'elasticloadbalancing:DescribeLoadBalancers',
          'elasticloadbalancing:DescribeRules',
          ...(functions(platform.catalogue).length > 0
            ? ['lambda:GetAlias', 'lambda:GetFunctionConfiguration']
            : []),
          // tdr status shows the deployment ECS is shifting, where ECS shifts (./progressive-iam.ts).
          ...(ecsServices(platform.catalogue).some(
            ([s]) => deliveryStrategy(platform, s, env)?.kind !== 'rolling',
          )
            ? ['ecs:DescribeServiceDeployments', 'ecs:ListServiceDeployments']
            : []),
        ].sort(),
      );
    });

    it('grants no action outside Describe, Get and List: it cannot change anything', async () => {
      for (const action of allowedActions(statements)) expect(action, action).to.match(READ_ONLY);
      for (const s of statements) {
        expect(s.Effect, s.Sid).to.equal('Allow');
        for (const action of [s.Action].flat()) expect(action, `${s.Sid}: ${action}`).to.not.include('*');
      }
    });

    it("describes this environment's services only", async () => {
      const services = ecsServices(platform.catalogue).map(([s]) => s);
      expect(services.length).to.be.greaterThan(0);
      for (const s of services) {
        const here = arn.ecsService(region, accountId, naming.cluster(s, env), naming.ecsService(s, env));
        expect(await can('ecs:DescribeServices', here), s).to.equal(true);
        expect(await can('ecs:UpdateService', here), `${s} update`).to.equal(false);
        for (const other of others)
          expect(
            await can(
              'ecs:DescribeServices',
              arn.ecsService(region, accountId, naming.cluster(s, other), naming.ecsService(s, other)),
            ),
            `${s} ${other}`,
          ).to.equal(false);
      }
      for (const [t] of oneOffTasks(platform.catalogue))
        expect(
          await can('ecs:RunTask', arn.ecsTaskDefinition(region, accountId, naming.taskFamily(t, env))),
          t,
        ).to.equal(false);
      expect(await can('ecs:RegisterTaskDefinition', '*')).to.equal(false);
    });

    it("reads the live alias and its version of this environment's functions only", async () => {
      for (const [fn] of functions(platform.catalogue)) {
        const name = naming.functionName(fn, env);
        expect(await can('lambda:GetAlias', lambdaArn.alias(region, accountId, name)), fn).to.equal(true);
        expect(
          await can('lambda:GetFunctionConfiguration', `${lambdaArn.function(region, accountId, name)}:7`),
        ).to.equal(true);
        for (const action of ['lambda:UpdateAlias', 'lambda:UpdateFunctionCode', 'lambda:PublishVersion'])
          expect(await can(action, lambdaArn.alias(region, accountId, name)), `${fn} ${action}`).to.equal(
            false,
          );
        for (const other of others)
          expect(
            await can('lambda:GetAlias', lambdaArn.alias(region, accountId, naming.functionName(fn, other))),
            `${fn} ${other}`,
          ).to.equal(false);
      }
    });

    it('reads the public listener but cannot switch maintenance', async () => {
      const listener = `arn:aws:elasticloadbalancing:${region}:${accountId}:listener/app/${naming.loadBalancer(env)}/1/2`;
      // Rule changes act on listener rules, CreateRule and ModifyListener on listeners (Service Authorization Reference).
      const rule = `arn:aws:elasticloadbalancing:${region}:${accountId}:listener-rule/app/${naming.loadBalancer(env)}/1/2/3`;
      expect(await can('elasticloadbalancing:DescribeRules', '*')).to.equal(true);
      for (const action of ['CreateRule', 'ModifyListener'])
        expect(await can(`elasticloadbalancing:${action}`, listener), action).to.equal(false);
      for (const action of ['DeleteRule', 'ModifyRule', 'SetRulePriorities'])
        expect(await can(`elasticloadbalancing:${action}`, rule), action).to.equal(false);
    });

    it('passes no role, reads no secret and no log', async () => {
      expect(await can('iam:PassRole', naming.roleArn(accountId, 'anything'))).to.equal(false);
      expect(await can('ssm:GetParameters', '*')).to.equal(false);
      expect(await can('logs:DescribeLogGroups', '*')).to.equal(false);
    });
  });
}
