/**
 * Branch builds against moto: deployable to the environment the build feeds (intg), refused
 * anywhere further, marked in `status`, replaced by the next release.
 */
import { ECRClient, PutImageCommand } from '@aws-sdk/client-ecr';
import { expect } from 'chai';
import { naming } from '../services/naming';
import { fakeManifest } from '../sandbox/definitions';
import type { StatusRow } from '../pipelines/release/reads/status';
import { sandboxUp, tdr } from './support/release';

type Env = Record<string, string | undefined>;

const BRANCH = 'branch-fix-upload-limit-1a2b3c4';
const REFUSAL = 'branch builds deploy only to intg; merge to the main branch for a vN';

/** What a branch's build pushes when asked to deploy it. */
async function pushBranchBuild(repository: string, version: string): Promise<void> {
  const repo = naming.ecrRepository(repository);
  await new ECRClient({}).send(
    new PutImageCommand({
      repositoryName: repo,
      imageTag: version,
      imageManifest: fakeManifest(repo, version),
    }),
  );
}

async function intgRow(env: Env): Promise<StatusRow | undefined> {
  const out = await tdr(['status', '-o', 'json', '--service', 'frontend', '--env', 'intg'], env);
  return (JSON.parse(out.stdout) as StatusRow[])[0];
}

describe('branch builds (moto)', () => {
  it('deploy to intg, are refused further, are marked in status, and the next release replaces them', async () => {
    const env = await sandboxUp();
    await pushBranchBuild('transfer-frontend', BRANCH);
    await tdr(['deploy', '--service', 'frontend', '--env', 'intg', '--version', 'v2'], env);

    // Jenkins passes an empty GIT_COMMIT when a person starts the job: no commit, not an error.
    const deployed = await tdr(
      ['deploy', '--service', 'frontend', '--env', 'intg', '--version', BRANCH, '--git-commit', ''],
      env,
    );
    expect(deployed.stdout).to.contain(`deploy frontend ${BRANCH} → intg: succeeded`);
    const history = JSON.parse(
      (await tdr(['history', '--service', 'frontend', '--env', 'intg', '-o', 'json'], env)).stdout,
    ) as Array<Record<string, unknown>>;
    expect(history[0]).to.include({ action: 'deploy', version: BRANCH, outcome: 'succeeded' });

    expect(await intgRow(env)).to.include({ version: BRANCH, branch: true });
    const table = (await tdr(['status', '--service', 'frontend', '--env', 'intg'], env)).stdout;
    expect(table).to.contain(`${BRANCH} [branch]`);

    // What is live in intg is the branch build, so promoting it (by default or by name) is refused.
    const byDefault = await tdr(['promote', '--service', 'frontend', '--to', 'staging'], env, 3);
    expect(byDefault.stderr).to.contain(REFUSAL);
    const named = await tdr(
      ['promote', '--service', 'frontend', '--to', 'staging', '--version', BRANCH, '-o', 'json'],
      env,
      3,
    );
    expect(named.stdout).to.contain(REFUSAL);
    await tdr(['deploy', '--service', 'frontend', '--env', 'staging', '--version', BRANCH], env, 3);
    const task = await tdr(
      ['task', 'run', '--task', 'consignment-api-data', '--env', 'staging', '--version', BRANCH],
      env,
      3,
    );
    expect(task.stderr).to.contain(REFUSAL);
    expect(
      (await tdr(['status', '-o', 'json', '--service', 'frontend', '--env', 'staging'], env)).stdout,
    ).to.not.contain(BRANCH);

    // The next merge to main deploys a release, which replaces the branch build as any deploy does.
    await tdr(['deploy', '--service', 'frontend', '--env', 'intg', '--version', 'v3'], env);
    expect(await intgRow(env)).to.include({ version: 'v3', branch: false });
    expect((await tdr(['status', '--service', 'frontend', '--env', 'intg'], env)).stdout).to.not.contain(
      '[branch]',
    );

    // Within intg a rollback may go back to the branch build (it ran there before v3), and from it.
    await tdr(['rollback', '--service', 'frontend', '--env', 'intg', '--to', BRANCH], env);
    expect(await intgRow(env)).to.include({ version: BRANCH, branch: true });
    const back = await tdr(['rollback', '--service', 'frontend', '--env', 'intg'], env);
    expect(back.stdout).to.contain('rollback frontend v2 → intg: succeeded');
  });
});
