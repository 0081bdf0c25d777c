/**
 * Puts a Helm release into a sandbox cluster as if `helm install`/`upgrade` had run: the live
 * revision's objects created with field manager `helm` (Helm 3 creates with a plain POST, which
 * records an Update entry), then one `sh.helm.release.v1.*` Secret per revision.
 */
import type { KubeClusterApi, KubeObject } from '../kube/types';
import { buildHelmRelease, type BuiltHelmRelease, type HelmReleaseSeed } from './buildHelmRelease';

export function seedHelmRelease(kube: KubeClusterApi, seed: HelmReleaseSeed): BuiltHelmRelease {
  const built = buildHelmRelease(seed);
  // The release namespace (`--create-namespace`) and those its objects sit in without creating
  // them (the real cert-manager chart deploys to `cert-manager`, which must exist): made before
  // the install, as a customer does with `kubectl create namespace`.
  const created = new Set(
    built.objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name),
  );
  const needed = new Set([
    seed.namespace,
    ...built.objects.flatMap((o) => (o.metadata.namespace ? [o.metadata.namespace] : [])),
  ]);
  for (const ns of needed) {
    if (created.has(ns) || kube.get({ apiVersion: 'v1', kind: 'Namespace', name: ns })) continue;
    kube.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }, 'kubectl-create');
  }
  for (const object of built.objects) {
    const ref = {
      apiVersion: object.apiVersion,
      kind: object.kind,
      name: object.metadata.name,
      namespace: object.metadata.namespace,
    };
    if (kube.get(ref)) {
      // Helm refuses too: "exists and cannot be imported into the current release".
      throw new Error(
        `helm release ${seed.namespace}/${seed.name}: ${object.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name} already exists`,
      );
    }
    kube.create(object, 'helm');
  }
  for (const secret of built.secrets) kube.create(secret as unknown as KubeObject, 'helm');
  return built;
}
