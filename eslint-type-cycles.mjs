// @ts-check
/**
 * `tdr/no-type-import-cycle`: import cycles that pass through a type-only import.
 *
 * `import-x/no-cycle` finds the cycles that exist at run time, but it never follows `import type`
 * (it has no option to), so a cycle such as errors.ts -(type)-> gates.ts -> ledger.ts -> errors.ts
 * goes unseen although the modules still depend on each other in a circle. This rule follows every
 * import (type-only, `typeof import()`, `require()`) through the repository's own .ts files, and
 * reports only at type-only imports, so a cycle import-x already reports is not reported twice.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import ts from 'typescript';

/** file → the repository .ts files it imports, in any way; filled lazily, once per lint run. */
const imports = new Map();

function importsOf(file) {
  let targets = imports.get(file);
  if (!targets) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    targets = importedFiles.map((f) => resolveLocal(file, f.fileName)).filter((t) => t !== undefined);
    imports.set(file, targets);
  }
  return targets;
}

function resolveLocal(from, specifier) {
  if (!specifier.startsWith('.')) return undefined;
  const base = resolve(dirname(from), specifier);
  return [`${base}.ts`, `${base}.tsx`, `${base}/index.ts`].find((candidate) => existsSync(candidate));
}

/** The shortest import path from `start` back to `goal`, or undefined. */
function pathBack(start, goal) {
  const cameFrom = new Map([[start, undefined]]);
  for (const queue = [start]; queue.length > 0;) {
    const file = queue.shift();
    for (const next of importsOf(file)) {
      if (next === goal) {
        const path = [];
        for (let at = file; at !== undefined; at = cameFrom.get(at)) path.unshift(at);
        return path;
      }
      if (!cameFrom.has(next)) {
        cameFrom.set(next, file);
        queue.push(next);
      }
    }
  }
  return undefined;
}

const isTypeOnly = (node) =>
  node.importKind === 'type' ||
  node.exportKind === 'type' ||
  (node.type === 'ImportDeclaration' &&
    node.specifiers.length > 0 &&
    node.specifiers.every((s) => s.type === 'ImportSpecifier' && s.importKind === 'type'));

/** @type {import('eslint').Rule.RuleModule} */
const noTypeImportCycle = {
  meta: {
    type: 'problem',
    docs: { description: 'forbid import cycles that pass through a type-only import' },
    schema: [],
    messages: { cycle: 'import cycle through a type-only import: {{path}}' },
  },
  create(context) {
    const file = context.physicalFilename;
    const root = context.cwd;
    const check = (node, source) => {
      if (typeof source !== 'string') return;
      const target = resolveLocal(file, source);
      const back = target && pathBack(target, file);
      if (!back) return;
      const path = [file, ...back, file].map((f) => relative(root, f)).join(' → ');
      context.report({ node, messageId: 'cycle', data: { path } });
    };
    return {
      ImportDeclaration: (node) => isTypeOnly(node) && check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && isTypeOnly(node) && check(node, node.source.value),
      ExportAllDeclaration: (node) => isTypeOnly(node) && check(node, node.source.value),
      TSImportType: (node) => check(node, node.source.value),
    };
  },
};

export default { rules: { 'no-type-import-cycle': noTypeImportCycle } };
