/**
 * The whole portal for browser tests: `scripts/start.mjs` (demo sandbox, backend on :7007, app
 * dev server on :3000) as its own process group, and Debian's Chromium driven by playwright-core
 * with the flags of ENVIRONMENT.md. Stopping always ends the group, even after a failed start.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';

export const APP_URL = 'http://localhost:3000';

const ROOT = join(__dirname, '..', '..');

/**
 * Chromium with a fresh profile and the project's flags (scripts/lib/chromium.cjs, one home for
 * the browser tests, the page benchmark and the create-app check).
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const { launchChromium } = require('../../scripts/lib/chromium.cjs') as {
  launchChromium(): Promise<Browser>;
};

export interface PortalStack {
  /** Everything start.mjs printed, for a failure message. */
  output(): string;
  stop(): Promise<void>;
}

/** Starts `node scripts/start.mjs` (expects `tsc -b` done) and resolves once it says ready. */
export async function startPortal(timeoutMs = 240_000): Promise<PortalStack> {
  const child: ChildProcess = spawn(process.execPath, [join(ROOT, 'scripts/start.mjs')], {
    cwd: ROOT,
    // Jest sets NODE_ENV=test, which the app's dev server (its browserslist) refuses; the portal
    // runs as `npm start` runs it.
    env: { ...withoutNodeEnv(process.env), BROWSER: 'none' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let log = '';
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    // start.mjs stops its children's groups on SIGTERM; the group signal also reaches it.
    signalGroup(child, 'SIGTERM');
    const timer = new Promise<void>((resolve) => setTimeout(resolve, 15_000).unref());
    await Promise.race([exited, timer]);
    signalGroup(child, 'SIGKILL');
  };

  const ready = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    const check = () => {
      if (/portal ready after/.test(log)) {
        clearTimeout(timer);
        resolve(true);
      }
    };
    child.stderr!.on('data', check);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(false);
    });
  });
  // start.mjs can print ready while it is stopping after a child failed: ask the app too.
  const answering =
    ready &&
    (await fetch(APP_URL)
      .then((r) => r.ok)
      .catch(() => false));
  if (!answering || child.exitCode !== null) {
    await stop();
    throw new Error(`the portal did not start:\n${log}`);
  }
  return { output: () => log, stop };
}

function withoutNodeEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const rest = { ...env };
  delete rest.NODE_ENV;
  return rest;
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}
