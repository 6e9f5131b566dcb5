import { namesOfKind } from '../../services/queries';
import { expect } from 'chai';
import { DEFAULT_CATALOGUE } from '../../services/catalogue';
import { buildPlatform, loadPlatform, type Platform } from '../../services/config';
import { DEFAULT_ENVIRONMENTS, type EnvironmentName } from '../../services/environments';
import { naming } from '../../services/naming';
import { BUILD_VERSION_PATTERN_SOURCE, VERSION_PATTERN_SOURCE } from '../../services/versions';
import { allStages, allSteps, buildJenkinsModel } from './build-model';
import { ORGANISATION_FILE } from './jobs/infra';
import type { JenkinsModel, Job, Pipeline, Stage, Step } from './model';
import { jobContext } from './jobs/context';
import { pausedServices } from './jobs/promote-progressive';
import { DEFAULT_JENKINS_SETTINGS } from './settings';

function pipelineOf(model: JenkinsModel, job: Job): Pipeline {
  const p = [...model.pipelines, model.platformPipeline].find((x) => x.id === job.pipeline);
  if (!p) throw new Error(`job ${job.path} runs unknown pipeline ${String(job.pipeline)}`);
  return p;
}

function job(model: JenkinsModel, path: string): Job {
  const j = model.jobs.find((x) => x.path === path);
  if (!j) throw new Error(`no job ${path}; jobs: ${model.jobs.map((x) => x.path).join(', ')}`);
  return j;
}

function stepsOfKind<K extends Step['kind']>(p: Pipeline, kind: K): Extract<Step, { kind: K }>[] {
  return allSteps(p).filter((s): s is Extract<Step, { kind: K }> => s.kind === kind);
}

/** Steps in the order they run, with the stage each one belongs to. */
function orderedSteps(p: Pipeline): Array<{ stage: Stage; step: Step }> {
  const out: Array<{ stage: Stage; step: Step }> = [];
  const walk = (stage: Stage, steps: readonly Step[]) => {
    for (const step of steps) {
      out.push({ stage, step });
      if (step.kind === 'lock' || step.kind === 'if-matches') walk(stage, step.steps);
    }
  };
  for (const stage of allStages(p)) walk(stage, stage.steps ?? []);
  return out;
}

const shellArgvs = (p: Pipeline) => stepsOfKind(p, 'shell').map((s) => s.argv);
/** Release jobs run the `tdr` installed in the agent image: `tdr …`, never `npx tdr …` from a clone. */
const isTdr = (argv: readonly unknown[], ...command: string[]) =>
  argv[0] === 'tdr' && command.every((c, i) => argv[1 + i] === c);

describe('jenkins model', () => {
  const platform = loadPlatform({});
  const model = buildJenkinsModel(platform);
  // Functions are released like services: a deploy job for intg, promote and rollback after it.
  const services = namesOfKind(platform.catalogue, 'service', 'lambda');

  it('gives every service and function its jobs: deploy to intg, promote to staging and prod, rollback', () => {
    expect(services).to.include.members(['frontend', 'checksum', 'database-migrations']);
    for (const s of services) {
      expect(job(model, `intg/${s}/deploy`).kind).to.equal('deploy');
      expect(job(model, `staging/${s}/promote`).kind).to.equal('promote');
      expect(job(model, `prod/${s}/promote`).kind).to.equal('promote');
      for (const e of ['intg', 'staging', 'prod'])
        expect(job(model, `${e}/${s}/rollback`).kind).to.equal('rollback');
      const kinds = model.jobs.filter((j) => j.service === s).map((j) => `${j.environment}:${j.kind}`);
      expect(kinds).to.have.members([
        'intg:deploy',
        'staging:promote',
        'prod:promote',
        'intg:rollback',
        'staging:rollback',
        'prod:rollback',
      ]);
    }
  });

  it('adds the jobs of a service added to the catalogue, and nothing for a one-off task', () => {
    const frontend = DEFAULT_CATALOGUE.frontend;
    if (!frontend || frontend.kind !== 'service') throw new Error('the catalogue has no frontend service');
    const bigger: Platform = buildPlatform({
      environments: DEFAULT_ENVIRONMENTS,
      catalogue: {
        ...DEFAULT_CATALOGUE,
        searchapi: { ...frontend, pascalName: 'SearchApi', hostnamePrefix: 'search', sidecars: [] },
      },
    });
    const grown = buildJenkinsModel(bigger);
    for (const path of ['intg/searchapi/deploy', 'staging/searchapi/promote', 'prod/searchapi/promote']) {
      const j = job(grown, path);
      expect(j.parameters.find((p) => p.name === 'SERVICE')?.choices).to.deep.equal(['searchapi']);
      const check = stepsOfKind(pipelineOf(grown, j), 'require-choice')[0];
      expect(check?.choices).to.include('searchapi');
      const locks = stepsOfKind(pipelineOf(grown, j), 'lookup')[0];
      expect(locks?.table.searchapi).to.equal(naming.jenkinsReleaseLock('searchapi', j.environment));
    }
    expect(grown.releaseLocks).to.include(naming.jenkinsReleaseLock('searchapi', 'prod'));
    expect(grown.jobs.length - model.jobs.length).to.equal(6);
    expect(model.jobs.some((j) => j.service === 'consignment-export')).to.equal(false);
  });

  it('guards prod promotion with an admin approval, a lock per service × environment and milestones', () => {
    for (const s of services) {
      const promote = job(model, `prod/${s}/promote`);
      const p = pipelineOf(model, promote);
      const approvals = stepsOfKind(p, 'approval');
      // One before the promotion; and one at ECS's approval pause where a service has it (the
      // stages' conditions pick one of the two for a build: ./jobs/promote-progressive.test.ts).
      const paused = pausedServices(jobContext(platform, DEFAULT_JENKINS_SETTINGS), 'prod').length > 0;
      expect(approvals, 'one approval, or one before and one at the pause').to.have.length(paused ? 2 : 1);
      expect(approvals[0]?.group).to.equal('admins');
      expect(approvals[0]?.approverVariable).to.equal('APPROVER');
      // The approval screen shows the exact version and digest.
      expect(approvals[0]?.message).to.deep.include({ env: 'RELEASE_VERSION' });
      expect(approvals[0]?.message).to.deep.include({ env: 'RELEASE_DIGEST' });

      const order = orderedSteps(p).map(({ step }) => step);
      const approvalAt = order.findIndex((x) => x.kind === 'approval');
      const resolveAt = order.findIndex((x) => x.kind === 'resolve-release');
      expect(resolveAt, 'digest resolved before the approval').to.be.within(0, approvalAt - 1);
      const milestones = order.flatMap((x, i) => (x.kind === 'milestone' ? [{ i, ordinal: x.ordinal }] : []));
      expect(
        milestones.some((m) => m.i < approvalAt),
        'milestone before the approval',
      ).to.equal(true);
      expect(
        milestones.some((m) => m.i > approvalAt),
        'milestone after the approval',
      ).to.equal(true);
      expect(milestones.map((m) => m.ordinal)).to.deep.equal([...milestones.map((m) => m.ordinal)].sort());

      // Four eyes: the approver is checked against the promoter right after the approval.
      const fourEyes = order[approvalAt + 1];
      expect(fourEyes).to.deep.include({ kind: 'require-different', variables: ['APPROVER', 'TDR_ACTOR'] });

      const locks = stepsOfKind(p, 'lock');
      expect(locks).to.have.length(1);
      const lockTable = stepsOfKind(p, 'lookup').find((l) => l.variable === locks[0]?.resourceVariable);
      expect(lockTable?.table[s]).to.equal(naming.jenkinsReleaseLock(s, 'prod'));
      const promoteCommand = locks[0]?.steps.find((x) => x.kind === 'shell' && isTdr(x.argv, 'promote'));
      expect(promoteCommand, 'tdr promote runs inside the lock').to.not.equal(undefined);
      if (promoteCommand?.kind !== 'shell') throw new Error('unreachable');
      const argv = promoteCommand.argv;
      // The approval is a ledger record, written by the agent's role from the input step before
      // the promotion (never a typed --approver), for this build.
      expect(argv).to.not.include('--approver');
      expect(argv[argv.indexOf('--to') + 1]).to.equal('prod');
      expect(argv).to.include('--actor').and.include('--build-url');
      const approve = shellArgvs(p).find((a) => isTdr(a, 'approve'));
      expect(approve?.[approve.indexOf('--jenkins-approver') + 1]).to.deep.equal({ env: 'APPROVER' });
      expect(approve?.[approve.indexOf('--build-url') + 1]).to.deep.equal({ env: 'BUILD_URL' });
      expect(shellArgvs(p).indexOf(approve ?? [])).to.be.lessThan(shellArgvs(p).indexOf(argv));
    }
  });

  it('lets only admins start or approve anything in prod, and developers run intg and staging', () => {
    for (const j of model.jobs) {
      const approvals = j.pipeline ? stepsOfKind(pipelineOf(model, j), 'approval') : [];
      for (const a of approvals) expect(a.group, `${j.path} approval`).to.equal('admins');
      if (j.environment === 'prod') expect(j.runnableBy, j.path).to.deep.equal(['admins']);
      if (j.environment === 'intg' || (j.environment === 'staging' && j.kind !== 'infra-apply'))
        expect(j.runnableBy, j.path).to.include('developers');
    }
    expect(model.authorisation.teams.admins).to.equal(naming.githubTeam('admins'));
  });

  it('needs no human to deploy to intg: started remotely, no approval, runnable by the build user', () => {
    for (const s of services) {
      const deploy = job(model, `intg/${s}/deploy`);
      expect(deploy.triggers.map((t) => t.kind)).to.include('remote');
      const p = pipelineOf(model, deploy);
      expect(stepsOfKind(p, 'approval')).to.deep.equal([]);
      const deployCommand = shellArgvs(p).find((a) => isTdr(a, 'deploy'));
      expect(deployCommand).to.deep.equal([
        'tdr',
        'deploy',
        '--service',
        { env: 'SERVICE' },
        '--env',
        'intg',
        '--version',
        { env: 'VERSION' },
        '--git-commit',
        { env: 'GIT_COMMIT' },
        '--actor',
        { env: 'TDR_ACTOR' },
        '--build-url',
        { env: 'BUILD_URL' },
      ]);
    }
  });

  it('runs no job on an agent of another environment, and mgmt-level jobs on the mgmt agent', () => {
    for (const j of model.jobs.filter((x) => x.pipeline)) {
      const p = pipelineOf(model, j);
      expect(p.environment, j.path).to.equal(j.environment);
      const agents = allStages(p).flatMap((st) => (st.agent ? [st.agent] : []));
      expect(agents.length, `${j.path} uses an agent`).to.be.greaterThan(0);
      for (const a of agents) expect(a, `${j.path} stage agent`).to.equal(j.environment);
      if (['seed', 'dashboards', 'release-report'].includes(j.kind)) expect(j.environment).to.equal('mgmt');
      expect(j.path.split('/')[0], `${j.path} lives in its environment's folder`).to.equal(j.environment);
    }
    const labels = model.agents.map((a) => [a.environment, a.label, a.taskRole]);
    for (const e of Object.keys(platform.environments) as EnvironmentName[]) {
      expect(labels).to.deep.include([e, naming.jenkinsAgentLabel(e), naming.jenkinsNodeRole(e)]);
    }
  });

  it('triggers the e2e job after deploying to intg and promoting to staging, never after prod', () => {
    const targets = (path: string) =>
      stepsOfKind(pipelineOf(model, job(model, path)), 'trigger').map((t) => [t.job, t.parameters]);
    expect(targets('intg/frontend/deploy')).to.deep.equal([
      [
        '/intg/e2e',
        [
          { name: 'SERVICE', value: { env: 'SERVICE' } },
          { name: 'VERSION', value: { env: 'VERSION' } },
        ],
      ],
    ]);
    expect(targets('staging/frontend/promote')).to.deep.equal([
      [
        '/staging/e2e',
        [
          { name: 'SERVICE', value: { env: 'SERVICE' } },
          { name: 'VERSION', value: { env: 'RELEASE_VERSION' } },
        ],
      ],
    ]);
    expect(targets('prod/frontend/promote')).to.deep.equal([]);
    expect(model.jobs.some((j) => j.path === 'prod/e2e')).to.equal(false);
  });

  it("intg's deploy triggers e2e only for a release version (e2e refuses branch builds)", () => {
    const guards = stepsOfKind(pipelineOf(model, job(model, 'intg/frontend/deploy')), 'if-matches');
    expect(guards.map((g) => [g.parameter, g.pattern, g.steps.map((s) => s.kind)])).to.deep.equal([
      ['VERSION', VERSION_PATTERN_SOURCE, ['trigger']],
    ]);
    const re = new RegExp(VERSION_PATTERN_SOURCE);
    expect(re.test('v42')).to.equal(true);
    expect(re.test('branch-fix-1a2b3c4')).to.equal(false);
  });

  it('records the e2e result with tdr check record, passed on success and failed on failure', () => {
    for (const e of ['intg', 'staging']) {
      const p = pipelineOf(model, job(model, `${e}/e2e`));
      const stage = allStages(p).find((st) => st.post);
      const recorded = (steps: readonly Step[] | undefined) =>
        (steps ?? []).flatMap((x) =>
          x.kind === 'shell' && isTdr(x.argv, 'check', 'record') ? [x.argv] : [],
        );
      const [passed] = recorded(stage?.post?.success);
      const [failed] = recorded(stage?.post?.failure);
      for (const [argv, result] of [
        [passed, 'passed'],
        [failed, 'failed'],
      ] as const) {
        expect(argv, `${e} ${result}`).to.not.equal(undefined);
        const at = (flag: string) => argv?.[argv.indexOf(flag) + 1];
        expect(at('--result')).to.equal(result);
        expect(at('--name')).to.equal('e2e');
        expect(at('--env')).to.equal(e);
        expect(at('--version')).to.deep.equal({ env: 'VERSION' });
        expect(at('--url')).to.deep.equal({ env: 'BUILD_URL' });
      }
    }
  });

  it('runs tdr preflight for the stack before Pulumi in every infra stage (exit 2 on an example organisation value)', () => {
    const infra = model.jobs.filter((j) => j.kind === 'infra-preview' || j.kind === 'infra-apply');
    expect(infra).to.have.length(2 * Object.keys(DEFAULT_ENVIRONMENTS).length);
    for (const j of infra)
      for (const stage of allStages(pipelineOf(model, j))) {
        const argvs = (stage.steps ?? []).flatMap((x) => (x.kind === 'shell' ? [x.argv] : []));
        const pulumi = argvs.findIndex((a) => a[0] === 'pulumi');
        if (pulumi < 0) continue;
        const preflight = argvs.findIndex(
          (a) => a.join(' ') === `npx tdr preflight --stack ${j.environment}`,
        );
        expect(preflight, `${j.path} ${stage.name}`).to.be.within(0, pulumi - 1);
      }
  });

  it('fetches the organisation config from SSM into TDR_ORGANISATION before preflight in every infra stage, and removes it', () => {
    const infra = model.jobs.filter((j) => j.kind === 'infra-preview' || j.kind === 'infra-apply');
    let stages = 0;
    for (const j of infra) {
      const p = pipelineOf(model, j);
      expect(p.variables, j.path).to.include({ TDR_ORGANISATION: ORGANISATION_FILE });
      for (const stage of allStages(p)) {
        const argvs = (stage.steps ?? []).flatMap((x) => (x.kind === 'shell' ? [x] : []));
        const preflight = argvs.findIndex((x) => x.argv.join(' ').startsWith('npx tdr preflight'));
        if (preflight < 0) continue;
        stages += 1;
        const fetch = argvs.findIndex(
          (x) =>
            x.argv.join(' ') ===
              `aws ssm get-parameter --region ${DEFAULT_ENVIRONMENTS.mgmt.region} --name ${naming.organisationParameter()} --query Parameter.Value --output text` &&
            x.stdoutTo === ORGANISATION_FILE,
        );
        expect(fetch, `${j.path} ${stage.name}`).to.be.within(0, preflight - 1);
        expect(
          (stage.post?.always ?? []).map((x) => (x.kind === 'shell' ? x.argv.join(' ') : x.kind)),
          `${j.path} ${stage.name}`,
        ).to.deep.equal([`rm -f ${ORGANISATION_FILE}`]);
      }
    }
    // Every infra stage that runs preflight: a preview stage per preview job, and the apply jobs'
    // one (automatic) or two (preview, then apply after the approval) agent stages.
    const approved = infra.filter(
      (j) => j.kind === 'infra-apply' && allStages(pipelineOf(model, j)).length > 1,
    );
    expect(stages).to.equal(infra.length + approved.length);
  });

  it('applies intg infrastructure with no approval and makes staging and prod wait for an admin after a preview', () => {
    const apply = (e: string) => pipelineOf(model, job(model, `${e}/infra/apply`));
    expect(stepsOfKind(apply('intg'), 'approval')).to.deep.equal([]);
    for (const e of ['staging', 'prod', 'mgmt']) {
      const order = orderedSteps(apply(e)).map(({ step }) => step);
      const preview = order.findIndex(
        (x) => x.kind === 'shell' && x.argv[0] === 'pulumi' && x.argv[1] === 'preview',
      );
      const approval = order.findIndex((x) => x.kind === 'approval');
      const up = order.findIndex((x) => x.kind === 'shell' && x.argv[0] === 'pulumi' && x.argv[1] === 'up');
      expect(
        [preview, approval, up].every((i) => i >= 0),
        e,
      ).to.equal(true);
      expect(preview < approval && approval < up, `${e}: preview, then approval, then up`).to.equal(true);
      const upStep = order[up];
      if (upStep?.kind !== 'shell') throw new Error('unreachable');
      expect(upStep.argv).to.include.members(['--stack', naming.pulumiStack(e as EnvironmentName)]);
    }
  });

  it('passes user input to shell steps only as variables: no literal argument carries a $', () => {
    const pipelines = [...model.pipelines, model.platformPipeline];
    for (const p of pipelines) {
      for (const s of allSteps(p)) {
        const argvs = s.kind === 'shell' ? [s.argv] : s.kind === 'resolve-release' ? [s.statusArgv] : [];
        for (const argv of argvs)
          for (const a of argv) if (typeof a === 'string') expect(a, `${p.id}: ${a}`).to.not.match(/[$`]/);
      }
    }
  });

  it('checks every VERSION parameter against ^v\\d+$ (deploys fed by the build: or a branch build) before anything else runs', () => {
    for (const j of model.jobs.filter((x) => x.parameters.some((p) => p.name === 'VERSION'))) {
      const p = pipelineOf(model, j);
      const first = p.stages[0];
      expect(first?.agent, `${j.path}: the check holds no agent`).to.equal(undefined);
      const check = (first?.steps ?? []).find(
        (x) => x.kind === 'require-pattern' && x.parameter === 'VERSION',
      );
      const fedByBuild = j.kind === 'deploy';
      expect(check, j.path).to.deep.include({
        pattern: fedByBuild ? BUILD_VERSION_PATTERN_SOURCE : '^v\\d+$',
      });
      const re = new RegExp(check?.kind === 'require-pattern' ? check.pattern : '$^');
      expect(re.test('v42')).to.equal(true);
      expect(re.test('v1; rm -rf /')).to.equal(false);
    }
  });

  it('names every Jenkins job path uniquely and puts each in a declared folder', () => {
    const paths = model.jobs.map((j) => j.path);
    expect(new Set(paths).size).to.equal(paths.length);
    const folders = new Set(model.folders.map((f) => f.path));
    for (const p of paths) {
      const parent = p.split('/').slice(0, -1).join('/');
      expect(folders.has(parent), `${p}'s folder ${parent}`).to.equal(true);
    }
  });
});

describe('Grafana credentials', () => {
  const model = buildJenkinsModel(loadPlatform({}));

  it('go to the jobs that annotate releases or publish dashboards, and to no other', () => {
    const withGrafana = model.pipelines
      .filter((p) => 'GRAFANA_TOKEN' in p.credentialVariables)
      .map((p) => p.id);
    expect(withGrafana).to.include.members([
      'deploy-intg',
      'promote-staging',
      'promote-prod',
      'rollback-prod',
      'dashboards',
    ]);
    expect(withGrafana.some((id) => id.startsWith('infra-') || id.startsWith('e2e-'))).to.equal(false);
    expect(model.credentials.map((c) => c.id)).to.include.members(['grafana-url', 'grafana-token']);
  });
});
