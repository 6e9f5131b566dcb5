/**
 * Offline synth: runs each stack's Pulumi program under Pulumi's own mock engine
 * (`pulumi.runtime.setMocks`) with its stack config, records every resource the program
 * registers (type, logical name, parent, inputs with secrets redacted, options), and runs every
 * policy over them. No CLI, no cloud, no credentials.
 *
 * Pulumi's runtime state is process-global, so stacks run strictly one after another: each run
 * resets the runtime through setMocks, and waits for every registration (`disconnect`) before
 * the next begins. Concurrent callers queue behind each other.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import type { AccountIds, Platform } from '../services/config';
import type { EnvironmentName } from '../services/environments';
import {
  parseStackConfig,
  requireStackName,
  readStackConfigFile,
  STACK_CONFIG_DIR,
  StackConfigError,
  type StackConfig,
} from './config';
import { runPolicies, type PolicyReport, type RecordedResource, type TdrPolicy } from './policies/evaluate';
import { ALL_POLICIES } from './policies/rules';
import { defineStack } from './program';

export const PULUMI_PROJECT = 'tdr';
const REDACTED = '[secret]';
const SIG_KEY = pulumi.runtime.specialSigKey;
const SECRET_SIG = pulumi.runtime.specialSecretSig;
const UNKNOWN = pulumi.runtime.unknownValue;

/** One resource in a manifest: what a reviewer reads in the golden file. */
export interface ManifestResource {
  readonly type: string;
  readonly name: string;
  /** `type::name` of the parent component (the stack root has none). */
  readonly parent?: string;
  readonly protect?: true;
  readonly ignoreChanges?: readonly string[];
  readonly inputs: Readonly<Record<string, unknown>>;
}

export interface StackManifest {
  readonly stack: EnvironmentName;
  readonly accountId: string;
  readonly region: string;
  readonly resources: readonly ManifestResource[];
  readonly policies: PolicyReport;
}

export interface SynthOptions {
  readonly platform: Platform;
  /** Override the file-based config (tests, benchmarks); keys `tdr:*`, values as Pulumi passes them. */
  readonly rawConfig?: Readonly<Record<string, string>>;
  readonly configDir?: string;
  readonly policies?: readonly TdrPolicy[];
  /** Extra resources declared after the stack's own: how a test breaks a stack on purpose. */
  readonly extend?: (platform: Platform, config: StackConfig) => void;
  /** The ids the release engine uses (`TDR_ACCOUNT_IDS`): each stack's account must match. */
  readonly accountIds?: AccountIds;
}

export interface SynthResult {
  readonly manifest: StackManifest;
  /** Unredacted records, for the policies and for tests that inspect resources. */
  readonly records: readonly RecordedResource[];
  readonly millis: number;
}

/** Reads and validates a stack's config without running anything (exit 2 on problems). */
export function loadStackConfig(
  stack: string,
  options: Pick<SynthOptions, 'rawConfig' | 'configDir'> = {},
): StackConfig {
  const name = requireStackName(stack);
  const { raw, source } = options.rawConfig
    ? { raw: { ...options.rawConfig }, source: `Pulumi.${name}.yaml` }
    : readStackConfigFile(name, options.configDir ?? STACK_CONFIG_DIR);
  return parseStackConfig(name, raw, source);
}

let queue: Promise<unknown> = Promise.resolve();

/** Pulumi's runtime is one per process: every use of it waits for the previous one to finish. */
function serialised<T>(work: () => Promise<T>): Promise<T> {
  const run = queue.then(work);
  queue = run.catch(() => undefined);
  return run;
}

/** Synthesizes one stack; calls are serialised because Pulumi's runtime is global. */
export function synthStack(stack: string, options: SynthOptions): Promise<SynthResult> {
  return serialised(() => synthStackNow(stack, options));
}

async function synthStackNow(stack: string, options: SynthOptions): Promise<SynthResult> {
  const started = performance.now();
  const config = loadStackConfig(stack, options);
  const raw =
    options.rawConfig ?? readStackConfigFile(config.stack, options.configDir ?? STACK_CONFIG_DIR).raw;
  const accountId = config.values['tdr:accountId'];
  const region = options.platform.environments[config.stack].region;
  const records = await recordProgramNow(config.stack, raw, accountId, region, () => {
    const outputs = defineStack(options.platform, config);
    options.extend?.(options.platform, config);
    return outputs;
  });
  const policies = await runPolicies(records, options.policies ?? ALL_POLICIES);
  const byUrn = new Map(records.map((r) => [r.urn, r]));
  const manifest: StackManifest = {
    stack: config.stack,
    accountId,
    region,
    resources: records
      .filter((r) => r.type !== 'pulumi:pulumi:Stack')
      .map((r) => toManifestResource(r, byUrn)),
    policies,
  };
  return { manifest, records, millis: performance.now() - started };
}

/** Every stack in `stacks`, in order; stops at the first bad config before running anything. */
export async function synthStacks(stacks: readonly string[], options: SynthOptions): Promise<SynthResult[]> {
  checkAccountsAgree(
    stacks.map((s) => loadStackConfig(s, options)),
    options.accountIds,
  );
  const results: SynthResult[] = [];
  for (const s of stacks) results.push(await synthStack(s, options));
  return results;
}

/**
 * The same account id appears in several stacks (mgmt lists the workload accounts, each workload
 * names mgmt): when the stacks are rendered together, they must agree, or a trust policy would
 * name an account that is not the one deployed.
 */
export function checkAccountsAgree(configs: readonly StackConfig[], expected?: AccountIds): void {
  const ids = new Map(configs.map((c) => [c.stack, c.values['tdr:accountId']]));
  const issues: Array<{ path: string; message: string }> = [];
  for (const [stack, id] of ids) {
    if (expected && expected[stack] !== id) {
      issues.push({
        path: `Pulumi.${stack}.yaml tdr:accountId`,
        message: `is ${id} but TDR_ACCOUNT_IDS.${stack} is ${expected[stack]}`,
      });
    }
  }
  for (const c of configs) {
    if (c.kind === 'management') {
      for (const [env, id] of Object.entries(c.values['tdr:workloadAccountIds'])) {
        const actual = ids.get(env as EnvironmentName);
        if (actual !== undefined && actual !== id) {
          issues.push({
            path: `Pulumi.mgmt.yaml tdr:workloadAccountIds.${env}`,
            message: `is ${id} but Pulumi.${env}.yaml tdr:accountId is ${actual}`,
          });
        }
      }
    }
    if (c.kind === 'workload') {
      const mgmt = ids.get('mgmt');
      if (mgmt !== undefined && mgmt !== c.values['tdr:mgmtAccountId']) {
        issues.push({
          path: `Pulumi.${c.stack}.yaml tdr:mgmtAccountId`,
          message: `is ${c.values['tdr:mgmtAccountId']} but Pulumi.mgmt.yaml tdr:accountId is ${mgmt}`,
        });
      }
    }
  }
  const seen = new Map<string, string>();
  for (const [stack, id] of ids) {
    const other = seen.get(id);
    if (other)
      issues.push({
        path: `Pulumi.${stack}.yaml tdr:accountId`,
        message: `${id} is also ${other}'s account: every stack is its own account`,
      });
    seen.set(id, stack);
  }
  if (issues.length > 0) throw new StackConfigError(issues);
}

export function writeManifest(outDir: string, manifest: StackManifest): string {
  const dir = join(outDir, 'infra');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${manifest.stack}.json`);
  writeFileSync(file, renderManifest(manifest));
  return file;
}

export function renderManifest(manifest: StackManifest): string {
  return JSON.stringify(manifest, null, 2) + '\n';
}

function toManifestResource(
  r: RecordedResource,
  byUrn: ReadonlyMap<string, RecordedResource>,
): ManifestResource {
  const parent = r.parent ? byUrn.get(r.parent) : undefined;
  return {
    type: r.type,
    name: r.name,
    ...(parent && parent.type !== 'pulumi:pulumi:Stack' ? { parent: `${parent.type}::${parent.name}` } : {}),
    ...(r.protect ? { protect: true as const } : {}),
    ...(r.ignoreChanges.length > 0 ? { ignoreChanges: r.ignoreChanges } : {}),
    inputs: decodeJsonStrings(r.inputs) as Record<string, unknown>,
  };
}

/** Policy documents and container definitions travel as JSON strings; reviewers read them as JSON. */
function decodeJsonStrings(value: unknown): unknown {
  if (typeof value === 'string' && /^\s*[[{]/.test(value)) {
    try {
      return decodeJsonStrings(JSON.parse(value));
    } catch {
      return value;
    }
  }
  if (Array.isArray(value)) return value.map(decodeJsonStrings);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decodeJsonStrings(v)]));
}

/** Secrets become `[secret]` and unknowns `[unknown]`, at any depth. */
export function redact(value: unknown): unknown {
  if (value === UNKNOWN) return '[unknown]';
  if (Array.isArray(value)) return value.map(redact);
  if (typeof value !== 'object' || value === null) return value;
  const obj = value as Record<string, unknown>;
  if (obj[SIG_KEY] === SECRET_SIG) return REDACTED;
  if (pulumi.Resource.isInstance(value)) return `[resource ${value.constructor.name}]`;
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, redact(v)]));
}

/** What the mock provider answers: ids and ARNs shaped like AWS's, derived from names so manifests are stable. */
function mockState(
  args: pulumi.runtime.MockResourceArgs,
  accountId: string,
  region: string,
): { id: string; state: Record<string, unknown> } {
  const inputs = (args.inputs ?? {}) as Record<string, unknown>;
  const service = args.type.split(':')[1]?.split('/')[0] ?? 'unknown';
  const physical = typeof inputs.name === 'string' ? inputs.name : args.name;
  let id = `${args.name}-id`;
  const state: Record<string, unknown> = {
    ...inputs,
    arn: `arn:aws:${service}:${region}:${accountId}:${args.name}`,
  };
  switch (args.type) {
    case 'aws:s3/bucket:Bucket':
      id = String(inputs.bucket);
      state.arn = `arn:aws:s3:::${id}`;
      break;
    case 'aws:iam/role:Role':
      id = physical;
      state.arn = `arn:aws:iam::${accountId}:role/${physical}`;
      break;
    case 'aws:sns/topic:Topic':
      state.arn = `arn:aws:sns:${region}:${accountId}:${physical}`;
      break;
    case 'aws:lb/loadBalancer:LoadBalancer':
    case 'aws:lb/targetGroup:TargetGroup':
      state.arnSuffix = `${args.type.endsWith('TargetGroup') ? 'targetgroup' : 'app'}/${physical}/mock`;
      state.dnsName = `${physical}.${region}.elb.amazonaws.com`;
      state.zoneId = 'ZHURV8PSTC4K8';
      break;
    case 'aws:acm/certificate:Certificate':
      state.domainValidationOptions = [
        {
          domainName: inputs.domainName,
          resourceRecordName: `_validation.${String(inputs.domainName).replace(/^\*\./, '')}.`,
          resourceRecordType: 'CNAME',
          resourceRecordValue: '_validation.acm-validations.aws.',
        },
      ];
      break;
    case 'aws:acm/certificateValidation:CertificateValidation':
      state.certificateArn = inputs.certificateArn;
      break;
    case 'aws:route53/record:Record':
      state.fqdn = inputs.name;
      break;
    case 'aws:rds/instance:Instance':
      state.endpoint = `${physical}.mock.${region}.rds.amazonaws.com:5432`;
      break;
  }
  return { id, state };
}

/** Runs `program` as stack `stack` under the mock engine and returns every resource it registered. */
export function recordProgram(...args: Parameters<typeof recordProgramNow>): Promise<RecordedResource[]> {
  return serialised(() => recordProgramNow(...args));
}

async function recordProgramNow(
  stack: EnvironmentName,
  rawConfig: Readonly<Record<string, string>>,
  accountId: string,
  region: string,
  program: () => Record<string, unknown>,
): Promise<RecordedResource[]> {
  const ids = new Map<string, string>();
  const mocks: pulumi.runtime.Mocks = {
    newResource: (args) => {
      const { id, state } = mockState(args, accountId, region);
      const key = `${args.type}::${args.name}`;
      if (ids.has(key)) throw new Error(`two resources of type ${args.type} are named ${args.name}`);
      ids.set(key, id);
      return { id, state };
    },
    call: (args) => {
      throw new Error(`offline synth makes no provider calls, but the program called ${args.token}`);
    },
  };
  await pulumi.runtime.setMocks(mocks, PULUMI_PROJECT, stack, false);
  pulumi.runtime.setAllConfig({ ...rawConfig });
  const pending: Array<Omit<RecordedResource, 'id'>> = [];
  const failures: unknown[] = [];
  // The mock monitor has no hook for parents and options, so wrap the instance setMocks installed.
  const monitor = pulumi.runtime.getMonitor() as unknown as {
    registerResource(req: RegisterRequest, callback: (err: unknown, res: unknown) => void): Promise<void>;
  };
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) => {
    pending.push(recordOf(stack, req));
    return register(req, (err, res) => {
      if (err) failures.push(err);
      callback(err, res);
    });
  };
  // Pulumi captures a stack trace for every resource and promise (source positions, leak
  // debugging) that nothing reads offline; with source maps loaded that dominates synth time.
  // Resource source positions raise the limit themselves, so their formatting is skipped too;
  // both are restored before anything else runs.
  const { stackTraceLimit, prepareStackTrace } = Error;
  Error.stackTraceLimit = 0;
  Error.prepareStackTrace = (err: Error) => `${err.name}: ${err.message}`;
  try {
    await pulumi.runtime.runInPulumiStack(async () => program());
  } finally {
    await pulumi.runtime.disconnect();
    Error.stackTraceLimit = stackTraceLimit;
    Error.prepareStackTrace = prepareStackTrace;
  }
  if (failures.length > 0) {
    throw new Error(
      `synth of ${stack} failed: ${failures.map((f) => (f instanceof Error ? f.message : String(f))).join('; ')}`,
    );
  }
  return pending.map((r) => {
    const id = ids.get(`${r.type}::${r.name}`);
    return id === undefined ? r : { ...r, id };
  });
}

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getProvider(): string;
  getProtect(): boolean;
  getIgnorechangesList(): string[];
  getDependenciesList(): string[];
  getObject(): { toJavaScript(): Record<string, unknown> };
}

function recordOf(stack: string, req: RegisterRequest): Omit<RecordedResource, 'id'> {
  // The wire form keeps secrets marked (and unknowns as a sentinel), which redact() relies on.
  const inputs = req.getObject().toJavaScript();
  const type = req.getType();
  const name = req.getName();
  const parent = req.getParent();
  const urn = `urn:pulumi:${stack}::${PULUMI_PROJECT}::${parent ? `${parentType(parent)}$` : ''}${type}::${name}`;
  return {
    urn,
    type,
    name,
    custom: req.getCustom(),
    inputs: redact(inputs) as Record<string, unknown>,
    ...(parent ? { parent } : {}),
    ...(req.getProvider() ? { provider: req.getProvider() } : {}),
    protect: req.getProtect(),
    ignoreChanges: req.getIgnorechangesList(),
    dependencies: req.getDependenciesList(),
  };
}

/** `urn:pulumi:s::p::a$b::name` → `a$b`: the qualified type a child's URN is built on. */
function parentType(parentUrn: string): string {
  const parts = parentUrn.split('::');
  return parts[2] ?? '';
}
