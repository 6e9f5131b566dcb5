/**
 * `TDRReleaseApprovalRole{Env}` (./release-approval.ts): where the model pauses a deployment for an
 * approval, the one way an approver's own identity reaches that account's ECS, to continue it. Asked
 * of its documents as IAM would answer (`@cloud-copilot/iam-simulate`: the identity policy through
 * ./iam-simulator.test-helper.ts, the trust policy as the role's resource policy); every name comes
 * from the model, so a new service, environment or approver needs no edit here.
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { expect } from 'chai';
import { loadPlatform, type Platform } from '../../services/config';
import { WORKLOAD_ENVIRONMENTS, type Environment } from '../../services/environments';
import { naming } from '../../services/naming';
import {
  approverPermissionSets,
  approverRoles,
  ecsServices,
  servicesHeldForApproval,
} from '../../services/queries';
import { TEST_ACCOUNT_IDS } from '../../test/support/accounts';
import type { Statement } from '../policies/documents';
import { accountFacts } from './account';
import { allowedActions, allows } from './iam-simulator.test-helper';
import { arn, crossAccountRoleSpec, policyDocumentOf, type PolicyStatement } from './iam';
import { approvalRoleEnvironments, releaseApprovalRole } from './release-approval';

const platform = loadPlatform({});
const MGMT = TEST_ACCOUNT_IDS.mgmt;

/** What the held path calls (pipelines/release/strategies/ecs-progressive-run.ts and ./ecs-progressive.ts `follow`). */
const HELD_PATH = [
  'cloudwatch:DescribeAlarms',
  'cloudwatch:GetMetricData',
  'ecs:ContinueServiceDeployment',
  'ecs:DescribeServiceDeployments',
  'ecs:DescribeServices',
  'ecs:ListServiceDeployments',
  'ecs:StopServiceDeployment',
  'elasticloadbalancing:DescribeRules',
];

/** Whether the role's trust lets `principal` (a role's IAM ARN, or an account's root; its own policy allows it) assume it. */
async function trusts(trust: readonly unknown[], roleArn: string, principal: string): Promise<boolean> {
  const result = await runSimulation(
    {
      identityPolicies: [
        {
          name: 'caller',
          policy: {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }],
          },
        },
      ],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: policyDocumentOf(trust) as never,
      request: {
        action: 'sts:AssumeRole',
        principal,
        resource: { resource: roleArn, accountId: roleArn.split(':')[4]! },
        // IAM sets aws:PrincipalArn on every request: for a role session, the role's ARN with its
        // path (IAM User Guide, global condition keys, aws:PrincipalArn:
        // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn);
        // the simulator takes context keys as given, so they are given as IAM would.
        contextVariables: { 'aws:SecureTransport': 'true', 'aws:PrincipalArn': principal },
      },
    },
    {},
  );
  if (result.resultType === 'error') throw new Error(JSON.stringify(result.errors));
  return result.overallResult === 'Allowed';
}

/** The same model where staging, too, pauses for an approval, with approvers of its own. */
function withStagingPause(base: Platform, approvers: readonly string[]): Platform {
  const staging = base.environments.staging;
  const prod = base.environments.prod;
  const gated: Environment = {
    ...staging,
    delivery: prod.delivery,
    promotion: {
      ...staging.promotion!,
      approval: { group: 'admins', approvers, approverMustNotBePromoter: true },
    },
  };
  return { ...base, environments: { ...base.environments, staging: gated } };
}

describe('the approval roles: where the model pauses for an approval, and only there', () => {
  it('prod has one (its delivery pauses for an approval); no environment without a pause has one', () => {
    expect(approvalRoleEnvironments(platform)).to.include('prod');
    for (const env of WORKLOAD_ENVIRONMENTS) {
      const spec = releaseApprovalRole(accountFacts(platform, env, TEST_ACCOUNT_IDS[env]), MGMT);
      expect(spec !== undefined, env).to.equal(servicesHeldForApproval(platform, env).length > 0);
    }
  });

  it('trusts a permission set only where the environment names one, with one statement for all of them', () => {
    const sets = ['TDRAdmin', 'TDRReleaseManager'];
    const both = withStagingPause(platform, [
      'role/TDRReleaseApproverStaging',
      ...sets.map((s) => `role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_${s}_*`),
    ]);
    const staging = releaseApprovalRole(accountFacts(both, 'staging', TEST_ACCOUNT_IDS.staging), MGMT)!;
    const trust = crossAccountRoleSpec(staging).trust;
    expect(trust).to.have.length(2);
    expect(trust[1]!.Principal).to.deep.equal({ AWS: `arn:aws:iam::${MGMT}:root` });
    expect(trust[1]!.Condition?.ArnLike?.['aws:PrincipalArn']).to.have.length(sets.length * 2);
    const plain = withStagingPause(platform, ['role/TDRReleaseApproverStaging']);
    const none = releaseApprovalRole(accountFacts(plain, 'staging', TEST_ACCOUNT_IDS.staging), MGMT)!;
    expect(crossAccountRoleSpec(none).trust).to.have.length(1);
  });

  it('a second environment that pauses gets its own, trusted by its own approvers only', async () => {
    const both = withStagingPause(platform, ['role/TDRReleaseApproverStaging']);
    expect(approvalRoleEnvironments(both)).to.include.members(['staging', 'prod']);
    const staging = releaseApprovalRole(accountFacts(both, 'staging', TEST_ACCOUNT_IDS.staging), MGMT)!;
    expect(staging.roleName).to.equal(naming.releaseApprovalRole('staging'));
    expect(staging.trustedPrincipalArns).to.deep.equal([naming.roleArn(MGMT, 'TDRReleaseApproverStaging')]);
  });
});

for (const env of approvalRoleEnvironments(platform)) {
  describe(`${naming.releaseApprovalRole(env)}: an approver continues a deployment ${env} holds`, () => {
    const workload = accountFacts(platform, env, TEST_ACCOUNT_IDS[env]);
    const { region, accountId } = workload;
    const args = releaseApprovalRole(workload, MGMT)!;
    const roleArn = naming.roleArn(accountId, args.roleName);
    const statements = args.statements.map((s: PolicyStatement) => s as Statement);
    const can = (action: string, resource: string) => allows(statements, { action, resource });
    const held = servicesHeldForApproval(platform, env);
    const serviceArn = (s: string, e = env, account = accountId) =>
      arn.ecsService(region, account, naming.cluster(s, e), naming.ecsService(s, e));
    const deploymentArn = (s: string, e = env, account = accountId) =>
      `arn:aws:ecs:${region}:${account}:service-deployment/${naming.cluster(s, e)}/${naming.ecsService(s, e)}/abc123`;

    it(`is trusted by ${env}'s approver roles in mgmt and nothing else`, async () => {
      const approvers = approverRoles(platform.environments)
        .filter((r) => r.environments.includes(env))
        .map((r) => naming.roleArn(MGMT, r.roleName));
      expect(approvers.length).to.be.greaterThan(0);
      expect(args.trustedPrincipalArns).to.deep.equal(approvers);
      const trust = crossAccountRoleSpec(args).trust;
      for (const a of approvers) expect(await trusts(trust, roleArn, a), a).to.equal(true);
      const strangers = [
        `arn:aws:iam::${MGMT}:root`,
        naming.roleArn(MGMT, naming.jenkinsNodeRole(env)),
        naming.roleArn(MGMT, naming.jenkinsNodeRole('mgmt')),
        naming.roleArn(MGMT, 'TDRDeveloper'),
        naming.roleArn(accountId, naming.jenkinsEcsUpdateRole(env)),
        // An approver role's name in another account is not the approver.
        ...approvers.map((a) => a.replace(`::${MGMT}:`, `::${TEST_ACCOUNT_IDS.sbox}:`)),
      ];
      for (const p of strangers) expect(await trusts(trust, roleArn, p), p).to.equal(false);
      expect(args.maxSessionDuration).to.equal(3600);
    });

    it(`is trusted by the roles IAM Identity Center creates for ${env}'s approver permission sets, and no look-alike`, async () => {
      const sets = approverPermissionSets(platform.environments[env]);
      const trust = crossAccountRoleSpec(args).trust;
      // The role (with its path) a session of a permission set's role is, as aws:PrincipalArn holds it.
      const ssoRole = (set: string, path: string, account: string = MGMT) =>
        `arn:aws:iam::${account}:role${path}AWSReservedSSO_${set}_0123456789abcdef`;
      const regional = '/aws-reserved/sso.amazonaws.com/eu-west-2/';
      const global = '/aws-reserved/sso.amazonaws.com/';
      // No permission set among the approvers: no account principal at all.
      expect(trust.length, 'trust statements').to.equal(sets.length > 0 ? 2 : 1);
      for (const set of sets) {
        for (const path of [regional, global])
          expect(await trusts(trust, roleArn, ssoRole(set, path)), `${set} at ${path}`).to.equal(true);
        const refused = [
          // Another permission set, and one whose name only starts like it.
          ssoRole(`${set}Extra`, regional),
          ssoRole(`Not${set}`, regional),
          // A look-alike anyone with iam:CreateRole could make: the name at another path.
          ssoRole(set, '/'),
          ssoRole(set, '/aws-reserved/other.amazonaws.com/'),
          ssoRole(set, '/sso.amazonaws.com/'),
          // The permission set's role in another account.
          ssoRole(set, regional, TEST_ACCOUNT_IDS.sbox),
          ssoRole(set, regional, accountId),
        ];
        for (const p of refused) expect(await trusts(trust, roleArn, p), p).to.equal(false);
      }
    });

    it('allows exactly the calls of the held path, and no other action', () => {
      expect(allowedActions(statements)).to.deep.equal([...HELD_PATH].sort());
    });

    it('finds, continues, follows and stops the held services’ deployments', async () => {
      expect(held.length).to.be.greaterThan(0);
      for (const s of held) {
        for (const a of ['ecs:DescribeServices', 'ecs:ListServiceDeployments'])
          expect(await can(a, serviceArn(s)), `${a} ${s}`).to.equal(true);
        for (const a of [
          'ecs:DescribeServiceDeployments',
          'ecs:ContinueServiceDeployment',
          'ecs:StopServiceDeployment',
        ])
          expect(await can(a, deploymentArn(s)), `${a} ${s}`).to.equal(true);
      }
    });

    it('changes nothing else: no service update, no other environment, no service that does not pause', async () => {
      for (const s of held) {
        expect(await can('ecs:UpdateService', serviceArn(s)), s).to.equal(false);
        expect(await can('ecs:DeleteService', serviceArn(s)), s).to.equal(false);
        for (const other of WORKLOAD_ENVIRONMENTS.filter((e) => e !== env)) {
          const account = TEST_ACCOUNT_IDS[other];
          expect(
            await can('ecs:ContinueServiceDeployment', deploymentArn(s, other, account)),
            other,
          ).to.equal(false);
          expect(await can('ecs:DescribeServices', serviceArn(s, other, account)), other).to.equal(false);
        }
      }
      for (const [s] of ecsServices(platform.catalogue).filter(([n]) => !held.includes(n)))
        expect(await can('ecs:ContinueServiceDeployment', deploymentArn(s)), s).to.equal(false);
      expect(await can('ecs:RunTask', `arn:aws:ecs:${region}:${accountId}:task-definition/x:1`)).to.equal(
        false,
      );
      expect(await can('s3:GetObject', `arn:aws:s3:::${naming.ledgerBucket()}/records/x`)).to.equal(false);
      expect(await can('iam:PassRole', naming.roleArn(accountId, naming.jenkinsEcsUpdateRole(env)))).to.equal(
        false,
      );
      expect(
        await can(
          'elasticloadbalancing:ModifyRule',
          `arn:aws:elasticloadbalancing:${region}:${accountId}:listener-rule/app/x/1/2/3`,
        ),
      ).to.equal(false);
    });
  });
}
