/**
 * Table columns kube-apiserver's printers (pkg/printers/internalversion) give the kinds real
 * charts install: Node, PersistentVolume and claim, PodDisruptionBudget, Job, CronJob, APIService
 * and the webhook configurations.
 */
import { AGE, age, col, humanDuration, NAME, type Column, type Row } from './tableColumns';
import type { KubeObject } from './types';

type AnyRec = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const spec = (o: KubeObject): AnyRec => (o.spec ?? {}) as AnyRec;
const status = (o: KubeObject): AnyRec => (o.status ?? {}) as AnyRec;
const orNone = (v: unknown) => (v === undefined || v === null || v === '' ? '<none>' : v);

/** helper.GetAccessModesAsString: RWO, ROX, RWX, RWOP, in that order. */
function accessModes(modes: unknown): string {
  const list = Array.isArray(modes) ? (modes as string[]) : [];
  const short: [string, string][] = [
    ['ReadWriteOnce', 'RWO'],
    ['ReadOnlyMany', 'ROX'],
    ['ReadWriteMany', 'RWX'],
    ['ReadWriteOncePod', 'RWOP'],
  ];
  return short
    .filter(([m]) => list.includes(m))
    .map(([, s]) => s)
    .join(',');
}

function condition(o: KubeObject, type: string): AnyRec | undefined {
  const cs = status(o).conditions;
  return Array.isArray(cs) ? cs.find((c: AnyRec) => c.type === type) : undefined;
}

function containers(template: AnyRec | undefined): AnyRec[] {
  const c = template?.spec?.containers;
  return Array.isArray(c) ? c : [];
}

function labelSelector(sel: AnyRec | undefined): string {
  if (!sel) return '<none>';
  const parts = Object.entries((sel.matchLabels ?? {}) as Record<string, string>).map(
    ([k, v]) => `${k}=${v}`,
  );
  for (const e of (sel.matchExpressions ?? []) as AnyRec[])
    parts.push(`${e.key} ${String(e.operator).toLowerCase()} (${(e.values ?? []).join(',')})`);
  return parts.length ? parts.join(',') : '<none>';
}

function nodeRoles(o: KubeObject): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(o.metadata.labels ?? {})) {
    if (k.startsWith('node-role.kubernetes.io/'))
      roles.add(k.slice('node-role.kubernetes.io/'.length));
    else if (k === 'kubernetes.io/role') roles.add(v);
  }
  return roles.size ? [...roles].sort().join(',') : '<none>';
}

function nodeStatus(o: KubeObject): string {
  const ready = condition(o, 'Ready');
  const parts = [ready?.status === 'True' ? 'Ready' : ready ? 'NotReady' : 'Unknown'];
  if (spec(o).unschedulable) parts.push('SchedulingDisabled');
  return parts.join(',');
}

function address(o: KubeObject, type: string): string {
  const a = ((status(o).addresses ?? []) as AnyRec[]).find((x) => x.type === type);
  return a?.address ?? '<none>';
}

function jobStatus(o: KubeObject): string {
  if (o.metadata.deletionTimestamp) return 'Terminating';
  for (const type of ['Failed', 'Complete', 'FailureTarget', 'SuccessCriteriaMet', 'Suspended'])
    if (condition(o, type)?.status === 'True') return type;
  return 'Running';
}

function jobDuration(o: KubeObject): string {
  const s = status(o);
  if (!s.startTime) return '';
  const end = s.completionTime ? Date.parse(s.completionTime) : Date.now();
  return humanDuration(end - Date.parse(s.startTime));
}

const workloadWide =
  (template: (o: KubeObject) => AnyRec | undefined): Row =>
  (o) => [
    containers(template(o))
      .map((c) => c.name)
      .join(','),
    containers(template(o))
      .map((c) => c.image)
      .join(','),
  ];

export const KIND_PRINTERS: Record<string, { columns: Column[]; row: Row }> = {
  '/Node': {
    columns: [
      NAME,
      col('Status', 'The status of the node'),
      col('Roles', 'The roles of the node'),
      AGE,
      col('Version', 'Kubelet Version reported by the node.'),
      col('Internal-IP', 'List of internal IPs.', 1),
      col('External-IP', 'List of external IPs.', 1),
      col('OS-Image', 'OS Image reported by the node.', 1),
      col('Kernel-Version', 'Kernel Version reported by the node.', 1),
      col('Container-Runtime', 'Container Runtime Version reported by the node.', 1),
    ],
    row: (o) => {
      const info = (status(o).nodeInfo ?? {}) as AnyRec;
      return [
        o.metadata.name,
        nodeStatus(o),
        nodeRoles(o),
        age(o),
        info.kubeletVersion ?? '',
        address(o, 'InternalIP'),
        address(o, 'ExternalIP'),
        orNone(info.osImage),
        orNone(info.kernelVersion),
        orNone(info.containerRuntimeVersion),
      ];
    },
  },
  '/PersistentVolume': {
    columns: [
      NAME,
      col(
        'Capacity',
        "Capacity is the description of the persistent volume's resources and capacity.",
      ),
      col('Access Modes', 'AccessModes contains all ways the volume can be mounted.'),
      col('Reclaim Policy', 'What happens to a persistent volume when released from its claim.'),
      col(
        'Status',
        'Phase indicates if a volume is available, bound to a claim, or released by a claim.',
      ),
      col(
        'Claim',
        'ClaimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim.',
      ),
      col('StorageClass', 'StorageClass of the pv'),
      col('VolumeAttributesClass', 'VolumeAttributesClass of the pv'),
      col(
        'Reason',
        'Reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI.',
      ),
      AGE,
      col(
        'VolumeMode',
        'Define if a volume is intended to be used with a formatted filesystem or to remain in raw block state.',
        1,
      ),
    ],
    row: (o) => {
      const s = spec(o);
      const ref = s.claimRef as AnyRec | undefined;
      return [
        o.metadata.name,
        s.capacity?.storage ?? '0',
        accessModes(s.accessModes),
        s.persistentVolumeReclaimPolicy ?? '',
        o.metadata.deletionTimestamp ? 'Terminating' : (status(o).phase ?? ''),
        ref ? `${ref.namespace}/${ref.name}` : '',
        s.storageClassName ?? '',
        s.volumeAttributesClassName || '<unset>',
        status(o).reason ?? '',
        age(o),
        s.volumeMode ?? '<unset>',
      ];
    },
  },
  '/PersistentVolumeClaim': {
    columns: [
      NAME,
      col('Status', 'Phase represents the current phase of PersistentVolumeClaim.'),
      col(
        'Volume',
        'VolumeName is the binding reference to the PersistentVolume backing this claim.',
      ),
      col('Capacity', 'Capacity represents the actual resources of the underlying volume.'),
      col('Access Modes', 'AccessModes contains the desired access modes the volume should have.'),
      col('StorageClass', 'StorageClass of the pvc'),
      col('VolumeAttributesClass', 'VolumeAttributesClass of the pvc'),
      AGE,
      col('VolumeMode', 'VolumeMode defines what type of volume is required by the claim.', 1),
    ],
    row: (o) => {
      const s = spec(o);
      const bound = !!s.volumeName;
      return [
        o.metadata.name,
        o.metadata.deletionTimestamp ? 'Terminating' : (status(o).phase ?? ''),
        s.volumeName ?? '',
        bound ? (status(o).capacity?.storage ?? '') : '',
        bound ? accessModes(status(o).accessModes) : '',
        s.storageClassName ?? '',
        s.volumeAttributesClassName || '<unset>',
        age(o),
        s.volumeMode ?? '<unset>',
      ];
    },
  },
  'policy/PodDisruptionBudget': {
    columns: [
      NAME,
      col('Min Available', 'The minimum number of pods that must be available.'),
      col('Max Unavailable', 'The maximum number of pods that may be unavailable.'),
      col(
        'Allowed Disruptions',
        'Calculated number of pods that may be disrupted at this time.',
        0,
        'integer',
      ),
      AGE,
    ],
    row: (o) => [
      o.metadata.name,
      spec(o).minAvailable !== undefined ? String(spec(o).minAvailable) : 'N/A',
      spec(o).maxUnavailable !== undefined ? String(spec(o).maxUnavailable) : 'N/A',
      typeof status(o).disruptionsAllowed === 'number' ? status(o).disruptionsAllowed : 0,
      age(o),
    ],
  },
  'batch/Job': {
    columns: [
      NAME,
      col('Status', 'Status of the job.'),
      col('Completions', 'The completion status of the job.'),
      col('Duration', 'Time required to complete the job.'),
      AGE,
      col('Containers', 'Names of each container in the template.', 1),
      col('Images', 'Images referenced by each container in the template.', 1),
      col('Selector', 'Query over pods that should match the pod count.', 1),
    ],
    row: (o) => [
      o.metadata.name,
      jobStatus(o),
      spec(o).completions !== undefined
        ? `${status(o).succeeded ?? 0}/${spec(o).completions}`
        : `${status(o).succeeded ?? 0}/1 of ${spec(o).parallelism ?? 1}`,
      jobDuration(o),
      age(o),
      ...workloadWide((x) => spec(x).template)(o),
      labelSelector(spec(o).selector),
    ],
  },
  'batch/CronJob': {
    columns: [
      NAME,
      col('Schedule', 'The schedule for running the job.'),
      col('Timezone', 'The timezone of the schedule.'),
      col('Suspend', 'Whether this job is suspended.'),
      col('Active', 'The number of active jobs.', 0, 'integer'),
      col('Last Schedule', 'When the last job was successfully scheduled.'),
      AGE,
      col('Containers', 'Names of each container in the template.', 1),
      col('Images', 'Images referenced by each container in the template.', 1),
      col('Selector', 'Query over pods that should match the pod count.', 1),
    ],
    row: (o) => {
      const s = spec(o);
      const last = status(o).lastScheduleTime;
      return [
        o.metadata.name,
        s.schedule ?? '',
        orNone(s.timeZone),
        s.suspend ? 'True' : 'False',
        Array.isArray(status(o).active) ? status(o).active.length : 0,
        last ? humanDuration(Date.now() - Date.parse(last)) : '<none>',
        age(o),
        ...workloadWide((x) => spec(x).jobTemplate?.spec?.template)(o),
        labelSelector(s.jobTemplate?.spec?.selector),
      ];
    },
  },
  'apiregistration.k8s.io/APIService': {
    columns: [
      NAME,
      col('Service', 'The reference to the service that hosts this API endpoint.'),
      col('Available', 'Whether this service is available.'),
      AGE,
    ],
    row: (o) => {
      const svc = spec(o).service as AnyRec | undefined | null;
      const available = condition(o, 'Available');
      return [
        o.metadata.name,
        svc ? `${svc.namespace}/${svc.name}` : 'Local',
        !available
          ? 'Unknown'
          : available.status === 'True'
            ? 'True'
            : `${available.status} (${available.reason})`,
        age(o),
      ];
    },
  },
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration': webhookPrinter(),
  'admissionregistration.k8s.io/MutatingWebhookConfiguration': webhookPrinter(),
};

function webhookPrinter(): { columns: Column[]; row: Row } {
  return {
    columns: [
      NAME,
      col('Webhooks', 'Webhooks indicates the number of webhooks.', 0, 'integer'),
      AGE,
    ],
    row: (o) => [o.metadata.name, Array.isArray(o.webhooks) ? o.webhooks.length : 0, age(o)],
  };
}
