/**
 * The TypeScript renderer the sandbox seeds releases with must give what real `helm template`
 * gives for the fixture chart, so seeded clusters and helm-installed clusters look alike.
 */
import {
  inferenceOperatorValues,
  renderInferenceOperatorChart,
  sortManifestDocuments,
} from '@hyperpod/sandbox';
import { join } from 'node:path';
import { CHARTS, helmTemplate, parseRendered, setFlags } from './helmTemplate';

const values = inferenceOperatorValues({
  accountId: '111122223333',
  region: 'us-east-2',
  clusterName: 'hp-eks-1',
});

function helmDocs(
  chartDir: string,
  release: string,
  extraValues: Record<string, unknown> = {},
  prefix = '',
) {
  const out = helmTemplate([
    release,
    join(CHARTS, chartDir),
    '--namespace',
    'kube-system',
    ...setFlags({ ...values, ...extraValues }, prefix),
  ]);
  expect(out.stderr).not.toMatch(/Error/);
  expect(out.status).toBe(0);
  return parseRendered(out.stdout);
}

describe('inference operator chart: TypeScript renderer vs helm template', () => {
  it('renders 2.2.2 with every sub-chart as helm does, object for object and in helm order', () => {
    const helm = helmDocs('hyperpod-inference-operator', 'hyperpod-inference-operator');
    const ours = sortManifestDocuments(
      'hyperpod-inference-operator',
      renderInferenceOperatorChart(values, {
        releaseName: 'hyperpod-inference-operator',
        releaseNamespace: 'kube-system',
      }),
    );
    expect(ours.map((d) => ({ source: d.source, object: d.object }))).toEqual(helm);
    const names = helm.map(
      (d) => `${d.object.kind}/${d.object.metadata.namespace ?? ''}/${d.object.metadata.name}`,
    );
    expect(names).toEqual(
      expect.arrayContaining([
        'Namespace//hyperpod-inference-system',
        'Deployment/hyperpod-inference-system/hyperpod-inference-operator-controller-manager',
        'ServiceAccount/hyperpod-inference-system/hyperpod-inference-operator-controller-manager',
        'CustomResourceDefinition//jumpstartmodels.inference.sagemaker.aws.amazon.com',
        'Deployment/kube-system/hyperpod-inference-operator-alb',
        'ServiceAccount/kube-system/aws-load-balancer-controller',
        'Deployment/kube-system/keda-operator',
        'Deployment/kube-system/keda-operator-metrics-apiserver',
        'Deployment/kube-system/keda-admission-webhooks',
        'DaemonSet/kube-system/s3-csi-node',
        'CSIDriver//s3.csi.aws.com',
        'DaemonSet/kube-system/fsx-csi-node',
        'CSIDriver//fsx.csi.aws.com',
        'Deployment/cert-manager/cert-manager',
        'CustomResourceDefinition//certificates.cert-manager.io',
        'Deployment/kube-system/hyperpod-inference-operator-metrics',
      ]),
    );
  });

  it('renders the older 2.1.0 chart with sub-charts switched off by their conditions', () => {
    const extra = {
      fsx: { enabled: false },
      keda: { enabled: false },
      tlsCertificateS3Bucket: 'bare-bucket-name',
    };
    const helm = helmDocs('hyperpod-inference-operator-2.1.0', 'io', extra);
    const merged = { ...values, ...extra, keda: { ...(values['keda'] as object), enabled: false } };
    const ours = sortManifestDocuments(
      'hyperpod-inference-operator',
      renderInferenceOperatorChart(merged, { chartVersion: '2.1.0', releaseName: 'io' }),
    );
    expect(ours.map((d) => ({ source: d.source, object: d.object }))).toEqual(helm);
    expect(
      helm.some((d) => d.source.includes('/charts/keda/') || d.source.includes('/charts/fsx/')),
    ).toBe(false);
    const manager = helm.find(
      (d) =>
        d.object.kind === 'Deployment' && d.object.metadata.name.endsWith('controller-manager'),
    )!;
    expect(JSON.stringify(manager.object)).toContain('"value":"s3://bare-bucket-name"');
    expect(JSON.stringify(manager.object)).toContain('hyperpod-inference-operator:v3.1');
  });

  it('renders the operator as a sub-chart of the hyperpod-dependencies umbrella', () => {
    const helm = helmDocs(
      'hyperpod-dependencies',
      'hyperpod-dependencies',
      {},
      'hyperpod-inference-operator.',
    );
    const ours = sortManifestDocuments(
      'hyperpod-dependencies',
      renderInferenceOperatorChart(values, {
        releaseName: 'hyperpod-dependencies',
        pathPrefix: 'charts/hyperpod-inference-operator/',
      }),
    );
    expect(ours.map((d) => ({ source: d.source, object: d.object }))).toEqual(helm);
    expect(helm.map((d) => d.object.metadata.name)).toContain('hyperpod-dependencies-alb');
  });

  it('fails on missing required values with the chart’s message, as helm does', () => {
    const { executionRoleArn: _omitted, ...withoutRole } = values;
    const out = helmTemplate([
      'x',
      join(CHARTS, 'hyperpod-inference-operator'),
      ...setFlags(withoutRole),
    ]);
    expect(out.status).not.toBe(0);
    expect(out.stderr).toContain(
      'executionRoleArn must be set via the --set executionRoleArn=<arn> flag',
    );
    expect(() => renderInferenceOperatorChart(withoutRole)).toThrow(
      'executionRoleArn must be set via the --set executionRoleArn=<arn> flag',
    );
  });
});
