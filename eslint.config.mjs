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
);
