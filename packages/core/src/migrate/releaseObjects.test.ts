import { toHelmRelease } from '../helm/helmReleaseCodec';
import type { HelmReleaseWire } from '../helm/HelmRelease';
import helm3 from '../helm/fixtures/storage-shapes.helm3.json';
import helm4 from '../helm/fixtures/storage-shapes.helm4.json';
import { describeRef } from './manifest';
import {
  allReleaseRefs,
  hookExpectation,
  inferSubchartCrds,
  releaseObjects,
} from './releaseObjects';

describe.each([
  ['helm v3.17', helm3],
  ['helm v4.1', helm4],
])('releaseObjects of the storage-shapes release as %s stored it', (_, captured) => {
  const release = toHelmRelease(captured.release as HelmReleaseWire);
  const objects = releaseObjects(release);

  it('reads everything without error', () => {
    expect(objects.errors).toEqual([]);
  });

  it("takes custom kinds' scope from the release's own crds/ files", () => {
    const gadget = objects.manifest.find((o) => o.ref.kind === 'Gadget')!;
    const widget = objects.manifest.find((o) => o.ref.name === 'shapes-widget-here')!;
    expect(gadget.ref.namespace).toBeUndefined();
    expect(widget.ref.namespace).toBe('shapes');
  });

  it('models hooks from the release hooks, with events, delete policies and what Helm leaves of them', () => {
    expect(
      objects.hooks.map((h) => ({
        ref: describeRef(h.ref),
        events: h.events,
        deletePolicies: h.deletePolicies,
        weight: h.weight,
        expected: h.expected,
        source: h.source,
      })),
    ).toEqual([
      {
        ref: 'ConfigMap shapes/shapes-pre-install',
        events: ['pre-install', 'pre-upgrade'],
        deletePolicies: ['before-hook-creation'],
        weight: -5,
        expected: 'present',
        source: 'storage-shapes/templates/hooks.yaml',
      },
      {
        ref: 'ConfigMap shapes/shapes-post-install',
        events: ['post-install'],
        deletePolicies: ['hook-succeeded'],
        weight: 0,
        expected: 'deleted',
        source: 'storage-shapes/templates/hooks.yaml',
      },
      {
        // Helm gives a hook without a policy `before-hook-creation`: it stays after it ran.
        ref: 'ConfigMap shapes/shapes-kept-hook',
        events: ['post-install', 'post-upgrade'],
        deletePolicies: ['before-hook-creation'],
        weight: 0,
        expected: 'present',
        source: 'storage-shapes/templates/hooks.yaml',
      },
    ]);
  });

  it("finds the top chart's crds/ CRDs in the stored chart files", () => {
    expect(objects.crds).toEqual([
      {
        ref: {
          apiVersion: 'apiextensions.k8s.io/v1',
          kind: 'CustomResourceDefinition',
          name: 'widgets.shapes.example.com',
        },
        chartPath: ['storage-shapes'],
        source: 'storage-shapes/crds/gadgets-and-widgets.yaml',
        group: 'shapes.example.com',
        kind: 'Widget',
        scope: 'Namespaced',
        from: 'chart-files',
      },
      {
        ref: {
          apiVersion: 'apiextensions.k8s.io/v1',
          kind: 'CustomResourceDefinition',
          name: 'gadgets.shapes.example.com',
        },
        chartPath: ['storage-shapes'],
        source: 'storage-shapes/crds/gadgets-and-widgets.yaml',
        group: 'shapes.example.com',
        kind: 'Gadget',
        scope: 'Cluster',
        from: 'chart-files',
      },
    ]);
  });

  it("knows the sub-chart's crds/ are not stored, and infers its CRD from the cluster by its Role", () => {
    expect(JSON.stringify(captured.release.chart)).not.toContain('things.sub.example.com');
    expect(objects.unstoredCharts).toEqual([['storage-shapes', 'sub']]);
    const cluster = [
      { metadata: { name: 'things.sub.example.com' } },
      // Granted by the top chart's ClusterRole, and already known from its stored crds/.
      { metadata: { name: 'widgets.shapes.example.com' } },
      // Owned by a release's manifest: not a crds/ CRD.
      {
        metadata: {
          name: 'others.sub.example.com',
          annotations: { 'meta.helm.sh/release-name': 'other' },
        },
      },
      { metadata: { name: 'unrelated.example.org' } },
    ];
    const inferred = inferSubchartCrds(objects, cluster);
    expect(inferred).toEqual([
      {
        ref: {
          apiVersion: 'apiextensions.k8s.io/v1',
          kind: 'CustomResourceDefinition',
          name: 'things.sub.example.com',
        },
        chartPath: ['storage-shapes', 'sub'],
        source: 'storage-shapes/charts/sub/crds (not stored by Helm; named by Role shapes-things)',
        group: 'sub.example.com',
        from: 'inferred',
      },
    ]);
    const all = allReleaseRefs(objects, inferred).map(describeRef);
    expect(all).toHaveLength(18 + 3 + 2 + 1);
    expect(new Set(all).size).toBe(all.length);
  });
});

describe('hookExpectation', () => {
  it.each([
    [['hook-succeeded'], 'Succeeded', 'deleted'],
    [['hook-succeeded'], 'Failed', 'present'],
    [['hook-failed'], 'Failed', 'deleted'],
    [['before-hook-creation'], 'Succeeded', 'present'],
    [['before-hook-creation', 'hook-succeeded'], 'Succeeded', 'deleted'],
    [['hook-succeeded'], '', 'not-run'],
    [[], 'Running', 'present'],
  ])('policies %j after a run %j: %s', (policies, phase, expected) => {
    expect(hookExpectation(policies, phase)).toBe(expected);
  });
});
