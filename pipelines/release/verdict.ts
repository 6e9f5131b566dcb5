/**
 * A gate's verdict, shared by the gates (saga/gates.ts) and the adapters that check an artefact
 * exists (aws/images.ts, aws/lambda.ts), so the adapters need nothing from the saga.
 */
export interface GateVerdict {
  readonly gate: string;
  readonly ok: boolean;
  readonly detail: string;
}

/** A digest as people read it: `sha256:` and its first 12 hex digits. */
export function short(digest: string): string {
  return digest.startsWith('sha256:') ? digest.slice(0, 19) : digest;
}
