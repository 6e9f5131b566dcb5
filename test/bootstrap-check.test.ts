/**
 * `tdr bootstrap check` on moto: after `tdr sandbox up` (which stands up what the plan's steps
 * create in mgmt, the images tagged initial and the v1 packages included, and in each workload
 * account its services, functions and load balancer) nothing is NG, the workload accounts' items
 * checked through their TDRReleaseReaderRole{Env}; delete one thing, in mgmt or in a workload
 * account, and the step that creates it is NG, the others still OK; `--step` checks one step only.
 * Between the two, day one: what each seeded `{env}/ledger-adopt` job runs adopts every service and
 * function of its environment.
 * The counts come from the catalogue and the plan, never written here.
 */
import { DeleteAliasCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { DeleteObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { expect } from 'chai';
import { loadPlatform } from '../services/config';
import { WORKLOAD_ENVIRONMENTS } from '../services/environments';
import { ecsServices, functions } from '../services/queries';
import { naming } from '../services/naming';
import { KANIKO } from '../services/kaniko';
import { initialArtifacts } from '../infra/bootstrap/plan';
import { assumeRole } from './support/accounts';
import { SANDBOX, sandboxUp, tdr } from './support/release';
import { AGENT_IMAGE_TARGETS } from '../pipelines/jenkins/settings';

interface Result {
  step: number;
  item: string;
  mark: 'ok' | 'ng' | 'skipped';
  detail: string;
}

describe('tdr bootstrap check (moto)', () => {
  it('is all OK after sandbox up, workload accounts included; a deleted package or alias is NG in its step only; --step checks one step', async () => {
    const env = await sandboxUp();
    const all = JSON.parse((await tdr(['bootstrap', 'check', '-o', 'json'], env)).stdout) as Result[];
    expect(all.filter((r) => r.mark === 'ng')).to.deep.equal([]);
    const { initialImages, initialPackages } = initialArtifacts(loadPlatform({}));
    // The seed step's `initial` images, and the Jenkins agent images and Kaniko's own image the
    // plan's images step pushes.
    expect(all.filter((r) => r.mark === 'ok' && r.item.startsWith('image '))).to.have.length(
      initialImages.length + AGENT_IMAGE_TARGETS.length + 1,
    );
    expect(all.map((r) => r.item)).to.include(
      `image ${naming.jenkinsImageRepository('kaniko')}:${KANIKO.version}`,
    );
    expect(all.filter((r) => r.mark === 'ok' && r.item.startsWith('package '))).to.have.length(
      functions(loadPlatform({}).catalogue).length,
    );
    // Each workload account, item by item, none left unchecked.
    const catalogue = loadPlatform({}).catalogue;
    for (const e of WORKLOAD_ENVIRONMENTS) {
      const mine = all.filter((r) => r.item.startsWith(`${e}: `));
      expect(mine.filter((r) => r.item.includes('ECS service'))).to.have.length(
        ecsServices(catalogue).length,
      );
      expect(mine.filter((r) => r.item.includes(': function '))).to.have.length(functions(catalogue).length);
      expect(mine.filter((r) => r.item.includes('load balancer'))).to.have.length(1);
      expect(mine.every((r) => r.mark === 'ok')).to.equal(true);
      const stack = all.find((r) => r.item === `stack ${e}`)!;
      expect(stack.mark).to.equal('ok');
      expect(stack.detail).to.include(naming.releaseReaderRole(e));
    }

    // The stand-up checks out: day one, each seeded {env}/ledger-adopt job runs `tdr ledger adopt
    // --env E` on its environment's agent (the call check simulates it as that agent's node role).
    for (const e of WORKLOAD_ENVIRONMENTS) {
      const adopted = JSON.parse(
        (await tdr(['ledger', 'adopt', '--env', e, '-o', 'json'], env)).stdout,
      ) as Array<{
        outcome: string;
      }>;
      expect(adopted.map((r) => r.outcome)).to.deep.equal(
        Array<string>(ecsServices(catalogue).length + functions(catalogue).length).fill('adopted'),
      );
    }

    const gone = initialPackages[0]!;
    await new S3Client({ forcePathStyle: true }).send(
      new DeleteObjectCommand({ Bucket: naming.backendCodeBucket(), Key: gone.key }),
    );
    const after = await tdr(['bootstrap', 'check'], env, 1);
    const ng = after.stdout.split('\n').filter((l) => l.startsWith('[NG]'));
    const seedStep = all.find((r) => r.item.endsWith(gone.key))!.step;
    expect(ng).to.have.length(1);
    expect(ng[0]).to.include(`step ${seedStep}:`).and.include(gone.key);
    expect(after.stderr).to.include('1 stand-up item missing');

    // Something a workload stack created goes: its step is NG, naming it; mgmt's NG is still there.
    const [fn] = functions(catalogue)[0]!;
    const lambda = new LambdaClient({
      credentials: await assumeRole(SANDBOX.staging, naming.jenkinsEcsUpdateRole('staging')),
    });
    await lambda.send(
      new DeleteAliasCommand({
        FunctionName: naming.functionName(fn, 'staging'),
        Name: naming.functionAlias(),
      }),
    );
    const workload = await tdr(['bootstrap', 'check'], env, 1);
    const ng2 = workload.stdout.split('\n').filter((l) => l.startsWith('[NG]'));
    const stagingStep = all.find((r) => r.item === 'stack staging')!.step;
    expect(ng2).to.have.length(2);
    expect(ng2[1])
      .to.include(`step ${stagingStep}: staging: function ${naming.functionName(fn, 'staging')}:live`)
      .and.include('ResourceNotFoundException');
    expect(workload.stderr).to.include('2 stand-up items missing');

    const one = JSON.parse(
      (await tdr(['bootstrap', 'check', '--step', '1', '-o', 'json'], env)).stdout,
    ) as Result[];
    expect(one.length).to.be.greaterThan(0);
    expect(one.every((r) => r.step === 1 && r.mark !== 'ng')).to.equal(true);
    const seedOnly = await tdr(['bootstrap', 'check', '--step', String(seedStep)], env, 1);
    expect(seedOnly.stdout).to.include('[NG]');
    expect(seedOnly.stdout).not.to.include('step 1:');
  });

  it('refuses a step that is not in the plan (exit 2), before any AWS call', async () => {
    const r = await tdr(['bootstrap', 'check', '--step', '99'], { ...process.env }, 2);
    expect(r.stderr).to.match(/--step must be a step number from 1 to \d+, got 99/);
  });
});
