/** `tdr sandbox up|demo`: the platform on moto (AWS_ENDPOINT_URL), for newcomers and tests. */
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { loadPlatform, type Platform } from '../services/config';
import { approverRoles } from '../services/queries';
import type { CliContext, GlobalOptions } from './context';
import { releaseRuntime } from './release-wiring';
import { UsageError, exitCodeOf } from './exit-codes';
import { printJson } from './output';
import { renderFunctionStatus, renderMaintenance, renderStatus } from './status';

function sandboxModule(): typeof import('../sandbox/up') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../sandbox/up') as typeof import('../sandbox/up');
}

export function register(program: Command, ctx: CliContext): void {
  const sandbox = program
    .command('sandbox')
    .description('a local platform on moto: what the release engine touches, in all five accounts');
  sandbox
    .command('up')
    .description(
      'create ECR repositories and images, clusters, task definitions (services and one-off tasks), services, log groups, the IAM roles of the Jenkins agents and the release approvers, the ledger bucket and account-id parameters, the code bucket with function packages v1-v3, and every function with its live alias',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  $ moto_server -H 127.0.0.1 -p 5000 &\n  $ AWS_ENDPOINT_URL=http://127.0.0.1:5000 tdr sandbox up',
    )
    .action(async (_opts, cmd: Command) => {
      const { output } = cmd.optsWithGlobals<GlobalOptions>();
      const report = await up(ctx, ctx.platform());
      if (output === 'json') printJson(ctx.io, report);
      else
        ctx.io.stdout(
          `Sandbox at ${ctx.env.AWS_ENDPOINT_URL}\naccounts: ${JSON.stringify(report.accountIds)}\n${report.created.map((c) => `  ${c}`).join('\n')}\n`,
        );
    });
  sandbox
    .command('demo')
    .description(
      'deploy to intg, promote to staging, a refused and an approved prod promotion, a rollback; a function to intg and staging; in prod an ECS canary that passes and one a 5xx burst rolls back (stages from the stand-in of ECS deployments), a function canary that passes and one an error burst rolls back; maintenance on and off in staging; status after each',
    )
    .addHelpText('after', '\nExamples:\n  $ AWS_ENDPOINT_URL=http://127.0.0.1:5000 tdr sandbox demo')
    .action(() => runDemo(ctx));
}

/** Sandbox up with prod's soak shortened (unless TDR_CONFIG says otherwise), then the story. */
async function runDemo(ctx: CliContext): Promise<void> {
  releaseRuntime().workloadRoleFrom(ctx.env, { readOnly: false });
  let scratch: string | undefined;
  try {
    await demoIn(ctx, (dir) => (scratch = dir));
  } finally {
    // The demo's own overrides file goes with it (a user's TDR_CONFIG is never touched).
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
}

async function demoIn(ctx: CliContext, made: (dir: string) => void): Promise<void> {
  let platform: Platform;
  if (ctx.env.TDR_CONFIG) {
    platform = ctx.platform();
    ctx.io.stdout(`Using TDR_CONFIG=${ctx.env.TDR_CONFIG} as given.\n`);
  } else {
    // Thirty minutes of soak would make the story wait; the sandbox shortens it through configuration.
    const dir = mkdtempSync(join(tmpdir(), 'tdr-sandbox-'));
    made(dir);
    const file = join(dir, 'sandbox.json');
    writeFileSync(
      file,
      JSON.stringify({ environments: { prod: { promotion: { soakMinutes: 0 } } } }, null, 2),
    );
    platform = loadPlatform({ ...ctx.env, TDR_CONFIG: file });
    ctx.io.stdout(
      `Note: soak time before prod shortened from ${ctx.platform().environments.prod.promotion?.soakMinutes ?? 0} min to 0 by TDR_CONFIG=${file} (sandbox only).\n`,
    );
  }
  await up(ctx, platform);
  const runtime = (credentials?: AwsCredentialIdentityProvider) =>
    releaseRuntime().runtimeDeps({
      env: ctx.env,
      platform,
      log: (l) => ctx.io.stderr(l + '\n'),
      actor: 'demo',
      credentials,
    });
  const deps = await runtime();
  // Alice approves as herself: prod's approver role, assumed with her session name.
  const sts = sandboxClients().sandboxStsClient(ctx.env, platform.environments.mgmt.region);
  // The approver role `sandbox up` created for prod, as infra does.
  const role = approverRoles(platform.environments).find((r) => r.environments.includes('prod'))?.roleName;
  if (!role)
    throw new UsageError('the demo approves prod as one of its approver roles, and the model names none');
  const approver = await runtime(
    releaseAws().assumedRoleCredentials(sts, deps.clients.accountIds.mgmt, role, 'alice'),
  );
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { demo } = require('../sandbox/demo') as typeof import('../sandbox/demo');
  await demo(
    deps,
    {
      say: (t) => ctx.io.stdout(t + '\n'),
      showStatus: (rows) => ctx.io.stdout(renderStatus(rows)),
      showFunctionStatus: (rows) => ctx.io.stdout(renderFunctionStatus(rows)),
      showMaintenance: (rows) => ctx.io.stdout(renderMaintenance(rows)),
      exitCodeOf,
    },
    approver,
  );
}

async function up(ctx: CliContext, platform: Platform) {
  // Creating the sandbox writes everywhere (roles, parameters, buckets): the read-only reader role
  // is refused here, before any AWS call, as every other command that changes something is.
  releaseRuntime().workloadRoleFrom(ctx.env, { readOnly: false });
  if (!ctx.env.AWS_ENDPOINT_URL) {
    throw new UsageError(
      'AWS_ENDPOINT_URL is not set: the sandbox runs against a local endpoint such as moto_server (it never touches real AWS)',
    );
  }
  const { sandboxAccountIds, sandboxUp } = sandboxModule();
  const { sandboxStsClient, sandboxKmsClient } = sandboxClients();
  const { releaseClients } = releaseAws();
  const region = platform.environments.mgmt.region;
  const accountIds = await sandboxAccountIds(ctx.env, sandboxStsClient(ctx.env, region));
  const clients = await releaseClients({ region, env: ctx.env, sessionName: 'tdr-sandbox', accountIds });
  return sandboxUp(clients, platform, sandboxKmsClient(ctx.env, region));
}

function sandboxClients(): typeof import('../sandbox/aws') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../sandbox/aws') as typeof import('../sandbox/aws');
}

function releaseAws(): typeof import('../pipelines/release/aws/aws') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../pipelines/release/aws/aws') as typeof import('../pipelines/release/aws/aws');
}
