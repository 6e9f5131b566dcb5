/**
 * The first stand-up of the platform on real accounts, in order: the bootstrap, then mgmt, then
 * the other accounts, then the Jenkins controller, then the seed job. Each step is the commands
 * to run and what to check after them. Pure: `tdr bootstrap plan` prints it, the runbook
 * (docs/runbook-first-standup.md) follows it.
 */
import type { AccountIds } from '../../services/config';
import { ENVIRONMENT_NAMES, type EnvironmentName } from '../../services/environments';
import { naming } from '../../services/naming';
import { BOOTSTRAP_SETTINGS } from './definitions';

export interface StandUpStep {
  readonly step: number;
  readonly title: string;
  /** Whose credentials the commands run with (every step runs from mgmt). */
  readonly runsAs: string;
  readonly commands: readonly string[];
  readonly check: string;
}

export interface StandUpInput {
  readonly accountIds: AccountIds;
  readonly region: string;
  /** The administrator's role in mgmt (an SSO permission set's role): runs the bootstrap, then stands in for Jenkins. */
  readonly adminRoleArn: string;
  /** SSM parameters (in mgmt) the controller's jenkins.yaml reads. */
  readonly controllerParameters: readonly string[];
  /** How many items (folders and jobs) the seed creates. */
  readonly seedItems: number;
  readonly jenkinsUrl: string;
}

/** The order account stacks are first applied in: mgmt (Jenkins, ECR, the ledger) before the rest. */
const ACCOUNT_ORDER: readonly EnvironmentName[] = ['mgmt', ...ENVIRONMENT_NAMES.filter((e) => e !== 'mgmt')];

const ADMIN = 'the administrator, in mgmt';

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

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
        'export AWS_PROFILE="$TDR_ADMIN_PROFILE"',
        'cd "$(git rev-parse --show-toplevel)/infra/bootstrap"',
        // The bucket does not exist yet: the bootstrap starts on a local backend and moves in below.
        'pulumi login --local',
        "PULUMI_CONFIG_PASSPHRASE='' pulumi stack init bootstrap --secrets-provider passphrase",
        `pulumi config set --path 'tdr-bootstrap:standUpRoleArns[0]' ${quote(input.adminRoleArn)}`,
        `TDR_ACCOUNT_IDS=${ids_} PULUMI_CONFIG_PASSPHRASE='' pulumi up --stack bootstrap`,
      ],
      check:
        `aws s3api get-bucket-versioning --bucket ${naming.pulumiStateBucket()} says Enabled; ` +
        `aws ssm get-parameter --name ${naming.accountIdParameter('prod')} gives ${ids.prod}; ` +
        `${naming.pulumiDeployRole('intg')} exists in ${ids.intg} (created through ${BOOTSTRAP_SETTINGS.adminRoleName})`,
    },
    {
      title: "Move the bootstrap's state into the bucket it created, encrypted with its key",
      runsAs: ADMIN,
      commands: [
        "PULUMI_CONFIG_PASSPHRASE='' pulumi stack export --stack bootstrap --show-secrets --file bootstrap-state.json",
        `pulumi login ${backend}`,
        `pulumi stack init bootstrap --secrets-provider ${secrets}`,
        'pulumi stack import --stack bootstrap --file bootstrap-state.json && rm bootstrap-state.json',
        `TDR_ACCOUNT_IDS=${ids_} pulumi preview --stack bootstrap`,
      ],
      check: 'the preview shows no changes; `pulumi stack ls` lists bootstrap in the S3 backend',
    },
    ...ACCOUNT_ORDER.map((env) => accountStep(input, env)),
    {
      title: 'The Jenkins controller: its SSM parameters, image and configuration',
      runsAs: ADMIN,
      commands: [
        'export AWS_PROFILE="$TDR_ADMIN_PROFILE"',
        'cd "$(git rev-parse --show-toplevel)"',
        ...input.controllerParameters.map(
          (p) =>
            `aws ssm put-parameter --type SecureString --name ${p} --value "$VALUE"  # ${controllerParameterHint(p)}`,
        ),
        'npx tdr jobs build --out dist/jenkins',
        'docker build -f pipelines/jenkins/controller/Dockerfile -t tdr-jenkins-controller dist/jenkins  # README: the controller image',
        `aws ecs update-service --cluster ${naming.jenkinsCluster()} --service ${naming.jenkinsControllerService()} --force-new-deployment`,
      ],
      check:
        `${input.jenkinsUrl} shows the GitHub login; Manage Jenkins → Configuration as Code applied jenkins.yaml with no error; ` +
        `the ECS cloud lists an agent template per account (ecs-{env} and ecs-infra-{env})`,
    },
    {
      title: 'The seed job: every other job, from pipelines/jenkins',
      runsAs: ADMIN,
      commands: ['# JCasC queues mgmt/seed on every controller start; run it again by hand if it failed'],
      check: `mgmt/seed succeeded and created ${input.seedItems} items (\`npx tdr jobs list\`); mgmt/platform scanned main`,
    },
    {
      title: 'Stop standing in for Jenkins: only the infra agents may assume the deploy roles now',
      runsAs: ADMIN,
      commands: [
        'export AWS_PROFILE="$TDR_ADMIN_PROFILE"',
        'cd "$(git rev-parse --show-toplevel)/infra/bootstrap"',
        'pulumi config rm tdr-bootstrap:standUpRoleArns --stack bootstrap',
        `TDR_ACCOUNT_IDS=${ids_} pulumi up --stack bootstrap`,
      ],
      check:
        `aws iam get-role --role-name ${naming.jenkinsInfraRole('prod')} trusts ecs-tasks.amazonaws.com only; ` +
        'the next merge to main applies intg through intg/infra/apply',
    },
  ];
  return steps.map((s, i) => ({ step: i + 1, ...s }));
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
      `pulumi preview --stack ${naming.pulumiStack(env)} --save-plan ${plan}`,
      `pulumi up --stack ${naming.pulumiStack(env)} --plan ${plan}`,
    ],
    check:
      env === 'mgmt'
        ? `the stack outputs jenkinsUrl and ledgerBucket ${naming.ledgerBucket()}; ECR holds one repository per catalogue image`
        : `pulumi stack output --stack ${env} shows the account's outputs; nothing was created outside ${input.accountIds[env]}`,
  };
}

/** What the controller's ECS cloud reads, which the mgmt stack writes from its own cluster and network. */
const MGMT_STACK_PARAMETERS: readonly string[] = [
  naming.jenkinsClusterArnParameter(),
  naming.jenkinsAgentSubnetsParameter(),
  naming.jenkinsAgentSecurityGroupParameter(),
];

function controllerParameterHint(parameter: string): string {
  if (parameter === naming.accountIdParameter('mgmt')) return 'already set by the bootstrap: skip';
  if (MGMT_STACK_PARAMETERS.includes(parameter)) return 'already set by the mgmt stack: skip';
  if (/github\/(client|secret)$/.test(parameter)) return 'the GitHub OAuth app of the Jenkins login';
  if (/github\//.test(parameter)) return 'the GitHub machine user';
  if (/slack\//.test(parameter)) return 'the Slack bot token';
  if (/grafana\//.test(parameter)) return 'Grafana: workspace URL or service-account token (Editor)';
  return 'see docs/runbook-first-standup.md, "SSM parameters"';
}
