/**
 * A bad day: every AWS call of ≥ 50 release operations goes through the fault proxy, and one in
 * five fails, before moto sees it or after moto applied it (connection reset, HTTP 500). The SDK
 * retries; what the engine must add is that a retried write recognises its own, that an unknown
 * outcome is settled from ECS, and that nothing reports success that did not happen. Afterwards,
 * with the faults off and one more operation per service × environment to settle what was left
 * open: the ledger says what ECS runs everywhere, no gap, no duplicate step, no lease held.
 */
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { expect } from 'chai';
import { naming } from '../../services/naming';
import type { StatusRow } from '../../pipelines/release/reads/status';
import { motoServer } from '../support/hooks';
import { seededRandom, startProxy, type Proxy } from '../support/proxy';
import { runTdr, type CliResult } from '../support/cli';
import { liveImage, sandboxUp, tdr } from '../support/release';

type Env = Record<string, string | undefined>;
type Step = { argv: string[]; service: string; env: 'intg' | 'staging'; kind: 'release' | 'check' };

const SERVICES = ['frontend', 'consignmentapi', 'keycloak'] as const;
const OPS = 54;
const SEED = Number(process.env.TDR_FAULT_SEED ?? 20261125);

/** A seeded mix: deploys to intg, promotions to staging, rollbacks, e2e results. */
function plan(seed: number): Step[] {
  const random = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  return Array.from({ length: OPS }, (_, i): Step => {
    const service = pick(SERVICES);
    const roll = random();
    if (roll < 0.45) {
      const version = pick(['v2', 'v3']);
      return {
        argv: ['deploy', '--service', service, '--env', 'intg', '--version', version, '-o', 'json'],
        service,
        env: 'intg',
        kind: 'release',
      };
    }
    if (roll < 0.75)
      return {
        argv: ['promote', '--service', service, '--to', 'staging', '-o', 'json'],
        service,
        env: 'staging',
        kind: 'release',
      };
    if (roll < 0.85) {
      const env = pick(['intg', 'staging'] as const);
      return {
        argv: ['rollback', '--service', service, '--env', env, '-o', 'json'],
        service,
        env,
        kind: 'release',
      };
    }
    const argv = ['check', 'record', '--service', service, '--env', 'intg', '--version', 'v2'];
    return {
      argv: [...argv, '--name', `check-${i}`, '--result', 'passed', '-o', 'json'],
      service,
      env: 'intg',
      kind: 'check',
    };
  });
}

interface Ledgered {
  seq: number;
  kind: string;
  runId?: string;
  outcome?: string;
  name?: string;
  settles?: number | null;
}

async function history(env: Env, service: string, e: string): Promise<Ledgered[]> {
  const r = await tdr(['history', '--service', service, '--env', e, '--limit', '1000', '-o', 'json'], env);
  return JSON.parse(r.stdout) as Ledgered[];
}

describe('resilience: release operations at 20 % AWS faults (moto + fault proxy)', () => {
  let proxy: Proxy;
  afterEach(async () => proxy?.close());

  it(`${OPS} operations: ledger = ECS, no gap, no duplicate step, no lease held, no exit 0 after a failure`, async function () {
    this.timeout(900_000);
    const clean = await sandboxUp();
    proxy = await startProxy(motoServer().endpoint);
    const env: Env = { ...clean, AWS_ENDPOINT_URL: proxy.endpoint };
    // A first success everywhere, so promotions and rollbacks have something to act on.
    for (const s of SERVICES) {
      await tdr(['deploy', '--service', s, '--env', 'intg', '--version', 'v2'], env);
      await tdr(['promote', '--service', s, '--to', 'staging'], env);
    }

    proxy.setFaults({ seed: SEED, rate: 0.2 });
    const results: Array<{ step: Step; r: CliResult }> = [];
    for (const step of plan(SEED)) {
      const r = await runTdr(step.argv, env);
      results.push({ step, r });
      const why = `tdr ${step.argv.join(' ')} → ${r.code}\n${r.stderr}`;
      // 3: a gate said no (e.g. nothing older to roll back to). 4 would be a lease left behind.
      expect([0, 1, 3], why).to.include(r.code);
      if (r.code === 0 && step.kind === 'release') {
        const out = JSON.parse(r.stdout) as { outcome: string; digest: string };
        expect(out.outcome, why).to.equal('succeeded');
        // Checked at once, around the proxy: exit 0 means ECS runs it.
        const direct = await liveImage(step.service, step.env);
        expect(direct.image, why).to.contain(out.digest);
      }
    }
    const faults = proxy.faults();
    proxy.setFaults(undefined);
    const codes = results.map((x) => x.r.code);
    process.stderr.write(
      `      ${faults.length} faults injected over ${proxy.requests()} requests (${['reset-before', '500-before', 'reset-after', '500-after'].map((k) => `${k} ${faults.filter((f) => f.kind === k).length}`).join(', ')}); exits: ${[0, 1, 3].map((c) => `${c}×${codes.filter((x) => x === c).length}`).join(' ')}\n`,
    );
    const appliedThenLost = faults.filter(
      (f) => f.kind.endsWith('-after') && / PutObject records\//.test(f.op),
    );
    expect(appliedThenLost.length, 'ledger writes applied with their reply lost').to.be.greaterThan(0);
    expect(results.length).to.be.at.least(50);

    // Faults off: the next operation on each service × environment settles whatever was left open.
    for (const s of SERVICES) {
      await tdr(['deploy', '--service', s, '--env', 'intg', '--version', 'v3'], env);
      await tdr(['promote', '--service', s, '--to', 'staging'], env);
    }

    const rows = JSON.parse((await tdr(['status', '-o', 'json'], env)).stdout) as StatusRow[];
    for (const row of rows.filter(
      (x) => (SERVICES as readonly string[]).includes(x.service) && x.env !== 'prod',
    )) {
      expect(row.drift, `${row.service}/${row.env}`).to.deep.equal([]);
      expect(row.unsettled, `${row.service}/${row.env}`).to.deep.equal([]);
    }
    for (const s of SERVICES) {
      for (const e of ['intg', 'staging']) {
        const records = await history(env, s, e);
        const seqs = records.map((r) => r.seq).reverse();
        expect(seqs, `${s}/${e}: no gap`).to.deep.equal(seqs.map((_, i) => i + 1));
        const steps = records
          .filter((r) => r.kind === 'release')
          .map((r) => `${r.runId} ${r.outcome === 'started' ? 'started' : 'final'}`);
        expect(steps, `${s}/${e}: no duplicate step`).to.deep.equal([...new Set(steps)]);
        const checks = records.filter((r) => r.kind === 'check').map((r) => r.name);
        expect(checks, `${s}/${e}: each check once`).to.deep.equal([...new Set(checks)]);
      }
    }
    const leases = await new S3Client({ forcePathStyle: true }).send(
      new ListObjectsV2Command({ Bucket: naming.ledgerBucket(), Prefix: 'leases/' }),
    );
    expect(leases.Contents ?? [], 'no lease held').to.deep.equal([]);
    // Every check that exited 0 is in the ledger exactly once.
    for (const { step, r } of results.filter((x) => x.step.kind === 'check' && x.r.code === 0)) {
      const name = step.argv[step.argv.indexOf('--name') + 1];
      const records = await history(env, step.service, 'intg');
      expect(
        records.filter((x) => x.name === name),
        `${name} recorded once`,
      ).to.have.length(1, r.stderr);
    }
  });
});
