/**
 * DESIGN.md's "What may never import what", as eslint.config.mjs enforces it: one deliberate
 * violation of each rule, linted as if it were a file at that place in the repo, is an error with
 * that rule's message; the imports the rules leave allowed stay clean. ESLint runs in a child
 * process (it loads its flat config as an ES module, which jest's module sandbox does not).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

interface Case {
  /** Where the snippet is linted as if it were, from the repo root. */
  file: string;
  /** What it imports. */
  from: string;
  /** A piece of the rule's message it must fail with; undefined: allowed, no import error. */
  fails?: string;
}

const CORE_ISOMORPHIC = 'packages/core is isomorphic';
const CORE_NO_REACT = 'packages/core imports no React';
const CORE_NO_BACKSTAGE = 'packages/core imports no Backstage';
const CORE_NO_ADAPTER = 'packages/core imports no adapter';
const CORE_NO_SANDBOX = 'packages/core, its tests too, imports no sandbox';
const NO_FACE = 'Adapters never import a face';
const NO_SANDBOX = 'Production code never imports the sandbox';
const FRONTEND_CORE_ONLY = 'The frontend imports only @hyperpod/core';
const OTHER_SRC = "No package imports another package's src/";
const TEST_BY_NAME = 'Tests and benchmarks import a package by its name';

const RULES = [
  CORE_ISOMORPHIC,
  CORE_NO_REACT,
  CORE_NO_BACKSTAGE,
  CORE_NO_ADAPTER,
  CORE_NO_SANDBOX,
  NO_FACE,
  NO_SANDBOX,
  FRONTEND_CORE_ONLY,
  OTHER_SRC,
  TEST_BY_NAME,
];

const CASES: Case[] = [
  // core: no Node built-in, no React, no Backstage, no adapter, no sandbox (tests too), no face.
  { file: 'packages/core/src/x.ts', from: 'node:fs', fails: CORE_ISOMORPHIC },
  { file: 'packages/core/src/x.ts', from: 'crypto', fails: CORE_ISOMORPHIC },
  { file: 'packages/core/src/x.ts', from: 'react', fails: CORE_NO_REACT },
  { file: 'packages/core/src/x.ts', from: '@material-ui/core', fails: CORE_NO_REACT },
  {
    file: 'packages/core/src/x.ts',
    from: '@backstage/plugin-permission-common',
    fails: CORE_NO_BACKSTAGE,
  },
  { file: 'packages/core/src/x.ts', from: '@aws-sdk/client-eks', fails: CORE_NO_ADAPTER },
  { file: 'packages/core/src/x.ts', from: '@kubernetes/client-node', fails: CORE_NO_ADAPTER },
  { file: 'packages/core/src/x.ts', from: '@hyperpod/core-node', fails: CORE_NO_ADAPTER },
  { file: 'packages/core/src/x.ts', from: '@hyperpod/sandbox', fails: CORE_NO_SANDBOX },
  { file: 'packages/core/src/x.test.ts', from: '@hyperpod/sandbox', fails: CORE_NO_SANDBOX },
  {
    file: 'packages/core/src/x.test.ts',
    from: '@hyperpod/sandbox/testing',
    fails: CORE_NO_SANDBOX,
  },
  { file: 'packages/core/src/x.ts', from: 'kubectl-hyperpod', fails: NO_FACE },
  { file: 'packages/core/src/x.ts', from: '@hyperpod/plugin-hyperpod-backend', fails: NO_FACE },
  { file: 'packages/core/src/x.ts', from: 'yaml' },
  // core-node: never a face; the sandbox in its tests only.
  { file: 'packages/core-node/src/aws/x.ts', from: 'kubectl-hyperpod', fails: NO_FACE },
  { file: 'packages/core-node/src/aws/x.ts', from: '@hyperpod/backend', fails: NO_FACE },
  { file: 'packages/core-node/src/aws/x.ts', from: '../../../../cli/x', fails: NO_FACE },
  { file: 'packages/core-node/src/aws/x.ts', from: '@hyperpod/sandbox', fails: NO_SANDBOX },
  { file: 'packages/core-node/src/aws/x.test.ts', from: '@hyperpod/sandbox' },
  { file: 'packages/core-node/src/aws/x.ts', from: '@hyperpod/core' },
  // The CLI and the backends are production code: no sandbox outside their tests.
  { file: 'cli/src/x.ts', from: '@hyperpod/sandbox', fails: NO_SANDBOX },
  { file: 'packages/backend/src/x.ts', from: '@hyperpod/sandbox', fails: NO_SANDBOX },
  { file: 'plugins/hyperpod-backend/src/x.ts', from: '@hyperpod/sandbox', fails: NO_SANDBOX },
  { file: 'plugins/hyperpod-backend/src/x.test.ts', from: '@hyperpod/sandbox' },
  // The frontend imports only the core.
  { file: 'plugins/hyperpod/src/x.ts', from: '@hyperpod/core-node', fails: FRONTEND_CORE_ONLY },
  { file: 'packages/app/src/x.tsx', from: 'node:path', fails: FRONTEND_CORE_ONLY },
  { file: 'plugins/hyperpod/src/x.ts', from: '@hyperpod/core' },
  // No package imports another package's src/ (or dist/), by path or by name.
  {
    file: 'packages/sandbox/src/kube/x.ts',
    from: '../../../core/src/helm/base64',
    fails: OTHER_SRC,
  },
  { file: 'cli/src/x.ts', from: '../../packages/core-node/src', fails: OTHER_SRC },
  {
    file: 'plugins/hyperpod-backend/src/x.ts',
    from: '@hyperpod/core/dist/index',
    fails: OTHER_SRC,
  },
  { file: 'packages/sandbox/src/kube/x.ts', from: './KubeCluster' },
  // Tests and benchmarks name the packages they use, never a path into one.
  {
    file: 'test/kube/x.test.ts',
    from: '../../packages/sandbox/src/kube/KubeCluster',
    fails: TEST_BY_NAME,
  },
  { file: 'test/helm/real/x.ts', from: '../../../packages/core/src', fails: TEST_BY_NAME },
  { file: 'test/cli/x.test.ts', from: '../../cli/src/krew', fails: TEST_BY_NAME },
  {
    file: 'test/portal/x.ts',
    from: '../../plugins/hyperpod-backend/src/router',
    fails: TEST_BY_NAME,
  },
  { file: 'bench/src/x.ts', from: '@hyperpod/backend/dist/policy', fails: TEST_BY_NAME },
  { file: 'test/kube/x.test.ts', from: '@hyperpod/sandbox/testing' },
  { file: 'test/permissions/x.test.ts', from: '../cli/support/runCli' },
];

interface Linted {
  file: string;
  from: string;
  messages: { ruleId: string | null; message: string }[];
}

/** Lints every case in one child process, with the repo's own config. */
function lintAll(cases: Case[]): Linted[] {
  const script = `
    import { ESLint } from 'eslint';
    import path from 'node:path';
    const cases = JSON.parse(process.argv[1]);
    const eslint = new ESLint({ cwd: process.cwd() });
    const out = [];
    for (const c of cases) {
      const code = "import { it as x } from '" + c.from + "';\\nexport const y = x;\\n";
      const [r] = await eslint.lintText(code, { filePath: path.join(process.cwd(), c.file) });
      out.push({ file: c.file, from: c.from, messages: r.messages.map((m) => ({ ruleId: m.ruleId, message: m.message })) });
    }
    process.stdout.write(JSON.stringify(out));
  `;
  const stdout = execFileSync(
    process.execPath,
    ['--input-type=module', '-e', script, JSON.stringify(cases)],
    { cwd: ROOT, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
  );
  return JSON.parse(stdout) as Linted[];
}

describe("the import rules (DESIGN.md's table) as lint enforces them", () => {
  let linted: Linted[];
  beforeAll(() => {
    linted = lintAll(CASES);
  }, 120_000);

  it('fails a deliberate violation of each rule, with that rule', () => {
    const failures = CASES.flatMap((c, i) => (c.fails ? [[c, linted[i]!] as const] : []));
    // Every rule has its violation here.
    expect(new Set(failures.map(([c]) => c.fails))).toEqual(new Set(RULES));
    for (const [c, r] of failures) {
      const errors = r.messages.filter((m) => m.ruleId === 'no-restricted-imports');
      expect({ file: c.file, from: c.from, errors: errors.map((m) => m.message) }).toEqual({
        file: c.file,
        from: c.from,
        errors: expect.arrayContaining([expect.stringContaining(c.fails!)]),
      });
    }
  });

  it('has a case for every rule the config holds', () => {
    const config = readFileSync(path.join(ROOT, 'eslint.config.mjs'), 'utf8');
    const messages = [...config.matchAll(/message:\s*(['"])(.*?)\1,/gs)].map((m) => m[2]!);
    expect(messages.length).toBeGreaterThanOrEqual(RULES.length);
    for (const message of messages)
      expect({ message, covered: RULES.some((r) => message.startsWith(r)) }).toEqual({
        message,
        covered: true,
      });
  });

  it('leaves the imports the rules allow alone', () => {
    const allowed = CASES.flatMap((c, i) => (c.fails ? [] : [[c, linted[i]!] as const]));
    expect(allowed.length).toBeGreaterThan(5);
    for (const [c, r] of allowed)
      expect({ file: c.file, from: c.from, messages: r.messages }).toEqual({
        file: c.file,
        from: c.from,
        messages: [],
      });
  });
});
