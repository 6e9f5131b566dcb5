/**
 * The controller's Jenkins Configuration-as-Code file. Secrets appear only as `${/mgmt/…}`
 * references, which the SSM secret source resolves when the controller starts; the seed job is
 * created (and queued) on every start, so every other job is recreated from code.
 */
import { Document } from 'yaml';
import { naming } from '../../services/naming';
import { str } from './groovy';
import type { Credential, JenkinsModel } from './model';
import { GENERATED_MARKER, renderJenkinsfile } from './render-jenkinsfile';
import { renderJob } from './render-seed';
import { SEED_JOB } from './jobs/context';
import type { JenkinsSettings } from './settings';

/** A JCasC variable reference resolved from SSM at runtime: `${/mgmt/github/client}`. */
export function ssmRef(parameter: string): string {
  return '${' + parameter + '}';
}

export function renderCasc(model: JenkinsModel, settings: JenkinsSettings): string {
  const { teams, adminGroup, developerGroup } = model.authorisation;
  const adminTeam = teams[adminGroup];
  const developerTeam = teams[developerGroup];
  if (!adminTeam || !developerTeam) throw new Error('the admin and developer groups need GitHub teams');

  const config = {
    jenkins: {
      systemMessage: `TDR Jenkins: every job is generated from the platform repository (${GENERATED_MARKER}).`,
      // The controller runs nothing itself: builds run on the per-environment ECS agents.
      numExecutors: 0,
      mode: 'EXCLUSIVE',
      // No inbound TCP agent port: agents connect over WebSocket through the HTTPS endpoint (the
      // load balancer opens 443 only). -1 disables the port (jenkins.model.Jenkins#slaveAgentPort).
      slaveAgentPort: -1,
      markupFormatter: 'plainText',
      securityRealm: {
        github: {
          githubWebUri: 'https://github.com',
          githubApiUri: 'https://api.github.com',
          clientID: ssmRef(naming.mgmtParameter('github/client')),
          clientSecret: ssmRef(naming.mgmtParameter('github/secret')),
          oauthScopes: 'read:org,user:email',
        },
      },
      authorizationStrategy: {
        projectMatrix: {
          entries: [
            { group: { name: adminTeam, permissions: ['Overall/Administer'] } },
            { group: { name: developerTeam, permissions: ['Overall/Read', 'Job/Read', 'View/Read'] } },
          ],
        },
      },
      clouds: [ecsCloud(model, settings)],
    },
    credentials: {
      system: {
        domainCredentials: [{ credentials: model.credentials.map(cascCredential) }],
      },
    },
    security: {
      // Job DSL scripts come from code review of this repository, not from the UI.
      globalJobDslSecurityConfiguration: { useScriptSecurity: false },
    },
    unclassified: {
      location: { url: settings.jenkinsUrl },
      slackNotifier: {
        teamDomain: settings.slackTeamDomain,
        tokenCredentialId: 'slack',
        room: model.slackChannel,
        botUser: true,
      },
      lockableResourcesManager: {
        declaredResources: model.releaseLocks.map((name) => ({
          name,
          description: 'One release at a time of this service in this environment',
        })),
      },
    },
    jobs: [{ script: seedBootstrap(model) }],
  };
  const doc = new Document(config);
  doc.commentBefore = ` ${GENERATED_MARKER}\n Jenkins Configuration as Code for the TDR controller (mgmt).`;
  return doc.toString({ lineWidth: 0 });
}

/**
 * The agent's container environment that makes it connect over WebSocket: the inbound agent
 * image's entrypoint adds `-webSocket` when JENKINS_WEB_SOCKET is `true`
 * (https://github.com/jenkinsci/docker-agent/blob/master/jenkins-agent). The amazon-ecs plugin
 * itself passes only `-url <jenkinsUrl> <secret> <name>` (ECSLauncher#getDockerRunCommand,
 * https://github.com/jenkinsci/amazon-ecs-plugin), and has no WebSocket setting of its own.
 */
export const AGENT_WEBSOCKET_ENV = { name: 'JENKINS_WEB_SOCKET', value: 'true' } as const;

/**
 * The ECS cloud in mgmt: one Fargate agent template per environment and kind, each with its own
 * task role and the agents' execution role. The plugin registers one task definition per template,
 * family `{cloud name}-{template name}` (ECSService#fullQualifiedTemplateName), with these roles
 * (ECSTaskTemplate `taskrole`, `executionRole`; https://github.com/jenkinsci/amazon-ecs-plugin).
 */
function ecsCloud(model: JenkinsModel, settings: JenkinsSettings): object {
  const mgmtAccount = ssmRef(naming.accountIdParameter('mgmt'));
  return {
    ecs: {
      name: naming.jenkinsCloudName(),
      cluster: ssmRef(naming.jenkinsClusterArnParameter()),
      regionName: controllerRegion(model),
      jenkinsUrl: settings.jenkinsUrl,
      // Agents never take over another template's settings (its task role, above all).
      allowedOverrides: '',
      templates: model.agents.map((a) => ({
        templateName: a.label,
        label: a.label,
        launchType: 'FARGATE',
        networkMode: 'awsvpc',
        image: a.image,
        cpu: a.cpu,
        memoryReservation: a.memory,
        assignPublicIp: false,
        remoteFSRoot: '/home/jenkins',
        subnets: ssmRef(naming.jenkinsAgentSubnetsParameter()),
        securityGroups: ssmRef(naming.jenkinsAgentSecurityGroupParameter()),
        taskrole: naming.roleArn(mgmtAccount, a.taskRole),
        executionRole: naming.roleArn(mgmtAccount, a.executionRole),
        logDriver: 'awslogs',
        logDriverOptions: [
          { name: 'awslogs-group', value: naming.logGroup('jenkins-agent', 'mgmt') },
          { name: 'awslogs-region', value: a.region },
          { name: 'awslogs-stream-prefix', value: a.label },
        ],
        uniqueRemoteFSRoot: true,
        // A copy each: one shared object would be written as a YAML anchor and aliases.
        environments: [{ name: 'TDR_ENV', value: a.environment }, { ...AGENT_WEBSOCKET_ENV }],
      })),
    },
  };
}

function cascCredential(c: Credential): object {
  return c.type === 'string'
    ? {
        string: {
          id: c.id,
          scope: 'GLOBAL',
          description: c.description,
          secret: ssmRef(required(c.parameters, 'secret', c.id)),
        },
      }
    : {
        usernamePassword: {
          id: c.id,
          scope: 'GLOBAL',
          description: c.description,
          username: ssmRef(required(c.parameters, 'username', c.id)),
          password: ssmRef(required(c.parameters, 'password', c.id)),
        },
      };
}

function controllerRegion(model: JenkinsModel): string {
  const mgmt = model.agents.find((a) => a.environment === 'mgmt');
  if (!mgmt) throw new Error('the model has no mgmt agent: the ECS cloud lives in mgmt');
  return mgmt.region;
}

function required(parameters: Readonly<Record<string, string>>, key: string, id: string): string {
  const value = parameters[key];
  if (!value) throw new Error(`credential ${id} needs an SSM parameter for ${key}`);
  return value;
}

/** Job DSL run by JCasC: creates mgmt/seed with its pipeline embedded, then queues it. */
export function seedBootstrap(model: JenkinsModel): string {
  const seedJob = model.jobs.find((j) => j.path === SEED_JOB);
  const seedPipeline = model.pipelines.find((p) => p.id === seedJob?.pipeline);
  if (!seedJob || !seedPipeline) throw new Error(`the model has no ${SEED_JOB} job`);
  const script = renderJenkinsfile(seedPipeline);
  // JCasC would read `${…}` in the script as a variable of its own.
  if (script.includes('${')) throw new Error('the seed pipeline must not contain ${…}');
  const mgmt = model.folders.find((f) => f.path === seedJob.environment);
  return [
    ...(mgmt ? [`folder(${str(mgmt.path)}) {`, `    description(${str(mgmt.description)})`, '}'] : []),
    renderJob(model, seedJob, { inlineScript: script }),
    `queue(${str(SEED_JOB)})`,
    '',
  ].join('\n');
}
