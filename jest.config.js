/** One jest run for every package's unit tests and the cross-package tests in test/. */
const swc = [
  '@swc/jest',
  {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
  },
];

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/packages', '<rootDir>/plugins', '<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.(t|j|mj)s$': swc },
  // @kubernetes/client-node and its auth stack are ESM-only.
  transformIgnorePatterns: [
    '/node_modules/(?!(@kubernetes/client-node|openid-client|oauth4webapi|jose)/)',
  ],
  moduleNameMapper: {
    '^@hyperpod/(core|core-node|sandbox)$': '<rootDir>/packages/$1/src',
    '^@hyperpod/plugin-hyperpod-backend$': '<rootDir>/plugins/hyperpod-backend/src',
  },
  testTimeout: 60000,
  maxWorkers: 2,
};
