/**
 * Wall time of offline synth for all five stacks, with the embedded catalogue and with the
 * catalogue multiplied to 10 and 50 services (generated here, never committed), side by side in
 * one process so the growth is visible. Target: all five stacks under 3 s, growth no worse than
 * linear in the number of resources.
 *
 *   node -r ts-node/register/transpile-only bench/synth.bench.ts
 */
import { buildPlatform, loadPlatform, type Platform } from '../services/config';
import type { Catalogue } from '../services/catalogue';
import { ENVIRONMENT_NAMES } from '../services/environments';
import { ecsServices } from '../services/queries';
import { renderTable } from '../cli/output';
import { synthStacks } from '../infra/synth';
import { smoke } from './smoke';

/** The embedded catalogue with its services cloned until there are `count` of them. */
function withServices(base: Platform, count: number): Platform {
  const entries = Object.entries(base.catalogue);
  const services = ecsServices(base.catalogue);
  const catalogue: Record<string, Catalogue[string]> = Object.fromEntries(entries);
  for (let i = services.length; i < count; i++) {
    const [name, entry] = services[i % services.length]!;
    const n = String(i).padStart(2, '0');
    catalogue[`${name.slice(0, 15)}-${n}`] = {
      ...entry,
      pascalName: `${entry.pascalName}${n}`,
      hostnamePrefix: `${entry.hostnamePrefix.slice(0, 20)}-${n}`,
      imageRepository: `${entry.imageRepository}-${n}`,
    };
  }
  return buildPlatform({ environments: base.environments, catalogue });
}

async function measure(label: string, platform: Platform) {
  const started = performance.now();
  const results = await synthStacks(ENVIRONMENT_NAMES, { platform });
  const millis = performance.now() - started;
  const resources = results.reduce((sum, r) => sum + r.manifest.resources.length, 0);
  const violations = results.reduce((sum, r) => sum + r.manifest.policies.violations.length, 0);
  const services = ecsServices(platform.catalogue).length;
  return {
    label,
    services,
    resources,
    millis,
    violations,
    perStack: results.map((r) => Math.round(r.millis)),
  };
}

async function main() {
  const base = loadPlatform({});
  // A smoke run (./smoke.ts) synthesises the embedded catalogue once, cold (and calls that warm too).
  const cold = await measure('embedded (cold: loads Pulumi and AWS modules)', base);
  const runs = smoke()
    ? [cold]
    : [
        cold,
        await measure('embedded (warm)', base),
        await measure('10 services', withServices(base, 10)),
        await measure('50 services', withServices(base, 50)),
      ];
  const warm = runs[1] ?? cold;
  process.stdout.write(
    renderTable(
      [
        'CATALOGUE',
        'SERVICES',
        'RESOURCES',
        'WALL MS',
        'MS/RESOURCE',
        'TIME ×',
        'RESOURCES ×',
        'VIOLATIONS',
        `MS PER STACK (${ENVIRONMENT_NAMES.join('/')})`,
      ],
      runs.map((r) => [
        r.label,
        r.services,
        r.resources,
        Math.round(r.millis),
        (r.millis / r.resources).toFixed(2),
        (r.millis / warm.millis).toFixed(2),
        (r.resources / warm.resources).toFixed(2),
        r.violations,
        r.perStack.join('/'),
      ]),
    ),
  );
  const target = 3000;
  process.stdout.write(
    `\nall five stacks, embedded catalogue: ${Math.round(cold.millis)} ms cold, ${Math.round(warm.millis)} ms warm (target < ${target} ms): ${cold.millis < target ? 'MET' : 'MISSED'}\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
