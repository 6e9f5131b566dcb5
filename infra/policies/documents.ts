/** Reading IAM policy documents as the policies see them: JSON text or objects, one statement or many. */

export interface Statement {
  readonly Sid?: string;
  readonly Effect?: string;
  readonly Principal?: unknown;
  readonly Action?: unknown;
  readonly Resource?: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

export function statementsOf(document: unknown): Statement[] {
  const doc = typeof document === 'string' ? safeJson(document) : document;
  if (typeof doc !== 'object' || doc === null) return [];
  const statement = (doc as { Statement?: unknown }).Statement;
  if (Array.isArray(statement)) return statement as Statement[];
  return statement && typeof statement === 'object' ? [statement as Statement] : [];
}

export function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function list(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}
