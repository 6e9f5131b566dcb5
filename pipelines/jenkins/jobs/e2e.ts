/**
 * The end-to-end job of an environment that feeds another: started after each release there,
 * it runs the e2e suite and records the result with `tdr check record`, which the next
 * environment's promotion gate reads (prod requires it on staging).
 */
import type { EnvironmentName } from '../../../services/environments';
import { CREDENTIAL_IDS } from '../credentials';
import type { Job, Pipeline, Step } from '../model';
import { githubUrl } from '../settings';
import { runInstalledTdr, tdrCheckRecord } from '../tdr-commands';
import { BUILD_URL, env, runnableBy, type JobContext } from './context';
import { agentStage, checkStage, definePipeline, requireVersion } from './skeleton';

/** The check whose result `tdr check record` stores. */
const E2E_CHECK = 'e2e';

export interface E2eJob {
  readonly path: string;
  readonly pipeline: Pipeline;
  readonly job: Job;
}

/** Whether a later environment's promotion depends on `e`'s e2e results: `e` feeds another. */
export function feedsAnother(ctx: JobContext, e: EnvironmentName): boolean {
  return Object.values(ctx.platform.environments).some((x) => x.promotion?.source === e);
}

export function e2eJob(ctx: JobContext, target: EnvironmentName): E2eJob {
  const { settings } = ctx;
  const id = `e2e-${target}`;
  const path = `${target}/e2e`;
  const record = (result: 'passed' | 'failed'): Step =>
    runInstalledTdr(
      tdrCheckRecord({
        service: env('SERVICE'),
        env: target,
        version: env('VERSION'),
        name: E2E_CHECK,
        result,
        url: BUILD_URL,
      }),
    );
  const pipeline = definePipeline(ctx, {
    id,
    title: `End-to-end tests in ${target}`,
    environment: target,
    timeoutHours: 2,
    disableConcurrentBuilds: false,
    variables: { TDR_ENV: target },
    stages: [
      checkStage([{ kind: 'require-choice', parameter: 'SERVICE', choices: ctx.services }, requireVersion()]),
      agentStage(
        'End-to-end tests',
        target,
        [
          {
            kind: 'checkout',
            url: githubUrl(settings, settings.e2eRepository),
            branch: 'main',
            credentialsId: CREDENTIAL_IDS.github,
            dir: 'e2e-tests',
          },
          { kind: 'shell', argv: [...settings.e2eCommand], dir: 'e2e-tests' },
        ],
        { success: [record('passed')], failure: [record('failed')] },
      ),
    ],
  });
  const releaseJob = ctx.platform.environments[target].promotion?.source === 'build' ? 'deploy' : 'promote';
  const job: Job = {
    path,
    kind: 'e2e',
    description: `Runs the end-to-end tests against ${target} and records the result for the release`,
    environment: target,
    parameters: [
      { name: 'SERVICE', type: 'choice', description: 'The service just released', choices: ctx.services },
      { name: 'VERSION', type: 'string', defaultValue: '', description: 'The version just released' },
    ],
    triggers: [{ kind: 'upstream', jobs: ctx.services.map((s) => `${target}/${s}/${releaseJob}`) }],
    pipeline: id,
    runnableBy: runnableBy(ctx, target),
  };
  return { path, pipeline, job };
}

/** Starts the e2e job (if any) for the service and the version just released, without waiting. */
export function triggerE2e(e2eJobPath: string | null, versionVariable: string): Step[] {
  if (!e2eJobPath) return [];
  return [
    {
      kind: 'trigger',
      job: `/${e2eJobPath}`,
      wait: false,
      parameters: [
        { name: 'SERVICE', value: env('SERVICE') },
        { name: 'VERSION', value: env(versionVariable) },
      ],
    },
  ];
}
