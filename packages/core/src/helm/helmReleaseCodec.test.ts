import { gunzipSync, gzipSync, strFromU8, strToU8 } from 'fflate';
import { decodeBase64, encodeBase64 } from './base64';
import {
  HELM_RELEASE_STATUSES,
  type HelmReleaseStatus,
  type HelmReleaseWire,
  isPendingHelmStatus,
} from './HelmRelease';
import {
  HelmReleaseDecodeError,
  decodeHelmReleaseData,
  decodeHelmReleaseSecret,
  encodeHelmReleaseData,
  encodeHelmReleaseDataUncompressed,
  encodeHelmReleaseSecret,
  marshalHelmRelease,
} from './helmReleaseCodec';

/** Shaped like what helm 3.17 stores for the inference operator chart (see test/helm for the real thing). */
function inferenceOperatorRelease(
  status: HelmReleaseStatus = 'deployed',
  version = 2,
): HelmReleaseWire {
  return {
    name: 'hyperpod-inference-operator',
    info: {
      first_deployed: '2025-10-27T17:20:29.746399171Z',
      last_deployed: '2025-11-03T09:01:12.5Z',
      deleted: '0001-01-01T00:00:00Z',
      description: 'Upgrade complete',
      status,
      notes: 'HyperPod inference operator installed.\n',
    },
    chart: {
      metadata: {
        name: 'hyperpod-inference-operator',
        version: '2.2.2',
        description: 'A Helm chart for Kubernetes',
        apiVersion: 'v2',
        appVersion: '3.2',
        dependencies: [
          {
            name: 's3',
            version: '1.14.1',
            repository: 'https://awslabs.github.io/mountpoint-s3-csi-driver/',
            condition: 's3.enabled',
            enabled: true,
            alias: 's3',
          },
          {
            name: 'metrics',
            version: '3.12.2',
            repository: 'https://kubernetes-sigs.github.io/metrics-server/',
            enabled: true,
            alias: 'metrics',
          },
          {
            name: 'alb',
            version: '1.13.2',
            repository: 'https://aws.github.io/eks-charts',
            condition: 'alb.enabled',
            enabled: true,
            alias: 'alb',
          },
          {
            name: 'keda',
            version: '2.17.1',
            repository: 'https://kedacore.github.io/charts',
            condition: 'keda.enabled',
            alias: 'keda',
          },
        ],
        type: 'application',
      },
      lock: {
        generated: '2025-10-27T17:20:29.746399171Z',
        digest: 'sha256:f54ece80a00cb4da98440551765d9c660a0704d6b59f4f9030a5a9e86eab4eea',
        dependencies: [
          {
            name: 'aws-mountpoint-s3-csi-driver',
            version: '1.14.1',
            repository: 'https://awslabs.github.io/mountpoint-s3-csi-driver/',
          },
          {
            name: 'metrics-server',
            version: '3.12.2',
            repository: 'https://kubernetes-sigs.github.io/metrics-server/',
          },
          {
            name: 'aws-load-balancer-controller',
            version: '1.13.2',
            repository: 'https://aws.github.io/eks-charts',
          },
          { name: 'keda', version: '2.17.1', repository: 'https://kedacore.github.io/charts' },
        ],
      },
      templates: [
        {
          name: 'templates/default.yaml',
          data: encodeBase64(strToU8('apiVersion: v1\nkind: Namespace\n')),
        },
      ],
      values: { namePrefix: 'hyperpod-inference-operator', keda: { enabled: true } },
      schema: null,
      files: [{ name: '.helmignore', data: encodeBase64(strToU8('.git/\n')) }],
    },
    config: {
      executionRoleArn: 'arn:aws:iam::111122223333:role/hyperpod-inference-execution',
      tlsCertificateS3Bucket: 's3://hyperpod-tls-111122223333',
      alb: { serviceAccount: { roleArn: 'arn:aws:iam::111122223333:role/alb', create: true } },
    },
    manifest:
      '---\n# Source: hyperpod-inference-operator/templates/default.yaml\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: hyperpod-inference-system\n',
    version,
    namespace: 'kube-system',
  };
}

/** The inference operator's chart 2.2.2, as decoded from its Chart.yaml. */
const OPERATOR_CHART = {
  name: 'hyperpod-inference-operator',
  version: '2.2.2',
  appVersion: '3.2',
  apiVersion: 'v2',
  type: 'application',
};
/** Its alb dependency, with what requirements resolve of it. */
const ALB_DEPENDENCY = {
  name: 'alb',
  chartName: 'aws-load-balancer-controller',
  version: '1.13.2',
  repository: 'https://aws.github.io/eks-charts',
  alias: 'alb',
  condition: 'alb.enabled',
  enabled: true,
};

describe('Helm release codec', () => {
  it('round-trips a release through the Secret Helm stores', () => {
    const wire = inferenceOperatorRelease();
    const secret = encodeHelmReleaseSecret(wire, { modifiedAt: 1762160472 });
    expect(secret.metadata.name).toBe('sh.helm.release.v1.hyperpod-inference-operator.v2');
    expect(secret.metadata.namespace).toBe('kube-system');
    expect(secret.type).toBe('helm.sh/release.v1');
    expect(secret.metadata.labels).toEqual({
      modifiedAt: '1762160472',
      name: 'hyperpod-inference-operator',
      owner: 'helm',
      status: 'deployed',
      version: '2',
    });
    const release = decodeHelmReleaseSecret(secret);
    expect(release).toMatchObject({
      name: 'hyperpod-inference-operator',
      namespace: 'kube-system',
      revision: 2,
      status: 'deployed',
      chart: {
        ...OPERATOR_CHART,
        lock: { digest: 'sha256:f54ece80a00cb4da98440551765d9c660a0704d6b59f4f9030a5a9e86eab4eea' },
      },
      values: wire.config,
      chartValues: wire.chart!.values,
      manifest: wire.manifest,
      info: {
        firstDeployed: '2025-10-27T17:20:29.746399171Z',
        lastDeployed: '2025-11-03T09:01:12.5Z',
        description: 'Upgrade complete',
        status: 'deployed',
        notes: 'HyperPod inference operator installed.\n',
      },
    });
    expect(release.info.deleted).toBeUndefined();
    expect(release.chart.dependencies).toContainEqual(ALB_DEPENDENCY);
    // decode ∘ encode is the identity on the wire JSON, byte for byte.
    const helmData = strFromU8(decodeBase64(secret.data.release));
    expect(marshalHelmRelease(decodeHelmReleaseData(helmData))).toBe(marshalHelmRelease(wire));
  });

  it('layers base64 (Kubernetes) over base64 (Helm) over gzip as Helm does', () => {
    const secret = encodeHelmReleaseSecret(inferenceOperatorRelease());
    const helmData = strFromU8(decodeBase64(secret.data.release));
    expect(helmData).toMatch(/^H4sI/); // base64 of the gzip magic 1f 8b 08
    const gz = decodeBase64(helmData);
    // Go's gzip.NewWriterLevel(BestCompression): no mtime, XFL=2 (max compression), OS unknown.
    expect(Array.from(gz.subarray(0, 10))).toEqual([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 2, 0xff]);
    expect(JSON.parse(strFromU8(gunzipSync(gz))).name).toBe('hyperpod-inference-operator');
  });

  it('writes JSON as Go does: struct field order, sorted map keys, HTML-safe escapes, omitempty', () => {
    const json = marshalHelmRelease({
      name: 'r',
      info: {
        first_deployed: 't1',
        last_deployed: 't2',
        deleted: '0001-01-01T00:00:00Z',
        status: 'deployed',
      },
      config: { zeta: 1, alpha: { b: '<a&b>', a: [2, 1] }, '10': true, '2': false },
      version: 1,
    });
    expect(json).toBe(
      '{"name":"r","info":{"first_deployed":"t1","last_deployed":"t2","deleted":"0001-01-01T00:00:00Z","status":"deployed"},' +
        '"config":{"10":true,"2":false,"alpha":{"a":[2,1],"b":"\\u003ca\\u0026b\\u003e"},"zeta":1},"version":1}',
    );
  });

  it('reads releases stored without gzip (no magic bytes) as plain JSON', () => {
    const wire = inferenceOperatorRelease('superseded', 1);
    const data = encodeHelmReleaseDataUncompressed(wire);
    expect(strFromU8(decodeBase64(data)).startsWith('{"name":"hyperpod-inference-operator"')).toBe(
      true,
    );
    const decoded = decodeHelmReleaseData(data);
    expect(decoded.info?.status).toBe('superseded');
    expect(decoded.config).toEqual(wire.config);
  });

  it('decodes a gzip stream written by another encoder at another level', () => {
    const wire = inferenceOperatorRelease();
    const data = encodeBase64(gzipSync(strToU8(JSON.stringify(wire)), { level: 1 }));
    expect(decodeHelmReleaseData(data).manifest).toBe(wire.manifest);
  });

  it.each(HELM_RELEASE_STATUSES.map((s) => [s]))(
    'reads status %s from the release and its label',
    (status) => {
      const secret = encodeHelmReleaseSecret(inferenceOperatorRelease(status, 3));
      expect(secret.metadata.labels?.['status']).toBe(status);
      const release = decodeHelmReleaseSecret(secret);
      expect(release.status).toBe(status);
      expect(release.info.status).toBe(status);
      expect(isPendingHelmStatus(release.status)).toBe(status.startsWith('pending-'));
    },
  );

  it('maps a status this codec does not know to unknown instead of failing', () => {
    const wire = inferenceOperatorRelease();
    wire.info!.status = 'exploded';
    expect(decodeHelmReleaseSecret(encodeHelmReleaseSecret(wire)).status).toBe('unknown');
  });

  it('keeps the uninstall time of an uninstalled release (kept with --keep-history)', () => {
    const wire = inferenceOperatorRelease('uninstalled', 4);
    wire.info!.deleted = '2025-11-04T10:00:00.123Z';
    expect(decodeHelmReleaseSecret(encodeHelmReleaseSecret(wire)).info.deleted).toBe(
      '2025-11-04T10:00:00.123Z',
    );
  });

  describe('corrupted input gives a typed error', () => {
    const meta = { name: 'sh.helm.release.v1.broken.v1', namespace: 'kube-system' };
    const secretWith = (release: string | undefined) => ({
      metadata: meta,
      data: (release === undefined ? {} : { release }) as Record<string, string>,
    });
    const k8s = (helmData: string) => encodeBase64(strToU8(helmData));
    const failure = (fn: () => unknown): HelmReleaseDecodeError => {
      try {
        fn();
      } catch (error) {
        expect(error).toBeInstanceOf(HelmReleaseDecodeError);
        return error as HelmReleaseDecodeError;
      }
      throw new Error('expected a HelmReleaseDecodeError');
    };

    it('no data.release', () => {
      const error = failure(() => decodeHelmReleaseSecret(secretWith(undefined)));
      expect(error.reason).toBe('MissingData');
      expect(error.secretName).toBe('sh.helm.release.v1.broken.v1');
      expect(error.message).toContain('sh.helm.release.v1.broken.v1');
    });
    it('Kubernetes layer not base64', () => {
      expect(failure(() => decodeHelmReleaseSecret(secretWith('%%%not base64%%%'))).reason).toBe(
        'InvalidBase64',
      );
    });
    it('Helm layer not base64', () => {
      expect(failure(() => decodeHelmReleaseSecret(secretWith(k8s('H4sI!!!!')))).reason).toBe(
        'InvalidBase64',
      );
    });
    it('truncated gzip', () => {
      const gz = decodeBase64(encodeHelmReleaseData(inferenceOperatorRelease()));
      const truncated = encodeBase64(gz.subarray(0, Math.floor(gz.length / 2)));
      expect(failure(() => decodeHelmReleaseSecret(secretWith(k8s(truncated)))).reason).toBe(
        'InvalidGzip',
      );
    });
    it('gzip of something that is not JSON', () => {
      const data = encodeBase64(gzipSync(strToU8('apiVersion: v1\nkind: Secret\n')));
      expect(failure(() => decodeHelmReleaseSecret(secretWith(k8s(data)))).reason).toBe(
        'InvalidJson',
      );
    });
    it('JSON that is not a release object', () => {
      expect(failure(() => decodeHelmReleaseData(encodeBase64(strToU8('[1,2,3]')))).reason).toBe(
        'InvalidRelease',
      );
      const noName = encodeBase64(strToU8('{"version":1}'));
      expect(failure(() => decodeHelmReleaseSecret(secretWith(k8s(noName)))).reason).toBe(
        'InvalidRelease',
      );
      const badManifest = encodeBase64(strToU8('{"name":"x","version":1,"manifest":42}'));
      expect(failure(() => decodeHelmReleaseSecret(secretWith(k8s(badManifest)))).reason).toBe(
        'InvalidRelease',
      );
    });
  });
});

import realSecret from './fixtures/helm-3.17-release-secret.json';

describe('a release Secret written by real helm v3.17.2', () => {
  // Captured from `helm install io test/fixtures/charts/hyperpod-inference-operator -n kube-system`
  // against a sandbox cluster (see test/helm): the revision as first stored, pending-install.
  it('decodes every field the product reads', () => {
    const release = decodeHelmReleaseSecret(realSecret);
    expect(release).toMatchObject({
      name: 'io',
      namespace: 'kube-system',
      revision: 1,
      status: 'pending-install',
      chart: OPERATOR_CHART,
      info: { description: 'Initial install underway', status: 'pending-install' },
      labels: { name: 'io', owner: 'helm', status: 'pending-install', version: '1' },
    });
    expect(release.labels['createdAt']).toMatch(/^\d{10}$/);
    expect(release.chart.dependencies).toEqual([
      {
        name: 's3',
        chartName: 'aws-mountpoint-s3-csi-driver',
        version: '1.14.1',
        repository: 'https://awslabs.github.io/mountpoint-s3-csi-driver/',
        alias: 's3',
        condition: 's3.enabled',
        enabled: true,
      },
      {
        name: 'metrics',
        chartName: 'metrics-server',
        version: '3.12.2',
        repository: 'https://kubernetes-sigs.github.io/metrics-server/',
        alias: 'metrics',
        enabled: true,
      },
      {
        name: 'fsx',
        chartName: 'aws-fsx-csi-driver',
        version: '1.11.0',
        repository: 'https://kubernetes-sigs.github.io/aws-fsx-csi-driver',
        alias: 'fsx',
        condition: 'fsx.enabled',
        enabled: true,
      },
      ALB_DEPENDENCY,
      {
        name: 'cert-manager',
        chartName: 'cert-manager',
        version: 'v1.18.2',
        repository: 'https://charts.jetstack.io',
        alias: 'cert-manager',
        condition: 'cert-manager.enabled',
        enabled: true,
      },
      {
        name: 'keda',
        chartName: 'keda',
        version: '2.17.1',
        repository: 'https://kedacore.github.io/charts',
        alias: 'keda',
        condition: 'keda.enabled',
        enabled: true,
      },
    ]);
    expect(release.chart.lock).toMatchObject({
      digest: 'sha256:f54ece80a00cb4da98440551765d9c660a0704d6b59f4f9030a5a9e86eab4eea',
      generated: '2025-10-27T17:20:29.746399171Z',
    });
    expect(release.values).toMatchObject({
      region: 'us-east-2',
      eksClusterName: 'hp-eks-1',
      alb: { serviceAccount: { create: true } },
    });
    expect(release.chartValues['namePrefix']).toBe('hyperpod-inference-operator');
    expect(release.manifest).toContain(
      '# Source: hyperpod-inference-operator/charts/alb/templates/deployment.yaml',
    );
    expect(release.info.deleted).toBeUndefined();
  });

  it('re-encodes to exactly the JSON helm wrote (Go field order, map order, escaping)', () => {
    const helmData = strFromU8(decodeBase64(realSecret.data.release));
    const helmJson = strFromU8(gunzipSync(decodeBase64(helmData)));
    expect(marshalHelmRelease(decodeHelmReleaseData(helmData))).toBe(helmJson);
  });

  it('produces a Secret helm reads back the same', () => {
    const wire = decodeHelmReleaseData(strFromU8(decodeBase64(realSecret.data.release)));
    const ours = encodeHelmReleaseSecret(wire, {
      createdAt: Number(realSecret.metadata.labels.createdAt),
    });
    expect(ours.metadata).toEqual(realSecret.metadata);
    expect(ours.type).toBe(realSecret.type);
    expect(decodeHelmReleaseSecret(ours)).toEqual(decodeHelmReleaseSecret(realSecret));
  });
});
