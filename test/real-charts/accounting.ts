/**
 * The end state of a migration of a real chart, judged against the release's objects as real helm
 * and kubectl list them (not the migration's own manifest reading): every object migrated (the
 * add-on took it over), removed by the plan, kept by design and named in the plan, or already gone
 * before the run (a Helm hook deleted by its delete policy). Anything else is a problem.
 */
import type { MigrationGateways, MigrationPlan } from '@hyperpod/core';
import type { RealChartCase } from '../support/realChartCases';
import { ok, type RealChartSandbox } from '../support/realChartSandbox';
import { objectKey, type ReleaseObject } from '../support/releaseObjects';

export interface Accounting {
  counts: { migrated: number; removed: number; kept: number; goneBefore: number };
  problems: string[];
}

const WORKLOADS = new Set(['Deployment', 'DaemonSet', 'StatefulSet', 'ReplicaSet']);
const KEPT_BY_DESIGN = new Set([
  'CustomResourceDefinition',
  'Namespace',
  'PersistentVolume',
  'PersistentVolumeClaim',
]);

const managedByEks = (o: { metadata: Record<string, unknown> }): boolean => {
  const mf = o.metadata['managedFields'];
  return Array.isArray(mf) && mf.some((m) => (m as { manager?: string }).manager === 'eks');
};

const describe = (o: ReleaseObject) =>
  `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name} (${o.from})`;

/** Which of the release's objects exist now. */
export function presentObjects(s: RealChartSandbox, objects: ReleaseObject[]): Set<string> {
  const kube = s.sb.kube(s.cluster.name);
  return new Set(objects.filter((o) => kube.get(o)).map(objectKey));
}

export async function accountFor(
  s: RealChartSandbox,
  g: MigrationGateways,
  plan: MigrationPlan,
  objects: ReleaseObject[],
  c: RealChartCase,
  presentBefore: Set<string>,
): Promise<Accounting> {
  const problems: string[] = [];
  const counts = { migrated: 0, removed: 0, kept: 0, goneBefore: 0 };
  const cluster = plan.cluster.name;

  const addon = await g.eks.describeAddon(cluster, plan.target.addonName);
  if (addon?.status !== 'ACTIVE')
    problems.push(`add-on ${plan.target.addonName} is ${addon?.status ?? 'missing'}, not ACTIVE`);
  else {
    const config = JSON.parse(addon.configurationValues || '{}') as unknown;
    if (JSON.stringify(config) !== JSON.stringify(plan.target.configuration))
      problems.push(
        `add-on ${plan.target.addonName} runs configuration ${JSON.stringify(config)}, the plan derived ${JSON.stringify(plan.target.configuration)}`,
      );
  }
  for (const dep of plan.dependencies.filter(
    (d) => d.action === 'migrate' || d.action === 'create',
  )) {
    const a = await g.eks.describeAddon(cluster, dep.addonName);
    if (a?.status !== 'ACTIVE')
      problems.push(`dependency add-on ${dep.addonName} is ${a?.status ?? 'missing'}`);
  }
  for (const dep of c.dependencyAddons ?? [])
    if (!plan.dependencies.some((d) => d.addonName === dep && d.action === 'migrate'))
      problems.push(`the plan does not migrate the sub-chart of ${dep}`);

  const actions = plan.steps.flatMap((st) => st.actions);
  const deleted = new Set(
    actions.flatMap((a) => (a.kind === 'kube.delete' ? [objectKey({ ...a.ref })] : [])),
  );
  const planText = JSON.stringify({ steps: plan.steps, warnings: plan.warnings });
  const kube = s.sb.kube(cluster);
  for (const o of objects) {
    const key = objectKey(o);
    const live = kube.get(o);
    if (!presentBefore.has(key)) {
      if (live) problems.push(`${describe(o)} appeared during the migration`);
      else counts.goneBefore++;
      continue;
    }
    if (!live) {
      if (deleted.has(key)) counts.removed++;
      else problems.push(`${describe(o)} is gone but the plan never deleted it`);
      continue;
    }
    if (managedByEks(live)) counts.migrated++;
    else if (KEPT_BY_DESIGN.has(o.kind) && planText.includes(o.name)) counts.kept++;
    else if (KEPT_BY_DESIGN.has(o.kind))
      problems.push(`${describe(o)} is kept but the plan does not name it`);
    else if (deleted.has(key)) problems.push(`${describe(o)} was to be deleted and is still there`);
    else
      problems.push(`${describe(o)} is orphaned: still there, not the add-on's, not in the plan`);
  }

  // No Helm-owned workload runs, whether or not the manifest listed it.
  for (const kind of WORKLOADS)
    for (const w of kube.list('apps/v1', kind)) {
      const ann = w.metadata.annotations ?? {};
      if (ann['meta.helm.sh/release-name'] !== c.release || managedByEks(w)) continue;
      const replicas = (w['spec'] as { replicas?: number } | undefined)?.replicas;
      if (kind === 'DaemonSet' || replicas === undefined || replicas > 0)
        problems.push(`Helm-owned ${kind} ${w.metadata.namespace}/${w.metadata.name} still runs`);
    }
  return { counts, problems };
}

export interface HelmView {
  list: unknown;
  values: unknown;
  manifest: string;
  history: unknown;
}

/** What `helm list`, `get values`, `get manifest` and `history` say about the release. */
export async function helmView(
  s: RealChartSandbox,
  release: string,
  ns: string,
): Promise<HelmView> {
  const [list, values, manifest, history] = await Promise.all([
    s.helm(['list', '-n', ns, '-a', '-o', 'json']),
    s.helm(['get', 'values', release, '-n', ns, '-o', 'json']),
    s.helm(['get', 'manifest', release, '-n', ns]),
    s.helm(['history', release, '-n', ns, '-o', 'json']),
  ]);
  return {
    list: JSON.parse(ok(list, 'helm list')) as unknown,
    values: JSON.parse(ok(values, 'helm get values')) as unknown,
    manifest: ok(manifest, 'helm get manifest'),
    history: JSON.parse(ok(history, 'helm history')) as unknown,
  };
}
