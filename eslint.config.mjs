import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import { builtinModules } from 'node:module';

/*
 * DESIGN.md's "What may never import what", as import rules. In a flat config the last block that
 * sets a rule for a file wins whole, so each block below lists every restriction for its files.
 */
const OTHER_PACKAGE_SRC = {
  // A relative path that climbs out of its package's src/ and names a src/ (or dist/): another
  // package's insides. Import the package by its name instead.
  regex: '^(\\.\\./)+(.+/)?(src|dist)(/|$)|^(@hyperpod/[^/]+|kubectl-hyperpod)/(src|dist)(/|$)',
  message: "No package imports another package's src/ (or dist/): import the package by its name.",
};
const PACKAGE_SRC_BY_PATH = {
  // test/ and bench/ are packages too: they name what they use (a package's `testing` entry for
  // the insides tests drive), never a path into packages/*, plugins/* or cli.
  regex:
    '^(\\.\\./)+(packages/[^/]+|plugins/[^/]+|cli)/(src|dist)(/|$)|^(@hyperpod/[^/]+|kubectl-hyperpod)/(src|dist)(/|$)',
  message:
    "Tests and benchmarks import a package by its name (@hyperpod/sandbox/testing for the sandbox's parts), never its src/ or dist/ by path.",
};
const NODE_BUILTINS = {
  regex: `^(node:.*|(${builtinModules.filter((m) => !m.startsWith('_')).join('|')})(/.*)?)$`,
  message: 'packages/core is isomorphic: no Node built-ins.',
};
const REACT = {
  group: [
    'react',
    'react/*',
    'react-dom',
    'react-dom/*',
    '@material-ui/*',
    'react-use',
    'react-use/*',
  ],
  message: 'packages/core imports no React: it runs in the browser and in Node alike.',
};
const BACKSTAGE = {
  group: ['@backstage/*'],
  message:
    'packages/core imports no Backstage package (permissions are plain data shaped like theirs).',
};
const ADAPTERS = {
  group: [
    '@hyperpod/core-node',
    '@hyperpod/core-node/*',
    '@aws-sdk/*',
    '@smithy/*',
    '@kubernetes/*',
  ],
  message: 'packages/core imports no adapter: adapters implement its ports in packages/core-node.',
};
const SANDBOX = {
  group: ['@hyperpod/sandbox', '@hyperpod/sandbox/*'],
  message: 'Production code never imports the sandbox (tests, the demo wiring and benchmarks do).',
};
const CORE_NO_SANDBOX = {
  group: ['@hyperpod/sandbox', '@hyperpod/sandbox/*'],
  message:
    'packages/core, its tests too, imports no sandbox (the sandbox imports the core): tests that need both live in test/.',
};
const FACES = {
  regex:
    '^(kubectl-hyperpod|@hyperpod/(plugin-hyperpod|plugin-hyperpod-backend|app|backend))(/.*)?$|^(\\.\\./)+(cli|plugins|packages/(app|backend))(/|$)',
  message: 'Adapters never import a face (cli, plugins, app, backend): faces import them.',
};
const CORE_ONLY_FRONTEND = {
  group: [
    'node:*',
    '@hyperpod/core-node',
    '@hyperpod/sandbox',
    '@hyperpod/plugin-hyperpod-backend',
    '@aws-sdk/*',
    '@kubernetes/*',
  ],
  message: 'The frontend imports only @hyperpod/core (types, contract, pure functions).',
};

const restrict = (...patterns) => ({
  'no-restricted-imports': ['error', { patterns }],
});

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
    // The cross-package tests and the benchmarks: packages by name only.
    files: ['test/**/*.{ts,tsx,js,mjs,cjs}', 'bench/src/**/*.ts'],
    rules: restrict(PACKAGE_SRC_BY_PATH),
  },
  {
    // Every package's own code: no reaching into another package.
    files: ['packages/*/src/**/*.{ts,tsx}', 'plugins/*/src/**/*.{ts,tsx}', 'cli/src/**/*.ts'],
    rules: restrict(OTHER_PACKAGE_SRC),
  },
  {
    // The frontend (plugin and app) runs in the browser and imports only the core.
    files: ['plugins/hyperpod/src/**/*.{ts,tsx}', 'packages/app/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: restrict(OTHER_PACKAGE_SRC, CORE_ONLY_FRONTEND),
  },
  {
    // The core is isomorphic, its tests included: no Node built-ins, no React, no Backstage, no
    // adapters, no sandbox (cross-package tests live in test/).
    files: ['packages/core/src/**/*.ts'],
    rules: restrict(
      OTHER_PACKAGE_SRC,
      NODE_BUILTINS,
      REACT,
      BACKSTAGE,
      ADAPTERS,
      CORE_NO_SANDBOX,
      FACES,
    ),
  },
  {
    // Adapters import the core, never a face; their tests may run on the sandbox.
    files: ['packages/core-node/src/**/*.ts'],
    rules: restrict(OTHER_PACKAGE_SRC, FACES),
  },
  {
    files: ['packages/core-node/src/**/*.ts'],
    ignores: ['packages/core-node/src/**/*.test.ts'],
    rules: restrict(OTHER_PACKAGE_SRC, FACES, SANDBOX),
  },
  {
    // The CLI and the backend are production code: no sandbox outside their tests.
    files: [
      'cli/src/**/*.ts',
      'plugins/hyperpod-backend/src/**/*.ts',
      'packages/backend/src/**/*.ts',
    ],
    ignores: ['**/*.test.ts'],
    rules: restrict(OTHER_PACKAGE_SRC, SANDBOX),
  },
);
