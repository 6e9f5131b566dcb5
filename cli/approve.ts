/** `tdr approve`: an approval recorded by the approver themself (or by Jenkins from its input step). */
import type { Command } from 'commander';
import type { CliContext, GlobalOptions } from './context';
import { envOption, serviceOption } from './context';
import { Option } from 'commander';
import { RunFailedError, engine, parseVersion, printHeld, releaseDeps } from './release-wiring';
import { printJson } from './output';

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
        '1 when it is rolled back (by an alarm or the canary judge).\n' +
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
        const { approve, validateApprove } = engine.approve();
        validateApprove({ platform: ctx.platform() }, opts);
        const deps = await releaseDeps(ctx, opts.jenkinsApprover ?? 'approver', { notify: true });
        const progressive = engine.progressive();
        // A promotion ECS holds at its approval pause: the version approved is the held one.
        let inFlight: Awaited<ReturnType<typeof progressive.inFlight>>;
        try {
          inFlight = progressive.isProgressive(deps, opts.service, opts.env)
            ? await progressive.inFlight(deps, opts.service, opts.env)
            : undefined;
        } catch (err) {
          if (opts.jenkinsApprover !== undefined) throw err;
          // NOT DONE (issue 25): ECS is read and continued through the environment's update role,
          // which trusts only Jenkins' node roles; an approver's own AWS identity may not assume
          // it on real AWS (moto does not check). The approval is still recorded; a held
          // deployment is continued by the prod promote job's input step (`--jenkins-approver`,
          // on the prod agent). A narrow role an approver may assume to continue one is not built.
          ctx.io.stderr(
            `could not look at ${opts.service} in ${opts.env}'s ECS as an approver (${(err as Error).message.split('\n')[0]}): ` +
              "the approval is recorded; if ECS holds a promotion for approval, continue it from its prod promote job's input step\n",
          );
          inFlight = undefined;
        }
        // Only a deployment held at its PAUSE hook is continued; checked before anything is written.
        const held = inFlight && progressive.heldBy(inFlight) ? inFlight : undefined;
        const rec = await approve(deps, opts);
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
