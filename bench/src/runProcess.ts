/** Runs a command to its end from the repository's root: its wall time, exit code and output. */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const REPO = resolve(__dirname, '..', '..');

export interface ProcessRun {
  ms: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runProcess(
  cmd: string,
  argv: string[],
  env: NodeJS.ProcessEnv,
): Promise<ProcessRun> {
  return new Promise((done, fail) => {
    const t0 = performance.now();
    const p = spawn(cmd, argv, { env, cwd: REPO });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('error', fail);
    p.on('close', (code) => done({ ms: performance.now() - t0, code, stdout, stderr }));
  });
}
