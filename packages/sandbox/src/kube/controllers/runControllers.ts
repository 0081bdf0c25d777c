/**
 * Which controllers react to a change of which kind: each runs one idempotent pass over the
 * objects it owns, right after the write or delete that may concern it (kube-controller-manager
 * does the same from its informers, a moment later).
 */
import type { ResourceType } from '../ResourceTypes';
import { syncApiServices } from './apiServices';
import { syncDisruptionBudgets } from './disruptionBudgets';
import type { ControllerHost } from './ControllerHost';
import { syncJobs } from './jobController';
import { daemonSetStatus } from './nodes';
import { syncVolumes } from './volumeBinder';

export function runControllers(host: ControllerHost, rt: ResourceType, time: string): void {
  switch (`${rt.group}/${rt.plural}`) {
    case '/persistentvolumes':
    case '/persistentvolumeclaims':
      syncVolumes(host, time);
      return;
    case 'batch/jobs':
      syncJobs(host, time);
      return;
    case 'apiregistration.k8s.io/apiservices':
      syncApiServices(host, time);
      return;
    case 'policy/poddisruptionbudgets':
    case 'apps/deployments':
    case 'apps/replicasets':
    case 'apps/statefulsets':
    case 'apps/daemonsets':
      syncDisruptionBudgets(host, time);
      return;
    case '/nodes': {
      // The DaemonSet controller re-counts the nodes each DaemonSet's pods fit on.
      const nodes = host.objects('', 'nodes');
      for (const ds of host.objects('apps', 'daemonsets')) {
        ds.status = daemonSetStatus(ds, nodes);
        host.write('apps', 'daemonsets', ds, 'kube-controller-manager', 'status');
      }
      syncDisruptionBudgets(host, time);
      return;
    }
    default:
      return;
  }
}
