/**
 * The "what changed" link of a release message: GitHub's compare view from the commit of the
 * version the environment ran before to the commit of the one released now. Versions are git
 * tags (DESIGN.md), so a tag names its commit when the ledger holds no commit of its own.
 */
import { naming } from '../../services/naming';

export interface ReleasedRevision {
  /** The release tag, e.g. `v42`. */
  readonly version: string;
  /** The git commit the version was built from, when known (a tag is used otherwise). */
  readonly commit?: string | undefined;
}

export interface CompareLinkInput {
  /** GitHub organisation, e.g. `nationalarchives`. */
  readonly owner: string;
  /** The catalogue entry's image repository; its GitHub repository follows TDR's naming. */
  readonly imageRepository: string;
  /** What the environment ran before; absent for a first release. */
  readonly previous?: ReleasedRevision | undefined;
  readonly current: ReleasedRevision;
}

const ref = (r: ReleasedRevision): string => r.commit ?? r.version;

/**
 * `https://github.com/{owner}/{repo}/compare/{previous}...{current}`; for a first release, or a
 * re-release of the same revision, the tree of the current one (there is nothing to compare).
 */
export function compareLink(input: CompareLinkInput): string {
  const base = `https://github.com/${encodeURIComponent(input.owner)}/${encodeURIComponent(
    naming.serviceRepository(input.imageRepository),
  )}`;
  const current = encodeURIComponent(ref(input.current));
  if (!input.previous || ref(input.previous) === ref(input.current)) return `${base}/tree/${current}`;
  return `${base}/compare/${encodeURIComponent(ref(input.previous))}...${current}`;
}

/** The Slack line of a release: service, version, environment, outcome and what changed. */
export function releaseSummary(o: {
  readonly service: string;
  readonly version: string;
  readonly env: string;
  readonly outcome: string;
  readonly previousVersion?: string | undefined;
  readonly compareUrl: string;
}): string {
  const from = o.previousVersion ? `${o.previousVersion} → ` : '';
  return `${o.service} ${from}${o.version} in ${o.env}: ${o.outcome} (<${o.compareUrl}|changes>)`;
}
