/**
 * Real kubectl, helm v3 and helm v4 against one kubeconfig (a sandbox cluster's API server in
 * this process, or a whole sandbox fleet), run asynchronously so the in-process server answers.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { KubeApiServer, KubeCluster } from '@hyperpod/sandbox';
import { helm4Path, helmPath, kubectlPath } from '../support/tools';
import { helmEnv } from './helmTemplate';

export interface ToolResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface KubeTools {
  dir: string;
  kubeconfig: string;
  kubectl(args: string[], input?: string): Promise<ToolResult>;
  /** helm v3 (`4` for helm v4). */
  helm(args: string[], major?: 3 | 4): Promise<ToolResult>;
  /** Writes a file into the scratch folder and returns its path. */
  file(name: string, content: string): string;
}

function run(bin: string, args: string[], env: NodeJS.ProcessEnv, input?: string) {
  return new Promise<ToolResult>((resolve) => {
    const child = execFile(
      bin,
      args,
      { env, maxBuffer: 64 * 1024 * 1024, timeout: 180_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    if (input !== undefined) child.stdin!.end(input);
  });
}

/** Tools reading `kubeconfigYaml` (its current context is the one they use). */
export function kubeTools(kubeconfigYaml: string): KubeTools {
  const dir = mkdtempSync(join(tmpdir(), 'kube-tools-'));
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, kubeconfigYaml, { mode: 0o600 });
  const env = helmEnv({ KUBECONFIG: kubeconfig });
  return {
    dir,
    kubeconfig,
    kubectl: (args, input) => run(kubectlPath(), args, env, input),
    helm: (args, major = 3) => run(major === 4 ? helm4Path() : helmPath(), args, env),
    file(name, content) {
      const path = join(dir, name);
      writeFileSync(path, content);
      return path;
    },
  };
}

export interface ClusterTools extends KubeTools {
  cluster: KubeCluster;
  close(): Promise<void>;
}

/** A fresh sandbox cluster (no add-ons, `nodes` nodes) served on a loopback port, with the tools. */
export async function startClusterTools(
  opts: { name?: string; version?: string; nodes?: number; region?: string } = {},
): Promise<ClusterTools> {
  const name = opts.name ?? 'kinds-test';
  const cluster = new KubeCluster({
    name,
    version: opts.version ?? '1.31',
    nodes: opts.nodes,
    region: opts.region,
  });
  const token = 'kinds-test-token';
  const server = new KubeApiServer(cluster, { token });
  const url = await server.listen(0);
  const tools = kubeTools(
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name, cluster: { server: url, 'insecure-skip-tls-verify': true } }],
      users: [{ name: 'admin', user: { token } }],
      contexts: [{ name, context: { cluster: name, user: 'admin', namespace: 'default' } }],
      'current-context': name,
    }),
  );
  return { ...tools, cluster, close: () => server.close() };
}
