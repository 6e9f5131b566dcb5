/**
 * The first stand-up of the platform on real accounts, in order: the bootstrap, then mgmt, then
 * the other accounts, then the Jenkins controller, then the seed job. Each step is the commands
 * to run and what to check after them. Pure: `tdr bootstrap plan` prints it, the runbook
 * (docs/runbook-first-standup.md) follows it.
 */
import type { AccountIds, Platform } from '../../services/config';
import { ecsEntries, ecsServices, functionPackageFile, functions } from '../../services/queries';
import type { SsoApproverGrant } from './sso-approvers';

export { ssoApproverGrants, type SsoApproverGrant } from './sso-approvers';
import { INITIAL_IMAGE_TAG } from '../accounts/settings';
import { INITIAL_FUNCTION_VERSION } from '../definitions/lambda';
import {
  ENVIRONMENT_NAMES,
  WORKLOAD_ENVIRONMENTS,
  type EnvironmentName,
  type WorkloadEnvironmentName,
} from '../../services/environments';
import { JENKINS_IMAGES, naming } from '../../services/naming';
import {
  ORGANISATION_PARAMETER_DESCRIPTION,
  ORGANISATION_PARAMETER_MAX_BYTES,
} from '../../services/organisation';
import { BOOTSTRAP_SETTINGS } from './definitions';

/**
 * Something a step leaves behind that a later step (or a stack) needs: what the stand-up order
 * test (./standup-order.test.ts) matches requirements against, and what `tdr bootstrap check` looks for.
 */
export type StandUpItem =
  | { readonly kind: 'stack'; readonly stack: string }
  | { readonly kind: 'role'; readonly arn: string }
  | { readonly kind: 'bucket'; readonly bucket: string }
  | { readonly kind: 'repository'; readonly repository: string }
  | { readonly kind: 'image'; readonly repository: string; readonly tag: string }
  | { readonly kind: 'package'; readonly bucket: string; readonly key: string }
  | { readonly kind: 'parameter'; readonly name: string; readonly type: 'String' | 'SecureString' }
  // What a workload stack creates that the release engine goes on to use, seen through the
  // account's read-only TDRReleaseReaderRole{Env} (`tdr bootstrap check`).
  | {
      readonly kind: 'service';
      readonly env: WorkloadEnvironmentName;
      readonly cluster: string;
      readonly service: string;
    }
  | {
      readonly kind: 'function';
      readonly env: WorkloadEnvironmentName;
      readonly functionName: string;
      readonly alias: string;
    }
  | { readonly kind: 'loadBalancer'; readonly env: WorkloadEnvironmentName; readonly name: string };

export interface StandUpStep {
  readonly step: number;
  readonly title: string;
  /** Whose credentials the commands run with (every step runs from mgmt). */
  readonly runsAs: string;
  readonly commands: readonly string[];
  readonly check: string;
  readonly creates: readonly StandUpItem[];
}

/** An image the workload stacks start every service and task from, built by hand once. */
export interface InitialImage {
  readonly repository: string;
  /** The GitHub repository it is built from, its Dockerfile and the command preparing its context. */
  readonly sourceRepository: string;
  readonly dockerfile: string;
  readonly package: string;
}

/** A function's first package, which the workload stacks create the function from. */
export interface InitialPackage {
  readonly function: string;
  readonly key: string;
  readonly sourceRepository: string;
  readonly package: string;
  /** Where the package command leaves the file, relative to the repository. */
  readonly artifact: string;
}

/** An SSM parameter jenkins.yaml or the release engine reads, and who writes it. */
export interface ReadParameter {
  readonly name: string;
  /** `hand`: a person puts it (a secret, SecureString); else the step that writes it (String). */
  readonly writtenBy: 'hand' | 'bootstrap' | 'mgmt';
  readonly hint: string;
}

/**
 * The Jenkins images, built from the operator's machine before mgmt's first `pulumi up` (which runs
 * the controller by digest) and before any agent exists to build them (pipelines/jenkins/agent).
 */
export interface JenkinsImages {
  /** The controller: `render` writes plugins.txt and jenkins.yaml into `context`, the Dockerfile bakes them in. */
  readonly controller: {
    readonly repository: string;
    readonly dockerfile: string;
    readonly context: string;
    readonly render: string;
  };
  /** The agents: one Dockerfile target per repository, built from the platform at its release tag. */
  readonly agents: {
    readonly dockerfile: string;
    /** The platform release (git tag) the agents install as `tdr`. */
    readonly release: string;
    readonly tag: string;
    readonly targets: ReadonlyArray<{ readonly repository: string; readonly target: string }>;
  };
  /**
   * Kaniko's own image (services/kaniko.ts), which the mgmt stack's Kaniko task runs by this tag
   * and every later image build runs in. Built from this checkout's Dockerfile, not the release's.
   */
  readonly kaniko?: {
    readonly dockerfile: string;
    readonly repository: string;
    readonly target: string;
    readonly tag: string;
  };
  /** The stack config key and file the controller's digest goes into. */
  readonly digestKey: string;
  readonly stackConfigFile: string;
}

export interface StandUpInput {
  readonly accountIds: AccountIds;
  readonly region: string;
  /** The administrator's role in mgmt (an SSO permission set's role): runs the bootstrap, then stands in for Jenkins. */
  readonly adminRoleArn: string;
  /** SSM parameters (in mgmt) the controller's jenkins.yaml and the release engine read. */
  readonly controllerParameters: readonly string[];
  /** What the seed job creates: its folders and its jobs (the jobs `tdr jobs list` prints). */
  readonly seed: { readonly folders: number; readonly jobs: number };
  readonly jenkinsUrl: string;
  readonly githubOrganisation: string;
  readonly initialImages: readonly InitialImage[];
  readonly initialPackages: readonly InitialPackage[];
  readonly jenkinsImages: JenkinsImages;
  /** The preservation system's PreservationExportReader{Env} roles (the organisation config). */
  readonly preservationRoleArns: readonly string[];
  /** The catalogue's ECS services and Lambda functions, which every workload stack creates. */
  readonly services: readonly string[];
  readonly functions: readonly string[];
  /** IAM Identity Center permission sets among an environment's approvers (`ssoApproverGrants`). */
  readonly ssoApprovers?: readonly SsoApproverGrant[];
}

/** What must exist before step 1, outside this repository, and who provides it. */
export interface Prerequisite {
  readonly what: string;
  readonly why: string;
  readonly creates: readonly StandUpItem[];
}

export function standUpPrerequisites(input: StandUpInput): Prerequisite[] {
  return [
    {
      what:
        `The five accounts in one AWS Organization; administrators of mgmt (${input.accountIds.mgmt}) may assume ` +
        `${BOOTSTRAP_SETTINGS.adminRoleName} in the other four`,
      why: "the bootstrap creates each account's deploy role through that role",
      creates: [],
    },
    {
      what: 'IAM Identity Center enabled in the Organization, with the groups of the Grafana admins and viewers',
      why: "the mgmt stack's Amazon Managed Grafana workspace signs people in with IAM Identity Center (AWS_SSO)",
      creates: [],
    },
    {
      what:
        `On GitHub (${input.githubOrganisation}): an OAuth app for the Jenkins login (callback ${input.jenkinsUrl}securityRealm/finishLogin), ` +
        `a machine user that checks code out, and on each built repository a webhook to ${input.jenkinsUrl}github-webhook/`,
      why: 'jenkins.yaml reads the app and the machine user from SSM (step of the controller); builds start from the webhooks',
      creates: [],
    },
    {
      what:
        'In Slack: an app with a bot token (Jenkins) and an incoming webhook (release notifications); ' +
        'the workspace authorised in the AWS Chatbot console of each workload account',
      why: "the workload stacks' alarm channels are AWS Chatbot Slack channel configurations, which need the authorised workspace id",
      creates: [],
    },
    {
      what: `The preservation system's roles, in its own account: ${input.preservationRoleArns.join(', ')}`,
      why: "the workload stacks name them in the export bucket's and topic's policies, and IAM refuses a principal that does not exist",
      creates: input.preservationRoleArns.map((arn): StandUpItem => ({ kind: 'role', arn })),
    },
    {
      what:
        'The organisation config: a JSON file (services/organisation.ts says every field and where it comes from), named by TDR_ORGANISATION, ' +
        `at most ${ORGANISATION_PARAMETER_MAX_BYTES} bytes`,
      why:
        '`tdr bootstrap plan` and every real pulumi run refuse while it is missing or holds an example value; ' +
        `step 1 stores it in SSM ${naming.organisationParameter()}, a standard-tier parameter, from which the Jenkins infra jobs fetch it`,
      creates: [],
    },
    {
      what: 'The Pulumi CLI, Node 24 (source scripts/use-node.sh), the AWS CLI v2, docker and git; `npm ci` run in the repository',
      why: "Pulumi's Node.js runtime loads the programs' packages from the repository's node_modules",
      creates: [],
    },
  ];
}

/** The order account stacks are first applied in: mgmt (Jenkins, ECR, the ledger) before the rest. */
const ACCOUNT_ORDER: readonly EnvironmentName[] = ['mgmt', ...ENVIRONMENT_NAMES.filter((e) => e !== 'mgmt')];

const ADMIN = 'the administrator, in mgmt';

const WORKLOAD_ORDER = ACCOUNT_ORDER.filter((e) => e !== 'mgmt' && e !== 'sbox');

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * Every real pulumi run is preceded by `tdr preflight` (cli/preflight.ts): an example value left in
 * the organisation stops it with exit 2, naming each field, before Pulumi starts (the program's
 * own refusal would exit with Pulumi's code).
 */
export const preflight = (stack: string) => `npx tdr preflight --stack ${stack} && `;

// eslint-disable-next-line max-lines-per-function -- the stand-up's steps in order, one entry each, as the runbook prints them.
export function firstStandUp(input: StandUpInput): StandUpStep[] {
  const { accountIds: ids, region } = input;
  const ids_ = quote(JSON.stringify(ids));
  const backend = quote(naming.pulumiBackendUrl(region));
  const secrets = quote(naming.pulumiSecretsProvider(region));
  const steps: Array<Omit<StandUpStep, 'step'>> = [
    {
      title: 'Bootstrap: state bucket, secrets key, infra and deploy roles, account ids',
      runsAs: ADMIN,
      commands: [
        '# TDR_ADMIN_PROFILE: your AWS CLI profile for the administrator role in mgmt',
        '# TDR_ORGANISATION: the absolute path of your organisation file (every real pulumi run reads it; see the prerequisites)',
        'export AWS_PROFILE="$TDR_ADMIN_PROFILE"',
        'cd "$(git rev-parse --show-toplevel)" && npm ci --no-audit --no-fund',
        'cd infra/bootstrap',
        // The bucket does not exist yet: the bootstrap starts on a local backend and moves in below.
        'pulumi login --local',
        "PULUMI_CONFIG_PASSPHRASE='' pulumi stack init bootstrap --secrets-provider passphrase",
        `pulumi config set --path 'tdr-bootstrap:standUpRoleArns[0]' ${quote(input.adminRoleArn)}`,
        `${preflight('bootstrap')}TDR_ACCOUNT_IDS=${ids_} PULUMI_CONFIG_PASSPHRASE='' pulumi up --stack bootstrap`,
        // The Jenkins infra jobs have no operator's file: they fetch this before their preflight
        // (pipelines/jenkins/jobs/infra.ts). Not secret, so a String; preflight has checked it fits
        // a standard parameter (services/organisation.ts). Put again whenever the file changes.
        `${preflight('bootstrap')}aws ssm put-parameter --region ${region} --name ${naming.organisationParameter()} --type String --tier Standard --overwrite --description ${quote(ORGANISATION_PARAMETER_DESCRIPTION)} --value "file://$TDR_ORGANISATION"`,
      ],
      check:
        `aws s3api get-bucket-versioning --bucket ${naming.pulumiStateBucket()} says Enabled; ` +
        `aws ssm get-parameter --name ${naming.accountIdParameter('prod')} gives ${ids.prod}; ` +
        `aws ssm get-parameter --name ${naming.organisationParameter()} gives your organisation file; ` +
        `${naming.pulumiDeployRole('intg')} exists in ${ids.intg} (created through ${BOOTSTRAP_SETTINGS.adminRoleName})`,
      creates: [
        { kind: 'stack', stack: 'bootstrap' },
        { kind: 'bucket', bucket: naming.pulumiStateBucket() },
        // The Jenkins images' repositories (./definitions.ts, jenkinsImageRepositories).
        ...JENKINS_IMAGES.map((i): StandUpItem => ({
          kind: 'repository',
          repository: naming.jenkinsImageRepository(i),
        })),
        ...ENVIRONMENT_NAMES.map((e): StandUpItem => ({
          kind: 'role',
          arn: naming.roleArn(ids.mgmt, naming.jenkinsInfraRole(e)),
        })),
        ...ENVIRONMENT_NAMES.map((e): StandUpItem => ({
          kind: 'parameter',
          name: naming.accountIdParameter(e),
          type: 'String',
        })),
        { kind: 'parameter', name: naming.organisationParameter(), type: 'String' },
      ],
    },
    {
      title: "Move the bootstrap's state into the bucket it created, encrypted with its key",
      runsAs: ADMIN,
      commands: [
        "PULUMI_CONFIG_PASSPHRASE='' pulumi stack export --stack bootstrap --show-secrets --file bootstrap-state.json",
        `pulumi login ${backend}`,
        `pulumi stack init bootstrap --secrets-provider ${secrets}`,
        'pulumi stack import --stack bootstrap --file bootstrap-state.json && rm bootstrap-state.json',
        `${preflight('bootstrap')}TDR_ACCOUNT_IDS=${ids_} pulumi preview --stack bootstrap`,
      ],
      check: 'the preview shows no changes; `pulumi stack ls` lists bootstrap in the S3 backend',
      creates: [],
    },
    jenkinsImagesStep(input),
    accountStep(input, 'mgmt'),
    seedStep(input),
    ...ACCOUNT_ORDER.filter((e) => e !== 'mgmt').map((env) => accountStep(input, env)),
    {
      title:
        'The Jenkins controller: the SSM parameters it and the release engine read, its image and configuration',
      runsAs: ADMIN,
      commands: [
        'export AWS_PROFILE="$TDR_ADMIN_PROFILE"',
        'cd "$(git rev-parse --show-toplevel)"',
        // Only secrets are put by hand (SecureString); what a stack wrote is named, never put again.
        ...readParameters(input.controllerParameters).map((p) =>
          p.writtenBy === 'hand'
            ? `aws ssm put-parameter --type SecureString --name ${p.name} --value "$VALUE"  # ${p.hint}`
            : `# ${p.name}: String, ${p.hint}; do not put it by hand`,
        ),
        // The controller image was pushed by 'The Jenkins images'; it starts again to read the secrets.
        `aws ecs update-service --cluster ${naming.jenkinsCluster()} --service ${naming.jenkinsControllerService()} --force-new-deployment`,
      ],
      check:
        `${input.jenkinsUrl} shows the GitHub login; Manage Jenkins → Configuration as Code applied jenkins.yaml with no error; ` +
        `the ECS cloud lists an agent template per account (ecs-{env} and ecs-infra-{env})`,
      creates: readParameters(input.controllerParameters)
        .filter((p) => p.writtenBy === 'hand')
        .map((p): StandUpItem => ({ kind: 'parameter', name: p.name, type: 'SecureString' })),
    },
    {
      title: 'The seed job: every other job, from pipelines/jenkins',
      runsAs: ADMIN,
      commands: ['# JCasC queues mgmt/seed on every controller start; run it again by hand if it failed'],
      check:
        `mgmt/seed succeeded and created ${input.seed.jobs} jobs (the ${input.seed.jobs} rows of \`npx tdr jobs list\`) ` +
        `in ${input.seed.folders} folders; mgmt/platform scanned main`,
      creates: [],
    },
    {
      title: "Day one in the ledger: adopt what the stand-up started as each environment's baseline",
      runsAs:
        'Jenkins: the seeded {env}/ledger-adopt job, on the ecs-{env} agent (only its node role may assume the update role)',
      commands: [
        // The seed created the jobs (pipelines/jenkins/jobs/adopt.ts); each runs `tdr ledger adopt --env E` once.
        ...WORKLOAD_ORDER.map(
          (env) =>
            `# ${input.jenkinsUrl}job/${env}/job/ledger-adopt/: Build Now, once (tdr ledger adopt --env ${env}; a second build adopts nothing)`,
        ),
      ],
      check:
        '`npx tdr status` shows no DRIFT row; `npx tdr history --service S --env E` shows the baseline record',
      creates: [],
    },
    {
      title: 'Stop standing in for Jenkins: only the infra agents may assume the deploy roles now',
      runsAs: ADMIN,
      commands: [
        'export AWS_PROFILE="$TDR_ADMIN_PROFILE"',
        'cd "$(git rev-parse --show-toplevel)/infra/bootstrap"',
        'pulumi config rm tdr-bootstrap:standUpRoleArns --stack bootstrap',
        `${preflight('bootstrap')}TDR_ACCOUNT_IDS=${ids_} pulumi up --stack bootstrap`,
      ],
      check:
        `aws iam get-role --role-name ${naming.jenkinsInfraRole('prod')} trusts ecs-tasks.amazonaws.com only; ` +
        'the next merge to main applies intg through intg/infra/apply',
      creates: [],
    },
  ];
  // What a step creates, `tdr bootstrap check` looks for: the administrator reaches the workload
  // accounts through the Organization's role (the reader roles trust only the mgmt agents).
  return steps.map((s, i) => ({
    step: i + 1,
    ...s,
    check:
      s.creates.length === 0
        ? s.check
        : `${s.check}; read-only, item by item: \`npx tdr bootstrap check --step ${i + 1} --workload-role organisation\``,
  }));
}

/**
 * The controller and agent images, pushed to the repositories the bootstrap created. Nothing else
 * can build them yet: the agents that would are these images. The controller's digest goes into
 * mgmt's stack config (a reviewed commit), which a real run refuses while it is the example.
 */
function jenkinsImagesStep(input: StandUpInput): Omit<StandUpStep, 'step'> {
  const { controller, agents, kaniko, digestKey, stackConfigFile } = input.jenkinsImages;
  const registry = `${input.accountIds.mgmt}.dkr.ecr.${input.region}.amazonaws.com`;
  // The Kaniko stage copies nothing from its context: an empty one sends nothing to the builder.
  const kanikoCommands = kaniko
    ? [
        `docker build -f ${kaniko.dockerfile} --target ${kaniko.target} -t ${registry}/${kaniko.repository}:${kaniko.tag} "$(mktemp -d)"`,
        `docker push ${registry}/${kaniko.repository}:${kaniko.tag}`,
      ]
    : [];
  const kanikoImages = kaniko ? [{ repository: kaniko.repository, tag: kaniko.tag }] : [];
  const controllerImage = `${registry}/${controller.repository}:"$CONTROLLER_TAG"`;
  return {
    title:
      "The Jenkins images: the controller (plugins and JCasC baked in), the agents and Kaniko, into mgmt's ECR",
    runsAs: ADMIN,
    commands: [
      'export AWS_PROFILE="$TDR_ADMIN_PROFILE"',
      'cd "$(git rev-parse --show-toplevel)"',
      `aws ecr get-login-password --region ${input.region} | docker login --username AWS --password-stdin ${registry}`,
      controller.render,
      // ECR tags are immutable: the commit names the build, the digest is what the stack runs.
      'CONTROLLER_TAG="$(git rev-parse --short=12 HEAD)"',
      `docker build -f ${controller.dockerfile} -t ${controllerImage} ${controller.context}`,
      `docker push ${controllerImage}`,
      `DIGEST="$(aws ecr describe-images --repository-name ${controller.repository} --image-ids imageTag="$CONTROLLER_TAG" --query 'imageDetails[0].imageDigest' --output text)"`,
      `sed -i "s|^  ${digestKey}: .*|  ${digestKey}: $DIGEST|" ${stackConfigFile}`,
      `git commit -m "mgmt: run the Jenkins controller $DIGEST" ${stackConfigFile}  # review and merge it: the digest is what runs`,
      // The agents install `tdr` at the release they are tagged with, so they build from that tag.
      `AGENT_SRC="$(mktemp -d)" && git fetch --tags && git worktree add --detach "$AGENT_SRC" ${quote(agents.release)}`,
      ...agents.targets.flatMap((t) => [
        `docker build -f ${agents.dockerfile} --target ${t.target} -t ${registry}/${t.repository}:${agents.tag} "$AGENT_SRC"`,
        `docker push ${registry}/${t.repository}:${agents.tag}`,
      ]),
      'git worktree remove --force "$AGENT_SRC"',
      ...kanikoCommands,
    ],
    check:
      `aws ecr describe-images --repository-name ${controller.repository} finds the commit's tag with the digest now in ${stackConfigFile}; ` +
      `aws ecr describe-images --repository-name R --image-ids imageTag=${agents.tag} finds each of ${agents.targets.map((t) => t.repository).join(', ')}` +
      kanikoImages.map((k) => `; ${k.repository}:${k.tag} is there too`).join(''),
    creates: [
      ...agents.targets.map((t) => ({ repository: t.repository, tag: agents.tag })),
      ...kanikoImages,
    ].map((i): StandUpItem => ({ kind: 'image', repository: i.repository, tag: i.tag })),
  };
}

function accountStep(input: StandUpInput, env: EnvironmentName): Omit<StandUpStep, 'step'> {
  const region = input.region;
  const profile = `tdr-infra-${env}`;
  const infraRole = naming.roleArn(input.accountIds.mgmt, naming.jenkinsInfraRole(env));
  const plan = `${env}-plan.json`;
  return {
    title: `The ${env} account: pulumi up --stack ${env}, as Jenkins will run it`,
    runsAs: `${naming.jenkinsInfraRole(env)}, assumed from the administrator's role`,
    commands: [
      // The administrator stands in for the infra agent: the same role, the same hop, the same checks.
      `aws configure set profile.${profile}.role_arn ${infraRole}`,
      `aws configure set profile.${profile}.source_profile "$TDR_ADMIN_PROFILE"`,
      'cd "$(git rev-parse --show-toplevel)"',
      `export AWS_PROFILE=${profile} TDR_ACCOUNT_IDS=${quote(JSON.stringify(input.accountIds))}`,
      `pulumi login ${quote(naming.pulumiBackendUrl(region))}`,
      `pulumi stack init ${naming.pulumiStack(env)} --secrets-provider ${quote(naming.pulumiSecretsProvider(region))}`,
      `${preflight(naming.pulumiStack(env))}pulumi preview --stack ${naming.pulumiStack(env)} --save-plan ${plan}`,
      `${preflight(naming.pulumiStack(env))}pulumi up --stack ${naming.pulumiStack(env)} --plan ${plan}`,
    ],
    check:
      env === 'mgmt'
        ? `the stack outputs jenkinsUrl and ledgerBucket ${naming.ledgerBucket()}; ECR holds one repository per catalogue image`
        : `pulumi stack output --stack ${env} shows the account's outputs; nothing was created outside ${input.accountIds[env]}` +
          (input.ssoApprovers ?? [])
            .filter((g) => g.env === env)
            .map(
              (g) =>
                `; in IAM Identity Center (not this stack), the permission set ${g.permissionSet}'s own policy allows sts:AssumeRole on ${g.approvalRoleArn}, so that its approvers can continue a held deployment: as one of them, \`aws sts assume-role --role-arn ${g.approvalRoleArn} --role-session-name check\` succeeds`,
            )
            .join(''),
    creates: [
      { kind: 'stack', stack: naming.pulumiStack(env) },
      // What `tdr bootstrap check` can see of mgmt's stack from mgmt: what the stand-up goes on to use.
      ...(env === 'mgmt'
        ? [
            { kind: 'bucket', bucket: naming.ledgerBucket() } as const,
            { kind: 'bucket', bucket: naming.backendCodeBucket() } as const,
            ...input.initialImages.map((i): StandUpItem => ({
              kind: 'repository',
              repository: i.repository,
            })),
            ...ENVIRONMENT_NAMES.filter((e) => e !== 'sbox').map((e): StandUpItem => ({
              kind: 'role',
              arn: naming.roleArn(input.accountIds.mgmt, naming.jenkinsNodeRole(e)),
            })),
          ]
        : []),
      ...workloadItems(input, env),
    ],
  };
}

/**
 * What a workload stack creates that releases act on: each catalogue service, each function's
 * `live` alias and the public load balancer (the maintenance switch). sbox runs no releases.
 */
function workloadItems(input: StandUpInput, env: EnvironmentName): StandUpItem[] {
  const workload = WORKLOAD_ENVIRONMENTS.find((e) => e === env);
  if (!workload) return [];
  return [
    ...input.services.map((s): StandUpItem => ({
      kind: 'service',
      env: workload,
      cluster: naming.cluster(s, workload),
      service: naming.ecsService(s, workload),
    })),
    ...input.functions.map((f): StandUpItem => ({
      kind: 'function',
      env: workload,
      functionName: naming.functionName(f, workload),
      alias: naming.functionAlias(),
    })),
    { kind: 'loadBalancer', env: workload, name: naming.loadBalancer(workload) },
  ];
}

/**
 * What the workload stacks start from, which no stack creates: every service and task starts from
 * `{repository}:initial` and every function from its `v1` package (infra/definitions), so these
 * exist before the first workload stack.
 */
function seedStep(input: StandUpInput): Omit<StandUpStep, 'step'> {
  const registry = `${input.accountIds.mgmt}.dkr.ecr.${input.region}.amazonaws.com`;
  const bucket = naming.backendCodeBucket();
  const clone = (repo: string) =>
    `git clone --depth 1 https://github.com/${input.githubOrganisation}/${repo}.git "$SEED/${repo}"`;
  const repos = [
    ...new Set([
      ...input.initialImages.map((i) => i.sourceRepository),
      ...input.initialPackages.map((p) => p.sourceRepository),
    ]),
  ];
  return {
    title: `What the workload stacks start from: ${input.initialImages.length} images tagged ${INITIAL_TAG}, ${input.initialPackages.length} function packages v1`,
    runsAs: ADMIN,
    commands: [
      'export AWS_PROFILE="$TDR_ADMIN_PROFILE" SEED="$(mktemp -d)"',
      `aws ecr get-login-password --region ${input.region} | docker login --username AWS --password-stdin ${registry}`,
      ...repos.map(clone),
      ...input.initialImages.flatMap((i) => [
        `(cd "$SEED/${i.sourceRepository}" && ${i.package} && docker build -f ${i.dockerfile} -t ${registry}/${i.repository}:${INITIAL_TAG} . && docker push ${registry}/${i.repository}:${INITIAL_TAG})`,
      ]),
      ...input.initialPackages.map(
        (p) =>
          `(cd "$SEED/${p.sourceRepository}" && ${p.package} && aws s3api put-object --bucket ${bucket} --key ${p.key} --body ${p.artifact} --checksum-algorithm SHA256 --if-none-match '*')`,
      ),
    ],
    check:
      `aws ecr describe-images --repository-name R --image-ids imageTag=${INITIAL_TAG} finds each of the ${input.initialImages.length} images; ` +
      `aws s3api head-object --bucket ${bucket} --key K finds each of the ${input.initialPackages.length} packages`,
    creates: [
      ...input.initialImages.map((i): StandUpItem => ({
        kind: 'image',
        repository: i.repository,
        tag: INITIAL_TAG,
      })),
      ...input.initialPackages.map((p): StandUpItem => ({ kind: 'package', bucket, key: p.key })),
    ],
  };
}

const INITIAL_TAG = INITIAL_IMAGE_TAG;

/** The images and packages the workload stacks start from, one each, from the catalogue. */
export function initialArtifacts(platform: Platform): {
  services: string[];
  functions: string[];
  initialImages: InitialImage[];
  initialPackages: InitialPackage[];
} {
  const images = new Map<string, InitialImage>();
  for (const [, entry] of ecsEntries(platform.catalogue)) {
    if (images.has(entry.imageRepository)) continue;
    images.set(entry.imageRepository, {
      repository: naming.ecrRepository(entry.imageRepository),
      sourceRepository: entry.source.repository,
      dockerfile: entry.source.dockerfile,
      package: entry.source.package,
    });
  }
  return {
    services: ecsServices(platform.catalogue).map(([name]) => name),
    functions: functions(platform.catalogue).map(([name]) => name),
    initialImages: [...images.values()],
    initialPackages: functions(platform.catalogue).map(([name, entry]) => ({
      function: name,
      key: naming.functionPackageKey(name, INITIAL_FUNCTION_VERSION, functionPackageFile(entry)),
      sourceRepository: entry.source.repository,
      package: entry.source.package,
      artifact: entry.source.artifact,
    })),
  };
}

/** What the controller's ECS cloud reads, which the mgmt stack writes from its own cluster and network. */
const MGMT_STACK_PARAMETERS: readonly string[] = [
  naming.jenkinsClusterArnParameter(),
  naming.jenkinsAgentSubnetsParameter(),
  naming.jenkinsAgentSecurityGroupParameter(),
];

/** Who writes each parameter the controller reads: secrets by hand, the rest by a stack. */
export function readParameters(names: readonly string[]): ReadParameter[] {
  return names.map((name): ReadParameter => {
    if (ENVIRONMENT_NAMES.some((e) => naming.accountIdParameter(e) === name))
      return { name, writtenBy: 'bootstrap', hint: 'written by the bootstrap (step 1)' };
    if (MGMT_STACK_PARAMETERS.includes(name))
      return { name, writtenBy: 'mgmt', hint: 'written by the mgmt stack' };
    return { name, writtenBy: 'hand', hint: secretHint(name) };
  });
}

function secretHint(parameter: string): string {
  if (parameter === naming.slackWebhookParameter())
    return 'the Slack incoming webhook release notifications and `tdr report --slack` post to';
  if (/github\/(client|secret)$/.test(parameter)) return 'the GitHub OAuth app of the Jenkins login';
  if (/github\//.test(parameter)) return 'the GitHub machine user';
  if (/slack\//.test(parameter)) return 'the Slack bot token';
  if (/grafana\//.test(parameter)) return 'Grafana: workspace URL or service-account token (Editor)';
  return 'see docs/runbook-first-standup.md, "SSM parameters"';
}
