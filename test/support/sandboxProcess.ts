/**
 * Runs `hyperpod-sandbox` as a separate process, the way users run it, and reads the
 * sandbox.json it writes. Needs the compiled package (`npm run build`, done by `npm test`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const SANDBOX_CLI = resolve(__dirname, '../../packages/sandbox/dist/cli.js');

export interface SandboxInfo {
  scenario: string;
  awsEndpoint: string;
  control: { endpoint: string; token: string };
  accounts: { accountId: string; alias: string; accessKeyId: string; secretAccessKey: string }[];
  clusters: {
    name: string;
    accountId: string;
    region: string;
    arn: string;
    server: string;
    token: string;
    context: string;
  }[];
  files: {
    kubeconfig: string;
    kubeconfigEks: string;
    awsConfig: string;
    awsCredentials: string;
    env: string;
    json: string;
    appConfig: string;
  };
}

export interface SandboxProcess {
  child: ChildProcess;
  info: SandboxInfo;
  outDir: string;
  stderr: () => string;
  control<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }>;
  stop(): Promise<number | null>;
}

export async function startSandboxProcess(
  args: string[] = [],
  nodeArgs: string[] = [],
): Promise<SandboxProcess> {
  if (!existsSync(SANDBOX_CLI))
    throw new Error(`${SANDBOX_CLI} is missing: run \`npm run build\` first`);
  const outDir = mkdtempSync(join(tmpdir(), 'hyperpod-sandbox-'));
  const child = spawn(process.execPath, [...nodeArgs, SANDBOX_CLI, '--out', outDir, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  child.stdout!.resume();
  await new Promise<void>((resolveReady, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`sandbox did not start within 30 s:\n${err}`)),
      30_000,
    );
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`sandbox exited with ${code}:\n${err}`));
    });
    child.stderr!.on('data', () => {
      if (err.includes('Press Ctrl+C to stop.')) {
        clearTimeout(timer);
        resolveReady();
      }
    });
  });
  child.removeAllListeners('exit');
  const info = JSON.parse(readFileSync(join(outDir, 'sandbox.json'), 'utf8')) as SandboxInfo;
  return {
    child,
    info,
    outDir,
    stderr: () => err,
    async control<T>(method: string, path: string, body?: unknown) {
      const res = await fetch(info.control.endpoint + path, {
        method,
        headers: {
          authorization: `Bearer ${info.control.token}`,
          'content-type': 'application/json',
        },
        body:
          body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as T };
    },
    stop() {
      return new Promise((r) => {
        if (child.exitCode !== null) return r(child.exitCode);
        child.once('exit', (code) => r(code));
        child.kill('SIGTERM');
      });
    },
  };
}
