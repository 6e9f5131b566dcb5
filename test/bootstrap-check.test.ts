/**
 * `tdr bootstrap check` on moto: after `tdr sandbox up` (which stands up what the plan's steps
 * create in mgmt, the images tagged initial and the v1 packages included) nothing is NG; delete one
 * thing and the step that creates it is NG, the others still OK; `--step` checks one step only.
 * The counts come from the catalogue and the plan, never written here.
 */
import { DeleteObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { expect } from 'chai';
import { loadPlatform } from '../services/config';
import { functions } from '../services/queries';
import { naming } from '../services/naming';
import { initialArtifacts } from '../infra/bootstrap/plan';
import { sandboxUp, tdr } from './support/release';

interface Result {
  step: number;
  item: string;
  mark: 'ok' | 'ng' | 'skipped';
  detail: string;
}

describe('tdr bootstrap check (moto)', () => {
  it('is all OK after sandbox up; a deleted package is NG in its step only; --step checks one step', async () => {
    const env = await sandboxUp();
    const all = JSON.parse((await tdr(['bootstrap', 'check', '-o', 'json'], env)).stdout) as Result[];
    expect(all.filter((r) => r.mark === 'ng')).to.deep.equal([]);
    const { initialImages, initialPackages } = initialArtifacts(loadPlatform({}));
    expect(all.filter((r) => r.mark === 'ok' && r.item.startsWith('image '))).to.have.length(
      initialImages.length,
    );
    expect(all.filter((r) => r.mark === 'ok' && r.item.startsWith('package '))).to.have.length(
      functions(loadPlatform({}).catalogue).length,
    );

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
