/**
 * What the ELBv2 adapter sends when maintenance "off" puts rules back, checked against ELBv2's
 * RuleCondition request contract (API reference:
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_RuleCondition.html; the
 * same text is the SDK model's doc of `RuleCondition` in @aws-sdk/client-elastic-load-balancing-v2):
 * - `Values`: "Specify only when Field is host-header or path-pattern. Alternatively, to specify
 *   multiple host names or multiple path patterns, use HostHeaderConfig or PathPatternConfig";
 *   "if Field is host-header and you are not using HostHeaderConfig, you can specify a single host
 *   name in Values" (likewise path-pattern): one or the other, never both;
 * - each `XxxConfig`: "Specify only when Field is" its own field.
 * The rules fed in are shaped as DescribeRules answers them (its documented example returns
 * `Values` and `PathPatternConfig` together), which is what the ledger saves.
 */
import {
  CreateRuleCommand,
  ElasticLoadBalancingV2Client,
  ModifyRuleCommand,
  type RuleCondition as SentCondition,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient } from 'aws-sdk-client-mock';
import { expect } from 'chai';
import { LoadBalancers } from './elbv2';
import type { RuleCondition } from './listener-rules';

/** The contract above, written from the documentation (not from the adapter). */
const CONFIG_OF_FIELD: Record<string, string> = {
  'host-header': 'HostHeaderConfig',
  'path-pattern': 'PathPatternConfig',
  'http-header': 'HttpHeaderConfig',
  'query-string': 'QueryStringConfig',
  'http-request-method': 'HttpRequestMethodConfig',
  'source-ip': 'SourceIpConfig',
};
const ALL_CONFIGS = Object.values(CONFIG_OF_FIELD);

function violations(c: RuleCondition | SentCondition): string[] {
  const found: string[] = [];
  const field = c.Field ?? '';
  const own = CONFIG_OF_FIELD[field];
  if (own === undefined) found.push(`unknown Field ${field}`);
  const record = c as Record<string, unknown>;
  for (const key of ALL_CONFIGS)
    if (record[key] !== undefined && key !== own) found.push(`${key} with Field ${field}`);
  if (c.Values !== undefined) {
    if (field !== 'host-header' && field !== 'path-pattern') found.push(`Values with Field ${field}`);
    if (own !== undefined && record[own] !== undefined) found.push(`both Values and ${own}`);
  }
  if (c.Values === undefined && (own === undefined || record[own] === undefined))
    found.push(`no value for Field ${field}`);
  return found;
}

/** Every condition type a TDR listener may hold, as DescribeRules returns it. */
const DESCRIBED: RuleCondition[] = [
  { Field: 'host-header', Values: ['tdr.example'], HostHeaderConfig: { Values: ['tdr.example'] } },
  { Field: 'path-pattern', Values: ['/img/*'], PathPatternConfig: { Values: ['/img/*'] } },
  { Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'X-Tdr', Values: ['1'] } },
  { Field: 'query-string', QueryStringConfig: { Values: [{ Key: 'v', Value: '1' }] } },
  { Field: 'http-request-method', HttpRequestMethodConfig: { Values: ['GET'] } },
  { Field: 'source-ip', SourceIpConfig: { Values: ['10.0.0.0/8'] } },
];

describe('the ELBv2 adapter against RuleCondition', () => {
  it('the contract check refuses what DescribeRules answers, sent back as it is', () => {
    expect(violations(DESCRIBED[0]!)).to.deep.equal(['both Values and HostHeaderConfig']);
    expect(violations(DESCRIBED[1]!)).to.deep.equal(['both Values and PathPatternConfig']);
    expect(violations({ Field: 'source-ip', Values: ['10.0.0.0/8'] })).to.include(
      'Values with Field source-ip',
    );
  });

  it('ModifyRule and CreateRule send every condition as the contract allows, with the same values', async () => {
    const client = new ElasticLoadBalancingV2Client({ region: 'eu-west-2' });
    const mock = mockClient(client);
    mock.on(ModifyRuleCommand).resolves({});
    mock.on(CreateRuleCommand).resolves({ Rules: [{ RuleArn: 'arn:new' }] });
    const lb = new LoadBalancers(client);
    const actions = [{ Type: 'forward', TargetGroupArn: 'arn:tg' }];
    await lb.modifyRule({ RuleArn: 'arn:rule', Conditions: DESCRIBED, Actions: actions });
    await lb.createRule('arn:listener', { Priority: 7, Conditions: DESCRIBED, Actions: actions });
    // A host-header or path-pattern condition written with Values alone (as the sandbox and
    // the maintenance rule do) goes out unchanged.
    await lb.modifyRule({
      RuleArn: 'arn:rule',
      Conditions: [{ Field: 'path-pattern', Values: ['*'] }],
      Actions: actions,
    });
    const sent = [
      ...mock.commandCalls(ModifyRuleCommand).map((c) => c.args[0].input.Conditions ?? []),
      ...mock.commandCalls(CreateRuleCommand).map((c) => c.args[0].input.Conditions ?? []),
    ];
    expect(sent).to.have.length(3);
    for (const conditions of sent)
      for (const c of conditions) expect(violations(c), JSON.stringify(c)).to.deep.equal([]);
    // Nothing was lost: each condition still matches the same values.
    const hostValues = (c: SentCondition) => c.HostHeaderConfig?.Values ?? c.Values;
    expect(hostValues(sent[0]![0]!)).to.deep.equal(['tdr.example']);
    expect(sent[0]!.map((c) => c.Field)).to.deep.equal(DESCRIBED.map((c) => c.Field));
    expect(sent[0]!.slice(2)).to.deep.equal(DESCRIBED.slice(2));
    expect(sent[1]).to.deep.equal([{ Field: 'path-pattern', Values: ['*'] }]);
  });
});
