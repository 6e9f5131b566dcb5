/** `tdr approve`: an approval recorded by the approver themself (or by Jenkins from its input step). */
import type { Command } from 'commander';
import type { CliContext, GlobalOptions } from './context';
import { envOption, serviceOption } from './context';
import { Option } from 'commander';
import { RunFailedError, engine, parseVersion, printHeld, releaseDeps } from './release-wiring';
import { printJson } from './output';
import { AssumeRoleRefusedError } from '../pipelines/release/errors';
import type { ReleaseDeps } from '../pipelines/release/saga/context';

export function register(program: Command, ctx: CliContext): void {
  program
    .command('approve')
    .description(
      "approve a version for an environment that needs approval (prod), as yourself: your AWS identity must be one of its approvers, and not the promoter's",
    )
    .addOption(serviceOption(ctx, ['service', 'lambda']))
    .addOption(envOption(ctx).makeOptionMandatory())
    .option(
      '--version <version>',
      'the version to approve (default: the one live where it is promoted from)',
      parseVersion,
    )
    .option(
      '--jenkins-approver <user>',
      "Jenkins only: the input step's submitter (recorded as approved through Jenkins, with the build)",
    )
    .option('--build-url <url>', 'the Jenkins build (required with --jenkins-approver)')
    .addOption(
      new Option(
        '--no-wait',
        'where ECS holds the deployment for this approval: continue it and return at once; the next operation settles the outcome',
      ),
    )
    .addHelpText(
      'after',
      '\nWhere ECS holds a promotion at its approval pause (prod: a canary tried first on the test listener), the\n' +
        'approval continues it (ContinueServiceDeployment) and follows it to the end: exit 0 when ECS completes it,\n' +
        '1 when it is rolled back (by an alarm or the canary judge). As yourself, ECS is reached through the\n' +
        "environment's approval role (TDRReleaseApprovalRole{Env}); if STS refuses it, the approval is recorded and\n" +
        'the output says so; any other failure there ends the command with nothing recorded.\n' +
        '\nExamples:\n  $ tdr approve --service frontend --env prod              # as yourself (SSO or an approver role)\n  $ tdr approve --service frontend --env prod --version v42\n  $ tdr approve --service frontend --env prod --jenkins-approver "$APPROVER" --build-url "$BUILD_URL"   # in Jenkins',
    )
    .action(
      async (
        opts: {
          service: string;
          env: string;
          version?: string;
          jenkinsApprover?: string;
          buildUrl?: string;
          wait: boolean;
        },
        cmd: Command,
      ) => {
        const { output } = cmd.optsWithGlobals<GlobalOptions>();
        const { approve, authorise, validateApprove } = engine.approve();
        validateApprove({ platform: ctx.platform() }, opts);
        const viaJenkins = opts.jenkinsApprover !== undefined;
        // Jenkins reaches ECS through the node → update role; an approver as themself through the
        // environment's approval role, which trusts its approver roles only.
        const deps = await releaseDeps(ctx, opts.jenkinsApprover ?? 'approver', {
          approvalRole: !viaJenkins,
          notify: true,
        });
        const progressive = engine.progressive();
        // Who approves first, from their own identity: one who may not is refused (exit 3) before
        // any workload role is asked for.
        const who = await authorise(deps, opts);
        // A promotion ECS holds at its approval pause: the version approved is the held one.
        const inFlight = await heldProbe(ctx, deps, opts, viaJenkins);
        // Only a deployment held at its PAUSE hook is continued; checked before anything is written.
        const held = inFlight && progressive.heldBy(inFlight) ? inFlight : undefined;
        const rec = await approve(deps, opts, who);
        if (held) {
          const req = { service: opts.service, env: opts.env, actor: rec.approver, wait: opts.wait };
          const { result, failure } = await progressive.continueHeldRelease(deps, req, rec);
          printHeld(ctx.io, output, result, { approval: rec });
          if (failure) throw new RunFailedError(failure);
          return;
        }
        if (output === 'json') printJson(ctx.io, rec);
        else
          ctx.io.stdout(
            `approved ${rec.service} ${rec.version} (${rec.digest}) for ${rec.env} by ${rec.approver}` +
              `${rec.via === 'sts' ? ` as ${rec.identity}` : ` through Jenkins (${rec.buildUrl})`}: ledger #${rec.seq}\n`,
          );
      },
    );
}

/**
 * The in-flight deployment of the service, where the model pauses it for an approval. Only a
 * refused AssumeRole of the approval role (not deployed yet, or this approver's role may not
 * assume it: e.g. an SSO permission set whose own policy, in IAM Identity Center, does not allow
 * it yet; docs/runbook-first-standup.md) is gone past: then nothing held can be seen or continued by this identity, and the
 * approval still counts for a promotion that asks for it first. Anything else (the network, ECS,
 * expired credentials) fails the command here, before anything is written: an approval is never
 * recorded silently while a deployment stays held.
 */
async function heldProbe(
  ctx: CliContext,
  deps: ReleaseDeps,
  opts: { service: string; env: string },
  viaJenkins: boolean,
) {
  const progressive = engine.progressive();
  try {
    return progressive.pausesForApproval(deps, opts.service, opts.env)
      ? await progressive.inFlight(deps, opts.service, opts.env)
      : undefined;
  } catch (err) {
    if (viaJenkins || !(err instanceof AssumeRoleRefusedError)) throw err;
    ctx.io.stderr(
      `could not look at ${opts.service} in ${opts.env}'s ECS as an approver (${err.message.split('\n')[0]}): ` +
        "the approval is recorded; if ECS holds a promotion for approval, continue it from its prod promote job's input step\n",
    );
    return undefined;
  }
}
