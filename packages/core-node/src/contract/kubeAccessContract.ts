/** The KubeGateway contract: canI, and a call RBAC denies. */
import type { KubeAccessQuery } from '@hyperpod/core';
import { rejection } from './eventually';
import { cmRef, configMap, W, type KubeContractFixture } from './kubeContractFixture';

/** Registers its tests in the caller's describe block; `fixture` is the suite's, once set up. */
export function kubeAccessContract(fixture: () => KubeContractFixture): void {
  let f: KubeContractFixture;
  beforeAll(() => {
    f = fixture();
  });
  const allowed = async (q: KubeAccessQuery) => (await f.gateway.canI(q)).allowed;

  it('answers canI true for what the caller may do', async () => {
    const leases = { group: 'coordination.k8s.io', resource: 'leases', namespace: W };
    expect(await allowed({ verb: 'create', ...leases })).toBe(true);
    const crds = { group: 'apiextensions.k8s.io', resource: 'customresourcedefinitions' };
    expect(await allowed({ verb: 'list', ...crds })).toBe(true);
  });

  it('answers canI false for what RBAC denies, and refuses the call itself as AccessDenied', async () => {
    const configMaps = { group: '', resource: 'configmaps' };
    f.denyAccess({ verb: 'create', ...configMaps, namespace: W });
    try {
      expect(await allowed({ verb: 'create', ...configMaps, namespace: W })).toBe(false);
      expect(await allowed({ verb: 'create', ...configMaps, namespace: 'contract-a' })).toBe(true);
      expect(await allowed({ verb: 'delete', ...configMaps, namespace: W })).toBe(true);
      const e = await rejection(f.gateway.create(configMap(W, 'forbidden')));
      expect(e).toMatchObject({
        kind: 'AccessDenied',
        code: 'Forbidden',
        statusCode: 403,
        retryable: false,
      });
      expect(e.message).toContain('cannot create resource "configmaps"');
    } finally {
      f.clearAccessDenials();
    }
    expect(await f.gateway.get(cmRef('forbidden'))).toBeUndefined();
  });
}
