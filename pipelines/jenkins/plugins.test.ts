import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { JENKINS_CONTROLLER_BASE_IMAGE, JENKINS_CORE, JENKINS_PLUGINS } from './plugins';

/** ./plugin-snapshot.json: each pinned release as its jenkinsci repository's tag says. */
interface Snapshot {
  readonly takenAt: string;
  readonly plugins: Readonly<
    Record<
      string,
      {
        readonly version: string;
        readonly requiredCore: string;
        readonly released: string;
        readonly source: string;
        readonly dependencies: ReadonlyArray<{ name: string; minVersion?: string; optional?: boolean }>;
        /** Where the minimums come from (scripts/refresh-plugin-snapshot.mjs --from-git). */
        readonly dependencySources?: readonly string[];
      }
    >
  >;
}

const snapshot = JSON.parse(readFileSync(join(__dirname, 'plugin-snapshot.json'), 'utf8')) as Snapshot;

/** Jenkins core versions are dotted numbers (2.479.3, 2.539): compared part by part. */
function compareCore(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * A plugin version's leading number orders its releases (incrementals: `657.v2b_…`; classic:
 * `2.19.0`); good enough to compare a pin with a dependency's minimum of the same plugin.
 */
function compareRelease(a: string, b: string): number {
  const nums = (v: string) =>
    v
      .split('.')
      .filter((p) => /^\d+$/.test(p))
      .map(Number);
  const [pa, pb] = [nums(a), nums(b)];
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

describe('plugins.txt against the plugins’ own releases (plugin-snapshot.json)', () => {
  const pins = Object.entries(JENKINS_PLUGINS);

  it('every pin is a release that exists, as recorded with its source and date', () => {
    expect(Object.keys(snapshot.plugins).sort()).to.deep.equal(pins.map(([n]) => n).sort());
    for (const [name, pin] of pins) {
      const release = snapshot.plugins[name]!;
      expect(release.version, name).to.equal(pin.version);
      expect(release.source, name).to.match(/^https:\/\/github\.com\/jenkinsci\/.+\/blob\/.+\/pom\.xml$/);
      expect(release.released, name).to.match(/^\d{4}-\d{2}-\d{2}$/);
    }
  });

  it(`every pin runs on the controller's core, ${JENKINS_CORE}, and the core is no more than they need`, () => {
    for (const [name] of pins) {
      const needs = snapshot.plugins[name]!.requiredCore;
      expect(compareCore(needs, JENKINS_CORE), `${name} needs ${needs}`).to.be.at.most(0);
    }
    const highest = pins
      .map(([n]) => snapshot.plugins[n]!.requiredCore)
      .sort(compareCore)
      .at(-1)!;
    expect(highest, 'the core is chosen by the plugins').to.equal(JENKINS_CORE);
  });

  it('every dependency has the minimum the release’s manifest records, from a file the snapshot names', () => {
    for (const [name] of pins) {
      const release = snapshot.plugins[name]!;
      for (const dep of release.dependencies)
        expect(dep.minVersion, `${name} → ${dep.name}`).to.be.a('string').and.not.equal('');
      if (release.dependencies.length === 0) continue;
      // The pom at the release tag, or the plugin BOM (jenkinsci/bom) at the version it imports.
      expect(release.dependencySources?.length ?? 0, name).to.be.greaterThan(0);
      for (const file of release.dependencySources!)
        expect(file, name).to.match(
          /^https:\/\/github\.com\/jenkinsci\/[^/]+\/blob\/[^/]+\/(.+\/)?pom\.xml$/,
        );
    }
  });

  it('a dependency that is itself pinned is pinned at least at the version its dependant needs', () => {
    const pinnedDependencies = pins.flatMap(([name]) =>
      snapshot.plugins[name]!.dependencies.filter((d) => d.name in JENKINS_PLUGINS).map((d) => ({ name, d })),
    );
    // Derived from the snapshot: workflow-aggregator, git, github-oauth, … depend on other pins.
    expect(pinnedDependencies.length).to.be.greaterThan(0);
    for (const { name, d } of pinnedDependencies) {
      const pinned = (JENKINS_PLUGINS as Record<string, { version: string }>)[d.name]!;
      expect(
        compareRelease(pinned.version, d.minVersion!),
        `${name} needs ${d.name} ${d.minVersion}, pinned ${pinned.version}`,
      ).to.be.at.least(0);
    }
  });

  it('the controller image runs that core, and the mgmt stack runs that image (never a stock one)', () => {
    const dockerfile = readFileSync(join(__dirname, 'controller', 'Dockerfile'), 'utf8');
    expect(dockerfile).to.include(`ARG JENKINS_IMAGE=${JENKINS_CONTROLLER_BASE_IMAGE}`);
    // The stack runs jenkins-controller by digest (infra/accounts/mgmt-jenkins.test.ts).
    const settings = readFileSync(join(__dirname, '..', '..', 'infra', 'accounts', 'settings.ts'), 'utf8');
    expect(settings).to.not.match(/jenkins\/jenkins:/);
  });

  it('the comparisons order what they must', () => {
    expect(compareCore('2.539', '2.541.1')).to.be.lessThan(0);
    expect(compareCore('2.541.1', '2.479.3')).to.be.greaterThan(0);
    expect(compareRelease('657.v2b_19db_7d6e6d', '655.v6e098b_87b_84f')).to.be.greaterThan(0);
  });
});
