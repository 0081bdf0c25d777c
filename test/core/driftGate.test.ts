import {
  addonReadiness,
  addonVersionDrift,
  compatibleVersions,
  driftGateHits,
  tripsDriftGate,
  type AddonCatalogEntry,
  type AddonReport,
  type ClusterReport,
} from '@hyperpod/core';
import { addonSpec, catalogEntry } from './addonCatalog';
const entry = (name: string): AddonCatalogEntry => catalogEntry(addonSpec(name));

/** A one-cluster report with each add-on at `version`, drift and readiness as the scan computes them. */
function report(k8s: string, next: string, installed: Record<string, string>): ClusterReport {
  const addons: AddonReport[] = Object.entries(installed).map(([name, version]) => ({
    name,
    installedVia: 'addon',
    health: 'Healthy',
    reason: 'ACTIVE',
    addon: { version, status: 'ACTIVE', issues: [] },
    drift: addonVersionDrift(version, entry(name), k8s),
    migrationCandidate: false,
    findings: [],
  }));
  return {
    schemaVersion: 1,
    cluster: { name: `ml-${k8s}`, kubernetesVersion: k8s },
    health: 'Healthy',
    addons,
    readiness: {
      targetVersion: next,
      addons: Object.entries(installed).map(([name, v]) =>
        addonReadiness(name, v, entry(name), k8s, next),
      ),
      ready: true,
    },
    errors: [],
    scannedAt: '2026-12-01T00:00:00.000Z',
    durationMs: 1,
  };
}

const newest = (name: string, k8s: string) => compatibleVersions(entry(name), k8s).latest!;
const oldest = (name: string, k8s: string) =>
  compatibleVersions(entry(name), k8s).compatible.at(-1)!;

describe('the drift gate (--fail-on drift)', () => {
  it('does not trip on kube-proxy, whose versions follow the Kubernetes minor (upgrade-after), nor on add-ons at latest', () => {
    const r = report('1.32', '1.33', {
      'kube-proxy': newest('kube-proxy', '1.32'),
      coredns: newest('coredns', '1.32'),
    });
    expect(r.readiness!.addons.find((a) => a.addonName === 'kube-proxy')!.verdict).toBe(
      'upgrade-after',
    );
    expect(driftGateHits([r])).toEqual([]);
    expect(tripsDriftGate([r])).toBe(false);
  });

  it('trips on an add-on behind its default, and on one that must move before the next Kubernetes version', () => {
    const r = report('1.28', '1.29', {
      'snapshot-controller': oldest('snapshot-controller', '1.28'),
      'kube-proxy': newest('kube-proxy', '1.28'),
    });
    expect(r.addons[0]!.drift!.status).toBe('behind-default');
    expect(driftGateHits([r])).toEqual([
      {
        cluster: 'ml-1.28',
        addon: 'snapshot-controller',
        reasons: ['behind-default', 'upgrade-first'],
      },
    ]);
    expect(tripsDriftGate([r])).toBe(true);
  });

  it('does not trip on an add-on on its default while newer versions exist', () => {
    const r = report('1.31', '1.32', {
      'vpc-cni': compatibleVersions(entry('vpc-cni'), '1.31').default!,
    });
    expect(r.addons[0]!.drift!.status).toBe('default');
    expect(tripsDriftGate([r])).toBe(false);
  });

  it('trips on a version not offered for the cluster’s Kubernetes version', () => {
    const r = report('1.32', '1.33', { 'kube-proxy': newest('kube-proxy', '1.28') });
    expect(driftGateHits([r])[0]!.reasons).toContain('incompatible');
  });
});
