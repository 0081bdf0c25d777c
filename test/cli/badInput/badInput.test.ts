/**
 * The bad-input suite: every input a new user gets wrong in the first hour (flags, names,
 * durations, kubeconfigs, fleet files, credentials, unreachable clusters) against the bundled
 * CLI run as a process on one sandbox fleet. Each case must exit with its documented code, say
 * what is wrong in the first line of stderr, and change nothing in the sandbox.
 */
import { Sandbox, type SandboxSnapshot, type SnapshotDifference } from '@hyperpod/sandbox';
import { buildCli, runCli, type CliResult } from '../support/runCli';
import { sandboxFleet } from '../support/sandboxFleet';
import { BAD_INPUTS, type BadInput, type Ctx } from './cases';
import { writeBadFiles } from './fixtures';

let sb: Sandbox;
let ctx: Ctx;
let before: SandboxSnapshot;
const results = new Map<BadInput, { r: CliResult; changed: SnapshotDifference[] }>();

/** Two at a time: the machine the suite runs on has two cores. */
async function runAll(cases: readonly BadInput[], parallel = 2): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < cases.length) {
      const c = cases[next++]!;
      const r = await runCli(c.args(ctx), c.env ? c.env(ctx) : ctx.fleet.env, 30_000);
      results.set(c, { r, changed: sb.diff(before) });
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
}

beforeAll(async () => {
  buildCli();
  sb = await Sandbox.start({ scenario: 'demo', addonTransitionMs: 50 });
  const fleet = await sandboxFleet(sb);
  ctx = { sb, fleet, files: writeBadFiles(sb, fleet) };
  before = sb.snapshot();
  await runAll(BAD_INPUTS);
}, 600_000);
afterAll(async () => {
  await sb?.stop();
});

it('covers at least 80 distinct bad inputs', () => {
  expect(new Set(BAD_INPUTS.map((c) => c.input)).size).toBe(BAD_INPUTS.length);
  // Distinct as inputs too: no two cases run the same command line in the same environment.
  const key = (c: BadInput) => JSON.stringify([c.args(ctx), c.env?.(ctx) ?? ctx.fleet.env]);
  expect(new Set(BAD_INPUTS.map(key)).size).toBe(BAD_INPUTS.length);
  expect(BAD_INPUTS.length).toBeGreaterThanOrEqual(80);
});

describe.each(BAD_INPUTS.map((c) => [c.input, c] as const))('%s', (_, c) => {
  it(`exits ${c.code} with one error line and a try: line, nothing changed`, () => {
    const { r, changed } = results.get(c)!;
    const lines = r.stderr.trimEnd().split('\n');
    const first = typeof c.first === 'function' ? c.first(ctx) : c.first;
    expect({ code: r.code, first: lines[0] }).toEqual({
      code: c.code,
      first: expect.stringMatching(first),
    });
    // `try:` follows the error line (after a cluster's error, in scans); it is a command.
    const fix = lines.find((l) => l.startsWith('try: '));
    expect(fix).toMatch(/^try: (kubectl|aws|KUBECONFIG=)/);
    if (c.fix) expect(fix).toMatch(typeof c.fix === 'function' ? c.fix(ctx) : c.fix);
    // A refusal changes nothing: no AWS resource, no Kubernetes object, no lock left behind.
    expect(changed).toEqual([]);
  });
});
