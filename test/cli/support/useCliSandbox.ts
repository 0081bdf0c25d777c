import type { Sandbox, SandboxSnapshot } from '@hyperpod/sandbox';
import { buildCli } from './runCli';
import { sandboxFleet, type SandboxFleet } from './sandboxFleet';

/** What a CLI test file runs against; filled in before its first test (useCliSandbox). */
export interface CliSandbox {
  sb: Sandbox;
  fleet: SandboxFleet;
  /** The CLI's environment: the fleet's, and `extraEnv`. */
  env: Record<string, string>;
  /** The sandbox as it started, for tests that must leave it as they found it. */
  before: SandboxSnapshot;
}

/**
 * For a test file of the built CLI against one sandbox: builds the CLI, starts the sandbox with
 * `start` and writes its fleet files (sandboxFleet) before the tests, clears the failures a test
 * injected after each, and stops the sandbox after the file.
 */
export function useCliSandbox(
  start: () => Promise<Sandbox>,
  extraEnv: (fleet: SandboxFleet) => Record<string, string> = () => ({}),
): CliSandbox {
  const t = {} as CliSandbox;
  beforeAll(async () => {
    buildCli();
    t.sb = await start();
    t.fleet = await sandboxFleet(t.sb);
    t.env = { ...t.fleet.env, ...extraEnv(t.fleet) };
    t.before = t.sb.snapshot();
  }, 240_000);
  afterAll(async () => {
    await t.sb?.stop();
  });
  afterEach(() => {
    t.sb?.services.eks.clearFailures();
  });
  return t;
}
