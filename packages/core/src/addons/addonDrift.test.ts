import {
  addonReadiness,
  blocksClusterUpgrade,
  addonVersionDrift,
  compatibleVersions,
  nextKubernetesVersion,
  type AddonCatalogEntry,
} from './addonDrift';

// Shaped like DescribeAddonVersions for aws-mountpoint-s3-csi-driver.
const s3csi: AddonCatalogEntry = {
  addonName: 'aws-mountpoint-s3-csi-driver',
  versions: [
    {
      addonVersion: 'v1.14.1-eksbuild.1',
      compatibilities: [
        { clusterVersion: '1.30', defaultVersion: true },
        { clusterVersion: '1.31', defaultVersion: false },
      ],
    },
    {
      addonVersion: 'v1.15.0-eksbuild.1',
      compatibilities: [
        { clusterVersion: '1.30', defaultVersion: false },
        { clusterVersion: '1.31', defaultVersion: true },
        { clusterVersion: '1.32', defaultVersion: false },
      ],
    },
    {
      addonVersion: 'v2.0.0-eksbuild.1',
      compatibilities: [
        { clusterVersion: '1.31', defaultVersion: false },
        { clusterVersion: '1.32', defaultVersion: true },
      ],
    },
  ],
};

describe('add-on version drift', () => {
  it('lists compatible versions newest first with the default', () => {
    expect(compatibleVersions(s3csi, '1.31')).toEqual({
      compatible: ['v2.0.0-eksbuild.1', 'v1.15.0-eksbuild.1', 'v1.14.1-eksbuild.1'],
      default: 'v1.15.0-eksbuild.1',
      latest: 'v2.0.0-eksbuild.1',
    });
  });

  it('classifies the installed version against default and latest', () => {
    expect(addonVersionDrift('v1.14.1-eksbuild.1', s3csi, '1.31')).toMatchObject({
      status: 'behind-default',
      newerVersions: 2,
    });
    expect(addonVersionDrift('v1.15.0-eksbuild.1', s3csi, '1.31')).toMatchObject({
      status: 'default',
      newerVersions: 1,
    });
    expect(addonVersionDrift('v2.0.0-eksbuild.1', s3csi, '1.31')).toMatchObject({
      status: 'latest',
      newerVersions: 0,
    });
    expect(addonVersionDrift('v1.14.1-eksbuild.1', s3csi, '1.32')).toMatchObject({
      status: 'incompatible',
    });
  });

  it('knows the next Kubernetes minor version', () => {
    expect(nextKubernetesVersion('1.31')).toBe('1.32');
    expect(nextKubernetesVersion('1.9')).toBe('1.10');
    expect(nextKubernetesVersion('latest')).toBeUndefined();
  });

  it('tells which add-ons are ready, which must move first and which block the next Kubernetes version', () => {
    expect(addonReadiness('s3', 'v1.15.0-eksbuild.1', s3csi, '1.31', '1.32').verdict).toBe('ready');
    expect(addonReadiness('s3', 'v1.14.1-eksbuild.1', s3csi, '1.31', '1.32')).toMatchObject({
      verdict: 'upgrade-first',
      requiredVersion: 'v1.15.0-eksbuild.1',
    });
    expect(addonReadiness('s3', 'v2.0.0-eksbuild.1', s3csi, '1.32', '1.33').verdict).toBe(
      'no-compatible-version',
    );
  });

  it('says "after the control plane" for add-ons whose versions follow the Kubernetes minor, and does not block on them', () => {
    const kubeProxy: AddonCatalogEntry = {
      addonName: 'kube-proxy',
      versions: [
        {
          addonVersion: 'v1.28.15-eksbuild.4',
          compatibilities: [{ clusterVersion: '1.28', defaultVersion: true }],
        },
        {
          addonVersion: 'v1.29.10-eksbuild.3',
          compatibilities: [{ clusterVersion: '1.29', defaultVersion: true }],
        },
        {
          addonVersion: 'v1.29.11-eksbuild.1',
          compatibilities: [{ clusterVersion: '1.29', defaultVersion: false }],
        },
      ],
    };
    const r = addonReadiness('kube-proxy', 'v1.28.15-eksbuild.4', kubeProxy, '1.28', '1.29');
    expect(r).toEqual({
      addonName: 'kube-proxy',
      installed: 'v1.28.15-eksbuild.4',
      verdict: 'upgrade-after',
      requiredVersion: 'v1.29.10-eksbuild.3',
    });
    expect(blocksClusterUpgrade(r.verdict)).toBe(false);
    expect(blocksClusterUpgrade('upgrade-first')).toBe(true);
    expect(blocksClusterUpgrade('no-compatible-version')).toBe(true);
  });
});
