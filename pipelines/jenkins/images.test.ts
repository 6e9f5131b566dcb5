/**
 * The Jenkins images as their Dockerfiles build them, checked against what uses them: the
 * controller's JCasC path is the image's own copy (so a new image's jenkins.yaml is what runs), Kaniko
 * is an image of its own (its README supports no other) and the build agent holds none of it, and
 * the platform agent has every package `.ci/run` installs before `npm test` (the root Jenkinsfile
 * runs `npm test` there).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { loadPlatform } from '../../services/config';
import { KANIKO } from '../../services/kaniko';
import { platformAgentLabel } from './agents';
import { buildJenkinsModel } from './build-model';
import { allStages } from './walk';
import { AGENT_DOCKERFILE, AGENT_IMAGE_TARGETS, DEFAULT_JENKINS_SETTINGS } from './settings';
import { ciPackages, dockerStages, stageEnv, stageUser, aptInstalls } from './images';

const ROOT = join(__dirname, '..', '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const controller = dockerStages(read('pipelines/jenkins/controller/Dockerfile'));
const agents = dockerStages(read(AGENT_DOCKERFILE));

describe('the Jenkins images', () => {
  it('the controller reads jenkins.yaml from the image, not from the copy ref/ leaves in the persistent home', () => {
    const [stage] = controller;
    const copy = stage!.instructions.find((i) => /^COPY\s+jenkins\.yaml\s/.test(i));
    const destination = copy?.split(/\s+/)[2];
    expect(destination).to.match(/^\/usr\/share\/jenkins\/casc\//);
    const env = stageEnv(stage!);
    expect(env.CASC_JENKINS_CONFIG).to.equal(destination);
    // ref/ is copied into JENKINS_HOME once; JENKINS_HOME is the EFS volume (infra/accounts/settings.ts).
    expect(env.CASC_JENKINS_CONFIG).to.not.match(/^\/usr\/share\/jenkins\/ref\/|^\/var\/jenkins_home\//);
    expect(env.PLUGINS_FORCE_UPGRADE).to.equal('true');
  });

  it('builds one target per agent image repository', () => {
    expect(AGENT_IMAGE_TARGETS.map((t) => t.target)).to.have.members(
      agents.filter((s) => AGENT_IMAGE_TARGETS.some((t) => t.target === s.name)).map((s) => s.name),
    );
    for (const t of AGENT_IMAGE_TARGETS)
      expect(
        agents.map((s) => s.name),
        t.target,
      ).to.include(t.target);
  });

  it('Kaniko (the maintained fork, not the archived one) is an image of its own, and the build agent holds none of it', () => {
    const text = read(AGENT_DOCKERFILE);
    expect(text).to.not.contain('gcr.io/kaniko-project');
    expect(text).to.contain('https://github.com/chainguard-dev/kaniko.git');
    expect(text).to.match(new RegExp(`^ARG KANIKO_VERSION=${KANIKO.version}$`, 'm'));
    // The fork's README, "Known Issues": no other image may carry the executor, a Jenkins agent least.
    const kaniko = agents.find((s) => s.name === KANIKO.target)!;
    expect(kaniko.from).to.equal('scratch');
    expect(
      kaniko.instructions.filter((i) => /^COPY /.test(i)).some((i) => i.endsWith(' /kaniko/executor')),
    ).to.equal(true);
    expect(kaniko.instructions).to.include('ENTRYPOINT ["/kaniko/executor"]');
    // What the fork's executor image sets (deploy/Dockerfile, `kaniko-executor`): ECR pushes go
    // through the credential helper that DOCKER_CONFIG's config.json names; certificates for TLS.
    expect(stageEnv(kaniko)).to.deep.include({
      DOCKER_CONFIG: '/kaniko/.docker/',
      SSL_CERT_DIR: '/kaniko/ssl/certs',
    });
    for (const s of agents.filter((x) => x.name !== KANIKO.target))
      expect(
        s.instructions.some((i) => /\/kaniko\//.test(i)),
        `${s.name} carries Kaniko`,
      ).to.equal(false);
    // So the build agent is an ordinary inbound agent, not root.
    expect(stageUser(agents.find((s) => s.name === 'build-agent')!)).to.equal('jenkins');
  });

  it('the platform agent installs every package .ci/run installs before npm test', () => {
    const ci = ciPackages(read('.ci/run'));
    // Derived, not listed: if .ci/run gains a package, so must the image.
    expect(ci.debian.length).to.be.greaterThan(3);
    const platform = agents.find((s) => s.name === 'platform-agent')!;
    expect(aptInstalls(platform)).to.include.members(ci.debian);
    for (const spec of ci.pip) {
      const name = spec.replace(/\[.*$/, '');
      expect(
        platform.instructions.some((i) => i.includes(`pip install`) && i.includes(`"${spec}==`)),
        `${spec} (pinned)`,
      ).to.equal(true);
      expect(name).to.equal('moto');
    }
    expect(platform.instructions.some((i) => i.includes('/usr/local/bin/moto_server'))).to.equal(true);
  });

  it('the root Jenkinsfile’s npm test runs on the platform agent, whose image is the platform-agent target', () => {
    const model = buildJenkinsModel(loadPlatform({}));
    const test = allStages(model.platformPipeline).find((s) =>
      s.stages?.some((c) => c.steps?.some((x) => x.kind === 'shell' && x.argv.join(' ') === 'npm test')),
    );
    expect(test?.agentKind).to.equal('platform');
    const template = model.agents.find((a) => a.label === platformAgentLabel('mgmt'));
    expect(template?.image).to.equal(DEFAULT_JENKINS_SETTINGS.platformAgentImage);
    const target = AGENT_IMAGE_TARGETS.find((t) => template?.image.includes(`/${t.repository}:`));
    expect(target?.target).to.equal('platform-agent');
  });

  it('the parsers read what they claim to', () => {
    const [s] = dockerStages(
      'FROM a AS b\nENV X=1 \\\n    Y=2\nUSER root\nRUN apt-get install -y --no-install-recommends \\\n  p q \\\n && rm -rf x\nUSER jenkins\n',
    );
    expect(s!.name).to.equal('b');
    expect(stageEnv(s!)).to.deep.equal({ X: '1', Y: '2' });
    expect(stageUser(s!)).to.equal('jenkins');
    expect(aptInstalls(s!)).to.deep.equal(['p', 'q']);
    const ci = ciPackages(
      'need+=(a)\nneed+=("$pkg")\nfor pkg in b c; do\n  x\ndone\npip install \'m[server]\'\n',
    );
    expect(ci).to.deep.equal({ debian: ['a', 'b', 'c'], pip: ['m[server]'] });
  });
});
