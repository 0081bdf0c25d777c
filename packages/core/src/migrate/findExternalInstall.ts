import { componentForAddon, INFERENCE_PREREQUISITES } from '../components/addonComponents';
import type { KubeGateway, KubeObject } from '../ports/KubeGateway';
import { refKey } from './manifest';
import type { DiscoveredRelease } from './MigrationDiscovery';

/** How a dependency is installed outside the release, if it is. */
export async function findExternalInstall(
  kube: KubeGateway,
  addonName: string,
  rel: DiscoveredRelease,
): Promise<string | undefined> {
  const inRelease = new Set(rel.objects.map((o) => refKey(o.ref)));
  const csi = INFERENCE_PREREQUISITES.csiDrivers.find((c) => c.addonName === addonName);
  if (csi) {
    const ref = { apiVersion: 'storage.k8s.io/v1', kind: 'CSIDriver', name: csi.name };
    if (!inRelease.has(refKey(ref)) && (await kube.get(ref))) return `CSIDriver ${csi.name}`;
  }
  for (const w of componentForAddon(addonName)?.workloads ?? []) {
    if (w.name.includes('{release}')) continue;
    const found = await kube.list('apps/v1', w.kind, w.namespace ? { namespace: w.namespace } : {});
    const hit = found.find(
      (o: KubeObject) =>
        o.metadata.name === w.name &&
        !inRelease.has(
          refKey({
            apiVersion: 'apps/v1',
            kind: w.kind,
            namespace: o.metadata.namespace,
            name: w.name,
          }),
        ),
    );
    if (hit) return `${w.kind} ${hit.metadata.namespace}/${w.name}`;
  }
  return undefined;
}
