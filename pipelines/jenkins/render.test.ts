import { join } from 'node:path';
import { expect } from 'chai';
import type { EnvironmentName } from '../../services/environments';
import { parse } from 'yaml';
import { loadPlatform } from '../../services/config';
import { naming } from '../../services/naming';
import { TEST_ACCOUNT_IDS } from '../../test/support/accounts';
import { expectGolden } from '../../test/support/golden';
import { buildAgentLabel, platformAgentLabel } from './agents';
import { buildJenkinsModel } from './build-model';
import { identifier, multiline, shellWord, str } from './groovy';
import { ROOT_JENKINSFILE, renderJenkins, renderRootJenkinsfile } from './index';
import type { JenkinsModel, Pipeline } from './model';
import { ssmRef } from './render-casc';
import { GENERATED_MARKER, renderJenkinsfile, shellCommand } from './render-jenkinsfile';
import { scanForSecrets } from './secret-scan';

const REPO_ROOT = join(__dirname, '..', '..');
const GOLDEN_DIR = join(REPO_ROOT, 'testdata', 'jenkins');

interface Casc {
  jenkins: {
    slaveAgentPort: number;
    securityRealm: { github: Record<string, string> };
    authorizationStrategy: {
      projectMatrix: { entries: Array<{ group: { name: string; permissions: string[] } }> };
    };
    clouds: Array<{
      ecs: {
        regionName: string;
        jenkinsUrl: string;
        templates: Array<{
          label: string;
          taskrole: string;
          executionRole: string;
          launchType: string;
          environments: unknown[];
        }>;
      };
    }>;
  };
  credentials: {
    system: { domainCredentials: Array<{ credentials: Array<Record<string, Record<string, string>>> }> };
  };
  security: { globalJobDslSecurityConfiguration: { useScriptSecurity: boolean } };
  unclassified: {
    slackNotifier: { room: string; tokenCredentialId: string };
    lockableResourcesManager: { declaredResources: Array<{ name: string }> };
  };
  jobs: Array<{ script: string }>;
}

describe('jenkins renderings', () => {
  const platform = loadPlatform({});
  const model = buildJenkinsModel(platform);
  const files = renderJenkins(model);

  it('match the golden files (refresh with UPDATE_GOLDEN=1 and review the diff)', () => {
    expect([...files.keys()]).to.include.members([
      'seed.groovy',
      'jenkins.yaml',
      ROOT_JENKINSFILE,
      'pipelines/deploy-intg.Jenkinsfile',
      'pipelines/promote-staging.Jenkinsfile',
      'pipelines/promote-prod.Jenkinsfile',
      'pipelines/rollback-prod.Jenkinsfile',
      'pipelines/e2e-staging.Jenkinsfile',
      'pipelines/infra-apply-prod.Jenkinsfile',
      'pipelines/run-task-prod.Jenkinsfile',
      'pipelines/dashboards.Jenkinsfile',
      'pipelines/release-report.Jenkinsfile',
      'pipelines/seed.Jenkinsfile',
      'pipelines/build.Jenkinsfile',
      'pipelines/agent-image.Jenkinsfile',
    ]);
    for (const [relative, content] of files) expectGolden(join(GOLDEN_DIR, relative), content);
  });

  it('keeps the committed top-level Jenkinsfile identical to a fresh render', () => {
    expectGolden(join(REPO_ROOT, ROOT_JENKINSFILE), renderRootJenkinsfile(model));
    expect(files.get(ROOT_JENKINSFILE)).to.equal(renderRootJenkinsfile(model));
  });

  it('marks every generated file as generated, naming where to edit', () => {
    for (const [relative, content] of files) {
      expect(content.split('\n')[0], relative).to.contain(GENERATED_MARKER);
      expect(GENERATED_MARKER).to.contain('edit pipelines/jenkins');
    }
  });

  it('contains no secret values: keys, tokens, passwords or account ids', () => {
    for (const [relative, content] of files) {
      expect(scanForSecrets(content), relative).to.deep.equal([]);
    }
  });

  it('leaves account ids out even when the configuration has them', () => {
    const ids = TEST_ACCOUNT_IDS;
    const withIds = renderJenkins(buildJenkinsModel(loadPlatform({ TDR_ACCOUNT_IDS: JSON.stringify(ids) })));
    for (const [relative, content] of withIds) {
      for (const id of Object.values(ids)) expect(content, relative).to.not.contain(id);
    }
  });

  it('lists every plugin the pipelines and jenkins.yaml use, each pinned to a version', () => {
    const lines = (files.get('plugins.txt') ?? '').split('\n').filter((l) => l && !l.startsWith('#'));
    for (const l of lines) expect(l).to.match(/^[a-z0-9-]+:[0-9][\w.-]*$/);
    const plugins = lines.map((l) => l.split(':')[0]);
    for (const p of [
      'configuration-as-code',
      'configuration-as-code-secret-ssm',
      'job-dsl',
      'lockable-resources',
    ])
      expect(plugins).to.include(p);
    expect(plugins).to.include.members([
      'pipeline-milestone-step',
      'amazon-ecs',
      'github-oauth',
      'matrix-auth',
    ]);
  });

  it('has a secret scanner that catches what it claims to', () => {
    const planted = [
      'aws_access_key_id = AKIAIOSFODNN7EXAMPLE',
      'key: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      "taskrole: 'arn:aws:iam::123456789012:role/TDRJenkinsNodeRoleIntg'",
      'token ghp_' + 'a'.repeat(36),
      'xoxb-123456789012-abcdefghij',
      'https://hooks.slack.com/services/T000/B000/XXXX',
      '-----BEGIN RSA PRIVATE KEY-----',
      'password: hunter2hunter2',
    ];
    for (const line of planted) expect(scanForSecrets(line), line).to.have.length.greaterThan(0);
    expect(scanForSecrets('password: ${/mgmt/github/password}')).to.deep.equal([]);
    expect(scanForSecrets(`secret: ${ssmRef('/mgmt/slack/token')}`)).to.deep.equal([]);
  });

  it('writes a jenkins.yaml that parses and has the keys JCasC expects', () => {
    const casc = parse(files.get('jenkins.yaml') ?? '') as Casc;
    const github = casc.jenkins.securityRealm.github;
    expect(github.clientID).to.equal(ssmRef(naming.mgmtParameter('github/client')));
    expect(github.clientSecret).to.equal(ssmRef(naming.mgmtParameter('github/secret')));

    const entries = casc.jenkins.authorizationStrategy.projectMatrix.entries;
    const admins = entries.find((e) => e.group.name === naming.githubTeam('admins'));
    const developers = entries.find((e) => e.group.name === naming.githubTeam('developers'));
    expect(admins?.group.permissions).to.deep.equal(['Overall/Administer']);
    expect(developers?.group.permissions).to.include('Overall/Read').and.not.include('Overall/Administer');

    const ecs = casc.jenkins.clouds[0]?.ecs;
    expect(ecs?.regionName).to.equal('eu-west-2');
    expect(ecs?.jenkinsUrl).to.match(/^https:\/\//);
    const templates = ecs?.templates ?? [];
    // One release agent and one infra agent per environment, and mgmt's build agent (starts Kaniko's task) and
    // platform agent (npm test), with mgmt's task role.
    const envs = Object.keys(platform.environments) as EnvironmentName[];
    expect(templates.map((t) => t.label)).to.have.members([
      ...envs.map((e) => naming.jenkinsAgentLabel(e)),
      ...envs.map((e) => naming.jenkinsInfraAgentLabel(e)),
      buildAgentLabel('mgmt'),
      platformAgentLabel('mgmt'),
    ]);
    // Plain YAML: no anchor or alias, which JCasC's YAML loader caps (casc.yaml.max.aliases).
    expect(files.get('jenkins.yaml')).to.not.match(/^\s*(?:- )?[&*]a\d/m);
    // No inbound TCP agent port: the load balancer opens 443 only (issue 23).
    expect(casc.jenkins.slaveAgentPort).to.equal(-1);
    for (const t of templates) {
      const infra = t.label.startsWith('ecs-infra-');
      const env = t.label.replace(/^ecs-(infra-)?/, '').replace(/-(build|platform)$/, '') as EnvironmentName;
      expect(t.launchType).to.equal('FARGATE');
      // ECS pulls from mgmt's ECR only with an execution role; the agent dials the controller's
      // HTTPS URL over WebSocket (the inbound agent's entrypoint reads JENKINS_WEB_SOCKET).
      expect(t.executionRole, t.label).to.equal(
        naming.roleArn(ssmRef(naming.accountIdParameter('mgmt')), naming.jenkinsAgentExecutionRole()),
      );
      expect(t.environments, t.label).to.deep.include({ name: 'JENKINS_WEB_SOCKET', value: 'true' });
      const role = infra
        ? naming.jenkinsInfraRole(env)
        : t.label === platformAgentLabel('mgmt')
          ? naming.jenkinsPlatformAgentRole()
          : naming.jenkinsNodeRole(env);
      expect(t.taskrole, t.label).to.equal(naming.roleArn(ssmRef(naming.accountIdParameter('mgmt')), role));
    }

    // Every credential field is a reference resolved from SSM at runtime, never a value.
    const creds = casc.credentials.system.domainCredentials.flatMap((d) => d.credentials);
    expect(creds.map((c) => Object.values(c)[0]?.id)).to.have.members([
      'github',
      'slack',
      'grafana-url',
      'grafana-token',
      // Grafana's contact points: Slack per workload environment, paging where it pages (services/on-call.ts).
      'grafana-alerts-slack-intg',
      'grafana-alerts-slack-staging',
      'grafana-alerts-slack-prod',
      'grafana-alerts-paging-prod',
    ]);
    for (const c of creds) {
      const [kind, fields] = Object.entries(c)[0] ?? [];
      for (const key of ['secret', 'password', 'username']) {
        if (fields && key in fields)
          expect(fields[key], `${kind}.${key}`).to.match(/^\$\{\/mgmt\/[a-z_/]+\}$/);
      }
    }

    expect(casc.security.globalJobDslSecurityConfiguration.useScriptSecurity).to.equal(false);
    expect(casc.unclassified.slackNotifier).to.deep.include({
      room: '#da-tdr-releases',
      tokenCredentialId: 'slack',
    });
    expect(casc.unclassified.lockableResourcesManager.declaredResources.map((r) => r.name)).to.include(
      naming.jenkinsReleaseLock('frontend', 'prod'),
    );
    const bootstrap = casc.jobs[0]?.script ?? '';
    expect(bootstrap).to.contain("pipelineJob('mgmt/seed')").and.contain("queue('mgmt/seed')");
    expect(bootstrap, 'JCasC would interpolate ${…}').to.not.contain('${');
  });

  it('renders each stage on its environment agent and lets only the admin team approve prod', () => {
    const promoteProd = files.get('pipelines/promote-prod.Jenkinsfile') ?? '';
    // Resolve, record the approval, promote (and, where ECS holds a service at its approval pause,
    // continue it to production traffic): each on prod's agent (the input steps hold none).
    const paused = promoteProd.includes("stage('Production traffic')");
    expect([...promoteProd.matchAll(/label '([^']+)'/g)].map((m) => m[1])).to.deep.equal(
      Array<string>(paused ? 4 : 3).fill('ecs-prod'),
    );
    expect(promoteProd).to.contain(`submitter: '${naming.githubTeam('admins')}'`);
    expect(promoteProd).to.contain("submitterParameter: 'APPROVER'");
    for (const [relative, content] of files) {
      const env = /pipelines\/[a-z0-9-]+?-(mgmt|sbox|intg|staging|prod)\.Jenkinsfile$/.exec(relative)?.[1];
      if (!env) continue;
      // Infra jobs run on the environment's infra agent, everything else on its release agent.
      const label = relative.startsWith('pipelines/infra-') ? `ecs-infra-${env}` : `ecs-${env}`;
      for (const m of content.matchAll(/label '([^']+)'/g)) expect(m[1], relative).to.equal(label);
    }
  });

  it('refuses to render a stage on another environment agent', () => {
    const sneaky: Pipeline = {
      id: 'sneaky',
      title: 'Sneaky',
      environment: 'intg',
      timeoutHours: 1,
      variables: {},
      credentialVariables: {},
      disableConcurrentBuilds: false,
      stages: [{ name: 'Deploy', agent: 'prod', steps: [{ kind: 'shell', argv: ['true'] }] }],
      post: {},
    };
    expect(() => renderJenkinsfile(sneaky)).to.throw(/prod's agent, not intg's/);
  });

  it('writes Groovy checks nested in a condition as plain statements, not a script block in a script block', () => {
    const guarded: Pipeline = {
      id: 'guarded',
      title: 'Guarded',
      environment: 'intg',
      timeoutHours: 1,
      variables: {},
      credentialVariables: {},
      disableConcurrentBuilds: false,
      stages: [
        {
          name: 'Check parameters',
          steps: [
            {
              kind: 'if-matches',
              parameter: 'SWITCH',
              pattern: 'on',
              steps: [
                {
                  kind: 'require-pattern',
                  parameter: 'REASON',
                  pattern: '.+',
                  optional: false,
                  hint: 'given',
                },
              ],
            },
          ],
        },
      ],
      post: {},
    };
    const rendered = renderJenkinsfile(guarded);
    expect(rendered.match(/\bscript \{/g), rendered).to.have.length(1);
    expect(rendered).to.match(
      /if \(params\.SWITCH ==~ 'on'\) \{\n\s*if \(!\(params\.REASON ==~ '\.\+'\)\) \{/,
    );
    for (const [relative, content] of files) {
      let depth = 0;
      for (const line of content.split('\n')) {
        const indentOf = line.search(/\S/);
        if (/^\s*script \{$/.test(line)) {
          expect(depth, `${relative}: script block inside a script block`).to.equal(0);
          depth = indentOf;
        } else if (depth > 0 && line.trim() === '}' && indentOf === depth) depth = 0;
      }
    }
  });

  it('keeps a hostile parameter default out of every shell step (single-quoted Groovy, no GStrings)', () => {
    const hostile = `v1"; touch /tmp/pwned; echo $(id) \`id\` '${'${params.X}'}`;
    const withHostileDefault: JenkinsModel = {
      ...model,
      jobs: model.jobs.map((j) => ({
        ...j,
        parameters: j.parameters.map((p) => (p.name === 'VERSION' ? { ...p, defaultValue: hostile } : p)),
      })),
    };
    const rendered = renderJenkins(withHostileDefault);
    const seed = rendered.get('seed.groovy') ?? '';
    // The default reaches the seed only as an escaped single-quoted literal...
    expect(seed).to.contain(`stringParam('VERSION', ${str(hostile)},`);
    for (const [relative, content] of rendered) {
      if (relative === 'seed.groovy') continue;
      // ...and no Jenkinsfile mentions it, whatever its value.
      expect(content, relative).to.not.contain('pwned');
    }
    for (const [relative, content] of rendered) {
      // jenkins.yaml embeds the seed pipeline as an escaped string; test/jenkins-groovy.test.ts parses it.
      const shLines = relative === 'jenkins.yaml' ? [] : content.split('\n').filter((l) => /\bsh\(/.test(l));
      for (const line of shLines) {
        expect(line, `${relative}: sh takes a single-quoted string`).to.match(/\bsh\((script: )?'/);
        expect(line, relative).to.not.match(/params\.|\$\{/);
      }
      expect(content, `${relative} has no GString`).to.not.match(/"[^"\n]*\$\{[^"\n]*"/);
    }
  });

  it('quotes Groovy and shell literals so that their text is data', () => {
    expect(str("it's \\ $x\n")).to.equal("'it\\'s \\\\ $x\\n'");
    expect(multiline("a 'b' '''c''' \\ d'")).to.equal("'''a 'b' \\'\\'\\'c\\'\\'\\' \\\\ d\\''''");
    expect(shellWord('v42')).to.equal('v42');
    expect(shellWord("a b'c")).to.equal("'a b'\\''c'");
    expect(shellCommand(['npx', 'tdr', '--version', { env: 'VERSION' }])).to.equal(
      'npx tdr --version "$VERSION"',
    );
    expect(() => identifier('VERSION; rm')).to.throw(/not a valid variable name/);
    expect(() => shellCommand([{ env: 'X$(id)' }])).to.throw(/not a valid variable name/);
  });
});
