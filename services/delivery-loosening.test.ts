import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect } from 'chai';
import { loadPlatform } from './config';
import { DEFAULT_CATALOGUE } from './catalogue';
import { DEFAULT_ENVIRONMENTS } from './environments';
import { loosenedDelivery } from './delivery-loosening';
import { functionDelivery, namesOfKind } from './queries';
import type { PlatformModel } from './validate';

const defaults = { environments: DEFAULT_ENVIRONMENTS, catalogue: DEFAULT_CATALOGUE } as PlatformModel;
const prod = DEFAULT_ENVIRONMENTS.prod.delivery!;
const services = namesOfKind(DEFAULT_CATALOGUE, 'service');

function withProd(delivery: unknown): PlatformModel {
  return {
    ...defaults,
    environments: { ...DEFAULT_ENVIRONMENTS, prod: { ...DEFAULT_ENVIRONMENTS.prod, delivery } },
  } as PlatformModel;
}

describe('services/delivery-loosening: TDR_CONFIG may not weaken how releases reach prod', () => {
  it('refuses dropping the canary, the approval pause, alarm rollback or a bake, for every service', () => {
    expect(prod.kind).to.equal('canary');
    const cases: Array<[unknown, string]> = [
      [{ kind: 'rolling', circuitBreaker: true, alarmRollback: false }, 'canary → rolling'],
      [{ ...prod, approvalPause: null }, 'removes the approval pause'],
      [{ ...prod, alarmRollback: false }, 'drops alarm rollback'],
      [{ ...prod, canaryBakeTimeInMinutes: 1 }, 'canaryBakeTimeInMinutes'],
      [{ ...prod, canaryPercent: 100 }, 'canaryPercent'],
      [{ ...prod, testTraffic: false }, 'drops test traffic'],
    ];
    for (const [delivery, says] of cases) {
      const issues = loosenedDelivery(defaults, withProd(delivery)).filter((i) =>
        services.some((s) => i.message.includes(` for ${s}:`)),
      );
      expect(issues, says).to.have.length(services.length);
      expect(
        issues.every((i) => i.path === 'environments.prod.delivery' && i.message.includes(says)),
        says,
      ).to.equal(true);
    }
  });

  it("refuses dropping a function's canary, a larger weight or a shorter bake, from the environment or its own override", () => {
    // Those the environment's strategy gives a canary (not those with their own allAtOnce, e.g. the canary judge).
    const fns = namesOfKind(DEFAULT_CATALOGUE, 'lambda').filter(
      (f) => functionDelivery(defaults, f, 'prod')?.kind === 'canary',
    );
    expect(fns.length).to.be.greaterThan(0);
    const fromEnv = loosenedDelivery(
      defaults,
      withProd({ kind: 'rolling', circuitBreaker: true, alarmRollback: true }),
    );
    for (const fn of fns)
      expect(fromEnv.find((i) => i.message.includes(` for ${fn}:`))?.message, fn).to.include(
        'canary → allAtOnce',
      );
    const [fn] = fns;
    const own = (delivery: unknown) =>
      ({
        ...defaults,
        catalogue: {
          ...DEFAULT_CATALOGUE,
          [fn!]: { ...DEFAULT_CATALOGUE[fn!], delivery: { prod: delivery } },
        },
      }) as PlatformModel;
    for (const [delivery, says] of [
      [{ kind: 'allAtOnce' }, 'canary → allAtOnce'],
      [{ kind: 'canary', weightPercent: 50, bakeMinutes: 15 }, 'weightPercent'],
      [{ kind: 'canary', weightPercent: 10, bakeMinutes: 1 }, 'bakeMinutes'],
    ] as const) {
      const issues = loosenedDelivery(defaults, own(delivery));
      expect(
        issues.map((i) => i.path),
        says,
      ).to.deep.equal([`catalogue.${fn}.delivery.prod`]);
      expect(issues[0]!.message).to.include(says);
    }
    expect(
      loosenedDelivery(defaults, own({ kind: 'canary', weightPercent: 5, bakeMinutes: 30 })),
    ).to.deep.equal([]);
  });

  it("names a service's own override, and accepts tightening", () => {
    const [service] = services;
    const own = {
      ...defaults,
      catalogue: {
        ...DEFAULT_CATALOGUE,
        [service!]: { ...DEFAULT_CATALOGUE[service!], delivery: { prod: { ...prod, approvalPause: null } } },
      },
    } as PlatformModel;
    expect(loosenedDelivery(defaults, own).map((i) => i.path)).to.deep.equal([
      `catalogue.${service}.delivery.prod`,
    ]);
    const tighter = withProd({ ...prod, canaryPercent: 5, canaryBakeTimeInMinutes: 30 });
    expect(loosenedDelivery(defaults, tighter)).to.deep.equal([]);
    expect(loosenedDelivery(defaults, defaults)).to.deep.equal([]);
  });

  it("loadPlatform refuses a TDR_CONFIG that drops prod's canary and approval pause, except on a local sandbox", () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tdr-loosen-')), 'config.json');
    writeFileSync(file, JSON.stringify({ environments: { prod: { delivery: { approvalPause: null } } } }));
    let message = '';
    try {
      loadPlatform({ TDR_CONFIG: file });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).to.contain('environments.prod.delivery');
    expect(message).to.contain('removes the approval pause');
    const local = loadPlatform({ TDR_CONFIG: file, AWS_ENDPOINT_URL: 'http://127.0.0.1:5000' });
    rmSync(dirname(file), { recursive: true, force: true });
    expect(local.environments.prod.delivery).to.deep.include({ approvalPause: null });
  });
});
