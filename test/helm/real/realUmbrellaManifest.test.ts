/**
 * The real inference-operator umbrella (2.2.2 with its six real dependency charts, from
 * REAL_CHARTS_DIR) rendered by real `helm template` with a customer's values: our splitter finds
 * exactly the objects real kubectl reads in helm's output, and with the Source attribution the
 * migration relies on. Runs only with REAL_CHARTS_DIR (`.ci/run` sets it); fails when it is set and
 * the charts are missing.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readManifest, splitManifest } from '@hyperpod/core';
import {
  assembleInferenceUmbrella,
  inferenceCustomerValues,
  requireRealChartsDir,
} from '../../support/realCharts';
import { helmTemplate } from '../helmTemplate';
import { kubectlObjects } from '../kubectlOracle';

// Run only with REAL_CHARTS_DIR (jest.config.js leaves test/helm/real out otherwise, and says so).
requireRealChartsDir();
const suite = describe;

suite('the real inference umbrella rendered by real helm template (REAL_CHARTS_DIR)', () => {
  let rendered: string;
  beforeAll(() => {
    const chart = assembleInferenceUmbrella();
    const values = join(chart, '..', 'customer-values.yaml');
    writeFileSync(
      values,
      JSON.stringify(
        inferenceCustomerValues({
          clusterName: 'hp-eks-1',
          region: 'us-east-2',
          accountId: '111122223333',
        }),
      ),
    );
    const r = helmTemplate(['io', chart, '--namespace', 'kube-system', '--values', values]);
    if (r.status !== 0) throw new Error(`helm template exited ${r.status}: ${r.stderr}`);
    rendered = r.stdout;
  }, 120_000);

  it('the splitter finds exactly the objects real kubectl reads: 135 documents, 136 objects', () => {
    const split = splitManifest(rendered);
    expect(split.errors).toEqual([]);
    const ours = split.documents.map(
      (d) =>
        `${d.object.apiVersion} ${d.object.kind} ${d.object.metadata.namespace ?? ''}/${d.object.metadata.name}`,
    );
    expect(ours.sort()).toEqual(kubectlObjects(rendered).sort());
    // 135 documents; the load balancer controller's `kind: List` holds its IngressClassParams and
    // IngressClass, so 136 objects.
    expect(new Set(split.documents.map((d) => d.document)).size).toBe(135);
    expect(ours).toHaveLength(136);
    expect(
      split.documents
        .filter(
          (d) => d.source === 'hyperpod-inference-operator/charts/alb/templates/ingressclass.yaml',
        )
        .map((d) => `${d.object.kind} ${d.object.metadata.name}`),
    ).toEqual(['IngressClassParams alb', 'IngressClass alb']);
  });

  it('finds the four objects the old splitter lost, each attributed to the inference chart', () => {
    const objects = readManifest(rendered, 'kube-system').objects;
    const find = (kind: string, name: string) =>
      objects.find((o) => o.ref.kind === kind && o.ref.name === name);
    for (const [kind, name] of [
      ['Deployment', 'hyperpod-inference-operator-controller-manager'],
      ['ClusterRole', 'pod-reader'],
      ['ClusterRole', 'hyperpod-inference-operator-manager-role'],
      ['CustomResourceDefinition', 'inferenceendpointconfigs.inference.sagemaker.aws.amazon.com'],
    ] as const)
      expect(find(kind, name)?.chartPath).toEqual(['hyperpod-inference-operator']);
    expect(
      find('Deployment', 'hyperpod-inference-operator-controller-manager')?.ref.namespace,
    ).toBe('hyperpod-inference-system');
    // Every object knows its chart: Helm wrote a # Source: before each (or before its --- twin).
    expect(objects.filter((o) => o.chartPath.length === 0)).toEqual([]);
  });
});
