/**
 * A demo sandbox in a process of its own (childSandbox.ts), for the CLI start measurements: the
 * CLI's requests are answered by a process that does nothing else.
 *
 *   node bench/dist/demoSandboxProcess.js CLUSTER
 */
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
