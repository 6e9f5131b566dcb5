/**
 * The platform's own Lambda functions: built from this repository (the platform's, `tdr-platform`
 * in pipelines/jenkins/settings.ts `platformRepository`) and released like the backend's
 * (./backend-catalogue.ts): a package per `vN` in mgmt's code bucket with its SHA-256, a published
 * version, the `live` alias moved through intg, staging and prod by the same saga and gates.
 */
import { ALL_AT_ONCE } from './delivery';
import { same, type Catalogue } from './catalogue-types';

/**
 * What the judge hook is told (`lifecycleHooks[].hookDetails`): written by infra
 * (infra/definitions/ecs-deployment.ts `judgeHookDetails`), read by the hook
 * (pipelines/release/hook/ecs-canary-hook.ts), which checks every field.
 */
export interface JudgeHookDetails {
  /** The catalogue service, for the hook's log. */
  readonly service: string;
  /** CloudWatch's `LoadBalancer` dimension value (`app/{name}/{id}`). */
  readonly loadBalancer: string;
  /** The service's two target groups (`targetgroup/{name}/{id}`), in no particular order. */
  readonly targetGroups: readonly [string, string];
  /** How long the canary is judged before the hook answers SUCCEEDED. */
  readonly windowMinutes: number;
  /** Fewer requests than this on the canary say nothing (inconclusive). */
  readonly minRequests: number;
}

/** The canary judge's name in the catalogue: infra points the ECS judge hook at its `live` alias. */
export const CANARY_JUDGE_FUNCTION = 'canary-judge';

export const PLATFORM_FUNCTIONS: Catalogue = {
  [CANARY_JUDGE_FUNCTION]: {
    kind: 'lambda',
    pascalName: 'CanaryJudge',
    description:
      'The canary judge as an ECS lifecycle hook: judges a canary against its baseline from CloudWatch, so a dead Jenkins does not stop the judging',
    source: {
      repository: 'tdr-platform',
      mainBranch: 'main',
      // The hook, the judge and the GetMetricData reader it bundles, and the package's own check.
      test: 'npm ci && npm run test:canary-judge',
      // tsc, then the hook's module closure zipped (pipelines/release/hook/package.ts).
      package: 'npm ci && npm run package:canary-judge',
      artifact: 'build/functions/canary-judge.zip',
      buildFile: 'package.json',
    },
    // The Node.js major the platform is built and tested with (tsc targets ES2025); the runtime
    // provides the AWS SDK v3 the hook imports, the package carries the rest.
    runtime: 'nodejs24.x',
    handler: 'pipelines/release/hook/index.handler',
    memory: same(256),
    // A judgement is one GetMetricData call (a few pages at most): far under a minute.
    timeoutSeconds: same(60),
    reservedConcurrency: null,
    network: { vpc: false },
    // ECS invokes it directly (the hook role, infra/definitions/ecs-deployment.ts); nothing else does.
    triggers: [],
    access: { readBuckets: [], writeBuckets: [], parameters: [], topics: [], readMetrics: true },
    // A canary of the judge itself would wait for invocations that come only with an ECS canary:
    // inconclusive (no data is never a pass), never promoted. Its tests and the package check are its gate.
    delivery: same(ALL_AT_ONCE),
  },
};
