/**
 * Stand-in values for the outputs Pulumi's mock engine would otherwise leave empty.
 *
 * Under `pulumi.runtime.setMocks` a resource's outputs are exactly the state the mock returns, and
 * the mock is handed only the resource's inputs; an output-only property the mock does not set
 * (a KMS key's `keyId`) resolves to undefined, and an input built from it (the alias's
 * `targetKeyId`) is dropped from the registration, so the manifest silently lacks a required
 * input. The provider SDK declares each output-only property as `undefined /*out*\/` in the props
 * it registers (e.g. @pulumi/aws kms/key.js: `resourceInputs["keyId"] = undefined`), and
 * @pulumi/pulumi drops undefined values when it serialises them for the monitor
 * (runtime/rpc.js serializeFilteredProperties), so the names are visible only at
 * `runtime.registerResource` (runtime/resource.js, called through its module's exports by
 * resource.js): this wraps it for the length of one synth to note them, and the mock fills each
 * one it left empty with a stand-in that names where it came from.
 */
type Props = Record<string, unknown>;
type RegisterResource = (
  res: unknown,
  parent: unknown,
  t: string,
  name: string,
  custom: boolean,
  remote: boolean,
  newDependency: unknown,
  props: Props,
  ...rest: unknown[]
) => void;

// eslint-disable-next-line @typescript-eslint/no-require-imports
const runtimeResource = require('@pulumi/pulumi/runtime/resource') as { registerResource: RegisterResource };

export interface OutputNames {
  /** The properties the resource registered as `undefined`: outputs the provider computes. */
  of(type: string, name: string): readonly string[];
  restore(): void;
}

/** Notes each custom resource's output-only property names until `restore()`. */
export function captureOutputNames(): OutputNames {
  const names = new Map<string, string[]>();
  const original = runtimeResource.registerResource;
  if (typeof original !== 'function')
    throw new Error(
      '@pulumi/pulumi/runtime/resource has no registerResource: the mock outputs need updating',
    );
  runtimeResource.registerResource = (
    res,
    parent,
    t,
    name,
    custom,
    remote,
    newDependency,
    props,
    ...rest
  ) => {
    if (custom && props && typeof props === 'object')
      names.set(
        `${t}::${name}`,
        Object.keys(props).filter((k) => props[k] === undefined),
      );
    return original(res, parent, t, name, custom, remote, newDependency, props, ...rest);
  };
  return {
    of: (type, name) => names.get(`${type}::${name}`) ?? [],
    restore: () => {
      runtimeResource.registerResource = original;
    },
  };
}

/** The stand-in for output `property` of resource `name`: says it is a mock, and of what. */
export function standIn(name: string, property: string): string {
  return `mock-${name}-${property}`;
}

/** `state` with a stand-in for every output-only property it leaves empty. */
export function withStandIns(state: Props, name: string, outputs: readonly string[]): Props {
  const filled = { ...state };
  for (const property of outputs)
    if (filled[property] === undefined) filled[property] = standIn(name, property);
  return filled;
}
