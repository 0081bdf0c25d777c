/**
 * One jest run, two projects: `node` (every package's unit tests and the cross-package tests in
 * test/) and `frontend` (the Backstage frontend plugin and app: jsdom, TSX).
 */
const swc = [
  '@swc/jest',
  {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
  },
];

/** TSX (the frontend plugin and the app): React's automatic runtime. */
const swcTsx = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', tsx: true },
      target: 'es2022',
      transform: { react: { runtime: 'automatic' } },
    },
    module: { type: 'commonjs' },
  },
];

const moduleNameMapper = {
  '^@hyperpod/(core|core-node|sandbox)$': '<rootDir>/packages/$1/src',
  '^@hyperpod/plugin-hyperpod-backend$': '<rootDir>/plugins/hyperpod-backend/src',
  '^@hyperpod/plugin-hyperpod$': '<rootDir>/plugins/hyperpod/src',
  '\\.(css|svg|png)$': '<rootDir>/test/support/fileStub.js',
};

const FRONTEND = ['<rootDir>/plugins/hyperpod', '<rootDir>/packages/app'];

/**
 * Backstage's frontend packages and much of what they import (react-markdown's unified chain,
 * react-use/esm, @react-hookz) ship ES modules only: transform every module except known big
 * CommonJS ones, as @backstage/cli's own jest config does.
 */
const FRONTEND_CJS = [
  '@material-ui',
  'ajv',
  'core-js',
  'jest-.*',
  'jsdom',
  'knex',
  'react',
  'react-dom',
  'highlight\\.js',
  'prismjs',
  'json-schema',
  'react-use/lib',
  'typescript',
].join('|');

module.exports = {
  testTimeout: 60000,
  maxWorkers: 2,
  projects: [
    {
      displayName: 'node',
      testEnvironment: 'node',
      roots: ['<rootDir>/packages', '<rootDir>/plugins', '<rootDir>/test'],
      testMatch: ['**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '/plugins/hyperpod/', '/packages/app/'],
      transform: { '^.+\\.(t|j|mj)s$': swc },
      // @kubernetes/client-node and its auth stack are ESM-only.
      transformIgnorePatterns: [
        '/node_modules/(?!(@kubernetes/client-node|openid-client|oauth4webapi|jose)/)',
      ],
      moduleNameMapper,
    },
    {
      displayName: 'frontend',
      testEnvironment: 'jsdom',
      roots: FRONTEND,
      testMatch: ['**/*.test.ts', '**/*.test.tsx'],
      transform: { '^.+\\.tsx$': swcTsx, '^.+\\.(t|j|mj|cj)s$': swc },
      transformIgnorePatterns: [`/node_modules/(?:${FRONTEND_CJS})/`],
      setupFilesAfterEnv: ['<rootDir>/test/support/jestSetup.ts'],
      moduleNameMapper,
    },
  ],
};
