#!/usr/bin/env node
/* global process, fetch, AbortSignal, console */
// Refreshes pipelines/jenkins/plugin-snapshot.json from the Jenkins update center's
// plugin-versions.json (every release of every plugin: `requiredCore`, `dependencies` with their
// minimum versions, `releaseTimestamp`), for the pins of pipelines/jenkins/plugins.ts.
//   node scripts/refresh-plugin-snapshot.mjs [URL-or-file]   (default https://updates.jenkins.io/current/plugin-versions.json)
// Needs network to updates.jenkins.io (or a downloaded copy): the committed snapshot was taken
// from the jenkinsci repositories' release tags instead, on a machine without that network.
// A pin the update center does not list is an error (exit 1, nothing written): it does not exist.
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const SNAPSHOT = join(root, 'pipelines', 'jenkins', 'plugin-snapshot.json');
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
