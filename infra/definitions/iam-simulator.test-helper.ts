/**
 * Enough of IAM's policy evaluation to ask what an identity policy lets its role do: explicit
 * deny beats allow, and nothing is allowed unless a statement allows it (IAM User Guide, "Policy
 * evaluation logic"). Actions and resources match with `*` and `?` as IAM matches them (actions
 * case-insensitively); a condition operator this does not know fails the test rather than pass it.
 */
import type { Statement } from '../policies/documents';

export interface Request {
  readonly action: string;
  readonly resource: string;
  /** Condition keys the request carries (header values, …); absent keys are missing. */
  readonly context?: Readonly<Record<string, string>>;
}

export function allows(statements: readonly Statement[], request: Request): boolean {
  const matching = statements.filter((s) => applies(s, request));
  return matching.some((s) => s.Effect === 'Allow') && !matching.some((s) => s.Effect === 'Deny');
}

function applies(s: Statement, r: Request): boolean {
  return (
    list(s.Action).some((a) => glob(a, true).test(r.action)) &&
    list(s.Resource).some((res) => glob(res, false).test(r.resource)) &&
    Object.entries(s.Condition ?? {}).every(([operator, keys]) =>
      Object.entries(keys).every(([key, wanted]) => condition(operator, r.context?.[key], list(wanted))),
    )
  );
}

function condition(operator: string, value: string | undefined, wanted: string[]): boolean {
  switch (operator) {
    case 'Null':
      // "true": the key must be absent; "false": it must be there, whatever its value.
      return wanted.includes(String(value === undefined));
    case 'Bool':
    case 'StringEquals':
      return value !== undefined && wanted.includes(value);
    case 'StringLike':
      return value !== undefined && wanted.some((w) => glob(w, false).test(value));
    default:
      throw new Error(`the simulator does not know the condition operator ${operator}`);
  }
}

function glob(pattern: string, caseInsensitive: boolean): RegExp {
  const body = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`, caseInsensitive ? 'i' : '');
}

function list(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

/** Every action a policy allows by name, for comparing a role's permissions with the intended set. */
export function allowedActions(statements: readonly Statement[]): string[] {
  return [...new Set(statements.filter((s) => s.Effect === 'Allow').flatMap((s) => list(s.Action)))].sort();
}
