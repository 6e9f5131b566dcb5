/** Fargate's allowed task sizes (AWS ECS developer guide, "Task CPU and memory"). */
const RANGES: ReadonlyArray<readonly [cpu: number, min: number, max: number, step: number]> = [
  [256, 512, 2048, 512],
  [512, 1024, 4096, 1024],
  [1024, 2048, 8192, 1024],
  [2048, 4096, 16384, 1024],
  [4096, 8192, 30720, 1024],
  [8192, 16384, 61440, 4096],
  [16384, 32768, 122880, 8192],
];

export const FARGATE_CPU_SIZES: readonly number[] = RANGES.map(([cpu]) => cpu);

/** Memory sizes (MiB) Fargate allows for a task of `cpu` units; empty for an invalid cpu. */
export function fargateMemoryFor(cpu: number): number[] {
  const range = RANGES.find(([c]) => c === cpu);
  if (!range) return [];
  const [, min, max, step] = range;
  const sizes: number[] = [];
  for (let m = min; m <= max; m += step) sizes.push(m);
  // 256 cpu allows 512, 1024 and 2048 but not 1536.
  return cpu === 256 ? sizes.filter((m) => m !== 1536) : sizes;
}
