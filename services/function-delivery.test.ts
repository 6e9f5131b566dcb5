import { expect } from 'chai';
import { DEFAULT_CATALOGUE } from './catalogue';
import { deepMerge } from './config';
import { ALL_AT_ONCE, FUNCTION_CANARY_LIMITS, functionDeliveryFrom, type DeliveryStrategy } from './delivery';
import { DEFAULT_ENVIRONMENTS, WORKLOAD_ENVIRONMENTS } from './environments';
import { functionDelivery, functions, ecsServices } from './queries';
import { validatePlatform } from './validate';

const model = { environments: DEFAULT_ENVIRONMENTS, catalogue: DEFAULT_CATALOGUE };
const [fn] = functions(DEFAULT_CATALOGUE)[0]!;
const withOverride = (delivery: unknown): unknown =>
  deepMerge(structuredClone(model), { catalogue: { [fn]: { delivery: { prod: delivery } } } });

describe('services/delivery: how a function release moves live', () => {
  it("takes a canary from the environment's strategy: canary and linear weigh, blue/green and rolling move at once", () => {
    for (const env of WORKLOAD_ENVIRONMENTS) {
      const s = DEFAULT_ENVIRONMENTS[env].delivery;
      const expected =
        s?.kind === 'canary'
          ? { kind: 'canary', weightPercent: s.canaryPercent, bakeMinutes: s.canaryBakeTimeInMinutes }
          : s?.kind === 'linear'
            ? { kind: 'canary', weightPercent: s.stepPercent, bakeMinutes: s.stepBakeTimeInMinutes }
            : ALL_AT_ONCE;
      for (const [name, entry] of functions(DEFAULT_CATALOGUE))
        expect(functionDelivery(model, name, env), `${name} in ${env}`).to.deep.equal(
          entry.delivery?.[env] ?? expected,
        );
    }
    expect(functionDelivery(model, ecsServices(DEFAULT_CATALOGUE)[0]![0], 'prod')).to.equal(undefined);
  });

  it('an ECS canary of 100 % or with no bake is still a judged function canary: at most 99.9 %, at least a minute', () => {
    const s: DeliveryStrategy = {
      kind: 'canary',
      canaryPercent: 100,
      canaryBakeTimeInMinutes: 0,
      bakeTimeInMinutes: 0,
      testTraffic: false,
      approvalPause: null,
      alarmRollback: true,
    };
    expect(functionDeliveryFrom(s)).to.deep.equal({
      kind: 'canary',
      weightPercent: FUNCTION_CANARY_LIMITS.weightPercent.max,
      bakeMinutes: FUNCTION_CANARY_LIMITS.bakeMinutes.min,
    });
  });

  it("takes a function's own delivery for that environment only", () => {
    const mine = { kind: 'canary', weightPercent: 5, bakeMinutes: 30 };
    const m = withOverride(mine) as typeof model;
    expect(validatePlatform(m)).to.deep.equal([]);
    expect(functionDelivery(m, fn, 'prod')).to.deep.equal(mine);
    expect(functionDelivery(m, fn, 'staging')).to.deep.equal(functionDelivery(model, fn, 'staging'));
    expect(functionDelivery(withOverride({ kind: 'allAtOnce' }) as typeof model, fn, 'prod')).to.deep.equal(
      ALL_AT_ONCE,
    );
  });

  it('names the field of a weight or bake out of range (Lambda weight 0.0-1.0, whole minutes 1-1440)', () => {
    const path = (field: string) => `catalogue.${fn}.delivery.prod.${field}`;
    for (const [bad, field] of [
      [{ kind: 'canary', weightPercent: 100, bakeMinutes: 10 }, 'weightPercent'],
      [{ kind: 'canary', weightPercent: 0, bakeMinutes: 10 }, 'weightPercent'],
      [{ kind: 'canary', weightPercent: 10.05, bakeMinutes: 10 }, 'weightPercent'],
      [{ kind: 'canary', weightPercent: 10, bakeMinutes: 0 }, 'bakeMinutes'],
      [{ kind: 'canary', weightPercent: 10, bakeMinutes: 1441 }, 'bakeMinutes'],
      [{ kind: 'canary', weightPercent: 10, bakeMinutes: 2.5 }, 'bakeMinutes'],
    ] as const) {
      const issues = validatePlatform(withOverride(bad));
      expect(
        issues.map((i) => i.path),
        JSON.stringify(bad),
      ).to.deep.equal([path(field)]);
    }
    const unknown = validatePlatform(withOverride({ kind: 'linear', weightPercent: 10, bakeMinutes: 10 }));
    expect(unknown.map((i) => i.message).join()).to.match(/allAtOnce or canary/);
    const extra = validatePlatform(withOverride({ kind: 'allAtOnce', weightPercent: 10 }));
    expect(extra).to.have.length(1);
  });
});
