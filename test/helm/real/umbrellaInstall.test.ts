/**
 * The real inference umbrella (chart 2.2.2 with its six real dependency charts, REAL_CHARTS_DIR)
 * installed by real helm v3 and v4 with `--wait` into a fresh sandbox cluster, as a customer
 * installs it (cert-manager's CRDs and the sub-charts' namespaces created first): every one of its
 * kinds is served, the claim binds its volume, the APIServices join discovery, the post-install
 * hook Job completes, DaemonSets count the nodes they fit on.
 */
import { decodeHelmReleaseData } from '@hyperpod/core';
import { requireRealChartsDir, inferenceCustomerValues } from '../../support/realCharts';
import { startClusterTools, type ClusterTools } from '../kubeToolsHarness';
import { certManagerCrdsYaml, packagedInferenceUmbrella } from './realUmbrella';

const NODES = 3;

describe.each([3, 4] as const)(
  'helm v%i install --wait of the real inference umbrella',
  (major) => {
    let t: ClusterTools;
    let chart: string;
    let install: { code: number; stdout: string; stderr: string };

    beforeAll(async () => {
      requireRealChartsDir();
      chart = packagedInferenceUmbrella();
      t = await startClusterTools({ name: `umbrella-v${major}`, nodes: NODES });
      // What the chart needs before it installs: cert-manager's CRDs (helm must map the umbrella's
      // Issuer and Certificate) and the namespaces the cert-manager and KEDA sub-charts deploy to.
      const crds = await t.kubectl(['apply', '-f', '-'], certManagerCrdsYaml());
      expect(crds.stderr).toBe('');
      for (const ns of ['cert-manager', 'keda'])
        expect((await t.kubectl(['create', 'namespace', ns])).code).toBe(0);
      const values = {
        ...inferenceCustomerValues({
          clusterName: 'umbrella-use1',
          region: 'us-east-1',
          accountId: '111122223333',
        }),
        'cert-manager': { crds: { enabled: false } },
      };
      install = await t.helm(
        [
          'install',
          'hyperpod-inference-operator',
          chart,
          '-n',
          'kube-system',
          '-f',
          t.file('values.yaml', JSON.stringify(values)),
          '--wait',
          '--timeout',
          '120s',
        ],
        major,
      );
    }, 240_000);

    afterAll(async () => {
      await t?.close();
    });

    it('succeeds and the release is deployed', async () => {
      expect(install.stderr).toBe('');
      expect(install.code).toBe(0);
      const list = await t.helm(['list', '-n', 'kube-system', '-o', 'json']);
      expect(JSON.parse(list.stdout)).toEqual([
        expect.objectContaining({
          name: 'hyperpod-inference-operator',
          status: 'deployed',
          chart: 'hyperpod-inference-operator-2.2.2',
        }),
      ]);
    });

    it('binds the S3 claim to its volume', async () => {
      const pv = await t.kubectl(['get', 'pv', 's3-pv', '-o', 'json']);
      expect(JSON.parse(pv.stdout)).toMatchObject({
        spec: { claimRef: { kind: 'PersistentVolumeClaim', name: 's3-claim' } },
        status: { phase: 'Bound' },
      });
      const pvc = await t.kubectl(['get', 'pvc', 's3-claim', '-n', 'kube-system', '-o', 'json']);
      expect(JSON.parse(pvc.stdout)).toMatchObject({
        spec: { volumeName: 's3-pv' },
        status: { phase: 'Bound', capacity: { storage: '1200Gi' } },
      });
    });

    it('adds the aggregated metrics APIs to discovery', async () => {
      const apis = await t.kubectl(['get', 'apiservices', '-o', 'json']);
      const names = (
        JSON.parse(apis.stdout) as { items: { metadata: { name: string } }[] }
      ).items.map((i) => i.metadata.name);
      expect(names).toEqual(
        expect.arrayContaining(['v1beta1.metrics.k8s.io', 'v1beta1.external.metrics.k8s.io']),
      );
      const versions = await t.kubectl(['api-versions']);
      expect(versions.stderr).toBe('');
      expect(versions.stdout.split('\n')).toEqual(
        expect.arrayContaining(['metrics.k8s.io/v1beta1', 'external.metrics.k8s.io/v1beta1']),
      );
    });

    it('runs the post-install hook Job to success and stores the webhook configurations', async () => {
      // Helm records each hook's last run in the release; a hook Job that never completed fails
      // the install (or hangs it), one that succeeded is `Succeeded` (and, with hook-succeeded,
      // deleted).
      const secret = t.cluster.list('v1', 'Secret', 'kube-system', 'owner=helm')[0]!;
      const data = secret['data'] as Record<string, string>;
      const wire = decodeHelmReleaseData(Buffer.from(data['release']!, 'base64').toString('utf8'));
      const jobs = (wire.hooks ?? []).filter((h) => h.kind === 'Job');
      expect(jobs.map((h) => [h.name, h.events, h.last_run.phase])).toEqual([
        ['hyperpod-inference-operator-cert-manager-startupapicheck', ['post-install'], 'Succeeded'],
      ]);
      const vwc = await t.kubectl(['get', 'validatingwebhookconfigurations', '-o', 'name']);
      const mwc = await t.kubectl(['get', 'mutatingwebhookconfigurations', '-o', 'name']);
      expect(vwc.stdout).toContain(
        'validatingwebhookconfiguration.admissionregistration.k8s.io/hyperpod-inference-operator-cert-manager-webhook',
      );
      expect(mwc.stdout).toContain(
        'mutatingwebhookconfiguration.admissionregistration.k8s.io/hyperpod-inference-operator-cert-manager-webhook',
      );
    });

    it('schedules each DaemonSet on the nodes its pods fit on', async () => {
      const ds = await t.kubectl(['get', 'daemonsets', '-A', '-o', 'json']);
      const items = (
        JSON.parse(ds.stdout) as {
          items: { metadata: { name: string }; status: Record<string, number> }[];
        }
      ).items;
      expect(items.length).toBeGreaterThan(0);
      for (const d of items) {
        expect(d.status.desiredNumberScheduled).toBe(NODES);
        expect(d.status.numberReady).toBe(NODES);
      }
    });
  },
);
