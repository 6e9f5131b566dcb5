/* global process */
// The dependency minimums of a plugin release, read from git when the update center is out of
// reach. A plugin's manifest (Plugin-Dependencies, what the update center's plugin-versions.json
// repeats) records each plugin dependency at the version Maven resolved when the release was
// built. A version written in the plugin's pom.xml (`<dependencies>` or its own
// `<dependencyManagement>`) is that version; otherwise it is the one the imported plugin BOM
// (io.jenkins.tools.bom:bom-<baseline>.x at the version the pom names) manages. Maven gives a
// pom's own dependencyManagement entries precedence over those it imports, and the first import
// over later ones (Maven, "Introduction to the Dependency Mechanism", "Importing Dependencies").
// The BOM is https://github.com/jenkinsci/bom: `<artifactId>/pom.xml` at the tag `<version>`
// (older releases: `bom-<version>`), each LTS line's pom importing the next one's and in the end
// bom-weekly (bom-latest before it), with its parent's (the root pom.xml's) properties.
import { execFileSync } from 'node:child_process';

/** `git show REV:PATH` in a git directory, or undefined when the path or revision is not there. */
function show(gitDir, rev, path) {
  try {
    return execFileSync('git', ['--git-dir', gitDir, 'show', `${rev}:${path}`], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch {
    return undefined;
  }
}

/** The text between the first `<tag>` and its `</tag>`, or ''. */
function element(xml, tag) {
  const m = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(xml);
  return m ? m[1] : '';
}

/** A pom's `<properties>` as a map. */
function properties(xml) {
  const out = {};
  for (const m of element(xml, 'properties').matchAll(/<([\w.-]+)>([^<]*)<\/\1>/g)) out[m[1]] = m[2].trim();
  return out;
}

/** `${name}` replaced from the properties, repeatedly (a property may name another). */
function interpolate(value, props) {
  let v = value;
  for (let i = 0; i < 10 && /\$\{[^}]+\}/.test(v); i++)
    v = v.replace(/\$\{([^}]+)\}/g, (all, name) => props[name] ?? all);
  return v;
}

/** Each `<dependency>` of a block: groupId, artifactId, version, scope, classifier (raw). */
function dependencies(block) {
  return [...block.matchAll(/<dependency>([\s\S]*?)<\/dependency>/g)].map((m) => ({
    groupId: element(m[1], 'groupId').trim(),
    artifactId: element(m[1], 'artifactId').trim(),
    version: element(m[1], 'version').trim(),
    scope: element(m[1], 'scope').trim(),
    classifier: element(m[1], 'classifier').trim(),
  }));
}

const withoutComments = (xml) => xml.replace(/<!--[\s\S]*?-->/g, '');

/** A pom's own managed versions (artifactId → version) and its BOM imports, interpolated. */
function managed(xml, props) {
  const deps = dependencies(element(element(xml, 'dependencyManagement'), 'dependencies'));
  const versions = {};
  for (const d of deps)
    if (d.scope !== 'import' && !d.classifier && !(d.artifactId in versions))
      versions[interpolate(d.artifactId, props)] = interpolate(d.version, props);
  const imports = deps
    .filter((d) => d.scope === 'import')
    .map((d) => ({ artifactId: interpolate(d.artifactId, props), version: interpolate(d.version, props) }));
  return { versions, imports };
}

/** A pom's own artifactId (not its parent's). */
const ownArtifactId = (xml) => element(xml.replace(/<parent>[\s\S]*?<\/parent>/, ''), 'artifactId').trim();

/**
 * The root pom's module whose artifactId is `artifactId`: usually the directory of that name, but
 * not always (at bom-21, `bom-latest/` is bom-2.263.x).
 */
function bomModule(gitDir, tag, rootPom, artifactId) {
  const dirs = [
    artifactId,
    ...[...element(rootPom, 'modules').matchAll(/<module>([^<]+)<\/module>/g)].map((m) => m[1].trim()),
  ];
  for (const dir of dirs) {
    const text = show(gitDir, tag, `${dir}/pom.xml`);
    if (text && ownArtifactId(withoutComments(text)) === artifactId)
      return { dir, xml: withoutComments(text) };
  }
  return undefined;
}

/**
 * The BOM's managed versions for `artifactId` at `version`, with the file each came from. An import
 * whose pom is not in the tagged tree is recorded in `missing`, and what was found is kept: the
 * importing poms' own entries take precedence over it anyway.
 */
function bomVersions(bomGitDir, artifactId, version, missing, depth = 0) {
  if (depth > 12) throw new Error(`BOM imports nest deeper than 12 at ${artifactId}`);
  const tag = [version, `bom-${version}`].find((t) => show(bomGitDir, t, 'pom.xml') !== undefined);
  if (!tag) throw new Error(`the BOM repository has no tag ${version} (nor bom-${version})`);
  const rootPom = withoutComments(show(bomGitDir, tag, 'pom.xml') ?? '');
  const module = bomModule(bomGitDir, tag, rootPom, artifactId);
  if (!module) {
    missing.push(`the BOM's tag ${tag} has no module ${artifactId}`);
    return {};
  }
  const xml = module.xml;
  const parent = properties(rootPom);
  const props = {
    ...parent,
    ...properties(xml),
    'project.version': version,
    'project.groupId': 'io.jenkins.tools.bom',
  };
  const own = managed(xml, props);
  const result = {};
  const file = `https://github.com/jenkinsci/bom/blob/${tag}/${module.dir}/pom.xml`;
  for (const [a, v] of Object.entries(own.versions)) result[a] = { version: v, file };
  for (const imp of own.imports) {
    const inner = bomVersions(bomGitDir, imp.artifactId, imp.version, missing, depth + 1);
    for (const [a, v] of Object.entries(inner)) if (!(a in result)) result[a] = v;
  }
  return result;
}

/**
 * The minimum of each dependency of a plugin release: `gitDirOf(repo)` is a git directory of
 * github.com/jenkinsci/<repo> (with its tags); `tag` the release tag. Returns artifactId →
 * { version, file }, the BOM the pom imports (or undefined when it imports none), and the BOM
 * poms that could not be read (`missing`).
 */
export function releaseDependencyVersions(gitDirOf, repo, tag) {
  const text = show(gitDirOf(repo), tag, 'pom.xml');
  if (!text) throw new Error(`no pom.xml at ${repo}@${tag} in ${gitDirOf(repo)}`);
  const xml = withoutComments(text);
  const props = properties(xml);
  const own = managed(xml, props);
  const pomFile = `https://github.com/jenkinsci/${repo}/blob/${tag}/pom.xml`;
  const result = {};
  // Written in the pom's own <dependencies> (outside dependencyManagement).
  const body = xml.replace(/<dependencyManagement>[\s\S]*?<\/dependencyManagement>/, '');
  for (const d of dependencies(element(body, 'dependencies')))
    if (d.version && !d.classifier)
      result[d.artifactId] = { version: interpolate(d.version, props), file: pomFile };
  for (const [a, v] of Object.entries(own.versions))
    if (!(a in result)) result[a] = { version: v, file: pomFile };
  const boms = own.imports.filter((i) => /^bom-/.test(i.artifactId));
  const missing = [];
  for (const b of boms) {
    const inner = bomVersions(gitDirOf('bom'), b.artifactId, b.version, missing);
    for (const [a, v] of Object.entries(inner)) if (!(a in result)) result[a] = v;
  }
  return { versions: result, bom: boms[0], missing };
}

if (process.argv[1] && process.argv[1].endsWith('plugin-bom.mjs')) {
  const [template, repo, tag] = process.argv.slice(2);
  const r = releaseDependencyVersions((n) => template.replace('{repo}', n), repo, tag);
  process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
}
