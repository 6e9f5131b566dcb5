/**
 * A ten-member release train (issue 26) next to the same ten members promoted one by one, against
 * the same moto_server in one run: four services, five functions and the migrations task, staged
 * in staging, then to prod (functions shift `live` at once: bench/train.config.json; a canary bakes in real time). Separately: `tdr approve` + `tdr promote` per service and function
 * and `tdr task run` for the task (what ten Jenkins jobs run); as a train: `tdr train plan`,
 * `tdr train approve`, `tdr train promote`. Wall time and AWS API calls (moto's request log) of
 * the prod step only; the staging set-up is the same for both and not measured.
 *
 * Run: node -r ts-node/register/transpile-only bench/train.bench.ts [runs]   (npm run bench:train)
 * Both sides run the CLI through ts-node, so each process pays the same start-up.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { STSClient, AssumeRoleCommand } from '@aws-sdk/client-sts';
import { startMoto, type MotoServer } from '../test/support/moto';
import { runsOf } from './smoke';

const ROOT = join(__dirname, '..');
const runs = runsOf(process.argv[2], 1);
const SERVICES = ['frontend', 'consignmentapi', 'keycloak', 'transferservice'];
const FUNCTIONS = ['download-files', 'antivirus', 'checksum', 'file-format', 'api-update'];
const TASK = 'consignment-api-data';
const STEP_TIMEOUT_MS = 10 * 60_000;

function tdr(args: string[], env: NodeJS.ProcessEnv): string {
  const r = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', 'cli/main.ts', ...args], {
    cwd: ROOT,
    env,
    encoding: 'utf8',
    timeout: STEP_TIMEOUT_MS,
  });
  if (r.error || r.status !== 0)
    throw new Error(`tdr ${args.join(' ')} exited ${r.status ?? r.signal}:\n${r.stderr}`);
  return r.stdout;
}

function measure(moto: MotoServer, fn: () => void): { ms: number; calls: number } {
  const before = moto.requests();
  const start = process.hrtime.bigint();
  fn();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, calls: moto.requests() - before };
}

/** An approver's session (prod's approver role in mgmt, as the integration tests assume it). */
async function approverEnv(env: NodeJS.ProcessEnv): Promise<NodeJS.ProcessEnv> {
  const sts = new STSClient({
    endpoint: env.AWS_ENDPOINT_URL,
    region: 'eu-west-2',
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
  const { Credentials: c } = await sts.send(
    new AssumeRoleCommand({
      RoleArn: 'arn:aws:iam::123456789012:role/TDRReleaseApproverProd',
      RoleSessionName: 'alice',
    }),
  );
  return {
    ...env,
    AWS_ACCESS_KEY_ID: c?.AccessKeyId,
    AWS_SECRET_ACCESS_KEY: c?.SecretAccessKey,
    AWS_SESSION_TOKEN: c?.SessionToken,
  };
}

async function staged(moto: MotoServer, env: NodeJS.ProcessEnv): Promise<NodeJS.ProcessEnv> {
  await moto.reset();
  tdr(['sandbox', 'up'], env);
  for (const m of [...SERVICES, ...FUNCTIONS]) {
    tdr(['deploy', '--service', m, '--env', 'intg', '--version', 'v2', '--actor', 'jenkins'], env);
    tdr(['promote', '--service', m, '--to', 'staging', '--actor', 'bob'], env);
  }
  tdr(['task', 'run', '--task', TASK, '--env', 'staging', '--version', 'v2', '--actor', 'bob'], env);
  return approverEnv(env);
}

async function main(): Promise<void> {
  const moto = await startMoto();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    AWS_ENDPOINT_URL: moto.endpoint,
    AWS_REGION: 'eu-west-2',
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_PROFILE: undefined,
    AWS_SESSION_TOKEN: undefined,
    TDR_ACCOUNT_IDS: undefined,
    TDR_SLACK_WEBHOOK_URL: undefined,
    TDR_RELEASE_POLL_MS: '200',
    // No soak, freeze or required check: the bench measures the promotions, not the gates' waits.
    TDR_CONFIG: join(ROOT, 'bench', 'train.config.json'),
    NODE_NO_WARNINGS: '1',
  };
  const separate: Array<{ ms: number; calls: number }> = [];
  const train: Array<{ ms: number; calls: number }> = [];
  try {
    for (let i = 0; i < runs; i++) {
      const alice = await staged(moto, env);
      separate.push(
        measure(moto, () => {
          for (const m of [...SERVICES, ...FUNCTIONS]) {
            tdr(['approve', '--service', m, '--env', 'prod'], alice);
            tdr(['promote', '--service', m, '--to', 'prod', '--actor', 'bob'], env);
          }
          tdr(['task', 'run', '--task', TASK, '--env', 'prod', '--version', 'v2', '--actor', 'bob'], env);
        }),
      );
      const alice2 = await staged(moto, env);
      train.push(
        measure(moto, () => {
          const plan = JSON.parse(tdr(['train', 'plan', '-o', 'json'], env)) as {
            trainId: string;
            members: unknown[];
          };
          if (plan.members.length !== 10)
            throw new Error(`the train has ${plan.members.length} members, not 10`);
          tdr(['train', 'approve', '--train', plan.trainId], alice2);
          tdr(['train', 'promote', '--train', plan.trainId, '--actor', 'bob'], env);
        }),
      );
    }
  } finally {
    await moto.stop();
  }
  const median = (xs: Array<{ ms: number; calls: number }>, k: 'ms' | 'calls') =>
    [...xs.map((x) => x[k])].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
  console.log(
    `ten members staging → prod against moto_server, ${runs} run(s) (median; AWS calls from moto's log)`,
  );
  console.log(
    `  ten separate promotions (21 tdr processes)   ${median(separate, 'ms').toFixed(0).padStart(7)} ms   ${median(separate, 'calls')} calls`,
  );
  console.log(
    `  one train (plan, approve, promote: 3)        ${median(train, 'ms').toFixed(0).padStart(7)} ms   ${median(train, 'calls')} calls`,
  );
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
