/**
 * A demo sandbox in a process of its own (childSandbox.ts), for the CLI start measurements: the
 * CLI's requests are answered by a process that does nothing else.
 *
 *   node bench/dist/demoSandboxProcess.js CLUSTER
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Sandbox } from '@hyperpod/sandbox';
import { runChild, serveUntilStdinEnds, startChildSandbox } from './childSandbox';

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
export function startDemoSandboxProcess(
  cluster: string,
): Promise<DemoSandbox & { stop: () => Promise<void> }> {
  return startChildSandbox<DemoSandbox>(__filename, [cluster]);
}

runChild(module, 'demo sandbox', async () => {
  const sb = await Sandbox.start({ scenario: 'demo', addonTransitionMs: 50 });
  const c = sb.cluster(process.argv[2] ?? 'ml-prod-use1');
  const info: DemoSandbox = {
    kubeconfig: sb.kubeconfig(c.context),
    awsEnv: sb.awsEnv(c.accountId, c.region),
    context: c.context,
    name: c.name,
  };
  await serveUntilStdinEnds(info, () => sb.stop());
});
