/** The KubeGateway contract, run against the in-memory fake and against ClientNodeKubeGateway on a sandbox cluster. */
import { InMemoryKubeGateway, type KubeObject } from '@hyperpod/core';
import { Sandbox } from '@hyperpod/sandbox';
import { ClientNodeKubeGateway } from '../kube/ClientNodeKubeGateway';
import { loadKubeconfig } from '../kube/loadKubeconfig';
import { kubeGatewayContract } from './kubeGatewayContract';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

kubeGatewayContract('InMemoryKubeGateway', async () => {
  const gateway = new InMemoryKubeGateway({ name: 'contract', version: '1.31' });
  return {
    gateway,
    kubernetesVersion: '1.31',
    seed: async (objects: KubeObject[]) => {
      for (const o of objects) gateway.put(o);
    },
    unauthenticated: async () => {
      const g = new InMemoryKubeGateway({ name: 'contract' });
      g.faults.fail({ kind: 'Unauthenticated', code: 'Unauthorized' });
      return g;
    },
    denyAccess: (denial) => gateway.denyAccess(denial),
    clearAccessDenials: () => gateway.clearAccessDenials(),
    teardown: async () => {},
  };
});

kubeGatewayContract('ClientNodeKubeGateway on the sandbox', async () => {
  const sb = await Sandbox.start({ scenario: 'empty' });
  await sb.addCluster({ account: 'prod', region: 'us-east-1', name: 'contract', version: '1.31' });
  const dir = mkdtempSync(path.join(tmpdir(), 'kube-contract-'));
  const file = path.join(dir, 'config');
  writeFileSync(file, sb.kubeconfig('contract'));
  const loaded = await loadKubeconfig({ kubeconfig: file });
  // A page size of 3 makes the lists above span several pages.
  const gateway = new ClientNodeKubeGateway(loaded.kubeConfig, { pageSize: 3 });
  return {
    gateway,
    kubernetesVersion: '1.31',
    seed: async (objects: KubeObject[]) => {
      const kube = sb.kube('contract');
      for (const o of objects) {
        if (
          !kube.get({
            apiVersion: o.apiVersion,
            kind: o.kind,
            namespace: o.metadata.namespace,
            name: o.metadata.name,
          })
        )
          kube.create(o);
      }
    },
    unauthenticated: async () => {
      const wrong = path.join(dir, 'wrong-token');
      writeFileSync(
        wrong,
        sb.kubeconfig('contract').replace(sb.cluster('contract').token, 'not-the-token'),
      );
      return new ClientNodeKubeGateway((await loadKubeconfig({ kubeconfig: wrong })).kubeConfig);
    },
    denyAccess: (denial) => sb.kube('contract').denyAccess(denial),
    clearAccessDenials: () => sb.kube('contract').clearAccessDenials(),
    teardown: async () => {
      rmSync(dir, { recursive: true, force: true });
      await sb.stop();
    },
  };
});
