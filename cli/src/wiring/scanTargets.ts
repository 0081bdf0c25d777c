import type { ClusterReport, ClusterTarget } from '@hyperpod/core';
import { compareText } from '@hyperpod/core';
import { eksGateways } from './awsGateways';
import { kubeGatewayFor } from './kubeGatewayFor';
import { core } from './loadModules';
import { pacerFor } from './pacerFor';

export interface ScanOptions {
  timeoutMs: number;
  concurrency: number;
  /**
   * EKS requests per second per account and region, fixed (`--rate-limit`); undefined = the rate
   * each account and region is learned (remembered in the CLI's cache directory).
   */
  rateLimit?: number;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Scans every target through the core's scan pipeline on the real AWS SDK and client-node;
 * reports come back sorted by cluster name, whatever order they finished in.
 */
export async function scanTargets(
  targets: ClusterTarget[],
  opts: ScanOptions,
): Promise<ClusterReport[]> {
  const { scanClusters } = await core();
  const [gateways, pacer] = await Promise.all([
    eksGateways(opts.timeoutMs),
    pacerFor(opts.rateLimit),
  ]);
  const reports: ClusterReport[] = [];
  opts.onProgress?.(0, targets.length);
  const scan = scanClusters(
    targets,
    {
      eks: (t) => gateways.eksFor(t),
      // The gateway runs an exec credential plugin (`aws eks get-token`) once for its parallel
      // reads (ClientNodeKubeGateway), so the reads need no request ahead of them.
      kube: (t) => kubeGatewayFor(t, opts.timeoutMs),
      prepare: (t) => gateways.prepareEksFor(t),
      pacer,
    },
    { concurrency: opts.concurrency, timeoutMs: opts.timeoutMs },
  );
  try {
    for await (const report of scan) {
      reports.push(report);
      opts.onProgress?.(reports.length, targets.length);
    }
  } finally {
    await pacer.close();
  }
  return reports.sort(
    (a, b) =>
      compareText(a.cluster.name, b.cluster.name) ||
      compareText(a.cluster.region ?? '', b.cluster.region ?? ''),
  );
}
