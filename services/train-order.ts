/**
 * The order a release train (issue 26) promotes its members in: the catalogue's `dependsOn`
 * (a member goes out after everything it depends on), checked here so that a bad model is refused
 * when it loads (an unknown name, a cycle: one issue each, naming the path and one cycle).
 */
import type { Catalogue } from './catalogue-types';
import type { ValidationIssue } from './errors';

/** What a train may carry: what the release engine moves (services, functions, one-off tasks). */
export const TRAIN_KINDS = ['service', 'lambda', 'task'] as const;
/** Bound on one entry's `dependsOn` (the catalogue has a handful of entries). */
export const DEPENDS_ON_MAX = 20;

function dependsOn(catalogue: Catalogue, name: string): readonly string[] {
  const entry = catalogue[name] as { readonly dependsOn?: readonly string[] } | undefined;
  return entry?.dependsOn ?? [];
}

function trainable(catalogue: Catalogue, name: string): boolean {
  const kind = catalogue[name]?.kind;
  return (TRAIN_KINDS as readonly string[]).includes(kind ?? '');
}

/** Unknown or untrainable names, and cycles (one issue per cycle, naming it). */
export function checkTrainOrder(catalogue: Catalogue): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const name of Object.keys(catalogue)) {
    dependsOn(catalogue, name).forEach((dep, i) => {
      if (!trainable(catalogue, dep))
        issues.push({
          path: `catalogue.${name}.dependsOn.${i}`,
          message: `${JSON.stringify(dep)} is not a service, function or task of the catalogue`,
        });
    });
  }
  if (issues.length > 0) return issues;
  const cycle = findCycle(catalogue);
  if (cycle)
    issues.push({
      path: `catalogue.${cycle[0]}.dependsOn`,
      message: `dependencies have a cycle: ${cycle.join(' → ')}`,
    });
  return issues;
}

/** One cycle as a path that ends where it starts, or null. Depth-first, in catalogue order. */
export function findCycle(catalogue: Catalogue): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (name: string): string[] | null => {
    if (state.get(name) === 'done') return null;
    if (state.get(name) === 'open') return [...path.slice(path.indexOf(name)), name];
    state.set(name, 'open');
    path.push(name);
    for (const dep of dependsOn(catalogue, name)) {
      const found = visit(dep);
      if (found) return found;
    }
    path.pop();
    state.set(name, 'done');
    return null;
  };
  for (const name of Object.keys(catalogue)) {
    const found = visit(name);
    if (found) return found;
  }
  return null;
}

/**
 * `names` in dependency order (Kahn's algorithm; ties in catalogue order, so the order is stable).
 * A dependency outside `names` orders nothing: it is not in this train. Assumes a checked catalogue.
 */
export function trainOrder(catalogue: Catalogue, names: readonly string[]): string[] {
  const members = Object.keys(catalogue).filter((n) => names.includes(n));
  const order: string[] = [];
  const placed = new Set<string>();
  while (order.length < members.length) {
    const next = members.find(
      (n) => !placed.has(n) && dependsOn(catalogue, n).every((d) => placed.has(d) || !members.includes(d)),
    );
    if (next === undefined)
      throw new Error(`dependency cycle among ${members.filter((n) => !placed.has(n)).join(', ')}`);
    order.push(next);
    placed.add(next);
  }
  return order;
}
