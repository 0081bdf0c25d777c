/**
 * The storage-shapes chart installed by real helm v3 and v4: the core's fixtures are what helm
 * stores (re-captured here, so they cannot drift; UPDATE_STORAGE_SHAPES=1 rewrites them, then run
 * `npx prettier --write` on them), our splitter reads each stored manifest as real kubectl does,
 * and every object the core says the release has is where Helm put it on the cluster.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import {
  describeRef,
  inferSubchartCrds,
  releaseObjects,
  splitManifest,
  toHelmRelease,
  type HelmReleaseWire,
} from '@hyperpod/core';
import { helm4Path, helmPath } from '../support/tools';
import { startHelmHarness, type HelmHarness } from './helmHarness';
import { kubectlObjects } from './kubectlOracle';
import {
  installStorageShapes,
  STORAGE_SHAPES_FIXTURES,
  type CapturedRelease,
} from './storageShapes';

const ours = (manifest: string, source?: string) =>
  splitManifest(manifest, source ? { source } : {}).documents.map(
    (d) =>
      `${d.object.apiVersion} ${d.object.kind} ${d.object.metadata.namespace ?? ''}/${d.object.metadata.name}`,
  );

describe.each([
  ['helm3', 'v3', helmPath],
  ['helm4', 'v4', helm4Path],
] as const)('storage-shapes installed by real %s', (which, major, binary) => {
  let h: HelmHarness;
  let captured: CapturedRelease;
  beforeAll(async () => {
    h = await startHelmHarness('storage-shapes', { helm: binary() });
    captured = await installStorageShapes(h);
    if (process.env['UPDATE_STORAGE_SHAPES'])
      writeFileSync(STORAGE_SHAPES_FIXTURES[which], `${JSON.stringify(captured, null, 2)}\n`);
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  it(`is the release the core's fixture holds (helm ${major})`, () => {
    expect(captured.capturedWith).toMatch(new RegExp(`^helm ${major}\\.`));
    const fixture = JSON.parse(readFileSync(STORAGE_SHAPES_FIXTURES[which], 'utf8')) as unknown;
    expect(captured).toEqual(fixture);
  });

  it('our splitter finds exactly the objects real kubectl reads in the stored manifest', () => {
    const manifest = captured.release.manifest!;
    expect(ours(manifest).sort()).toEqual(kubectlObjects(manifest).sort());
    // Not trivially: the double separator, lists and comment-only documents are all in it.
    expect(manifest).toMatch(/^---\n# Source: [^\n]+\n---\napiVersion/m);
    expect(ours(manifest)).toHaveLength(18);
  });

  it("and in every hook's manifest and every stored crds/ file", () => {
    for (const hook of captured.release.hooks ?? [])
      expect(ours(hook.manifest!)).toEqual(kubectlObjects(hook.manifest!));
    const crds = toHelmRelease(captured.release as HelmReleaseWire).chart.crdFiles ?? [];
    expect(crds.map((f) => f.name)).toEqual(['crds/gadgets-and-widgets.yaml']);
    for (const f of crds) expect(ours(f.text)).toEqual(kubectlObjects(f.text));
  });

  it('every object the core lists is on the cluster where Helm left it', () => {
    const release = toHelmRelease(captured.release as HelmReleaseWire);
    const objects = releaseObjects(release);
    expect(objects.errors).toEqual([]);
    const present = (ref: { apiVersion: string; kind: string; name: string; namespace?: string }) =>
      h.cluster.get(ref) !== undefined;
    const missing = objects.manifest.filter((o) => !present(o.ref)).map((o) => describeRef(o.ref));
    expect(missing).toEqual([]);
    expect(objects.crds.map((c) => present(c.ref))).toEqual([true, true]);
    // Hooks: kept ones are there, a hook-succeeded one was deleted by helm after it ran.
    expect(objects.hooks.map((x) => [describeRef(x.ref), x.expected, present(x.ref)])).toEqual([
      ['ConfigMap shapes/shapes-pre-install', 'present', true],
      ['ConfigMap shapes/shapes-post-install', 'deleted', false],
      ['ConfigMap shapes/shapes-kept-hook', 'present', true],
    ]);
    // The sub-chart's crds/ CRD is stored nowhere in the release, but is on the cluster and found.
    const clusterCrds = h.cluster.list('apiextensions.k8s.io/v1', 'CustomResourceDefinition');
    const inferred = inferSubchartCrds(objects, clusterCrds);
    expect(inferred.map((c) => [c.ref.name, c.chartPath])).toEqual([
      ['things.sub.example.com', ['storage-shapes', 'sub']],
    ]);
    expect(present(inferred[0]!.ref)).toBe(true);
  });
});
