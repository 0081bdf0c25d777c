/**
 * Real helm v3 against the sandbox Kubernetes API: installs, upgrades and rolls back the fixture
 * chart, reads the release Secrets it writes with our codec, and reads releases seeded by the
 * sandbox builder back with helm.
 */
import { decodeHelmReleaseSecret } from '@hyperpod/core';
import { join } from 'node:path';
import {
  type KubeObject,
  inferenceOperatorReleaseSeed,
  inferenceOperatorValues,
  seedHelmRelease,
} from '@hyperpod/sandbox';
import { ALB_DEPENDENCY, CHARTS } from './helmTemplate';
import { startHelmHarness, type HelmHarness } from './helmHarness';

const RELEASE = 'hyperpod-inference-operator';
const values = inferenceOperatorValues({
  accountId: '111122223333',
  region: 'us-east-2',
  clusterName: 'hp-eks-1',
});

/** `helm upgrade` of the release to the 2.2.2 fixture chart with these values. */
const upgradeTo222 = (h: HelmHarness, upgradeValues: unknown) =>
  h.helm([
    'upgrade',
    RELEASE,
    join(CHARTS, 'hyperpod-inference-operator'),
    '-n',
    'kube-system',
    '--values',
    h.valuesFile(upgradeValues),
  ]);

const deploymentRef = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  namespace: 'hyperpod-inference-system',
  name: 'hyperpod-inference-operator-controller-manager',
};

function releaseSecrets(h: HelmHarness, namespace: string, name: string) {
  return h.cluster
    .list('v1', 'Secret', namespace, `owner=helm,name=${name}`)
    .sort(
      (a, b) => Number(a.metadata.labels?.['version']) - Number(b.metadata.labels?.['version']),
    );
}

function containerOf(deployment: KubeObject | undefined) {
  const spec = deployment?.['spec'] as {
    template: { spec: { containers: { image: string; env: { name: string; value: string }[] }[] } };
  };
  const c = spec.template.spec.containers[0]!;
  return { image: c.image, env: Object.fromEntries(c.env.map((e) => [e.name, e.value])) };
}

interface HelmListEntry {
  name: string;
  namespace: string;
  revision: string;
  status: string;
  chart: string;
  app_version: string;
}
interface HelmHistoryEntry {
  revision: number;
  status: string;
  chart: string;
  app_version: string;
  description: string;
}

describe('real helm on the sandbox Kubernetes API', () => {
  describe('install, upgrade, rollback of the fixture chart', () => {
    let h: HelmHarness;
    beforeAll(async () => {
      h = await startHelmHarness();
      // The cert-manager sub-chart deploys to `cert-manager`, which the chart does not create.
      h.cluster.create(
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'cert-manager' } },
        'kubectl-create',
      );
    });
    afterAll(async () => {
      await h?.close();
    });

    it('helm install stores objects and a release Secret our codec reads', async () => {
      const r = await h.helm([
        'install',
        RELEASE,
        join(CHARTS, 'hyperpod-inference-operator-2.1.0'),
        '--namespace',
        'kube-system',
        '--values',
        h.valuesFile(values),
      ]);
      // The 2.1.0 fixture shares the 2.2.2 templates by symlink, which helm notes on stderr.
      expect(r.stderr).not.toMatch(/error/i);
      expect(r.code).toBe(0);
      const deployment = h.cluster.get(deploymentRef);
      expect(deployment?.metadata.labels?.['app.kubernetes.io/managed-by']).toBe('Helm');
      expect(deployment?.metadata.annotations).toMatchObject({
        'meta.helm.sh/release-name': RELEASE,
        'meta.helm.sh/release-namespace': 'kube-system',
      });
      expect(deployment?.metadata.managedFields?.map((m) => m.manager)).toContain('helm');
      expect(containerOf(deployment).image).toBe(
        '061051259071.dkr.ecr.us-east-2.amazonaws.com/hyperpod-inference-operator:v3.1',
      );
      expect(
        h.cluster.get({
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          namespace: 'kube-system',
          name: 'hyperpod-inference-operator-alb',
        }),
      ).toBeDefined();
      expect(
        h.cluster.get({
          apiVersion: 'storage.k8s.io/v1',
          kind: 'CSIDriver',
          name: 's3.csi.aws.com',
        }),
      ).toBeDefined();

      const [secret, ...more] = releaseSecrets(h, 'kube-system', RELEASE);
      expect(more).toHaveLength(0);
      expect(secret?.metadata.name).toBe('sh.helm.release.v1.hyperpod-inference-operator.v1');
      expect(secret?.['type']).toBe('helm.sh/release.v1');
      expect(Object.keys(secret?.metadata.labels ?? {}).sort()).toEqual([
        'modifiedAt',
        'name',
        'owner',
        'status',
        'version',
      ]);
      const release = decodeHelmReleaseSecret(secret as never);
      expect(release).toMatchObject({
        name: RELEASE,
        namespace: 'kube-system',
        revision: 1,
        status: 'deployed',
        values,
      });
      expect(release.chart).toMatchObject({
        name: 'hyperpod-inference-operator',
        version: '2.1.0',
        appVersion: '3.1',
        apiVersion: 'v2',
        type: 'application',
      });
      expect(release.chart.dependencies).toContainEqual(ALB_DEPENDENCY);
      expect(release.chart.lock?.digest).toBe(
        'sha256:f54ece80a00cb4da98440551765d9c660a0704d6b59f4f9030a5a9e86eab4eea',
      );
      expect(release.info.description).toBe('Install complete');
      expect(release.info.notes).toContain('HyperPod inference operator 3.1 installed');
      expect(release.manifest).toContain(
        '# Source: hyperpod-inference-operator/charts/alb/templates/deployment.yaml',
      );
    });

    it('helm list -A and helm get values see the install', async () => {
      const list = await h.helmJson<HelmListEntry[]>(['list', '-A']);
      expect(list).toEqual([
        expect.objectContaining({
          name: RELEASE,
          namespace: 'kube-system',
          revision: '1',
          status: 'deployed',
          chart: 'hyperpod-inference-operator-2.1.0',
          app_version: '3.1',
        }),
      ]);
      expect(await h.helmJson(['get', 'values', RELEASE, '-n', 'kube-system'])).toEqual(values);
    });

    it('helm upgrade to 2.2.2 supersedes revision 1 and updates the objects', async () => {
      const upgraded = {
        ...values,
        jumpstartGatedModelDownloadRoleArn: 'arn:aws:iam::111122223333:role/js-gated-abcd1234',
      };
      const r = await upgradeTo222(h, upgraded);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const { image, env } = containerOf(h.cluster.get(deploymentRef));
      expect(image).toMatch(/:v3\.2$/);
      expect(env['CHART_VERSION']).toBe('2.2.2');
      expect(env['JUMPSTART_GATED_MODEL_DOWNLOAD_ARN']).toBe(
        'arn:aws:iam::111122223333:role/js-gated-abcd1234',
      );
      const statuses = releaseSecrets(h, 'kube-system', RELEASE)
        .map((s) => decodeHelmReleaseSecret(s as never))
        .map((rel) => [rel.revision, rel.status, rel.chart.version]);
      expect(statuses).toEqual([
        [1, 'superseded', '2.1.0'],
        [2, 'deployed', '2.2.2'],
      ]);
      const history = await h.helmJson<HelmHistoryEntry[]>([
        'history',
        RELEASE,
        '-n',
        'kube-system',
      ]);
      expect(history.map((e) => [e.revision, e.status, e.chart, e.description])).toEqual([
        [1, 'superseded', 'hyperpod-inference-operator-2.1.0', 'Install complete'],
        [2, 'deployed', 'hyperpod-inference-operator-2.2.2', 'Upgrade complete'],
      ]);
    });

    it('helm rollback to revision 1 restores the 2.1.0 objects as revision 3', async () => {
      const r = await h.helm(['rollback', RELEASE, '1', '-n', 'kube-system']);
      expect(r.stderr).not.toMatch(/error/i);
      expect(r.code).toBe(0);
      const { image, env } = containerOf(h.cluster.get(deploymentRef));
      expect(image).toMatch(/:v3\.1$/);
      expect(env['CHART_VERSION']).toBe('2.1.0');
      expect(env['JUMPSTART_GATED_MODEL_DOWNLOAD_ARN']).toBe(
        values['jumpstartGatedModelDownloadRoleArn'],
      );
      const history = await h.helmJson<HelmHistoryEntry[]>([
        'history',
        RELEASE,
        '-n',
        'kube-system',
      ]);
      expect(history.map((e) => [e.revision, e.status, e.description])).toEqual([
        [1, 'superseded', 'Install complete'],
        [2, 'superseded', 'Upgrade complete'],
        [3, 'deployed', 'Rollback to 1'],
      ]);
      expect(await h.helmJson(['get', 'values', RELEASE, '-n', 'kube-system'])).toEqual(values);
    });
  });

  describe('releases seeded by the sandbox builder', () => {
    let h: HelmHarness;
    const v2 = {
      ...values,
      jumpstartGatedModelDownloadRoleArn: 'arn:aws:iam::111122223333:role/js-gated-v2',
    };
    const v3 = { ...v2, alb: { ...(values['alb'] as object), vpcId: 'vpc-0ffff' } };
    beforeAll(async () => {
      h = await startHelmHarness('hp-eks-seeded');
      seedHelmRelease(
        h.cluster,
        inferenceOperatorReleaseSeed({
          revisions: [
            { status: 'superseded', chartVersion: '2.1.0', values },
            { status: 'deployed', chartVersion: '2.2.2', values: v2 },
            { status: 'pending-upgrade', chartVersion: '2.2.2', values: v3 },
          ],
        }),
      );
    });
    afterAll(async () => {
      await h?.close();
    });

    it('helm list -A shows the seeded release stuck in pending-upgrade', async () => {
      const list = await h.helmJson<HelmListEntry[]>(['list', '-A', '--all']);
      expect(list).toEqual([
        expect.objectContaining({
          name: RELEASE,
          namespace: 'kube-system',
          revision: '3',
          status: 'pending-upgrade',
          chart: 'hyperpod-inference-operator-2.2.2',
          app_version: '3.2',
        }),
      ]);
    });

    it('helm history and get values read every seeded revision', async () => {
      const history = await h.helmJson<HelmHistoryEntry[]>([
        'history',
        RELEASE,
        '-n',
        'kube-system',
      ]);
      expect(
        history.map((e) => [e.revision, e.status, e.chart, e.app_version, e.description]),
      ).toEqual([
        [1, 'superseded', 'hyperpod-inference-operator-2.1.0', '3.1', 'Install complete'],
        [2, 'deployed', 'hyperpod-inference-operator-2.2.2', '3.2', 'Upgrade complete'],
        [3, 'pending-upgrade', 'hyperpod-inference-operator-2.2.2', '3.2', 'Preparing upgrade'],
      ]);
      expect(await h.helmJson(['get', 'values', RELEASE, '-n', 'kube-system'])).toEqual(v3);
      expect(
        await h.helmJson(['get', 'values', RELEASE, '-n', 'kube-system', '--revision', '1']),
      ).toEqual(values);
    });

    it('helm get manifest returns the seeded manifest, whose objects are the live ones', async () => {
      const r = await h.helm(['get', 'manifest', RELEASE, '-n', 'kube-system', '--revision', '2']);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('# Source: hyperpod-inference-operator/templates/default.yaml');
      expect(r.stdout).toContain('value: arn:aws:iam::111122223333:role/js-gated-v2');
      expect(
        containerOf(h.cluster.get(deploymentRef)).env['JUMPSTART_GATED_MODEL_DOWNLOAD_ARN'],
      ).toBe('arn:aws:iam::111122223333:role/js-gated-v2');
    });

    it('helm refuses to upgrade while the seeded release is pending, as on a real cluster', async () => {
      const r = await upgradeTo222(h, v3);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain('another operation (install/upgrade/rollback) is in progress');
    });

    it('helm rollback of the seeded release to revision 1 re-applies the seeded 2.1.0 manifest', async () => {
      const r = await h.helm(['rollback', RELEASE, '1', '-n', 'kube-system']);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(containerOf(h.cluster.get(deploymentRef)).env['CHART_VERSION']).toBe('2.1.0');
      const list = await h.helmJson<HelmListEntry[]>(['list', '-A']);
      expect(list).toEqual([
        expect.objectContaining({
          revision: '4',
          status: 'deployed',
          chart: 'hyperpod-inference-operator-2.1.0',
        }),
      ]);
    });

    it('helm uninstall removes every seeded object it owns and the release Secrets', async () => {
      const r = await h.helm(['uninstall', RELEASE, '-n', 'kube-system']);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(h.cluster.get(deploymentRef)).toBeUndefined();
      expect(
        h.cluster.get({
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          namespace: 'kube-system',
          name: 'keda-operator',
        }),
      ).toBeUndefined();
      expect(releaseSecrets(h, 'kube-system', RELEASE)).toHaveLength(0);
    });
  });
});
