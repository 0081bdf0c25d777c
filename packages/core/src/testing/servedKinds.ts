/**
 * The kinds the in-memory API server serves and how it names them: the built-in kinds, and those
 * a CustomResourceDefinition adds (each served version, its scope and plural).
 */
import type { KubeObject } from '../ports/KubeGateway';
import { groupOf } from '../migrate/manifest';

export interface ServedKind {
  namespaced: boolean;
  plural: string;
}

const BUILTIN_NAMESPACED = [
  'v1/ConfigMap',
  'v1/Secret',
  'v1/Service',
  'v1/ServiceAccount',
  'v1/Pod',
  'v1/Endpoints',
  'v1/PersistentVolumeClaim',
  'v1/Event',
  'apps/v1/Deployment',
  'apps/v1/DaemonSet',
  'apps/v1/StatefulSet',
  'apps/v1/ReplicaSet',
  'batch/v1/Job',
  'rbac.authorization.k8s.io/v1/Role',
  'rbac.authorization.k8s.io/v1/RoleBinding',
  'networking.k8s.io/v1/Ingress',
  'coordination.k8s.io/v1/Lease',
  'policy/v1/PodDisruptionBudget',
];
const BUILTIN_CLUSTER = [
  'v1/Namespace',
  'v1/Node',
  'v1/PersistentVolume',
  'apiextensions.k8s.io/v1/CustomResourceDefinition',
  'storage.k8s.io/v1/CSIDriver',
  'storage.k8s.io/v1/StorageClass',
  'rbac.authorization.k8s.io/v1/ClusterRole',
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding',
  'admissionregistration.k8s.io/v1/MutatingWebhookConfiguration',
  'admissionregistration.k8s.io/v1/ValidatingWebhookConfiguration',
  'scheduling.k8s.io/v1/PriorityClass',
  'apiregistration.k8s.io/v1/APIService',
];

/** `apiVersion/Kind` → how it is served, for every built-in kind. */
export function builtinServedKinds(): Map<string, ServedKind> {
  const served = new Map<string, ServedKind>();
  for (const k of BUILTIN_NAMESPACED) served.set(k, { namespaced: true, plural: pluralOf(k) });
  for (const k of BUILTIN_CLUSTER) served.set(k, { namespaced: false, plural: pluralOf(k) });
  return served;
}

/** The `apiVersion/Kind` keys a CRD serves, and how; undefined for a CRD without group or kind. */
export function crdServedKinds(
  crd: KubeObject,
): { keys: string[]; served: ServedKind } | undefined {
  const spec = crd['spec'] as
    | {
        group?: string;
        names?: { kind?: string; plural?: string };
        scope?: string;
        versions?: { name: string; served?: boolean }[];
      }
    | undefined;
  if (!spec?.group || !spec.names?.kind) return undefined;
  const kind = spec.names.kind;
  return {
    keys: (spec.versions ?? [])
      .filter((v) => v.served !== false)
      .map((v) => `${spec.group}/${v.name}/${kind}`),
    served: {
      namespaced: spec.scope !== 'Cluster',
      plural: spec.names.plural ?? pluralOf(kind),
    },
  };
}

/** `configmaps`, `deployments.apps`: how the API server names a resource in messages. */
export function resourceName(apiVersion: string, served: ServedKind): string {
  const group = groupOf(apiVersion);
  return group ? `${served.plural}.${group}` : served.plural;
}

/** The resource name of a built-in `apiVersion/Kind` (or bare kind). */
export function pluralOf(kindKey: string): string {
  const kind = kindKey.slice(kindKey.lastIndexOf('/') + 1).toLowerCase();
  if (kind === 'endpoints') return kind;
  if (kind.endsWith('s')) return `${kind}es`;
  if (/[^aeiou]y$/.test(kind)) return `${kind.slice(0, -1)}ies`;
  return `${kind}s`;
}
