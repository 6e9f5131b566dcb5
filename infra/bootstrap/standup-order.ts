/**
 * Whether the first stand-up's order is real: every thing a stack needs to exist when it is
 * applied is created by an earlier step, or by the same stack. What a stack needs, read from its
 * synthesised manifest (`tdr synth`, testdata/infra/<stack>.json):
 * - every IAM role named as a principal in a policy (resource and trust policies): IAM refuses a
 *   policy naming a principal that does not exist yet ("Invalid principal in policy",
 *   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html);
 *   an account principal (`:root`) narrowed by `aws:PrincipalArn` needs only the account;
 * - every image tag a task definition starts from (ECS pulls it when the service starts);
 * - every function package the functions are created from (Lambda's CreateFunction reads
 *   the S3 object: https://docs.aws.amazon.com/lambda/latest/api/API_FunctionCode.html);
 * - every SSM parameter the run itself reads: an account stack's real run reads the account ids
 *   (`/mgmt/{env}_account`, infra/real-run.ts) when TDR_ACCOUNT_IDS is not given, and its Jenkins
 *   infra jobs read the organisation config (`/mgmt/organisation`) into TDR_ORGANISATION.
 * Pure: the manifests and the plan in, the problems out.
 */
import { ENVIRONMENT_NAMES } from '../../services/environments';
import { naming } from '../../services/naming';
import type { Prerequisite, StandUpItem, StandUpStep } from './plan';

export interface StackManifest {
  readonly stack: string;
  readonly resources: ReadonlyArray<{
    readonly type: string;
    readonly name: string;
    readonly inputs: unknown;
  }>;
}

export type Requirement =
  | { readonly kind: 'role'; readonly name: string; readonly where: string }
  | { readonly kind: 'image'; readonly repository: string; readonly tag: string; readonly where: string }
  | { readonly kind: 'package'; readonly bucket: string; readonly key: string; readonly where: string }
  | { readonly kind: 'parameter'; readonly name: string; readonly where: string };

const ROLE_ARN = /^arn:aws:iam::\d{12}:role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]+)$/;
/** `{account}.dkr.ecr.{region}.amazonaws.com/{repository}:{tag}` (a digest reference needs no tag). */
const IMAGE = /^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com\/([a-z0-9._/-]+):([\w.-]+)$/;

/** Every value in `inputs`, JSON strings (policy documents) opened. */
function* walk(value: unknown): Generator<[string | undefined, unknown]> {
  if (typeof value === 'string') {
    const t = value.trim();
    if (t.startsWith('{') || t.startsWith('[')) {
      try {
        yield* walk(JSON.parse(t) as unknown);
        return;
      } catch {
        // not JSON: a plain string
      }
    }
    return;
  }
  if (Array.isArray(value)) {
    for (const v of value) yield* walk(v);
    return;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      yield [k, v];
      yield* walk(v);
    }
  }
}

const strings = (v: unknown): string[] =>
  typeof v === 'string' ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

/** What a stack needs to exist before (or while) it is applied. */
export function requirementsOf(manifest: StackManifest): Requirement[] {
  const out: Requirement[] = [];
  for (const r of manifest.resources) {
    const where = `${manifest.stack}: ${r.type} ${r.name}`;
    for (const [key, value] of walk(r.inputs)) {
      if (key === 'Principal' && value && typeof value === 'object') {
        for (const arn of strings((value as Record<string, unknown>).AWS)) {
          const role = ROLE_ARN.exec(arn)?.[1];
          if (role) out.push({ kind: 'role', name: role, where });
        }
      }
      if (key === 'image') {
        for (const ref of strings(value)) {
          const m = IMAGE.exec(ref);
          if (m) out.push({ kind: 'image', repository: m[1]!, tag: m[2]!, where });
        }
      }
    }
    const inputs = r.inputs as Record<string, unknown> | null;
    if (r.type === 'aws:lambda/function:Function' && typeof inputs?.s3Key === 'string')
      out.push({ kind: 'package', bucket: String(inputs.s3Bucket), key: inputs.s3Key, where });
  }
  if ((ENVIRONMENT_NAMES as readonly string[]).includes(manifest.stack)) {
    for (const env of ENVIRONMENT_NAMES)
      out.push({
        kind: 'parameter',
        name: naming.accountIdParameter(env),
        where: `${manifest.stack}: the real run's account ids (infra/real-run.ts)`,
      });
    // The stack's Jenkins infra jobs fetch the organisation config before their preflight
    // (pipelines/jenkins/jobs/infra.ts): it exists before the first of them runs.
    out.push({
      kind: 'parameter',
      name: naming.organisationParameter(),
      where: `${manifest.stack}: the organisation config its Jenkins infra jobs fetch before tdr preflight`,
    });
  }
  return out;
}

/** What a stack creates that another stack or step may need: its roles and SSM parameters. */
export function createdBy(manifest: StackManifest): Set<string> {
  const created = new Set<string>();
  for (const r of manifest.resources) {
    const name = (r.inputs as Record<string, unknown> | null)?.name;
    if (typeof name !== 'string') continue;
    if (r.type === 'aws:iam/role:Role') created.add(`role ${name}`);
    if (r.type === 'aws:ssm/parameter:Parameter') created.add(`parameter ${name}`);
  }
  return created;
}

const keyOfRequirement = (r: Requirement): string =>
  r.kind === 'role'
    ? `role ${r.name}`
    : r.kind === 'image'
      ? `image ${r.repository}:${r.tag}`
      : r.kind === 'package'
        ? `package ${r.bucket}/${r.key}`
        : `parameter ${r.name}`;

const keysOfItem = (item: StandUpItem, manifests: ReadonlyMap<string, StackManifest>): string[] => {
  switch (item.kind) {
    case 'stack': {
      const m = manifests.get(item.stack);
      return m ? [...createdBy(m)] : [];
    }
    case 'role':
      return [`role ${ROLE_ARN.exec(item.arn)?.[1] ?? item.arn}`];
    case 'bucket':
    case 'repository':
    case 'service':
    case 'function':
    case 'loadBalancer':
      return [];
    case 'image':
      return [`image ${item.repository}:${item.tag}`];
    case 'package':
      return [`package ${item.bucket}/${item.key}`];
    case 'parameter':
      return [`parameter ${item.name}`];
  }
};

/** Each requirement of a stack applied in `steps` that no earlier step (or the stack itself) meets. */
export function standUpOrderProblems(
  prerequisites: readonly Prerequisite[],
  steps: readonly StandUpStep[],
  manifests: ReadonlyMap<string, StackManifest>,
): string[] {
  const problems: string[] = [];
  const existing = new Set<string>(
    prerequisites.flatMap((p) => p.creates.flatMap((i) => keysOfItem(i, manifests))),
  );
  for (const step of steps) {
    const made = step.creates.flatMap((item) => keysOfItem(item, manifests));
    const own = new Set(made);
    for (const item of step.creates) {
      if (item.kind !== 'stack') continue;
      const manifest = manifests.get(item.stack);
      if (!manifest) {
        problems.push(`step ${step.step} applies the ${item.stack} stack, which has no manifest`);
        continue;
      }
      for (const r of requirementsOf(manifest)) {
        const key = keyOfRequirement(r);
        if (!existing.has(key) && !own.has(key))
          problems.push(
            `step ${step.step} (${item.stack}) needs ${key} (${r.where}), which no earlier step creates`,
          );
      }
    }
    for (const key of made) existing.add(key);
  }
  return [...new Set(problems)];
}
