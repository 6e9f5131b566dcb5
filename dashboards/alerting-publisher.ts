/**
 * Plans the alerting part of a publish: reads what Grafana holds (contact points, the policy tree,
 * each rule group) and says what must be written, without writing. The publisher carries the plan
 * out after the folders exist. Everything is read first, so a missing secret stops the publish
 * before anything is written.
 *
 * "Unchanged" means every field the code sets is what Grafana holds: Grafana adds its own (ids,
 * `updated`, provenance) and returns secret settings redacted, so those are not compared; a secret
 * is written only with a contact point that is created or changed.
 */
import type * as alerting from '@grafana/grafana-foundation-sdk/alerting';
import { PlatformError } from '../services/errors';
import type { GrafanaClient } from './grafana-client';
import type { ContactPointSpec, GeneratedAlerting } from './alerting';

export type AlertingKind = 'contact-point' | 'notification-policy' | 'rule-group';

export interface AlertingStep {
  readonly kind: AlertingKind;
  readonly uid: string;
  readonly title: string;
  readonly action: 'created' | 'updated' | 'unchanged';
  /** Writes the change (absent when unchanged). */
  readonly write?: (client: GrafanaClient) => Promise<void>;
}

type Env = Readonly<Record<string, string | undefined>>;

/** A contact point must be written and the variable holding its secret is not set: nothing was written. */
export class AlertingSecretMissingError extends PlatformError {
  readonly kind = 'invalid';
  constructor(readonly missing: readonly string[]) {
    super(
      `${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not set: a contact point must be written and needs ${missing.length === 1 ? 'it' : 'them'} (the Slack webhook URL or paging integration key of that environment)`,
    );
    this.name = 'AlertingSecretMissingError';
  }
}

/** Whether `stored` holds every field of `wanted` with the same value (arrays: same length, in order). */
export function covers(stored: unknown, wanted: unknown): boolean {
  if (Array.isArray(wanted)) {
    return (
      Array.isArray(stored) && stored.length === wanted.length && wanted.every((w, i) => covers(stored[i], w))
    );
  }
  if (typeof wanted === 'object' && wanted !== null) {
    if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) return false;
    const s = stored as Record<string, unknown>;
    return Object.entries(wanted).every(([k, w]) => covers(s[k], w));
  }
  return stored === wanted;
}

function withSecrets(spec: ContactPointSpec, env: Env): alerting.ContactPoint {
  const secrets = Object.fromEntries(spec.secrets.map((s) => [s.key, env[s.envVar]]));
  return {
    ...spec.contactPoint,
    settings: { ...(spec.contactPoint.settings as Record<string, unknown>), ...secrets },
  };
}

export interface AlertingPlan {
  readonly steps: AlertingStep[];
  /** Variables a write needs that are not set: the publisher refuses to start (a dry run says so). */
  readonly missingSecrets: string[];
}

export async function planAlerting(
  client: GrafanaClient,
  wanted: GeneratedAlerting,
  env: Env,
): Promise<AlertingPlan> {
  const steps: AlertingStep[] = [];
  const missing: string[] = [];

  const existing = await client.listContactPoints();
  for (const spec of wanted.contactPoints) {
    const cp = spec.contactPoint;
    const uid = cp.uid ?? '';
    const stored = existing.find((e) => e.uid === uid);
    const base = { kind: 'contact-point' as const, uid, title: cp.name ?? uid };
    if (stored && covers(stored, cp)) {
      steps.push({ ...base, action: 'unchanged' });
      continue;
    }
    missing.push(...spec.secrets.map((s) => s.envVar).filter((v) => !env[v]));
    const body = withSecrets(spec, env);
    steps.push(
      stored
        ? { ...base, action: 'updated', write: (c) => c.updateContactPoint({ ...body, uid }) }
        : { ...base, action: 'created', write: (c) => c.createContactPoint(body) },
    );
  }

  // After the contact points: the tree names them, and Grafana refuses a tree naming an unknown one.
  const tree = await client.getPolicyTree();
  const policy = { kind: 'notification-policy' as const, uid: 'policies', title: 'notification policy tree' };
  steps.push(
    covers(tree, wanted.policy)
      ? { ...policy, action: 'unchanged' }
      : { ...policy, action: 'updated', write: (c) => c.putPolicyTree(wanted.policy) },
  );

  for (const spec of wanted.ruleGroups) {
    const title = spec.group.title ?? '';
    const stored = await client.getRuleGroup(spec.folderUid, title);
    const base = { kind: 'rule-group' as const, uid: `${spec.folderUid}/${title}`, title };
    if (stored && covers(stored, spec.group)) {
      steps.push({ ...base, action: 'unchanged' });
      continue;
    }
    const body = { ...spec.group, title, folderUid: spec.folderUid };
    steps.push({ ...base, action: stored ? 'updated' : 'created', write: (c) => c.putRuleGroup(body) });
  }
  return { steps, missingSecrets: [...new Set(missing)] };
}
