/**
 * The plugins of the controller image, each pinned, with the reason it is installed. The image is
 * built from the rendered `plugins.txt` (`jenkins-plugin-cli --plugin-file plugins.txt`, README);
 * a pin moves only with a change here, reviewed like any other (jenkins-plugin-cli fails the image
 * build when a pin needs a newer Jenkins core or conflicts with another).
 */
/**
 * The Jenkins core the controller runs, chosen by what the pins need: the highest `requiredCore`
 * in ./plugin-snapshot.json is configuration-as-code's 2.541.1, an LTS (the `.1` of an LTS line).
 * The controller image (controller/Dockerfile) and the mgmt stack name this image;
 * ./plugins.test.ts fails when a pin needs more.
 */
export const JENKINS_CORE = '2.541.1';
/**
 * The stock image the controller image (controller/Dockerfile, `ARG JENKINS_IMAGE`) is built FROM.
 * Nothing runs it as is: the bootstrap plan's "Jenkins images" step pushes the controller image,
 * and the mgmt stack runs that by digest (`tdr:jenkinsControllerImageDigest`;
 * infra/accounts/mgmt-jenkins.test.ts).
 */
export const JENKINS_CONTROLLER_BASE_IMAGE = `jenkins/jenkins:${JENKINS_CORE}-lts-jdk21`;

export interface JenkinsPlugin {
  readonly version: string;
  readonly why: string;
}

export const JENKINS_PLUGINS = {
  'configuration-as-code': { version: '2053.vb_0da_47381a_25', why: 'jenkins.yaml' },
  'configuration-as-code-secret-ssm': {
    version: '1.0.1',
    why: 'resolves the ${/mgmt/…} references in jenkins.yaml from SSM',
  },
  'job-dsl': { version: '1.93', why: 'the seed job and jobs: in jenkins.yaml' },
  'cloudbees-folder': { version: '6.1079.vc0975c2de294', why: 'folders per environment and service' },
  'workflow-aggregator': { version: '608.v67378e9d3db_1', why: 'declarative pipelines' },
  'pipeline-input-step': { version: '540.v14b_100d754dd', why: 'approvals (input with submitter)' },
  'pipeline-milestone-step': { version: '138.v78ca_76831a_43', why: 'milestones' },
  'lockable-resources': { version: '1327.ved786b_a_197e0', why: 'a lock per service and environment' },
  'pipeline-utility-steps': { version: '2.19.0', why: 'readJSON of tdr status -o json' },
  'pipeline-build-step': { version: '584.vdb_a_2cc3a_d07a_', why: 'triggering e2e and infrastructure jobs' },
  git: { version: '5.10.0', why: 'checking out the platform and e2e repositories' },
  'github-branch-source': {
    version: '1967.vdea_d580c1a_b_a_',
    why: 'the platform multibranch job and the build jobs',
  },
  'inline-pipeline': {
    version: '1.0.32.vf433f2d57630',
    why: 'the build jobs: one template pipeline for every source repository',
  },
  'credentials-binding': {
    // git 5.10.0 needs 702.vfe613e537e88 or later (its BOM, plugin-snapshot.json).
    version: '702.vfe613e537e88',
    why: 'the build pushes its vN tag (withCredentials, gitUsernamePassword)',
  },
  'github-oauth': { version: '685.v53b_070455063', why: 'GitHub login' },
  'matrix-auth': { version: '3.2.8', why: 'authorisation by team' },
  'amazon-ecs': { version: '1.49', why: 'Fargate agents per environment' },
  slack: { version: '2.49', why: 'release notifications' },
} as const satisfies Readonly<Record<string, JenkinsPlugin>>;

/**
 * Job DSL methods the seed uses that job-dsl-core does not define: in Jenkins each comes from an
 * installed plugin ("dynamic DSL"), so the offline engine (test/jenkins-jobdsl.test.ts) can only
 * allow them. Each names the plugin that contributes it and the pinned plugin that installs it.
 */
export const JOB_DSL_DYNAMIC_METHODS: Readonly<
  Record<string, { readonly plugin: string; readonly installedBy: keyof typeof JENKINS_PLUGINS }>
> = {
  authorizationMatrix: { plugin: 'matrix-auth', installedBy: 'matrix-auth' },
  pipelineTriggers: { plugin: 'workflow-job', installedBy: 'workflow-aggregator' },
  branchSource: { plugin: 'branch-api', installedBy: 'github-branch-source' },
  workflowBranchProjectFactory: { plugin: 'workflow-multibranch', installedBy: 'workflow-aggregator' },
  inlineDefinitionBranchProjectFactory: { plugin: 'inline-pipeline', installedBy: 'inline-pipeline' },
  periodicFolderTrigger: { plugin: 'cloudbees-folder', installedBy: 'cloudbees-folder' },
};
