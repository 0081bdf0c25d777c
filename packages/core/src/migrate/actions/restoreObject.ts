/**
 * The undo of every Kubernetes action (`kube.scale`, `kube.delete`, `helm.markMigrated`) and of
 * what an add-on took over: the object put back exactly as the backup saved it (replicas
 * included). Rollback restores every saved object, whatever point the run reached.
 */
import { GatewayError } from '../../ports/GatewayError';
import type { KubeObject } from '../../ports/KubeGateway';
import { describeRef, refOf } from '../manifest';
import type { MigrationRun } from '../MigrationRun';

export async function restoreObject(run: MigrationRun, saved: KubeObject): Promise<void> {
  const { kube } = run.deps;
  const ref = refOf(saved);
  for (let attempt = 0; attempt < 5; attempt++) {
    const live = await run.call(`get ${describeRef(ref)}`, () => kube.get(ref));
    try {
      if (!live) {
        await run.call(`create ${describeRef(ref)}`, () => kube.create(strip(saved)));
      } else if (comparable(live) !== comparable(saved)) {
        await run.call(`replace ${describeRef(ref)}`, () =>
          kube.replace({
            ...strip(saved),
            metadata: { ...strip(saved).metadata, resourceVersion: live.metadata.resourceVersion },
          }),
        );
      }
      return;
    } catch (e) {
      // Someone (a controller, a retried call) changed it in between: read again.
      if (e instanceof GatewayError && (e.kind === 'Conflict' || e.kind === 'NotFound')) continue;
      throw e;
    }
  }
  throw new Error(`${describeRef(ref)} kept changing while it was restored`);
}

/** Server-assigned fields a restore must not send. */
function strip(o: KubeObject): KubeObject {
  const copy = JSON.parse(JSON.stringify(o)) as KubeObject;
  const m = copy.metadata;
  delete m.uid;
  delete m.resourceVersion;
  delete m['creationTimestamp'];
  delete m['managedFields'];
  delete m['generation'];
  delete m['selfLink'];
  return copy;
}

function comparable(o: KubeObject): string {
  const c = strip(o);
  delete c['status'];
  return JSON.stringify(sortKeys(c));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.keys(v as object)
        .sort()
        .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
    );
  return v;
}
