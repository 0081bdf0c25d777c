/**
 * Runs the built `kubectl-hyperpod` (cli/bin/run.js) as a child process, the way kubectl runs a
 * plugin, in an environment of the test's making (no AWS or kube settings leak in from the
 * machine running the tests).
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../../..');
export const CLI_BIN = path.join(ROOT, 'cli', 'bin', 'run.js');
/** The version cli/package.json gives the CLI (its tarball's and krew manifest's). */
export const CLI_VERSION = (
  JSON.parse(readFileSync(path.join(ROOT, 'cli', 'package.json'), 'utf8')) as { version: string }
).version;

/** `tsc -b cli` once per test file (incremental: instant when nothing changed). */
export function buildCli(): void {
  execFileSync(
    process.execPath,
    [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-b', 'cli'],
    { cwd: ROOT, stdio: 'pipe' },
  );
  if (!existsSync(path.join(ROOT, 'cli', 'dist', 'commands', 'status.js')))
    throw new Error('cli did not build');
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A clean environment: a temp HOME, no AWS_* or KUBECONFIG from the outside. */
export function cleanEnv(extra: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (
      v === undefined ||
      k.startsWith('AWS_') ||
      k === 'KUBECONFIG' ||
      k === 'NO_COLOR' ||
      k === 'DEBUG'
    )
      continue;
    env[k] = v;
  }
  env.HOME = mkdtempSync(path.join(tmpdir(), 'hyperpod-home-'));
  // No instance metadata lookups from the SDK's default chain in tests.
  env.AWS_EC2_METADATA_DISABLED = 'true';
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) env[k] = v;
  return env;
}

/**
 * Runs a program to completion and never throws: a non-zero exit is a result (`code`), and a
 * program that could not start has code null with the reason in stderr.
 */
export function runProcess(
  file: string,
  args: string[],
  opts: { env: Record<string, string>; cwd?: string; timeoutMs?: number },
): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      {
        env: opts.env,
        cwd: opts.cwd,
        timeout: opts.timeoutMs ?? 60_000,
        maxBuffer: 16 * 1024 * 1024,
      },
      (err, stdout, stderr) => {
        const code = err ? (err as { code?: number | string }).code : 0;
        resolve({
          code: typeof code === 'number' ? code : null,
          stdout,
          stderr: err && typeof code !== 'number' && !stderr ? err.message : stderr,
        });
      },
    );
  });
}

export function runCli(
  args: string[],
  env: Record<string, string>,
  timeoutMs = 60_000,
): Promise<CliResult> {
  return runProcess(process.execPath, [CLI_BIN, ...args], { env, timeoutMs });
}
