/**
 * Builders for the Kubernetes objects an EKS add-on puts in a cluster when it becomes ACTIVE.
 * The sandbox applies them with server-side apply (field manager `eks`), so they carry only the
 * fields EKS owns: the ones a Helm install or a hand edit would conflict with.
 */
import type { KubeObject } from '../kube/types';

/** What an add-on's manifests are rendered from. */
export interface WorkloadInput {
  accountId: string;
  region: string;
  clusterName: string;
  addonVersion: string;
  /** Parsed configurationValues (empty object when unset). */
  config: Record<string, unknown>;
  serviceAccountRoleArn?: string;
}

/** ECR account that hosts EKS add-on images in most regions. */
const EKS_ECR_ACCOUNT = '602401143452';

export function eksImage(region: string, repo: string, tag: string): string {
  return `${EKS_ECR_ACCOUNT}.dkr.ecr.${region}.amazonaws.com/${repo}:${tag}`;
}

/** Image tag without the `-eksbuild.N` suffix, as the upstream projects tag their images. */
export function upstreamTag(addonVersion: string): string {
  return addonVersion.replace(/-eksbuild\.\d+$/, '');
}

export function labelsFor(
  addonName: string,
  component: string,
  addonVersion: string,
): Record<string, string> {
  return {
    'app.kubernetes.io/name': component,
    'app.kubernetes.io/version': upstreamTag(addonVersion),
    'app.kubernetes.io/part-of': addonName,
  };
}

export function namespace(name: string): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
}

export function serviceAccount(
  name: string,
  ns: string,
  roleArn?: string,
  labels?: Record<string, string>,
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: {
      name,
      namespace: ns,
      ...(labels ? { labels } : {}),
      ...(roleArn ? { annotations: { 'eks.amazonaws.com/role-arn': roleArn } } : {}),
    },
  };
}

export interface PodOptions {
  image: string;
  serviceAccountName?: string;
  labels: Record<string, string>;
  container?: string;
  args?: string[];
  config?: Record<string, unknown>;
}

function podTemplate(o: PodOptions): Record<string, unknown> {
  const c = o.config ?? {};
  const spec: Record<string, unknown> = {
    ...(o.serviceAccountName ? { serviceAccountName: o.serviceAccountName } : {}),
    containers: [
      {
        name: o.container ?? 'manager',
        image: o.image,
        ...(o.args ? { args: o.args } : {}),
        ...(isObject(c['resources']) ? { resources: c['resources'] } : {}),
      },
    ],
  };
  if (Array.isArray(c['tolerations'])) spec['tolerations'] = c['tolerations'];
  if (isObject(c['nodeSelector'])) spec['nodeSelector'] = c['nodeSelector'];
  if (isObject(c['affinity'])) spec['affinity'] = c['affinity'];
  return { metadata: { labels: o.labels }, spec };
}

export function deployment(
  name: string,
  ns: string,
  o: PodOptions & {
    replicas?: number;
    /** The configuration key that sizes it (`replicas` where the schema follows the chart's). */
    replicasKey?: string;
  },
): KubeObject {
  const configured = o.config?.[o.replicasKey ?? 'replicaCount'];
  const replicas = typeof configured === 'number' ? configured : (o.replicas ?? 2);
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns, labels: o.labels },
    spec: { replicas, selector: { matchLabels: selectorOf(o.labels) }, template: podTemplate(o) },
    // A healthy rollout, so readers that look at readiness see a running add-on.
    status: {
      observedGeneration: 1,
      replicas,
      readyReplicas: replicas,
      availableReplicas: replicas,
      updatedReplicas: replicas,
    },
  };
}

export function daemonSet(
  name: string,
  ns: string,
  o: PodOptions & { nodes?: number },
): KubeObject {
  const n = o.nodes ?? 3;
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace: ns, labels: o.labels },
    spec: { selector: { matchLabels: selectorOf(o.labels) }, template: podTemplate(o) },
    status: {
      desiredNumberScheduled: n,
      currentNumberScheduled: n,
      numberReady: n,
      numberAvailable: n,
      updatedNumberScheduled: n,
      observedGeneration: 1,
    },
  };
}

export function service(
  name: string,
  ns: string,
  labels: Record<string, string>,
  port: number,
  targetPort: number | string = port,
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: ns, labels },
    spec: {
      selector: selectorOf(labels),
      ports: [{ name: 'https', port, targetPort, protocol: 'TCP' }],
    },
  };
}

export function configMap(name: string, ns: string, data: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns }, data };
}

export function csiDriver(name: string, spec: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'CSIDriver',
    metadata: { name },
    spec: { attachRequired: false, podInfoOnMount: false, ...spec },
  };
}

export function crd(
  group: string,
  kind: string,
  plural: string,
  opts: { scope?: 'Namespaced' | 'Cluster'; versions?: string[]; shortNames?: string[] } = {},
): KubeObject {
  const versions = opts.versions ?? ['v1'];
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${group}` },
    spec: {
      group,
      scope: opts.scope ?? 'Namespaced',
      names: {
        kind,
        listKind: `${kind}List`,
        plural,
        singular: kind.toLowerCase(),
        ...(opts.shortNames ? { shortNames: opts.shortNames } : {}),
      },
      versions: versions.map((v, i) => ({
        name: v,
        served: true,
        storage: i === versions.length - 1,
        schema: {
          openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        },
        subresources: { status: {} },
      })),
    },
  };
}

export function apiService(name: string, serviceName: string, ns: string): KubeObject {
  const [version, ...group] = name.split('.');
  return {
    apiVersion: 'apiregistration.k8s.io/v1',
    kind: 'APIService',
    metadata: { name },
    spec: {
      group: group.join('.'),
      version,
      service: { name: serviceName, namespace: ns, port: 443 },
      groupPriorityMinimum: 100,
      versionPriority: 100,
      insecureSkipTLSVerify: true,
    },
  };
}

function selectorOf(labels: Record<string, string>): Record<string, string> {
  const name = labels['app.kubernetes.io/name'];
  return name ? { 'app.kubernetes.io/name': name } : labels;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reads a nested configuration value by dotted path (`alb.serviceAccount.roleArn`). */
export function configAt(config: Record<string, unknown>, path: string): unknown {
  let cur: unknown = config;
  for (const k of path.split('.')) {
    if (!isObject(cur)) return undefined;
    cur = cur[k];
  }
  return cur;
}
