/**
 * ClientNodeKubeGateway beyond the contract: on the demo fleet, through HelmReleaseGateway (the
 * Helm releases the scanner reads), and its failure modes.
 */
import { HelmReleaseGateway } from '@hyperpod/core';
import { KubeConfig } from '@kubernetes/client-node';
import { Sandbox } from '@hyperpod/sandbox';
import { ClientNodeKubeGateway } from './ClientNodeKubeGateway';

function kubeConfigFor(yaml: string, context: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromString(yaml);
  kc.setCurrentContext(context);
  return kc;
}

describe('ClientNodeKubeGateway on the demo fleet', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await Sandbox.start({ scenario: 'demo', addonTransitionMs: 50 });
  });
  afterAll(() => sb?.stop());

  it('reads the Helm release of the inference operator on ml-prod-use1 (chart 2.2.2, deployed)', async () => {
    const gw = new ClientNodeKubeGateway(kubeConfigFor(sb.kubeconfig(), 'ml-prod-use1'));
    const { releases, errors } = await new HelmReleaseGateway(gw).list();
    expect(errors).toEqual([]);
    const op = releases.find((r) => r.name === 'hyperpod-inference-operator');
    expect(op).toMatchObject({
      namespace: 'kube-system',
      status: 'deployed',
      chart: expect.objectContaining({ name: 'hyperpod-inference-operator', version: '2.2.2' }),
    });
    const { revisions } = await new HelmReleaseGateway(gw).history(
      'hyperpod-inference-operator',
      'kube-system',
    );
    expect(revisions.map((r) => r.chart.version)).toEqual(
      expect.arrayContaining(['2.1.0', '2.2.2']),
    );
  });

  it('sees the release stuck in pending-upgrade on ml-canary-usw2', async () => {
    const gw = new ClientNodeKubeGateway(kubeConfigFor(sb.kubeconfig(), 'ml-canary-usw2'));
    const { releases } = await new HelmReleaseGateway(gw).list();
    expect(releases.map((r) => r.status)).toContain('pending-upgrade');
  });

  it('reports a cluster that does not answer as Unavailable', async () => {
    const yaml = sb.kubeconfig().replace(sb.cluster('ml-prod-use1').server, 'https://127.0.0.1:9');
    const gw = new ClientNodeKubeGateway(kubeConfigFor(yaml, 'ml-prod-use1'));
    await expect(gw.list('v1', 'Secret')).rejects.toMatchObject({
      kind: 'Unavailable',
      service: 'kubernetes',
      code: 'ECONNREFUSED',
    });
  });

  it('reports a slow cluster as Timeout', async () => {
    sb.faults.set({ latencyMs: 300 });
    try {
      const gw = new ClientNodeKubeGateway(kubeConfigFor(sb.kubeconfig(), 'ml-prod-use1'), {
        requestTimeoutMs: 50,
      });
      await expect(gw.version()).rejects.toMatchObject({ kind: 'Timeout', service: 'kubernetes' });
    } finally {
      sb.faults.set({ latencyMs: 0 });
    }
  });

  it('reports a failing exec credential plugin as Unauthenticated', async () => {
    const c = sb.cluster('ml-prod-use1');
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'c', server: c.server, skipTLSVerify: true }],
      users: [
        {
          name: 'u',
          exec: {
            apiVersion: 'client.authentication.k8s.io/v1beta1',
            command: '/nonexistent/aws',
            args: ['eks', 'get-token', '--cluster-name', 'ml-prod-use1'],
          },
        },
      ],
      contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
      currentContext: 'x',
    });
    await expect(new ClientNodeKubeGateway(kc).version()).rejects.toMatchObject({
      kind: 'Unauthenticated',
      service: 'kubernetes',
    });
  });
});
