/**
 * The backup a run writes before its first change: every Helm revision secret and every object of
 * the release as it is, the CRDs the add-ons will apply over, an inventory of the cluster's
 * objects, and the tags, roles and add-ons the plan will touch.
 */
import { componentForAddon } from '../components/addonComponents';
import { helmReleaseSecretName } from '../helm/HelmRelease';
import { decodeHelmReleaseSecret } from '../helm/helmReleaseCodec';
import type { EksAddon } from '../ports/EksGateway';
import type { IamRole } from '../ports/IamGateway';
import type { KubeObject, KubeRef } from '../ports/KubeGateway';
import { readTags } from './actions/tag';
import { discoverReleaseObjects } from './discoverReleaseObjects';
import { describeRef, refKey, refOf } from './manifest';
import {
  INVENTORY_KINDS,
  MIGRATION_BACKUP_SCHEMA_VERSION,
  type MigrationBackup,
} from './MigrationBackup';
import { planActions, type MigrationPlan } from './MigrationPlan';
import type { MigrationRun } from './MigrationRun';

export async function takeBackup(run: MigrationRun): Promise<MigrationBackup> {
  const { kube, eks, iam } = run.deps;
  const plan = run.plan;
  const refs = new Map<string, KubeRef>();
  const helmSecrets = await run.call('list Helm release secrets', () =>
    kube.list('v1', 'Secret', {
      namespace: plan.source.namespace,
      labelSelector: `owner=helm,name=${plan.source.release}`,
    }),
  );
  const objects: KubeObject[] = [...helmSecrets];
  for (const { action } of planActions(plan)) {
    if (action.kind === 'kube.delete' || action.kind === 'kube.scale')
      refs.set(refKey(action.ref), action.ref);
  }
  // Every object of the release (the add-ons may take any of them over).
  const inventory: string[] = [];
  const written = addonCrdGroups(plan);
  for (const k of INVENTORY_KINDS) {
    const items = await run.call(`list ${k.kind}`, () => kube.list(k.apiVersion, k.kind));
    for (const o of items) {
      inventory.push(refKey(refOf(o)));
      // CRDs an add-on will apply over, whoever made them (kubectl before a chart with
      // crds.enabled=false): rollback puts them back as they were.
      if (k.kind === 'CustomResourceDefinition' && written.has(crdGroup(o.metadata.name)))
        refs.set(refKey(refOf(o)), refOf(o));
    }
  }
  for (const r of await releaseRefs(run)) refs.set(refKey(r), r);
  for (const ref of refs.values()) {
    const o = await run.call(`get ${describeRef(ref)}`, () => kube.get(ref));
    if (o) objects.push(o);
  }
  const tags: Record<string, Record<string, string>> = {};
  const roles: Record<string, IamRole | null> = {};
  const addons: Record<string, EksAddon | null> = {};
  for (const { action } of planActions(plan)) {
    if (action.kind === 'tag') tags[action.id] = await readTags(run, action);
    if (action.kind === 'iam.createRole')
      roles[action.roleName] =
        (await run.call(`GetRole ${action.roleName}`, () => iam.getRole(action.roleName))) ?? null;
    if (action.kind === 'eks.createAddon')
      addons[action.addonName] =
        (await run.call(`DescribeAddon ${action.addonName}`, () =>
          eks.describeAddon(plan.cluster.name, action.addonName),
        )) ?? null;
  }
  return {
    schemaVersion: MIGRATION_BACKUP_SCHEMA_VERSION,
    runId: run.runId,
    takenAt: run.now().toISOString(),
    objects,
    inventory,
    tags,
    roles,
    addons,
  };
}

/** API groups of the CRDs the add-ons the plan creates will apply. */
function addonCrdGroups(plan: MigrationPlan): Set<string> {
  return new Set(
    planActions(plan).flatMap(({ action }) =>
      action.kind === 'eks.createAddon'
        ? (componentForAddon(action.addonName)?.crdGroups ?? [])
        : [],
    ),
  );
}

/** A CRD's group, from its name (`<plural>.<group>`). */
const crdGroup = (name: string): string => name.slice(name.indexOf('.') + 1);

/**
 * Every object of the release's newest revision: its manifest's objects, its hooks and its
 * charts' crds/ CRDs (which Helm keeps out of the manifest, and an add-on may overwrite).
 */
async function releaseRefs(run: MigrationRun): Promise<KubeRef[]> {
  const secret = await run.call('get Helm release', () =>
    run.deps.kube.get({
      apiVersion: 'v1',
      kind: 'Secret',
      namespace: run.plan.source.namespace,
      name: helmReleaseSecretName(run.plan.source.release, run.plan.source.revision),
    }),
  );
  if (!secret) return [];
  const release = decodeHelmReleaseSecret(secret as Parameters<typeof decodeHelmReleaseSecret>[0]);
  const found = await discoverReleaseObjects(
    run.deps.kube,
    release,
    (what, fn) => run.call(what, fn),
    [],
  );
  return [
    ...found.objects.map((o) => o.ref),
    ...found.hooks.map((h) => h.ref),
    ...found.crds.map((c) => c.ref),
  ];
}
