/** EKS's wire shapes (botocore `eks/2017-11-01`) of clusters, add-ons, updates and catalog entries. */
import { createHash } from 'node:crypto';
import type { AddonSpec } from '../../catalog/AddonSpec';
import { findAddon } from '../../catalog/findAddon';
import type { AddonState, ClusterState, UpdateRecord } from './ClusterState';

export function epochSeconds(ms: number): number {
  return ms / 1000;
}

export function clusterView(c: ClusterState): Record<string, unknown> {
  const suffix = createHash('sha256').update(c.arn).digest('hex');
  return {
    name: c.name,
    arn: c.arn,
    createdAt: epochSeconds(c.createdAt),
    version: c.version,
    endpoint: c.endpoint,
    roleArn: c.roleArn,
    resourcesVpcConfig: {
      subnetIds: [`subnet-${suffix.slice(0, 17)}`, `subnet-${suffix.slice(17, 34)}`],
      securityGroupIds: [],
      clusterSecurityGroupId: `sg-${suffix.slice(34, 51)}`,
      vpcId: `vpc-${suffix.slice(51, 64)}`,
      endpointPublicAccess: true,
      endpointPrivateAccess: true,
      publicAccessCidrs: ['0.0.0.0/0'],
    },
    kubernetesNetworkConfig: {
      serviceIpv4Cidr: '10.100.0.0/16',
      ipFamily: 'ipv4',
      elasticLoadBalancing: { enabled: false },
    },
    logging: {
      clusterLogging: [
        {
          types: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'],
          enabled: false,
        },
      ],
    },
    identity: { oidc: { issuer: c.oidcIssuer } },
    status: c.status,
    certificateAuthority: { data: c.caData },
    platformVersion: c.platformVersion,
    tags: c.tags,
    health: { issues: [] },
    accessConfig: {
      bootstrapClusterCreatorAdminPermissions: true,
      authenticationMode: 'API_AND_CONFIG_MAP',
    },
    upgradePolicy: { supportType: 'EXTENDED' },
    deletionProtection: false,
  };
}

export function addonView(c: ClusterState, a: AddonState): Record<string, unknown> {
  const spec = findAddon(a.addonName);
  return {
    addonName: a.addonName,
    clusterName: c.name,
    status: a.status,
    addonVersion: a.addonVersion,
    health: {
      issues: a.issues.map((i) => ({
        code: i.code,
        message: i.message,
        resourceIds: i.resourceIds ?? [],
      })),
    },
    addonArn: a.arn,
    createdAt: epochSeconds(a.createdAt),
    modifiedAt: epochSeconds(a.modifiedAt),
    ...(a.serviceAccountRoleArn ? { serviceAccountRoleArn: a.serviceAccountRoleArn } : {}),
    tags: a.tags,
    ...(spec ? { publisher: spec.publisher, owner: spec.owner } : {}),
    ...(spec?.marketplaceInformation
      ? { marketplaceInformation: spec.marketplaceInformation }
      : {}),
    ...(a.configurationValues !== undefined ? { configurationValues: a.configurationValues } : {}),
    podIdentityAssociations: a.podIdentityAssociations,
  };
}

export function updateView(u: UpdateRecord): Record<string, unknown> {
  return {
    id: u.id,
    status: u.status,
    type: u.type,
    params: u.params,
    createdAt: epochSeconds(u.createdAt),
    errors: u.errors,
  };
}

/** DescribeAddonVersions' AddonInfo; with a Kubernetes version, only versions (and compatibilities) for it. */
export function addonInfoView(a: AddonSpec, k8s: string | undefined) {
  const versions = a.versions
    .filter((v) => k8s === undefined || v.clusterVersions.includes(k8s))
    .map((v) => ({
      addonVersion: v.addonVersion,
      architecture: v.architecture,
      computeTypes: v.computeTypes,
      compatibilities: v.clusterVersions
        .filter((cv) => k8s === undefined || cv === k8s)
        .map((cv) => ({
          clusterVersion: cv,
          platformVersions: ['*'],
          defaultVersion: v.defaultFor.includes(cv),
        })),
      requiresConfiguration: v.requiresConfiguration,
      requiresIamPermissions: v.requiresIamPermissions,
    }));
  return {
    addonName: a.addonName,
    type: a.type,
    addonVersions: versions,
    publisher: a.publisher,
    owner: a.owner,
    defaultNamespace: a.defaultNamespace,
    ...(a.marketplaceInformation ? { marketplaceInformation: a.marketplaceInformation } : {}),
  };
}

/** A PEM-shaped CA bundle, base64 as EKS returns it; the sandbox API servers speak plain HTTP. */
export function fakeCaData(arn: string): string {
  const body = createHash('sha512').update(`ca/${arn}`).digest('base64').repeat(8);
  const lines = body.match(/.{1,64}/g) ?? [];
  return Buffer.from(
    `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`,
  ).toString('base64');
}
