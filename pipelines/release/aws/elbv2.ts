/**
 * The one ELBv2 adapter: every load-balancer call of the platform goes through here, each wrapped
 * with what was being attempted. Maintenance mode reads and changes the rules of an environment's
 * public HTTPS listener (`tdr-{env}`, port 443); nothing else does.
 *
 * Rules come back as ./maintenance-listener.ts shapes them (DescribeRules' own field names), with
 * the SDK's absent fields dropped, so what the ledger saves and what is read later compare equal.
 * API: https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DescribeRules.html
 */
import {
  CreateRuleCommand,
  DeleteRuleCommand,
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
  ModifyListenerCommand,
  ModifyRuleCommand,
  SetRulePrioritiesCommand,
  type Action,
  type ElasticLoadBalancingV2Client,
  type Rule,
  type RuleCondition as SdkCondition,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { WorkloadEnvironmentName } from '../../../services/environments';
import { naming } from '../../../services/naming';
import { attempt, errorName, ReleaseFailedError } from '../errors';
import {
  conditionForRequest,
  type ListenerRule,
  type ListenerSnapshot,
  type MaintenanceRule,
  type RuleAction,
  type RuleCondition,
} from './listener-rules';

/** What DescribeLoadBalancers says of a name it does not know (the SDK's name, and the wire code). */
const NOT_FOUND = new Set(['LoadBalancerNotFoundException', 'LoadBalancerNotFound']);

/** A JSON copy: drops the SDK's undefined fields, so saved and re-read rules compare equal. */
function plain<T>(value: unknown): T {
  return JSON.parse(JSON.stringify(value ?? null)) as T;
}

function ruleOf(rule: Rule): ListenerRule {
  return plain<ListenerRule>({
    RuleArn: rule.RuleArn ?? '',
    Priority: rule.Priority ?? '',
    Conditions: rule.Conditions ?? [],
    Actions: rule.Actions ?? [],
    IsDefault: rule.IsDefault ?? false,
  });
}

/** What a request carries: DescribeRules' conditions reshaped to RuleCondition's request contract. */
const asConditions = (c: readonly RuleCondition[]) => c.map(conditionForRequest) as unknown as SdkCondition[];
const asActions = (a: readonly RuleAction[]) => a as unknown as Action[];

export class LoadBalancers {
  constructor(private readonly client: ElasticLoadBalancingV2Client) {}

  /** The ARN of the environment's public HTTPS listener, or a failure saying what is missing. */
  async publicListener(env: WorkloadEnvironmentName): Promise<string> {
    const name = naming.loadBalancer(env);
    const port = naming.publicListenerPort();
    const found = await attempt(`describing load balancer ${name} in ${env}`, () =>
      this.client.send(new DescribeLoadBalancersCommand({ Names: [name] })),
    ).catch((err: unknown) => {
      if (NOT_FOUND.has(errorName(err) ?? '')) return undefined;
      throw err;
    });
    const lbArn = found?.LoadBalancers?.[0]?.LoadBalancerArn;
    if (!lbArn)
      throw new ReleaseFailedError(
        `${env} has no load balancer ${name}: infra creates it (pulumi up for the ${env} stack; locally tdr sandbox up)`,
      );
    const arn = lbArn;
    const listeners = await attempt(`describing the listeners of ${name} in ${env}`, () =>
      this.client.send(new DescribeListenersCommand({ LoadBalancerArn: arn })),
    );
    const listener = listeners.Listeners?.find((l) => l.Port === port)?.ListenerArn;
    if (!listener)
      throw new ReleaseFailedError(`load balancer ${name} in ${env} has no listener on port ${port}`);
    return listener;
  }

  /**
   * The weighted target groups a rule forwards to (DescribeRules by RuleArns; the forward action's
   * `ForwardConfig.TargetGroups[] {TargetGroupArn, Weight}`): how ECS splits production traffic
   * between the two target groups of a blue/green, canary or linear deployment
   * (API_DescribeRules.html, API_ForwardActionConfig.html, API_TargetGroupTuple.html).
   */
  async forwardWeights(ruleArn: string): Promise<Array<{ targetGroupArn: string; weight: number }>> {
    const out = await attempt(`describing listener rule ${ruleArn}`, () =>
      this.client.send(new DescribeRulesCommand({ RuleArns: [ruleArn] })),
    );
    const forward = (out.Rules?.[0]?.Actions ?? []).find((a) => a.Type === 'forward');
    return (forward?.ForwardConfig?.TargetGroups ?? []).flatMap((t) =>
      t.TargetGroupArn ? [{ targetGroupArn: t.TargetGroupArn, weight: t.Weight ?? 1 }] : [],
    );
  }

  /**
   * The protocol and port of the listener a rule belongs to (the rule's ARN names its listener:
   * `listener-rule/app/{lb}/{id}/{listener}/{rule}` → `listener/app/{lb}/{id}/{listener}`;
   * API_DescribeListeners.html), or undefined when the ARN is not a listener rule's.
   */
  async listenerOfRule(ruleArn: string): Promise<{ protocol: string; port: number } | undefined> {
    const listenerArn = /^(.*):listener-rule\/(app\/[^/]+\/[^/]+\/[^/]+)\/[^/]+$/.exec(ruleArn);
    if (!listenerArn) return undefined;
    const arn = `${listenerArn[1]}:listener/${listenerArn[2]}`;
    const out = await attempt(`describing listener ${arn}`, () =>
      this.client.send(new DescribeListenersCommand({ ListenerArns: [arn] })),
    );
    const l = out.Listeners?.[0];
    return l?.Port ? { protocol: (l.Protocol ?? 'HTTPS').toLowerCase(), port: l.Port } : undefined;
  }

  /** Every rule of the listener, the default one included, in ELBv2's order. */
  async rules(listenerArn: string): Promise<ListenerSnapshot> {
    const rules: ListenerRule[] = [];
    let marker: string | undefined;
    do {
      const out = await attempt(`describing the rules of ${listenerArn}`, () =>
        this.client.send(new DescribeRulesCommand({ ListenerArn: listenerArn, Marker: marker })),
      );
      rules.push(...(out.Rules ?? []).map(ruleOf));
      marker = out.NextMarker;
    } while (marker);
    return { listenerArn, rules };
  }

  /** Creates a rule; its ARN. */
  async createRule(listenerArn: string, rule: MaintenanceRule): Promise<string> {
    const out = await attempt(`creating a rule at priority ${rule.Priority} on ${listenerArn}`, () =>
      this.client.send(
        new CreateRuleCommand({
          ListenerArn: listenerArn,
          Priority: rule.Priority,
          Conditions: asConditions(rule.Conditions),
          Actions: asActions(rule.Actions),
        }),
      ),
    );
    const arn = out.Rules?.[0]?.RuleArn;
    if (!arn) throw new ReleaseFailedError(`CreateRule on ${listenerArn} returned no rule ARN`);
    return arn;
  }

  async deleteRule(ruleArn: string): Promise<void> {
    await attempt(`deleting rule ${ruleArn}`, () =>
      this.client.send(new DeleteRuleCommand({ RuleArn: ruleArn })),
    );
  }

  async modifyRule(rule: Pick<ListenerRule, 'RuleArn' | 'Conditions' | 'Actions'>): Promise<void> {
    await attempt(`putting back rule ${rule.RuleArn}`, () =>
      this.client.send(
        new ModifyRuleCommand({
          RuleArn: rule.RuleArn,
          Conditions: asConditions(rule.Conditions),
          Actions: asActions(rule.Actions),
        }),
      ),
    );
  }

  async setPriorities(
    pairs: ReadonlyArray<{ readonly RuleArn: string; readonly Priority: number }>,
  ): Promise<void> {
    if (pairs.length === 0) return;
    await attempt(`putting back the priorities of ${pairs.map((p) => p.RuleArn).join(', ')}`, () =>
      this.client.send(new SetRulePrioritiesCommand({ RulePriorities: [...pairs] })),
    );
  }

  /** The default rule's actions are the listener's default actions. */
  async setDefaultActions(listenerArn: string, actions: readonly RuleAction[]): Promise<void> {
    await attempt(`putting back the default actions of ${listenerArn}`, () =>
      this.client.send(
        new ModifyListenerCommand({ ListenerArn: listenerArn, DefaultActions: asActions(actions) }),
      ),
    );
  }
}
