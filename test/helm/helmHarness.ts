/** A sandbox Kubernetes API server plus a helm that talks to it, for driving real helm in tests. */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { KubeApiServer, KubeCluster } from '@hyperpod/sandbox';
import { helmPath } from '../support/tools';
import { helmEnv } from './helmTemplate';

export interface HelmResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface HelmHarness {
  cluster: KubeCluster;
  server: KubeApiServer;
  dir: string;
  /** Runs helm (asynchronously: the API server lives in this process). */
  helm(args: string[]): Promise<HelmResult>;
  /** Runs helm and parses `-o json` output; fails the test with helm's stderr otherwise. */
  helmJson<T>(args: string[]): Promise<T>;
  /** Writes a values file and returns its path. */
  valuesFile(values: unknown): string;
  close(): Promise<void>;
}

export async function startHelmHarness(
  clusterName = 'hp-eks-1',
  opts: { /** The helm binary (default helm v3, `helmPath()`). */ helm?: string } = {},
): Promise<HelmHarness> {
  const cluster = new KubeCluster({ name: clusterName, version: '1.31' });
  const token = 'helm-test-token';
  const server = new KubeApiServer(cluster, { token });
  const url = await server.listen(0);
  const dir = mkdtempSync(join(tmpdir(), 'helm-test-'));
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(
    kubeconfig,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: clusterName, cluster: { server: url, 'insecure-skip-tls-verify': true } }],
      users: [{ name: 'admin', user: { token } }],
      contexts: [{ name: clusterName, context: { cluster: clusterName, user: 'admin' } }],
      'current-context': clusterName,
    }),
    { mode: 0o600 },
  );
  const env = helmEnv({ KUBECONFIG: kubeconfig });
  let files = 0;
  const helm = (args: string[]) =>
    new Promise<HelmResult>((resolve) => {
      execFile(
        opts.helm ?? helmPath(),
        args,
        { env, maxBuffer: 64 * 1024 * 1024, timeout: 120_000 },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
          resolve({ code, stdout, stderr });
        },
      );
    });
  return {
    cluster,
    server,
    dir,
    helm,
    async helmJson<T>(args: string[]): Promise<T> {
      const r = await helm([...args, '-o', 'json']);
      if (r.code !== 0) throw new Error(`helm ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
      return JSON.parse(r.stdout) as T;
    },
    valuesFile(values: unknown): string {
      const path = join(dir, `values-${++files}.yaml`);
      writeFileSync(path, stringify(values));
      return path;
    },
    close: () => server.close(),
  };
}
