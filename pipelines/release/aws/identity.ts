/**
 * Who someone is, for the gates: an AWS principal (`sts:GetCallerIdentity`), never a typed name.
 * Names that still come from people (Jenkins' build user and input submitter, display names) are
 * compared after Unicode NFKC normalisation and case folding, and refused when they hide
 * characters (zero-width, bidi controls) or use letters outside ASCII (homoglyphs): `ａｌｉｃｅ`
 * is `alice`, and `аlice` (Cyrillic а) is no name at all.
 */
import { ReleaseInputError } from '../errors';

/** Invisible or formatting characters: zero-width, bidi controls, soft hyphen, BOM, controls. */
const INVISIBLE = /[\p{Cf}\p{Cc}\p{Zl}\p{Zp}\u00a0\u2000-\u200a\u202f\u205f\u3000\u115f\u1160\u3164\uffa0]/u;
/** What a Jenkins user id, an SSO user name or an email address is made of. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._@+=,-]{0,127}$/;

/** The name as compared: NFKC, trimmed; throws (naming `field`) when it hides or fakes characters. */
export function personName(raw: string, field: string): string {
  if (INVISIBLE.test(raw))
    throw new ReleaseInputError(
      `${field}: contains an invisible or formatting character (e.g. a zero-width space)`,
    );
  const name = raw.normalize('NFKC').trim();
  if (!NAME.test(name))
    throw new ReleaseInputError(
      `${field}: ${JSON.stringify(raw)} is not a user name (letters A-Z, digits and . _ @ + = , - only, after NFKC normalisation)`,
    );
  return name;
}

/** Whether two names are one person's: after NFKC and case folding. */
export function samePerson(a: string, b: string): boolean {
  const fold = (s: string) => s.normalize('NFKC').trim().toLowerCase();
  return fold(a) === fold(b);
}

/** An AWS principal, from a caller ARN. */
export interface Principal {
  readonly arn: string;
  readonly account: string;
  /** `assumed-role` (roles, SSO), `user` (IAM users), or another ARN type. */
  readonly type: string;
  /** The role's or user's name (for a role: without its path, as STS reports it). */
  readonly name: string;
  /** For an assumed role, the session name (SSO: the user's name); else null. */
  readonly session: string | null;
}

export function principalOf(arn: string): Principal | undefined {
  const m = /^arn:aws[a-z-]*:(?:sts|iam)::(\d{12}):([a-z-]+)\/(.+)$/.exec(arn);
  if (!m) return undefined;
  const [, account, type, rest] = m as unknown as [string, string, string, string];
  if (type === 'assumed-role') {
    const [name, ...session] = rest.split('/');
    return { arn, account, type, name: name ?? '', session: session.join('/') || null };
  }
  return { arn, account, type, name: rest.split('/').pop() ?? rest, session: null };
}

/** The person behind a principal: a role session's name, else the user's. */
export function personOf(p: Principal): string {
  return p.session ?? p.name;
}

/** Whether two caller ARNs are the same person (same account, role or user, and session). */
export function samePrincipal(a: string, b: string): boolean {
  const pa = principalOf(a);
  const pb = principalOf(b);
  if (!pa || !pb) return samePerson(a, b);
  return pa.account === pb.account && samePerson(personOf(pa), personOf(pb));
}

/**
 * Whether `caller` assumed one of `approvers`: IAM role ARNs in the mgmt account, written
 * `role/{path/}{name}` in the model (account ids are configuration); a `*` in a name matches
 * any characters, for SSO's `AWSReservedSSO_{PermissionSet}_{suffix}` roles. STS reports a
 * session's role without its path, so the name is what is compared.
 */
export function isApprover(caller: string, approvers: readonly string[], mgmtAccount: string): boolean {
  const p = principalOf(caller);
  if (!p || p.type !== 'assumed-role' || p.account !== mgmtAccount) return false;
  return approvers.some((entry) => {
    const name = entry.split('/').pop() ?? '';
    const pattern = new RegExp(`^${name.split('*').map(escapeRegExp).join('[A-Za-z0-9_+=,.@-]*')}$`);
    return pattern.test(p.name);
  });
}

/** Whether `caller` is the Jenkins agent role of `roleName` in the mgmt account. */
export function isRole(caller: string, roleName: string, mgmtAccount: string): boolean {
  const p = principalOf(caller);
  return !!p && p.type === 'assumed-role' && p.account === mgmtAccount && p.name === roleName;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
