/**
 * What the synth tests share: the six stacks, synthesized under Pulumi's mock engine once per
 * process (the first file's `before` pays; the others reuse it), and small readers over them.
 */
import { loadPlatform, type Platform } from '../services/config';
import type { EnvironmentName } from '../services/environments';
import type { RecordedResource } from './policies/evaluate';
import { statementsOf } from './policies/rules';
import { synthStacks, ALL_STACKS, type SynthResult, type SynthStackName } from './synth';

export type Inputs = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const results = new Map<SynthStackName, SynthResult>();
let shared: Platform | undefined;
let synthesis: Promise<void> | undefined;

/** Synthesizes every stack once per process; a test file's `before` awaits it. */
export function synthesizeAll(): Promise<void> {
  synthesis ??= (async () => {
    shared = loadPlatform({});
    for (const r of await synthStacks(ALL_STACKS, { platform: shared })) results.set(r.manifest.stack, r);
  })();
  return synthesis;
}

/** The platform the shared stacks were synthesized from. */
export function sharedPlatform(): Platform {
  if (!shared) throw new Error('the stacks were not synthesized (await synthesizeAll() in a before hook)');
  return shared;
}

export function stack(name: SynthStackName): SynthResult {
  const r = results.get(name);
  if (!r) throw new Error(`stack ${name} was not synthesized`);
  return r;
}
export function ofType(name: SynthStackName, type: string): RecordedResource[] {
  return stack(name).records.filter((r) => r.type === type);
}
export function one(name: SynthStackName, type: string, logical: string): Inputs {
  const r = stack(name).records.find((x) => x.type === type && x.name === logical);
  if (!r) throw new Error(`${name} has no ${type} named ${logical}`);
  return r.inputs as Inputs;
}
export function statements(document: unknown) {
  return statementsOf(document);
}
export function resourcesOf(document: unknown): string[] {
  return statements(document).flatMap((s) =>
    (Array.isArray(s.Resource) ? s.Resource : [s.Resource]).map(String),
  );
}

export function readRaw(stack: EnvironmentName): Record<string, string> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('./config') as typeof import('./config')).readStackConfigFile(stack).raw;
}
