/**
 * Where the model meets configuration: overrides from a JSON file named by `TDR_CONFIG`
 * (e.g. a shorter soak time in the sandbox) and account ids from `TDR_ACCOUNT_IDS` or SSM.
 * Account ids are configuration, never code.
 */
import { readFileSync } from 'node:fs';
import { CONFIG_MAX_BYTES, configStringProblems } from './input-bounds';
import { DEFAULT_CATALOGUE } from './catalogue';
import { loosenedDelivery } from './delivery-loosening';
import { DEFAULT_ENVIRONMENTS, ENVIRONMENT_NAMES, type EnvironmentName } from './environments';
import { naming } from './naming';
import { PlatformConfigError, type ValidationIssue } from './errors';
import type { PlatformModel } from './validate';

/**
 * zod and the schemas cost ~100 ms to load, more than the rest of `tdr --help`. The embedded model
 * is validated by the test suite (services/validate.test.ts), so only configuration read at run time
 * (TDR_CONFIG, account ids) pays for validation.
 */
function validation(): typeof import('./validate') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./validate') as typeof import('./validate');
}

export type AccountIds = Readonly<Record<EnvironmentName, string>>;

export interface Platform extends PlatformModel {
  /** Workload environments in promotion order, starting from the one fed by the build. */
  readonly promotionPath: readonly EnvironmentName[];
  /** Paths of the settings that configuration changed from the embedded defaults. */
  readonly overridden: readonly string[];
  /** The same, `path=value` (JSON): printed by release commands and stored in their records. */
  readonly overrides: readonly string[];
}

type Env = Readonly<Record<string, string | undefined>>;

/** The embedded model, with `TDR_CONFIG` overrides applied; throws PlatformConfigError if invalid. */
export function loadPlatform(env: Env = process.env): Platform {
  const defaults = { environments: DEFAULT_ENVIRONMENTS, catalogue: DEFAULT_CATALOGUE };
  if (!env.TDR_CONFIG) return derive(defaults, []);
  const overrides = readOverrides(env.TDR_CONFIG);
  const platform = buildPlatform(deepMerge(defaults, overrides), overriddenPaths(overrides));
  if (!isLocalSandbox(env.AWS_ENDPOINT_URL)) {
    const loosened = [
      ...loosenedGates(DEFAULT_ENVIRONMENTS, platform.environments),
      ...loosenedDelivery(defaults, platform),
    ];
    if (loosened.length > 0) throw new PlatformConfigError(loosened);
  }
  return platform;
}

/** An endpoint on this machine (moto, LocalStack): the only place gates may be loosened. */
export function isLocalSandbox(endpoint: string | undefined): boolean {
  if (!endpoint) return false;
  try {
    const host = new URL(endpoint).hostname;
    return host === '127.0.0.1' || host === 'localhost' || host === '[::1]';
  } catch {
    return false;
  }
}

/**
 * Configuration may tighten the gates of an approval-gated environment, never quietly loosen
 * them: less soak, fewer checks, a weaker approval rule or more approvers, fewer freeze windows,
 * another source, or automatic promotion.
 */
export function loosenedGates(
  defaults: PlatformModel['environments'],
  configured: PlatformModel['environments'],
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const name of ENVIRONMENT_NAMES) {
    const before = defaults[name].promotion;
    const after = configured[name].promotion;
    const approval = before?.approval;
    if (!before || !approval) continue;
    const at = `environments.${name}.promotion`;
    const loose = (path: string, what: string) =>
      issues.push({
        path: `${at}${path}`,
        message: `${what}: loosens a gate of ${name}, which needs approval; allowed only against a local sandbox (AWS_ENDPOINT_URL on 127.0.0.1)`,
      });
    if (!after) {
      loose('', 'removes promotion rules');
      continue;
    }
    if (after.source !== before.source) loose('.source', `${before.source} → ${after.source}`);
    if (after.automatic && !before.automatic) loose('.automatic', 'makes promotion automatic');
    if (after.soakMinutes < before.soakMinutes)
      loose('.soakMinutes', `${before.soakMinutes} → ${after.soakMinutes} minutes`);
    const dropped = before.requiredChecks.filter((c) => !after.requiredChecks.includes(c));
    if (dropped.length > 0) loose('.requiredChecks', `drops ${dropped.join(', ')}`);
    if (!after.approval) loose('.approval', 'removes approval');
    else {
      if (approval.approverMustNotBePromoter && !after.approval.approverMustNotBePromoter)
        loose('.approval.approverMustNotBePromoter', 'lets the promoter approve');
      const added = after.approval.approvers.filter((a) => !approval.approvers.includes(a));
      if (added.length > 0) loose('.approval.approvers', `adds ${added.join(', ')}`);
    }
    const kept = (w: unknown) => after.freezeWindows.some((x) => JSON.stringify(x) === JSON.stringify(w));
    if (!before.freezeWindows.every(kept)) loose('.freezeWindows', 'drops or changes a freeze window');
  }
  return issues;
}

/** Validate a whole model (the embedded one or a test's broken copy) and derive the promotion path. */
export function buildPlatform(input: unknown, overridden: readonly string[] = []): Platform {
  const issues = validation().validatePlatform(input);
  if (issues.length > 0) throw new PlatformConfigError(issues);
  return derive(input as PlatformModel, overridden);
}

/**
 * The model a command is about to act on, checked: commands that render or deploy call this, so
 * a bad catalogue entry (even in the embedded model, which `loadPlatform` trusts for speed) stops
 * them with every problem named before anything is written or called.
 */
export function checkPlatform(platform: Platform): Platform {
  const issues = validation().validatePlatform({
    environments: platform.environments,
    catalogue: platform.catalogue,
  });
  if (issues.length > 0) throw new PlatformConfigError(issues);
  return platform;
}

function derive(model: PlatformModel, overridden: readonly string[]): Platform {
  const overrides = overridden.map((p) => `${p}=${JSON.stringify(valueAt(model, p))}`);
  return { ...model, promotionPath: promotionPath(model), overridden, overrides };
}

function valueAt(model: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((v, k) => (isPlainObject(v) ? v[k] : undefined), model);
}

function promotionPath(model: PlatformModel): EnvironmentName[] {
  const path: EnvironmentName[] = [];
  let source: string = 'build';
  for (;;) {
    const next = ENVIRONMENT_NAMES.find((e) => model.environments[e].promotion?.source === source);
    if (!next) return path;
    path.push(next);
    source = next;
  }
}

function readOverrides(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new PlatformConfigError([
      { path: 'TDR_CONFIG', message: `cannot read ${file}: ${(err as Error).message}` },
    ]);
  }
  // Overrides are recorded with every release and kept in the ledger's head objects: bounded.
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > CONFIG_MAX_BYTES)
    throw new PlatformConfigError([
      { path: 'TDR_CONFIG', message: `${file} is ${bytes} bytes; at most ${CONFIG_MAX_BYTES}` },
    ]);
  let value: unknown;
  try {
    value = JSON.parse(text);
    if (!isPlainObject(value)) throw new Error('the top level must be an object');
  } catch (err) {
    throw new PlatformConfigError([
      { path: 'TDR_CONFIG', message: `${file} is not a JSON object: ${(err as Error).message}` },
    ]);
  }
  const problems = configStringProblems(value);
  if (problems.length > 0) throw new PlatformConfigError(problems);
  return value;
}

/** Objects merge key by key; anything else (arrays included) replaces. */
export function deepMerge(base: unknown, over: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(over)) return over === undefined ? base : over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = deepMerge(base[k], v);
  return out;
}

function overriddenPaths(over: unknown, prefix = ''): string[] {
  if (!isPlainObject(over)) return prefix ? [prefix] : [];
  return Object.entries(over).flatMap(([k, v]) => overriddenPaths(v, prefix ? `${prefix}.${k}` : k));
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reads one SSM parameter; injected so this module stays free of the AWS SDK. */
export type ParameterLookup = (name: string) => Promise<string | undefined>;

/**
 * Account ids from `TDR_ACCOUNT_IDS` (JSON object env → 12-digit id), or else from the SSM
 * parameters `/mgmt/{env}_account` through `lookup`. Every missing or malformed id is reported.
 */
export async function resolveAccountIds(
  env: Env = process.env,
  lookup?: ParameterLookup,
): Promise<AccountIds> {
  if (env.TDR_ACCOUNT_IDS !== undefined) return parseAccountIds(env.TDR_ACCOUNT_IDS, 'TDR_ACCOUNT_IDS');
  if (!lookup) {
    throw new PlatformConfigError([
      {
        path: 'TDR_ACCOUNT_IDS',
        message: `is not set: give a JSON object of ${ENVIRONMENT_NAMES.join(', ')} → 12-digit account id, or run where SSM /mgmt/{env}_account can be read`,
      },
    ]);
  }
  const entries = await Promise.all(
    ENVIRONMENT_NAMES.map(async (e) => [e, await lookup(naming.accountIdParameter(e))] as const),
  );
  return checkAccountIds(Object.fromEntries(entries.filter(([, v]) => v !== undefined)), 'ssm');
}

export function parseAccountIds(text: string, source: string): AccountIds {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new PlatformConfigError([{ path: source, message: `is not JSON: ${(err as Error).message}` }]);
  }
  return checkAccountIds(value, source);
}

function checkAccountIds(value: unknown, source: string): AccountIds {
  const { accountIdsSchema, zodIssues } = validation();
  const parsed = accountIdsSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const where = source === 'ssm' ? 'SSM /mgmt/{env}_account' : source;
  throw new PlatformConfigError(zodIssues(parsed.error, where));
}
