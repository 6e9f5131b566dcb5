#!/usr/bin/env node
/* global process, fetch, AbortSignal, console */
// Refreshes pipelines/jenkins/plugin-snapshot.json from the Jenkins update center's
// plugin-versions.json (every release of every plugin: `requiredCore`, `dependencies` with their
// minimum versions, `releaseTimestamp`), for the pins of pipelines/jenkins/plugins.ts.
//   node scripts/refresh-plugin-snapshot.mjs [URL-or-file]   (default https://updates.jenkins.io/current/plugin-versions.json)
// Needs network to updates.jenkins.io (or a downloaded copy): the committed snapshot was taken
// from the jenkinsci repositories' release tags instead, on a machine without that network.
// A pin the update center does not list is an error (exit 1, nothing written): it does not exist.
//
// Without the update center: fill each dependency's minimum from git instead (./plugin-bom.mjs says
// how: the version in the plugin's pom.xml at its release tag, else the one the plugin BOM it
// imports manages, as Maven resolved it into the release's manifest):
//   node scripts/refresh-plugin-snapshot.mjs --from-git '/path/to/clones/{repo}/.git'
// `{repo}` is each jenkinsci repository's name (the snapshot's `source` URLs, and `bom`); each
// needs its tags (`git clone --bare https://github.com/jenkinsci/REPO`). Versions, required cores
// and dates stay as they are; a minimum no readable file gives stays absent, listed in
// `unresolved` with the reason.
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { releaseDependencyVersions } from './plugin-bom.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const SNAPSHOT = join(root, 'pipelines', 'jenkins', 'plugin-snapshot.json');

if (process.argv[2] === '--from-git') {
  const template = process.argv[3];
  if (!template || !template.includes('{repo}')) {
    console.error("--from-git needs a git directory template naming {repo}, e.g. '/src/{repo}/.git'");
    process.exit(2);
  }
  const current = JSON.parse(await readFile(SNAPSHOT, 'utf8'));
  for (const [name, plugin] of Object.entries(current.plugins)) {
    const m = /^https:\/\/github\.com\/jenkinsci\/([^/]+)\/blob\/([^/]+)\/pom\.xml$/.exec(plugin.source);
    if (!m) throw new Error(`${name}: source ${plugin.source} is not a jenkinsci pom.xml at a tag`);
    const { versions, missing } = releaseDependencyVersions((r) => template.replace('{repo}', r), m[1], m[2]);
    const files = new Set();
    const unresolved = [];
    plugin.dependencies = plugin.dependencies.map((d) => {
      const found = versions[d.name];
      if (!found) {
        unresolved.push(d.name);
        return d;
      }
      files.add(found.file);
      return { name: d.name, minVersion: found.version, ...(d.optional ? { optional: true } : {}) };
    });
    delete plugin.dependencySources;
    delete plugin.unresolved;
    if (files.size > 0) plugin.dependencySources = [...files].sort();
    if (unresolved.length > 0)
      plugin.unresolved = { dependencies: unresolved, reason: missing.join('; ') || 'in no pom or BOM read' };
  }
  current.takenAt = new Date().toISOString().slice(0, 10);
  current.method =
    'jenkinsci/<plugin> git tag, pom.xml; dependency minimums: the pom, else the plugin BOM it imports (jenkinsci/bom at that tag)';
  await writeFile(SNAPSHOT, `${JSON.stringify(current, null, 2)}\n`);
  const open = Object.entries(current.plugins).filter(([, p]) => p.unresolved);
  console.error(
    `filled dependency minimums in ${SNAPSHOT}; unresolved: ${open.map(([n, p]) => `${n} (${p.unresolved.dependencies.join(', ')})`).join('; ') || 'none'}`,
  );
  process.exit(0);
}

const source = process.argv[2] ?? 'https://updates.jenkins.io/current/plugin-versions.json';

const text = /^https?:/.test(source)
  ? await (await fetch(source, { signal: AbortSignal.timeout(120_000) })).text()
  : await readFile(source, 'utf8');
const all = JSON.parse(text).plugins;
const current = JSON.parse(await readFile(SNAPSHOT, 'utf8'));
// The pins as plugin-snapshot.json names them (the test holds them equal to plugins.ts).
const pins = Object.fromEntries(Object.entries(current.plugins).map(([n, p]) => [n, p.version]));

const missing = [];
const plugins = {};
for (const [name, version] of Object.entries(pins)) {
  const release = all?.[name]?.[version];
  if (!release) {
    missing.push(`${name}:${version}`);
    continue;
  }
  plugins[name] = {
    version,
    requiredCore: release.requiredCore,
    released: (release.releaseTimestamp ?? '').slice(0, 10),
    source: `${source}#${name}/${version}`,
    dependencies: (release.dependencies ?? []).map((d) => ({
      name: d.name,
      minVersion: d.version,
      ...(d.optional ? { optional: true } : {}),
    })),
  };
}
if (missing.length > 0) {
  console.error(`not in the update center: ${missing.join(', ')}; nothing written`);
  process.exit(1);
}
const snapshot = {
  ...current,
  takenAt: new Date().toISOString().slice(0, 10),
  method: 'update center plugin-versions.json',
  plugins,
};
await writeFile(SNAPSHOT, `${JSON.stringify(snapshot, null, 2)}\n`);
console.error(
  `wrote ${Object.keys(plugins).length} plugins to ${SNAPSHOT}; move a pin in plugins.ts first, then refresh, then run the unit test`,
);
