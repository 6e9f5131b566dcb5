/**
 * `tdr bootstrap plan`: the ordered first stand-up of the platform on real accounts (the
 * bootstrap, mgmt, the other accounts, the Jenkins controller, the seed), each step as the
 * commands to run and what to check after them. Prints only; changes nothing.
 */
import { Option, type Command } from 'commander';
import { isLocalSandbox, parseAccountIds, type AccountIds, type Platform } from '../services/config';
import { naming } from '../services/naming';
import type { Organisation } from '../services/organisation';
import type { StandUpInput } from '../infra/bootstrap/plan';
import type { WorkloadEnvironmentName } from '../services/environments';
import type { CliContext, GlobalOptions } from './context';
import { UsageError } from './exit-codes';
import { RunFailedError } from './release-wiring';
import { printJson } from './output';

interface PlanOptions extends GlobalOptions {
  readonly accountIds?: string;
  readonly adminRole?: string;
}

export function register(program: Command, ctx: CliContext): void {
  const bootstrap = program
    .command('bootstrap')
    .description('standing the platform up on real accounts for the first time');
  bootstrap
    .command('plan')
    .description('print the ordered first stand-up: bootstrap, mgmt, the other accounts, Jenkins, the seed')
    .addOption(
      new Option('--account-ids <json>', 'JSON object env → 12-digit account id (default: TDR_ACCOUNT_IDS)'),
    )
    .addOption(
      new Option(
        '--admin-role <arn>',
        "your administrator role in mgmt: it runs the bootstrap, then stands in for Jenkins' infra agents until the controller runs",
      ),
    )
    .addHelpText(
      'after',
      '\nExamples:\n' +
        `  $ tdr bootstrap plan --account-ids '{"mgmt":"…","sbox":"…","intg":"…","staging":"…","prod":"…"}' \\\n` +
        '      --admin-role arn:aws:iam::123456789012:role/AWSReservedSSO_AdministratorAccess_0123\n' +
        '  $ TDR_ACCOUNT_IDS=… tdr bootstrap plan -o json | jq -r ".[].commands[]"\n\n' +
        'The runbook docs/runbook-first-standup.md walks through the same steps.',
    )
    .action((_opts, cmd: Command) => {
      const opts = cmd.optsWithGlobals<PlanOptions>();
      const text = opts.accountIds ?? ctx.env.TDR_ACCOUNT_IDS;
      if (text === undefined) {
        throw new UsageError('give the five account ids: --account-ids JSON, or TDR_ACCOUNT_IDS');
      }
      const accountIds = parseAccountIds(text, opts.accountIds ? '--account-ids' : 'TDR_ACCOUNT_IDS');
      const adminRoleArn = opts.adminRole ?? `arn:aws:iam::${accountIds.mgmt}:role/YOUR-ADMINISTRATOR-ROLE`;
      const roleAccount = /^arn:aws:iam::(\d{12}):role\/[\w+=,.@/-]+$/.exec(adminRoleArn)?.[1];
      if (roleAccount !== accountIds.mgmt) {
        throw new UsageError(
          `--admin-role must be an IAM role ARN in mgmt (${accountIds.mgmt}), got ${adminRoleArn}`,
        );
      }
      // A real stand-up: nothing is printed while an example value of the organisation remains.
      const organisation = organisationModule().realOrganisation(ctx.env);
      const input = standUpInput(ctx.platform(), organisation, accountIds, adminRoleArn);
      const steps = load().plan.firstStandUp(input);
      if (opts.output === 'json') {
        printJson(ctx.io, steps);
        return;
      }
      ctx.io.stdout('Before you start:\n');
      for (const p of load().plan.standUpPrerequisites(input)) ctx.io.stdout(`   - ${p.what}\n`);
      ctx.io.stdout('\n');
      for (const s of steps) {
        ctx.io.stdout(`${s.step}. ${s.title}\n   as ${s.runsAs}\n`);
        for (const c of s.commands) ctx.io.stdout(`   $ ${c}\n`);
        ctx.io.stdout(`   check: ${s.check}\n\n`);
      }
    });
  registerCheck(bootstrap, ctx);
}

function registerCheck(bootstrap: Command, ctx: CliContext): void {
  bootstrap
    .command('check')
    .description(
      'read-only: whether what each stand-up step creates is there, [OK]/[NG] per item; exit 1 on any NG',
    )
    .addOption(new Option('--step <n>', 'only this step of `tdr bootstrap plan`'))
    .addOption(
      new Option(
        '--workload-role <role>',
        'the role assumed in each workload account to look at its stack (only read calls are sent): ' +
          'reader, its TDRReleaseReaderRole{Env} (trusted by the mgmt agents), or organisation, ' +
          'the OrganizationAccountAccessRole the administrator may assume (before Jenkins runs)',
      )
        .choices(CHECK_ROLES)
        .default('reader'),
    )
    .addHelpText(
      'after',
      '\nExamples:\n  $ tdr bootstrap check --workload-role organisation   # the administrator, during the stand-up\n' +
        '  $ tdr bootstrap check --step 4 -o json\n\n' +
        'Runs with credentials in mgmt; account ids from TDR_ACCOUNT_IDS, else SSM /mgmt/{env}_account.',
    )
    .action(async (_opts, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions & { step?: string; workloadRole: CheckRole }>();
      const platform = ctx.platform();
      const region = platform.environments.mgmt.region;
      // Checked before any AWS call: the step count does not depend on the account ids.
      const probe = load().plan.firstStandUp(
        standUpInput(
          platform,
          organisationModule().EXAMPLE_ORGANISATION,
          PROBE_IDS,
          `arn:aws:iam::${PROBE_IDS.mgmt}:role/probe`,
        ),
      );
      let only: number | undefined;
      if (opts.step !== undefined) {
        only = /^\d{1,3}$/.test(opts.step) ? Number(opts.step) : NaN;
        if (!(only >= 1 && only <= probe.length))
          throw new UsageError(`--step must be a step number from 1 to ${probe.length}, got ${opts.step}`);
      }
      const { aws, check } = loadCheck();
      const clients = aws.mgmtClients({ region, env: ctx.env });
      const accountIds = await aws.accountIdsFrom(ctx.env, clients.ssm);
      // The organisation's values appear only in commands and prerequisites, which a check never reads.
      const input = standUpInput(
        platform,
        organisationModule().EXAMPLE_ORGANISATION,
        accountIds,
        `arn:aws:iam::${accountIds.mgmt}:role/YOUR-ADMINISTRATOR-ROLE`,
      );
      const steps = load().plan.firstStandUp(input);
      const workload = workloadClients(ctx, accountIds, opts.workloadRole);
      const results = await check.checkStandUp(steps, { ...clients, workload }, accountIds.mgmt, {
        only,
        sandbox: isLocalSandbox(ctx.env.AWS_ENDPOINT_URL),
      });
      if (opts.output === 'json') printJson(ctx.io, results);
      else {
        const mark = { ok: '[OK]', ng: '[NG]', skipped: '[--]' } as const;
        for (const r of results) ctx.io.stdout(`${mark[r.mark]} step ${r.step}: ${r.item}: ${r.detail}\n`);
      }
      const failed = results.filter((r) => r.mark === 'ng').length;
      if (failed > 0)
        throw new RunFailedError(`${failed} stand-up item${failed === 1 ? '' : 's'} missing or wrong`);
    });
}

/** Whose role `tdr bootstrap check` assumes in a workload account. */
const CHECK_ROLES = ['reader', 'organisation'] as const;
type CheckRole = (typeof CHECK_ROLES)[number];

/**
 * The check's clients in each workload account, through `role` assumed there the way the release
 * engine assumes its roles (aws.ts assumedRoleCredentials: from mgmt's credentials, one hop).
 */
function workloadClients(
  ctx: CliContext,
  accountIds: AccountIds,
  role: CheckRole,
): (env: WorkloadEnvironmentName) => import('../infra/bootstrap/check').WorkloadCheckClients {
  /* eslint-disable @typescript-eslint/no-require-imports -- the SDK loads when the check runs */
  const { aws } = loadCheck();
  const { STSClient } = require('@aws-sdk/client-sts') as typeof import('@aws-sdk/client-sts');
  const { ECSClient } = require('@aws-sdk/client-ecs') as typeof import('@aws-sdk/client-ecs');
  const { LambdaClient } = require('@aws-sdk/client-lambda') as typeof import('@aws-sdk/client-lambda');
  const elb =
    require('@aws-sdk/client-elastic-load-balancing-v2') as typeof import('@aws-sdk/client-elastic-load-balancing-v2');
  const { BOOTSTRAP_SETTINGS } =
    require('../infra/bootstrap/definitions') as typeof import('../infra/bootstrap/definitions');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const platform = ctx.platform();
  return (env) => {
    const region = platform.environments[env].region;
    const roleName = role === 'reader' ? naming.releaseReaderRole(env) : BOOTSTRAP_SETTINGS.adminRoleName;
    const sts = aws.nameStuckCalls(new STSClient(aws.clientConfig({ region, env: ctx.env })));
    const credentials = aws.assumedRoleCredentials(sts, accountIds[env], roleName, 'tdr-bootstrap-check');
    const config = aws.clientConfig({ region, env: ctx.env, credentials });
    return {
      reach: async () => {
        await credentials();
        return naming.roleArn(accountIds[env], roleName);
      },
      ecs: aws.nameStuckCalls(new ECSClient(config)),
      lambda: aws.nameStuckCalls(new LambdaClient(config)),
      elbv2: aws.nameStuckCalls(new elb.ElasticLoadBalancingV2Client(config)),
    };
  };
}

/** zod costs more to load than `tdr --help`: the organisation's schema loads when a command runs. */
function organisationModule(): typeof import('../services/organisation') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../services/organisation') as typeof import('../services/organisation');
}

/** Any well-formed ids: the steps' number and order do not depend on them. */
const PROBE_IDS: AccountIds = {
  mgmt: '000000000000',
  sbox: '000000000001',
  intg: '000000000002',
  staging: '000000000003',
  prod: '000000000004',
};

/** Loaded when `check` runs: the AWS SDK clients are not needed by `plan` or `--help`. */
function loadCheck(): {
  aws: typeof import('../pipelines/release/aws/aws');
  check: typeof import('../infra/bootstrap/check');
} {
  /* eslint-disable @typescript-eslint/no-require-imports */
  return {
    aws: require('../pipelines/release/aws/aws') as typeof import('../pipelines/release/aws/aws'),
    check: require('../infra/bootstrap/check') as typeof import('../infra/bootstrap/check'),
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
}

/**
 * What the plan is made of: the accounts, the organisation, and what the model says the stand-up
 * creates (the controller's parameters from jenkins.yaml, the seed's jobs, the initial artifacts).
 * The runbook is rendered from the same input with the example organisation.
 */
export function standUpInput(
  platform: Platform,
  organisation: Organisation,
  accountIds: AccountIds,
  adminRoleArn: string,
): StandUpInput {
  const { plan, jenkins } = load();
  const model = jenkins.buildJenkinsModel(platform);
  const casc = jenkins.renderJenkins(model).get('jenkins.yaml') ?? '';
  return {
    accountIds,
    region: platform.environments.mgmt.region,
    adminRoleArn,
    controllerParameters: [
      ...new Set([
        ...[...casc.matchAll(/\$\{(\/[^}]+)\}/g)].map((m) => m[1]!),
        // The release engine reads the webhook itself (TDR_SLACK_WEBHOOK_URL overrides it).
        naming.slackWebhookParameter(),
      ]),
    ],
    seed: { folders: model.folders.length, jobs: model.jobs.length },
    jenkinsUrl: jenkins.DEFAULT_JENKINS_SETTINGS.jenkinsUrl,
    githubOrganisation: organisation.githubOrganisation,
    preservationRoleArns: Object.values(organisation.preservationExportReaderRoleArns),
    ssoApprovers: plan.ssoApproverGrants(platform, accountIds),
    ...plan.initialArtifacts(platform),
    jenkinsImages: jenkins.standUpJenkinsImages(),
  };
}

/** Loaded when the command runs: `tdr --help` stays fast. */
function load(): {
  plan: typeof import('../infra/bootstrap/plan');
  jenkins: typeof import('../pipelines/jenkins/index');
} {
  /* eslint-disable @typescript-eslint/no-require-imports */
  return {
    plan: require('../infra/bootstrap/plan') as typeof import('../infra/bootstrap/plan'),
    jenkins: require('../pipelines/jenkins/index') as typeof import('../pipelines/jenkins/index'),
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
}
