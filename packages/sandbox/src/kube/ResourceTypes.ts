/**
 * The resource types one cluster serves: the built-in ones the product and its clients touch, plus
 * whatever CustomResourceDefinitions have been created. Discovery, routing, list-merge keys and
 * table columns all read from here.
 */
import type { KubeObject } from './types';

export interface PrinterColumn {
  name: string;
  type: string;
  jsonPath: string;
  priority?: number;
  description?: string;
  format?: string;
}

export interface ResourceType {
  group: string;
  version: string;
  kind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  /** Subresources served (`status`, `scale`). */
  subresources: string[];
  /** True for types compiled into kube-apiserver (strategic merge patch allowed, keyed lists known). */
  builtin: boolean;
  /** CRD additionalPrinterColumns (Age is added last, as apiserver does). */
  printerColumns?: PrinterColumn[];
  /** CRD scale subresource paths. */
  scale?: { specReplicasPath: string; statusReplicasPath: string; labelSelectorPath?: string };
  /** PUT of a missing object creates it (the registry strategy's AllowCreateOnUpdate). */
  createOnUpdate?: boolean;
  /**
   * PUT without metadata.resourceVersion replaces whatever is stored (AllowUnconditionalUpdate);
   * when false it is refused with 422. True for most built-in types, false for custom resources.
   */
  unconditionalUpdate: boolean;
}

export function groupVersion(rt: Pick<ResourceType, 'group' | 'version'>): string {
  return rt.group ? `${rt.group}/${rt.version}` : rt.version;
}

const RW = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const RW_NO_COLLECTION = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];

/** A resource type as the API server serves it; a built-in one unless `extra` says otherwise. */
export function resourceType(
  group: string,
  version: string,
  kind: string,
  plural: string,
  namespaced: boolean,
  extra: Partial<ResourceType> = {},
): ResourceType {
  return {
    group,
    version,
    kind,
    plural,
    singular: kind.toLowerCase(),
    namespaced,
    verbs: RW,
    subresources: [],
    builtin: true,
    unconditionalUpdate: true,
    ...extra,
  };
}
const t = resourceType;

/** Built-in types, in the order kube-apiserver lists their groups. */
export const BUILTIN_TYPES: ResourceType[] = [
  t('', 'v1', 'ConfigMap', 'configmaps', true, { shortNames: ['cm'] }),
  t('', 'v1', 'Endpoints', 'endpoints', true, {
    shortNames: ['ep'],
    singular: 'endpoints',
    createOnUpdate: true,
  }),
  t('', 'v1', 'Event', 'events', true, { shortNames: ['ev'], createOnUpdate: true }),
  t('', 'v1', 'Namespace', 'namespaces', false, {
    shortNames: ['ns'],
    verbs: RW_NO_COLLECTION,
    subresources: ['finalize', 'status'],
  }),
  t('', 'v1', 'Node', 'nodes', false, { shortNames: ['no'], subresources: ['status'] }),
  t('', 'v1', 'PersistentVolumeClaim', 'persistentvolumeclaims', true, {
    shortNames: ['pvc'],
    subresources: ['status'],
  }),
  t('', 'v1', 'PersistentVolume', 'persistentvolumes', false, {
    shortNames: ['pv'],
    subresources: ['status'],
  }),
  t('', 'v1', 'Pod', 'pods', true, {
    shortNames: ['po'],
    categories: ['all'],
    subresources: ['status'],
  }),
  t('', 'v1', 'Secret', 'secrets', true),
  t('', 'v1', 'ServiceAccount', 'serviceaccounts', true, { shortNames: ['sa'] }),
  t('', 'v1', 'Service', 'services', true, {
    shortNames: ['svc'],
    categories: ['all'],
    verbs: RW,
    subresources: ['status'],
    createOnUpdate: true,
  }),
  t('apiregistration.k8s.io', 'v1', 'APIService', 'apiservices', false, {
    categories: ['api-extensions'],
    subresources: ['status'],
    unconditionalUpdate: false,
  }),
  t('apps', 'v1', 'DaemonSet', 'daemonsets', true, {
    shortNames: ['ds'],
    categories: ['all'],
    subresources: ['status'],
  }),
  t('apps', 'v1', 'Deployment', 'deployments', true, {
    shortNames: ['deploy'],
    categories: ['all'],
    subresources: ['scale', 'status'],
  }),
  t('apps', 'v1', 'ReplicaSet', 'replicasets', true, {
    shortNames: ['rs'],
    categories: ['all'],
    subresources: ['scale', 'status'],
  }),
  t('apps', 'v1', 'StatefulSet', 'statefulsets', true, {
    shortNames: ['sts'],
    categories: ['all'],
    subresources: ['scale', 'status'],
  }),
  t('authorization.k8s.io', 'v1', 'SelfSubjectAccessReview', 'selfsubjectaccessreviews', false, {
    verbs: ['create'],
  }),
  t('authorization.k8s.io', 'v1', 'SelfSubjectRulesReview', 'selfsubjectrulesreviews', false, {
    verbs: ['create'],
  }),
  t('authorization.k8s.io', 'v1', 'SubjectAccessReview', 'subjectaccessreviews', false, {
    verbs: ['create'],
  }),
  t('autoscaling', 'v2', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers', true, {
    shortNames: ['hpa'],
    categories: ['all'],
    subresources: ['status'],
  }),
  t('batch', 'v1', 'CronJob', 'cronjobs', true, {
    shortNames: ['cj'],
    categories: ['all'],
    subresources: ['status'],
  }),
  t('batch', 'v1', 'Job', 'jobs', true, { categories: ['all'], subresources: ['status'] }),
  t('networking.k8s.io', 'v1', 'IngressClass', 'ingressclasses', false),
  t('networking.k8s.io', 'v1', 'Ingress', 'ingresses', true, {
    shortNames: ['ing'],
    subresources: ['status'],
  }),
  t('policy', 'v1', 'PodDisruptionBudget', 'poddisruptionbudgets', true, {
    shortNames: ['pdb'],
    subresources: ['status'],
  }),
  t('rbac.authorization.k8s.io', 'v1', 'ClusterRoleBinding', 'clusterrolebindings', false, {
    createOnUpdate: true,
  }),
  t('rbac.authorization.k8s.io', 'v1', 'ClusterRole', 'clusterroles', false, {
    createOnUpdate: true,
  }),
  t('rbac.authorization.k8s.io', 'v1', 'RoleBinding', 'rolebindings', true, {
    createOnUpdate: true,
  }),
  t('rbac.authorization.k8s.io', 'v1', 'Role', 'roles', true, { createOnUpdate: true }),
  t('storage.k8s.io', 'v1', 'CSIDriver', 'csidrivers', false),
  t('storage.k8s.io', 'v1', 'StorageClass', 'storageclasses', false, { shortNames: ['sc'] }),
  t(
    'admissionregistration.k8s.io',
    'v1',
    'MutatingWebhookConfiguration',
    'mutatingwebhookconfigurations',
    false,
    { categories: ['api-extensions'] },
  ),
  t(
    'admissionregistration.k8s.io',
    'v1',
    'ValidatingWebhookConfiguration',
    'validatingwebhookconfigurations',
    false,
    { categories: ['api-extensions'] },
  ),
  t('apiextensions.k8s.io', 'v1', 'CustomResourceDefinition', 'customresourcedefinitions', false, {
    shortNames: ['crd', 'crds'],
    categories: ['api-extensions'],
    subresources: ['status'],
    unconditionalUpdate: false,
  }),
  // What leader election relies on: a PUT must name the resourceVersion it read.
  t('coordination.k8s.io', 'v1', 'Lease', 'leases', true, {
    createOnUpdate: true,
    unconditionalUpdate: false,
  }),
];

/** Types a CRD object declares (one per served version). */
export function typesFromCrd(crd: KubeObject): ResourceType[] {
  const spec = (crd.spec ?? {}) as Record<string, unknown>;
  const names = (spec.names ?? {}) as Record<string, unknown>;
  const group = String(spec.group ?? '');
  const plural = String(names.plural ?? '');
  const kind = String(names.kind ?? '');
  if (!group || !plural || !kind) return [];
  const versions = Array.isArray(spec.versions) ? (spec.versions as Record<string, unknown>[]) : [];
  const out: ResourceType[] = [];
  for (const v of versions) {
    if (v.served === false || typeof v.name !== 'string') continue;
    const sub = (v.subresources ?? {}) as Record<string, unknown>;
    const scale = sub.scale as ResourceType['scale'] | undefined;
    const rt: ResourceType = {
      group,
      version: v.name,
      kind,
      plural,
      singular: String(names.singular ?? kind.toLowerCase()),
      namespaced: spec.scope !== 'Cluster',
      verbs: RW,
      subresources: [...(scale ? ['scale'] : []), ...(sub.status ? ['status'] : [])],
      builtin: false,
      unconditionalUpdate: false,
      printerColumns: Array.isArray(v.additionalPrinterColumns)
        ? (v.additionalPrinterColumns as PrinterColumn[])
        : undefined,
    };
    if (Array.isArray(names.shortNames) && names.shortNames.length)
      rt.shortNames = names.shortNames.map(String);
    if (Array.isArray(names.categories) && names.categories.length)
      rt.categories = names.categories.map(String);
    if (scale) rt.scale = scale;
    // Storage version first, so programmatic lookups by group+kind prefer it.
    if (v.storage === true) out.unshift(rt);
    else out.push(rt);
  }
  return out;
}

/**
 * Keys of keyed lists (associative lists) for built-in types, by the field-name path leading to the
 * list; lists not named here are atomic. CRD lists are atomic unless the CRD says otherwise, which we
 * do not model.
 */
export function listMapKeys(rt: ResourceType, names: string[]): string[] | undefined {
  if (!rt.builtin)
    return names.length === 2 && names[0] === 'metadata' && names[1] === 'ownerReferences'
      ? ['uid']
      : undefined;
  const last = names[names.length - 1];
  const parent = names[names.length - 2];
  switch (last) {
    case 'containers':
    case 'initContainers':
    case 'ephemeralContainers':
    case 'volumes':
    case 'imagePullSecrets':
    case 'webhooks':
      return ['name'];
    case 'env':
      return parent === undefined ? undefined : ['name'];
    case 'ports':
      if (rt.kind === 'Service') return ['port', 'protocol'];
      return ['containerPort', 'protocol'];
    case 'volumeMounts':
      return ['mountPath'];
    case 'volumeDevices':
      return ['devicePath'];
    case 'hostAliases':
      return ['ip'];
    case 'conditions':
      return ['type'];
    case 'ownerReferences':
      return ['uid'];
    case 'topologySpreadConstraints':
      return ['topologyKey', 'whenUnsatisfiable'];
    default:
      return undefined;
  }
}

/** Defaults apiserver fills into list keys before keying (so `{containerPort: 80}` is keyed with protocol TCP). */
export function keyDefault(key: string): unknown {
  return key === 'protocol' ? 'TCP' : undefined;
}
