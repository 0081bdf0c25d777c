/**
 * A sandbox cluster for the real charts: one EKS cluster with its AWS side (core add-ons, the
 * HyperPod cluster, the IRSA roles the customer's values name, the TLS bucket), and real helm
 * (v3 or v4) and kubectl driving its API server through a kubeconfig file.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { Sandbox, type SandboxCluster } from '@hyperpod/sandbox';
import { addInferenceCluster } from '@hyperpod/sandbox/testing';
import { helm4Path, helmPath, kubectlPath } from './tools';

export const ACCOUNT = '111111111111';
export const REGION = 'us-east-1';
export const K8S_VERSION = '1.31';

export interface ToolResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RealChartSandbox {
  sb: Sandbox;
  cluster: SandboxCluster;
  hyperpodClusterArn: string;
  /** Bucket name (without `s3://`). */
  tlsBucket: string;
  kubeconfig: string;
  dir: string;
  helm(args: string[], opts?: { v4?: boolean; stdin?: string }): Promise<ToolResult>;
  /**
   * Runs kubectl; with `namespace`, as a context whose default namespace it is (what Helm does
   * for objects without one, while objects naming another namespace keep theirs).
   */
  kubectl(args: string[], stdin?: string, namespace?: string): Promise<ToolResult>;
  /** Writes a values file and returns its path. */
  valuesFile(values: unknown): string;
  /** IRSA role `name` trusted by `serviceAccount` (`ns:name`) through the cluster's OIDC issuer. */
  seedRole(name: string, serviceAccount: string): string;
  stop(): Promise<void>;
}

const run = (
  bin: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  stdin?: string,
): Promise<ToolResult> =>
  new Promise((resolve) => {
    const child = execFile(
      bin,
      args,
      { env, maxBuffer: 128 * 1024 * 1024, timeout: 300_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    child.stdin?.end(stdin ?? '');
  });

export async function startRealChartSandbox(
  clusterName: string,
  opts: { addonTransitionMs?: number } = {},
): Promise<RealChartSandbox> {
  const sb = await Sandbox.start({
    scenario: 'empty',
    addonTransitionMs: opts.addonTransitionMs ?? 5,
  });
  const { cluster, hyperpodClusterArn, tlsBucket, seedRole } = await addInferenceCluster(
    sb,
    clusterName,
    { account: 'prod', region: REGION, version: K8S_VERSION },
  );

  const dir = mkdtempSync(join(tmpdir(), 'real-chart-sb-'));
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, sb.kubeconfig(cluster.context), { mode: 0o600 });
  const home = join(dir, 'home');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: home,
    KUBECONFIG: kubeconfig,
    HELM_CACHE_HOME: join(home, 'cache'),
    HELM_CONFIG_HOME: join(home, 'config'),
    HELM_DATA_HOME: join(home, 'data'),
  };
  let files = 0;
  return {
    sb,
    cluster,
    hyperpodClusterArn,
    tlsBucket,
    kubeconfig,
    dir,
    helm: (args, o = {}) => run(o.v4 ? helm4Path() : helmPath(), args, env, o.stdin),
    kubectl(args, stdin, namespace) {
      if (!namespace) return run(kubectlPath(), args, env, stdin);
      const file = join(dir, `kubeconfig-${namespace}`);
      const config = parse(sb.kubeconfig(cluster.context)) as {
        contexts: { name: string; context: Record<string, string> }[];
      };
      for (const ctx of config.contexts) ctx.context['namespace'] = namespace;
      writeFileSync(file, stringify(config), { mode: 0o600 });
      return run(kubectlPath(), ['--kubeconfig', file, ...args], env, stdin);
    },
    valuesFile(values) {
      const path = join(dir, `values-${++files}.yaml`);
      writeFileSync(path, stringify(values));
      return path;
    },
    seedRole,
    stop: () => sb.stop(),
  };
}

/** Throws with the tool's stderr unless it exited 0. */
export function ok(r: ToolResult, what: string): string {
  if (r.code !== 0) throw new Error(`${what} exited ${r.code}: ${r.stderr.trim()}`);
  return r.stdout;
}
