/**
 * Reads back, from a generated dashboard, every CloudWatch metric it asks for: builder queries as
 * they are, and SEARCH expressions parsed by CloudWatch's documented syntax (AWS_DOCS.searchSyntax).
 * Tests hold what comes out against services/aws-metrics.ts; the parser refuses what CloudWatch
 * does not document rather than guessing what it might find.
 */
import type { Dashboard, Panel } from '@grafana/grafana-foundation-sdk/dashboard';
import type { MetricUse } from '../services/aws-metrics';

/** CloudWatch's `MetricEditorMode`: builder (0) or code (1). */
const CODE_MODE = 1;

export interface CloudWatchTarget {
  readonly refId?: string;
  readonly id?: string;
  readonly hide?: boolean;
  readonly metricEditorMode?: number;
  readonly namespace?: string;
  readonly metricName?: string;
  readonly dimensions?: Readonly<Record<string, string>>;
  readonly matchExact?: boolean;
  readonly statistic?: string;
  readonly period?: string;
  readonly expression?: string;
}

export interface MetricUseSite {
  readonly dashboard: string;
  readonly panel: Panel;
  readonly target: CloudWatchTarget;
  readonly use: MetricUse;
  /** Dimension values: exact for builder queries, the designator's (partial) value for a SEARCH. */
  readonly values: Readonly<Record<string, string>>;
  readonly via: 'builder' | 'search';
}

export interface ParsedSearch {
  readonly namespace: string;
  readonly schemaDimensions: readonly string[];
  /** `Name=value` / `Name="value"` designators, quotes removed. */
  readonly designators: Readonly<Record<string, string>>;
  readonly statistic: string;
  readonly periodSeconds: number;
}

const SEARCH_CALL = /SEARCH\(\s*'([^']*)'\s*,\s*'([^']*)'\s*,\s*(\d+)\s*\)/g;
const DESIGNATOR = /^([A-Za-z][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|[^\s"]+)$/;

/**
 * One SEARCH's metric schema and search terms. Throws on anything but a schema (namespace and
 * dimension names) followed by `Name=value` designators: bare terms and `Name:value` are not
 * designators, and CloudWatch would read `:` as a token delimiter.
 */
export function parseSearch(query: string, statistic: string, period: string): ParsedSearch {
  const m = /^\s*\{([^}]*)\}\s*(.*)$/.exec(query);
  if (!m) throw new Error(`SEARCH '${query}' has no metric schema {Namespace, Dimension…}`);
  const [namespace, ...schemaDimensions] = m[1]!.split(',').map((s) => s.trim());
  const designators: Record<string, string> = {};
  for (const term of m[2]!.trim().split(/\s+/).filter(Boolean)) {
    const d = DESIGNATOR.exec(term);
    if (!d) throw new Error(`SEARCH '${query}': "${term}" is not a Name=value designator`);
    designators[d[1]!] = d[2]!.replace(/^"|"$/g, '');
  }
  return { namespace: namespace!, schemaDimensions, designators, statistic, periodSeconds: Number(period) };
}

export function searchesIn(expression: string): ParsedSearch[] {
  return [...expression.matchAll(SEARCH_CALL)].map((c) => parseSearch(c[1]!, c[2]!, c[3]!));
}

function contentPanels(model: Dashboard): Panel[] {
  return (model.panels ?? []).filter((p): p is Panel => p.type !== 'row');
}

/** Every metric `model` queries, panel by panel. */
export function metricUsesOf(model: Dashboard): MetricUseSite[] {
  return contentPanels(model).flatMap((panel) =>
    metricUsesOfTargets(model.uid ?? '', panel, (panel.targets ?? []) as CloudWatchTarget[]),
  );
}

/** Every metric `targets` query (a panel's, or an alert rule's CloudWatch queries). */
export function metricUsesOfTargets(
  dashboard: string,
  panel: Panel,
  targets: readonly CloudWatchTarget[],
): MetricUseSite[] {
  const sites: MetricUseSite[] = [];
  for (const target of targets) {
    const base = { dashboard, panel, target };
    if (target.metricEditorMode !== CODE_MODE) {
      const dimensions = target.dimensions ?? {};
      sites.push({
        ...base,
        via: 'builder',
        values: dimensions,
        use: {
          namespace: target.namespace ?? '',
          metricName: target.metricName ?? '',
          dimensions: Object.keys(dimensions),
          statistic: target.statistic,
          ...(target.period ? { periodSeconds: Number(target.period) } : {}),
          match: target.matchExact === false ? 'subset' : 'exact',
        },
      });
      continue;
    }
    for (const s of searchesIn(target.expression ?? '')) {
      const { MetricName, Namespace, ...values } = s.designators;
      if (Namespace !== undefined && Namespace !== s.namespace)
        throw new Error(`SEARCH in ${base.dashboard} names two namespaces`);
      const stray = Object.keys(values).filter((d) => !s.schemaDimensions.includes(d));
      if (stray.length > 0)
        throw new Error(`SEARCH in ${base.dashboard} designates ${stray.join(', ')}, not in its schema`);
      sites.push({
        ...base,
        via: 'search',
        values,
        use: {
          namespace: s.namespace,
          metricName: MetricName ?? '',
          dimensions: s.schemaDimensions,
          statistic: s.statistic,
          periodSeconds: s.periodSeconds,
          match: 'exact',
        },
      });
    }
  }
  return sites;
}
