/**
 * The roles infra creates in mgmt for what the platform names but nothing created before: the
 * build agents' `TDRJenkinsNodeRoleMgmt` and the release approvers' roles. What each may do is
 * asked of its policy as IAM would answer (./iam-simulator.test-helper.ts); every name comes from
 * the model, so a new function, image or approver needs no edit here.
 */
import { expect } from 'chai';
import { loadPlatform, type Platform } from '../../services/config';
import { ENVIRONMENT_NAMES, type Environment } from '../../services/environments';
import { naming } from '../../services/naming';
import {
  approverRoles,
  functions,
  namesOfKind,
  ledgerSubjects,
  oneOffTasks,
  servicesHeldForApproval,
  workloadEnvironmentNames,
} from '../../services/queries';
import { headKey } from '../../pipelines/release/ledger/ledger';
import { TEST_ACCOUNT_IDS } from '../../test/support/accounts';
import { accountFacts } from './account';
import { allowedActions, allows } from './iam-simulator.test-helper';
import { arn, type PolicyStatement, type RoleSpec } from './iam';
import { imageRepositories, jenkinsMgmtNodeRole, jenkinsNodeRole } from './jenkins';
import { APPROVER_MAX_SESSION_SECONDS, releaseApproverRoles } from './release-approver';
import { approvalRoleArnsFor, approvalRoleEnvironments } from './release-approval';
import type { Statement } from '../policies/documents';

const MGMT = TEST_ACCOUNT_IDS.mgmt;
const platform = loadPlatform({});
const mgmt = accountFacts(platform, 'mgmt', MGMT);
const region = mgmt.region;
const ledger = naming.ledgerBucket();
const code = naming.backendCodeBucket();
const object = (bucket: string, key: string) => `arn:aws:s3:::${bucket}/${key}`;
const repositoryArn = (r: string) => arn.ecrRepository(region, MGMT, naming.ecrRepository(r));
/** What `Ledger.append` and `upload-package` send: S3's conditional write, `If-None-Match: *`. */
const NEW_OBJECT = { 's3:if-none-match': '*' };

function statementsOf(spec: RoleSpec): Statement[] {
  return (spec.statements ?? []).map((s: PolicyStatement) => s as Statement);
}
function can(
  spec: RoleSpec,
  action: string,
  resource: string,
  context?: Record<string, string>,
): Promise<boolean> {
  return allows(statementsOf(spec), { action, resource, ...(context ? { context } : {}) });
}

/** The same model with `approvers` on staging's promotion, as a second approval-gated environment. */
function withStagingApproval(base: Platform, approvers: readonly string[]): Platform {
  const staging = base.environments.staging;
  const promotion = staging.promotion!;
  const gated: Environment = {
    ...staging,
    promotion: { ...promotion, approval: { group: 'admins', approvers, approverMustNotBePromoter: true } },
  };
  return { ...base, environments: { ...base.environments, staging: gated } };
}

describe('the simulator (@cloud-copilot/iam-simulate) answers as IAM does for the shapes these policies use', () => {
  const statements: Statement[] = [
    {
      Effect: 'Allow',
      Action: 's3:PutObject',
      Resource: 'arn:aws:s3:::b/a/*',
      Condition: { Null: { 's3:if-none-match': 'false' } },
    },
    { Effect: 'Deny', Action: 's3:*', Resource: 'arn:aws:s3:::b/a/secret' },
  ];
  it('allows only a named action on a matching resource with its condition met, and lets a deny win', async () => {
    expect(
      await allows(statements, {
        action: 's3:putobject',
        resource: 'arn:aws:s3:::b/a/x/y',
        context: NEW_OBJECT,
      }),
    ).to.equal(true);
    expect(await allows(statements, { action: 's3:PutObject', resource: 'arn:aws:s3:::b/a/x' })).to.equal(
      false,
    );
    expect(
      await allows(statements, {
        action: 's3:PutObject',
        resource: 'arn:aws:s3:::b/ab',
        context: NEW_OBJECT,
      }),
    ).to.equal(false);
    expect(await allows(statements, { action: 's3:GetObject', resource: 'arn:aws:s3:::b/a/x' })).to.equal(
      false,
    );
    expect(
      await allows(statements, {
        action: 's3:PutObject',
        resource: 'arn:aws:s3:::b/a/secret',
        context: NEW_OBJECT,
      }),
    ).to.equal(false);
  });
});

describe('TDRJenkinsNodeRoleMgmt: the build agents (Kaniko, scan gate, upload-package)', () => {
  const role = jenkinsMgmtNodeRole(mgmt, TEST_ACCOUNT_IDS);
  const repositories = [...imageRepositories(platform).keys()];
  const fns = functions(platform.catalogue).map(([fn]) => fn);

  it('is the mgmt node role the Jenkins model runs mgmt agents as, trusted by ECS tasks of mgmt only', async () => {
    expect(role.roleName).to.equal(naming.jenkinsNodeRole('mgmt'));
    expect(role.trust).to.deep.equal([
      {
        Effect: 'Allow',
        Principal: { Service: 'ecs-tasks.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'aws:SourceAccount': MGMT } },
      },
    ]);
  });

  it('grants exactly scan reads in ECR, what starting Kaniko’s task takes, reading and adding function packages, and what tdr report reads', async () => {
    expect(allowedActions(statementsOf(role))).to.deep.equal(
      [
        's3:ListBucket',
        'ssm:GetParameter',
        'ssm:GetParameters',
        'sts:AssumeRole',
        'ecr:DescribeImageScanFindings',
        'ecr:DescribeImages',
        'ecs:DescribeTasks',
        'ecs:RunTask',
        'ecs:StopTask',
        'iam:PassRole',
        'logs:GetLogEvents',
        's3:GetObject',
        's3:PutObject',
      ].sort(),
    );
  });

  it('reads the images and scans of every catalogue repository, and pushes to none (Kaniko’s task does)', async () => {
    expect(repositories.length).to.be.greaterThan(0);
    for (const r of repositories) {
      for (const action of ['ecr:DescribeImages', 'ecr:DescribeImageScanFindings'])
        expect(await can(role, action, repositoryArn(r)), `${action} ${r}`).to.equal(true);
      for (const action of ['ecr:PutImage', 'ecr:InitiateLayerUpload'])
        expect(await can(role, action, repositoryArn(r)), `${action} ${r}`).to.equal(false);
    }
    expect(await can(role, 'ecr:DescribeImages', repositoryArn('tdr-scratch'))).to.equal(false);
    expect(
      await can(
        role,
        'ecr:DescribeImages',
        arn.ecrRepository(region, TEST_ACCOUNT_IDS.intg, repositories[0]!),
      ),
    ).to.equal(false);
    expect(await can(role, 'ecr:DeleteRepository', repositoryArn(repositories[0]!))).to.equal(false);
  });

  it('adds a package of each function under its own prefix, new objects only, and nowhere else', async () => {
    expect(fns.length).to.be.greaterThan(0);
    for (const fn of fns) {
      const key = naming.functionPackageKey(fn, 'v7', `${fn}.zip`);
      expect(await can(role, 's3:PutObject', object(code, key), NEW_OBJECT), key).to.equal(true);
      // Without If-None-Match it could overwrite a package a release recorded.
      expect(await can(role, 's3:PutObject', object(code, key)), `${key} overwritten`).to.equal(false);
      expect(await can(role, 's3:GetObject', object(code, key)), key).to.equal(true);
    }
    for (const key of ['v7/x.zip', 'x.zip', 'unknown-function/v7/x.zip', `${fns[0]}-extra/v7/x.zip`])
      expect(await can(role, 's3:PutObject', object(code, key), NEW_OBJECT), key).to.equal(false);
    expect(
      await can(role, 's3:DeleteObject', object(code, naming.functionPackageKey(fns[0]!, 'v7', 'x.zip'))),
    ).to.equal(false);
  });

  it('reads the ledger and the account ids (tdr report) but writes no record and no head', async () => {
    const record = object(ledger, `${naming.ledgerRecordPrefix('frontend', 'intg')}0000000001.json`);
    expect(await can(role, 's3:GetObject', record)).to.equal(true);
    expect(await can(role, 's3:ListBucket', arn.s3Bucket(ledger))).to.equal(true);
    expect(await can(role, 's3:PutObject', record, NEW_OBJECT)).to.equal(false);
    expect(await can(role, 's3:PutObject', object(ledger, headKey('frontend', 'intg')))).to.equal(false);
    expect(await can(role, 's3:DeleteObject', record)).to.equal(false);
    for (const env of ENVIRONMENT_NAMES)
      expect(
        await can(role, 'ssm:GetParameters', arn.ssmParameter(region, MGMT, naming.accountIdParameter(env))),
        env,
      ).to.equal(true);
  });

  it('reads the release webhook (tdr report --slack) and no other secret', async () => {
    const parameter = (name: string) => arn.ssmParameter(region, MGMT, name);
    expect(await can(role, 'ssm:GetParameter', parameter(naming.slackWebhookParameter()))).to.equal(true);
    for (const name of ['/mgmt/github/password', '/mgmt/grafana/token', '/mgmt/slack/token'])
      expect(await can(role, 'ssm:GetParameter', parameter(name)), name).to.equal(false);
    expect(await can(role, 'ssm:PutParameter', parameter(naming.slackWebhookParameter()))).to.equal(false);
  });

  it('assumes only the release reader role of each workload account, never an update role', async () => {
    for (const env of workloadEnvironmentNames(platform.environments)) {
      expect(
        await can(
          role,
          'sts:AssumeRole',
          naming.roleArn(TEST_ACCOUNT_IDS[env], naming.releaseReaderRole(env)),
        ),
        env,
      ).to.equal(true);
      expect(
        await can(
          role,
          'sts:AssumeRole',
          naming.roleArn(TEST_ACCOUNT_IDS[env], naming.jenkinsEcsUpdateRole(env)),
        ),
        `${env} update role`,
      ).to.equal(false);
      expect(
        await can(
          role,
          'sts:AssumeRole',
          naming.roleArn(TEST_ACCOUNT_IDS[env], naming.pulumiDeployRole(env)),
        ),
        `${env} deploy role`,
      ).to.equal(false);
    }
    // Not another account's reader role under this environment's name.
    expect(
      await can(
        role,
        'sts:AssumeRole',
        naming.roleArn(TEST_ACCOUNT_IDS.sbox, naming.releaseReaderRole('intg')),
      ),
    ).to.equal(false);
  });
});

describe('release approver roles: people who run tdr approve', () => {
  const subjects = namesOfKind(platform.catalogue, 'service', 'lambda');
  const recordOf = (subject: string, env: string) =>
    object(ledger, `${naming.ledgerRecordPrefix(subject, env)}0000000042.json`);

  it("are the model's plain approver roles, one each; SSO's patterns are SSO's to create", async () => {
    const expected = (platform.environments.prod.promotion?.approval?.approvers ?? [])
      .filter((a) => /^role\/[^/*]+$/.test(a))
      .map((a) => a.slice('role/'.length));
    expect(expected.length).to.be.greaterThan(0);
    expect(releaseApproverRoles(mgmt, TEST_ACCOUNT_IDS).map((r) => r.roleName)).to.deep.equal(expected);
  });

  for (const approver of approverRoles(platform.environments)) {
    const role = releaseApproverRoles(mgmt, TEST_ACCOUNT_IDS).find((r) => r.roleName === approver.roleName)!;
    const others = (['intg', 'staging', 'prod'] as const).filter((e) => !approver.environments.includes(e));

    describe(approver.roleName, () => {
      it('is assumed by IAM users of mgmt with MFA only, as their own user name, for an hour at most', async () => {
        expect(role.trust).to.deep.equal([
          {
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${MGMT}:root` },
            Action: 'sts:AssumeRole',
            Condition: {
              Bool: { 'aws:MultiFactorAuthPresent': 'true' },
              // Its session name is the IAM user's: what four eyes takes as the approver.
              StringEquals: { 'sts:RoleSessionName': '${aws:username}' },
            },
          },
        ]);
        expect(role.maxSessionDuration).to.equal(APPROVER_MAX_SESSION_SECONDS).and.to.equal(3600);
      });

      it('grants exactly what tdr approve and lease break call: account ids, the ledger, ECR and package look-ups', async () => {
        expect(allowedActions(statementsOf(role))).to.deep.equal(
          [
            'ecr:DescribeImages',
            'ecr:DescribeRepositories',
            's3:DeleteObject',
            's3:GetObject',
            's3:ListBucket',
            's3:PutObject',
            'ssm:GetParameters',
            // The approval role of each environment it approves where something pauses for one,
            // and the release webhook that announces what it continued there.
            ...(approvalRoleArnsFor(platform, approver.environments, TEST_ACCOUNT_IDS).length > 0
              ? ['sts:AssumeRole', 'ssm:GetParameter']
              : []),
          ].sort(),
        );
      });

      it('assumes the approval role of each environment it approves that has one, and no other role', async () => {
        const gated = approvalRoleEnvironments(platform);
        expect(gated, 'prod pauses for an approval').to.include('prod');
        for (const env of workloadEnvironmentNames(platform.environments)) {
          const approval = naming.roleArn(TEST_ACCOUNT_IDS[env], naming.releaseApprovalRole(env));
          const expected = gated.includes(env) && approver.environments.includes(env);
          expect(await can(role, 'sts:AssumeRole', approval), `${env} approval role`).to.equal(expected);
          // Continuing holds the held service's release lease meanwhile.
          for (const held of servicesHeldForApproval(platform, env))
            expect(
              await can(role, 's3:PutObject', object(ledger, `leases/${held}/${env}.json`)),
              `lease ${held} ${env}`,
            ).to.equal(expected);
          for (const other of [naming.jenkinsEcsUpdateRole(env), naming.releaseReaderRole(env)])
            expect(
              await can(role, 'sts:AssumeRole', naming.roleArn(TEST_ACCOUNT_IDS[env], other)),
              other,
            ).to.equal(false);
        }
      });

      it(`writes new records of the services and functions of ${approver.environments.join(', ')} only`, async () => {
        for (const env of approver.environments) {
          for (const s of subjects) {
            expect(await can(role, 's3:PutObject', recordOf(s, env), NEW_OBJECT), `${s} ${env}`).to.equal(
              true,
            );
            expect(await can(role, 's3:PutObject', recordOf(s, env)), `${s} ${env} overwritten`).to.equal(
              false,
            );
          }
          // The maintenance switch's and one-off tasks' records too (a lease broken there, by its
          // approver, is recorded), new ones only.
          for (const key of [
            recordOf(naming.maintenanceSubject(), env),
            ...oneOffTasks(platform.catalogue).map(([t]) => recordOf(t, env)),
          ]) {
            expect(await can(role, 's3:PutObject', key, NEW_OBJECT), key).to.equal(true);
            expect(await can(role, 's3:PutObject', key), `${key} overwritten`).to.equal(false);
          }
          // The heads of what it records (the ledger refreshes them after each append; the engine's
          // recorded calls showed the approval's head write denied without this).
          for (const s of ledgerSubjects(platform.catalogue))
            expect(
              await can(role, 's3:PutObject', object(ledger, headKey(s, env))),
              `head ${s} ${env}`,
            ).to.equal(true);
          // Its environments' leases, to break them; never a record.
          for (const s of ledgerSubjects(platform.catalogue))
            expect(await can(role, 's3:DeleteObject', object(ledger, `leases/${s}/${env}.json`)), s).to.equal(
              true,
            );
          expect(await can(role, 's3:DeleteObject', recordOf(subjects[0]!, env))).to.equal(false);
        }
        expect(others.length).to.be.greaterThan(0);
        for (const env of others)
          for (const s of subjects) {
            expect(await can(role, 's3:PutObject', recordOf(s, env), NEW_OBJECT), `${s} ${env}`).to.equal(
              false,
            );
            expect(
              await can(role, 's3:DeleteObject', object(ledger, `leases/${s}/${env}.json`)),
              `${s} ${env}`,
            ).to.equal(false);
          }
      });

      it('reads the whole ledger and lists it, resolves versions, and reads the account ids', async () => {
        expect(await can(role, 's3:GetObject', recordOf(subjects[0]!, 'staging'))).to.equal(true);
        expect(await can(role, 's3:GetObject', object(ledger, headKey(subjects[0]!, 'staging')))).to.equal(
          true,
        );
        expect(await can(role, 's3:ListBucket', `arn:aws:s3:::${ledger}`)).to.equal(true);
        for (const r of imageRepositories(platform).keys()) {
          expect(await can(role, 'ecr:DescribeImages', repositoryArn(r)), r).to.equal(true);
          expect(await can(role, 'ecr:PutImage', repositoryArn(r)), r).to.equal(false);
        }
        for (const [fn] of functions(platform.catalogue)) {
          const key = object(code, naming.functionPackageKey(fn, 'v3', `${fn}.zip`));
          expect(await can(role, 's3:GetObject', key), fn).to.equal(true);
          expect(await can(role, 's3:PutObject', key, NEW_OBJECT), fn).to.equal(false);
        }
        for (const env of ['mgmt', 'sbox', 'intg', 'staging', 'prod'] as const)
          expect(
            await can(
              role,
              'ssm:GetParameters',
              arn.ssmParameter(region, MGMT, naming.accountIdParameter(env)),
            ),
          ).to.equal(true);
        expect(
          await can(
            role,
            'ssm:GetParameters',
            arn.ssmParameter(region, MGMT, naming.slackWebhookParameter()),
          ),
        ).to.equal(false);
      });
    });
  }

  it('a second environment needing approval gets its own role, writing its own records only', async () => {
    const both = withStagingApproval(platform, ['role/TDRReleaseApproverStaging', 'role/aws-reserved/x/Y*']);
    const roles = releaseApproverRoles(accountFacts(both, 'mgmt', MGMT), TEST_ACCOUNT_IDS);
    expect(roles.map((r) => r.roleName)).to.have.members([
      'TDRReleaseApproverStaging',
      ...approverRoles(platform.environments).map((r) => r.roleName),
    ]);
    const staging = roles.find((r) => r.roleName === 'TDRReleaseApproverStaging')!;
    expect(await can(staging, 's3:PutObject', recordOf(subjects[0]!, 'staging'), NEW_OBJECT)).to.equal(true);
    expect(await can(staging, 's3:PutObject', recordOf(subjects[0]!, 'prod'), NEW_OBJECT)).to.equal(false);
  });

  it('one role named by two environments approves both', async () => {
    const prodRole = approverRoles(platform.environments)[0]!.roleName;
    const shared = withStagingApproval(platform, [`role/${prodRole}`]);
    const roles = releaseApproverRoles(accountFacts(shared, 'mgmt', MGMT), TEST_ACCOUNT_IDS);
    expect(roles.filter((r) => r.roleName === prodRole)).to.have.length(1);
    const role = roles.find((r) => r.roleName === prodRole)!;
    for (const env of ['staging', 'prod'])
      expect(await can(role, 's3:PutObject', recordOf(subjects[0]!, env), NEW_OBJECT), env).to.equal(true);
    expect(await can(role, 's3:PutObject', recordOf(subjects[0]!, 'intg'), NEW_OBJECT)).to.equal(false);
  });
});

describe("the workload agents' node roles", () => {
  it("read the account ids from mgmt's SSM (Jenkins sets no TDR_ACCOUNT_IDS), and no other parameter", async () => {
    for (const env of workloadEnvironmentNames(platform.environments)) {
      const role = jenkinsNodeRole(mgmt, env, TEST_ACCOUNT_IDS[env]);
      for (const e of ENVIRONMENT_NAMES)
        expect(
          await can(role, 'ssm:GetParameters', arn.ssmParameter(region, MGMT, naming.accountIdParameter(e))),
          `${env} ${e}`,
        ).to.equal(true);
      expect(
        await can(role, 'ssm:GetParameters', arn.ssmParameter(region, MGMT, naming.slackWebhookParameter())),
      ).to.equal(false);
    }
  });
});
