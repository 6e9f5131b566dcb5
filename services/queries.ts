/**
 * The one place that asks the model "which entries of this kind": every folder filters the
 * catalogue and the environments through here rather than by `kind` on its own.
 */
import type { Catalogue, CatalogueEntry, EcsServiceEntry, OneOffTaskEntry, Source } from './catalogue';
import type { Environment, EnvironmentKind, EnvironmentName, WorkloadEnvironmentName } from './environments';

export type EntryKind = CatalogueEntry['kind'];
type EntryOfKind<K extends EntryKind> = Extract<CatalogueEntry, { kind: K }>;

/** Entries of the given kinds, in catalogue order, as `[name, entry]`. */
export function entriesOfKind<K extends EntryKind>(
  catalogue: Catalogue,
  ...kinds: readonly K[]
): Array<[string, EntryOfKind<K>]> {
  return Object.entries(catalogue).filter((e): e is [string, EntryOfKind<K>] =>
    (kinds as readonly string[]).includes(e[1].kind),
  );
}

/** Names of the entries of the given kinds, in catalogue order. */
export function namesOfKind(catalogue: Catalogue, ...kinds: readonly EntryKind[]): string[] {
  return entriesOfKind(catalogue, ...kinds).map(([name]) => name);
}

/** The long-running ECS services (what deploy, promote and rollback move). */
export const ecsServices = (catalogue: Catalogue): Array<[string, EcsServiceEntry]> =>
  entriesOfKind(catalogue, 'service');

/** The one-off ECS tasks (what `tdr task run` starts). */
export const oneOffTasks = (catalogue: Catalogue): Array<[string, OneOffTaskEntry]> =>
  entriesOfKind(catalogue, 'task');

/** The entry `name` if it is of one of `kinds`, else undefined. */
export function entryOfKind<K extends EntryKind>(
  catalogue: Catalogue,
  name: string,
  ...kinds: readonly K[]
): EntryOfKind<K> | undefined {
  const entry = Object.prototype.hasOwnProperty.call(catalogue, name) ? catalogue[name] : undefined;
  return entry && (kinds as readonly string[]).includes(entry.kind) ? (entry as EntryOfKind<K>) : undefined;
}

/** Environments of the given kinds, in model order. */
export function environmentsOfKind(
  environments: Readonly<Record<EnvironmentName, Environment>>,
  ...kinds: readonly EnvironmentKind[]
): Environment[] {
  return Object.values(environments).filter((e) => kinds.includes(e.kind));
}

/** Names of the workload environments (where the catalogue runs), in model order. */
export const workloadEnvironmentNames = (
  environments: Readonly<Record<EnvironmentName, Environment>>,
): WorkloadEnvironmentName[] =>
  environmentsOfKind(environments, 'workload').map((e) => e.name as WorkloadEnvironmentName);

/** A source repository and the catalogue entries whose images are built from it, in catalogue order. */
export interface SourceRepository {
  readonly repository: string;
  /** The first entry's source: validation holds the others' branch and commands equal to it. */
  readonly source: Source;
  readonly entries: ReadonlyArray<readonly [string, CatalogueEntry]>;
}

/** The repositories the catalogue's images are built from, each once, in catalogue order. */
export function sourceRepositories(catalogue: Catalogue): SourceRepository[] {
  const byRepository = new Map<string, Array<readonly [string, CatalogueEntry]>>();
  for (const [name, entry] of Object.entries(catalogue)) {
    const entries = byRepository.get(entry.source.repository) ?? [];
    entries.push([name, entry]);
    byRepository.set(entry.source.repository, entries);
  }
  return [...byRepository].map(([repository, entries]) => ({
    repository,
    source: entries[0]![1].source,
    entries,
  }));
}
