/**
 * What happens to an object as it is written, before it is stored: the defaults apiserver fills
 * in, and the status the sandbox's trivial controllers would report at once (namespaces active,
 * every workload replica ready, CRDs established).
 */
import type { ResourceType } from '../ResourceTypes';
import { isPlainObject } from '../managedFields';
import { now } from '../now';
import type { KubeObject } from '../types';
import { defaultCronJob, defaultJob } from './jobController';
import { daemonSetStatus } from './nodes';
import { podTemplateHash } from './replicaSets';
import { defaultClaim, defaultVolume } from './volumeBinder';

/** What a write's reconciliation reads of the cluster. */
export interface ReconcileContext {
  /** The cluster's resourceVersion before the write (Service cluster IPs derive from it). */
  resourceVersion: number;
  /** The cluster's Kubernetes minor version. */
  version: string;
  /** The stored Nodes, DaemonSets are scheduled on. */
  nodes(): KubeObject[];
}

/** Fills in what apiserver defaults and keeps workload status in step with spec. */
export function reconcileOnWrite(
  rt: ResourceType,
  o: KubeObject,
  specChanged: boolean,
  ctx: ReconcileContext,
): void {
  const spec = (isPlainObject(o.spec) ? o.spec : undefined) as Record<string, unknown> | undefined;
  switch (`${rt.group}/${rt.kind}`) {
    case '/Namespace':
      o.metadata.labels = {
        ...(o.metadata.labels ?? {}),
        'kubernetes.io/metadata.name': o.metadata.name,
      };
      o.spec = { finalizers: ['kubernetes'], ...(spec ?? {}) };
      o.status = { phase: 'Active' };
      return;
    case '/Secret':
      if (isPlainObject(o.stringData)) {
        const data: Record<string, string> = { ...((o.data as Record<string, string>) ?? {}) };
        for (const [k, v] of Object.entries(o.stringData))
          data[k] = Buffer.from(String(v)).toString('base64');
        o.data = data;
        delete o.stringData;
      }
      o.type ??= 'Opaque';
      return;
    case '/Service':
      if (spec) {
        spec.type ??= 'ClusterIP';
        if (spec.clusterIP === undefined && spec.type !== 'ExternalName') {
          const n = ctx.resourceVersion % 65000;
          spec.clusterIP = `10.100.${Math.floor(n / 250)}.${(n % 250) + 1}`;
          spec.clusterIPs = [spec.clusterIP];
        }
      }
      return;
    case 'apps/Deployment':
    case 'apps/StatefulSet':
    case 'apps/ReplicaSet': {
      if (!spec) return;
      spec.replicas ??= 1;
      if (!specChanged) return;
      const r = spec.replicas as number;
      const status: Record<string, unknown> = { observedGeneration: o.metadata.generation };
      if (r > 0)
        Object.assign(status, {
          replicas: r,
          updatedReplicas: r,
          readyReplicas: r,
          availableReplicas: r,
        });
      if (rt.kind === 'Deployment') {
        const t = now();
        status.conditions = [
          {
            type: 'Available',
            status: 'True',
            lastUpdateTime: t,
            lastTransitionTime: t,
            reason: 'MinimumReplicasAvailable',
            message: 'Deployment has minimum availability.',
          },
          {
            type: 'Progressing',
            status: 'True',
            lastUpdateTime: t,
            lastTransitionTime: t,
            reason: 'NewReplicaSetAvailable',
            message: `ReplicaSet "${o.metadata.name}-${podTemplateHash(spec.template)}" has successfully progressed.`,
          },
        ];
      }
      if (rt.kind === 'StatefulSet')
        Object.assign(status, { currentReplicas: r, availableReplicas: r });
      o.status = status;
      return;
    }
    case 'apps/DaemonSet':
      if (specChanged) o.status = daemonSetStatus(o, ctx.nodes());
      return;
    case '/PersistentVolume':
      defaultVolume(o);
      return;
    case '/PersistentVolumeClaim':
      defaultClaim(o);
      return;
    case 'batch/Job':
      defaultJob(o, ctx.version);
      return;
    case 'batch/CronJob':
      defaultCronJob(o);
      return;
    case 'apiextensions.k8s.io/CustomResourceDefinition': {
      if (!spec) return;
      const t = now();
      const versions = Array.isArray(spec.versions)
        ? (spec.versions as Record<string, unknown>[])
        : [];
      o.status = {
        acceptedNames: spec.names,
        conditions: [
          {
            type: 'NamesAccepted',
            status: 'True',
            lastTransitionTime: t,
            reason: 'NoConflicts',
            message: 'no conflicts found',
          },
          {
            type: 'Established',
            status: 'True',
            lastTransitionTime: t,
            reason: 'InitialNamesAccepted',
            message: 'the initial names have been accepted',
          },
        ],
        storedVersions: versions.filter((v) => v.storage === true).map((v) => v.name),
      };
      return;
    }
    default:
      return;
  }
}
