// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

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
            '../infra/*',
            '../pipelines/*',
            '../dashboards/*',
            '../cli/*',
            '../test/*',
            '@aws-sdk/*',
            '@pulumi/*',
          ],
        },
      ],
    },
  },
);
