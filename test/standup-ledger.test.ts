/**
 * Day one in the ledger, on moto: after `tdr sandbox up` and `tdr sandbox demo` (which starts by
 * adopting what the stand-up started, `tdr ledger adopt`), `tdr status` has no DRIFT row and no
 * settled service still says its rollout is IN_PROGRESS (moto sets a service's rolloutState once,
 * at creation; ECS API Deployment.rolloutState). Adoption is recorded with the caller's identity,
 * as the baseline, and a second run adopts nothing. Row counts come from the catalogue.
 */
import { expect } from 'chai';
import { loadPlatform } from '../services/config';
import { WORKLOAD_ENVIRONMENTS } from '../services/environments';
import { ecsServices, functions } from '../services/queries';
import { BASELINE_REASON } from '../pipelines/release/admin/adopt';
import { sandboxUp, tdr } from './support/release';
import { DEMO_SERVICE } from '../sandbox/demo';
import { DEMO_CANARY_SERVICE } from '../sandbox/demo-ecs-canary';

interface Row {
  kind?: string;
  service: string;
  env: string;
  drift: string[];
  ecs?: {
    rollout: string | null;
    rolloutState: string | null;
    running: number | null;
    desired: number | null;
  };
}

describe('day one in the ledger (moto)', () => {
  it('after sandbox up and demo, status shows no drift and no settled rollout in progress', async () => {
    const env = await sandboxUp({ TDR_CONFIG: undefined });
    const demo = await tdr(['sandbox', 'demo'], env);
    expect(demo.stdout).to.contain('== Day one: the ledger adopts what the stand-up started');
    const rows = JSON.parse((await tdr(['status', '-o', 'json'], env)).stdout) as Row[];
    const catalogue = loadPlatform({}).catalogue;
    expect(rows).to.have.length(
      (ecsServices(catalogue).length + functions(catalogue).length) * WORKLOAD_ENVIRONMENTS.length,
    );
    expect(
      rows.filter((r) => r.drift.length > 0).map((r) => `${r.service}/${r.env}: ${r.drift.join('; ')}`),
    ).to.deep.equal([]);
    const services = rows.filter((r) => r.ecs);
    for (const r of services) {
      if (r.ecs!.running === r.ecs!.desired)
        expect(r.ecs!.rollout, `${r.service}/${r.env}`).to.equal('COMPLETED');
    }
    // What moto reports is left in -o json as it is: the column is what changed.
    expect(services.some((r) => r.ecs!.rolloutState === 'IN_PROGRESS')).to.equal(true);
    const table = (await tdr(['status'], env)).stdout;
    expect(table).not.to.match(/\bDRIFT\s*$/m);
    expect(table).not.to.include('IN_PROGRESS');

    // The baseline is a record of its own, with who adopted it: on a service the demo leaves alone.
    const untouched = ecsServices(catalogue)
      .map(([s]) => s)
      .find((s) => s !== DEMO_SERVICE && s !== DEMO_CANARY_SERVICE)!;
    const [baseline] = JSON.parse(
      (await tdr(['history', '--service', untouched, '--env', 'prod', '-o', 'json'], env)).stdout,
    ) as Array<Record<string, unknown>>;
    expect(baseline).to.include({ outcome: 'succeeded', reason: BASELINE_REASON });
    expect(baseline?.identity)
      .to.be.a('string')
      .and.match(/^arn:aws:/);

    const again = JSON.parse((await tdr(['ledger', 'adopt', '-o', 'json'], env)).stdout) as Array<{
      outcome: string;
    }>;
    expect(again.filter((r) => r.outcome !== 'recorded')).to.deep.equal([]);
  });
});
