/**
 * `helm.markMigrated`: the release's newest revision labelled with the add-on it moved to
 * (MIGRATED_LABEL) and, in mode `uninstalled`, recorded as uninstalled in Helm's own storage
 * format. Undo: restoreObject (the release secret as the backup saved it).
 */
import { strFromU8, strToU8 } from 'fflate';
import { decodeBase64, encodeBase64 } from '../../helm/base64';
import { helmReleaseSecretName } from '../../helm/HelmRelease';
import { decodeHelmReleaseData, encodeHelmReleaseData } from '../../helm/helmReleaseCodec';
import type { KubeRef } from '../../ports/KubeGateway';
import { describeRef } from '../manifest';
import type { MarkReleaseAction } from '../MigrationPlan';
import type { MigrationRun } from '../MigrationRun';
import type { ActionResult } from './ActionResult';

export const MIGRATED_LABEL = 'kubectl-hyperpod.io/migrated-to';

/** The Secret that stores the revision the action marks. */
export function releaseSecretRef(action: MarkReleaseAction): KubeRef {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    namespace: action.namespace,
    name: helmReleaseSecretName(action.release, action.revision),
  };
}

export async function perform(run: MigrationRun, action: MarkReleaseAction): Promise<ActionResult> {
  const ref = releaseSecretRef(action);
  const secret = await run.call(`get ${describeRef(ref)}`, () => run.deps.kube.get(ref));
  if (!secret) throw new Error(`Helm release secret ${describeRef(ref)} is gone`);
  const labels: Record<string, string> = {
    ...(secret.metadata.labels ?? {}),
    [MIGRATED_LABEL]: run.plan.target.addonName,
  };
  const data = { ...((secret['data'] as Record<string, string>) ?? {}) };
  if (action.mode === 'uninstalled' && labels['status'] !== 'uninstalled') {
    const wire = decodeHelmReleaseData(strFromU8(decodeBase64(data['release']!)));
    const now = run
      .now()
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z');
    wire.info = {
      first_deployed: wire.info?.first_deployed ?? now,
      last_deployed: wire.info?.last_deployed ?? now,
      ...wire.info,
      status: 'uninstalled',
      description: action.description,
      deleted: now,
    };
    data['release'] = encodeBase64(strToU8(encodeHelmReleaseData(wire)));
    labels['status'] = 'uninstalled';
    labels['modifiedAt'] = String(Math.trunc(run.now().getTime() / 1000));
  }
  await run.call(`update ${describeRef(ref)}`, () =>
    run.deps.kube.replace({ ...secret, metadata: { ...secret.metadata, labels }, data }),
  );
  return undefined;
}
