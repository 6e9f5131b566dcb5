/** The human summary of a synth: resources by type per account, and policy results per stack. */
import type { StackManifest } from './synth';

export interface SynthSummary {
  readonly stacks: ReadonlyArray<{
    readonly stack: string;
    readonly accountId: string;
    readonly resources: number;
    readonly millis: number;
    readonly policiesChecked: number;
    readonly violations: number;
  }>;
  /** type → stack → count (custom resources and components alike). */
  readonly byType: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** policy → stack → violations (null where the policy found nothing to check). */
  readonly policies: Readonly<Record<string, Readonly<Record<string, number | null>>>>;
}

export function summarise(results: ReadonlyArray<{ manifest: StackManifest; millis: number }>): SynthSummary {
  const byType: Record<string, Record<string, number>> = {};
  const policies: Record<string, Record<string, number | null>> = {};
  for (const { manifest } of results) {
    for (const r of manifest.resources) {
      const row = (byType[r.type] ??= {});
      row[manifest.stack] = (row[manifest.stack] ?? 0) + 1;
    }
    for (const p of manifest.policies.results) {
      (policies[p.policy] ??= {})[manifest.stack] = p.checked === 0 ? null : p.violations;
    }
  }
  const sortedByType = Object.fromEntries(Object.entries(byType).sort(([a], [b]) => a.localeCompare(b)));
  return {
    stacks: results.map(({ manifest, millis }) => ({
      stack: manifest.stack,
      accountId: manifest.accountId,
      resources: manifest.resources.length,
      millis: Math.round(millis),
      policiesChecked: manifest.policies.results.filter((p) => p.checked > 0).length,
      violations: manifest.policies.violations.length,
    })),
    byType: sortedByType,
    policies,
  };
}
