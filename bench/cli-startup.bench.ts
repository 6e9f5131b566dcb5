/**
 * Cold-start time of the compiled `tdr` next to bare node, interleaved in one run so that a
 * noisy shared machine slows all three alike. Target: `tdr --help` within 100 ms of `node -e 0`.
 * Run: npm run build && node -r ts-node/register/transpile-only bench/cli-startup.bench.ts [runs]
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runsOf } from './smoke';

const cli = join(__dirname, '..', 'build', 'cli', 'main.js');
if (!existsSync(cli)) {
  console.error(`${cli} is missing: run npm run build first`);
  process.exit(2);
}
const runs = runsOf(process.argv[2], 30);
const cases: Record<string, string[]> = {
  'node -e 0': ['-e', '0'],
  'tdr --help': [cli, '--help'],
  'tdr services -o json': [cli, 'services', '-o', 'json'],
};
const samples: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));

for (let i = 0; i < runs; i++) {
  for (const [name, args] of Object.entries(cases)) {
    const start = process.hrtime.bigint();
    const result = spawnSync(process.execPath, args, {
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: 60_000,
    });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (result.status !== 0) throw new Error(`${name} exited ${result.status}: ${result.stderr.toString()}`);
    samples[name]?.push(ms);
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const base = median(samples['node -e 0'] ?? []);
console.log(
  `cold start on Node ${process.versions.node}, ${runs} interleaved runs each (median / p90 ms, and median over bare node)`,
);
for (const [name, xs] of Object.entries(samples)) {
  const sorted = [...xs].sort((a, b) => a - b);
  const p90 = sorted[Math.floor(sorted.length * 0.9)] ?? NaN;
  const over = median(xs) - base;
  console.log(
    `${name.padEnd(24)} ${median(xs).toFixed(1).padStart(7)} ${p90.toFixed(1).padStart(7)}   +${over.toFixed(1)} ms`,
  );
}
const worst =
  Math.max(median(samples['tdr --help'] ?? []), median(samples['tdr services -o json'] ?? [])) - base;
console.log(
  `target: within 100 ms of bare node — ${worst <= 100 ? 'met' : 'MISSED'} (+${worst.toFixed(1)} ms)`,
);
