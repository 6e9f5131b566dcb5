/**
 * `tdr synth`: renders everything the platform manages into `dist/` (the main job of `npm start`).
 * Renderers run in order; infra comes first and is the only one that can refuse (policy violation,
 * exit 3). Other renderers plug in as steps: `{ name, run(outDir) }`.
 */
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { checkPlatform, parseAccountIds } from '../services/config';
import { PlatformError } from '../services/errors';
import { ALL_STACKS } from '../infra/stacks';
import type { SynthSummary } from '../infra/summary';
import type { SynthOptions as InfraSynthOptions } from '../infra/synth';
import type { CliContext, GlobalOptions } from './context';
import { printJson, renderTable } from './output';

export interface RendererStep {
  readonly name: string;
  run(outDir: string): Promise<{ files: string[] }>;
}

interface SynthOptions extends GlobalOptions {
  readonly stack?: string;
  readonly out: string;
}

/** Policies refuse the infrastructure as a gate refuses a promotion: nothing may be deployed. */
export class PolicyViolationError extends PlatformError {
  readonly kind = 'refused';
  constructor(readonly count: number) {
    super(`${count} policy violation${count === 1 ? '' : 's'}: nothing may be deployed until they are fixed`);
    this.name = 'PolicyViolationError';
  }
}

export function register(program: Command, ctx: CliContext): void {
  program
    .command('synth')
    .description(
      'render infrastructure (Pulumi, offline, with policies), Jenkins jobs and dashboards into dist/',
    )
    .option('--stack <stack>', `one stack only (${ALL_STACKS.join(', ')}); default: all six`)
    .option('--out <dir>', 'output directory', 'dist')
    .addHelpText(
      'after',
      '\nExamples:\n  $ tdr synth\n  $ tdr synth --stack prod -o json | jq .infra.stacks\n\n' +
        'Stack config comes from infra/stacks/Pulumi.<stack>.yaml (TDR_STACK_CONFIG_DIR overrides the directory),\n' +
        "the bootstrap's from infra/bootstrap/Pulumi.bootstrap.yaml.\n" +
        'Exit 3 when a policy is violated, 2 for bad stack config.',
    )
    .action(async (_opts, cmd: Command) => {
      const opts = cmd.optsWithGlobals<SynthOptions>();
      // Checked where it is used: an invalid catalogue entry stops synth (exit 2) before anything is written.
      const platform = checkPlatform(ctx.platform());
      const infra = infraStep(ctx, {
        stacks: opts.stack === undefined ? [...ALL_STACKS] : [opts.stack],
        platform,
        ...(ctx.env.TDR_STACK_CONFIG_DIR ? { configDir: ctx.env.TDR_STACK_CONFIG_DIR } : {}),
        // When set, the release engine's account ids must be the ones the infrastructure deploys to.
        ...(ctx.env.TDR_ACCOUNT_IDS
          ? { accountIds: parseAccountIds(ctx.env.TDR_ACCOUNT_IDS, 'TDR_ACCOUNT_IDS') }
          : {}),
      });
      const steps: RendererStep[] = [
        infra,
        {
          name: 'jenkins',
          run: (dir) => loadRenderers().buildJenkins(join(dir, 'jenkins'), platform),
        },
        {
          name: 'grafana',
          run: (dir) => loadRenderers().buildDashboards(join(dir, 'grafana'), ctx.env, platform),
        },
      ];
      await renderAll(ctx, steps, infra, resolve(opts.out), opts.output);
    });
}

export interface InfraViolation {
  readonly stack: string;
  readonly policy: string;
  readonly message: string;
  readonly resource?: { readonly type: string; readonly name: string };
}

export interface InfraStep extends RendererStep {
  /** What the last run found; undefined before it ran. */
  report(): { summary: SynthSummary; violations: InfraViolation[] } | undefined;
}

/** The infrastructure renderer: every stack under Pulumi mocks, manifests to `<outDir>/infra/`. */
export function infraStep(
  ctx: CliContext,
  options: { stacks: readonly string[] } & Pick<
    InfraSynthOptions,
    'platform' | 'configDir' | 'extend' | 'accountIds'
  >,
): InfraStep {
  let last: ReturnType<InfraStep['report']>;
  return {
    name: 'infra',
    report: () => last,
    async run(dir) {
      const { synthStacks, writeManifest, summarise } = loadInfra();
      const { stacks, ...synthOptions } = options;
      const results = await synthStacks(stacks, synthOptions);
      const files = results.map((r) => writeManifest(dir, r.manifest));
      for (const r of results) {
        ctx.io.stderr(
          `synth: ${r.manifest.stack}: ${r.manifest.resources.length} resources, ` +
            `${r.manifest.policies.violations.length} violations, ${Math.round(r.millis)} ms\n`,
        );
      }
      last = {
        summary: summarise(results),
        violations: results.flatMap((r) =>
          r.manifest.policies.violations.map((v) => ({ stack: r.manifest.stack, ...v })),
        ),
      };
      return { files };
    },
  };
}

/** Runs the renderers in order, prints what they wrote, and refuses (exit 3) on policy violations. */
export async function renderAll(
  ctx: CliContext,
  steps: readonly RendererStep[],
  infra: InfraStep,
  outDir: string,
  output: GlobalOptions['output'],
): Promise<void> {
  const rendered: Array<{ name: string; files: string[] }> = [];
  for (const step of steps) {
    const { files } = await step.run(outDir);
    rendered.push({ name: step.name, files });
  }
  const report = infra.report();
  const violations = report?.violations ?? [];
  if (output === 'json') {
    printJson(ctx.io, { outDir, steps: rendered, infra: report ? { ...report.summary, violations } : null });
  } else if (report) {
    printTables(ctx, report.summary, rendered, outDir);
  }
  if (violations.length > 0) {
    for (const v of violations) {
      const where = v.resource ? `${v.resource.type} ${v.resource.name}` : '(stack)';
      ctx.io.stderr(`VIOLATION ${v.stack} ${where}: [${v.policy}] ${v.message}\n`);
    }
    throw new PolicyViolationError(violations.length);
  }
}

/**
 * Pulumi loads slowly, so infra is required only when synth runs (`tdr --help` stays fast). A
 * require, not `import()`: under nodenext a dynamic import is an ES import, which needs file
 * extensions that ts-node (tests) cannot map back to .ts sources.
 */
function loadInfra(): typeof import('../infra/synth') & typeof import('../infra/summary') {
  /* eslint-disable @typescript-eslint/no-require-imports */
  return {
    ...(require('../infra/synth') as typeof import('../infra/synth')),
    ...(require('../infra/summary') as typeof import('../infra/summary')),
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
}

function loadRenderers(): typeof import('../pipelines/jenkins/index') & typeof import('../dashboards/index') {
  /* eslint-disable @typescript-eslint/no-require-imports */
  return {
    ...(require('../pipelines/jenkins/index') as typeof import('../pipelines/jenkins/index')),
    ...(require('../dashboards/index') as typeof import('../dashboards/index')),
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
}

function printTables(
  ctx: CliContext,
  summary: SynthSummary,
  rendered: ReadonlyArray<{ name: string; files: string[] }>,
  outDir: string,
): void {
  const stacks = summary.stacks.map((s) => s.stack);
  ctx.io.stdout(
    renderTable(
      ['STACK', 'ACCOUNT', 'RESOURCES', 'POLICIES', 'VIOLATIONS', 'MS'],
      summary.stacks.map((s) => [
        s.stack,
        s.accountId,
        s.resources,
        s.policiesChecked,
        s.violations,
        s.millis,
      ]),
    ),
  );
  ctx.io.stdout('\nResources by type\n');
  ctx.io.stdout(
    renderTable(
      ['TYPE', ...stacks.map((s) => s.toUpperCase())],
      Object.entries(summary.byType).map(([type, counts]) => [type, ...stacks.map((s) => counts[s] ?? null)]),
    ),
  );
  ctx.io.stdout('\nPolicies (violations; - where nothing to check)\n');
  ctx.io.stdout(
    renderTable(
      ['POLICY', ...stacks.map((s) => s.toUpperCase())],
      Object.entries(summary.policies).map(([policy, counts]) => [
        policy,
        ...stacks.map((s) => counts[s] ?? null),
      ]),
    ),
  );
  ctx.io.stdout(
    `\nWrote into ${outDir}: ${rendered.map((r) => `${r.name} ${r.files.length} files`).join(', ')}\n` +
      'Next: review the manifests and jobs there; `tdr envs` and `tdr services` show the model they come from.\n',
  );
}
