/**
 * Where the model meets configuration: overrides from a JSON file named by `TDR_CONFIG`
 * (e.g. a shorter soak time in the sandbox) and account ids from `TDR_ACCOUNT_IDS` or SSM.
 * Account ids are configuration, never code.
 */
import { readFileSync } from 'node:fs';
import { DEFAULT_CATALOGUE } from './catalogue';
import { DEFAULT_ENVIRONMENTS, ENVIRONMENT_NAMES, type EnvironmentName } from './environments';
import { naming } from './naming';
import { PlatformConfigError } from './errors';
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
}

type Env = Readonly<Record<string, string | undefined>>;

/** The embedded model, with `TDR_CONFIG` overrides applied; throws PlatformConfigError if invalid. */
export function loadPlatform(env: Env = process.env): Platform {
  const defaults = { environments: DEFAULT_ENVIRONMENTS, catalogue: DEFAULT_CATALOGUE };
  if (!env.TDR_CONFIG) return derive(defaults, []);
  const overrides = readOverrides(env.TDR_CONFIG);
  return buildPlatform(deepMerge(defaults, overrides), overriddenPaths(overrides));
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
  return { ...model, promotionPath: promotionPath(model), overridden };
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
  try {
    const value: unknown = JSON.parse(text);
    if (!isPlainObject(value)) throw new Error('the top level must be an object');
    return value;
  } catch (err) {
    throw new PlatformConfigError([
      { path: 'TDR_CONFIG', message: `${file} is not a JSON object: ${(err as Error).message}` },
    ]);
  }
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
