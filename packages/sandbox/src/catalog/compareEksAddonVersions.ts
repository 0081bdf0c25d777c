/**
 * The sandbox's own order of EKS add-on versions (`v1.19.2-eksbuild.1`): major, minor, patch,
 * then the eksbuild number, each compared as a number. It picks the catalog's default versions,
 * which the product's tests check against the product's own comparison, so it must not be that
 * same function.
 */

const EKS_ADDON_VERSION = /^v(\d+)\.(\d+)\.(\d+)-eksbuild\.(\d+)$/;

/** Negative if `a` is older than `b`, positive if newer, 0 if the same version. */
export function compareEksAddonVersions(a: string, b: string): number {
  const pa = numbersOf(a);
  const pb = numbersOf(b);
  for (let i = 0; i < pa.length; i++) {
    const d = pa[i]! - pb[i]!;
    if (d !== 0) return d;
  }
  return 0;
}

/** The catalog is the sandbox's own data: a version of another shape is a mistake in it. */
function numbersOf(version: string): number[] {
  const m = EKS_ADDON_VERSION.exec(version);
  if (!m) throw new Error(`catalog: ${version} is not an EKS add-on version (vX.Y.Z-eksbuild.N)`);
  return m.slice(1).map(Number);
}
