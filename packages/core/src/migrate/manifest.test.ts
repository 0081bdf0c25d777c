import helm3 from '../helm/fixtures/storage-shapes.helm3.json';
import helm4 from '../helm/fixtures/storage-shapes.helm4.json';
import {
  chartPathOf,
  describeRef,
  manifestObjects,
  scopeFromCrds,
  type ScopeResolver,
} from './manifest';

const CRD_SCOPES: ScopeResolver = (apiVersion, kind) =>
  apiVersion.startsWith('shapes.example.com/')
    ? kind === 'Gadget'
      ? 'Cluster'
      : 'Namespaced'
    : undefined;

describe.each([
  ['helm v3.17', helm3],
  ['helm v4.1', helm4],
])('manifestObjects of the storage-shapes release as %s stored it', (_, captured) => {
  const objects = manifestObjects(captured.release.manifest, 'shapes', { scope: CRD_SCOPES });
  const listed = objects.map((o) => describeRef(o.ref)).sort();

  it('finds every object, with the namespace Helm gives it', () => {
    expect(listed).toEqual(
      [
        // cluster-scoped: built-in kinds and a custom one (scope from its CRD)
        'Namespace storage-shapes-other',
        'ClusterRole shapes-reader',
        'ClusterRoleBinding shapes-reader',
        'IngressClass shapes-class',
        'Gadget shapes-gadget',
        // the template that begins with ---
        'ServiceAccount shapes/shapes-leading',
        'ConfigMap shapes/shapes-included',
        // several per file
        'ConfigMap shapes/shapes-first',
        'ConfigMap shapes/shapes-second',
        'Service shapes/shapes-svc',
        // lists
        'ConfigMap shapes/shapes-list-a',
        'ConfigMap storage-shapes-other/shapes-list-b',
        'ConfigMap shapes/shapes-typed-list',
        // another namespace, and the release's
        'ConfigMap storage-shapes-other/shapes-elsewhere',
        'Widget storage-shapes-other/shapes-widget',
        'Widget shapes/shapes-widget-here',
        // the sub-chart
        'Role shapes/shapes-things',
        'Thing shapes/shapes-thing',
      ].sort(),
    );
  });

  it('attributes each object to its chart', () => {
    const sub = objects.filter((o) => o.chartPath.join('/') === 'storage-shapes/sub');
    expect(sub.map((o) => o.ref.name).sort()).toEqual(['shapes-thing', 'shapes-things']);
    expect(objects.every((o) => o.chartPath[0] === 'storage-shapes')).toBe(true);
  });
});

describe('scopes', () => {
  const m =
    'apiVersion: shapes.example.com/v1\nkind: Gadget\nmetadata: {name: g, namespace: ignored}\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: r, namespace: ignored}\n---\napiVersion: other.example.com/v1\nkind: Unknown\nmetadata: {name: u}\n';

  it('a cluster-scoped kind has no namespace, even one written in it; an unknown kind is namespaced', () => {
    const refs = manifestObjects(m, 'rel', {
      scope: scopeFromCrds([
        {
          apiVersion: 'apiextensions.k8s.io/v1',
          kind: 'CustomResourceDefinition',
          metadata: { name: 'gadgets.shapes.example.com' },
          spec: { group: 'shapes.example.com', names: { kind: 'Gadget' }, scope: 'Cluster' },
        },
      ]),
    }).map((o) => o.ref);
    expect(refs).toEqual([
      { apiVersion: 'shapes.example.com/v1', kind: 'Gadget', name: 'g' },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', name: 'r' },
      { apiVersion: 'other.example.com/v1', kind: 'Unknown', name: 'u', namespace: 'rel' },
    ]);
  });

  it('without a resolver, a custom kind falls back to namespaced (its own namespace kept)', () => {
    expect(manifestObjects(m, 'rel')[0]!.ref.namespace).toBe('ignored');
  });
});

describe('chartPathOf', () => {
  it('reads nested sub-charts from a # Source: path', () => {
    expect(chartPathOf('top/charts/a/charts/b/templates/x.yaml')).toEqual(['top', 'a', 'b']);
    expect(chartPathOf('top/templates/charts/x.yaml')).toEqual(['top']);
    expect(chartPathOf(undefined)).toEqual([]);
  });
});
