/**
 * The pure part of `tdr maintenance on|off` (the run itself is ./maintenance.ts): what "on"
 * changes on the environment's public HTTPS listener, and how "off" puts back exactly the rules the "on" record saved, never recomputed.
 *
 * "On" adds one rule ahead of all others (priority 1, every path) answering 503 with TDR's
 * service-unavailable page; nothing else is touched, so the saved snapshot is the listener as it
 * was. "Off" compares the listener now with that snapshot, field by field, and plans exactly the
 * calls that make them equal again: delete the maintenance rule, put back any rule that changed or
 * went missing, and report (not delete) rules that appeared meanwhile, which someone must look at.
 *
 * Shapes follow ELBv2's DescribeRules/DescribeListeners answers (field names as the SDK has them),
 * so the adapter can pass them through; nothing here calls AWS.
 */
import { PlatformError, type ErrorKind } from '../../../services/errors';

import type { ListenerRule, ListenerSnapshot, MaintenanceRule } from '../aws/listener-rules';

/** ELBv2 limits a fixed response's body to 1024 characters. */
export const FIXED_RESPONSE_MAX_BODY = 1024;
export const MAINTENANCE_PRIORITY = 1;
export const MAINTENANCE_STATUS = '503';

/** Maintenance cannot be switched as asked: `invalid` input, or `conflict` with the listener's state. */
export class MaintenancePlanError extends PlatformError {
  constructor(
    readonly kind: Extract<ErrorKind, 'invalid' | 'conflict'>,
    message: string,
  ) {
    super(message);
    this.name = 'MaintenancePlanError';
  }
}

/**
 * "Off" when the ledger says maintenance is already off and no 503 rule answers first: nothing to
 * do, and nothing was changed or recorded. Its own class so that the CLI can tell it from a
 * conflict (issue 24 item 13: exit 0 "already off", not exit 4, which means a held lease).
 */
export class MaintenanceAlreadyOffError extends MaintenancePlanError {
  readonly alreadyOff = true;
  constructor(message: string) {
    super('conflict', message);
    this.name = 'MaintenanceAlreadyOffError';
  }
}

/**
 * The longest reason the page holds when nothing in it needs escaping (each of `&<>"` takes five
 * characters on the page): what a form can check before the engine does.
 */
export function maxReasonLength(): number {
  return FIXED_RESPONSE_MAX_BODY - pageWith('').length;
}

function pageWith(escapedReason: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Service unavailable - Transfer Digital Records</title></head><body><h1>Sorry, the service is unavailable</h1><p>Transfer Digital Records is down for maintenance: ${escapedReason}</p><p>You will be able to use the service later.</p></body></html>`;
}

/** TDR's "service unavailable" page, with the reason, as the fixed response allows it. */
export function serviceUnavailablePage(reason: string): string {
  const escaped = reason.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  const page = pageWith(escaped);
  if (page.length > FIXED_RESPONSE_MAX_BODY) {
    throw new MaintenancePlanError(
      'invalid',
      `the reason makes the page ${page.length} characters; a load balancer's fixed response holds ${FIXED_RESPONSE_MAX_BODY}: shorten it`,
    );
  }
  return page;
}

/** The rule "on" creates: priority 1, one fixed 503 response. */
export function isMaintenanceRule(rule: ListenerRule): boolean {
  return (
    rule.Priority === String(MAINTENANCE_PRIORITY) &&
    rule.Actions.length === 1 &&
    rule.Actions[0]!.Type === 'fixed-response' &&
    rule.Actions[0]!.FixedResponseConfig?.StatusCode === MAINTENANCE_STATUS
  );
}

/** What "on" creates, given the listener now (which is what it saves). Refuses if already on. */
export function planMaintenanceOn(current: ListenerSnapshot, reason: string): MaintenanceRule {
  const first = current.rules.find((r) => r.Priority === String(MAINTENANCE_PRIORITY));
  if (first && isMaintenanceRule(first)) {
    throw new MaintenancePlanError(
      'conflict',
      `maintenance is already on for ${current.listenerArn} (rule ${first.RuleArn})`,
    );
  }
  if (first) {
    throw new MaintenancePlanError(
      'conflict',
      `priority ${MAINTENANCE_PRIORITY} of ${current.listenerArn} is taken by ${first.RuleArn}: the maintenance rule must come first`,
    );
  }
  return {
    Priority: MAINTENANCE_PRIORITY,
    Conditions: [{ Field: 'path-pattern', Values: ['*'] }],
    Actions: [
      {
        Type: 'fixed-response',
        FixedResponseConfig: {
          StatusCode: MAINTENANCE_STATUS,
          ContentType: 'text/html',
          MessageBody: serviceUnavailablePage(reason),
        },
      },
    ],
  };
}

/** A difference between two listeners, by rule and field. */
export interface ListenerDifference {
  readonly rule: string;
  readonly field: 'Priority' | 'Conditions' | 'Actions' | 'presence';
  readonly saved: unknown;
  readonly now: unknown;
}

/** Canonical JSON: key order does not make two rules differ. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );
}

/** Every field in which the listener `now` differs from the `saved` one, rule by rule (by ARN). */
export function compareListener(saved: ListenerSnapshot, now: ListenerSnapshot): ListenerDifference[] {
  const differences: ListenerDifference[] = [];
  const current = new Map(now.rules.map((r) => [r.RuleArn, r]));
  for (const rule of saved.rules) {
    const found = current.get(rule.RuleArn);
    if (!found) {
      differences.push({ rule: rule.RuleArn, field: 'presence', saved: 'present', now: 'absent' });
      continue;
    }
    for (const field of ['Priority', 'Conditions', 'Actions'] as const) {
      if (canonical(rule[field]) !== canonical(found[field]))
        differences.push({ rule: rule.RuleArn, field, saved: rule[field], now: found[field] });
    }
  }
  const known = new Set(saved.rules.map((r) => r.RuleArn));
  for (const rule of now.rules.filter((r) => !known.has(r.RuleArn))) {
    differences.push({ rule: rule.RuleArn, field: 'presence', saved: 'absent', now: 'present' });
  }
  return differences;
}

/** The calls "off" makes, in order, and what it leaves to a person. */
export interface MaintenanceOffPlan {
  /** DeleteRule: the maintenance rule. */
  readonly delete: readonly string[];
  /** ModifyRule: rules whose conditions or actions changed since "on", back to the saved ones. */
  readonly modify: ReadonlyArray<Pick<ListenerRule, 'RuleArn' | 'Conditions' | 'Actions'>>;
  /** SetRulePriorities: rules whose priority changed. */
  readonly priorities: ReadonlyArray<{ readonly RuleArn: string; readonly Priority: number }>;
  /** ModifyListener (default rule) or CreateRule: saved rules that changed or went missing. */
  readonly recreate: readonly ListenerRule[];
  /** Rules that appeared while maintenance was on: reported, never deleted. */
  readonly unexpected: readonly ListenerRule[];
}

/** What makes the listener `now` equal to `saved` again, from the snapshot alone. */
export function planMaintenanceOff(saved: ListenerSnapshot, now: ListenerSnapshot): MaintenanceOffPlan {
  if (saved.listenerArn !== now.listenerArn) {
    throw new MaintenancePlanError(
      'invalid',
      `the saved rules are of ${saved.listenerArn}, not of ${now.listenerArn}: restore the listener they were saved from`,
    );
  }
  const savedArns = new Set(saved.rules.map((r) => r.RuleArn));
  const maintenance = now.rules.filter((r) => !savedArns.has(r.RuleArn) && isMaintenanceRule(r));
  const ours = new Set(maintenance.map((r) => r.RuleArn));
  const current = new Map(now.rules.map((r) => [r.RuleArn, r]));
  const modify: Array<Pick<ListenerRule, 'RuleArn' | 'Conditions' | 'Actions'>> = [];
  const priorities: Array<{ RuleArn: string; Priority: number }> = [];
  const recreate: ListenerRule[] = [];
  for (const rule of saved.rules) {
    const found = current.get(rule.RuleArn);
    if (!found) {
      recreate.push(rule);
      continue;
    }
    const changed =
      canonical(rule.Conditions) !== canonical(found.Conditions) ||
      canonical(rule.Actions) !== canonical(found.Actions);
    if (changed && rule.IsDefault) recreate.push(rule);
    else if (changed)
      modify.push({ RuleArn: rule.RuleArn, Conditions: rule.Conditions, Actions: rule.Actions });
    if (!rule.IsDefault && rule.Priority !== found.Priority)
      priorities.push({ RuleArn: rule.RuleArn, Priority: Number(rule.Priority) });
  }
  return {
    delete: [...ours],
    modify,
    priorities,
    recreate,
    unexpected: now.rules.filter((r) => !savedArns.has(r.RuleArn) && !ours.has(r.RuleArn)),
  };
}

/** What "on" does, a line per change, for the plan and the dry run. */
export function describeOn(rule: MaintenanceRule, saved: ListenerSnapshot): string[] {
  return [
    `create a rule at priority ${rule.Priority} answering ${MAINTENANCE_STATUS} (the service-unavailable page) for every path`,
    `keep the ${saved.rules.length} rules there now in the ledger, for "off" to put back`,
  ];
}

/** What "off" does, a line per change, in the order it makes them (the 503 rule goes last). */
export function describeOff(plan: MaintenanceOffPlan): string[] {
  return [
    ...plan.modify.map((r) => `put back the conditions and actions of ${r.RuleArn}`),
    ...plan.recreate.map((r) =>
      r.IsDefault
        ? 'put back the listener default actions'
        : `create again ${r.RuleArn} at priority ${r.Priority}`,
    ),
    ...plan.priorities.map((r) => `put back priority ${r.Priority} of ${r.RuleArn}`),
    ...plan.delete.map((arn) => `delete the 503 rule ${arn}`),
    ...plan.unexpected.map(
      (r) =>
        `leave ${r.RuleArn} (priority ${r.Priority}), which appeared while maintenance was on: look at it`,
    ),
  ];
}

/** A listener checked against what a switch meant. */
export interface ListenerCheck {
  readonly ok: boolean;
  readonly detail: string;
  /** On: the 503 rule found first. */
  readonly maintenanceRule: string | null;
  /** Off: rules that are not among the kept ones (left in place). */
  readonly unexpected: readonly string[];
}

/** After "on": a 503 rule comes first. */
export function checkOn(live: ListenerSnapshot): ListenerCheck {
  const rule = live.rules.find(isMaintenanceRule);
  return rule
    ? {
        ok: true,
        detail: `service-unavailable page up (rule ${rule.RuleArn})`,
        maintenanceRule: rule.RuleArn,
        unexpected: [],
      }
    : {
        ok: false,
        detail: 'no rule answers 503 first on the listener: the page is not up',
        maintenanceRule: null,
        unexpected: [],
      };
}

/**
 * After "off": every kept rule is back unchanged, field by field (one created again is matched
 * by its priority, its ARN being new), and no 503 rule is left. Rules that appeared meanwhile do
 * not fail it; they are named.
 */
export function checkOff(saved: ListenerSnapshot, live: ListenerSnapshot): ListenerCheck {
  const liveArns = new Set(live.rules.map((r) => r.RuleArn));
  const byPriority = new Map(live.rules.map((r) => [r.Priority, r.RuleArn]));
  const mapped: ListenerSnapshot = {
    listenerArn: saved.listenerArn,
    rules: saved.rules.map((r) =>
      liveArns.has(r.RuleArn) ? r : { ...r, RuleArn: byPriority.get(r.Priority) ?? r.RuleArn },
    ),
  };
  // A rule that was not kept is someone else's (left in place), unless it is a 503 rule still up.
  const stillUp = new Set(live.rules.filter(isMaintenanceRule).map((r) => r.RuleArn));
  const differences = compareListener(mapped, live);
  const added = (d: ListenerDifference) =>
    d.field === 'presence' && d.saved === 'absent' && !stillUp.has(d.rule);
  const unexpected = differences.filter(added).map((d) => d.rule);
  const wrong = differences.filter((d) => !added(d));
  if (wrong.length > 0)
    return {
      ok: false,
      detail: `the listener is not as the ledger kept it: ${wrong.map((d) => `${d.rule} ${d.field}`).join('; ')}`,
      maintenanceRule: null,
      unexpected,
    };
  return {
    ok: true,
    detail:
      `the ${saved.rules.length} kept rules are back, field by field` +
      (unexpected.length > 0 ? `; left in place, look at them: ${unexpected.join(', ')}` : ''),
    maintenanceRule: null,
    unexpected,
  };
}
