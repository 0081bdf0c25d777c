/**
 * One jest run, two projects: `node` (every package's unit tests and the cross-package tests in
 * test/) and `frontend` (the Backstage frontend plugin and app: jsdom, TSX).
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- jest reads this file as CommonJS
const path = require('node:path');

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

/** The workspace packages by name, as their sources (their package.json exports point at dist/). */
const moduleNameMapper = {
  '^@hyperpod/(core|core-node|sandbox)$': '<rootDir>/packages/$1/src',
  '^@hyperpod/sandbox/testing$': '<rootDir>/packages/sandbox/src/testing',
  '^@hyperpod/backend/testing$': '<rootDir>/packages/backend/src/testing',
  '^kubectl-hyperpod/testing$': '<rootDir>/cli/src/testing',
  '^@hyperpod/plugin-hyperpod-backend$': '<rootDir>/plugins/hyperpod-backend/src',
  '^@hyperpod/plugin-hyperpod$': '<rootDir>/plugins/hyperpod/src',
  '\\.(css|svg|png)$': '<rootDir>/test/support/fileStub.js',
};

/**
 * The real-chart suites (test/real-charts, test/helm/real) need the real upstream charts, reached only
 * through REAL_CHARTS_DIR (`.ci/run` sets it). Without it the suite is left out and the run says
 * so; set, it is made absolute for the workers, and a missing folder fails the suite.
 */
const REAL_CHARTS = (() => {
  const dir = process.env.REAL_CHARTS_DIR;
  if (!dir) {
    process.stderr.write(
      'jest: REAL_CHARTS_DIR is not set: the real-chart suites (test/real-charts, test/helm/real) DID NOT RUN. ' +
        'Run it with REAL_CHARTS_DIR=<folder of the real charts> (as .ci/run does).\n',
    );
    return { ignore: ['/test/real-charts/', '/test/helm/real/'] };
  }
  process.env.REAL_CHARTS_DIR = path.resolve(dir);
  return { ignore: [] };
})();

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
  testSequencer: '<rootDir>/test/support/longestFirst.js',
  projects: [
    {
      displayName: 'node',
      testEnvironment: 'node',
      roots: ['<rootDir>/packages', '<rootDir>/plugins', '<rootDir>/test'],
      testMatch: ['**/*.test.ts'],
      testPathIgnorePatterns: [
        '/node_modules/',
        '/plugins/hyperpod/',
        '/packages/app/',
        ...REAL_CHARTS.ignore,
      ],
      transform: { '^.+\\.(t|j|mj)s$': swc },
      // @kubernetes/client-node and its auth stack are ESM-only.
      transformIgnorePatterns: [
        '/node_modules/(?!(@kubernetes/client-node|openid-client|oauth4webapi|jose|socks-proxy-agent|agent-base)/)',
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
