/**
 * helm 3.17 stores releases through a typed client-go clientset, which sends Secrets and
 * DeleteOptions as protobuf. The sandbox server's decoder must turn the bodies helm really sent
 * (captured in fixtures/) into the objects our codec reads.
 */
import { decodeHelmReleaseSecret } from '@hyperpod/core';
import { decodeKubeProtobuf } from '@hyperpod/sandbox/testing';
import captured from './fixtures/helm-3.17-protobuf-requests.json';

const body = (b64: string) => Buffer.from(b64, 'base64');

describe('protobuf request bodies captured from helm v3.17.2', () => {
  it('the release Secret helm creates decodes into one our codec reads', () => {
    expect(captured.createSecret).toMatchObject({
      method: 'POST',
      path: '/api/v1/namespaces/kube-system/secrets',
    });
    const secret = decodeKubeProtobuf(body(captured.createSecret.body));
    expect(secret).toMatchObject({
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'helm.sh/release.v1',
      metadata: {
        name: 'sh.helm.release.v1.io.v1',
        labels: { name: 'io', owner: 'helm', status: 'pending-install', version: '1' },
      },
    });
    const release = decodeHelmReleaseSecret(secret as never);
    expect(release).toMatchObject({
      name: 'io',
      revision: 1,
      status: 'pending-install',
      chart: { name: 'hyperpod-inference-operator', version: '2.2.2' },
    });
  });

  it('the status update helm PUTs carries modifiedAt and the new status', () => {
    expect(captured.updateSecret.method).toBe('PUT');
    const secret = decodeKubeProtobuf(body(captured.updateSecret.body)) as {
      metadata: { labels: Record<string, string> };
    };
    expect(secret.metadata.labels).toMatchObject({
      status: 'uninstalling',
      owner: 'helm',
      name: 'hyperpod-inference-operator',
    });
    expect(secret.metadata.labels['modifiedAt']).toMatch(/^\d{10}$/);
    expect(decodeHelmReleaseSecret(secret as never).status).toBe('uninstalling');
  });
});
