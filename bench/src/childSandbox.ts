/**
 * A sandbox in a process of its own, for measurements that must not share a process (its CPU, its
 * heap, its garbage collections) with the code they measure. The child writes one JSON line once
 * it serves and stops when its standard input closes (the parent ended or let go of it).
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/** Starts `script` (a compiled bench file) with `args`; resolves with its first stdout line, parsed. */
export async function startChildSandbox<T>(
  script: string,
  args: string[],
): Promise<T & { stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [script, ...args], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const lines = createInterface({ input: child.stdout });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`${script} exited (${code})`)));
  });
  lines.close();
  return {
    ...(JSON.parse(first) as T),
    stop: async () => {
      child.stdin.end();
      await exited;
    },
  };
}

/** In the child: prints `info` as the first line, then serves until stdin closes, then `stop()`. */
export async function serveUntilStdinEnds(info: unknown, stop: () => Promise<void>): Promise<void> {
  process.stdout.write(`${JSON.stringify(info)}\n`);
  process.stdin.resume();
  await new Promise((resolve) => process.stdin.once('end', resolve));
  await stop();
}

/** Runs `main` when `module` is the process's entry point; exits 1 with its error. */
export function runChild(module: NodeModule, name: string, main: () => Promise<void>): void {
  if (require.main !== module) return;
  main().catch((e: unknown) => {
    process.stderr.write(`${name}: ${(e as Error).message}\n`);
    process.exit(1);
  });
}
