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
);
