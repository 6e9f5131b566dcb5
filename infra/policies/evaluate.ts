/**
 * Runs CrossGuard policies (the same objects the policy pack serves to `pulumi preview
 * --policy-pack`) over resources recorded offline, building the arguments the policy server would.
 * Constructing a PolicyPack starts a gRPC server, so offline synth and tests call this instead.
 */
import type {
  EnforcementLevel,
  PolicyResource,
  PolicyResourceOptions,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationPolicy,
} from '@pulumi/policy';

/** A resource as offline synth records it: inputs (secrets redacted), options and relations by URN. */
export interface RecordedResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly custom: boolean;
  /** Physical id the (mock) provider returned; stack policies relate resources through it. */
  readonly id?: string;
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly parent?: string;
  readonly provider?: string;
  readonly protect: boolean;
  readonly ignoreChanges: readonly string[];
  readonly dependencies: readonly string[];
}

export type TdrPolicy = ResourceValidationPolicy | StackValidationPolicy;

export interface PolicyViolation {
  readonly policy: string;
  readonly enforcementLevel: EnforcementLevel;
  readonly resource?: { readonly type: string; readonly name: string; readonly urn: string };
  readonly message: string;
}

export interface PolicyResult {
  readonly policy: string;
  readonly description: string;
  readonly enforcementLevel: EnforcementLevel;
  /** Resources the policy applied to (stack policies count once). */
  readonly checked: number;
  readonly violations: number;
}

export interface PolicyReport {
  readonly results: readonly PolicyResult[];
  readonly violations: readonly PolicyViolation[];
}

class NotApplicable extends Error {}

function throwNotApplicable(reason?: string): never {
  throw new NotApplicable(reason ?? 'not applicable');
}

function typeOf(resourceClass: unknown): string | undefined {
  const t = (resourceClass as { __pulumiType?: unknown } | undefined)?.__pulumiType;
  return typeof t === 'string' ? t : undefined;
}

function isTypeOf(type: string, resourceClass: unknown): boolean {
  const t = typeOf(resourceClass);
  return t !== undefined && t === type;
}

function options(r: RecordedResource): PolicyResourceOptions {
  return {
    protect: r.protect,
    ignoreChanges: [...r.ignoreChanges],
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [],
    ...(r.parent ? { parent: r.parent } : {}),
  };
}

// eslint-disable-next-line max-lines-per-function -- Pulumi's policy-analyzer protocol, call by call: splitting it would hide the order the analyzer expects.
export async function runPolicies(
  resources: readonly RecordedResource[],
  policies: readonly TdrPolicy[],
): Promise<PolicyReport> {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const providerOf = (r: RecordedResource) => {
    const p = r.provider ? byUrn.get(r.provider.split('::').slice(0, 4).join('::')) : undefined;
    return p ? { type: p.type, props: { ...p.inputs }, urn: p.urn, name: p.name } : undefined;
  };
  const results: PolicyResult[] = [];
  const violations: PolicyViolation[] = [];
  for (const policy of policies) {
    const level = policy.enforcementLevel ?? 'mandatory';
    if (level === 'disabled') continue;
    let checked = 0;
    const before = violations.length;
    if ('validateStack' in policy) {
      const policyResources = toPolicyResources(resources, providerOf);
      const report: ReportViolation = (message, urn) => {
        const r = urn ? byUrn.get(urn) : undefined;
        violations.push({
          policy: policy.name,
          enforcementLevel: level,
          message,
          ...(r ? { resource: { type: r.type, name: r.name, urn: r.urn } } : {}),
        });
      };
      try {
        await policy.validateStack(
          {
            resources: policyResources,
            stackTags: new Map(),
            getConfig: <T>() => ({}) as T,
            notApplicable: throwNotApplicable,
          },
          report,
        );
        checked = 1;
      } catch (err) {
        if (!(err instanceof NotApplicable)) throw err;
      }
    } else if (policy.validateResource) {
      const validations = Array.isArray(policy.validateResource)
        ? policy.validateResource
        : [policy.validateResource];
      for (const r of resources) {
        if (!r.custom) continue;
        let applied = false;
        for (const validate of validations) {
          const onlyType = typeOf(validate);
          if (onlyType && onlyType !== r.type) continue;
          const provider = providerOf(r);
          const args: ResourceValidationArgs = {
            type: r.type,
            props: { ...r.inputs },
            urn: r.urn,
            name: r.name,
            opts: options(r),
            stackTags: new Map(),
            isType: (cls) => isTypeOf(r.type, cls),
            asType: ((cls: unknown) =>
              isTypeOf(r.type, cls) ? { ...r.inputs } : undefined) as ResourceValidationArgs['asType'],
            getConfig: <T>() => ({}) as T,
            notApplicable: throwNotApplicable,
            ...(provider ? { provider } : {}),
          };
          try {
            await validate(args, (message) =>
              violations.push({
                policy: policy.name,
                enforcementLevel: level,
                message,
                resource: { type: r.type, name: r.name, urn: r.urn },
              }),
            );
            applied = true;
          } catch (err) {
            if (!(err instanceof NotApplicable)) throw err;
          }
        }
        if (applied) checked++;
      }
    }
    results.push({
      policy: policy.name,
      description: policy.description,
      enforcementLevel: level,
      checked,
      violations: violations.length - before,
    });
  }
  return { results, violations };
}

function toPolicyResources(
  resources: readonly RecordedResource[],
  providerOf: (r: RecordedResource) => PolicyResource['provider'],
): PolicyResource[] {
  const out = new Map<string, PolicyResource>();
  for (const r of resources) {
    const provider = providerOf(r);
    const props = { ...r.inputs, ...(r.id === undefined ? {} : { id: r.id }) };
    out.set(r.urn, {
      type: r.type,
      props,
      urn: r.urn,
      name: r.name,
      opts: options(r),
      dependencies: [],
      propertyDependencies: {},
      isType: (cls) => isTypeOf(r.type, cls),
      asType: ((cls: unknown) => (isTypeOf(r.type, cls) ? props : undefined)) as PolicyResource['asType'],
      ...(provider ? { provider } : {}),
    });
  }
  for (const r of resources) {
    const pr = out.get(r.urn) as { parent?: PolicyResource; dependencies: PolicyResource[] };
    const parent = r.parent ? out.get(r.parent) : undefined;
    if (parent) pr.parent = parent;
    pr.dependencies = r.dependencies.flatMap((d) => out.get(d) ?? []);
  }
  return [...out.values()];
}
