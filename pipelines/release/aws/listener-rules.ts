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
