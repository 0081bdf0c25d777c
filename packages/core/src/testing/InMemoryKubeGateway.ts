/**
 * KubeGateway in memory: a cluster seeded with objects. Built-in kinds are served; a custom kind
 * is served once its CustomResourceDefinition is seeded (or an object of it is), as on a cluster,
 * so "CRD not installed" lists as empty here too.
 */
import { GatewayError } from '../ports/GatewayError';
import type {
  KubeGateway,
  KubeListOptions,
  KubeObject,
  KubeRef,
  KubeVersion,
} from '../ports/KubeGateway';
import { FakeFaults } from './FakeFaults';
import { clone } from './clone';
import { matchLabelSelector } from './matchLabelSelector';

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

export interface InMemoryKubeGatewayOptions {
  name?: string;
  /** Kubernetes minor version, e.g. `1.31`. */
  version?: string;
  objects?: KubeObject[];
}

export class InMemoryKubeGateway implements KubeGateway {
  readonly name: string;
  readonly faults = new FakeFaults();
  private readonly kubeVersion: string;
  private readonly objects = new Map<string, KubeObject>();
  /** `apiVersion/Kind` → namespaced? */
  private readonly served = new Map<string, boolean>();
  private rv = 1;

  constructor(opts: InMemoryKubeGatewayOptions = {}) {
    this.name = opts.name ?? 'in-memory';
    this.kubeVersion = opts.version ?? '1.31';
    for (const k of BUILTIN_NAMESPACED) this.served.set(k, true);
    for (const k of BUILTIN_CLUSTER) this.served.set(k, false);
    for (const o of opts.objects ?? []) this.put(o);
  }

  /** Creates or replaces an object (seeding; the fake's only write). */
  put(obj: KubeObject): KubeObject {
    const copy = clone(obj);
    if (copy.kind === 'CustomResourceDefinition') this.serveCrd(copy);
    const kindKey = `${copy.apiVersion}/${copy.kind}`;
    if (!this.served.has(kindKey)) this.served.set(kindKey, copy.metadata.namespace !== undefined);
    copy.metadata.resourceVersion = String(this.rv++);
    copy.metadata.uid ??= `00000000-0000-4000-8000-${String(this.rv).padStart(12, '0')}`;
    this.objects.set(key(copy), copy);
    return clone(copy);
  }

  remove(ref: KubeRef): boolean {
    return this.objects.delete(
      key({
        apiVersion: ref.apiVersion,
        kind: ref.kind,
        metadata: { name: ref.name, namespace: ref.namespace },
      }),
    );
  }

  async version(): Promise<KubeVersion> {
    this.faults.check('kubernetes', 'get version');
    const [major, minor] = this.kubeVersion.split('.');
    return {
      major: major ?? '1',
      minor: minor ?? '0',
      gitVersion: `v${this.kubeVersion}.0-eks-0000000`,
    };
  }

  async get(ref: KubeRef): Promise<KubeObject | undefined> {
    this.faults.check('kubernetes', `get ${ref.kind.toLowerCase()}`);
    const namespaced = this.served.get(`${ref.apiVersion}/${ref.kind}`);
    if (namespaced === undefined) return undefined;
    const o = this.objects.get(
      key({
        apiVersion: ref.apiVersion,
        kind: ref.kind,
        metadata: { name: ref.name, namespace: namespaced ? ref.namespace : undefined },
      }),
    );
    return o ? clone(o) : undefined;
  }

  async list(apiVersion: string, kind: string, opts: KubeListOptions = {}): Promise<KubeObject[]> {
    this.faults.check('kubernetes', `list ${kind.toLowerCase()}`);
    const namespaced = this.served.get(`${apiVersion}/${kind}`);
    if (namespaced === undefined) return [];
    if (opts.labelSelector !== undefined) validateSelector(opts.labelSelector, kind);
    return [...this.objects.values()]
      .filter((o) => o.apiVersion === apiVersion && o.kind === kind)
      .filter(
        (o) =>
          !namespaced || opts.namespace === undefined || o.metadata.namespace === opts.namespace,
      )
      .filter((o) => matchLabelSelector(opts.labelSelector, o.metadata.labels))
      .sort(
        (a, b) =>
          (a.metadata.namespace ?? '').localeCompare(b.metadata.namespace ?? '') ||
          a.metadata.name.localeCompare(b.metadata.name),
      )
      .map(clone);
  }

  private serveCrd(crd: KubeObject): void {
    const spec = crd['spec'] as
      | {
          group?: string;
          names?: { kind?: string };
          scope?: string;
          versions?: { name: string; served?: boolean }[];
        }
      | undefined;
    if (!spec?.group || !spec.names?.kind) return;
    for (const v of spec.versions ?? []) {
      if (v.served === false) continue;
      this.served.set(`${spec.group}/${v.name}/${spec.names.kind}`, spec.scope !== 'Cluster');
    }
  }
}

function key(o: {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
}): string {
  return `${o.apiVersion}/${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
}

function validateSelector(selector: string, kind: string): void {
  // The API server refuses selectors it cannot parse; so does the fake, for the obvious cases.
  if (/(^|,)\s*(=|!=|==)/.test(selector) || /\(\s*$/.test(selector)) {
    throw new GatewayError(
      'InvalidParameter',
      `unable to parse requirement: ${selector}`,
      'kubernetes',
      `list ${kind.toLowerCase()}`,
      'BadRequest',
      400,
    );
  }
}
