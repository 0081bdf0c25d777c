import { toHelmRelease } from '../helm/helmReleaseCodec';
import type { HelmReleaseWire } from '../helm/HelmRelease';
import helm3 from '../helm/fixtures/storage-shapes.helm3.json';
import { InMemoryKubeGateway } from '../testing/InMemoryKubeGateway';
import type { ResourceRef } from './MigrationPlan';
import { discoverReleaseObjects, keptByDesign } from './discoverReleaseObjects';

const read = async <T>(_what: string, fn: () => Promise<T>) => fn();
const crd = (group: string, kind: string, plural: string, scope: 'Cluster' | 'Namespaced') => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: `${plural}.${group}` },
  spec: {
    group,
    names: { kind, plural },
    scope,
    versions: [{ name: 'v1', served: true, storage: true }],
  },
});

describe('discoverReleaseObjects', () => {
  it('gives a custom kind the release does not define the scope its CRD on the cluster has', async () => {
    const release = toHelmRelease({
      name: 'issuers',
      namespace: 'certs',
      version: 1,
      info: { first_deployed: '', last_deployed: '', deleted: '', status: 'deployed' },
      chart: {
        metadata: { name: 'issuers', version: '1.0.0' },
        lock: null,
        templates: [],
        values: {},
        schema: null,
        files: [],
      },
      manifest:
        '---\n# Source: issuers/templates/issuers.yaml\napiVersion: cert-manager.io/v1\nkind: ClusterIssuer\nmetadata:\n  name: selfsigned\n---\n# Source: issuers/templates/issuers.yaml\napiVersion: cert-manager.io/v1\nkind: Issuer\nmetadata:\n  name: local\n',
    });
    const kube = new InMemoryKubeGateway({
      objects: [
        crd('cert-manager.io', 'ClusterIssuer', 'clusterissuers', 'Cluster'),
        crd('cert-manager.io', 'Issuer', 'issuers', 'Namespaced'),
      ],
    });
    const reads: ResourceRef[] = [];
    const found = await discoverReleaseObjects(kube, release, read, reads);
    expect(found.objects.map((o) => o.ref)).toEqual([
      { apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', name: 'selfsigned' },
      { apiVersion: 'cert-manager.io/v1', kind: 'Issuer', name: 'local', namespace: 'certs' },
    ]);
    expect(reads).toContainEqual({
      type: 'kube',
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      name: 'clusterissuers.cert-manager.io',
    });
  });

  it("takes scopes from the release's crds/ files, and asks the cluster only about kinds the release does not define", async () => {
    // Without its dependency declared, only the unknown kind makes discovery list CRDs.
    const wire = helm3.release as HelmReleaseWire;
    const release = toHelmRelease({
      ...wire,
      chart: { ...wire.chart!, metadata: { name: 'storage-shapes', version: '0.1.0' } },
    });
    const kube = new InMemoryKubeGateway();
    const reads: ResourceRef[] = [];
    const found = await discoverReleaseObjects(kube, release, read, reads);
    expect(found.objects.find((o) => o.ref.kind === 'Gadget')?.ref.namespace).toBeUndefined();
    // The sub-chart's Thing is defined by its unstored crds/: the cluster's CRDs are listed for it
    // (and, none being there, it stays namespaced).
    expect(reads.filter((r) => r.type === 'kube' && r.name === '*')).toEqual([
      {
        type: 'kube',
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        name: '*',
      },
    ]);
    expect(found.objects.find((o) => o.ref.kind === 'Thing')?.ref.namespace).toBe('shapes');
    // Nothing is on this empty cluster: every hook and crds/ CRD is reported missing.
    expect(found.hooks.every((x) => !x.live)).toBe(true);
    expect(found.crds.map((c) => [c.ref.name, c.live])).toEqual([
      ['widgets.shapes.example.com', false],
      ['gadgets.shapes.example.com', false],
    ]);
  });
});

describe('keptByDesign', () => {
  it('names each hook by what its policy left and each crds/ CRD as kept', async () => {
    const release = toHelmRelease(helm3.release as HelmReleaseWire);
    const kube = new InMemoryKubeGateway({
      objects: [
        crd('shapes.example.com', 'Widget', 'widgets', 'Namespaced'),
        crd('sub.example.com', 'Thing', 'things', 'Namespaced'),
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'shapes-kept-hook', namespace: 'shapes' },
        },
      ],
    });
    const found = await discoverReleaseObjects(kube, release, read, []);
    expect(keptByDesign(found)).toEqual([
      'Helm hook ConfigMap shapes/shapes-pre-install (pre-install,pre-upgrade; delete policy before-hook-creation) is not on the cluster although its policy keeps it: nothing to migrate',
      'Helm hook ConfigMap shapes/shapes-post-install (post-install; delete policy hook-succeeded) was deleted by Helm after its last run, as its policy says',
      'Helm hook ConfigMap shapes/shapes-kept-hook (post-install,post-upgrade; delete policy before-hook-creation) is left on the cluster as it is: Helm does not remove hooks with the release',
      'CustomResourceDefinition widgets.shapes.example.com (storage-shapes/crds/gadgets-and-widgets.yaml) stays: Helm installed it from crds/ and never removes it; it is in the backup',
      'CustomResourceDefinition gadgets.shapes.example.com (storage-shapes/crds/gadgets-and-widgets.yaml) is not on the cluster',
      'CustomResourceDefinition things.sub.example.com (storage-shapes/charts/sub/crds (not stored by Helm; named by Role shapes-things)) stays: Helm installed it from crds/ and never removes it; it is in the backup',
    ]);
  });
});
