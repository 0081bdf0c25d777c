import type { AddonCatalogEntry } from './addonDrift';
import { addonVersionsOffered } from './addonVersionsOffered';

/** DescribeAddonVersions for vpc-cni, trimmed to three versions (compatibilities as EKS lists them). */
const VPC_CNI: AddonCatalogEntry = {
  addonName: 'vpc-cni',
  versions: [
    {
      addonVersion: 'v1.19.5-eksbuild.3',
      compatibilities: [
        { clusterVersion: '1.33', defaultVersion: false },
        { clusterVersion: '1.31', defaultVersion: false },
        { clusterVersion: '1.9', defaultVersion: false },
      ],
    },
    {
      addonVersion: 'v1.19.2-eksbuild.1',
      compatibilities: [
        { clusterVersion: '1.31', defaultVersion: true },
        { clusterVersion: '1.33', defaultVersion: true },
      ],
    },
    {
      addonVersion: 'v1.12.0-eksbuild.1',
      compatibilities: [{ clusterVersion: '1.25', defaultVersion: true }],
    },
  ],
};

describe('addonVersionsOffered', () => {
  it("lists the versions offered for the cluster's Kubernetes, default and installed marked", () => {
    const o = addonVersionsOffered(VPC_CNI, '1.31', 'v1.19.2-eksbuild.1');
    expect(o).toMatchObject({
      installed: 'v1.19.2-eksbuild.1',
      default: 'v1.19.2-eksbuild.1',
      latest: 'v1.19.5-eksbuild.3',
    });
    expect(o.versions).toEqual([
      {
        version: 'v1.19.5-eksbuild.3',
        default: false,
        installed: false,
        // Numeric order: 1.9 before 1.31.
        kubernetesVersions: ['1.9', '1.31', '1.33'],
      },
      {
        version: 'v1.19.2-eksbuild.1',
        default: true,
        installed: true,
        kubernetesVersions: ['1.31', '1.33'],
      },
    ]);
  });

  it('marks nothing installed when the add-on is not', () => {
    const o = addonVersionsOffered(VPC_CNI, '1.31', undefined);
    expect(o.installed).toBeUndefined();
    expect(o.versions.some((r) => r.installed)).toBe(false);
  });
});
