import { compareAddonVersions, newestAddonVersion, parseAddonVersion } from './addonVersion';

describe('add-on versions', () => {
  it('parses the semver part and the eksbuild number', () => {
    expect(parseAddonVersion('v1.14.1-eksbuild.1')).toEqual({
      raw: 'v1.14.1-eksbuild.1',
      major: 1,
      minor: 14,
      patch: 1,
      eksbuild: 1,
    });
    expect(parseAddonVersion('v0.7.2')).toMatchObject({
      major: 0,
      minor: 7,
      patch: 2,
      eksbuild: undefined,
    });
    expect(parseAddonVersion('latest')).toBeUndefined();
  });

  it('orders eksbuild numbers numerically and semver before build', () => {
    const sorted = [
      'v1.18.2-eksbuild.10',
      'v1.18.2-eksbuild.2',
      'v1.17.4-eksbuild.12',
      'v1.18.10-eksbuild.1',
    ].sort(compareAddonVersions);
    expect(sorted).toEqual([
      'v1.17.4-eksbuild.12',
      'v1.18.2-eksbuild.2',
      'v1.18.2-eksbuild.10',
      'v1.18.10-eksbuild.1',
    ]);
  });

  it('finds the newest version', () => {
    expect(
      newestAddonVersion(['v1.0.0-eksbuild.1', 'v1.2.0-eksbuild.1', 'v1.1.3-eksbuild.4']),
    ).toBe('v1.2.0-eksbuild.1');
    expect(newestAddonVersion([])).toBeUndefined();
  });

  it('answers the same for a version seen before, and after many others (remembered parses)', () => {
    const first = parseAddonVersion('v1.19.5-eksbuild.3');
    first!.major = 99; // a caller's copy: the next parse is not affected
    expect(parseAddonVersion('v1.19.5-eksbuild.3')).toMatchObject({ major: 1, eksbuild: 3 });
    for (let i = 0; i < 12_000; i++) parseAddonVersion(`v1.${i}.0-eksbuild.1`);
    expect(compareAddonVersions('v1.19.5-eksbuild.3', 'v1.19.5-eksbuild.10')).toBeLessThan(0);
    expect(parseAddonVersion('not a version')).toBeUndefined();
    expect(parseAddonVersion('not a version')).toBeUndefined();
  });
});
