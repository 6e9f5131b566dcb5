/**
 * The shapes of an ELBv2 listener's rules as DescribeRules/DescribeListeners answer them (field
 * names as the SDK has them), shared by the ELBv2 adapter and the maintenance switch that plans
 * rule changes from them.
 */
export interface FixedResponseConfig {
  readonly StatusCode: string;
  readonly ContentType?: string;
  readonly MessageBody?: string;
}

export interface RuleAction {
  readonly Type: string;
  readonly Order?: number;
  readonly TargetGroupArn?: string;
  readonly FixedResponseConfig?: FixedResponseConfig;
  readonly [other: string]: unknown;
}

export interface RuleCondition {
  readonly Field?: string;
  readonly Values?: readonly string[];
  readonly [other: string]: unknown;
}

/**
 * Each condition field and the structure that carries its values in a request. ELBv2's
 * RuleCondition (API reference,
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_RuleCondition.html, and
 * the SDK model's doc of `RuleCondition.Values`): `Values` may be given "only when Field is
 * host-header or path-pattern", and only "if you are not using" that field's config; each config is
 * "specify only when Field is" its own field. DescribeRules answers with both `Values` and the config
 * for a host-header or path-pattern condition, so a rule read back cannot be sent back as it is.
 */
export const CONDITION_CONFIG: Readonly<Record<string, string>> = {
  'host-header': 'HostHeaderConfig',
  'path-pattern': 'PathPatternConfig',
  'http-header': 'HttpHeaderConfig',
  'query-string': 'QueryStringConfig',
  'http-request-method': 'HttpRequestMethodConfig',
  'source-ip': 'SourceIpConfig',
};

/**
 * A condition as CreateRule/ModifyRule accept it: the field and its config when it has one,
 * else its `Values` (host-header and path-pattern only). Nothing of another field is sent.
 */
export function conditionForRequest(condition: RuleCondition): RuleCondition {
  const field = condition.Field ?? '';
  const configKey = CONDITION_CONFIG[field];
  const config = configKey === undefined ? undefined : condition[configKey];
  if (configKey !== undefined && config !== undefined) return { Field: field, [configKey]: config };
  return condition.Values === undefined ? { Field: field } : { Field: field, Values: condition.Values };
}

export interface ListenerRule {
  readonly RuleArn: string;
  /** ELBv2 returns priorities as strings (`"10"`, and `"default"` for the default rule). */
  readonly Priority: string;
  readonly Conditions: readonly RuleCondition[];
  readonly Actions: readonly RuleAction[];
  readonly IsDefault?: boolean;
}

/** What "on" saves in its ledger record: the listener's rules as they were. */
export interface ListenerSnapshot {
  readonly listenerArn: string;
  readonly rules: readonly ListenerRule[];
}

/** The rule "on" creates. */
export interface MaintenanceRule {
  readonly Priority: number;
  readonly Conditions: readonly RuleCondition[];
  readonly Actions: readonly RuleAction[];
}
