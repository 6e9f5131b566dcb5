/**
 * Just enough of a Dockerfile and of `.ci/run` to compare them: a Dockerfile's stages with their
 * instructions (continuation lines joined, per the Dockerfile reference's line-continuation rule),
 * the environment and user a stage ends with, the Debian packages it installs; and the packages
 * `.ci/run` installs. Used by ./images.test.ts; not a Dockerfile parser for anything else.
 */

export interface DockerStage {
  /** The `AS` name, or the stage's index when it has none. */
  readonly name: string;
  readonly from: string;
  /** Every instruction after FROM, one logical line each, comments dropped. */
  readonly instructions: readonly string[];
}

/** Bounds every input: these files are a few kilobytes; anything bigger is not one of them. */
const MAX_TEXT = 200_000;

function logicalLines(text: string): string[] {
  if (text.length > MAX_TEXT) throw new Error(`a Dockerfile or script over ${MAX_TEXT} characters`);
  const out: string[] = [];
  let current = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (current === '' && (line === '' || line.startsWith('#'))) continue;
    if (line.startsWith('#')) continue;
    if (line.endsWith('\\')) {
      current += `${line.slice(0, -1).trim()} `;
      continue;
    }
    out.push(`${current}${line}`.trim());
    current = '';
  }
  if (current.trim() !== '') out.push(current.trim());
  return out;
}

export function dockerStages(text: string): DockerStage[] {
  const stages: Array<{ name: string; from: string; instructions: string[] }> = [];
  for (const line of logicalLines(text)) {
    const from = /^FROM\s+(\S+)(?:\s+AS\s+(\S+))?$/i.exec(line);
    if (from) {
      stages.push({ name: from[2] ?? String(stages.length), from: from[1]!, instructions: [] });
      continue;
    }
    stages.at(-1)?.instructions.push(line);
  }
  return stages;
}

/** `ENV` values the stage sets (`KEY=value` form), later ones winning. */
export function stageEnv(stage: DockerStage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const i of stage.instructions) {
    if (!/^ENV\s/i.test(i)) continue;
    for (const m of i.slice(4).matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|\S*)/g))
      env[m[1]!] = m[2]!.replace(/^"|"$/g, '');
  }
  return env;
}

/** The user the stage's image runs as: its last `USER`, or undefined when it sets none. */
export function stageUser(stage: DockerStage): string | undefined {
  const users = stage.instructions.filter((i) => /^USER\s/i.test(i));
  return users.at(-1)?.split(/\s+/)[1];
}

/** The packages of every `apt-get install` in the stage. */
export function aptInstalls(stage: DockerStage): string[] {
  return stage.instructions.flatMap((i) =>
    [...i.matchAll(/apt-get install((?:\s+[^\s&;|]+)+)/g)].flatMap((m) =>
      m[1]!
        .trim()
        .split(/\s+/)
        .filter((w) => !w.startsWith('-')),
    ),
  );
}

/**
 * What `.ci/run` installs: the Debian packages it adds to `need` (literal `need+=(pkg)` and the
 * words of a `for pkg in …; do` loop), and what it `pip install`s.
 */
export function ciPackages(script: string): { debian: string[]; pip: string[] } {
  const lines = logicalLines(script);
  const debian = [
    ...lines.flatMap((l) => [...l.matchAll(/need\+=\(([a-z0-9][a-z0-9.+-]*)\)/g)].map((m) => m[1]!)),
    ...lines.flatMap((l) => /^for pkg in ([^;]+);/.exec(l)?.[1]?.trim().split(/\s+/) ?? []),
  ];
  const pip = lines.flatMap((l) => [...l.matchAll(/pip install '([^']+)'/g)].map((m) => m[1]!));
  return { debian, pip };
}
