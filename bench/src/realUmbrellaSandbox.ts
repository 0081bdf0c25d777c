/**
 * A sandbox cluster running the real inference umbrella (the inference chart 2.2.2 with its six
 * real dependency charts, packaged by real `helm package` as `helm dependency build` leaves them),
 * installed by real helm v3 with a customer's values, with the AWS side those values name (IRSA
 * roles trusted through the cluster's OIDC issuer, the HyperPod cluster, the TLS bucket). The real
 * charts come only from `REAL_CHARTS_DIR`; they are never copied into the repository.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { certManagerCrds, Sandbox } from '@hyperpod/sandbox';
import { addInferenceCluster } from '@hyperpod/sandbox/testing';

const ROOT = resolve(__dirname, '../..');
export const UMBRELLA_RELEASE = 'hyperpod-inference-operator';
export const UMBRELLA_NAMESPACE = 'kube-system';
const INFERENCE_CHART = 'hyperpod-inference-operator-2.2.2';
const DEPENDENCY_CHARTS = [
  'aws-mountpoint-s3-csi-driver-1.14.1',
  'metrics-server-3.12.2',
  'aws-fsx-csi-driver-1.11.0',
  'aws-load-balancer-controller-1.13.2',
  'cert-manager-v1.18.2',
  'keda-2.17.1',
];

function run(bin: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((ok, fail) =>
    execFile(bin, args, { env, maxBuffer: 64 * 1024 * 1024 }, (e, stdout, stderr) =>
      e ? fail(new Error(`${bin} ${args.slice(0, 2).join(' ')}: ${stderr.trim()}`)) : ok(stdout),
    ),
  );
}

export function realChartsDir(): string {
  const dir = process.env.REAL_CHARTS_DIR;
  if (!dir) throw new Error('REAL_CHARTS_DIR is not set (the folder of the real upstream charts)');
  const abs = resolve(dir);
  for (const c of [INFERENCE_CHART, ...DEPENDENCY_CHARTS])
    if (!existsSync(join(abs, c))) throw new Error(`REAL_CHARTS_DIR=${abs} has no ${c}`);
  return abs;
}

export interface RealUmbrella {
  sb: Sandbox;
  clusterName: string;
  /** Seconds `helm install --wait` took. */
  installSeconds: number;
}

export async function startRealUmbrellaSandbox(
  clusterName: string,
  opts: { addonTransitionMs: number },
): Promise<RealUmbrella> {
  const charts = realChartsDir();
  const helm = join(ROOT, '.tools', 'bin', 'helm');
  const dir = mkdtempSync(join(tmpdir(), 'bench-real-umbrella-'));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: dir,
    HELM_CACHE_HOME: join(dir, 'cache'),
    HELM_CONFIG_HOME: join(dir, 'config'),
    HELM_DATA_HOME: join(dir, 'data'),
    KUBECONFIG: join(dir, 'kubeconfig'),
  };
  const chart = join(dir, 'hyperpod-inference-operator');
  cpSync(join(charts, INFERENCE_CHART), chart, { recursive: true });
  mkdirSync(join(chart, 'charts'), { recursive: true });
  for (const dep of DEPENDENCY_CHARTS)
    await run(helm, ['package', join(charts, dep), '-d', join(chart, 'charts')], env);

  const sb = await Sandbox.start({ scenario: 'empty', addonTransitionMs: opts.addonTransitionMs });
  try {
    const {
      cluster: c,
      hyperpodClusterArn,
      tlsBucket: bucket,
      seedRole: role,
    } = await addInferenceCluster(sb, clusterName);
    // What the chart's _validateRequiredValues.tpl requires, as a customer sets it.
    const values = {
      eksClusterName: clusterName,
      region: c.region,
      executionRoleArn: role(
        `${clusterName}-inference-execution-role`,
        'hyperpod-inference-system:hyperpod-inference-operator-controller-manager',
      ),
      tlsCertificateS3Bucket: `s3://${bucket}`,
      hyperpodClusterArn,
      s3: { serviceAccountRoleArn: role(`${clusterName}-s3-csi`, 'kube-system:s3-csi-driver-sa') },
      alb: {
        clusterName,
        region: c.region,
        vpcId: 'vpc-0a1b2c3d4e5f60718',
        serviceAccount: {
          roleArn: role(`${clusterName}-alb`, 'kube-system:aws-load-balancer-controller'),
        },
      },
      // Its CRDs are applied beforehand (below).
      'cert-manager': { crds: { enabled: false } },
      keda: {
        podIdentity: {
          aws: { irsa: { roleArn: role(`${clusterName}-keda`, 'kube-system:keda-operator') } },
        },
      },
    };
    writeFileSync(env['KUBECONFIG']!, sb.kubeconfig(c.context), { mode: 0o600 });
    const valuesFile = join(dir, 'values.json');
    // JSON is YAML.
    writeFileSync(valuesFile, JSON.stringify(values, null, 2));
    // What a customer does first: cert-manager's CRDs (the umbrella's Issuer and Certificate
    // need them) and the namespaces the cert-manager and KEDA sub-charts deploy to.
    const kube = sb.kube(clusterName);
    for (const crd of certManagerCrds()) kube.create(crd);
    for (const ns of ['cert-manager', 'keda'])
      kube.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    const args = [
      'install',
      UMBRELLA_RELEASE,
      chart,
      '-n',
      UMBRELLA_NAMESPACE,
      '-f',
      valuesFile,
      '--wait',
      '--timeout',
      '3m',
    ];
    const t0 = performance.now();
    // With helm's schema validation on: the sandbox serves /openapi/v2 and /openapi/v3.
    await run(helm, args, env);
    return { sb, clusterName, installSeconds: (performance.now() - t0) / 1000 };
  } catch (e) {
    await sb.stop();
    throw e;
  }
}
