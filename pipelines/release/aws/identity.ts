/**
 * Who someone is, for the gates: an AWS principal (`sts:GetCallerIdentity`), never a typed name.
 * Names that still come from people (Jenkins' build user and input submitter, display names) are
 * compared after Unicode NFKC normalisation and case folding, and refused when they hide
 * characters (zero-width, bidi controls) or use letters outside ASCII (homoglyphs): `ａｌｉｃｅ`
 * is `alice`, and `аlice` (Cyrillic а) is no name at all.
 */
import { GetRoleCommand, type IAMClient } from '@aws-sdk/client-iam';
import { ReleaseInputError, attempt } from '../errors';

/** Invisible or formatting characters: zero-width, bidi controls, soft hyphen, BOM, controls. */
const INVISIBLE = /[\p{Cf}\p{Cc}\p{Zl}\p{Zp}\u00a0\u2000-\u200a\u202f\u205f\u3000\u115f\u1160\u3164\uffa0]/u;
/** What a Jenkins user id, an SSO user name or an email address is made of. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._@+=,-]{0,127}$/;
/** The longest name NAME admits (and so the longest a log or record ever holds). */
const MAX_NAME = 128;

/** The name as compared: NFKC, trimmed; throws (naming `field`) when it hides or fakes characters. */
export function personName(raw: string, field: string): string {
  if (raw.length > MAX_NAME)
    throw new ReleaseInputError(`${field}: at most ${MAX_NAME} characters (a user name), not ${raw.length}`);
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

/**
 * The path IAM Identity Center creates a permission set's role at, optionally followed by the
 * region: `role/aws-reserved/sso.amazonaws.com/[{region}/]AWSReservedSSO_{PermissionSet}_{suffix}`
 * (IAM Identity Center User Guide, "Referencing permission sets in resource policies, Amazon EKS,
 * and AWS KMS": https://docs.aws.amazon.com/singlesignon/latest/userguide/referencingpermissionsets.html).
 * Anyone allowed iam:CreateRole can name a role `AWSReservedSSO_…` at `/`; the path, read from
 * IAM, is what tells Identity Center's roles apart from such a look-alike.
 */
export const SSO_ROLE_PATH = '/aws-reserved/sso.amazonaws.com/';
const SSO_PATH = /^\/aws-reserved\/sso\.amazonaws\.com\/(?:[a-z]{2}(?:-[a-z]+)+-\d+\/)?$/;

/** The path of a role's IAM ARN (`arn:aws:iam::1:role/a/b/Name` → `/a/b/`), or undefined. */
export function rolePathOf(roleArn: string): string | undefined {
  const m = /^arn:aws[a-z-]*:iam::\d{12}:role(\/(?:[^/]+\/)*)[^/]+$/.exec(roleArn);
  return m?.[1];
}

/** Whether a role's path is one IAM Identity Center creates roles at (its region segment optional). */
export function isSsoRolePath(path: string): boolean {
  return SSO_PATH.test(path);
}

/**
 * Who a principal is, for four eyes: the one person AWS vouches for behind it, or why it vouches
 * for none. A session name is chosen by whoever calls AssumeRole, so it names a person only where
 * something other than the caller sets it:
 *
 * - an IAM user is that user;
 * - an SSO session (`AWSReservedSSO_…`) is named by IAM Identity Center after the user who signed in;
 * - a role in `pinned` (the model's plain approver roles) trusts people only with `sts:RoleSessionName`
 *   equal to `${aws:username}` (infra/definitions/release-approver.ts), so its session is the IAM user;
 * - Jenkins' agent role (`jenkinsRole`) is everyone's, so the person is the build user Jenkins
 *   authenticated and passes as `--actor` (`actor`, a validated name);
 * - any other role names no one: many people may assume it, as anyone they like.
 */
export function vouchedPerson(
  arn: string,
  opts: {
    readonly mgmtAccount: string;
    readonly pinned: readonly string[];
    readonly jenkinsRole?: string;
    readonly actor?: string;
  },
): { readonly person: string } | { readonly none: string } {
  const p = principalOf(arn);
  if (!p) return { none: `${arn} is not an AWS principal` };
  if (p.type === 'user') return { person: p.name };
  if (p.type !== 'assumed-role' || !p.session) return { none: `${arn} is no one's session` };
  if (p.account === opts.mgmtAccount && opts.jenkinsRole && p.name === opts.jenkinsRole) {
    if (!opts.actor) return { none: `${p.name} is Jenkins' role, and no --actor names its build user` };
    try {
      return { person: personName(opts.actor, 'actor') };
    } catch (err) {
      return { none: (err as Error).message };
    }
  }
  // NOT DONE: a promoter's SSO role is taken by its name; only an approver's path is read from
  // IAM (approve.ts). A look-alike promoter role needs iam:CreateRole in mgmt, and prod's update
  // role trusts only Jenkins' agent role, whose person is --actor; reading the promoter's path too
  // would take iam:GetRole in prepare (both strategies) and the promoter roles' policies.
  if (p.name.startsWith('AWSReservedSSO_')) return { person: p.session };
  if (p.account === opts.mgmtAccount && opts.pinned.includes(p.name)) return { person: p.session };
  return {
    none: `role ${p.name}'s session name (${p.session}) is chosen by whoever assumes the role, so it names no one`,
  };
}

/** Whether two caller ARNs are sessions of one role (or one IAM user) in one account. */
export function sameRole(a: string, b: string): boolean {
  const pa = principalOf(a);
  const pb = principalOf(b);
  return !!pa && !!pb && pa.account === pb.account && pa.type === pb.type && pa.name === pb.name;
}

/**
 * Whether `caller` assumed one of `approvers`: IAM role ARNs in the mgmt account, written
 * `role/{path/}{name}` in the model (account ids are configuration); a `*` in a name matches
 * any characters, for SSO's `AWSReservedSSO_{PermissionSet}_{suffix}` roles. STS reports a
 * session's role without its path, so the path is `rolePath`, read from IAM (`iam:GetRole`,
 * `callerRolePath`): an entry with a path counts only for a role at that path (IAM Identity
 * Center's may add the region), and a plain entry only for a role at `/` when the path is known.
 * Role names are unique in an account whatever their path, so a plain name alone is one role.
 */
export function isApprover(
  caller: string,
  approvers: readonly string[],
  mgmtAccount: string,
  rolePath?: string | null,
): boolean {
  const p = principalOf(caller);
  if (!p || p.type !== 'assumed-role' || p.account !== mgmtAccount) return false;
  return approvers.some((entry) => {
    const { path, name } = approverEntry(entry);
    const pattern = new RegExp(`^${name.split('*').map(escapeRegExp).join('[A-Za-z0-9_+=,.@-]*')}$`);
    if (!pattern.test(p.name)) return false;
    if (path === '/') return rolePath === undefined || rolePath === null || rolePath === '/';
    if (!rolePath) return false;
    return path === SSO_ROLE_PATH ? isSsoRolePath(rolePath) : rolePath === path;
  });
}

/** `role/{path/}{name}` → its path (`/` when none) and name. */
export function approverEntry(entry: string): { readonly path: string; readonly name: string } {
  const parts = entry.replace(/^role\//, '').split('/');
  const name = parts.pop() ?? '';
  return { path: parts.length === 0 ? '/' : `/${parts.join('/')}/`, name };
}

/** Whether the caller's role matches an approver entry with a path: only then is its path read. */
export function needsRolePath(caller: string, approvers: readonly string[]): boolean {
  const p = principalOf(caller);
  if (!p || p.type !== 'assumed-role') return false;
  return approvers.some((entry) => {
    const { path, name } = approverEntry(entry);
    const pattern = new RegExp(`^${name.split('*').map(escapeRegExp).join('[A-Za-z0-9_+=,.@-]*')}$`);
    return path !== '/' && pattern.test(p.name);
  });
}

/** The plain approver roles of the model (no path, no `*`): their trust pins the session name. */
export function pinnedApproverRoles(approvers: readonly string[]): string[] {
  return approvers
    .map(approverEntry)
    .filter((e) => e.path === '/' && !e.name.includes('*'))
    .map((e) => e.name);
}

/** The IAM path of the caller's own role (`iam:GetRole` on it), for `isApprover`. */
export async function callerRolePath(iam: IAMClient, caller: string): Promise<string> {
  const p = principalOf(caller);
  const out = await attempt(`reading the path of role ${p?.name ?? caller} (iam:GetRole)`, () =>
    iam.send(new GetRoleCommand({ RoleName: p?.name ?? '' })),
  );
  const path = out.Role?.Path ?? (out.Role?.Arn ? rolePathOf(out.Role.Arn) : undefined);
  if (!path) throw new Error(`iam:GetRole returned no path for role ${p?.name ?? caller}`);
  return path;
}

/** Whether `caller` is the Jenkins agent role of `roleName` in the mgmt account. */
export function isRole(caller: string, roleName: string, mgmtAccount: string): boolean {
  const p = principalOf(caller);
  return !!p && p.type === 'assumed-role' && p.account === mgmtAccount && p.name === roleName;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
