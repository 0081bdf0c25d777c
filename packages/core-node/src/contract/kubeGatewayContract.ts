/**
 * What every KubeGateway must do, as jest blocks: run against InMemoryKubeGateway and against
 * ClientNodeKubeGateway on a sandbox cluster.
 */
import { kubeAccessContract } from './kubeAccessContract';
import { configMap, ns, W, type KubeContractFixture } from './kubeContractFixture';
import { kubeReadContract } from './kubeReadContract';
import { kubeWriteContract } from './kubeWriteContract';

export type { KubeContractFixture } from './kubeContractFixture';

export function kubeGatewayContract(name: string, setup: () => Promise<KubeContractFixture>): void {
  describe(`KubeGateway contract: ${name}`, () => {
    let f: KubeContractFixture;
    beforeAll(async () => {
      f = await setup();
      await f.seed([
        ns('contract-a'),
        ns('contract-b'),
        configMap('contract-a', 'operator-config', {
          'app.kubernetes.io/name': 'hyperpod-inference-operator',
          tier: 'control',
        }),
        configMap('contract-a', 'other-config', { 'app.kubernetes.io/name': 'other' }),
        configMap('contract-b', 'operator-config', {
          'app.kubernetes.io/name': 'hyperpod-inference-operator',
          tier: 'data',
        }),
        ...Array.from({ length: 7 }, (_, i) =>
          configMap('contract-b', `bulk-${i}`, { bulk: 'yes' }),
        ),
      ]);
    });
    afterAll(async () => {
      await f?.teardown();
    });

    kubeReadContract(() => f);

    describe('writes', () => {
      beforeAll(async () => {
        await f.seed([ns(W)]);
      });
      kubeWriteContract(() => f);
      kubeAccessContract(() => f);
    });
  });
}
