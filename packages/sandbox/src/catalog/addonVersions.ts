/**
 * How the catalog writes an add-on's versions: drafts (version, Kubernetes versions, schema) in,
 * the version list DescribeAddonVersions serves out, newest first, with the default version of
 * each Kubernetes version worked out as EKS does.
 */
import type { JsonSchema } from './addonSchemas';
import {
  KUBERNETES_VERSIONS,
  type AddonVersionSpec,
  type PodIdentityConfiguration,
} from './AddonSpec';
import { compareEksAddonVersions } from './compareEksAddonVersions';

export interface VersionDraft {
  v: string;
  k8s: string[];
  schema: JsonSchema;
  requiresConfiguration?: boolean;
}

/** The Kubernetes versions from `min` to `max`, both included. */
export const from = (min: string, max = '1.33') =>
  KUBERNETES_VERSIONS.filter((k) => cmpMinor(k, min) >= 0 && cmpMinor(k, max) <= 0);

function cmpMinor(a: string, b: string): number {
  const [am = 0, an = 0] = a.split('.').map(Number);
  const [bm = 0, bn = 0] = b.split('.').map(Number);
  return am - bm || an - bn;
}

/**
 * Builds an add-on's version list. The default for each Kubernetes version is the newest
 * compatible version, except where `holdBack` keeps a just-released version from being the
 * default (as EKS does for fresh releases).
 */
export function addonVersions(
  drafts: VersionDraft[],
  common: {
    requiresIamPermissions: boolean;
    podIdentity?: PodIdentityConfiguration[];
    holdBack?: string[];
  },
): AddonVersionSpec[] {
  const sorted = [...drafts].sort((a, b) => compareEksAddonVersions(b.v, a.v));
  return sorted.map((d) => ({
    addonVersion: d.v,
    clusterVersions: d.k8s,
    defaultFor: d.k8s.filter(
      (k) => sorted.find((x) => x.k8s.includes(k) && !common.holdBack?.includes(x.v)) === d,
    ),
    requiresConfiguration: d.requiresConfiguration ?? false,
    requiresIamPermissions: common.requiresIamPermissions,
    architecture: ['amd64', 'arm64'],
    computeTypes: ['ec2', 'hyperpod'],
    configurationSchema: d.schema,
    podIdentityConfiguration: common.podIdentity ?? [],
  }));
}
