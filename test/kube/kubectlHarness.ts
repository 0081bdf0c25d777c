/** A sandbox Kubernetes API server with one namespace, and the real kubectl pointed at it. */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify as toYaml } from 'yaml';
import { KubeApiServer, KubeCluster } from '@hyperpod/sandbox';
import { kubectlPath } from '../support/tools';

export interface KubectlRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface KubectlHarness {
  cluster: KubeCluster;
  server: KubeApiServer;
  dir: string;
  kubeconfig: string;
  kubectl(args: string[], input?: string): Promise<KubectlRun>;
  /** Starts a long-running kubectl (e.g. `get --watch`); the caller kills it. */
  spawnKubectl(args: string[]): ChildProcess;
  /** Writes a file into the harness's folder and returns its path. */
  file(name: string, text: string): string;
  close(): Promise<void>;
}

export async function startKubectlHarness(namespace: string): Promise<KubectlHarness> {
  const token = 'kubectl-harness-token';
  const dir = mkdtempSync(join(tmpdir(), 'kubectl-harness-'));
  const cluster = new KubeCluster({ name: 'hp-kubectl', version: '1.31' });
  cluster.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
  const server = new KubeApiServer(cluster, { token });
  const url = await server.listen();
  const kubeconfig = join(dir, 'config');
  writeFileSync(
    kubeconfig,
    toYaml({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'hp', cluster: { server: url, 'insecure-skip-tls-verify': true } }],
      users: [{ name: 'admin', user: { token } }],
      contexts: [{ name: 'hp', context: { cluster: 'hp', user: 'admin', namespace } }],
      'current-context': 'hp',
    }),
  );
  const env = { ...process.env, KUBECONFIG: kubeconfig, HOME: dir };
  return {
    cluster,
    server,
    dir,
    kubeconfig,
    kubectl: (args, input) =>
      new Promise((resolve) => {
        const child = execFile(
          kubectlPath(),
          args,
          { env, timeout: 30000 },
          (err, stdout, stderr) =>
            resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
        );
        if (input !== undefined) child.stdin!.end(input);
      }),
    spawnKubectl: (args) => spawn(kubectlPath(), args, { env }),
    file(name, text) {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    },
    async close() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
