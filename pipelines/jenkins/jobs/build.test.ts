import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { DEFAULT_CATALOGUE } from '../../../services/catalogue';
import { buildPlatform, loadPlatform } from '../../../services/config';
import { DEFAULT_ENVIRONMENTS } from '../../../services/environments';
import { KANIKO } from '../../../services/kaniko';
import { ecsEntries, functions, sourceRepositories } from '../../../services/queries';
import { branchVersion, BUILD_VERSION_PATTERN_SOURCE } from '../../../services/versions';
import { buildAgentLabel } from '../agents';
import { allStages, allSteps, buildJenkinsModel } from '../build-model';
import type { JenkinsModel, Pipeline, Stage, Step } from '../model';
import { BUILD_PIPELINE_ID, buildJobPath } from './build';

const platform = loadPlatform({});
const model = buildJenkinsModel(platform);

function pipeline(m: JenkinsModel, id: string): Pipeline {
  const p = m.pipelines.find((x) => x.id === id);
  if (!p) throw new Error(`no pipeline ${id}`);
  return p;
}
const template = pipeline(model, BUILD_PIPELINE_ID);
const stage = (name: string): Stage => {
  const s = allStages(template).find((x) => x.name === name);
  if (!s) throw new Error(`no stage ${name}`);
  return s;
};
function projectTable(p: Pipeline) {
  const lookup = allSteps(p).find(
    (s): s is Extract<Step, { kind: 'project-lookup' }> => s.kind === 'project-lookup',
  );
  if (!lookup) throw new Error('the build template has no project table');
  return lookup.table;
}

describe('build jobs', () => {
  it('are one multibranch job per source repository of the catalogue, each running the one template', () => {
    const repositories = sourceRepositories(platform.catalogue);
    const builds = model.jobs.filter((j) => j.kind === 'build');
    expect(builds.map((j) => j.path)).to.deep.equal(repositories.map((r) => buildJobPath(r.repository)));
    expect(builds.map((j) => j.repository?.name)).to.include.members([
      'tdr-transfer-frontend',
      'tdr-consignment-api',
      'tdr-auth-server',
      'tdr-transfer-service',
      'tdr-consignment-export',
      'tdr-consignment-api-data',
    ]);
    for (const j of builds) {
      expect(j.pipeline).to.equal(BUILD_PIPELINE_ID);
      expect(j.triggers).to.deep.equal([{ kind: 'push' }]);
      expect(j.repository).to.deep.include({ owner: 'nationalarchives', credentialsId: 'github' });
    }
    expect(model.pipelines.filter((p) => p.id === BUILD_PIPELINE_ID)).to.have.length(1);
  });

  it('know each repository: every catalogue entry is one of its images, every service one deploy job', () => {
    const table = projectTable(template);
    const images = Object.values(table).flatMap((row) => (row.IMAGES ?? '').split(' ').filter(Boolean));
    expect(images).to.have.members(
      ecsEntries(platform.catalogue).map(([, e]) => `${e.source.dockerfile}=${e.imageRepository}`),
    );
    expect(table['mgmt/build/tdr-auth-server']).to.deep.include({
      IMAGES: 'Dockerfile=auth-server Dockerfile-update=keycloak-update',
      DEPLOY_JOBS: '/intg/keycloak/deploy',
      MAIN_BRANCH: 'master',
    });
    expect(table['mgmt/build/tdr-consignment-export']?.DEPLOY_JOBS, 'a task is not deployed').to.equal('');
    const deployJobs = Object.values(table).flatMap((row) => (row.DEPLOY_JOBS || null)?.split(',') ?? []);
    for (const path of deployJobs) {
      const deploy = model.jobs.find((j) => `/${j.path}` === path);
      expect(deploy?.kind, path).to.equal('deploy');
      expect(deploy?.parameters.map((p) => p.name)).to.include.members(['VERSION', 'GIT_COMMIT']);
    }
  });

  it('test every branch, and version, build, scan and deploy only the main branch or a branch asked to', () => {
    const releasing = [
      {
        kind: 'any-of',
        conditions: [
          { kind: 'branch-is', variable: 'MAIN_BRANCH' },
          { kind: 'parameter-true', parameter: 'DEPLOY_TO_INTG' },
        ],
      },
    ];
    expect(stage('Test').when).to.equal(undefined);
    for (const name of ['Version', 'Package', 'Image', 'Scan', 'Deploy to intg'])
      expect(stage(name).when, name).to.deep.equal(releasing);
    expect(stage('Tag').when, 'only the main branch takes a git tag').to.deep.equal([
      { kind: 'branch-is', variable: 'MAIN_BRANCH' },
    ]);
    expect(template.parameters).to.deep.equal([
      {
        name: 'DEPLOY_TO_INTG',
        type: 'boolean',
        defaultValue: 'false',
        description:
          'Push this branch as branch-<name>-<sha7> and deploy it to intg (the main branch always deploys its vN)',
      },
    ]);
    const order = allStages(template).map((s) => s.name);
    expect(order).to.deep.equal([
      'Repository',
      'Build',
      'Checkout',
      'Test',
      'Version',
      'Package',
      'Image',
      'Scan',
      'Upload packages',
      'Tag',
      'Deploy to intg',
    ]);
  });

  it('upload each function package with its SHA-256 to tdr-backend-code-mgmt/{function}/{vN}/, and deploy the function', () => {
    const argvs = allSteps(template).flatMap((s) => (s.kind === 'shell' ? [s.argv] : []));
    expect(argvs).to.deep.include(['upload-package', { env: 'VERSION' }, { env: 'PACKAGES' }]);
    expect(template.variables).to.include({ BACKEND_CODE_BUCKET: 'tdr-backend-code-mgmt' });
    const table = projectTable(template);
    expect(table['mgmt/build/tdr-checksum']).to.deep.include({
      IMAGES: '',
      PACKAGES: 'target/scala-2.13/checksum.jar=checksum',
      DEPLOY_JOBS: '/intg/checksum/deploy',
    });
    // One repository, an image (the data task) and a package (the migrations function).
    expect(table['mgmt/build/tdr-consignment-api-data']).to.deep.include({
      IMAGES: 'Dockerfile=consignment-api-data',
      PACKAGES: 'lambda/target/scala-2.13/database-migrations.jar=database-migrations',
      DEPLOY_JOBS: '/intg/database-migrations/deploy',
    });
    const packages = Object.values(table).flatMap((row) => (row.PACKAGES ?? '').split(' ').filter(Boolean));
    expect(packages.map((p) => p.split('=')[1])).to.have.members(
      functions(platform.catalogue).map(([n]) => n),
    );
  });

  it('build on mgmt’s build agent (Kaniko; no Docker daemon) and push the tag only after the scan passed', () => {
    expect(stage('Build')).to.deep.include({ agent: 'mgmt', agentKind: 'build' });
    expect(model.agents.find((a) => a.label === buildAgentLabel('mgmt'))).to.deep.include({
      environment: 'mgmt',
      taskRole: 'TDRJenkinsNodeRoleMgmt',
      image: '${/mgmt/mgmt_account}.dkr.ecr.eu-west-2.amazonaws.com/jenkins-build-agent:v1-node24',
    });
    const argvs = allSteps(template).flatMap((s) => (s.kind === 'shell' ? [s.argv] : []));
    expect(argvs).to.deep.include(['kaniko-build', { env: 'VERSION' }, { env: 'IMAGES' }]);
    expect(argvs).to.deep.include([
      'scan-gate',
      { env: 'VERSION' },
      { env: 'SCAN_FAIL_SEVERITY' },
      { env: 'IMAGES' },
    ]);
    expect(template.variables).to.include({ SCAN_FAIL_SEVERITY: 'HIGH' });
    expect(argvs.some((a) => a.includes('docker'))).to.equal(false);
    const deploy = stage('Deploy to intg').steps?.[0];
    expect(deploy).to.deep.equal({
      kind: 'trigger-each',
      jobsVariable: 'DEPLOY_JOBS',
      parameters: [
        { name: 'VERSION', value: { env: 'VERSION' } },
        { name: 'GIT_COMMIT', value: { env: 'GIT_COMMIT' } },
      ],
    });
  });

  it('say in Slack which stage failed, at which commit and whose', () => {
    for (const s of allStages(template).filter((x) => x.steps && x.name !== 'Repository')) {
      const notify = s.post?.failure?.[0];
      expect(notify?.kind, s.name).to.equal('notify');
      if (notify?.kind !== 'notify') continue;
      expect(notify.channel).to.equal('#da-tdr-builds');
      expect(notify.message).to.deep.include(` build failed at "${s.name}": commit `);
      expect(notify.message).to.deep.include({ env: 'GIT_COMMIT' });
      expect(notify.message).to.deep.include({ env: 'GIT_AUTHOR' });
    }
    expect(template.post, 'a passing branch build is not news').to.deep.equal({});
  });

  it('reach a deploy job that takes their branch versions, and that no release path takes further', () => {
    const deployCheck = allSteps(pipeline(model, 'deploy-intg')).find(
      (s) => s.kind === 'require-pattern' && s.parameter === 'VERSION',
    );
    expect(deployCheck).to.deep.include({ pattern: BUILD_VERSION_PATTERN_SOURCE });
    const re = new RegExp(BUILD_VERSION_PATTERN_SOURCE);
    expect(re.test(branchVersion('feature/x', 'abcdef0123'))).to.equal(true);
    for (const id of ['promote-staging', 'promote-prod', 'rollback-intg', 'run-task-intg', 'e2e-intg']) {
      const check = allSteps(pipeline(model, id)).find(
        (s) => s.kind === 'require-pattern' && s.parameter === 'VERSION',
      );
      if (check?.kind === 'require-pattern') expect(check.pattern, id).to.equal('^v\\d+$');
    }
  });

  it('grow with the catalogue: a new repository gets its job, a new image of a known one joins its row', () => {
    const transfer = DEFAULT_CATALOGUE.transferservice;
    if (transfer?.kind !== 'service') throw new Error('catalogue changed');
    const grown = buildJenkinsModel(
      buildPlatform({
        environments: DEFAULT_ENVIRONMENTS,
        catalogue: {
          ...DEFAULT_CATALOGUE,
          reports: {
            ...transfer,
            pascalName: 'Reports',
            hostnamePrefix: 'reports',
            imageRepository: 'reports',
            source: { ...transfer.source, repository: 'tdr-report-service' },
          },
          'transfer-worker': {
            kind: 'task',
            pascalName: 'TransferWorker',
            description: 'x',
            imageRepository: 'transfer-worker',
            source: { ...transfer.source, dockerfile: 'worker/Dockerfile' },
            cpu: transfer.cpu,
            memory: transfer.memory,
          },
        },
      }),
    );
    expect(grown.jobs.filter((j) => j.kind === 'build').length).to.equal(
      model.jobs.filter((j) => j.kind === 'build').length + 1,
    );
    const table = projectTable(pipeline(grown, BUILD_PIPELINE_ID));
    expect(table['mgmt/build/tdr-report-service']?.DEPLOY_JOBS).to.equal('/intg/reports/deploy');
    expect(table['mgmt/build/tdr-transfer-service']?.IMAGES).to.equal(
      'Dockerfile=transfer-service worker/Dockerfile=transfer-worker',
    );
  });

  it('build the agent images only for admins, from a platform release tag', () => {
    const job = model.jobs.find((j) => j.kind === 'agent-image');
    expect(job?.runnableBy).to.deep.equal(['admins']);
    const p = pipeline(model, 'agent-image');
    expect(p.stages[0]?.agent).to.equal(undefined);
    expect(p.stages[0]?.steps?.[0]).to.deep.include({ parameter: 'TDR_VERSION', pattern: '^v\\d+$' });
    const builds = allSteps(p).filter((s) => s.kind === 'shell' && s.argv[0] === 'kaniko-build');
    // Every agent image, each from its own Dockerfile target (the platform agent included).
    expect(builds.map((k) => k.kind === 'shell' && k.argv[2])).to.deep.equal([
      'pipelines/jenkins/agent/Dockerfile=jenkins-agent@agent pipelines/jenkins/agent/Dockerfile=jenkins-build-agent@build-agent pipelines/jenkins/agent/Dockerfile=jenkins-platform-agent@platform-agent',
      // And Kaniko's own, tagged with the release the Dockerfile pins (what the mgmt stack runs).
      'pipelines/jenkins/agent/Dockerfile=jenkins-kaniko@kaniko',
    ]);
    expect(builds[1]?.kind === 'shell' && builds[1].argv[1]).to.deep.equal({ env: 'KANIKO_TAG' });
    const capture = allSteps(p).find((s) => s.kind === 'capture' && s.variable === 'KANIKO_TAG');
    const argv = capture?.kind === 'capture' ? capture.argv : [];
    // The capture's sed finds the tag the mgmt stack runs (services/kaniko.ts) in the Dockerfile.
    const sed = /^s\/(.*)\/\/p$/.exec(String(argv[2]))?.[1];
    const line = readFileSync(join(__dirname, '..', '..', '..', String(argv[3])), 'utf8')
      .split('\n')
      .find((l) => new RegExp(sed!).test(l));
    expect(line?.replace(new RegExp(sed!), '')).to.equal(KANIKO.version);
  });
});
