/**
 * How Helm 3 turns rendered templates into a release manifest (pkg/releaseutil SortManifests +
 * pkg/action renderResources): files sorted by path, each split into YAML documents, documents
 * stably sorted by Helm's install order of kinds, then written as
 * `---\n# Source: <chart>/<path>\n<document>\n`.
 */
import { stringify } from 'yaml';
import type { KubeObject } from '../kube/types';

/** One rendered template file of a chart, e.g. `templates/default.yaml` or `charts/alb/templates/deployment.yaml`. */
export interface RenderedTemplate {
  /** Path inside the top chart; sub-charts appear under `charts/<alias or name>/`. */
  path: string;
  objects: KubeObject[];
}

/** releaseutil.InstallOrder of Helm 3.17. */
export const HELM_INSTALL_ORDER = [
  'PriorityClass',
  'Namespace',
  'NetworkPolicy',
  'ResourceQuota',
  'LimitRange',
  'PodSecurityPolicy',
  'PodDisruptionBudget',
  'ServiceAccount',
  'Secret',
  'SecretList',
  'ConfigMap',
  'StorageClass',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'CustomResourceDefinition',
  'ClusterRole',
  'ClusterRoleList',
  'ClusterRoleBinding',
  'ClusterRoleBindingList',
  'Role',
  'RoleList',
  'RoleBinding',
  'RoleBindingList',
  'Service',
  'DaemonSet',
  'Pod',
  'ReplicationController',
  'ReplicaSet',
  'Deployment',
  'HorizontalPodAutoscaler',
  'StatefulSet',
  'Job',
  'CronJob',
  'IngressClass',
  'Ingress',
  'APIService',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
];

export interface ManifestDocument {
  /** `<chart>/<path>`, as in the `# Source:` comment. */
  source: string;
  object: KubeObject;
  content: string;
}

/** The documents of a release in the order Helm writes (and installs) them. */
export function sortManifestDocuments(
  chartName: string,
  templates: RenderedTemplate[],
): ManifestDocument[] {
  const files = [...templates]
    .map((t) => ({ source: `${chartName}/${t.path}`, objects: t.objects }))
    .sort((a, b) => compareStrings(a.source, b.source));
  const docs: ManifestDocument[] = [];
  for (const file of files) {
    for (const object of file.objects)
      docs.push({ source: file.source, object, content: stringify(object).trim() });
  }
  const rank = (kind: string) => {
    const i = HELM_INSTALL_ORDER.indexOf(kind);
    return i < 0 ? HELM_INSTALL_ORDER.length : i;
  };
  // Array.prototype.sort is stable, as Go's sort.SliceStable that Helm uses; unknown kinds go
  // last, ordered by kind name.
  return docs.sort((a, b) => {
    const ra = rank(a.object.kind);
    const rb = rank(b.object.kind);
    if (ra !== rb) return ra - rb;
    if (ra === HELM_INSTALL_ORDER.length) return compareStrings(a.object.kind, b.object.kind);
    return 0;
  });
}

export function renderManifest(docs: ManifestDocument[]): string {
  return docs.map((d) => `---\n# Source: ${d.source}\n${d.content}\n`).join('');
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
