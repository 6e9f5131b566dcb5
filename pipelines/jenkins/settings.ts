import { KANIKO } from '../../services/kaniko';
import { naming } from '../../services/naming';
import { EXAMPLE_ORGANISATION } from '../../services/organisation';

/**
 * What Jenkins needs beyond the platform model: where the code lives, who is who on GitHub,
 * where Slack messages go, what the agents run. Values, never secrets: credentials are named by
 * the SSM parameter that holds them.
 */
export interface JenkinsSettings {
  readonly githubOrganisation: string;
  /** The platform repository (this one): jobs check it out to run `tdr`. */
  readonly platformRepository: string;
  readonly platformBranch: string;
  /** The end-to-end test suite: checked out and run by the e2e job. */
  readonly e2eRepository: string;
  readonly e2eCommand: readonly string[];
  readonly jenkinsUrl: string;
  readonly slackTeamDomain: string;
  readonly slackChannel: string;
  /**
   * The platform release (a `vN` tag of this repository) installed as `tdr` in the agent images
   * that mgmt/agent-image builds. Release jobs run that `tdr`: moving this pin is how they move
   * to a newer engine (and a changed `tdr` flag needs the pin that knows it).
   */
  readonly tdrVersion: string;
  /**
   * Agent image: a Jenkins inbound agent with Node, `tdr` at `tdrVersion` and the Pulumi CLI, in
   * mgmt's ECR. Its tag names the platform release and the Node major `tdr` needs (cli/node-version.ts).
   */
  readonly agentImage: string;
  readonly agentCpu: number;
  readonly agentMemory: number;
  /** The build agent: the agent image plus sbt and the build scripts; it starts Kaniko's own ECS task to build images (mgmt only: images are built and pushed there). */
  readonly buildAgentImage: string;
  readonly buildAgentCpu: number;
  readonly buildAgentMemory: number;
  /** The platform agent: what this repository's own `npm test` needs (the root Jenkinsfile's Build stage). */
  readonly platformAgentImage: string;
  readonly platformAgentCpu: number;
  readonly platformAgentMemory: number;
  /** A build stops if its image's scan on push finds anything at or above this severity. */
  readonly scanFailSeverity: 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW';
  /** Where builds report a failed stage (not the release channel: every branch builds). */
  readonly buildSlackChannel: string;
  /** The platform's group of people who may run intg and staging jobs. */
  readonly developerGroup: string;
  /** How long a build may wait for an approval before it gives up. */
  readonly approvalTimeoutHours: number;
  /** Where `tdr jobs build` writes, relative to the seed job's workspace. */
  readonly outputDir: string;
  readonly nightlyReportCron: string;
}

/** Node's major, in the agent images' tags: the one `tdr` needs. */
export const AGENT_NODE_MAJOR = 24;
const TDR_VERSION = 'v1';

/**
 * mgmt's ECR repositories of the agent images; each is built from the Dockerfile target of the
 * same name as its image (pipelines/jenkins/agent/Dockerfile: `agent`, `build-agent`, `platform-agent`).
 */
export const AGENT_IMAGE_REPOSITORIES = {
  agent: naming.jenkinsImageRepository('agent'),
  buildAgent: naming.jenkinsImageRepository('build-agent'),
  platformAgent: naming.jenkinsImageRepository('platform-agent'),
} as const;

/** The agent images with the Dockerfile target each is built from. */
export const AGENT_IMAGE_TARGETS = [
  { repository: AGENT_IMAGE_REPOSITORIES.agent, target: 'agent' },
  { repository: AGENT_IMAGE_REPOSITORIES.buildAgent, target: 'build-agent' },
  { repository: AGENT_IMAGE_REPOSITORIES.platformAgent, target: 'platform-agent' },
] as const;

export const AGENT_DOCKERFILE = 'pipelines/jenkins/agent/Dockerfile';

export function agentImageTag(tdrVersion: string): string {
  return `${tdrVersion}-node${AGENT_NODE_MAJOR}`;
}

/**
 * What the stand-up plan's "Jenkins images" step builds and pushes (infra/bootstrap/plan.ts
 * `JenkinsImages`): the controller, the agents at the release they install, and Kaniko's own image
 * (services/kaniko.ts). One place, for `tdr bootstrap plan` and the plan's tests.
 */
export function standUpJenkinsImages(settings: JenkinsSettings = DEFAULT_JENKINS_SETTINGS) {
  return {
    controller: {
      repository: naming.jenkinsImageRepository('controller'),
      dockerfile: 'pipelines/jenkins/controller/Dockerfile',
      context: settings.outputDir,
      render: `npx tdr jobs build --out ${settings.outputDir}`,
    },
    agents: {
      dockerfile: AGENT_DOCKERFILE,
      release: settings.tdrVersion,
      tag: agentImageTag(settings.tdrVersion),
      targets: AGENT_IMAGE_TARGETS,
    },
    kaniko: {
      dockerfile: AGENT_DOCKERFILE,
      repository: naming.jenkinsImageRepository('kaniko'),
      target: KANIKO.target,
      tag: KANIKO.version,
    },
    digestKey: 'tdr:jenkinsControllerImageDigest',
    stackConfigFile: 'infra/stacks/Pulumi.mgmt.yaml',
  };
}

/** An image in mgmt's ECR; JCasC resolves the account from SSM, so no account id is written here. */
export function mgmtImage(repository: string, tag: string): string {
  return `\${${naming.accountIdParameter('mgmt')}}.dkr.ecr.eu-west-2.amazonaws.com/${repository}:${tag}`;
}

export const DEFAULT_JENKINS_SETTINGS: JenkinsSettings = {
  // The organisation's own names live in services/organisation.ts.
  githubOrganisation: EXAMPLE_ORGANISATION.githubOrganisation,
  platformRepository: 'tdr-platform',
  platformBranch: 'main',
  e2eRepository: 'tdr-e2e-tests',
  e2eCommand: ['sbt', 'test'],
  jenkinsUrl: 'https://jenkins.tdr-management.nationalarchives.gov.uk/',
  slackTeamDomain: EXAMPLE_ORGANISATION.slack.teamDomain,
  slackChannel: EXAMPLE_ORGANISATION.slack.releaseChannel,
  tdrVersion: TDR_VERSION,
  agentImage: mgmtImage(AGENT_IMAGE_REPOSITORIES.agent, agentImageTag(TDR_VERSION)),
  agentCpu: 1024,
  agentMemory: 2048,
  buildAgentImage: mgmtImage(AGENT_IMAGE_REPOSITORIES.buildAgent, agentImageTag(TDR_VERSION)),
  buildAgentCpu: 4096,
  buildAgentMemory: 16384,
  platformAgentImage: mgmtImage(AGENT_IMAGE_REPOSITORIES.platformAgent, agentImageTag(TDR_VERSION)),
  // The unit and integration suites with moto_server and chromium: the build agent's size.
  platformAgentCpu: 4096,
  platformAgentMemory: 16384,
  scanFailSeverity: 'HIGH',
  buildSlackChannel: EXAMPLE_ORGANISATION.slack.buildChannel,
  developerGroup: 'developers',
  approvalTimeoutHours: 24,
  outputDir: 'dist/jenkins',
  nightlyReportCron: 'H 6 * * *',
};

export function githubUrl(settings: JenkinsSettings, repository: string): string {
  return `https://github.com/${settings.githubOrganisation}/${repository}.git`;
}
