/**
 * The canary judge's package (the catalogue's `canary-judge`, services/platform-functions.ts): the
 * compiled module closure of ./index.ts, zipped for the Lambda Node.js runtime, and nothing else.
 *
 * tsc compiles ./index.ts and what it imports (tsconfig.canary-judge.json); this loads the compiled
 * handler and walks Node's own module graph (`module.children`) from it, so the package holds
 * exactly the files the handler loads: type-only imports that tsc also emits stay out. A module
 * from node_modules must be one the runtime provides, the AWS SDK for JavaScript v3 (`@aws-sdk/*`:
 * "the Node.js runtimes include the AWS SDK for JavaScript v3",
 * https://docs.aws.amazon.com/lambda/latest/dg/lambda-nodejs.html); any other is refused, naming it,
 * since the function would fail on its first invocation and ECS would roll back every deployment.
 *
 * The zip (fflate, https://github.com/101arrowz/fflate) has its entries sorted and dated
 * 1980-01-01, so the same source gives the same bytes and the same SHA-256: the function's digest
 * (upload-package uploads it with its SHA-256 as every function's package).
 *
 * Run: `npm run package:canary-judge` (build/functions/canary-judge.zip; cli/package-function.ts).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { zipSync, type Zippable } from 'fflate';
import { PlatformError } from '../../../services/errors';

/** Packages the Lambda runtime provides; nothing else may come from node_modules. */
export const RUNTIME_PROVIDED = /^@aws-sdk\//;

/** The handler file inside the package (the catalogue's handler is `pipelines/release/hook/index.handler`). */
export const HANDLER_FILE = 'pipelines/release/hook/index.js';

export interface FunctionPackage {
  /** The files in the package, relative to its root, sorted. */
  readonly files: readonly string[];
  /** The runtime-provided packages the handler loads. */
  readonly provided: readonly string[];
  readonly zip: Uint8Array;
  /** Hex SHA-256 of the zip. */
  readonly sha256: string;
}

/** The package cannot be made from this build: invalid, nothing written. */
export class PackageError extends PlatformError {
  readonly kind = 'invalid';
}

/** `@scope/name` or `name` of a file under node_modules. */
function packageName(file: string): string {
  const parts = file.split(`${sep}node_modules${sep}`).pop()!.split(sep);
  return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
}

/** The files the compiled handler under `root` loads, and the packages it takes from node_modules. */
export function moduleClosure(
  root: string,
  handlerFile = HANDLER_FILE,
): { files: string[]; provided: string[] } {
  const base = resolve(root);
  const entry = join(base, handlerFile);
  // Node's module graph is the truth of what loads; loading the handler creates a client, calls nothing.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the compiled handler is loaded to walk its graph
  require(entry);
  const top = require.cache[require.resolve(entry)];
  if (!top) throw new PackageError(`${entry}: not loaded`);
  const files = new Set<string>();
  const provided = new Set<string>();
  const refused: string[] = [];
  const walk = (m: NodeJS.Module) => {
    if (files.has(m.filename)) return;
    files.add(m.filename);
    for (const child of m.children) {
      if (child.filename.includes(`${sep}node_modules${sep}`)) {
        const name = packageName(child.filename);
        if (RUNTIME_PROVIDED.test(name)) provided.add(name);
        else refused.push(`${relative(base, m.filename)} loads ${name}`);
        continue;
      }
      if (!child.filename.startsWith(base + sep))
        refused.push(`${relative(base, m.filename)} loads ${child.filename}, outside the build`);
      else walk(child);
    }
  };
  walk(top);
  if (refused.length > 0)
    throw new PackageError(
      `the canary judge's package would need modules the Lambda runtime does not provide (only @aws-sdk/* is): ${refused.join('; ')}`,
    );
  return {
    files: [...files].map((f) => relative(base, f).split(sep).join('/')).sort(),
    provided: [...provided].sort(),
  };
}

/** A fixed date for every entry, so the zip's bytes depend on the files alone. */
const ENTRY_DATE = new Date(1980, 0, 1, 0, 0, 0);

export function packageFunction(root: string, handlerFile = HANDLER_FILE): FunctionPackage {
  const { files, provided } = moduleClosure(root, handlerFile);
  const tree: Zippable = {};
  for (const f of files) tree[f] = [readFileSync(join(root, f)), { mtime: ENTRY_DATE, level: 9 }];
  const zip = zipSync(tree, { mtime: ENTRY_DATE });
  return { files, provided, zip, sha256: createHash('sha256').update(zip).digest('hex') };
}

/** Writes the package of the compiled handler under `root` to `output`. */
export function writePackage(root: string, output: string): FunctionPackage {
  const p = packageFunction(root);
  mkdirSync(dirname(output), { recursive: true });
  writeFileSync(output, p.zip);
  return p;
}
