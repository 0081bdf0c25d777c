import { coreNode } from './loadModules';

/**
 * The cluster names the user has, for "did you mean": the fleet file's, else the EKS clusters of
 * the kubeconfig's contexts. Nothing (not an error) when they cannot be read.
 */
export async function knownClusterNames(sel: {
  kubeconfig?: string;
  fleet?: string;
}): Promise<string[]> {
  try {
    const { loadFleetFile, loadKubeconfig, contextToEksCluster } = await coreNode();
    if (sel.fleet) return (await loadFleetFile(sel.fleet)).clusters.map((c) => c.name);
    const kc = await loadKubeconfig({ kubeconfig: sel.kubeconfig });
    const names = kc.contexts.flatMap(
      (c) => contextToEksCluster(kc.kubeConfig, c.name)?.name ?? [],
    );
    return [...new Set(names)];
  } catch {
    return [];
  }
}
