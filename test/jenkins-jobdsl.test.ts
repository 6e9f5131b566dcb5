/**
 * The generated seed and the JCasC bootstrap job, run through the real Job DSL engine
 * (job-dsl-core built from the plugin's source in `tools/job-dsl/`, README there): the
 * engine must accept both with no error, may leave unresolved only the plugin-contributed
 * methods of JOB_DSL_DYNAMIC_METHODS, and its XML must say what the model says (folders, job
 * names, parameters, sandboxed pipeline scripts, the multibranch job's branch source).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { expect } from 'chai';
import { parse } from 'yaml';
import { loadPlatform } from '../services/config';
import { sourceRepositories } from '../services/queries';
import {
  buildJenkinsModel,
  DEFAULT_JENKINS_SETTINGS,
  renderJenkins,
  type Job,
  type JenkinsModel,
} from '../pipelines/jenkins';
import { JENKINS_PLUGINS, JOB_DSL_DYNAMIC_METHODS } from '../pipelines/jenkins/plugins';
import { pipelinePath } from '../pipelines/jenkins/render-seed';

const REPO_ROOT = resolve(__dirname, '..');
/** The repository's own build of the engine (compiled on first use); TDR_JOB_DSL_DIR points at another. */
const JOB_DSL_DIR = process.env.TDR_JOB_DSL_DIR || join(REPO_ROOT, 'tools', 'job-dsl');
const CHECK_SEED = join(JOB_DSL_DIR, 'check-seed.sh');

/**
 * java's flags for the engine (check-seed.sh passes JAVA_OPTS on; one set by the caller stands):
 * seconds of work, over before the optimising compiler pays, so only the quick one (C1), and the
 * serial GC on one core. Side by side on the 2-core machine this file took 8 s of CPU instead of
 * 14 s. https://docs.oracle.com/en/java/javase/21/docs/specs/man/java.html
 */
const QUICK_JVM = process.env.JAVA_OPTS ?? '-XX:TieredStopAtLevel=1 -XX:+UseSerialGC';

interface EngineRun {
  readonly status: number | null;
  readonly output: string;
  readonly xmlDir: string;
}

function runEngine(script: string, workspace: string, xmlDir: string): EngineRun {
  const run = spawnSync(
    CHECK_SEED,
    ['--allow', Object.keys(JOB_DSL_DYNAMIC_METHODS).join(','), '--workspace', workspace, script, xmlDir],
    { encoding: 'utf8', cwd: workspace, timeout: 300_000, env: { ...process.env, JAVA_OPTS: QUICK_JVM } },
  );
  if (run.error) throw run.error;
  return { status: run.status, output: `${run.stdout}${run.stderr}`, xmlDir };
}

function xmlOf(run: EngineRun, item: string): string {
  const file = join(run.xmlDir, `${item}.xml`);
  expect(existsSync(file), `the engine wrote no XML for ${item}`).to.equal(true);
  return readFileSync(file, 'utf8');
}

/** The text of each `<tag>` directly holding text, in document order. */
function texts(xml: string, tag: string): string[] {
  return [...xml.matchAll(new RegExp(`<${tag}>([^<]*)</${tag}>`, 'g'))].map((m) => decode(m[1] ?? ''));
}

function decode(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

function unresolvedMethods(output: string): string[] {
  return [...output.matchAll(/^\s+\d+x \w+\.(\w+)\(\)$/gm)].map((m) => m[1] ?? '');
}

function expectPipelineJob(run: EngineRun, model: JenkinsModel, job: Job, expectedScript: string): void {
  const xml = xmlOf(run, job.path);
  expect(xml, job.path).to.match(/^<flow-definition>/);
  expect(xml, job.path).to.include(
    "<definition class='org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition'>",
  );
  expect(texts(xml, 'sandbox'), job.path).to.deep.equal(['true']);
  expect(texts(xml, 'script'), job.path).to.deep.equal([expectedScript]);
  expect(texts(xml, 'description')[0], job.path).to.equal(job.description);
  const parameters = xml.match(/<parameterDefinitions>[\s\S]*<\/parameterDefinitions>/)?.[0] ?? '';
  expect(texts(parameters, 'name'), job.path).to.deep.equal(job.parameters.map((p) => p.name));
  for (const p of job.parameters) {
    const kind = p.type === 'choice' ? 'ChoiceParameterDefinition' : 'StringParameterDefinition';
    expect(parameters, `${job.path} ${p.name}`).to.include(`<hudson.model.${kind}>`);
  }
  // The permissions are a plugin's (placeholder XML offline): each team is named with its permissions.
  for (const team of Object.values(model.authorisation.teams))
    expect(xml, job.path).to.include(`<name>${team}</name>`);
}

describe('the generated Job DSL, run by the real Job DSL engine (job-dsl-core)', function () {
  this.timeout(600_000);
  let dir: string;
  let model: JenkinsModel;
  let rendered: Map<string, string>;
  let seed: EngineRun;
  let casc: EngineRun;

  before(function () {
    if (!existsSync(CHECK_SEED)) {
      throw new Error(
        `the Job DSL engine is missing: expected ${CHECK_SEED} (tools/job-dsl in the repository, ` +
          'or TDR_JOB_DSL_DIR=/path/to/job-dsl); it needs Debian groovy, libxstream-java, libxmlunit-java, ' +
          'libaccess-modifier-checker-java',
      );
    }
    dir = mkdtempSync(join(tmpdir(), 'tdr-jobdsl-'));
    model = buildJenkinsModel(loadPlatform({}));
    rendered = renderJenkins(model);
    // The seed job runs in a workspace where `tdr jobs build` wrote into settings.outputDir.
    for (const [relative, content] of rendered) {
      const file = join(dir, DEFAULT_JENKINS_SETTINGS.outputDir, relative);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, content);
    }
    seed = runEngine(
      join(dir, DEFAULT_JENKINS_SETTINGS.outputDir, 'seed.groovy'),
      dir,
      join(dir, 'seed-xml'),
    );
    const cascJobs = (parse(rendered.get('jenkins.yaml') ?? '') as { jobs: Array<{ script: string }> }).jobs;
    expect(cascJobs).to.have.length(1);
    writeFileSync(join(dir, 'casc_jobs.groovy'), cascJobs[0]!.script);
    casc = runEngine(join(dir, 'casc_jobs.groovy'), dir, join(dir, 'casc-xml'));
  });

  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('accepts the seed and the JCasC bootstrap job with no engine error', () => {
    for (const run of [seed, casc]) {
      expect(run.output, run.output).to.match(/^OK: \d+ items/m);
      expect(run.output).not.to.match(/ERROR|NOT IN --allow LIST/);
      expect(run.status, run.output).to.equal(0);
    }
  });

  it('leaves unresolved only the listed plugin methods, each one used, each from a pinned plugin', () => {
    const used = new Set([...unresolvedMethods(seed.output), ...unresolvedMethods(casc.output)]);
    expect([...used].sort()).to.deep.equal(Object.keys(JOB_DSL_DYNAMIC_METHODS).sort());
    for (const { installedBy } of Object.values(JOB_DSL_DYNAMIC_METHODS)) {
      expect(JENKINS_PLUGINS).to.have.property(installedBy);
    }
  });

  it('creates every folder and job of the model under its own name', () => {
    for (const f of model.folders)
      expect(xmlOf(seed, f.path)).to.match(/^<com\.cloudbees\.hudson\.plugins\.folder\.Folder>/);
    const items = seed.output.match(/^OK: (\d+) items/m)?.[1];
    expect(Number(items)).to.equal(model.folders.length + model.jobs.length);
  });

  it('gives each pipeline job its parameters and its Jenkinsfile as a sandboxed script', () => {
    // Multibranch jobs (the platform's, the builds') are checked below as the projects they are.
    for (const job of model.jobs.filter((j) => j.pipeline && !j.repository)) {
      expectPipelineJob(seed, model, job, rendered.get(pipelinePath(job.pipeline!)) ?? '');
    }
  });

  it('gives every source repository a multibranch build job discovering its branches and pull requests, running the one template', () => {
    const builds = model.jobs.filter((j) => j.kind === 'build');
    expect(builds.map((j) => j.repository?.name)).to.have.members(
      sourceRepositories(loadPlatform({}).catalogue).map((r) => r.repository),
    );
    for (const job of builds) {
      const xml = xmlOf(seed, job.path);
      expect(xml, job.path).to.match(
        /^<org\.jenkinsci\.plugins\.workflow\.multibranch\.WorkflowMultiBranchProject>/,
      );
      const source = xml.match(/<branchSource[^>]*>[\s\S]*<\/branchSource>/)?.[0] ?? '';
      expect(texts(source, 'repository'), job.path).to.deep.equal([job.repository!.name]);
      expect(source, job.path).to.match(/<gitHubBranchDiscovery>\s*<strategyId>1<\/strategyId>/);
      expect(source, job.path).to.match(/<gitHubPullRequestDiscovery>\s*<strategyId>1<\/strategyId>/);
      const factory = xml.match(
        /<factory[^>]*class='inlineDefinitionBranchProjectFactory'>[\s\S]*<\/factory>/,
      )?.[0];
      expect(factory, job.path).to.be.a('string');
      expect(texts(factory!, 'markerFile'), job.path).to.deep.equal([job.repository!.markerFile]);
      expect(texts(factory!, 'script'), job.path).to.deep.equal([
        rendered.get(pipelinePath(job.pipeline!)) ?? '',
      ]);
    }
  });

  it('the JCasC job creates mgmt/seed with its pipeline embedded, the same job the seed keeps up to date', () => {
    const seedJob = model.jobs.find((j) => j.path === 'mgmt/seed')!;
    expectPipelineJob(casc, model, seedJob, rendered.get(pipelinePath(seedJob.pipeline!)) ?? '');
    expect(xmlOf(casc, 'mgmt')).to.match(/^<com\.cloudbees\.hudson\.plugins\.folder\.Folder>/);
  });

  it("the platform's multibranch job reads its GitHub repository and discovers branches and pull requests", () => {
    for (const job of model.jobs.filter((j) => j.kind === 'platform')) {
      const xml = xmlOf(seed, job.path);
      expect(xml).to.match(/^<org\.jenkinsci\.plugins\.workflow\.multibranch\.WorkflowMultiBranchProject>/);
      const source = xml.match(/<branchSource[^>]*>[\s\S]*<\/branchSource>/)?.[0] ?? '';
      expect(texts(source, 'repoOwner')).to.deep.equal([job.repository!.owner]);
      expect(texts(source, 'repository')).to.deep.equal([job.repository!.name]);
      expect(texts(source, 'credentialsId')).to.deep.equal([job.repository!.credentialsId]);
      const traits = source.match(/<traits>[\s\S]*<\/traits>/)?.[0] ?? '';
      expect(traits).to.match(/<gitHubBranchDiscovery>\s*<strategyId>1<\/strategyId>/);
      expect(traits).to.match(/<gitHubPullRequestDiscovery>\s*<strategyId>1<\/strategyId>/);
      expect(xml).to.match(/<factory[^>]*>\s*<scriptPath>Jenkinsfile<\/scriptPath>/);
    }
  });
});
