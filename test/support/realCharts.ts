/**
 * The real upstream charts (reference data outside the repository), reached only through
 * `REAL_CHARTS_DIR`, which `.ci/run` sets. The suites that need them fail, never skip, when the
 * variable is set and the folder is missing; when it is not set they do not run and say so.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { helmPath } from './tools';

/** The six dependency charts at the versions the inference chart 2.2.2 pins, by chart name. */
export const REAL_DEPENDENCY_CHARTS = {
  'aws-mountpoint-s3-csi-driver': 'aws-mountpoint-s3-csi-driver-1.14.1',
  'metrics-server': 'metrics-server-3.12.2',
  'aws-fsx-csi-driver': 'aws-fsx-csi-driver-1.11.0',
  'aws-load-balancer-controller': 'aws-load-balancer-controller-1.13.2',
  'cert-manager': 'cert-manager-v1.18.2',
  keda: 'keda-2.17.1',
} as const;

export const REAL_INFERENCE_CHART = 'hyperpod-inference-operator-2.2.2';

/**
 * The folder of the real charts, or undefined when `REAL_CHARTS_DIR` is not set. Throws when it is
 * set but the folder (or one of the seven charts in it) is missing: a suite that was asked to run
 * must not pass by finding nothing.
 */
export function realChartsDir(): string | undefined {
  const dir = process.env.REAL_CHARTS_DIR;
  if (!dir) return undefined;
  if (!existsSync(dir)) throw new Error(`REAL_CHARTS_DIR=${dir}: no such folder`);
  const present = new Set(readdirSync(dir));
  for (const chart of [REAL_INFERENCE_CHART, ...Object.values(REAL_DEPENDENCY_CHARTS)])
    if (!present.has(chart)) throw new Error(`REAL_CHARTS_DIR=${dir} has no ${chart}`);
  return dir;
}

/** `realChartsDir()`, for suites that only run with it: throws when the variable is not set. */
export function requireRealChartsDir(): string {
  const dir = realChartsDir();
  if (!dir) throw new Error('REAL_CHARTS_DIR is not set');
  return dir;
}

/** Copies one real chart into a scratch folder (charts are read-only where they live). */
export function copyRealChart(
  dirName: string,
  into = mkdtempSync(join(tmpdir(), 'real-chart-')),
): string {
  const target = join(into, dirName);
  cpSync(join(requireRealChartsDir(), dirName), target, { recursive: true });
  return target;
}

/**
 * The umbrella a customer runs: the inference chart 2.2.2 with the six real charts in its
 * `charts/`, assembled in a scratch folder. With `packaged` (the default) each dependency is a
 * `.tgz` made by real `helm package`, as `helm dependency build` leaves them: packaging applies
 * each chart's own `.helmignore` (the ALB chart's drops `crds/kustomization.yaml`, which Helm
 * would otherwise try to install as a CRD). Without it they are plain folders under their chart
 * names (Helm applies the aliases of Chart.yaml). Returns the chart's path (its folder is named
 * `hyperpod-inference-operator`).
 */
export function assembleInferenceUmbrella(
  into = mkdtempSync(join(tmpdir(), 'real-umbrella-')),
  opts: { packaged?: boolean } = {},
): string {
  const src = requireRealChartsDir();
  const chart = join(into, 'hyperpod-inference-operator');
  cpSync(join(src, REAL_INFERENCE_CHART), chart, { recursive: true });
  const charts = join(chart, 'charts');
  mkdirSync(charts, { recursive: true });
  for (const [name, dir] of Object.entries(REAL_DEPENDENCY_CHARTS)) {
    if (opts.packaged === false) {
      cpSync(join(src, dir), join(charts, name), { recursive: true });
      continue;
    }
    const r = spawnSync(helmPath(), ['package', join(src, dir), '-d', charts], {
      encoding: 'utf8',
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: into },
    });
    if (r.status !== 0) throw new Error(`helm package ${dir}: ${r.stderr}`);
  }
  return chart;
}

/**
 * The values a customer sets for the umbrella (what its `_validateRequiredValues.tpl` requires:
 * with these `helm template` renders 135 objects), for a cluster in `region` of account
 * `accountId`.
 */
export function inferenceCustomerValues(opts: {
  clusterName: string;
  region: string;
  accountId: string;
  vpcId?: string;
}): Record<string, unknown> {
  const { clusterName, region, accountId } = opts;
  return {
    eksClusterName: clusterName,
    region,
    executionRoleArn: `arn:aws:iam::${accountId}:role/${clusterName}-inference-execution-role`,
    tlsCertificateS3Bucket: `s3://${clusterName}-inference-tls`,
    hyperpodClusterArn: `arn:aws:sagemaker:${region}:${accountId}:cluster/${clusterName.slice(0, 12)}abcd`,
    s3: { serviceAccountRoleArn: `arn:aws:iam::${accountId}:role/${clusterName}-s3-csi` },
    alb: {
      clusterName,
      region,
      vpcId: opts.vpcId ?? 'vpc-0a1b2c3d4e5f60718',
      serviceAccount: { roleArn: `arn:aws:iam::${accountId}:role/${clusterName}-alb` },
    },
    keda: {
      podIdentity: {
        aws: { irsa: { roleArn: `arn:aws:iam::${accountId}:role/${clusterName}-keda` } },
      },
    },
  };
}
