/**
 * The cluster's nodes, as an EKS managed node group registers them (names, labels, capacity,
 * kubelet version), and the scheduler's node-filtering rules a DaemonSet controller applies:
 * nodeSelector, required node affinity and taints against tolerations. A DaemonSet's desired count
 * is the number of nodes that pass.
 */
import { createHash } from 'node:crypto';
import type { KubeObject } from '../types';

/** The Node objects of a cluster with `count` nodes in `region`, on Kubernetes `gitVersion`. */
export function eksNodes(opts: {
  clusterName: string;
  region: string;
  count: number;
  gitVersion: string;
}): KubeObject[] {
  const { clusterName, region, count, gitVersion } = opts;
  const domain = region === 'us-east-1' ? 'ec2.internal' : `${region}.compute.internal`;
  const hash = createHash('sha256').update(clusterName).digest();
  const nodegroup = `${clusterName}-ng-${hash.toString('hex').slice(0, 8)}`;
  const out: KubeObject[] = [];
  for (let i = 0; i < count; i++) {
    const zone = `${region}${'abc'[i % 3]}`;
    const ip = `10.0.${(i % 3) * 64 + 10}.${(hash[i % hash.length]! % 200) + 20 + i}`;
    const name = `ip-${ip.replace(/\./g, '-')}.${domain}`;
    const instanceId = `i-0${createHash('sha256').update(`${clusterName}/${i}`).digest('hex').slice(0, 16)}`;
    out.push({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name,
        labels: {
          'beta.kubernetes.io/arch': 'amd64',
          'beta.kubernetes.io/instance-type': 'm5.xlarge',
          'beta.kubernetes.io/os': 'linux',
          'eks.amazonaws.com/capacityType': 'ON_DEMAND',
          'eks.amazonaws.com/nodegroup': nodegroup,
          'failure-domain.beta.kubernetes.io/region': region,
          'failure-domain.beta.kubernetes.io/zone': zone,
          'kubernetes.io/arch': 'amd64',
          'kubernetes.io/hostname': name,
          'kubernetes.io/os': 'linux',
          'node.kubernetes.io/instance-type': 'm5.xlarge',
          'topology.kubernetes.io/region': region,
          'topology.kubernetes.io/zone': zone,
        },
        annotations: {
          'alpha.kubernetes.io/provided-node-ip': ip,
          'node.alpha.kubernetes.io/ttl': '0',
          'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
        },
      },
      spec: { providerID: `aws:///${zone}/${instanceId}` },
      status: {
        addresses: [
          { type: 'InternalIP', address: ip },
          { type: 'InternalDNS', address: name },
          { type: 'Hostname', address: name },
        ],
        allocatable: {
          cpu: '3920m',
          'ephemeral-storage': '95551679124',
          'hugepages-1Gi': '0',
          'hugepages-2Mi': '0',
          memory: '15136204Ki',
          pods: '58',
        },
        capacity: {
          cpu: '4',
          'ephemeral-storage': '104845292Ki',
          'hugepages-1Gi': '0',
          'hugepages-2Mi': '0',
          memory: '16083916Ki',
          pods: '58',
        },
        conditions: NODE_CONDITIONS.map(([type, status, reason, message]) => ({
          type,
          status,
          reason,
          message,
        })),
        daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
        nodeInfo: {
          architecture: 'amd64',
          bootID: '',
          containerRuntimeVersion: 'containerd://1.7.27',
          kernelVersion: '6.1.132-147.221.amzn2023.x86_64',
          kubeProxyVersion: gitVersion,
          kubeletVersion: gitVersion,
          machineID: '',
          operatingSystem: 'linux',
          osImage: 'Amazon Linux 2023.7.20250414',
          systemUUID: '',
        },
      },
    });
  }
  return out;
}

const NODE_CONDITIONS: [string, string, string, string][] = [
  [
    'MemoryPressure',
    'False',
    'KubeletHasSufficientMemory',
    'kubelet has sufficient memory available',
  ],
  ['DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
  ['PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
  ['Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'],
];

/** Adds the heartbeat times a kubelet keeps fresh (set when the node is stored). */
export function withHeartbeats(node: KubeObject, time: string): KubeObject {
  const status = node.status as { conditions?: Record<string, unknown>[] } | undefined;
  for (const c of status?.conditions ?? []) {
    c.lastHeartbeatTime ??= time;
    c.lastTransitionTime ??= time;
  }
  return node;
}

export interface Requirement {
  key: string;
  operator: string;
  values?: string[];
}
interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
}
interface Taint {
  key: string;
  value?: string;
  effect: string;
}
export interface PodSpecForScheduling {
  nodeSelector?: Record<string, string>;
  affinity?: {
    nodeAffinity?: {
      requiredDuringSchedulingIgnoredDuringExecution?: {
        nodeSelectorTerms?: { matchExpressions?: Requirement[]; matchFields?: Requirement[] }[];
      };
    };
  };
  tolerations?: Toleration[];
}

/** A node selector or label selector requirement against a label's value (undefined: absent). */
export function matches(req: Requirement, value: string | undefined): boolean {
  const values = req.values ?? [];
  switch (req.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
      return value !== undefined && Number(value) > Number(values[0]);
    case 'Lt':
      return value !== undefined && Number(value) < Number(values[0]);
    default:
      return false;
  }
}

function tolerates(tolerations: Toleration[], taint: Taint): boolean {
  return tolerations.some(
    (t) =>
      (t.effect === undefined || t.effect === '' || t.effect === taint.effect) &&
      (t.operator === 'Exists'
        ? t.key === undefined || t.key === '' || t.key === taint.key
        : t.key === taint.key && (t.value ?? '') === (taint.value ?? '')),
  );
}

/** Whether a pod with this spec may run on `node` (the DaemonSet controller's predicate). */
export function schedulableOn(node: KubeObject, pod: PodSpecForScheduling): boolean {
  const labels = node.metadata.labels ?? {};
  for (const [k, v] of Object.entries(pod.nodeSelector ?? {})) if (labels[k] !== v) return false;
  const terms =
    pod.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (terms && terms.length > 0) {
    // Terms are ORed, the requirements inside a term ANDed; matchFields knows metadata.name.
    const ok = terms.some(
      (term) =>
        (term.matchExpressions ?? []).every((r) => matches(r, labels[r.key])) &&
        (term.matchFields ?? []).every((r) =>
          matches(r, r.key === 'metadata.name' ? node.metadata.name : undefined),
        ),
    );
    if (!ok) return false;
  }
  const taints = ((node.spec as { taints?: Taint[] } | undefined)?.taints ?? []).filter(
    (t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute',
  );
  return taints.every((t) => tolerates(pod.tolerations ?? [], t));
}

/** The status the DaemonSet controller reports when every scheduled pod is ready. */
export function daemonSetStatus(ds: KubeObject, nodes: KubeObject[]): Record<string, unknown> {
  const pod = ((ds.spec as { template?: { spec?: PodSpecForScheduling } } | undefined)?.template
    ?.spec ?? {}) as PodSpecForScheduling;
  const n = nodes.filter((node) => schedulableOn(node, pod)).length;
  // numberAvailable and updatedNumberScheduled are omitempty in the Go type.
  return {
    currentNumberScheduled: n,
    desiredNumberScheduled: n,
    ...(n > 0 ? { numberAvailable: n } : {}),
    numberMisscheduled: 0,
    numberReady: n,
    observedGeneration: ds.metadata.generation,
    ...(n > 0 ? { updatedNumberScheduled: n } : {}),
  };
}
