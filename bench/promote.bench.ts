/**
 * `tdr promote` next to the AWS CLI sequence TDR's Jenkins used for the same promotion, against
 * the same moto_server in the same run, interleaved so that a noisy shared machine slows both:
 *
 *   aws sts assume-role (TDRJenkinsECSUpdateRole{Env}, as the Jenkins node does)
 *   aws ecr batch-get-image + aws ecr put-image      (retag the build for the environment)
 *   aws ecs update-service --force-new-deployment
 *   aws ecs wait services-stable
 *
 * tdr does more (ledger, lease, gates, a pinned task-definition revision); the target is still at
 * most half the wall time. AWS API calls are counted for both from moto's own request log.
 *
 * Run: npm run build && node -r ts-node/register/transpile-only bench/promote.bench.ts [runs]
 * Needs moto_server and an `aws` CLI (v1 from pip or v2 from Debian's awscli) on PATH, or named by
 * TDR_BENCH_AWS (e.g. TDR_BENCH_AWS=/usr/bin/aws for Debian's v2).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startMoto, type MotoServer } from '../test/support/moto';
import { naming } from '../services/naming';
import { runsOf, smoke } from './smoke';

const cli = join(__dirname, '..', 'build', 'cli', 'main.js');
if (!existsSync(cli)) {
  console.error(`${cli} is missing: run npm run build first`);
  process.exit(2);
}
const runs = runsOf(process.argv[2], 5);
const SERVICE = 'frontend';
const TO = 'staging' as const;
const STAGING_ACCOUNT = '333333333333';

/** No step of the bench waits forever: a command still running after this is killed and named. */
const STEP_TIMEOUT_MS = 10 * 60_000;

/**
 * A command run synchronously, so its wall time is its own. This process's event loop stands still
 * meanwhile, which is why moto's request log goes to a file (test/support/moto.ts, issue 27).
 */
function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): string {
  const r = spawnSync(cmd, args, { env, encoding: 'utf8', timeout: STEP_TIMEOUT_MS });
  if (r.error || r.status !== 0)
    throw new Error(
      `${cmd} ${args.join(' ')} ${r.signal ? `was killed (${r.signal}) after ${STEP_TIMEOUT_MS} ms` : `exited ${r.status}`}:\n${r.stderr}`,
    );
  return r.stdout;
}

/** Requests moto logged while `fn` ran (moto writes each line as it answers, so none is pending). */
function measure(moto: MotoServer, fn: () => void): { ms: number; calls: number } {
  const before = moto.requests();
  const start = process.hrtime.bigint();
  fn();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  return { ms, calls: moto.requests() - before };
}

/**
 * The AWS CLI's version line, or undefined when there is none: a smoke run (./smoke.ts) then
 * measures tdr alone, saying so; a full run needs both, so it stops (exit 2) before starting moto.
 */
function awsCliVersion(awsBin: string): string | undefined {
  const v = spawnSync(awsBin, ['--version'], { encoding: 'utf8', timeout: 60_000 });
  if (!v.error && v.status === 0) return (v.stdout.trim() || v.stderr.trim()).split('\n')[0];
  if (smoke()) return undefined;
  console.error(
    `no AWS CLI at ${JSON.stringify(awsBin)} (${v.error?.message ?? `exit ${v.status}`}): install one (pip install awscli, or Debian's awscli) or name it with TDR_BENCH_AWS`,
  );
  process.exit(2);
}

// eslint-disable-next-line max-lines-per-function -- a benchmark script: its steps in the order they are measured.
async function main(): Promise<void> {
  // TDR_BENCH_AWS picks the CLI, e.g. /usr/bin/aws for Debian's awscli v2 where a pip v1 comes first on PATH.
  const awsBin = process.env.TDR_BENCH_AWS ?? 'aws';
  const awsVersion = awsCliVersion(awsBin);
  const moto = await startMoto();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    AWS_ENDPOINT_URL: moto.endpoint,
    AWS_REGION: 'eu-west-2',
    AWS_DEFAULT_REGION: 'eu-west-2',
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_PROFILE: undefined,
    AWS_SESSION_TOKEN: undefined,
    TDR_ACCOUNT_IDS: undefined,
    TDR_CONFIG: undefined,
    TDR_SLACK_WEBHOOK_URL: undefined,
    NODE_NO_WARNINGS: '1',
  };
  const aws = (args: string[], e = env) =>
    run(awsBin, ['--endpoint-url', moto.endpoint, '--output', 'json', ...args], e);
  const tdr: Record<string, number[]> = { ms: [], calls: [] };
  const awsCli: Record<string, number[]> = { ms: [], calls: [] };
  try {
    console.error(`aws: ${awsVersion ?? `none at ${awsBin}: a smoke run measures tdr alone`}`);
    for (let i = 0; i < runs; i++) {
      // Same starting point for both: a fresh sandbox with v2 live in intg.
      await moto.reset();
      run(process.execPath, [cli, 'sandbox', 'up'], env);
      run(
        process.execPath,
        [cli, 'deploy', '--service', SERVICE, '--env', 'intg', '--version', 'v2', '--actor', 'jenkins'],
        env,
      );

      const viaTdr = () =>
        run(process.execPath, [cli, 'promote', '--service', SERVICE, '--to', TO, '--actor', 'bench'], env);
      const viaAws = () => {
        const role = JSON.parse(
          aws([
            'sts',
            'assume-role',
            '--role-arn',
            naming.roleArn(STAGING_ACCOUNT, naming.jenkinsEcsUpdateRole(TO)),
            '--role-session-name',
            'jenkins',
          ]),
        ) as { Credentials: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string } };
        const manifest = aws([
          'ecr',
          'batch-get-image',
          '--repository-name',
          'transfer-frontend',
          '--image-ids',
          'imageTag=v2',
          '--query',
          'images[0].imageManifest',
          '--output',
          'text',
        ]).trim();
        aws([
          'ecr',
          'put-image',
          '--repository-name',
          'transfer-frontend',
          '--image-tag',
          `${TO}-${i}`,
          '--image-manifest',
          manifest,
        ]);
        const workload = {
          ...env,
          AWS_ACCESS_KEY_ID: role.Credentials.AccessKeyId,
          AWS_SECRET_ACCESS_KEY: role.Credentials.SecretAccessKey,
          AWS_SESSION_TOKEN: role.Credentials.SessionToken,
        };
        const target = ['--cluster', naming.cluster(SERVICE, TO)];
        aws(
          [
            'ecs',
            'update-service',
            ...target,
            '--service',
            naming.ecsService(SERVICE, TO),
            '--force-new-deployment',
          ],
          workload,
        );
        aws(
          ['ecs', 'wait', 'services-stable', ...target, '--services', naming.ecsService(SERVICE, TO)],
          workload,
        );
      };
      // Alternate which goes first.
      const order: Array<[Record<string, number[]>, () => unknown]> =
        i % 2 === 0
          ? [
              [tdr, viaTdr],
              [awsCli, viaAws],
            ]
          : [
              [awsCli, viaAws],
              [tdr, viaTdr],
            ];
      for (const [into, fn] of order.filter(([into]) => into === tdr || awsVersion !== undefined)) {
        const m = measure(moto, () => void fn());
        into.ms?.push(m.ms);
        into.calls?.push(m.calls);
      }
    }
  } finally {
    await moto.stop();
  }
  const median = (xs: number[] = []) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
  console.log(
    `promote ${SERVICE} to ${TO} against moto_server, ${runs} interleaved runs (median wall time, AWS API calls per promotion from moto's request log)`,
  );
  console.log(
    `  tdr promote (compiled, one process)          ${median(tdr.ms).toFixed(0).padStart(6)} ms   ${median(tdr.calls)} calls   [${tdr.ms?.map((x) => x.toFixed(0)).join(', ')}]`,
  );
  if (awsVersion === undefined) {
    console.log('  aws CLI sequence: not measured (no AWS CLI; smoke run)');
    return;
  }
  console.log(
    `  aws CLI sequence (5 processes)               ${median(awsCli.ms).toFixed(0).padStart(6)} ms   ${median(awsCli.calls)} calls   [${awsCli.ms?.map((x) => x.toFixed(0)).join(', ')}]`,
  );
  const ratio = median(tdr.ms) / median(awsCli.ms);
  console.log(
    `  ratio tdr / aws CLI: ${ratio.toFixed(2)} — target ≤ 0.50: ${ratio <= 0.5 ? 'met' : 'MISSED'}`,
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
