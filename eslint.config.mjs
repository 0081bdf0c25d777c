import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '.tools/**',
      'coverage/**',
      'test-results/**',
      'dist-types/**',
      '**/dist.tsc/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    // The frontend (plugin and app) runs in the browser and imports only the core.
    files: ['plugins/hyperpod/src/**/*.{ts,tsx}', 'packages/app/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                'node:*',
                '@hyperpod/core-node',
                '@hyperpod/sandbox',
                '@hyperpod/plugin-hyperpod-backend',
                '@aws-sdk/*',
                '@kubernetes/*',
              ],
              message:
                'The frontend imports only @hyperpod/core (types, contract, pure functions).',
            },
          ],
        },
      ],
    },
  },
  {
    // The core is isomorphic: no Node built-ins, no adapters, no faces.
    files: ['packages/core/src/**/*.ts'],
    ignores: ['packages/core/src/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                'node:*',
                'fs',
                'path',
                'os',
                'http',
                'https',
                'zlib',
                'crypto',
                'child_process',
                'net',
                'stream',
                'util',
                'url',
              ],
              message: 'packages/core is isomorphic: no Node built-ins.',
            },
            {
              group: ['@hyperpod/core-node', '@hyperpod/sandbox', '@aws-sdk/*', '@kubernetes/*'],
              message: 'packages/core imports no adapter.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['packages/core-node/src/**/*.ts'],
    ignores: ['packages/core-node/src/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@hyperpod/sandbox'], message: 'production code never imports the sandbox.' },
          ],
        },
      ],
    },
  },
);
