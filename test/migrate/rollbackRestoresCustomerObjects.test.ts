/**
 * Rollback restores objects the customer made that a migration could lose: a Retain volume and its
 * claim that a chart made (deleting the claim leaves the volume Released for good), and CRDs the
 * customer applied with kubectl before a chart installed with `crds.enabled=false` (the add-on
 * overwrites them). Real helm and kubectl against the sandbox; the charts are the smallest that
 * show each case (the real ones are in test/real-charts).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import {
  discoverMigration,
  InMemoryMigrationStore,
  planMigration,
  rollbackMigration,
  startMigration,
} from '@hyperpod/core';
import { certManagerCrds } from '@hyperpod/sandbox';
import { ok, startRealChartSandbox, type RealChartSandbox } from '../support/realChartSandbox';
import { gatewaysFor, testDeps } from './support';
import { s3VolumeAndClaim } from '../support/s3VolumeAndClaim';

const CLUSTER = 'ml-rb-use1';

function chart(s: RealChartSandbox, name: string, version: string, templates: object[]): string {
  const dir = join(s.dir, `chart-${name}`);
  mkdirSync(join(dir, 'templates'), { recursive: true });
  writeFileSync(
    join(dir, 'Chart.yaml'),
    stringify({ apiVersion: 'v2', name, version, appVersion: version }),
  );
  templates.forEach((t, i) => writeFileSync(join(dir, 'templates', `t${i}.yaml`), stringify(t)));
  return dir;
}

const deployment = (name: string, ns: string) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: ns },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: { containers: [{ name, image: `registry.k8s.io/${name}:v1` }] },
    },
  },
});

async function migrateAndRollBack(s: RealChartSandbox, profile: string) {
  const g = gatewaysFor(s.sb, CLUSTER);
  const before = s.sb.snapshot();
  const plan = planMigration(await discoverMigration(g, { clusterName: CLUSTER, profile }), {
    now: '2026-12-06T00:00:00Z',
  });
  expect(plan.blockers).toEqual([]);
  const store = new InMemoryMigrationStore();
  const deps = () =>
    testDeps(g, store, { wait: { pollMs: 5, timeoutMs: 20_000, degradedGraceMs: 100 } });
  expect((await startMigration(plan, 'run-1', deps())).status).toBe('succeeded');
  const rb = await rollbackMigration('run-1', deps());
  expect(rb).toMatchObject({ status: 'rolled-back', rollbackErrors: [] });
  return { plan, diff: s.sb.diff(before) };
}

describe('rollback restores what the customer made', () => {
  let s: RealChartSandbox;
  beforeEach(async () => {
    s = await startRealChartSandbox(CLUSTER);
  });
  afterEach(async () => {
    await s?.stop();
  });

  it('a chart-made Retain volume and its claim stay Bound through migration and rollback', async () => {
    const dir = chart(s, 'metrics-server', '3.12.2', [
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'metrics-server' } },
      deployment('metrics-server', 'kube-system'),
      ...s3VolumeAndClaim({
        volumeSpec: { persistentVolumeReclaimPolicy: 'Retain', storageClassName: '' },
      }),
    ]);
    ok(await s.helm(['install', 'metrics-server', dir, '-n', 'kube-system']), 'helm install');
    const pv = () =>
      s.sb.kube(CLUSTER).get({ apiVersion: 'v1', kind: 'PersistentVolume', name: 's3-pv' }) as
        { status?: { phase?: string } } | undefined;
    expect(pv()?.status?.phase).toBe('Bound');

    const { plan, diff } = await migrateAndRollBack(s, 'metrics-server');
    expect(plan.warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^PersistentVolumeClaim kube-system\/s3-claim .* stays: /),
        expect.stringMatching(/^PersistentVolume s3-pv .* stays: /),
      ]),
    );
    expect(pv()?.status?.phase).toBe('Bound');
    expect(diff).toEqual([]);
  });

  it('CRDs applied with kubectl before the chart are put back as they were after the add-on overwrote them', async () => {
    ok(
      await s.kubectl(
        ['apply', '-f', '-'],
        certManagerCrds()
          .map((o) => stringify(o))
          .join('---\n'),
      ),
      'kubectl apply CRDs',
    );
    const dir = chart(
      s,
      'cert-manager',
      'v1.18.2',
      ['cert-manager', 'cert-manager-cainjector', 'cert-manager-webhook'].flatMap((n) => [
        { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: n } },
        deployment(n, 'cert-manager'),
      ]),
    );
    ok(
      await s.helm(['install', 'cert-manager', dir, '-n', 'cert-manager', '--create-namespace']),
      'helm install',
    );
    const crd = () =>
      JSON.stringify(
        s.sb.kube(CLUSTER).get({
          apiVersion: 'apiextensions.k8s.io/v1',
          kind: 'CustomResourceDefinition',
          name: 'certificaterequests.cert-manager.io',
        })?.['spec'],
      );
    const applied = crd();

    const { diff } = await migrateAndRollBack(s, 'cert-manager');
    expect(crd()).toBe(applied);
    expect(diff).toEqual([]);
  });
});
