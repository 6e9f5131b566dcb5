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
/** The lazy `require()`s that keep `tdr --help` fast are imports too. */
const NO_CLI_SYNTAX = [
  {
    selector: "CallExpression[callee.name='require'] > Literal[value=/^(\\.\\.\\/)+cli(\\/|$)/]",
    message: NO_CLI.message,
  },
  {
    selector: 'TSImportType > Literal[value=/^(\\.\\.\\/)+cli(\\/|$)/]',
    message: NO_CLI.message,
  },
];
const LIBRARIES = [
  'services/**/*.ts',
  'infra/**/*.ts',
  'pipelines/**/*.{ts,tsx}',
  'dashboards/**/*.ts',
  'sandbox/**/*.ts',
];

/**
 * The release engine's parts (pipelines/release/README.md), each allowed to import only the parts
 * below it: the shared kernel at the top of the folder (errors, wait, verdict, notify, compare-link)
 * imports none of them; aws/ (the only modules that speak to AWS) and ledger/ import only the kernel
 * and services/; saga/ adds those two; strategies/ and admin/ add the saga; reads/ may use them all but
 * imports no AWS command that changes anything.
 */
function releaseEngineLayers() {
  const part = (name) => `../${name}/*`;
  const layer = (dir, forbidden, message) => ({
    files: [`pipelines/release/${dir}/**/*.ts`],
    ignores: TESTS,
    rules: {
      'no-restricted-imports': ['error', { patterns: [NO_CLI, { group: forbidden.map(part), message }] }],
    },
  });
  const MUTATING =
    '^(Put|Update|Create|Delete|Register|Deregister|Run|Start|Stop|Continue|Publish|Tag|Untag|Modify|Set|Attach|Detach|Add|Remove|Invoke|Send)\\w*Command$';
  return [
    layer(
      'aws',
      ['saga', 'ledger', 'strategies', 'reads', 'admin', 'train'],
      'aws/ adapters import only services/ and the kernel (errors, wait, verdict)',
    ),
    layer(
      'ledger',
      ['aws', 'saga', 'strategies', 'reads', 'admin', 'train'],
      'ledger/ imports only services/ and the kernel',
    ),
    layer(
      'saga',
      ['strategies', 'reads', 'admin', 'train'],
      'the saga knows no strategy, read or admin command: they plug into it',
    ),
    layer('strategies', ['reads', 'admin', 'train'], 'a strategy uses the saga, aws/ and ledger/ only'),
    layer('admin', ['strategies', 'reads', 'train'], 'admin commands use the saga, aws/ and ledger/ only'),
    layer('reads', ['admin', 'train'], 'reads/ shows what is; it runs no admin command'),
    // Release trains (issue 26) compose what is below them: each member through a strategy's own
    // entry point, the approval through admin/approve; nothing below knows trains.
    layer(
      'train',
      ['reads', 'judge'],
      'a train runs strategies and admin commands; it reads nothing of reads/',
    ),
    layer(
      'hook',
      ['saga', 'ledger', 'strategies', 'reads', 'admin'],
      'the canary hook runs inside Lambda: the judge and aws/cloudwatch.ts only',
    ),
    layer(
      'judge',
      ['aws', 'saga', 'ledger', 'strategies', 'reads', 'admin', 'train'],
      'the canary judge is pure: services/ and the kernel only (its CloudWatch call is aws/cloudwatch.ts)',
    ),
    {
      files: ['pipelines/release/*.ts'],
      ignores: TESTS,
      rules: {
        'no-restricted-imports': [
          'error',
          {
            patterns: [
              NO_CLI,
              {
                group: ['./saga/*', './aws/*', './ledger/*', './strategies/*', './reads/*', './admin/*'],
                message: 'the kernel at the top of pipelines/release imports none of its parts',
              },
            ],
          },
        ],
      },
    },
    {
      files: ['pipelines/release/reads/**/*.ts'],
      ignores: TESTS,
      rules: {
        'no-restricted-syntax': [
          'error',
          ...NO_CLI_SYNTAX,
          {
            selector: `ImportSpecifier[imported.name=/${MUTATING}/]`,
            message: 'reads/ never changes anything: no AWS command that writes',
          },
        ],
      },
    },
  ];
}

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
      'no-restricted-syntax': ['error', ...NO_CLI_SYNTAX],
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
  ...releaseEngineLayers(),
  {
    // CommonJS configuration files (mocha's .mocharc.*.cjs) run in Node as they are.
    files: ['**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', module: 'writable', process: 'readonly', __dirname: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // No source file over 600 lines, tests included (DESIGN.md), counted as `wc -l` counts them.
    // An error rather than a warning: warnings that print on every run stop being read.
    files: ['**/*.{ts,tsx,mjs,cjs}'],
    rules: {
      'max-lines': ['error', { max: 600, skipBlankLines: false, skipComments: false }],
    },
  },
  {
    // A long function gets a second look: one over 80 lines is an error unless it carries an
    // `eslint-disable-next-line max-lines-per-function -- why` saying why its length is its content.
    files: ['**/*.ts'],
    ignores: TESTS,
    rules: {
      'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true }],
    },
  },
);
