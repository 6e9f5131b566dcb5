/**
 * The bootstrap stack's configuration (`infra/bootstrap/Pulumi.bootstrap.yaml`, keys
 * `tdr-bootstrap:*`). Every problem is reported at once, each naming its key.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { AccountIds } from '../../services/config';
import {
  accountId,
  configIssues,
  decodeValue,
  isoDate,
  roleArn,
  StackConfigError,
  toPulumiConfigBag,
} from '../config';

export const BOOTSTRAP_PROJECT = 'tdr-bootstrap';

/** This folder when run from source, or the source folder from build/. */
export const BOOTSTRAP_DIR =
  [__dirname, join(__dirname, '..', '..', '..', 'infra', 'bootstrap')].find((d) =>
    existsSync(join(d, 'Pulumi.yaml')),
  ) ?? __dirname;

const schema = z.strictObject({
  'tdr-bootstrap:accountIds': z.strictObject(
    { mgmt: accountId, sbox: accountId, intg: accountId, staging: accountId, prod: accountId },
    { error: 'must be an object with the mgmt, sbox, intg, staging and prod account ids' },
  ),
  'tdr-bootstrap:sboxExpiryDate': isoDate,
  'tdr-bootstrap:standUpRoleArns': z.array(roleArn, { error: 'must be a list of IAM role ARNs' }).optional(),
});

export interface BootstrapConfig {
  readonly accountIds: AccountIds;
  /** The sandbox tags everything with an expiry; the bootstrap's role there carries the sandbox's date. */
  readonly sboxExpiryDate: string;
  readonly standUpRoleArns: readonly string[];
}

export function parseBootstrapConfig(raw: Readonly<Record<string, string>>, source: string): BootstrapConfig {
  const decoded: Record<string, unknown> = {};
  for (const [key, text] of Object.entries(raw)) {
    if (key.startsWith(`${BOOTSTRAP_PROJECT}:`)) decoded[key] = decodeValue(text);
  }
  const parsed = schema.safeParse(decoded);
  if (!parsed.success) throw new StackConfigError(configIssues(parsed.error, schema, source));
  const values = parsed.data;
  return {
    accountIds: values['tdr-bootstrap:accountIds'],
    sboxExpiryDate: values['tdr-bootstrap:sboxExpiryDate'],
    standUpRoleArns: values['tdr-bootstrap:standUpRoleArns'] ?? [],
  };
}

export function readBootstrapConfigFile(dir: string = BOOTSTRAP_DIR): {
  raw: Record<string, string>;
  source: string;
} {
  const source = 'Pulumi.bootstrap.yaml';
  const file = join(dir, source);
  let config: unknown;
  try {
    config = (parseYaml(readFileSync(file, 'utf8')) as { config?: unknown } | null)?.config;
  } catch (err) {
    throw new StackConfigError([{ path: source, message: `cannot read ${file}: ${(err as Error).message}` }]);
  }
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new StackConfigError([{ path: `${source} config`, message: 'must be a map of config keys' }]);
  }
  return { raw: toPulumiConfigBag(config as Record<string, unknown>), source };
}
