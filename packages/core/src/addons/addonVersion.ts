// The two functions, not semver's index: that loads every range and comparator module too
// (~2 ms of a CLI cold start, and bytes in the portal's bundle).
import type { SemVer } from 'semver';
import semverCompare from 'semver/functions/compare';
import semverParse from 'semver/functions/parse';
import { compareText } from '../text/compareText';

/**
 * semver's parse (loose), remembered: a scan sorts and compares the same catalog versions many
 * times over, and each parse runs semver's regular expressions. Bounded for long-lived processes
 * (the portal's backend). The SemVer objects are shared: only compared, never changed.
 */
const parsedVersions = new Map<string, SemVer | null>();
function parseSemver(raw: string): SemVer | null {
  let v = parsedVersions.get(raw);
  if (v === undefined) {
    if (parsedVersions.size >= 10_000) parsedVersions.clear();
    v = semverParse(raw, { loose: true });
    parsedVersions.set(raw, v);
  }
  return v;
}

/**
 * EKS add-on versions look like `v1.14.1-eksbuild.1`: a semantic version plus the EKS build
 * number. Ordering is semver's, with the eksbuild number compared numerically
 * (`-eksbuild.10` is newer than `-eksbuild.9`).
 */
export interface AddonVersion {
  raw: string;
  major: number;
  minor: number;
  patch: number;
  /** The `eksbuild.N` number, when present. */
  eksbuild?: number;
}

export function parseAddonVersion(raw: string): AddonVersion | undefined {
  const v = parseSemver(raw);
  if (!v) return undefined;
  const build =
    v.prerelease.length === 2 && v.prerelease[0] === 'eksbuild'
      ? Number(v.prerelease[1])
      : undefined;
  return {
    raw,
    major: v.major,
    minor: v.minor,
    patch: v.patch,
    eksbuild: Number.isFinite(build) ? build : undefined,
  };
}

/** Negative if a is older than b, positive if newer, 0 if equal. Unparseable versions sort first, by text. */
export function compareAddonVersions(a: string, b: string): number {
  const pa = parseSemver(a);
  const pb = parseSemver(b);
  if (pa && pb) return semverCompare(pa, pb);
  if (!pa && !pb) return compareText(a, b);
  return pa ? 1 : -1;
}

/** The newest of some versions, or undefined for none. */
export function newestAddonVersion(versions: Iterable<string>): string | undefined {
  let best: string | undefined;
  for (const v of versions) if (best === undefined || compareAddonVersions(v, best) > 0) best = v;
  return best;
}
