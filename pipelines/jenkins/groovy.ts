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

/** A map literal, one entry per line once it grows past a readable width. */
export function map(entries: Readonly<Record<string, string>>): string {
  const parts = Object.entries(entries).map(([k, v]) => `${str(k)}: ${str(v)}`);
  if (parts.length === 0) return '[:]';
  const oneLine = '[' + parts.join(', ') + ']';
  return oneLine.length <= MAX_WIDTH ? oneLine : `[\n${parts.map((p) => `    ${p}`).join(',\n')}\n]`;
}

/** Generated lines stay under npm-groovy-lint's 120 columns once nested a few levels deep. */
const MAX_WIDTH = 80;

/** A call with named arguments, one per line once it grows past a readable width. */
export function call(name: string, args: ReadonlyArray<readonly [string, string]>): string {
  const parts = args.map(([k, v]) => `${k}: ${v}`);
  const oneLine = `${name}(${parts.join(', ')})`;
  return oneLine.length <= MAX_WIDTH ? oneLine : `${name}(\n${parts.map((p) => indent(p)).join(',\n')}\n)`;
}

/** A list of expressions (not literals), one per line once it grows past a readable width. */
export function expressionList(items: readonly string[]): string {
  const oneLine = `[${items.join(', ')}]`;
  return oneLine.length <= MAX_WIDTH ? oneLine : `[\n${items.map((i) => indent(i)).join(',\n')}\n]`;
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
