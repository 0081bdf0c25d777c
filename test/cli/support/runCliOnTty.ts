import { spawn } from 'node:child_process';
import { CLI_BIN } from './runCli';

/**
 * Runs the CLI on a terminal (util-linux `script` gives it a pseudo-terminal for stdin, stdout
 * and stderr). After each output `keysFor(screen)` says what to type now (undefined: nothing);
 * the keys go one at a time, as typed, since prompts read keypresses.
 */
export function runCliOnTty(
  args: string[],
  env: Record<string, string>,
  keysFor: (screen: string) => string | undefined,
): Promise<{ code: number | null; screen: string }> {
  const quote = (w: string) => `'${w.replace(/'/g, `'\\''`)}'`;
  const command = [process.execPath, CLI_BIN, ...args].map(quote).join(' ');
  return new Promise((resolve) => {
    const child = spawn('script', ['-qefc', command, '/dev/null'], {
      env: { ...env, NO_COLOR: '1' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let screen = '';
    const onData = (d: Buffer) => {
      screen += d.toString();
      const keys = keysFor(screen);
      if (keys === undefined) return;
      keys.split(/(?=\r)/).forEach((k, i) => setTimeout(() => child.stdin.write(k), 50 * (i + 1)));
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const timer = setTimeout(() => child.kill(), 100_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      child.stdin.end();
      resolve({ code, screen });
    });
  });
}
