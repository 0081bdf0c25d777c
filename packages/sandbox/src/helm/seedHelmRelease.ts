/**
 * Puts a Helm release into a sandbox cluster as if `helm install`/`upgrade` had run: the live
 * revision's objects created with field manager `helm` (Helm 3 creates with a plain POST, which
 * records an Update entry), then one `sh.helm.release.v1.*` Secret per revision.
 */
import type { KubeClusterApi, KubeObject } from '../kube/types';
import { buildHelmRelease, type BuiltHelmRelease, type HelmReleaseSeed } from './buildHelmRelease';

export function seedHelmRelease(kube: KubeClusterApi, seed: HelmReleaseSeed): BuiltHelmRelease {
  const built = buildHelmRelease(seed);
  const createsReleaseNamespace = built.objects.some(
    (o) => o.kind === 'Namespace' && o.metadata.name === seed.namespace,
  );
  if (
    !createsReleaseNamespace &&
    !kube.get({ apiVersion: 'v1', kind: 'Namespace', name: seed.namespace })
  ) {
    kube.create(
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: seed.namespace } },
      'kubectl-create',
    );
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
