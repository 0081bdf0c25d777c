import { InMemoryKubeGateway } from '../testing/InMemoryKubeGateway';
import type { KubeObject } from '../ports/KubeGateway';
import type { HelmReleaseWire } from './HelmRelease';
import { encodeHelmReleaseSecret } from './helmReleaseCodec';
import { HelmReleaseGateway } from './HelmReleaseGateway';
import realSecret from './fixtures/helm-3.17-release-secret.json';

/** One revision of a release as Helm 3 writes it (chart metadata, values, info, manifest). */
function revision(
  name: string,
  namespace: string,
  version: number,
  chartVersion: string,
  status: string,
  values: Record<string, unknown> = {},
): KubeObject {
  const release: HelmReleaseWire = {
    name,
    namespace,
    version,
    info: {
      first_deployed: '2025-03-01T10:00:00.123456789Z',
      last_deployed: `2025-03-0${version}T10:00:00Z`,
      deleted: '',
      description: version === 1 ? 'Install complete' : 'Upgrade complete',
      status,
    },
    chart: {
      metadata: {
        name: 'hyperpod-inference-operator',
        version: chartVersion,
        appVersion: '3.2',
        apiVersion: 'v2',
        dependencies: [
          {
            name: 'cert-manager',
            version: 'v1.16.2',
            repository: 'https://charts.jetstack.io',
            condition: 'cert-manager.enabled',
            enabled: true,
          },
        ],
      },
      lock: null,
      templates: [],
      values: { image: { tag: chartVersion } },
      schema: null,
      files: [],
    },
    config: values,
    manifest:
      '---\n# Source: hyperpod-inference-operator/templates/deployment.yaml\napiVersion: apps/v1\nkind: Deployment\n',
  };
  return encodeHelmReleaseSecret(release, {
    createdAt: 1740823200 + version,
  }) as unknown as KubeObject;
}

describe('HelmReleaseGateway', () => {
  const objects = [
    revision('hyperpod-inference-operator', 'kube-system', 1, '2.1.0', 'superseded'),
    revision('hyperpod-inference-operator', 'kube-system', 2, '2.2.2', 'deployed', {
      s3: { region: 'us-east-1' },
    }),
    revision('hyperpod-dependencies', 'hyperpod', 1, '1.0.0', 'deployed'),
    revision('canary', 'kube-system', 1, '2.2.2', 'deployed'),
    revision('canary', 'kube-system', 2, '2.3.0', 'pending-upgrade'),
    // Not Helm's: a Secret that only happens to carry the label.
    {
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'Opaque',
      metadata: { name: 'lookalike', namespace: 'kube-system', labels: { owner: 'helm' } },
      data: { token: 'eA==' },
    } as KubeObject,
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'unrelated', namespace: 'kube-system' },
      data: {},
    } as KubeObject,
  ];

  it('lists the newest revision of every release, in all namespaces', async () => {
    const { releases, errors } = await new HelmReleaseGateway(
      new InMemoryKubeGateway({ objects }),
    ).list();
    expect(errors).toEqual([]);
    expect(
      releases.map((r) => [r.namespace, r.name, r.revision, r.chart.version, r.status]),
    ).toEqual([
      ['hyperpod', 'hyperpod-dependencies', 1, '1.0.0', 'deployed'],
      ['kube-system', 'canary', 2, '2.3.0', 'pending-upgrade'],
      ['kube-system', 'hyperpod-inference-operator', 2, '2.2.2', 'deployed'],
    ]);
    const op = releases[2]!;
    expect(op.values).toEqual({ s3: { region: 'us-east-1' } });
    expect(op.chart.dependencies).toEqual([
      expect.objectContaining({ name: 'cert-manager', version: 'v1.16.2', enabled: true }),
    ]);
  });

  it('lists one namespace', async () => {
    const { releases } = await new HelmReleaseGateway(new InMemoryKubeGateway({ objects })).list({
      namespace: 'hyperpod',
    });
    expect(releases.map((r) => r.name)).toEqual(['hyperpod-dependencies']);
  });

  it('decodes only the newest revision of each release', async () => {
    // An unreadable older revision does not matter to the listing.
    const broken = {
      ...revision('hyperpod-inference-operator', 'kube-system', 1, '2.1.0', 'superseded'),
      data: { release: 'bm90IGJhc2U2NCBvZiBnemlw' },
    } as KubeObject;
    const kube = new InMemoryKubeGateway({
      objects: [
        broken,
        revision('hyperpod-inference-operator', 'kube-system', 2, '2.2.2', 'deployed'),
      ],
    });
    const { releases, errors } = await new HelmReleaseGateway(kube).list();
    expect(releases.map((r) => r.revision)).toEqual([2]);
    expect(errors).toEqual([]);
  });

  it('turns a newest revision that cannot be decoded into an error entry, keeping the rest', async () => {
    const corrupt = {
      ...revision('broken', 'team-a', 3, '1.0.0', 'deployed'),
      data: { release: 'SDRzSUFBQUFBQUFDLyt4OWFYUGFT' },
    } as KubeObject;
    const kube = new InMemoryKubeGateway({ objects: [...objects, corrupt] });
    const { releases, errors } = await new HelmReleaseGateway(kube).list();
    expect(releases).toHaveLength(3);
    expect(errors).toEqual([
      expect.objectContaining({
        namespace: 'team-a',
        secretName: 'sh.helm.release.v1.broken.v3',
        releaseName: 'broken',
        revision: 3,
        reason: expect.stringMatching(/^Invalid(Gzip|Base64|Json)$/),
      }),
    ]);
    await expect(new HelmReleaseGateway(kube).get('broken', 'team-a')).rejects.toMatchObject({
      name: 'HelmReleaseDecodeError',
    });
  });

  it('gives the history of one release, oldest first, and its newest revision', async () => {
    const gw = new HelmReleaseGateway(new InMemoryKubeGateway({ objects }));
    const { revisions } = await gw.history('canary', 'kube-system');
    expect(revisions.map((r) => [r.revision, r.status])).toEqual([
      [1, 'deployed'],
      [2, 'pending-upgrade'],
    ]);
    expect((await gw.get('canary', 'kube-system'))?.status).toBe('pending-upgrade');
    expect(await gw.get('canary', 'other-ns')).toBeUndefined();
  });

  it('reads a Secret captured from a real Helm 3.17 install', async () => {
    const { releases, errors } = await new HelmReleaseGateway(
      new InMemoryKubeGateway({ objects: [realSecret as unknown as KubeObject] }),
    ).list();
    expect(errors).toEqual([]);
    expect(releases).toEqual([
      expect.objectContaining({
        name: 'io',
        namespace: 'kube-system',
        revision: 1,
        status: 'pending-install',
      }),
    ]);
    expect(releases[0]!.chart.name).toBe('hyperpod-inference-operator');
  });
});
