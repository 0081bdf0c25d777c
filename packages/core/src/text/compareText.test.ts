import { compareText } from './compareText';

describe('compareText', () => {
  it('orders by code unit, as the Kubernetes API and Go do', () => {
    expect(
      ['metrics-server', 'cert-manager', 'Zeta', 'aws-fsx-csi-driver', 'a-b', 'a0', 'ab'].sort(
        compareText,
      ),
    ).toEqual(['Zeta', 'a-b', 'a0', 'ab', 'aws-fsx-csi-driver', 'cert-manager', 'metrics-server']);
  });

  it('is zero only for equal strings, and antisymmetric', () => {
    expect(compareText('kube-proxy', 'kube-proxy')).toBe(0);
    expect(compareText('coredns', 'vpc-cni')).toBeLessThan(0);
    expect(compareText('vpc-cni', 'coredns')).toBeGreaterThan(0);
    expect(compareText('', 'a')).toBeLessThan(0);
  });

  it('sorts ISO-8601 timestamps chronologically', () => {
    const t = ['2026-11-22T06:00:00.000Z', '2026-01-02T00:00:00.000Z', '2025-12-31T23:59:59.999Z'];
    expect([...t].sort(compareText)).toEqual([t[2], t[1], t[0]]);
  });
});
