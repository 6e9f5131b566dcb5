/**
 * A gate's verdict, shared by the gates (saga/gates.ts) and the adapters that check an artefact
 * exists (aws/images.ts, aws/lambda.ts), so the adapters need nothing from the saga.
 */
export interface GateVerdict {
  readonly gate: string;
  readonly ok: boolean;
  readonly detail: string;
}

/**
 * A digest as people read it: `sha256:` and its first 12 hex digits; a function's SHA-256 (base64,
 * as Lambda's `CodeSha256`) by its first 12 characters, as `tdr status` shows it. An empty digest
 * (a version that did not resolve) says so rather than leave a blank in a sentence.
 */
export function short(digest: string): string {
  if (digest === '') return '(no digest: the version did not resolve)';
  return digest.startsWith('sha256:') ? digest.slice(0, 19) : digest.slice(0, 12);
}

/** The 12 characters a table column shows of any digest: the hex after `sha256:`, or a function's base64 start. */
export function digestColumn(digest: string): string {
  return digest.startsWith('sha256:') ? digest.slice(7, 19) : digest.slice(0, 12);
}
