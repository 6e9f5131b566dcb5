import { expect } from 'chai';
import { listenerRulePriority } from '../../../infra/definitions/load-balancer';
import {
  FIXED_RESPONSE_MAX_BODY,
  MAINTENANCE_PRIORITY,
  MaintenancePlanError,
  checkOff,
  checkOn,
  compareListener,
  describeOff,
  planMaintenanceOff,
  planMaintenanceOn,
  type MaintenanceOffPlan,
} from './maintenance-listener';
import type { ListenerRule, ListenerSnapshot, MaintenanceRule } from '../aws/listener-rules';

const LISTENER =
  'arn:aws:elasticloadbalancing:eu-west-2:222222222222:listener/app/tdr-intg/0123456789abcdef/fedcba9876543210';
const rule = (n: number, host: string, tg: string): ListenerRule => ({
  RuleArn: `${LISTENER.replace(':listener/', ':listener-rule/')}/r${n}`,
  Priority: String(n * 10),
  Conditions: [{ Field: 'host-header', Values: [host] }],
  Actions: [
    {
      Type: 'forward',
      Order: 1,
      TargetGroupArn: `arn:aws:elasticloadbalancing:eu-west-2:222222222222:targetgroup/${tg}/0a`,
    },
  ],
  IsDefault: false,
});
const DEFAULT: ListenerRule = {
  RuleArn: `${LISTENER.replace(':listener/', ':listener-rule/')}/default`,
  Priority: 'default',
  Conditions: [],
  Actions: [
    {
      Type: 'fixed-response',
      FixedResponseConfig: { StatusCode: '404', ContentType: 'text/plain', MessageBody: 'Not found' },
    },
  ],
  IsDefault: true,
};
const BEFORE: ListenerSnapshot = {
  listenerArn: LISTENER,
  rules: [
    rule(1, 'app.tdr-integration.example', 'frontend-tg-intg'),
    rule(2, 'api.tdr-integration.example', 'consignmentapi-tg-intg'),
    DEFAULT,
  ],
};

/** ELBv2 as far as these calls go: what the listener is after a call. */
function withRule(listener: ListenerSnapshot, created: MaintenanceRule): ListenerSnapshot {
  const arn = `${LISTENER.replace(':listener/', ':listener-rule/')}/maintenance`;
  return {
    ...listener,
    rules: [
      {
        RuleArn: arn,
        Priority: String(created.Priority),
        Conditions: created.Conditions,
        Actions: created.Actions,
        IsDefault: false,
      },
      ...listener.rules,
    ],
  };
}

function apply(listener: ListenerSnapshot, plan: MaintenanceOffPlan): ListenerSnapshot {
  let rules = listener.rules.filter((r) => !plan.delete.includes(r.RuleArn));
  rules = rules.map((r) => {
    const m = plan.modify.find((x) => x.RuleArn === r.RuleArn);
    const p = plan.priorities.find((x) => x.RuleArn === r.RuleArn);
    const d = plan.recreate.find((x) => x.RuleArn === r.RuleArn);
    return {
      ...r,
      ...(m ? { Conditions: m.Conditions, Actions: m.Actions } : {}),
      ...(p ? { Priority: String(p.Priority) } : {}),
      ...(d ?? {}),
    };
  });
  const missing = plan.recreate.filter((x) => !rules.some((r) => r.RuleArn === x.RuleArn));
  return { ...listener, rules: [...rules, ...missing] };
}

describe('maintenance listener (pure)', () => {
  it('"on" adds one 503 rule ahead of all others with the page and the reason, touching nothing else', () => {
    const created = planMaintenanceOn(BEFORE, 'database upgrade until 18:00');
    expect(created.Priority).to.equal(1);
    expect(created.Conditions).to.deep.equal([{ Field: 'path-pattern', Values: ['*'] }]);
    const response = created.Actions[0]!.FixedResponseConfig!;
    expect(response).to.include({ StatusCode: '503', ContentType: 'text/html' });
    expect(response.MessageBody)
      .to.include('Sorry, the service is unavailable')
      .and.include('database upgrade until 18:00');
    const on = withRule(BEFORE, created);
    expect(compareListener(BEFORE, on)).to.deep.equal([
      { rule: on.rules[0]!.RuleArn, field: 'presence', saved: 'absent', now: 'present' },
    ]);
  });

  it('"off" leaves the listener exactly as saved, field by field', () => {
    const on = withRule(BEFORE, planMaintenanceOn(BEFORE, 'upgrade'));
    const plan = planMaintenanceOff(BEFORE, on);
    expect(plan.delete).to.deep.equal([on.rules[0]!.RuleArn]);
    expect(plan.unexpected).to.deep.equal([]);
    expect(compareListener(BEFORE, apply(on, plan))).to.deep.equal([]);
  });

  it('"off" puts back rules changed, re-prioritised or deleted while on, and reports rules that appeared', () => {
    const on = withRule(BEFORE, planMaintenanceOn(BEFORE, 'upgrade'));
    const stranger: ListenerRule = { ...rule(9, 'x.example', 'x-tg'), RuleArn: `${LISTENER}/stranger` };
    const tampered: ListenerSnapshot = {
      ...on,
      rules: [
        on.rules[0]!,
        {
          ...on.rules[1]!,
          Priority: '15',
          Actions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '200' } }],
        },
        { ...DEFAULT, Actions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '500' } }] },
        stranger,
      ],
    };
    const plan = planMaintenanceOff(BEFORE, tampered);
    expect(plan.modify.map((m) => m.RuleArn)).to.deep.equal([BEFORE.rules[0]!.RuleArn]);
    expect(plan.priorities).to.deep.equal([{ RuleArn: BEFORE.rules[0]!.RuleArn, Priority: 10 }]);
    expect(plan.recreate.map((r) => r.RuleArn)).to.deep.equal([BEFORE.rules[1]!.RuleArn, DEFAULT.RuleArn]);
    expect(plan.unexpected).to.deep.equal([stranger]);
    expect(compareListener(BEFORE, apply(tampered, plan))).to.deep.equal([
      { rule: stranger.RuleArn, field: 'presence', saved: 'absent', now: 'present' },
    ]);
  });

  it('refuses "on" twice (conflict), a rule already at priority 1, another listener, and a reason too long for the page', () => {
    const on = withRule(BEFORE, planMaintenanceOn(BEFORE, 'upgrade'));
    const kindOf = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        expect(e).to.be.instanceOf(MaintenancePlanError);
        return `${(e as MaintenancePlanError).kind}: ${(e as Error).message}`;
      }
      return 'no error';
    };
    expect(kindOf(() => planMaintenanceOn(on, 'again'))).to.match(/^conflict: maintenance is already on/);
    const taken = { ...BEFORE, rules: [{ ...rule(1, 'a.example', 'a'), Priority: '1' }] };
    expect(kindOf(() => planMaintenanceOn(taken, 'x'))).to.match(/^conflict: priority 1 of .* is taken/);
    expect(kindOf(() => planMaintenanceOff(BEFORE, { ...on, listenerArn: `${LISTENER}x` }))).to.match(
      /^invalid: the saved rules are of/,
    );
    expect(kindOf(() => planMaintenanceOn(BEFORE, 'x'.repeat(FIXED_RESPONSE_MAX_BODY)))).to.match(
      /^invalid: the reason makes the page/,
    );
  });

  it('escapes the reason into the page', () => {
    const body = planMaintenanceOn(BEFORE, '<script>alert(1)</script> & more').Actions[0]!
      .FixedResponseConfig!.MessageBody!;
    expect(body).to.not.include('<script>');
    expect(body).to.include('&#60;script&#62;alert(1)&#60;/script&#62; &#38; more');
  });

  it('checks "on" by a 503 rule first, and "off" by every kept rule back, naming rules that appeared', () => {
    const on = withRule(BEFORE, planMaintenanceOn(BEFORE, 'upgrade'));
    expect(checkOn(on)).to.include({ ok: true, maintenanceRule: on.rules[0]!.RuleArn });
    expect(checkOn(BEFORE).ok).to.equal(false);

    // Still on: the 503 rule left up fails "off"; a rule someone added does not, but is named.
    expect(checkOff(BEFORE, on).ok).to.equal(false);
    const added = { ...rule(50, 'new.example', 'new-tg-intg'), RuleArn: `${LISTENER}/added` };
    const withAdded = { ...BEFORE, rules: [...BEFORE.rules, added] };
    expect(checkOff(BEFORE, withAdded)).to.deep.include({ ok: true, unexpected: [added.RuleArn] });

    // A kept rule deleted and created again has a new ARN: matched by priority, its fields compared.
    const [first, ...rest] = BEFORE.rules;
    const recreated = { ...BEFORE, rules: [{ ...first!, RuleArn: `${LISTENER}/new-arn` }, ...rest] };
    expect(checkOff(BEFORE, recreated).ok).to.equal(true);
    const changed = {
      ...BEFORE,
      rules: [{ ...first!, Conditions: [{ Field: 'host-header', Values: ['elsewhere.example'] }] }, ...rest],
    };
    expect(checkOff(BEFORE, changed)).to.include({ ok: false });
    expect(checkOff(BEFORE, changed).detail).to.contain(`${first!.RuleArn} Conditions`);
  });

  it('says what "off" does in the order it does it: the 503 rule is deleted last', () => {
    const on = withRule(BEFORE, planMaintenanceOn(BEFORE, 'upgrade'));
    const [first, ...rest] = on.rules.slice(1);
    const changed = { ...on, rules: [on.rules[0]!, { ...first!, Priority: '70' }, ...rest] };
    const lines = describeOff(planMaintenanceOff(BEFORE, changed));
    expect(lines.at(-1)).to.equal(`delete the 503 rule ${on.rules[0]!.RuleArn}`);
    expect(lines[0]).to.equal(`put back priority 10 of ${first!.RuleArn}`);
  });

  it("infra's host rules leave the maintenance rule's priority free, however many services there are", () => {
    expect(listenerRulePriority(0)).to.be.greaterThan(MAINTENANCE_PRIORITY);
  });
});
