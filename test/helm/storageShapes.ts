/**
 * The storage-shapes chart (test/fixtures/charts/storage-shapes) installed by real helm into a
 * sandbox cluster, and the release it stored, decoded with our codec. The core's splitter tests
 * read the captured releases (packages/core/src/helm/fixtures/storage-shapes.helm*.json);
 * storageShapes.test.ts re-captures them so they cannot drift from what helm writes.
 */
import { strFromU8 } from 'fflate';
import { join, resolve } from 'node:path';
import { decodeBase64, decodeHelmReleaseData, type HelmReleaseWire } from '@hyperpod/core';
import { helm4Path, helmPath } from '../support/tools';
import { CHARTS } from './helmTemplate';
import { startHelmHarness, type HelmHarness } from './helmHarness';

export const STORAGE_SHAPES_CHART = join(CHARTS, 'storage-shapes');
export const STORAGE_SHAPES_RELEASE = 'shapes';
export const STORAGE_SHAPES_NAMESPACE = 'shapes';

export const STORAGE_SHAPES_FIXTURES = {
  helm3: resolve(__dirname, '../../packages/core/src/helm/fixtures/storage-shapes.helm3.json'),
  helm4: resolve(__dirname, '../../packages/core/src/helm/fixtures/storage-shapes.helm4.json'),
} as const;

export interface CapturedRelease {
  /** How it was made, for people reading the fixture. */
  capturedWith: string;
  /** The first revision's Secret labels, timestamps replaced. */
  labels: Record<string, string>;
  /** The decoded release, timestamps replaced (they are all helm writes that differs per run). */
  release: HelmReleaseWire;
}

const TIME = '2026-01-01T00:00:00Z';

/** Installs the chart with real helm (v3 or v4) and returns the stored first revision. */
export async function captureStorageShapes(which: 'helm3' | 'helm4'): Promise<CapturedRelease> {
  const h = await startHelmHarness('storage-shapes', {
    helm: which === 'helm3' ? helmPath() : helm4Path(),
  });
  try {
    return await installStorageShapes(h);
  } finally {
    await h.close();
  }
}

/** Installs the chart with the harness's helm; the cluster is left as helm made it. */
export async function installStorageShapes(h: HelmHarness): Promise<CapturedRelease> {
  const version = await h.helm(['version', '--short']);
  const r = await h.helm([
    'install',
    STORAGE_SHAPES_RELEASE,
    STORAGE_SHAPES_CHART,
    '--namespace',
    STORAGE_SHAPES_NAMESPACE,
    '--create-namespace',
    '--timeout',
    '60s',
    // helm v4 waits for hooks with a watcher by default; legacy waits for Jobs and Pods only.
    ...(version.stdout.startsWith('v4') ? ['--wait=legacy'] : []),
  ]);
  if (r.code !== 0) throw new Error(`helm install exited ${r.code}: ${r.stderr}`);
  const secret = h.cluster.get({
    apiVersion: 'v1',
    kind: 'Secret',
    namespace: STORAGE_SHAPES_NAMESPACE,
    name: `sh.helm.release.v1.${STORAGE_SHAPES_RELEASE}.v1`,
  });
  if (!secret) throw new Error('helm stored no release Secret');
  const data = (secret['data'] as Record<string, string>)['release']!;
  const release = normalise(decodeHelmReleaseData(strFromU8(decodeBase64(data))));
  const labels = { ...(secret.metadata.labels ?? {}) };
  for (const k of ['createdAt', 'modifiedAt']) if (labels[k]) labels[k] = '0';
  return {
    capturedWith: `helm ${version.stdout.trim()} install ${STORAGE_SHAPES_RELEASE} test/fixtures/charts/storage-shapes -n ${STORAGE_SHAPES_NAMESPACE} --create-namespace`,
    labels,
    release,
  };
}

function normalise(wire: HelmReleaseWire): HelmReleaseWire {
  const copy = JSON.parse(JSON.stringify(wire)) as HelmReleaseWire & Record<string, unknown>;
  if (copy.info) {
    copy.info.first_deployed = TIME;
    copy.info.last_deployed = TIME;
  }
  for (const hook of copy.hooks ?? []) {
    if (hook.last_run.started_at) hook.last_run.started_at = TIME;
    if (hook.last_run.completed_at) hook.last_run.completed_at = TIME;
  }
  // helm v4 records modification times of the chart it loaded from disk.
  const chart = copy.chart as unknown as Record<string, unknown> | undefined;
  for (const key of ['schemamodtime', 'modtime']) if (chart?.[key]) chart[key] = TIME;
  for (const list of ['templates', 'files'])
    for (const f of (chart?.[list] as Record<string, unknown>[] | null | undefined) ?? [])
      if (f['modtime']) f['modtime'] = TIME;
  return copy;
}
