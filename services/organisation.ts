/**
 * What only the real organisation knows: its hosted zones, its Slack workspace and channels, the
 * preservation system's reader roles, who may reach Jenkins, its GitHub organisation. One typed
 * config, validated with zod; every field says where its real value comes from.
 *
 * The embedded EXAMPLE_ORGANISATION drives the offline synth (`npm start`) and the sandbox. A real
 * run (`tdr bootstrap plan`, a real `pulumi preview|up`) takes the organisation from the JSON file
 * `TDR_ORGANISATION` names, and refuses, naming each field and its source, while the file is missing
 * or any field still holds an example value: an example hosted zone or Slack id in a real account
 * would create records in nobody's zone and post alarms nowhere.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { PlatformError, issuesMessage, type ValidationIssue } from './errors';

/** The organisation file is a few hundred bytes; anything much bigger is not one. */
export const ORGANISATION_FILE_MAX_BYTES = 64 * 1024;

/**
 * The file reaches the Jenkins infra agents as the value of one standard-tier SSM String parameter
 * (`/mgmt/organisation`, put by `tdr bootstrap plan`'s first step): a standard parameter holds at
 * most 4 KB (4096 characters; advanced ones 8 KB, at a charge) —
 * https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html
 * and the `Value` of https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html.
 * Counted in UTF-8 bytes, which are never fewer than characters: a file that passes here fits.
 */
export const ORGANISATION_PARAMETER_MAX_BYTES = 4096;

/** What the organisation parameter is, as `aws ssm describe-parameters` shows it. */
export const ORGANISATION_PARAMETER_DESCRIPTION =
  'The TDR organisation config (services/organisation.ts), read by the Jenkins infra jobs before tdr preflight';

/** The parameter's value for the sandbox: the example organisation, as a file would hold it. */
export function exampleOrganisationText(): string {
  return `${JSON.stringify(EXAMPLE_ORGANISATION, null, 2)}\n`;
}

const WORKLOAD = ['intg', 'staging', 'prod'] as const;
type Workload = (typeof WORKLOAD)[number];

const hostedZoneId = z
  .string()
  .regex(/^Z[A-Z0-9]{5,31}$/, { error: 'must be a Route 53 hosted zone id (Z…)' });
const slackChannelId = z
  .string()
  .regex(/^[CG][A-Z0-9]{6,}$/, { error: 'must be a Slack channel id (C…), from the channel’s details' });
const cidr = z.string().regex(/^(\d{1,3}\.){3}\d{1,3}\/([0-9]|[12]\d|3[0-2])$/, {
  error: 'must be an IPv4 CIDR such as 10.0.0.0/16',
});
const perWorkload = <T extends z.ZodType>(value: T) =>
  z.strictObject({ intg: value, staging: value, prod: value });

export const organisationSchema = z.strictObject({
  githubOrganisation: z.string().regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,37}[A-Za-z0-9])?$/, {
    error: 'must be a GitHub organisation login',
  }),
  slack: z.strictObject({
    workspaceId: z
      .string()
      .regex(/^T[A-Z0-9]{6,}$/, { error: 'must be the Slack workspace id AWS Chatbot shows (T…)' }),
    alarmChannelIds: perWorkload(slackChannelId),
    teamDomain: z
      .string()
      .regex(/^[a-z0-9-]{1,60}$/, { error: 'must be the Slack workspace domain (<domain>.slack.com)' }),
    releaseChannel: z
      .string()
      .regex(/^#[a-z0-9_-]{1,80}$/, { error: 'must be a channel name such as #releases' }),
    buildChannel: z
      .string()
      .regex(/^#[a-z0-9_-]{1,80}$/, { error: 'must be a channel name such as #builds' }),
  }),
  hostedZoneIds: z.strictObject({
    mgmt: hostedZoneId,
    intg: hostedZoneId,
    staging: hostedZoneId,
    prod: hostedZoneId,
  }),
  preservationExportReaderRoleArns: perWorkload(
    z.string().regex(/^arn:aws:iam::\d{12}:role\/PreservationExportReader(Intg|Staging|Prod)$/, {
      error:
        'must be the IAM role ARN arn:aws:iam::<preservation account>:role/PreservationExportReader{Env}',
    }),
  ),
  jenkinsAllowlist: z
    .array(cidr, { error: 'must be a list of CIDRs' })
    .min(1, { error: 'must name at least one CIDR: Jenkins is never open to the internet' })
    .max(60, { error: 'must name at most 60 CIDRs (a security group holds 60 inbound rules)' }),
});

export type Organisation = z.infer<typeof organisationSchema>;

/** Example values: well-formed, obviously not anyone's (TEST-NET ranges, zeros in the ids). */
export const EXAMPLE_ORGANISATION: Organisation = {
  githubOrganisation: 'nationalarchives',
  slack: {
    workspaceId: 'T0TDR000001',
    alarmChannelIds: { intg: 'C0TDRINTG01', staging: 'C0TDRSTAGE1', prod: 'C0TDRPROD01' },
    teamDomain: 'tna-digital',
    releaseChannel: '#da-tdr-releases',
    buildChannel: '#da-tdr-builds',
  },
  hostedZoneIds: {
    mgmt: 'Z0MGMT00000000000001',
    intg: 'Z0INTG00000000000001',
    staging: 'Z0STAGING00000000001',
    prod: 'Z0PROD00000000000001',
  },
  preservationExportReaderRoleArns: {
    intg: 'arn:aws:iam::555555555555:role/PreservationExportReaderIntg',
    staging: 'arn:aws:iam::555555555555:role/PreservationExportReaderStaging',
    prod: 'arn:aws:iam::555555555555:role/PreservationExportReaderProd',
  },
  jenkinsAllowlist: ['192.0.2.0/24', '198.51.100.10/32'],
};

/** One field of the organisation: where its real value comes from, and whether a value is an example. */
export interface OrganisationField {
  readonly path: string;
  readonly source: string;
  /** The value is a placeholder; a real run must not use it. */
  readonly isExample: (value: unknown) => boolean;
}

const same = (example: unknown) => (value: unknown) => JSON.stringify(value) === JSON.stringify(example);

/** RFC 5737's documentation ranges: an allowlist naming one is an example. */
const TEST_NETS = ['192.0.2.', '198.51.100.', '203.0.113.'];

const perEnv = (
  prefix: string,
  envs: readonly string[],
  source: (env: string) => string,
  example: Record<string, unknown>,
) =>
  envs.map((env): OrganisationField => ({
    path: `${prefix}.${env}`,
    source: source(env),
    isExample: same(example[env]),
  }));

/** Every field, in the file's order, each with the place its real value comes from. */
export const ORGANISATION_FIELDS: readonly OrganisationField[] = [
  {
    path: 'githubOrganisation',
    source:
      "the GitHub organisation that owns TDR's repositories (github.com/<organisation>), where the GitHub app is installed",
    // TDR's organisation on GitHub is public: its name is no placeholder, only stated on purpose.
    isExample: () => false,
  },
  {
    path: 'slack.workspaceId',
    source:
      'AWS Chatbot console → Configured clients → Slack: the workspace id (T…), once the workspace is authorised',
    isExample: same(EXAMPLE_ORGANISATION.slack.workspaceId),
  },
  ...perEnv(
    'slack.alarmChannelIds',
    WORKLOAD,
    (env) => `Slack: the ${env} alarms channel → channel details → Channel ID (C…)`,
    EXAMPLE_ORGANISATION.slack.alarmChannelIds,
  ),
  {
    path: 'slack.teamDomain',
    source: 'Slack: the workspace domain (<domain>.slack.com) Jenkins posts to',
    isExample: () => false,
  },
  {
    path: 'slack.releaseChannel',
    source: 'Slack: the channel release notifications go to',
    isExample: () => false,
  },
  { path: 'slack.buildChannel', source: 'Slack: the channel failed builds go to', isExample: () => false },
  ...perEnv(
    'hostedZoneIds',
    ['mgmt', ...WORKLOAD],
    (env) =>
      `aws route53 list-hosted-zones-by-name in the ${env} account: the id of the environment's public zone`,
    EXAMPLE_ORGANISATION.hostedZoneIds,
  ),
  ...perEnv(
    'preservationExportReaderRoleArns',
    WORKLOAD,
    (env) =>
      `the preservation system's team: the ARN of the role PreservationExportReader${env[0]!.toUpperCase()}${env.slice(1)} they created in their account`,
    EXAMPLE_ORGANISATION.preservationExportReaderRoleArns,
  ),
  {
    path: 'jenkinsAllowlist',
    source: "TNA's network team: the office and VPN egress CIDRs that may reach Jenkins",
    isExample: (value) =>
      Array.isArray(value) && value.some((c) => TEST_NETS.some((net) => String(c).startsWith(net))),
  },
];

/** The organisation config is missing, malformed, or still holds example values. */
export class OrganisationConfigError extends PlatformError {
  readonly kind = 'invalid';
  constructor(readonly issues: readonly ValidationIssue[]) {
    super(issuesMessage('the organisation config is not ready for a real account', issues));
    this.name = 'OrganisationConfigError';
  }
}

function valueAt(org: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], org);
}

/** Every field that still holds an example value, with where its real value comes from. */
export function exampleFields(org: Organisation): ValidationIssue[] {
  return ORGANISATION_FIELDS.filter((f) => f.isExample(valueAt(org, f.path))).map((f) => ({
    path: `TDR_ORGANISATION ${f.path}`,
    message: `is an example value (${JSON.stringify(valueAt(org, f.path))}); the real one comes from ${f.source}`,
  }));
}

export function parseOrganisation(value: unknown, source: string): Organisation {
  const parsed = organisationSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new OrganisationConfigError(
    parsed.error.issues.map((i) => ({
      path: `${source} ${i.path.map(String).join('.')}`.trim(),
      message: i.code === 'unrecognized_keys' ? `unknown key(s) ${i.keys.join(', ')}` : i.message,
    })),
  );
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The organisation a real run uses: the file `TDR_ORGANISATION` names, with no example value left.
 * Without the file, every field is named with where its real value comes from.
 */
export function realOrganisation(env: Env, read: (path: string) => string = readBounded): Organisation {
  const file = env.TDR_ORGANISATION;
  if (!file) {
    throw new OrganisationConfigError(
      ORGANISATION_FIELDS.map((f) => ({
        path: `TDR_ORGANISATION ${f.path}`,
        message: `is not set (a real run takes the organisation from the JSON file TDR_ORGANISATION names; the embedded values are examples); the real one comes from ${f.source}`,
      })),
    );
  }
  let text: string;
  try {
    text = read(file);
  } catch (err) {
    throw new OrganisationConfigError([
      { path: 'TDR_ORGANISATION', message: `cannot read ${file}: ${(err as Error).message}` },
    ]);
  }
  const bytes = Buffer.byteLength(text);
  if (bytes > ORGANISATION_PARAMETER_MAX_BYTES) {
    throw new OrganisationConfigError([
      {
        path: 'TDR_ORGANISATION',
        message:
          `${file} is ${bytes} bytes; it must fit one standard-tier SSM parameter (at most ${ORGANISATION_PARAMETER_MAX_BYTES} bytes), ` +
          'which is how the Jenkins infra jobs receive it: drop the indentation (jq -c . FILE)',
      },
    ]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text) as unknown;
  } catch (err) {
    throw new OrganisationConfigError([
      { path: 'TDR_ORGANISATION', message: `${file} is not JSON: ${(err as Error).message}` },
    ]);
  }
  const org = parseOrganisation(json, 'TDR_ORGANISATION');
  const examples = exampleFields(org);
  if (examples.length > 0) throw new OrganisationConfigError(examples);
  return org;
}

function readBounded(path: string): string {
  const text = readFileSync(path, 'utf8');
  if (Buffer.byteLength(text) > ORGANISATION_FILE_MAX_BYTES)
    throw new Error(`it is over ${ORGANISATION_FILE_MAX_BYTES} bytes; an organisation file is a few hundred`);
  return text;
}

export type { Workload as OrganisationWorkload };
