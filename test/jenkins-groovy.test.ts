/**
 * The generated Groovy against the real tools: Debian's `groovy` compiles every file (without
 * running it) and reports its AST; `npm-groovy-lint` lints them with the Jenkinsfile rules; bash
 * runs every shell step with hostile values in its environment. Each tool starts once; the linter's
 * passing verdict is cached by content (test/support/result-cache.ts).
 */
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect } from 'chai';
import { parse } from 'yaml';
import { loadPlatform } from '../services/config';
import { naming } from '../services/naming';
import { buildJenkinsModel, renderJenkins, type JenkinsModel } from '../pipelines/jenkins';
import { buildAgentLabel, platformAgentLabel } from '../pipelines/jenkins/agents';
import { jobContext } from '../pipelines/jenkins/jobs/context';
import { pausedServices } from '../pipelines/jenkins/jobs/promote-progressive';
import { DEFAULT_JENKINS_SETTINGS } from '../pipelines/jenkins/settings';
import { cachedRun } from './support/result-cache';

const REPO_ROOT = join(__dirname, '..');
const INSPECT = join(REPO_ROOT, 'pipelines', 'jenkins', 'verify', 'inspect.groovy');
const GROOVY_LINT = join(REPO_ROOT, 'node_modules', '.bin', 'npm-groovy-lint');
const CASC_JOBS = 'casc-jobs.groovy';

/** Everything a shell could be tricked by: quotes, `;`, `$()`, backticks, a newline. */
const HOSTILE =
  "v1\"; touch hostilemark-1; echo $(touch hostilemark-2) `touch hostilemark-3` '; touch hostilemark-4; '\n touch hostilemark-5";

type Described = { constant: unknown } | { expression: string; text: string };
type CallArgs = Array<Described | Record<string, Described>>;
interface Inspection {
  file: string;
  ok: boolean;
  error?: string;
  gstrings?: string[];
  calls?: Record<string, CallArgs[]>;
}

/**
 * The JVM flags of every Java this file starts: its work is seconds of parsing, over before the
 * optimising compiler pays for itself, so only the quick one (C1) compiles, and the serial GC
 * keeps to one core. Measured on the 2-core machine, same files, side by side: npm-groovy-lint's
 * run took 13 s of CPU instead of 32 s with an identical report, and this file's groovy runs 6.3 s
 * instead of 8.5 s (README "Tests"). https://docs.oracle.com/en/java/javase/21/docs/specs/man/java.html
 */
const QUICK_JVM = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC'];

function groovyEnv(): NodeJS.ProcessEnv {
  // Debian's groovy passes JAVA_OPTS to java (/usr/share/groovy/bin/startGroovy); one set by the
  // caller stands.
  const env = { ...process.env, JAVA_OPTS: process.env.JAVA_OPTS ?? QUICK_JVM.join(' ') };
  // Debian's groovy looks for /usr/lib/jvm/default-java unless JAVA_HOME says otherwise.
  if (process.env.JAVA_HOME || existsSync('/usr/lib/jvm/default-java')) return env;
  const java = spawnSync('sh', ['-c', 'command -v java'], { encoding: 'utf8' }).stdout.trim();
  return java ? { ...env, JAVA_HOME: dirname(dirname(realpathSync(java))) } : env;
}

function constant(d: Described | Record<string, Described> | undefined): unknown {
  return d && 'constant' in d ? d.constant : undefined;
}

/** The script text of an `sh` call: `sh('…')` or `sh(script: '…', …)`; undefined if not a constant. */
function shScript(args: CallArgs): { constant: boolean; text: string } {
  const [first] = args;
  if (first && 'constant' in first)
    return { constant: typeof first.constant === 'string', text: String(first.constant) };
  const named = first as Record<string, Described> | undefined;
  const script = named?.script;
  if (script && 'constant' in script) return { constant: true, text: String(script.constant) };
  return { constant: false, text: JSON.stringify(first) };
}

describe('generated Jenkins Groovy, checked by Debian groovy, npm-groovy-lint and bash', function () {
  this.timeout(600_000);
  let dir: string;
  let files: string[];
  let inspections: Inspection[];
  let rendered: Map<string, string>;

  before(function () {
    const probe = spawnSync('groovy', ['--version'], { encoding: 'utf8', env: groovyEnv() });
    if (probe.error || probe.status !== 0) {
      throw new Error(
        `Debian's groovy is needed to parse the generated Groovy: apt-get install -y --no-install-recommends groovy default-jre-headless (${probe.error?.message ?? probe.stderr})`,
      );
    }
    const model = buildJenkinsModel(loadPlatform({}));
    // A hostile default and description: they must reach the Groovy only as inert literals.
    const hostile: JenkinsModel = {
      ...model,
      jobs: model.jobs.map((j) => ({
        ...j,
        parameters: j.parameters.map((p) =>
          p.name === 'VERSION'
            ? { ...p, defaultValue: HOSTILE, description: `${p.description} ${HOSTILE}` }
            : p,
        ),
      })),
    };
    rendered = renderJenkins(hostile);
    dir = mkdtempSync(join(tmpdir(), 'tdr-jenkins-groovy-'));
    for (const [relative, content] of rendered) {
      mkdirSync(dirname(join(dir, relative)), { recursive: true });
      writeFileSync(join(dir, relative), content);
    }
    const casc = parse(rendered.get('jenkins.yaml') ?? '') as { jobs: Array<{ script: string }> };
    writeFileSync(join(dir, CASC_JOBS), casc.jobs[0]?.script ?? '');
    files = [...rendered.keys()].filter((f) => /(\.groovy|Jenkinsfile)$/.test(f)).concat(CASC_JOBS);

    const run = spawnSync('groovy', [INSPECT, ...files], {
      cwd: dir,
      encoding: 'utf8',
      env: groovyEnv(),
      maxBuffer: 64 * 1024 * 1024,
    });
    if (run.status !== 0) throw new Error(`groovy inspect.groovy failed: ${run.stderr}`);
    inspections = JSON.parse(run.stdout) as Inspection[];
  });

  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('compiles every generated Groovy file, the JCasC bootstrap script included', () => {
    expect(inspections.map((i) => i.file)).to.have.members(files);
    expect(files.length).to.be.greaterThan(20);
    for (const i of inspections) expect(i.ok, `${i.file}: ${i.error ?? ''}`).to.equal(true);
  });

  it('reports a broken file as not compiling (the check can fail)', () => {
    const broken = join(dir, 'broken.Jenkinsfile');
    writeFileSync(broken, "pipeline {\n    stages {\n        stage('x' {\n}\n");
    const run = spawnSync('groovy', [INSPECT, broken], { encoding: 'utf8', env: groovyEnv() });
    const [result] = JSON.parse(run.stdout) as Inspection[];
    rmSync(broken);
    expect(result?.ok).to.equal(false);
    expect(result?.error).to.match(/expecting|unexpected/i);
  });

  it('has no GString anywhere and gives every sh step a constant script', () => {
    let shCount = 0;
    for (const i of inspections) {
      expect(i.gstrings, i.file).to.deep.equal([]);
      for (const args of i.calls?.sh ?? []) {
        const script = shScript(args);
        expect(script.constant, `${i.file}: sh(${script.text})`).to.equal(true);
        expect(script.text, i.file).to.not.contain('hostilemark');
        shCount += 1;
      }
    }
    expect(shCount).to.be.greaterThan(30);
  });

  it('keeps a hostile VERSION default an exact constant of the seed, and out of every pipeline', () => {
    const seed = inspections.find((i) => i.file === 'seed.groovy');
    const versionDefaults = (seed?.calls?.stringParam ?? []).filter((a) => constant(a[0]) === 'VERSION');
    expect(versionDefaults.length).to.be.greaterThan(0);
    for (const args of versionDefaults) expect(constant(args[1])).to.equal(HOSTILE);
    for (const [relative, content] of rendered) {
      if (relative.endsWith('.Jenkinsfile') || relative === 'Jenkinsfile')
        expect(content, relative).to.not.contain('hostilemark');
    }
  });

  it('embeds exactly the seed pipeline in jenkins.yaml', () => {
    const bootstrap = inspections.find((i) => i.file === CASC_JOBS);
    const scripts = (bootstrap?.calls?.script ?? [])
      .map((a) => constant(a[0]))
      .filter((s) => typeof s === 'string');
    expect(scripts).to.deep.equal([rendered.get('pipelines/seed.Jenkinsfile')]);
  });

  it("puts every agent stage of an environment's pipeline on that environment's agent", () => {
    for (const i of inspections) {
      const env = /^pipelines\/[a-z0-9-]+?-(mgmt|sbox|intg|staging|prod)\.Jenkinsfile$/.exec(i.file)?.[1];
      // Infra jobs run on the environment's infra agent, everything else on its release agent.
      const expected = i.file.startsWith('pipelines/infra-')
        ? naming.jenkinsInfraAgentLabel((env ?? 'mgmt') as 'mgmt')
        : naming.jenkinsAgentLabel((env ?? 'mgmt') as 'mgmt');
      if (!i.file.endsWith('Jenkinsfile')) continue;
      const labels = (i.calls?.label ?? []).map((a) => constant(a[0]));
      expect(labels.length, i.file).to.be.greaterThan(0);
      // The environment's release agent, or in mgmt its build agent (builds) or its platform agent
      // (the root Jenkinsfile's npm test).
      const allowed =
        expected === naming.jenkinsAgentLabel('mgmt')
          ? [expected, buildAgentLabel('mgmt'), platformAgentLabel('mgmt')]
          : [expected];
      for (const l of labels) expect(allowed, i.file).to.include(l);
    }
  });

  it('lets only the admin team approve, records the approver, and locks with the newest build first', () => {
    let inputs = 0;
    for (const i of inspections) {
      for (const args of i.calls?.input ?? []) {
        const named = args[0] as Record<string, Described>;
        expect(constant(named.submitter), i.file).to.equal(naming.githubTeam('admins'));
        expect(constant(named.submitterParameter), i.file).to.equal('APPROVER');
        inputs += 1;
      }
      for (const args of i.calls?.lock ?? []) {
        const named = args[0] as Record<string, Described>;
        expect(constant(named.inversePrecedence), i.file).to.equal(true);
      }
    }
    const promoteProd = inspections.find((i) => i.file === 'pipelines/promote-prod.Jenkinsfile');
    // Before the promotion, and at ECS's approval pause where a service has one (one of the two runs).
    const paused = pausedServices(jobContext(loadPlatform({}), DEFAULT_JENKINS_SETTINGS), 'prod').length > 0;
    expect(promoteProd?.calls?.input, 'prod promotion asks for approval').to.have.length(paused ? 2 : 1);
    expect(promoteProd?.calls?.lock, 'prod promotion takes a lock').to.have.length(1);
    expect(inputs).to.be.greaterThan(3);
  });

  it('runs every shell step with hostile values in the environment: each arrives as one argument, none runs', () => {
    const scripts = inspections.flatMap((i) => (i.calls?.sh ?? []).map((a) => shScript(a).text));
    const work = mkdtempSync(join(dir, 'sh-'));
    // Stand-ins for the tools: print each argument on its own, delimited, so splitting shows.
    const prelude = [
      'record() { for a in "$@"; do printf \'<%s>\\n\' "$a"; done; }',
      ...[
        'npx',
        'npm',
        'pulumi',
        'sbt',
        'tdr',
        'git',
        'next-version',
        'kaniko-build',
        'scan-gate',
        'upload-package',
        // mgmt/agent-image reads Kaniko's tag from the Dockerfile it checked out (jobs/build.ts).
        'sed',
        // The infra jobs fetch the organisation config from SSM (pipelines/jenkins/jobs/infra.ts).
        'aws',
      ].map((tool) => `${tool}() { record ${tool} "$@"; }`),
    ].join('\n');
    const env = {
      PATH: process.env.PATH,
      HOME: work,
      BUILD_URL: 'https://jenkins.example/job/x/1/',
      ...Object.fromEntries(
        // Not TEST_COMMAND or PACKAGE_COMMAND: those are the catalogue's command lines, run as such.
        [
          'VERSION',
          'RELEASE_VERSION',
          'SERVICE',
          'TASK',
          'APPROVER',
          'TDR_ACTOR',
          'BRANCH_NAME',
          'GIT_COMMIT',
          'TDR_VERSION',
          'IMAGE_TAG',
          'TRAIN',
          'TRAIN_ID',
        ].map((v) => [v, HOSTILE]),
      ),
    };
    let carried = 0;
    for (const script of new Set(scripts)) {
      const run = spawnSync('bash', ['-c', `${prelude}\n${script}`], { cwd: work, env, encoding: 'utf8' });
      expect(run.status, `${script}: ${run.stderr}`).to.equal(0);
      if (
        /"\$(VERSION|RELEASE_VERSION|SERVICE|TASK|APPROVER|TDR_ACTOR)"/.test(script) &&
        !script.includes('>')
      ) {
        expect(run.stdout, script).to.contain(`<${HOSTILE}>`);
        carried += 1;
      }
    }
    expect(carried, 'commands that carried a hostile value').to.be.greaterThan(5);
    expect(readdirSync(work).filter((f) => f.startsWith('hostilemark'))).to.deep.equal([]);
  });

  it('passes npm-groovy-lint --failon error with the Jenkinsfile rules', () => {
    const args = [
      '--config',
      'recommended-jenkinsfile',
      '--failon',
      'error',
      '--output',
      'json',
      '--noserver',
      // Its default (-Xms256m,-Xmx2048m) and the quick JVM flags, comma-separated as it takes them.
      `--javaoptions=-Xms256m,-Xmx2048m,${QUICK_JVM.join(',')}`,
    ];
    // The linter takes tens of seconds (2.5 times as long without QUICK_JVM) and its verdict depends only on its version, its arguments and the
    // files: a passing report is kept under .cache/groovy-lint and reused until one of them changes.
    const lintVersion = readFileSync(
      join(REPO_ROOT, 'node_modules', 'npm-groovy-lint', 'package.json'),
      'utf8',
    );
    const key = [lintVersion, ...args, ...files.flatMap((f) => [f, readFileSync(join(dir, f))])];
    const run = cachedRun('groovy-lint', key, () => {
      const r = spawnSync(GROOVY_LINT, [...args, ...files], {
        cwd: dir,
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      });
      return { stdout: r.stdout, stderr: r.stderr, status: r.status };
    });
    const start = run.stdout.indexOf('{');
    const report = JSON.parse(run.stdout.slice(start)) as {
      summary: { totalFilesLinted: number; totalFoundErrorNumber: number };
      files: Record<string, { errors: Array<{ severity: string; line: number; msg: string; rule: string }> }>;
    };
    const errors = Object.entries(report.files).flatMap(([f, r]) =>
      r.errors.filter((e) => e.severity === 'error').map((e) => `${f}:${e.line} ${e.rule} ${e.msg}`),
    );
    expect(errors).to.deep.equal([]);
    expect(report.summary.totalFilesLinted).to.equal(files.length);
    expect(run.status, run.stderr).to.equal(0);
  });
});
