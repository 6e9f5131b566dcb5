/** Recorded resources for policy tests: a resource, the provider that tags it, a policy document. */
import { expect } from 'chai';
import { runPolicies, type RecordedResource, type TdrPolicy } from './evaluate';

const PROVIDER_URN = 'urn:pulumi:test::tdr::pulumi:providers:aws::account';

export function res(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
  extra: Partial<RecordedResource> = {},
): RecordedResource {
  return {
    urn: `urn:pulumi:test::tdr::${type}::${name}`,
    type,
    name,
    custom: true,
    id: `${name}-id`,
    inputs,
    provider: `${PROVIDER_URN}::account-id`,
    protect: false,
    ignoreChanges: [],
    dependencies: [],
    ...extra,
  };
}

export function provider(env: string, extraTags: Record<string, string> = {}): RecordedResource {
  return {
    urn: PROVIDER_URN,
    type: 'pulumi:providers:aws',
    name: 'account',
    custom: true,
    inputs: { defaultTags: JSON.stringify({ tags: { Environment: env, ...extraTags } }) },
    protect: false,
    ignoreChanges: [],
    dependencies: [],
  };
}

export const doc = (...Statement: unknown[]) => JSON.stringify({ Version: '2012-10-17', Statement });

/** A policy with resources it passes and resources it refuses (with the message it gives). */
export interface PolicyCase {
  readonly policy: TdrPolicy;
  readonly compliant: string;
  readonly compliantResources: RecordedResource[];
  readonly violating: string;
  readonly violatingResources: RecordedResource[];
  readonly message: RegExp;
}

export async function violations(policy: TdrPolicy, resources: RecordedResource[]) {
  return (await runPolicies(resources, [policy])).violations;
}

/** A compliant and a violating test per case. */
export function describePolicyCases(cases: readonly PolicyCase[]): void {
  for (const c of cases) {
    describe(c.policy.name, () => {
      it(`passes ${c.compliant}`, async () => {
        expect(await violations(c.policy, c.compliantResources)).to.deep.equal([]);
      });
      it(`refuses ${c.violating}`, async () => {
        const found = await violations(c.policy, c.violatingResources);
        expect(found, 'violations').to.have.length.greaterThan(0);
        expect(found.map((v) => v.message).join('\n')).to.match(c.message);
        expect(found.every((v) => v.policy === c.policy.name && v.resource !== undefined)).to.equal(true);
      });
    });
  }
}
