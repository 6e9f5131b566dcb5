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
   * Agent image: a Jenkins inbound agent with node, npm and the pulumi CLI. Its tag names the Node
   * major it carries, the one `tdr` needs (cli/node-version.ts).
   */
  readonly agentImage: string;
  readonly agentCpu: number;
  readonly agentMemory: number;
  /** The platform's group of people who may run intg and staging jobs. */
  readonly developerGroup: string;
  /** How long a build may wait for an approval before it gives up. */
  readonly approvalTimeoutHours: number;
  /** Where `tdr jobs build` writes, relative to the seed job's workspace. */
  readonly outputDir: string;
  readonly nightlyReportCron: string;
}

export const DEFAULT_JENKINS_SETTINGS: JenkinsSettings = {
  githubOrganisation: 'nationalarchives',
  platformRepository: 'tdr-platform',
  platformBranch: 'main',
  e2eRepository: 'tdr-e2e-tests',
  e2eCommand: ['sbt', 'test'],
  jenkinsUrl: 'https://jenkins.tdr-management.nationalarchives.gov.uk/',
  slackTeamDomain: 'tna-digital',
  slackChannel: '#da-tdr-releases',
  agentImage: 'nationalarchives/jenkins-build-platform:node24',
  agentCpu: 1024,
  agentMemory: 2048,
  developerGroup: 'developers',
  approvalTimeoutHours: 24,
  outputDir: 'dist/jenkins',
  nightlyReportCron: 'H 6 * * *',
};

export function githubUrl(settings: JenkinsSettings, repository: string): string {
  return `https://github.com/${settings.githubOrganisation}/${repository}.git`;
}
