import { expect } from 'chai';
import { DEFAULT_CATALOGUE } from './catalogue';
import { deepMerge } from './config';
import {
  DELIVERY_LIMITS,
  describeDelivery,
  isTenthOfPercent,
  linearBakedSteps,
  linearShifts,
  plannedMinutes,
  ROLLING_WITH_CIRCUIT_BREAKER,
  type DeliveryStrategy,
} from './delivery';
import { DEFAULT_ENVIRONMENTS, WORKLOAD_ENVIRONMENTS } from './environments';
import { deliveryStrategy, ecsServices, functions } from './queries';
import { validatePlatform } from './validate';

/** The embedded model with `patch` deep-merged in (objects merge, arrays and scalars replace). */
function broken(patch: unknown): unknown {
  return deepMerge(
    structuredClone({ environments: DEFAULT_ENVIRONMENTS, catalogue: DEFAULT_CATALOGUE }),
    patch,
  );
}

/** The embedded model with an environment's strategy replaced whole (a merge would keep the old fields). */
function withDelivery(env: string, strategy: unknown): unknown {
  const model = broken({}) as { environments: Record<string, Record<string, unknown>> };
  model.environments[env]!.delivery = strategy;
  return model;
}

const canary = (over: Partial<Record<string, unknown>> = {}) => ({
  kind: 'canary',
  canaryPercent: 10,
  canaryBakeTimeInMinutes: 15,
  bakeTimeInMinutes: 15,
  testTraffic: true,
  approvalPause: null,
  alarmRollback: true,
  ...over,
});
const linear = (over: Partial<Record<string, unknown>> = {}) => ({
  kind: 'linear',
  stepPercent: 10,
  stepBakeTimeInMinutes: 6,
  bakeTimeInMinutes: 10,
  testTraffic: false,
  approvalPause: null,
  alarmRollback: true,
  ...over,
});

describe('services/delivery: delivery strategies in the model', () => {
  describe('the ECS ranges (API reference), each problem naming its field', () => {
    const cases: ReadonlyArray<{ name: string; strategy: unknown; field: string; message: RegExp }> = [
      {
        name: 'canaryPercent below 0.1',
        strategy: canary({ canaryPercent: 0 }),
        field: 'canaryPercent',
        message: /multiple of 0.1 from 0.1 to 100/,
      },
      {
        name: 'canaryPercent above 100',
        strategy: canary({ canaryPercent: 100.1 }),
        field: 'canaryPercent',
        message: /from 0.1 to 100/,
      },
      {
        name: 'canaryPercent not a tenth',
        strategy: canary({ canaryPercent: 5.05 }),
        field: 'canaryPercent',
        message: /multiple of 0.1/,
      },
      {
        name: 'canaryBakeTimeInMinutes above 1440',
        strategy: canary({ canaryBakeTimeInMinutes: 1441 }),
        field: 'canaryBakeTimeInMinutes',
        message: /0-1440 \(ECS API reference, CanaryConfiguration\)/,
      },
      {
        name: 'canaryBakeTimeInMinutes negative',
        strategy: canary({ canaryBakeTimeInMinutes: -1 }),
        field: 'canaryBakeTimeInMinutes',
        message: /whole number of minutes, 0-1440/,
      },
      {
        name: 'a fractional bake',
        strategy: canary({ bakeTimeInMinutes: 1.5 }),
        field: 'bakeTimeInMinutes',
        message: /whole number of minutes.*DeploymentConfiguration/,
      },
      {
        name: 'stepPercent below 3',
        strategy: linear({ stepPercent: 2.9 }),
        field: 'stepPercent',
        message: /from 3 to 100 \(ECS API reference, LinearConfiguration\)/,
      },
      {
        name: 'stepPercent not a tenth',
        strategy: linear({ stepPercent: 3.33 }),
        field: 'stepPercent',
        message: /multiple of 0.1/,
      },
      {
        name: 'stepBakeTimeInMinutes above 1440',
        strategy: linear({ stepBakeTimeInMinutes: 2000 }),
        field: 'stepBakeTimeInMinutes',
        message: /0-1440/,
      },
      {
        name: 'blue/green without its required bake',
        strategy: { kind: 'blueGreen', testTraffic: true, approvalPause: null, alarmRollback: true },
        field: 'bakeTimeInMinutes',
        message: /whole number of minutes/,
      },
      {
        name: 'a pause timeout of 0',
        strategy: canary({ approvalPause: { timeoutInMinutes: 0 } }),
        field: 'approvalPause.timeoutInMinutes',
        message: /1-20160/,
      },
      {
        name: 'a pause timeout over 14 days',
        strategy: canary({ approvalPause: { timeoutInMinutes: 20161 } }),
        field: 'approvalPause.timeoutInMinutes',
        message: /1-20160/,
      },
      {
        name: 'an unknown field',
        strategy: canary({ canaryPercentage: 10 }),
        field: '',
        message: /canaryPercentage/,
      },
    ];
    for (const c of cases) {
      it(`refuses ${c.name}`, () => {
        const issues = validatePlatform(withDelivery('prod', c.strategy));
        const at = ['environments.prod.delivery', c.field].filter(Boolean).join('.');
        const mine = issues.filter((i) => i.path === at);
        expect(mine, JSON.stringify(issues)).to.have.length(1);
        expect(mine.map((i) => i.message).join('; ')).to.match(c.message);
      });
    }

    it('refuses a kind ECS has no strategy for, naming the valid ones', () => {
      const issues = validatePlatform(withDelivery('prod', { kind: 'shadow' }));
      expect(issues.map((i) => `${i.path}: ${i.message}`)).to.deep.include(
        'environments.prod.delivery.kind: kind must be rolling, blueGreen, canary or linear',
      );
    });

    it('reports every problem at once', () => {
      const issues = validatePlatform(
        broken({
          environments: { prod: { delivery: canary({ canaryPercent: 0, canaryBakeTimeInMinutes: 9999 }) } },
          catalogue: { frontend: { delivery: { staging: linear({ stepPercent: 1 }) } } },
        }),
      );
      expect(issues.map((i) => i.path)).to.include.members([
        'environments.prod.delivery.canaryPercent',
        'environments.prod.delivery.canaryBakeTimeInMinutes',
        'catalogue.frontend.delivery.staging.stepPercent',
      ]);
    });

    it('accepts the edges of every range', () => {
      for (const strategy of [
        canary({ canaryPercent: 0.1, canaryBakeTimeInMinutes: 0, bakeTimeInMinutes: 0 }),
        canary({ canaryPercent: 100, canaryBakeTimeInMinutes: 1440, bakeTimeInMinutes: 540 }),
        linear({ stepPercent: 3, stepBakeTimeInMinutes: 0 }),
        linear({ stepPercent: 100, stepBakeTimeInMinutes: 1440, bakeTimeInMinutes: 1440 }),
        canary({ approvalPause: { timeoutInMinutes: 1 } }),
        canary({ approvalPause: { timeoutInMinutes: 20160 } }),
      ])
        expect(validatePlatform(withDelivery('prod', strategy)), JSON.stringify(strategy)).to.deep.equal([]);
    });
  });

  describe('the 33-hour limit (CloudFormation: bake + canary bake, or bake + step bake × steps)', () => {
    it('counts linear steps as CloudFormation does: no bake after the shift that reaches 100 %', () => {
      // The examples of the CloudFormation page: 50 % is two shifts and one baked step; 11 % is 9.
      expect([linearBakedSteps(50), linearShifts(50)]).to.deep.equal([1, 2]);
      expect([linearBakedSteps(11), linearShifts(11)]).to.deep.equal([9, 10]);
      expect([linearBakedSteps(10), linearShifts(10)]).to.deep.equal([9, 10]);
      expect([linearBakedSteps(100), linearShifts(100)]).to.deep.equal([0, 1]);
      expect(linearBakedSteps(3)).to.equal(33);
    });

    it('accepts exactly 33 hours and refuses a minute more, naming the field and the source', () => {
      const max = DELIVERY_LIMITS.plannedMinutes.max;
      const at = (bake: number) => canary({ bakeTimeInMinutes: bake, canaryBakeTimeInMinutes: 1440 });
      expect(plannedMinutes(at(max - 1440) as DeliveryStrategy)).to.equal(max);
      expect(validatePlatform(withDelivery('prod', at(max - 1440)))).to.deep.equal([]);
      const issues = validatePlatform(withDelivery('prod', at(max - 1440 + 1)));
      expect(issues).to.have.length(1);
      expect(issues[0]!.path).to.equal('environments.prod.delivery.bakeTimeInMinutes');
      expect(issues[0]!.message).to.match(
        /1981 minutes.*at most 1980 \(33 hours, CloudFormation's AWS::ECS::Service CanaryConfiguration\)/,
      );
    });

    it('refuses a linear deployment whose steps add up past it, though each bake is in range', () => {
      // 3 % steps: 33 baked steps × 60 min + 1 = 1981.
      const strategy = linear({ stepPercent: 3, stepBakeTimeInMinutes: 60, bakeTimeInMinutes: 1 });
      const issues = validatePlatform(broken({ catalogue: { keycloak: { delivery: { prod: strategy } } } }));
      expect(issues.map((i) => i.path)).to.deep.equal(['catalogue.keycloak.delivery.prod.bakeTimeInMinutes']);
      expect(issues[0]!.message).to.match(/1981 minutes.*LinearConfiguration/);
    });
  });

  describe('what an approval pause depends on', () => {
    it('needs test traffic to have been shown, and approvers to continue it', () => {
      const issues = validatePlatform(
        withDelivery('staging', canary({ testTraffic: false, approvalPause: { timeoutInMinutes: 60 } })),
      );
      expect(issues.map((i) => `${i.path}: ${i.message}`)).to.have.members([
        'environments.staging.delivery.approvalPause: pauses after test traffic for an approver to look: needs testTraffic true',
        'environments.staging.delivery.approvalPause: staging names no approvers (environments.staging.promotion.approval): nobody could continue the pause',
      ]);
    });

    it('refuses a strategy on an account that deploys no service', () => {
      const issues = validatePlatform(
        broken({ environments: { sbox: { delivery: ROLLING_WITH_CIRCUIT_BREAKER } } }),
      );
      expect(issues.map((i) => i.path)).to.deep.equal(['environments.sbox.delivery']);
    });
  });

  describe('deliveryStrategy: one query for a service × environment', () => {
    const model = { environments: DEFAULT_ENVIRONMENTS, catalogue: DEFAULT_CATALOGUE };

    it("gives every service the environment's strategy unless it overrides it", () => {
      for (const [service] of ecsServices(DEFAULT_CATALOGUE))
        for (const env of WORKLOAD_ENVIRONMENTS)
          expect(deliveryStrategy(model, service, env)).to.deep.equal(
            DEFAULT_CATALOGUE[service]?.kind === 'service' && DEFAULT_CATALOGUE[service].delivery?.[env]
              ? DEFAULT_CATALOGUE[service].delivery[env]
              : DEFAULT_ENVIRONMENTS[env].delivery,
          );
    });

    it("takes a service's override for that environment only", () => {
      const [service] = ecsServices(DEFAULT_CATALOGUE)[0]!;
      const mine = linear();
      const overridden = broken({ catalogue: { [service]: { delivery: { prod: mine } } } }) as typeof model;
      expect(validatePlatform(overridden)).to.deep.equal([]);
      expect(deliveryStrategy(overridden, service, 'prod')).to.deep.equal(mine);
      expect(deliveryStrategy(overridden, service, 'staging')).to.deep.equal(
        DEFAULT_ENVIRONMENTS.staging.delivery,
      );
    });

    it('falls back to rolling with the circuit breaker, and knows nothing of functions', () => {
      const [service] = ecsServices(DEFAULT_CATALOGUE)[0]!;
      const { delivery: _dropped, ...intg } = DEFAULT_ENVIRONMENTS.intg;
      const bare = { ...model, environments: { ...DEFAULT_ENVIRONMENTS, intg } };
      expect(deliveryStrategy(bare, service, 'intg')).to.deep.equal(ROLLING_WITH_CIRCUIT_BREAKER);
      const [fn] = functions(DEFAULT_CATALOGUE)[0]!;
      expect(deliveryStrategy(model, fn, 'prod')).to.equal(undefined);
    });
  });

  it('reads as one line, and only tenths of a percent are tenths', () => {
    expect(describeDelivery(DEFAULT_ENVIRONMENTS.prod.delivery!)).to.equal(
      'canary 10% for 15 min, test traffic first, approval pause ≤ 120 min, bake 15 min, alarm rollback',
    );
    expect(describeDelivery(ROLLING_WITH_CIRCUIT_BREAKER)).to.equal('rolling, circuit breaker');
    expect([0.1, 0.3, 33.3, 100].every(isTenthOfPercent)).to.equal(true);
    expect([0.05, 33.33, Number.NaN].some(isTenthOfPercent)).to.equal(false);
  });
});
