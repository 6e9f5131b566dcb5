// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import typeCycles from './eslint-type-cycles.mjs';

const TESTS = ['**/*.test.ts', '**/*.test.tsx', 'test/**'];

/**
 * `cli/` maps error kinds to exit numbers and wires everything together; the libraries below it
 * must not reach back up (DESIGN.md: services ← infra / pipelines / dashboards ← cli). bench/ and
 * test/ sit above the CLI (they drive `tdr` as a whole), so they may import it.
 */
const NO_CLI = {
  regex: '^(\\.\\./)+cli(/|$)',
  message: 'only cli/ imports cli/: return values or throw typed errors instead',
};
const LIBRARIES = [
  'services/**/*.ts',
  'infra/**/*.ts',
  'pipelines/**/*.{ts,tsx}',
  'dashboards/**/*.ts',
  'sandbox/**/*.ts',
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'build/**', 'dist/**', '**/testdata/**'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    // import-x/no-cycle: cycles at run time; tdr/no-type-import-cycle: those through `import type`.
    files: ['**/*.{ts,tsx}'],
    plugins: { 'import-x': importX, tdr: typeCycles },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.json'] })],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'tdr/no-type-import-cycle': 'error',
    },
  },
  {
    files: LIBRARIES,
    ignores: TESTS,
    rules: {
      'no-restricted-imports': ['error', { patterns: [NO_CLI] }],
      // The lazy `require()`s that keep `tdr --help` fast are imports too.
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.name='require'] > Literal[value=/^(\\.\\.\\/)+cli(\\/|$)/]",
          message: NO_CLI.message,
        },
        {
          selector: 'TSImportType > Literal[value=/^(\\.\\.\\/)+cli(\\/|$)/]',
          message: NO_CLI.message,
        },
      ],
    },
  },
  {
    // The report is a pure function of its inputs: of the release engine it may read only the
    // ledger's record types (the engine's internals are not its business).
    files: ['pipelines/report/**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '../release/ledger',
              message: 'the report may import only the ledger record types',
              allowTypeImports: true,
            },
          ],
          patterns: [
            {
              group: ['**/release/*', '!**/release/ledger', '**/cli/*', '**/jenkins/*', '@aws-sdk/*'],
              message: 'the report reads the ledger record types and services/ only',
            },
          ],
        },
      ],
    },
  },
  {
    // services/ is plain data: it may import nothing else in this repository.
    files: ['services/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            NO_CLI,
            {
              group: ['../infra/*', '../pipelines/*', '../dashboards/*', '../sandbox/*', '../test/*'],
              message: 'services/ is the plain model: it may import nothing else in this repository',
            },
            { group: ['@aws-sdk/*', '@pulumi/*'], message: 'services/ is plain data: no AWS SDK, no Pulumi' },
          ],
        },
      ],
    },
  },
  {
    // The shared definitions and the sandbox must not load Pulumi (types only), so `tdr sandbox` stays fast.
    files: ['infra/definitions/**/*.ts', 'sandbox/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@pulumi/*'],
              allowTypeImports: true,
              message: 'Pulumi types only: this code runs without Pulumi.',
            },
            {
              group: [
                '**/components/*',
                '**/accounts/*',
                '!**/accounts/settings',
                '**/infra/synth',
                '**/infra/program',
              ],
              message: 'these load Pulumi; share a pure function through infra/definitions instead.',
            },
          ],
        },
      ],
    },
  },
  {
    // Size is a smell, not a defect: warn so that a long file or function gets a second look.
    files: ['**/*.ts'],
    ignores: TESTS,
    rules: {
      'max-lines': ['warn', { max: 400, skipBlankLines: true, skipComments: true }],
      'max-lines-per-function': ['warn', { max: 80, skipBlankLines: true, skipComments: true }],
    },
  },
);
