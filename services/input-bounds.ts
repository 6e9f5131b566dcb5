/**
 * The bounds every input has, in one place. What a person or Jenkins types is recorded in the
 * ledger forever, logged, and downloaded by every later command on its subject (the head object),
 * so each is short, one line, and free of control characters; URLs people will click are https.
 * Each `…Problem` says what is wrong (for an error naming the field) or null.
 */

/** `--reason`: a sentence or two (a break-glass reason, a maintenance page's text, a lease break). */
export const REASON_MAX = 500;
/** A URL: browsers and Jenkins keep to a few kilobytes; a build or check link is far shorter. */
export const URL_MAX = 2048;
/** The whole `TDR_CONFIG` file: the model is a few tens of kilobytes; overrides are less. */
export const CONFIG_MAX_BYTES = 256 * 1024;
/** One string in `TDR_CONFIG` (a name, an image repository, a freeze window's reason). */
export const CONFIG_STRING_MAX = 1024;
/** The release lease's TTL: long enough for the heartbeat (a third) to renew, short enough that a crash frees it. */
export const LEASE_TTL_MIN_MS = 3_000;
export const LEASE_TTL_MAX_MS = 15 * 60_000;

/** Controls (a newline, an escape), line and paragraph separators, and invisible format characters (zero-width, bidi). */
const CONTROL = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

/** A line of text of at most `max` characters, with no control characters (a newline included). */
export function textProblem(value: string, max: number): string | null {
  if (value.length > max) return `at most ${max} characters, not ${value.length}`;
  if (CONTROL.test(value))
    return 'must be one line of text, without control or invisible characters (a newline, a zero-width space)';
  return null;
}

/** An https URL of at most URL_MAX characters (no `javascript:`, `file:`, nor plain http). */
export function httpsUrlProblem(value: string): string | null {
  if (value.length > URL_MAX) return `at most ${URL_MAX} characters, not ${value.length}`;
  if (CONTROL.test(value) || /\s/.test(value))
    return 'must be one https URL, without spaces or control characters';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `${JSON.stringify(value.slice(0, 80))} is not a URL; expected https://…`;
  }
  if (url.protocol !== 'https:') return `must be an https URL, not ${url.protocol}`;
  return null;
}

/**
 * Every string in a parsed `TDR_CONFIG` value over CONFIG_STRING_MAX characters or holding a
 * control character, by its path (`catalogue.frontend.imageRepo`), with what is wrong.
 */
export function configStringProblems(value: unknown, path = ''): Array<{ path: string; message: string }> {
  if (typeof value === 'string') {
    const problem = textProblem(value, CONFIG_STRING_MAX);
    return problem ? [{ path: path || 'TDR_CONFIG', message: problem }] : [];
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => configStringProblems(v, `${path}[${i}]`));
  if (typeof value === 'object' && value !== null)
    return Object.entries(value).flatMap(([k, v]) => {
      const keyProblem = textProblem(k, CONFIG_STRING_MAX);
      const here = path ? `${path}.${k.slice(0, 80)}` : k.slice(0, 80);
      return [
        ...(keyProblem ? [{ path: here, message: `key: ${keyProblem}` }] : []),
        ...configStringProblems(v, here),
      ];
    });
  return [];
}
