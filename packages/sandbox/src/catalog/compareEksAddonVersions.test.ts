import { compareEksAddonVersions } from './compareEksAddonVersions';

describe('compareEksAddonVersions', () => {
  it('orders by major, minor and patch as numbers, not as text', () => {
    expect(compareEksAddonVersions('v1.10.1-eksbuild.1', 'v1.9.9-eksbuild.9')).toBeGreaterThan(0);
    expect(compareEksAddonVersions('v1.19.2-eksbuild.1', 'v1.19.10-eksbuild.1')).toBeLessThan(0);
    expect(compareEksAddonVersions('v2.0.0-eksbuild.1', 'v1.99.99-eksbuild.99')).toBeGreaterThan(0);
  });

  it('orders the same upstream version by its eksbuild number, as a number', () => {
    expect(compareEksAddonVersions('v0.7.2-eksbuild.10', 'v0.7.2-eksbuild.9')).toBeGreaterThan(0);
    expect(compareEksAddonVersions('v0.7.2-eksbuild.1', 'v0.7.2-eksbuild.4')).toBeLessThan(0);
  });

  it('finds a version equal to itself', () => {
    expect(compareEksAddonVersions('v1.11.4-eksbuild.14', 'v1.11.4-eksbuild.14')).toBe(0);
  });

  it('sorts a list newest first when used as (a, b) => compare(b, a)', () => {
    const sorted = [
      'v1.11.1-eksbuild.13',
      'v1.12.1-eksbuild.2',
      'v1.10.1-eksbuild.18',
      'v1.11.4-eksbuild.14',
      'v1.11.3-eksbuild.2',
    ].sort((a, b) => compareEksAddonVersions(b, a));
    expect(sorted).toEqual([
      'v1.12.1-eksbuild.2',
      'v1.11.4-eksbuild.14',
      'v1.11.3-eksbuild.2',
      'v1.11.1-eksbuild.13',
      'v1.10.1-eksbuild.18',
    ]);
  });

  it('refuses a version that is not vX.Y.Z-eksbuild.N (a mistake in the catalog)', () => {
    expect(() => compareEksAddonVersions('1.2.3', 'v1.2.3-eksbuild.1')).toThrow(
      /1\.2\.3 is not an EKS add-on version/,
    );
    expect(() => compareEksAddonVersions('v1.2.3-eksbuild.1', 'v1.2.3-rc.1')).toThrow(
      /v1\.2\.3-rc\.1 is not an EKS add-on version/,
    );
  });
});
