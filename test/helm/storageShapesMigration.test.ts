/**
 * Discovery and the executor's backup on a release real helm installed with every storage shape:
 * discovery finds all of it on the cluster (manifest objects with their scopes, hooks and where
 * their policies leave them, the top chart's and the sub-chart's crds/ CRDs), and a run's backup
 * holds every one of them, CRDs included, so rollback can restore what an add-on overwrote.
 */
import { KubeConfig } from '@kubernetes/client-node';
import { join } from 'node:path';
import {
  describeRef,
  discoverReleaseObjects,
  InMemoryMigrationStore,
  MIGRATION_PLAN_SCHEMA_VERSION,
  rollbackMigration,
  startMigration,
  toHelmRelease,
  type EksGateway,
  type HelmReleaseWire,
  type IamGateway,
  type KubeGateway,
  type MigrationBackup,
  type MigrationPlan,
  type ResourceRef,
} from '@hyperpod/core';
import { ClientNodeKubeGateway } from '@hyperpod/core-node';
import { helmPath } from '../support/tools';
import { startHelmHarness, type HelmHarness } from './helmHarness';
import { installStorageShapes, type CapturedRelease } from './storageShapes';

describe('the storage-shapes release (real helm v3) in discovery and in a run', () => {
  let h: HelmHarness;
  let captured: CapturedRelease;
  let kube: KubeGateway;
  beforeAll(async () => {
    h = await startHelmHarness('storage-shapes', { helm: helmPath() });
    captured = await installStorageShapes(h);
    const kc = new KubeConfig();
    kc.loadFromFile(join(h.dir, 'kubeconfig'));
    kube = new ClientNodeKubeGateway(kc);
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  it('discovery lists every object of the release and checks each against the cluster', async () => {
    const errors: string[] = [];
    const reads: ResourceRef[] = [];
    const read = async <T>(what: string, fn: () => Promise<T>) => {
      try {
        return await fn();
      } catch (e) {
        errors.push(`${what}: ${String(e)}`);
        return undefined;
      }
    };
    const found = await discoverReleaseObjects(
      kube,
      toHelmRelease(captured.release as HelmReleaseWire),
      read,
      reads,
    );
    expect(errors).toEqual([]);
    expect(found.errors).toEqual([]);
    expect(found.objects).toHaveLength(18);
    for (const o of found.objects) expect(await kube.get(o.ref)).toBeDefined();
    expect(found.hooks.map((x) => [x.ref.name, x.expected, x.live])).toEqual([
      ['shapes-pre-install', 'present', true],
      ['shapes-post-install', 'deleted', false],
      ['shapes-kept-hook', 'present', true],
    ]);
    expect(found.crds.map((c) => [c.ref.name, c.from, c.live])).toEqual([
      ['widgets.shapes.example.com', 'chart-files', true],
      ['gadgets.shapes.example.com', 'chart-files', true],
      ['things.sub.example.com', 'inferred', true],
    ]);
  });

  it("a run's backup holds every object of the release, hooks and crds/ CRDs included, and rollback restores them", async () => {
    const victim = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      namespace: 'shapes',
      name: 'shapes-included',
    };
    const plan: MigrationPlan = {
      schemaVersion: MIGRATION_PLAN_SCHEMA_VERSION,
      kind: 'MigrationPlan',
      createdAt: '2026-12-06T00:00:00Z',
      profile: 'storage-shapes',
      cluster: {
        name: 'storage-shapes',
        arn: 'arn:aws:eks:us-east-2:111122223333:cluster/storage-shapes',
        accountId: '111122223333',
        region: 'us-east-2',
        kubernetesVersion: '1.31',
      },
      source: {
        release: 'shapes',
        namespace: 'shapes',
        revision: 1,
        status: 'deployed',
        chart: 'storage-shapes',
        chartVersion: '0.1.0',
        chartPath: ['storage-shapes'],
      },
      target: {
        addonName: 'none',
        addonVersion: 'v0',
        configuration: {},
        configurationValid: true,
      },
      dependencies: [],
      drops: [],
      reads: [],
      warnings: [],
      blockers: [],
      steps: [
        {
          id: 'remove-helm-objects',
          title: 'Remove the Helm objects',
          description: 'one object of the release',
          actions: [
            {
              id: 'delete-included',
              kind: 'kube.delete',
              ref: victim,
              summary: 'delete ConfigMap shapes/shapes-included',
              inverse: 'restore it from the backup',
            },
          ],
        },
      ],
    };
    const store = new InMemoryMigrationStore();
    const deps = {
      eks: {} as EksGateway,
      iam: {} as IamGateway,
      kube,
      store,
      actor: 'test@storage-shapes',
      retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
    };
    const outcome = await startMigration(plan, 'shapes-run', deps);
    const backup = (await store.read('shapes-run'))!.backup as MigrationBackup;
    const saved = new Set(
      backup.objects.map((o) =>
        describeRef({
          apiVersion: o.apiVersion,
          kind: o.kind,
          name: o.metadata.name,
          ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}),
        }),
      ),
    );
    for (const name of [
      'CustomResourceDefinition widgets.shapes.example.com',
      'CustomResourceDefinition gadgets.shapes.example.com',
      'CustomResourceDefinition things.sub.example.com',
      'ConfigMap shapes/shapes-pre-install',
      'ConfigMap shapes/shapes-kept-hook',
      'ConfigMap shapes/shapes-included',
      'Gadget shapes-gadget',
      'Widget storage-shapes-other/shapes-widget',
      'ConfigMap storage-shapes-other/shapes-list-b',
      'Secret shapes/sh.helm.release.v1.shapes.v1',
    ])
      expect([name, saved.has(name)]).toEqual([name, true]);
    expect(saved.size).toBe(1 + 18 + 2 + 3);

    expect(outcome.status).toBe('succeeded');
    expect(await kube.get(victim)).toBeUndefined();
    const rolled = await rollbackMigration('shapes-run', deps);
    expect(rolled.rollbackErrors).toEqual([]);
    expect(await kube.get(victim)).toBeDefined();
  });
});
