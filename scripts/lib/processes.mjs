// Child processes of a script that starts servers: short commands that must succeed, long-lived
// children in their own process groups with their output in log files, waiting for a condition
// while watching that a child has not died, and a free port.
import { execFileSync, spawn } from 'node:child_process';
import { appendFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** `env`: every child's environment; `logDir`: where the long-lived children's logs go. */
export function processes(env, logDir) {
  const children = [];

  /** A command that must succeed; its output goes to ours. */
  const run = (file, argv, cwd, extra = {}) =>
    execFileSync(file, argv, {
      cwd,
      env: { ...env, ...extra },
      stdio: ['ignore', 'inherit', 'inherit'],
      maxBuffer: 1 << 26,
    });

  /** A long-lived child in its own process group; its output goes to `<logDir>/<name>.log`. */
  function start(name, file, argv, cwd, extra = {}) {
    const logFile = join(logDir, `${name}.log`);
    writeFileSync(logFile, '');
    const child = spawn(file, argv, {
      cwd,
      env: { ...env, ...extra },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const onData = (d) => {
      output += d.toString();
      appendFileSync(logFile, d);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const exited = new Promise((r) => child.once('exit', r));
    const stop = async () => {
      if (child.exitCode === null && child.signalCode === null && child.pid) {
        try {
          process.kill(-child.pid, 'SIGTERM');
        } catch {
          /* already gone */
        }
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      }
    };
    const entry = { name, child, logFile, output: () => output, stop };
    children.push(entry);
    return entry;
  }

  /** Every child still running, the last started first. */
  const stopAll = async () => {
    for (const entry of [...children].reverse()) await entry.stop();
  };

  /** Polls `test` until it returns a truthy value; fails when `entry` exits first, or on time. */
  const waitFor = async (what, test, timeoutMs, entry) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await test();
      if (value) return value;
      if (entry && entry.child.exitCode !== null)
        throw new Error(
          `${entry.name} exited (${entry.child.exitCode}) before ${what}:\n${entry.output().slice(-4000)}`,
        );
      if (Date.now() > deadline)
        throw new Error(
          `timed out after ${timeoutMs / 1000}s waiting for ${what}${entry ? `; see ${entry.logFile}` : ''}`,
        );
      await new Promise((r) => setTimeout(r, 500));
    }
  };

  return { run, start, stopAll, waitFor, children };
}

/** A TCP port on 127.0.0.1 that nothing listens on now. */
export const freePort = () =>
  new Promise((res, rej) => {
    const server = createServer();
    server.unref();
    server.on('error', rej);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => res(port));
    });
  });
