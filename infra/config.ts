/**
 * Stack configuration: what differs between deployments of the same account (ids, CIDRs, zones,
 * allowlists). Account ids are configuration, never code: they come from `tdr:*` keys of the
 * stack's config (`infra/stacks/Pulumi.<stack>.yaml` offline, `pulumi config` in Jenkins).
 * Every problem is reported at once, each naming its key.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ENVIRONMENT_NAMES, type EnvironmentName } from '../services/environments';
import { issuesMessage, PlatformError, type ValidationIssue } from '../services/errors';
import { EXAMPLE_ORGANISATION, type Organisation } from '../services/organisation';

/** `infra/stacks` beside this file when run from source, or from the repository root under build/. */
export const STACK_CONFIG_DIR =
  [join(__dirname, 'stacks'), join(__dirname, '..', '..', 'infra', 'stacks')].find((d) => existsSync(d)) ??
  join(__dirname, 'stacks');

/** Thrown for unknown stacks and bad stack config. */
export class StackConfigError extends PlatformError {
  readonly kind = 'invalid';
  constructor(readonly issues: readonly ValidationIssue[]) {
    super(issuesMessage('invalid stack configuration', issues));
    this.name = 'StackConfigError';
  }
}

export const accountId = z.string().regex(/^\d{12}$/, { error: 'must be a 12-digit AWS account id' });
const cidr = z.string().regex(/^(\d{1,3}\.){3}\d{1,3}\/([0-9]|[12]\d|3[0-2])$/, {
  error: 'must be an IPv4 CIDR such as 10.0.0.0/16',
});
const vpcCidr = cidr.refine((c) => c.endsWith('/16'), {
  error: 'must be a /16: the network carves /20 subnets from it',
});
const hostedZoneId = z
  .string()
  .regex(/^Z[A-Z0-9]{5,31}$/, { error: 'must be a Route 53 hosted zone id (Z…)' });
export const roleArn = z
  .string()
  .regex(/^arn:aws:iam::\d{12}:role\/[\w+=,.@/-]+$/, { error: 'must be an IAM role ARN' });
const hostname = z
  .string()
  .regex(/^([a-z0-9-]+\.)+[a-z]{2,}$/, { error: 'must be a DNS hostname such as jenkins.example.org' });
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'must be a date YYYY-MM-DD' })
  .refine((d) => !Number.isNaN(Date.parse(d)), { error: 'must be a real calendar date' });

const slackWorkspaceId = z
  .string()
  .regex(/^T[A-Z0-9]{6,}$/, { error: 'must be the Slack workspace id AWS Chatbot shows (T…)' });
const slackChannelId = z
  .string()
  .regex(/^[CG][A-Z0-9]{6,}$/, { error: 'must be a Slack channel id (C…), from the channel’s details' });

const common = { 'tdr:accountId': accountId, 'tdr:vpcCidr': vpcCidr };

/**
 * The controller image's digest in mgmt's ECR (`jenkins-controller`), as `docker push` and
 * `aws ecr describe-images` print it. The offline stack config holds this example; a real run
 * refuses it (infra/real-run.ts), as it refuses the organisation's examples.
 */
export const EXAMPLE_CONTROLLER_IMAGE_DIGEST = `sha256:${'0'.repeat(64)}`;
const imageDigest = z.string().regex(/^sha256:[0-9a-f]{64}$/, {
  error: 'must be an image digest, sha256: and 64 lowercase hex digits (aws ecr describe-images prints it)',
});

const mgmtSchema = z.strictObject({
  ...common,
  'tdr:workloadAccountIds': z.strictObject(
    { intg: accountId, staging: accountId, prod: accountId },
    { error: 'must be an object with the intg, staging and prod account ids' },
  ),
  'tdr:jenkinsHostname': hostname,
  /** The controller image the mgmt stack runs, by digest: pushed by `tdr bootstrap plan`'s Jenkins images step. */
  'tdr:jenkinsControllerImageDigest': imageDigest,
  'tdr:hostedZoneId': hostedZoneId,
  'tdr:jenkinsAllowlist': z.array(cidr, { error: 'must be a list of CIDRs' }).min(1, {
    error: 'must name at least one CIDR: Jenkins is never open to the internet',
  }),
});

const sboxSchema = z.strictObject({ ...common, 'tdr:expiryDate': isoDate });

const workloadSchema = z.strictObject({
  ...common,
  'tdr:mgmtAccountId': accountId,
  'tdr:hostedZoneId': hostedZoneId,
  'tdr:preservationRoleArn': roleArn,
  /** Where AWS Chatbot posts the account's alarms (see infra/components/alarm-chat.ts). */
  'tdr:slackWorkspaceId': slackWorkspaceId,
  'tdr:alarmsSlackChannelId': slackChannelId,
});

export type MgmtStackConfig = z.infer<typeof mgmtSchema>;
export type SboxStackConfig = z.infer<typeof sboxSchema>;
export type WorkloadStackConfig = z.infer<typeof workloadSchema>;

export type StackConfig =
  | { readonly kind: 'management'; readonly stack: 'mgmt'; readonly values: MgmtStackConfig }
  | { readonly kind: 'sandbox'; readonly stack: 'sbox'; readonly values: SboxStackConfig }
  | {
      readonly kind: 'workload';
      readonly stack: 'intg' | 'staging' | 'prod';
      readonly values: WorkloadStackConfig;
    };

export function isStackName(name: string): name is EnvironmentName {
  return (ENVIRONMENT_NAMES as readonly string[]).includes(name);
}

export function requireStackName(name: string): EnvironmentName {
  if (!isStackName(name)) {
    throw new StackConfigError([
      { path: 'stack', message: `"${name}" is not a stack; valid stacks: ${ENVIRONMENT_NAMES.join(', ')}` },
    ]);
  }
  return name;
}

/**
 * Pulumi hands a program its config as strings (structured values JSON-encoded); `raw` is that
 * bag, keyed `tdr:name`. Scalars from YAML arrive as strings just as the Pulumi CLI passes them.
 */
export function parseStackConfig(
  stack: EnvironmentName,
  raw: Readonly<Record<string, string>>,
  source: string,
): StackConfig {
  const decoded: Record<string, unknown> = {};
  for (const [key, text] of Object.entries(raw)) {
    if (!key.startsWith('tdr:')) continue;
    decoded[key] = decodeValue(text);
  }
  const schema = stack === 'mgmt' ? mgmtSchema : stack === 'sbox' ? sboxSchema : workloadSchema;
  const parsed = schema.safeParse(decoded);
  if (!parsed.success) throw new StackConfigError(configIssues(parsed.error, schema, source));
  if (stack === 'mgmt') return { kind: 'management', stack, values: parsed.data as MgmtStackConfig };
  if (stack === 'sbox') return { kind: 'sandbox', stack, values: parsed.data as SboxStackConfig };
  return { kind: 'workload', stack, values: parsed.data as WorkloadStackConfig };
}

export function configIssues(error: z.ZodError, schema: z.ZodObject, source: string): ValidationIssue[] {
  return error.issues.flatMap((issue): ValidationIssue[] => {
    const key = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      const known = Object.keys(schema.shape).join(', ');
      return issue.keys.map((k) => ({
        path: `${source} ${[key, k].filter(Boolean).join('.')}`,
        message: `is not a known key; valid keys: ${key ? 'intg, staging, prod' : known}`,
      }));
    }
    const missing = issue.code === 'invalid_type' && issue.message.endsWith('received undefined');
    return [{ path: `${source} ${key}`, message: missing ? `is missing (${issue.message})` : issue.message }];
  });
}

/** Structured config is JSON; a plain string that is not JSON stays a string. */
export function decodeValue(text: string): unknown {
  const trimmed = text.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return JSON.parse(trimmed) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

/** The Pulumi-style config bag of `infra/stacks/Pulumi.<stack>.yaml` (or `dir`), with the example organisation. */
export function readStackConfigFile(
  stack: EnvironmentName,
  dir: string = STACK_CONFIG_DIR,
): { raw: Record<string, string>; source: string } {
  const { raw, source } = readStackConfigBag(stack, dir);
  // Offline, the organisation's own values are the embedded examples (services/organisation.ts).
  return { raw: withOrganisation(stack, raw, EXAMPLE_ORGANISATION, source), source };
}

/** The file's config bag as the Pulumi CLI passes it to a real run: no organisation value added. */
export function readStackConfigBag(
  stack: EnvironmentName,
  dir: string = STACK_CONFIG_DIR,
): { raw: Record<string, string>; source: string } {
  const source = `Pulumi.${stack}.yaml`;
  const file = join(dir, source);
  let doc: unknown;
  try {
    doc = parseYaml(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new StackConfigError([{ path: source, message: `cannot read ${file}: ${(err as Error).message}` }]);
  }
  const config = (doc as { config?: unknown } | null)?.config;
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new StackConfigError([{ path: `${source} config`, message: 'must be a map of config keys' }]);
  }
  return { raw: toPulumiConfigBag(config as Record<string, unknown>), source };
}

/** What the Pulumi CLI passes a program: scalars as strings, objects and lists as JSON. */
export function toPulumiConfigBag(config: Readonly<Record<string, unknown>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(config)) {
    if (value === null || value === undefined) continue;
    out[key] = typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
  return out;
}

/*
 * The organisation's values (services/organisation.ts) as the stack config keys the account
 * programs read. They are never written in infra/stacks/*.yaml: the offline synth fills them from
 * the embedded examples, a real run from the file TDR_ORGANISATION names, checked first.
 */

/** The stack config keys that come from the organisation, per kind of stack. */
export function organisationStackKeys(stack: EnvironmentName, org: Organisation): Record<string, string> {
  if (stack === 'sbox') return {};
  if (stack === 'mgmt')
    return {
      'tdr:hostedZoneId': org.hostedZoneIds.mgmt,
      'tdr:jenkinsAllowlist': JSON.stringify(org.jenkinsAllowlist),
    };
  return {
    'tdr:hostedZoneId': org.hostedZoneIds[stack],
    'tdr:preservationRoleArn': org.preservationExportReaderRoleArns[stack],
    'tdr:slackWorkspaceId': org.slack.workspaceId,
    'tdr:alarmsSlackChannelId': org.slack.alarmChannelIds[stack],
  };
}

const ALL_KEYS = [
  'tdr:hostedZoneId',
  'tdr:jenkinsAllowlist',
  'tdr:preservationRoleArn',
  'tdr:slackWorkspaceId',
  'tdr:alarmsSlackChannelId',
];

/**
 * The stack's config with the organisation's keys added. A stack config that sets one of them
 * itself is refused: one value in two places is how an example reaches a real account.
 */
export function withOrganisation(
  stack: EnvironmentName,
  raw: Readonly<Record<string, string>>,
  org: Organisation,
  source: string,
): Record<string, string> {
  const own = ALL_KEYS.filter((k) => k in raw);
  if (own.length > 0)
    throw new StackConfigError(
      own.map((k) => ({
        path: `${source} ${k}`,
        message:
          'comes from the organisation config (services/organisation.ts; TDR_ORGANISATION for a real run), not the stack config: remove it',
      })),
    );
  return { ...raw, ...organisationStackKeys(stack, org) };
}
