import { expect } from 'chai';
import { KANIKO } from '../../services/kaniko';
import { standUpJenkinsImages } from '../../pipelines/jenkins/settings';
import { naming } from '../../services/naming';
import { loadPlatform } from '../../services/config';
import { approverPermissionSets } from '../../services/queries';
import { approvalRoleEnvironments } from '../definitions/release-approval';
import { firstStandUp, ssoApproverGrants, standUpPrerequisites } from './plan';

const accountIds = {
  mgmt: '900000000000',
  sbox: '900000000001',
  intg: '900000000002',
  staging: '900000000003',
  prod: '900000000004',
};
const input = {
  accountIds,
  region: 'eu-west-2',
  adminRoleArn: 'arn:aws:iam::900000000000:role/Admin',
  controllerParameters: [
    '/mgmt/github/client',
    naming.accountIdParameter('mgmt'),
    naming.jenkinsClusterArnParameter(),
    naming.jenkinsAgentSubnetsParameter(),
    naming.jenkinsAgentSecurityGroupParameter(),
  ],
  seed: { folders: 20, jobs: 65 },
  jenkinsUrl: 'https://jenkins.example.org/',
  githubOrganisation: 'nationalarchives',
  jenkinsImages: standUpJenkinsImages(),
  preservationRoleArns: ['arn:aws:iam::700000000000:role/PreservationExportReaderIntg'],
  services: ['frontend', 'consignment-api'],
  functions: ['checksum'],
  initialImages: [
    {
      repository: 'transfer-frontend',
      sourceRepository: 'tdr-transfer-frontend',
      dockerfile: 'Dockerfile',
      package: 'sbt dist',
    },
  ],
  initialPackages: [
    {
      function: 'checksum',
      key: 'checksum/v1/checksum.jar',
      sourceRepository: 'tdr-checksum',
      package: 'sbt assembly',
      artifact: 'target/checksum.jar',
    },
  ],
};
const steps = firstStandUp(input);

describe('the first stand-up plan', () => {
  it('goes bootstrap → its state into the bucket → mgmt → the other accounts → Jenkins → the seed → stand down', () => {
    expect(steps.map((s) => s.step)).to.deep.equal(steps.map((_, i) => i + 1));
    const stacks = steps.flatMap((s) =>
      s.commands.flatMap(
        (c) => /^pulumi up --stack (\S+)/.exec(c)?.[1] ?? /pulumi up --stack (\S+)/.exec(c)?.[1] ?? [],
      ),
    );
    expect(stacks).to.deep.equal(['bootstrap', 'mgmt', 'sbox', 'intg', 'staging', 'prod', 'bootstrap']);
    expect(steps.at(-4)?.title).to.match(/Jenkins controller/);
    expect(steps.at(-3)?.title).to.match(/seed job/);
    expect(steps.at(-2)?.title).to.match(/Day one in the ledger/);
    expect(steps.at(-3)?.check).to.include('65 jobs').and.include('20 folders');
    for (const s of steps) expect(s.check, s.title).not.to.equal('');
  });

  it('applies every account stack as its infra role, exactly the plan it previewed', () => {
    for (const env of ['mgmt', 'sbox', 'intg', 'staging', 'prod'] as const) {
      const step = steps.find((s) => s.title.startsWith(`The ${env} account`))!;
      expect(step.runsAs).to.include(naming.jenkinsInfraRole(env));
      // tdr preflight first: an example organisation value stops the run with exit 2 before Pulumi starts.
      expect(step.commands).to.include(
        `npx tdr preflight --stack ${env} && pulumi preview --stack ${env} --save-plan ${env}-plan.json`,
      );
      expect(step.commands).to.include(
        `npx tdr preflight --stack ${env} && pulumi up --stack ${env} --plan ${env}-plan.json`,
      );
    }
  });

  it("asks, after each stack with an approval role, for its SSO approvers' permission sets to allow assuming it", () => {
    const platform = loadPlatform({});
    const grants = ssoApproverGrants(platform, accountIds);
    const expected = approvalRoleEnvironments(platform).flatMap((env) =>
      approverPermissionSets(platform.environments[env]).map((set) => ({ env, set })),
    );
    expect(grants.map((g) => ({ env: g.env, set: g.permissionSet }))).to.deep.equal(expected);
    expect(grants.length).to.be.greaterThan(0);
    const withGrants = firstStandUp({ ...input, ssoApprovers: grants });
    for (const env of ['mgmt', 'sbox', 'intg', 'staging', 'prod'] as const) {
      const check = withGrants.find((s) => s.title.startsWith(`The ${env} account`))!.check;
      const mine = grants.filter((g) => g.env === env);
      for (const g of mine) {
        expect(g.approvalRoleArn).to.equal(naming.roleArn(accountIds[env], naming.releaseApprovalRole(env)));
        expect(check).to.include(
          `the permission set ${g.permissionSet}'s own policy allows sts:AssumeRole on ${g.approvalRoleArn}`,
        );
      }
      if (mine.length === 0) expect(check, env).to.not.include('IAM Identity Center');
    }
  });

  it("lists what each workload stack creates for releases, for tdr bootstrap check; mgmt's and sbox's none of that", () => {
    for (const env of ['intg', 'staging', 'prod'] as const) {
      const step = steps.find((s) => s.title.startsWith(`The ${env} account`))!;
      const workload = step.creates.filter((c) => c.kind !== 'stack');
      expect(workload).to.deep.equal([
        ...['frontend', 'consignment-api'].map((s) => ({
          kind: 'service',
          env,
          cluster: naming.cluster(s, env),
          service: naming.ecsService(s, env),
        })),
        { kind: 'function', env, functionName: naming.functionName('checksum', env), alias: 'live' },
        { kind: 'loadBalancer', env, name: naming.loadBalancer(env) },
      ]);
    }
    for (const env of ['mgmt', 'sbox'] as const) {
      const step = steps.find((s) => s.title.startsWith(`The ${env} account`))!;
      expect(
        step.creates.filter((c) => ['service', 'function', 'loadBalancer'].includes(c.kind)),
      ).to.deep.equal([]);
    }
  });

  it('names the real account ids and the SSM parameters the controller reads', () => {
    expect(steps[0]!.commands.join('\n')).to.include(JSON.stringify(accountIds));
    const controller = steps.find((s) => /Jenkins controller/.test(s.title))!;
    expect(controller.commands.some((c) => c.includes('--name /mgmt/github/client'))).to.equal(true);
    expect(controller.commands.find((c) => c.includes(naming.accountIdParameter('mgmt')))).to.match(
      /^# .*written by the bootstrap/,
    );
    // The ECS cloud's cluster, subnets and security group come from the mgmt stack, not by hand.
    for (const p of [
      naming.jenkinsClusterArnParameter(),
      naming.jenkinsAgentSubnetsParameter(),
      naming.jenkinsAgentSecurityGroupParameter(),
    ])
      expect(controller.commands.find((c) => c.includes(p))).to.match(
        /^# .*String, written by the mgmt stack/,
      );
    // What is put by hand is a secret (SecureString); nothing a stack wrote is put again.
    const puts = controller.commands.filter((c) => c.includes('put-parameter'));
    expect(puts).to.have.length(1);
    for (const c of puts) expect(c).to.include('--type SecureString');
    expect(controller.creates).to.deep.equal([
      { kind: 'parameter', name: '/mgmt/github/client', type: 'SecureString' },
    ]);
  });

  it('points each step that creates something at `tdr bootstrap check --step N` for that step', () => {
    for (const s of steps) {
      const named = /tdr bootstrap check --step (\d+)/.exec(s.check)?.[1];
      expect(named, s.title).to.equal(s.creates.length > 0 ? String(s.step) : undefined);
    }
  });

  it('lists every prerequisite issue 22 found missing, which the runbook renders from here', () => {
    const text = standUpPrerequisites(input)
      .map((p) => `${p.what} ${p.why}`)
      .join('\n');
    for (const needed of [
      /AWS Organization.*OrganizationAccountAccessRole/,
      /IAM Identity Center.*Grafana/,
      /GitHub.*OAuth app.*webhook/,
      /Slack: an app.*AWS Chatbot/,
      /PreservationExportReaderIntg/,
      /`npm ci` run in the repository/,
      /TDR_ORGANISATION/,
    ])
      expect(text).to.match(needed);
  });

  it('pushes the Jenkins images from the operator’s machine after the bootstrap and before mgmt runs them', () => {
    const images = steps.findIndex((s) => s.title.startsWith('The Jenkins images'));
    const mgmt = steps.findIndex((s) => s.title.startsWith('The mgmt account'));
    const bootstrap = steps.findIndex((s) =>
      s.creates.some((c) => c.kind === 'stack' && c.stack === 'bootstrap'),
    );
    expect(images).to.be.greaterThan(bootstrap).and.lessThan(mgmt);
    const step = steps[images]!;
    const commands = step.commands.join('\n');
    const registry = `${accountIds.mgmt}.dkr.ecr.eu-west-2.amazonaws.com`;
    // The controller: rendered, built from the rendered context, pushed, and its digest committed.
    expect(commands).to.include('npx tdr jobs build --out dist/jenkins');
    expect(commands).to.match(/docker build -f pipelines\/jenkins\/controller\/Dockerfile .* dist\/jenkins/);
    expect(commands).to.include(`docker push ${registry}/jenkins-controller:`);
    expect(commands).to.include('tdr:jenkinsControllerImageDigest: $DIGEST');
    // Every agent target, from the release the agents install, pushed under the tag JCasC names.
    for (const t of ['agent', 'build-agent', 'platform-agent']) {
      expect(commands).to.include(`--target ${t} -t ${registry}/jenkins-${t}:v1-node24`);
      expect(commands).to.include(`docker push ${registry}/jenkins-${t}:v1-node24`);
    }
    expect(commands).to.include('git worktree add --detach "$AGENT_SRC" \'v1\'');
    // Kaniko's own image, under the fork's release the mgmt stack's Kaniko task runs.
    expect(commands).to.include(`--target kaniko -t ${registry}/jenkins-kaniko:${KANIKO.version}`);
    expect(commands).to.include(`docker push ${registry}/jenkins-kaniko:${KANIKO.version}`);
    expect(step.creates).to.deep.equal([
      ...['agent', 'build-agent', 'platform-agent'].map((t) => ({
        kind: 'image',
        repository: `jenkins-${t}`,
        tag: 'v1-node24',
      })),
      { kind: 'image', repository: 'jenkins-kaniko', tag: KANIKO.version },
    ]);
    // The bootstrap created the repositories they are pushed to.
    for (const t of ['controller', 'agent', 'build-agent', 'platform-agent', 'kaniko'])
      expect(steps[bootstrap]!.creates).to.deep.include({ kind: 'repository', repository: `jenkins-${t}` });
    // Nothing builds the controller image later by hand.
    const controller = steps.find((s) => /Jenkins controller/.test(s.title))!;
    expect(controller.commands.join('\n')).to.not.include('docker build');
  });
});
