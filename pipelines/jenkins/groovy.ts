/**
 * Groovy literals. Generated Groovy contains no GStrings at all: every string is single-quoted,
 * so nothing in it is ever interpolated, by Groovy or by JCasC (which would read `${…}`).
 */

/** A single-quoted Groovy string literal; newlines are escaped so the literal stays on one line. */
export function str(value: string): string {
  return (
    "'" +
    value
      .replace(/\\/g, '\\\\')
      .replace(/'/g, "\\'")
      .replace(/\r/g, '\\r')
      .replace(/\n/g, '\\n')
      .replace(/\t/g, '\\t') +
    "'"
  );
}

/** A single-quoted triple string for long multi-line text (embedded scripts). */
export function multiline(value: string): string {
  // Only a run of three quotes, or a quote just before the closing ones, would end the string early.
  const body = value.replace(/\\/g, '\\\\').replace(/'''/g, "\\'\\'\\'").replace(/'$/, "\\'");
  return "'''" + body + "'''";
}

export function list(values: readonly string[]): string {
  return '[' + values.map(str).join(', ') + ']';
}

export function map(entries: Readonly<Record<string, string>>): string {
  const parts = Object.entries(entries).map(([k, v]) => `${str(k)}: ${str(v)}`);
  return parts.length === 0 ? '[:]' : '[' + parts.join(', ') + ']';
}

/** Environment variable and parameter names: also safe inside a shell `"$NAME"`. */
export function identifier(name: string): string {
  if (!/^[A-Z][A-Z0-9_]*$/.test(name))
    throw new Error(`"${name}" is not a valid variable name (A-Z, 0-9, _)`);
  return name;
}

/** Indents every non-empty line of `text` by `levels` × 4 spaces. */
export function indent(text: string, levels = 1): string {
  const pad = '    '.repeat(levels);
  return text
    .split('\n')
    .map((l) => (l.length > 0 ? pad + l : l))
    .join('\n');
}

/** POSIX shell word: bare when it is plainly safe, else single-quoted. */
export function shellWord(value: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(value)) return value;
  return "'" + value.replace(/'/g, "'\\''") + "'";
}
