/** The end state of a finished inference migration, checked on the sandbox through the real gateways. */
import type { MigrationGateways, MigrationPlan } from '@hyperpod/core';
import type { Sandbox } from '@hyperpod/sandbox';

export async function expectMigrated(
  sb: Sandbox,
  g: MigrationGateways,
  plan: MigrationPlan,
): Promise<void> {
  const cluster = plan.cluster.name;
  const addon = await g.eks.describeAddon(cluster, plan.target.addonName);
  expect(addon).toMatchObject({ status: 'ACTIVE', addonVersion: plan.target.addonVersion });
  expect(JSON.parse(addon!.configurationValues ?? '{}')).toEqual(plan.target.configuration);
  for (const dep of plan.dependencies.filter(
    (d) => d.action === 'migrate' || d.action === 'create',
  ))
    expect(await g.eks.describeAddon(cluster, dep.addonName)).toMatchObject({
      status: 'ACTIVE',
      addonVersion: dep.addonVersion,
    });
  const kube = sb.kube(cluster);
  // The Helm operator is gone; the add-on's runs.
  for (const a of plan.steps.flatMap((s) => s.actions))
    if (a.kind === 'kube.delete' && !a.unlessAdoptedBy) expect(kube.get(a.ref)).toBeUndefined();
  expect(
    kube.get({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: 'hyperpod-inference-system',
      name: 'hyperpod-inference-controller-manager',
    }),
  ).toBeDefined();
  // Tags added alongside the ones that were there.
  for (const a of plan.steps.flatMap((s) => s.actions)) {
    if (a.kind !== 'tag') continue;
    const t = a.target;
    const now =
      t.type === 'load-balancer'
        ? (await g.elbv2!.getTags([t.arn]))[t.arn]
        : t.type === 'certificate'
          ? await g.acm!.listTags(t.arn)
          : await g.s3!.getObjectTagging(t.bucket, t.key);
    expect(now).toEqual({ ...a.before, CreatedBy: 'HyperPodInference' });
  }
  // Helm no longer manages it, and says why.
  const secret = kube.get({
    apiVersion: 'v1',
    kind: 'Secret',
    namespace: plan.source.namespace,
    name: `sh.helm.release.v1.${plan.source.release}.v${plan.source.revision}`,
  });
  expect(secret?.metadata.labels?.['kubectl-hyperpod.io/migrated-to']).toBe(plan.target.addonName);
}
