/**
 * The calls of the release engine and of Pulumi that issue 22 found denied on real AWS, asked of
 * the roles that make them through `@cloud-copilot/iam-simulate` (./iam-simulator.test-helper.ts).
 * The integration suite's recorded calls (test/support/aws-call-check.ts) check every call; these
 * pin each fix to its role's definition.
 */
import { expect } from 'chai';
import { loadPlatform } from '../../services/config';
import { WORKLOAD_ENVIRONMENTS } from '../../services/environments';
import { naming } from '../../services/naming';
import { deliveryStrategy, ecsEntries, ecsServices } from '../../services/queries';
import { leaseKey } from '../../pipelines/release/ledger/lease';
import { TEST_ACCOUNT_IDS } from '../../test/support/accounts';
import { infraRoleStatements, ACCOUNTS_PROJECT } from '../bootstrap/definitions';
import type { Statement } from '../policies/documents';
import { accountFacts } from './account';
import { allows } from './iam-simulator.test-helper';
import { arn } from './iam';
import { jenkinsNodeRole, updateRoleStatements } from './jenkins';

const platform = loadPlatform({});
const MGMT = TEST_ACCOUNT_IDS.mgmt;
const mgmt = accountFacts(platform, 'mgmt', MGMT);
const region = mgmt.region;
const ledger = naming.ledgerBucket();

for (const env of WORKLOAD_ENVIRONMENTS) {
  describe(`${naming.jenkinsNodeRole(env)}: what a release in ${env} asks of mgmt`, () => {
    const statements = jenkinsNodeRole(mgmt, env, TEST_ACCOUNT_IDS[env]).statements as Statement[];
    const can = (action: string, resource: string) => allows(statements, { action, resource });
    const others = WORKLOAD_ENVIRONMENTS.filter((e) => e !== env);

    it("gives back its environment's leases (DeleteObject), not another environment's", async () => {
      for (const subject of [ecsEntries(platform.catalogue)[0]![0], naming.maintenanceSubject()])
        expect(
          await can('s3:DeleteObject', arn.s3Bucket(ledger) + '/' + leaseKey(subject, env)),
          subject,
        ).to.equal(true);
      for (const other of others)
        expect(
          await can('s3:DeleteObject', `${arn.s3Bucket(ledger)}/${leaseKey('frontend', other)}`),
          other,
        ).to.equal(false);
      expect(
        await can('s3:DeleteObject', `${arn.s3Bucket(ledger)}/records/frontend/${env}/0000000001.json`),
      ).to.equal(false);
    });

    it('reads the release webhook parameter, and no other parameter', async () => {
      const param = (name: string) => arn.ssmParameter(region, MGMT, name);
      expect(await can('ssm:GetParameter', param(naming.slackWebhookParameter()))).to.equal(true);
      expect(await can('ssm:GetParameter', param('/mgmt/grafana/alerts/slack'))).to.equal(false);
    });

    it('finds the code bucket (tdr verify: HeadBucket is s3:ListBucket)', async () => {
      expect(await can('s3:ListBucket', arn.s3Bucket(naming.backendCodeBucket()))).to.equal(true);
    });
  });

  describe(`${naming.jenkinsEcsUpdateRole(env)}: finding a task whose RunTask reply was lost`, () => {
    const workload = accountFacts(platform, env, TEST_ACCOUNT_IDS[env]);
    const statements = updateRoleStatements(workload) as Statement[];
    const [task] = ecsEntries(platform.catalogue).map(([name]) => naming.cluster(name, env));
    const cluster = (c: string) => arn.ecsCluster(region, TEST_ACCOUNT_IDS[env], c);

    it('may ListTasks (authorised on container instances) in its own clusters only', async () => {
      const ask = (c: string) =>
        allows(statements, {
          action: 'ecs:ListTasks',
          resource: `arn:aws:ecs:${region}:${TEST_ACCOUNT_IDS[env]}:container-instance/${c}/any`,
          context: { 'ecs:cluster': cluster(c) },
        });
      expect(await ask(task!)).to.equal(true);
      expect(await ask('someone-elses_cluster')).to.equal(false);
    });
  });

  describe(`${naming.jenkinsEcsUpdateRole(env)}: following, continuing and stopping a progressive deployment`, () => {
    const account = TEST_ACCOUNT_IDS[env];
    const statements = updateRoleStatements(accountFacts(platform, env, account)) as Statement[];
    const deploymentOf = (e: typeof env, svc: string) =>
      `arn:aws:ecs:${region}:${TEST_ACCOUNT_IDS[e]}:service-deployment/${naming.cluster(svc, e)}/${naming.ecsService(svc, e)}/r2aJZx1xk3MpNeCaE8NUa`;
    const serviceOf = (e: typeof env, svc: string) =>
      arn.ecsService(region, TEST_ACCOUNT_IDS[e], naming.cluster(svc, e), naming.ecsService(svc, e));

    for (const [svc] of ecsServices(platform.catalogue)) {
      // Only where ECS shifts the traffic is there a deployment to follow (./progressive-iam.ts).
      const shifted = (deliveryStrategy(platform, svc, env)?.kind ?? 'rolling') !== 'rolling';
      it(`${svc}: ${shifted ? 'Describe, Continue and Stop its deployments, List them' : 'no deployment to follow (rolling)'}, read CloudWatch; not another environment's`, async () => {
        for (const action of [
          'ecs:DescribeServiceDeployments',
          'ecs:ContinueServiceDeployment',
          'ecs:StopServiceDeployment',
        ]) {
          expect(await allows(statements, { action, resource: deploymentOf(env, svc) }), action).to.equal(
            shifted,
          );
          for (const other of WORKLOAD_ENVIRONMENTS.filter((e) => e !== env))
            expect(
              await allows(statements, { action, resource: deploymentOf(other, svc) }),
              `${action} ${other}`,
            ).to.equal(false);
        }
        expect(
          await allows(statements, { action: 'ecs:ListServiceDeployments', resource: serviceOf(env, svc) }),
        ).to.equal(shifted);
        expect(await allows(statements, { action: 'cloudwatch:GetMetricData', resource: '*' })).to.equal(
          true,
        );
      });
    }
  });

  describe(`TDRJenkinsInfraRole for ${env}: Pulumi's DIY backend lock`, () => {
    const statements = infraRoleStatements(region, TEST_ACCOUNT_IDS, env);
    const stack = naming.pulumiStack(env);
    // pulumi/pulumi pkg/backend/diy/lock.go: `.pulumi/locks/` + the stack's fully qualified name,
    // `organization/{project}/{stack}`, + `/{lockId}.json`; written, read, listed and deleted.
    const lock = `arn:aws:s3:::${naming.pulumiStateBucket()}/.pulumi/locks/organization/${ACCOUNTS_PROJECT}/${stack}/0a1b.json`;

    it('writes, reads and deletes its stack lock where Pulumi puts it', async () => {
      for (const action of ['s3:PutObject', 's3:GetObject', 's3:DeleteObject'])
        expect(await allows(statements, { action, resource: lock }), action).to.equal(true);
      const another = lock.replace(`/${stack}/`, `/${stack === 'prod' ? 'intg' : 'prod'}/`);
      expect(await allows(statements, { action: 's3:DeleteObject', resource: another })).to.equal(false);
    });

    it('reads the organisation config its job fetches before preflight, and may not change it', async () => {
      const param = (name: string) => arn.ssmParameter(region, MGMT, name);
      const organisation = param(naming.organisationParameter());
      expect(await allows(statements, { action: 'ssm:GetParameter', resource: organisation })).to.equal(true);
      expect(await allows(statements, { action: 'ssm:PutParameter', resource: organisation })).to.equal(
        false,
      );
      expect(
        await allows(statements, {
          action: 'ssm:GetParameter',
          resource: param(naming.slackWebhookParameter()),
        }),
      ).to.equal(false);
    });
  });
}
