/** The release builder: Secrets and objects exactly as helm 3 leaves them, checked without helm. */
import { strFromU8 } from 'fflate';
import { decodeBase64, decodeHelmReleaseData, decodeHelmReleaseSecret } from '@hyperpod/core';
import {
  KubeCluster,
  buildHelmRelease,
  inferenceOperatorReleaseSeed,
  inferenceOperatorValues,
  renderInferenceOperatorChart,
  seedHelmRelease,
} from '@hyperpod/sandbox';
import { join } from 'node:path';
import { ALB_DEPENDENCY, CHARTS, helmTemplate, setFlags } from './helmTemplate';

const values = inferenceOperatorValues({
  accountId: '111122223333',
  region: 'us-east-2',
  clusterName: 'hp-eks-1',
});
const now = new Date('2025-11-03T09:00:00.000Z');

function seed() {
  return inferenceOperatorReleaseSeed({
    now,
    revisions: [
      { status: 'superseded', chartVersion: '2.1.0', values },
      { status: 'deployed', chartVersion: '2.2.2', values },
      { status: 'pending-upgrade', chartVersion: '2.2.2', values: { ...values, stage: 'gamma' } },
    ],
  });
}

describe('buildHelmRelease', () => {
  it('writes one Secret per revision with Helm’s name, type and labels', () => {
    const built = buildHelmRelease(seed());
    expect(built.secrets.map((s) => [s.metadata.name, s.metadata.namespace, s.type])).toEqual([
      ['sh.helm.release.v1.hyperpod-inference-operator.v1', 'kube-system', 'helm.sh/release.v1'],
      ['sh.helm.release.v1.hyperpod-inference-operator.v2', 'kube-system', 'helm.sh/release.v1'],
      ['sh.helm.release.v1.hyperpod-inference-operator.v3', 'kube-system', 'helm.sh/release.v1'],
    ]);
    // Settled revisions were updated (modifiedAt); the pending one was only created (createdAt).
    expect(
      built.secrets.map((s) =>
        Object.keys(s.metadata.labels ?? {})
          .sort()
          .join(','),
      ),
    ).toEqual([
      'modifiedAt,name,owner,status,version',
      'modifiedAt,name,owner,status,version',
      'createdAt,name,owner,status,version',
    ]);
    const releases = built.secrets.map((s) => decodeHelmReleaseSecret(s));
    expect(
      releases.map((r) => [
        r.revision,
        r.status,
        r.chart.version,
        r.chart.appVersion,
        r.info.description,
      ]),
    ).toEqual([
      [1, 'superseded', '2.1.0', '3.1', 'Install complete'],
      [2, 'deployed', '2.2.2', '3.2', 'Upgrade complete'],
      [3, 'pending-upgrade', '2.2.2', '3.2', 'Preparing upgrade'],
    ]);
    expect(releases.map((r) => r.info.firstDeployed)).toEqual(
      Array(3).fill('2025-11-03T07:00:00Z'),
    );
    expect(releases.map((r) => r.info.lastDeployed)).toEqual([
      '2025-11-03T07:00:00Z',
      '2025-11-03T08:00:00Z',
      '2025-11-03T09:00:00Z',
    ]);
    expect(releases[2]!.values['stage']).toBe('gamma');
    expect(releases[1]!.chart.dependencies.find((d) => d.alias === 'alb')).toEqual(ALB_DEPENDENCY);
    const wire = decodeHelmReleaseData(strFromU8(decodeBase64(built.secrets[0]!.data.release)));
    expect(wire.chart?.templates?.map((t) => t.name)).toEqual(['templates/default.yaml']);
  });

  it('renders the manifest in helm’s format and order', () => {
    const built = buildHelmRelease(seed());
    const helm = helmTemplate([
      'hyperpod-inference-operator',
      join(CHARTS, 'hyperpod-inference-operator'),
      '-n',
      'kube-system',
      ...setFlags(values),
    ]);
    expect(helm.status).toBe(0);
    const sources = (manifest: string) =>
      [...manifest.matchAll(/^---\n# Source: (.+)\n(?:.*\n)*?kind: (\w+)/gm)].map(
        (m) => `${m[1]} ${m[2]}`,
      );
    expect(sources(built.manifest)).toEqual(sources(helm.stdout));
    expect(
      built.manifest.startsWith(
        '---\n# Source: hyperpod-inference-operator/templates/default.yaml\napiVersion: v1\nkind: Namespace\n',
      ),
    ).toBe(true);
    expect(built.manifest.endsWith('\n')).toBe(true);
  });

  it('marks every live object as Helm’s and puts namespaced ones in the release namespace', () => {
    const built = buildHelmRelease(seed());
    expect(built.liveRevision).toBe(2);
    for (const o of built.objects) {
      expect(o.metadata.labels?.['app.kubernetes.io/managed-by']).toBe('Helm');
      expect(o.metadata.annotations).toMatchObject({
        'meta.helm.sh/release-name': 'hyperpod-inference-operator',
        'meta.helm.sh/release-namespace': 'kube-system',
      });
    }
    const csi = built.objects.find((o) => o.kind === 'CSIDriver')!;
    expect(csi.metadata.namespace).toBeUndefined();
    const crb = built.objects.find((o) => o.kind === 'ClusterRoleBinding')!;
    expect(crb.metadata.namespace).toBeUndefined();
    // The input objects are not touched.
    const rendered = renderInferenceOperatorChart(values);
    expect(rendered[0]!.objects[0]!.metadata.annotations).toBeUndefined();
  });

  it('keeps no objects for an uninstalled release kept with --keep-history', () => {
    const built = buildHelmRelease(
      inferenceOperatorReleaseSeed({ revisions: [{ status: 'uninstalled', values }] }),
    );
    expect(built.objects).toEqual([]);
    expect(decodeHelmReleaseSecret(built.secrets[0]!).info.deleted).toBeDefined();
  });
});

describe('seedHelmRelease', () => {
  it('creates the live objects with field manager helm, then the release Secrets', () => {
    const cluster = new KubeCluster({ name: 'hp-eks-1', version: '1.31' });
    const built = seedHelmRelease(cluster, seed());
    const deployment = cluster.get({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: 'hyperpod-inference-system',
      name: 'hyperpod-inference-operator-controller-manager',
    });
    expect(deployment?.metadata.managedFields?.map((m) => [m.manager, m.operation])).toEqual([
      ['helm', 'Update'],
    ]);
    const sa = cluster.get({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      namespace: 'kube-system',
      name: 'aws-load-balancer-controller',
    });
    expect(sa?.metadata.annotations?.['eks.amazonaws.com/role-arn']).toBe(
      'arn:aws:iam::111122223333:role/HyperpodInferenceALBRole-hp-eks-1',
    );
    const secrets = cluster.list(
      'v1',
      'Secret',
      'kube-system',
      'owner=helm,name=hyperpod-inference-operator',
    );
    expect(secrets).toHaveLength(3);
    expect(
      cluster
        .list('v1', 'Secret', 'kube-system', 'owner=helm,status=pending-upgrade')
        .map((s) => s.metadata.name),
    ).toEqual(['sh.helm.release.v1.hyperpod-inference-operator.v3']);
    expect(
      cluster
        .list(
          'apps/v1',
          'Deployment',
          undefined,
          'app.kubernetes.io/instance=hyperpod-inference-operator',
        )
        .map((d) => d.metadata.name)
        .sort(),
    ).toEqual([
      'cert-manager',
      'cert-manager-cainjector',
      'cert-manager-webhook',
      'hyperpod-inference-operator-alb',
      'hyperpod-inference-operator-metrics',
      'keda-admission-webhooks',
      'keda-operator',
      'keda-operator-metrics-apiserver',
    ]);
    expect(built.objects.length).toBeGreaterThan(30);
  });

  it('refuses to seed over an existing object, as helm refuses to adopt it', () => {
    const cluster = new KubeCluster({ name: 'hp-eks-1', version: '1.31' });
    seedHelmRelease(
      cluster,
      inferenceOperatorReleaseSeed({ revisions: [{ status: 'deployed', values }] }),
    );
    expect(() =>
      seedHelmRelease(
        cluster,
        inferenceOperatorReleaseSeed({
          releaseName: 'again',
          revisions: [{ status: 'deployed', values }],
        }),
      ),
    ).toThrow(/already exists/);
  });
});
