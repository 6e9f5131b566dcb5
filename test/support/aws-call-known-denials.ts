/**
 * Denials the call check (./aws-call-check.ts) found that are known and tracked, each with the issue
 * that removes it. They are printed on every run, never hidden, and do not fail `npm test`; any
 * other denial does. Remove an entry with the fix that makes it match nothing (the check says so).
 */
/** What the check reports of a denial (the fields of its `Denial` these entries read). */
interface Denial {
  readonly call: { readonly role?: string; readonly command: string; readonly test: string };
  readonly action: string;
  readonly resource: string;
  readonly why: string;
}

export interface KnownDenial {
  readonly why: string;
  readonly matches: (d: Denial) => boolean;
}

export const KNOWN_DENIALS: readonly KnownDenial[] = [
  {
    // The tests' approvers who try to promote themselves: on real AWS the update role refuses them
    // at AssumeRole (its trust names the node roles only), before the four-eyes gate that refuses
    // them on moto; either way nothing is promoted.
    why: 'approvers trying to promote are refused at AssumeRole on real AWS, before the gate',
    matches: (d) =>
      /role\/TDRReleaseApprover[A-Za-z]+$/.test(d.call.role ?? '') &&
      d.action === 'sts:AssumeRole' &&
      d.call.command.startsWith('tdr promote'),
  },
  {
    // Fixtures, not platform roles: the trust test creates look-alike SSO roles on purpose to prove
    // the approver check refuses them (issue 24 #8); nothing generates a policy for them.
    why: 'test fixtures: the self-made and SSO-shaped approver roles of the trust test have no generated policy',
    matches: (d) =>
      /role\/AWSReservedSSO_/.test(d.call.role ?? '') && d.why.startsWith('no generated identity policy'),
  },
  {
    // The sandbox bootstrap test runs with account ids of its own (TDR_ACCOUNT_IDS unset, read from
    // SSM), while the policies the check reads are the goldens, made for the test account ids.
    why: 'the sandbox-bootstrap test uses account ids other than the goldens were rendered for',
    matches: (d) =>
      d.call.test.includes('TDR_ACCOUNT_IDS unset') &&
      (d.resource.includes(':555555555555:') || (d.call.role ?? '').includes(':555555555555:')),
  },
];

/** Splits denials into those no entry explains (a failure) and those an entry does (printed). */
export function sortDenials<D extends Denial>(
  denials: readonly D[],
): {
  unknown: D[];
  known: Map<KnownDenial, number>;
} {
  const unknown: D[] = [];
  const known = new Map<KnownDenial, number>();
  for (const d of denials) {
    const k = KNOWN_DENIALS.find((e) => e.matches(d));
    if (k) known.set(k, (known.get(k) ?? 0) + 1);
    else unknown.push(d);
  }
  return { unknown, known };
}
