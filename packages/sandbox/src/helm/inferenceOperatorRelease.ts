/**
 * Seeds of inference operator releases: the chart installed directly (with a revision history)
 * or as a sub-chart of the `hyperpod-dependencies` umbrella, and the user values an install passes.
 */
import type { HelmReleaseStatus, HelmValues } from '@hyperpod/core';
import type { HelmChartSeed, HelmReleaseSeed, HelmRevisionSeed } from './buildHelmRelease';
import {
  INFERENCE_OPERATOR_CHART,
  INFERENCE_OPERATOR_CHART_VERSIONS,
  inferenceOperatorChart,
} from './inferenceOperatorChart';
import { renderInferenceOperatorChart } from './renderInferenceOperatorChart';

export interface InferenceOperatorRevision {
  status: HelmReleaseStatus;
  chartVersion?: string;
  values: HelmValues;
  description?: string;
  deployedAt?: Date;
}

/**
 * A seed for `seedHelmRelease`: the inference operator release with the given revision history
 * (e.g. 2.1.0 superseded, then 2.2.2 deployed; or a third revision stuck in pending-upgrade).
 */
export function inferenceOperatorReleaseSeed(opts: {
  releaseName?: string;
  namespace?: string;
  revisions: InferenceOperatorRevision[];
  now?: Date;
}): HelmReleaseSeed {
  const releaseName = opts.releaseName ?? INFERENCE_OPERATOR_CHART;
  const namespace = opts.namespace ?? 'kube-system';
  const revisions: HelmRevisionSeed[] = opts.revisions.map((r) => {
    const chartVersion = r.chartVersion ?? '2.2.2';
    return {
      status: r.status,
      values: r.values,
      chart: inferenceOperatorChart(chartVersion, r.values),
      templates: renderInferenceOperatorChart(r.values, {
        chartVersion,
        releaseName,
        releaseNamespace: namespace,
      }),
      notes: `HyperPod inference operator ${INFERENCE_OPERATOR_CHART_VERSIONS[chartVersion]!.appVersion} installed in hyperpod-inference-system.\n`,
      ...(r.description ? { description: r.description } : {}),
      ...(r.deployedAt ? { deployedAt: r.deployedAt } : {}),
    };
  });
  const last = revisions[revisions.length - 1]!;
  return {
    name: releaseName,
    namespace,
    chart: last.chart!,
    revisions,
    ...(opts.now ? { now: opts.now } : {}),
  };
}

/** Realistic user values for an install in `account`/`region` (what a HyperPod console install passes). */
export function inferenceOperatorValues(opts: {
  accountId: string;
  region: string;
  clusterName: string;
  hyperpodClusterId?: string;
}): HelmValues {
  const { accountId, region, clusterName } = opts;
  const id = opts.hyperpodClusterId ?? 'abcd1234efgh';
  return {
    region,
    eksClusterName: clusterName,
    hyperpodClusterArn: `arn:aws:sagemaker:${region}:${accountId}:cluster/${id}`,
    executionRoleArn: `arn:aws:iam::${accountId}:role/HyperpodInferenceRole-${clusterName}`,
    tlsCertificateS3Bucket: `s3://hyperpod-tls-${accountId}-${region}`,
    jumpstartGatedModelDownloadRoleArn: `arn:aws:iam::${accountId}:role/JumpstartGatedRole-${clusterName}`,
    s3: { serviceAccountRoleArn: `arn:aws:iam::${accountId}:role/S3CsiDriverRole-${clusterName}` },
    alb: {
      clusterName,
      region,
      vpcId: 'vpc-0a1b2c3d4e5f67890',
      serviceAccount: {
        create: true,
        roleArn: `arn:aws:iam::${accountId}:role/HyperpodInferenceALBRole-${clusterName}`,
      },
    },
    keda: {
      podIdentity: {
        aws: {
          irsa: {
            roleArn: `arn:aws:iam::${accountId}:role/HyperpodInferenceKEDARole-${clusterName}`,
          },
        },
      },
    },
  };
}

/**
 * A seed for the umbrella release `hyperpod-dependencies` carrying the inference operator as a
 * sub-chart (as the HyperPod CLI installs it): user values nest under the sub-chart's name and
 * template paths under `charts/hyperpod-inference-operator/`.
 */
export function dependenciesReleaseSeed(opts: {
  inferenceOperatorChartVersion?: string;
  values: HelmValues;
  releaseName?: string;
  namespace?: string;
  now?: Date;
}): HelmReleaseSeed {
  const chartVersion = opts.inferenceOperatorChartVersion ?? '2.2.2';
  const releaseName = opts.releaseName ?? 'hyperpod-dependencies';
  const namespace = opts.namespace ?? 'kube-system';
  const userValues: HelmValues = { [INFERENCE_OPERATOR_CHART]: opts.values };
  const chart: HelmChartSeed = {
    name: 'hyperpod-dependencies',
    version: '0.1.0',
    appVersion: '1.0',
    apiVersion: 'v2',
    type: 'application',
    description: 'Umbrella chart of SageMaker HyperPod cluster dependencies.',
    dependencies: [
      {
        name: INFERENCE_OPERATOR_CHART,
        version: chartVersion,
        repository: 'file://charts/inference-operator',
        condition: 'inferenceOperators.enabled',
        enabled: true,
      },
    ],
    values: { inferenceOperators: { enabled: true }, [INFERENCE_OPERATOR_CHART]: {} },
  };
  return {
    name: releaseName,
    namespace,
    chart,
    revisions: [
      {
        status: 'deployed',
        values: userValues,
        templates: renderInferenceOperatorChart(opts.values, {
          chartVersion,
          releaseName,
          releaseNamespace: namespace,
          pathPrefix: `charts/${INFERENCE_OPERATOR_CHART}/`,
        }),
        description: 'Install complete',
      },
    ],
    ...(opts.now ? { now: opts.now } : {}),
  };
}
