/**
 * A demo sandbox in a process of its own, for measurements that must not share a process (its
 * heap, its garbage collections) with the benchmark that drives them: the CLI cold start in
 * fleetScan.ts. Writes one JSON line (`DemoSandbox`) to stdout once it serves, and stops when its
 * standard input closes (the parent ended or let go of it).
 *
 *   node bench/dist/demoSandboxProcess.js CLUSTER
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Sandbox } from '@hyperpod/sandbox';

export interface DemoSandbox {
  /** A kubeconfig for the sandbox's clusters (static tokens), `cluster`'s context current. */
  kubeconfig: string;
  /** AWS settings (endpoint, credentials, region) for `cluster`'s account. */
  awsEnv: Record<string, string>;
  context: string;
  name: string;
}

/**
 * The environment for running the CLI against `sb` from `dir`: its kubeconfig written to
 * `dir/kubeconfig`, the account's AWS settings, no colour, the CLI's caches in `dir/cache`.
 */
export function cliEnvFor(sb: DemoSandbox, dir: string): NodeJS.ProcessEnv {
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, sb.kubeconfig);
  return {
    ...process.env,
    ...sb.awsEnv,
    KUBECONFIG: kubeconfig,
    NO_COLOR: '1',
    KUBECTL_HYPERPOD_CACHE_DIR: join(dir, 'cache'),
  };
}

/** Starts a demo sandbox process; `stop()` ends it. */
export async function startDemoSandboxProcess(
  cluster: string,
): Promise<DemoSandbox & { stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [__filename, cluster], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const lines = createInterface({ input: child.stdout });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`demo sandbox process exited (${code})`)));
  });
  lines.close();
  const info = JSON.parse(first) as DemoSandbox;
  return {
    ...info,
    stop: async () => {
      child.stdin.end();
      await exited;
    },
  };
}

async function main(cluster: string): Promise<void> {
  const sb = await Sandbox.start({ scenario: 'demo', addonTransitionMs: 50 });
  const c = sb.cluster(cluster);
  const info: DemoSandbox = {
    kubeconfig: sb.kubeconfig(c.context),
    awsEnv: sb.awsEnv(c.accountId, c.region),
    context: c.context,
    name: c.name,
  };
  process.stdout.write(`${JSON.stringify(info)}\n`);
  process.stdin.resume();
  await new Promise((resolve) => process.stdin.once('end', resolve));
  await sb.stop();
}

if (require.main === module)
  main(process.argv[2] ?? 'ml-prod-use1').catch((e: unknown) => {
    process.stderr.write(`demo sandbox: ${(e as Error).message}\n`);
    process.exit(1);
  });
