/** Helpers for tests that publish alerting: stand-in secrets and how many entries a publish reports. */
import type { GeneratedAlerting } from '../../dashboards/alerting';

/** A value for every contact point secret variable: example URLs, never a real webhook's shape. */
export function fakeAlertingSecrets(alerting: GeneratedAlerting): Record<string, string> {
  return Object.fromEntries(
    alerting.contactPoints.flatMap((c) =>
      c.secrets.map((s) => [s.envVar, `https://alerts.example.test/${c.env}/${c.channel}`]),
    ),
  );
}

/** Contact points, the one policy tree, and a rule group per environment. */
export function alertingEntryCount(alerting: GeneratedAlerting): number {
  return alerting.contactPoints.length + 1 + alerting.ruleGroups.length;
}
