/**
 * The AWS and Kubernetes permissions each action of the product needs, as data: the shipped IAM
 * policies, ClusterRoles and docs/permissions.md are generated from it (scripts/gen-permissions.mjs),
 * and test/permissions runs the actions on the sandbox and fails when a gateway sends an
 * operation the set of the action does not grant.
 *
 * Names the migration creates come from its profiles (role-name prefixes, add-on names), so a new
 * profile widens the sets with it.
 */
import { CREATED_BY_TAG, MIGRATION_PROFILES } from '@hyperpod/core';
import type { KubeRule } from './kubeRequest';

export type PermissionSetId =
  'readonly' | 'upgrade' | 'migrate' | 'install' | 'identity-move' | 'campaign';

export type IamCondition = Record<string, Record<string, string | readonly string[]>>;

export interface AwsStatement {
  /** The policy statement's Sid. */
  sid: string;
  actions: readonly string[];
  resources: readonly string[];
  condition?: IamCondition;
  /** Why the product needs it (docs/permissions.md). */
  why: string;
  /** Which commands use it. */
  usedBy: string;
}

export interface KubeRuleDoc extends KubeRule {
  why: string;
  usedBy: string;
}

export interface PermissionSet {
  id: PermissionSetId;
  title: string;
  description: string;
  /** Sets whose permissions this one also needs. */
  includes: readonly PermissionSetId[];
  aws: readonly AwsStatement[];
  kube: readonly KubeRuleDoc[];
  /** Not built yet: declared so the shipped files can grow into it. */
  planned?: boolean;
}

const ROLE_NAME_PREFIXES: readonly string[] = [
  ...new Set(
    MIGRATION_PROFILES.flatMap((p) =>
      p.mappings.flatMap((m) => (m.role ? [m.role.name.split('{')[0]!] : [])),
    ),
  ),
  // The reference script's JumpStart gated-model role; the migration carries the ARN over as is.
  'js-gated-role-',
];
const MIGRATED_ADDONS: readonly string[] = [...new Set(MIGRATION_PROFILES.map((p) => p.addonName))];

export const CREATED_ROLE_ARNS = ROLE_NAME_PREFIXES.map((p) => `arn:aws:iam::*:role/${p}*`);
const CLUSTER_ARN = 'arn:aws:eks:*:*:cluster/*';
const ADDON_ARN = 'arn:aws:eks:*:*:addon/*/*/*';
const MIGRATED_ADDON_ARNS = MIGRATED_ADDONS.map((a) => `arn:aws:eks:*:*:addon/*/${a}/*`);
const CREATED_BY: IamCondition = {
  StringEquals: { [`aws:ResourceTag/${CREATED_BY_TAG.key}`]: CREATED_BY_TAG.value },
};
const ONLY_CREATED_BY_KEY: IamCondition = {
  'ForAllValues:StringEquals': { 'aws:TagKeys': [CREATED_BY_TAG.key] },
};
const PASSED_TO_EKS: IamCondition = {
  StringEquals: { 'iam:PassedToService': 'eks.amazonaws.com' },
};

const CORE = '';
const APPS = 'apps';

const READONLY: PermissionSet = {
  id: 'readonly',
  title: 'Read-only (scan)',
  description:
    '`status`, `drift` (also over a fleet file), `addons versions` and the portal pages: reads add-ons, the add-on catalog and in-cluster prerequisites; changes nothing.',
  includes: [],
  aws: [
    {
      sid: 'EksReadClustersAndAddons',
      actions: ['eks:DescribeCluster', 'eks:ListAddons', 'eks:DescribeAddon', 'eks:DescribeUpdate'],
      resources: [CLUSTER_ARN, ADDON_ARN],
      why: 'Reads each cluster (version, OIDC issuer) and its installed add-ons with their status, health issues, configuration and update history.',
      usedBy: 'status, drift, addons versions, upgrade --dry-run, migrate plan, portal',
    },
    {
      sid: 'EksReadCatalog',
      actions: ['eks:ListClusters', 'eks:DescribeAddonVersions', 'eks:DescribeAddonConfiguration'],
      resources: ['*'],
      why: 'Lists the clusters of a region (fleet discovery) and reads the add-on catalog: the versions each Kubernetes version supports and their configuration schemas. These actions take no resource ARN.',
      usedBy: 'status and drift with a fleet file (discover entries), addons versions, upgrade --dry-run, migrate plan',
    },
    {
      sid: 'AssumeFleetAccountRoles',
      actions: ['sts:AssumeRole'],
      resources: ['arn:aws:iam::*:role/*'],
      why: 'Reaches the other accounts of a fleet through the roleArn of each fleet-file entry. Narrow it to those roles; not needed for a single account.',
      usedBy: 'fleet (roleArn entries), portal backend',
    },
    {
      sid: 'SageMakerReadHyperPodClusters',
      actions: ['sagemaker:ListClusters', 'sagemaker:DescribeCluster'],
      resources: ['*'],
      why: 'Finds the HyperPod cluster orchestrated by each EKS cluster (its id names the roles the migration creates). ListClusters takes no resource ARN.',
      usedBy: 'status with a fleet file, migrate plan',
    },
  ],
  kube: [
    {
      apiGroups: [APPS],
      resources: ['deployments', 'daemonsets'],
      verbs: ['get', 'list'],
      why: 'Finds the workloads of each component (controllers, CSI node plugins) and whether they are ready.',
      usedBy: 'status, drift, migrate plan',
    },
    {
      apiGroups: [CORE],
      resources: ['secrets'],
      verbs: ['list'],
      why: 'Reads Helm release records (Secrets labelled owner=helm) to find components installed by Helm. RBAC cannot narrow a list by label: this grants reading every Secret.',
      usedBy: 'status, drift, migrate plan',
    },
    {
      apiGroups: ['storage.k8s.io'],
      resources: ['csidrivers'],
      verbs: ['get', 'list'],
      why: 'Checks that the S3 and FSx CSI drivers the inference operator needs are registered.',
      usedBy: 'status, drift, migrate plan',
    },
    {
      apiGroups: ['apiextensions.k8s.io'],
      resources: ['customresourcedefinitions'],
      verbs: ['get', 'list'],
      why: 'Checks which custom resources (inference, cert-manager, KEDA) are installed.',
      usedBy: 'status, drift, migrate plan',
    },
    {
      apiGroups: ['authorization.k8s.io'],
      resources: ['selfsubjectaccessreviews'],
      verbs: ['create'],
      why: 'Asks the API server what the caller may do before a change (granted to every authenticated user by system:basic-user too).',
      usedBy: 'migrate validate',
    },
  ],
};

const UPGRADE: PermissionSet = {
  id: 'upgrade',
  title: 'Upgrade',
  description:
    '`upgrade`: moves an EKS add-on one supported version at a time and, when a hop fails, puts the captured version, configuration and role back.',
  includes: ['readonly'],
  aws: [
    {
      sid: 'EksUpdateAddons',
      actions: ['eks:UpdateAddon'],
      resources: [ADDON_ARN],
      why: 'Updates an add-on to the next version (and back to the captured one on failure).',
      usedBy: 'upgrade, campaign',
    },
    {
      sid: 'PassAddonRoleToEks',
      actions: ['iam:PassRole'],
      resources: ['arn:aws:iam::*:role/*'],
      condition: PASSED_TO_EKS,
      why: "An update (or its rollback) restates the add-on's current service-account role; EKS requires iam:PassRole on it. Only to EKS.",
      usedBy: 'upgrade (rollback of a failed hop)',
    },
  ],
  kube: [],
};

const INSTALL: PermissionSet = {
  id: 'install',
  title: 'Install',
  description:
    'Creating the inference add-on and its dependency add-ons with roles named by the migration (the add-on creation part of `migrate`).',
  includes: ['readonly'],
  aws: [
    {
      sid: 'EksCreateInferenceAddons',
      actions: ['eks:CreateAddon'],
      resources: [CLUSTER_ARN, ...MIGRATED_ADDON_ARNS],
      why: `Creates the add-ons the migration installs: ${MIGRATED_ADDONS.join(', ')}.`,
      usedBy: 'migrate (create add-on steps), install',
    },
    {
      sid: 'PassCreatedRolesToEks',
      actions: ['iam:PassRole'],
      resources: CREATED_ROLE_ARNS,
      condition: PASSED_TO_EKS,
      why: 'An add-on created with a service-account role needs iam:PassRole on it: only the roles the migration names, and only to EKS.',
      usedBy: 'migrate (create add-on steps), install',
    },
  ],
  kube: [],
};

const MIGRATE: PermissionSet = {
  id: 'migrate',
  title: 'Migrate (and rollback)',
  description:
    '`migrate`: moves a Helm install of the inference operator to the EKS add-on (tags, IAM roles, add-ons, scale-down, clean-up, release records) under a Lease lock, and `migrate rollback` undoes it.',
  includes: ['readonly', 'install'],
  aws: [
    {
      sid: 'IamReadExistingRoles',
      actions: [
        'iam:GetRole',
        'iam:ListAttachedRolePolicies',
        'iam:ListRolePolicies',
        'iam:GetRolePolicy',
      ],
      resources: ['arn:aws:iam::*:role/*'],
      why: 'Reads the roles the Helm values name (any name) to copy their policies to the new roles, and checks the roles it will create.',
      usedBy: 'migrate plan, migrate',
    },
    {
      sid: 'IamSimulateOwnPolicies',
      actions: ['iam:SimulatePrincipalPolicy'],
      resources: ['arn:aws:iam::*:role/*', 'arn:aws:iam::*:user/*'],
      why: "Before the first change, asks IAM whether the caller's own policies allow every call the plan will make (the caller's user, or the role of its session). Without it the preflight checks only Kubernetes, and a missing AWS permission shows when its call is refused. Narrow it to the principals that run migrations.",
      usedBy: 'migrate (validate step)',
    },
    {
      sid: 'IamCreateMigrationRoles',
      actions: ['iam:CreateRole', 'iam:TagRole'],
      resources: CREATED_ROLE_ARNS,
      condition: {
        StringEquals: { [`aws:RequestTag/${CREATED_BY_TAG.key}`]: CREATED_BY_TAG.value },
      },
      why: `Creates the add-on's roles (names starting ${ROLE_NAME_PREFIXES.join(', ')}), only tagged ${CREATED_BY_TAG.key}=${CREATED_BY_TAG.value}.`,
      usedBy: 'migrate',
    },
    {
      sid: 'IamGrantMigrationRoles',
      actions: ['iam:PutRolePolicy', 'iam:AttachRolePolicy'],
      resources: CREATED_ROLE_ARNS,
      condition: CREATED_BY,
      why: "Gives the new roles the old roles' managed and inline policies; only roles the migration created.",
      usedBy: 'migrate',
    },
    {
      sid: 'IamDeleteMigrationRoles',
      actions: ['iam:DeleteRole', 'iam:DeleteRolePolicy', 'iam:DetachRolePolicy'],
      resources: CREATED_ROLE_ARNS,
      condition: CREATED_BY,
      why: `Rollback deletes the roles the migration created, and only those (tag ${CREATED_BY_TAG.key}=${CREATED_BY_TAG.value}).`,
      usedBy: 'migrate rollback',
    },
    {
      sid: 'EksDeleteMigratedAddons',
      actions: ['eks:DeleteAddon'],
      resources: MIGRATED_ADDON_ARNS,
      why: 'Rollback deletes the add-ons the migration created (with preserve, so their objects stay for Helm). EKS add-ons carry no CreatedBy tag, so the add-on names scope it.',
      usedBy: 'migrate rollback',
    },
    {
      sid: 'S3FindTlsBuckets',
      actions: ['s3:ListBucket', 's3:GetObjectTagging'],
      resources: ['arn:aws:s3:::*', 'arn:aws:s3:::*/*'],
      why: 'Checks that the TLS certificate bucket exists (HeadBucket) and reads the tags of its certificate objects.',
      usedBy: 'migrate plan, migrate',
    },
    {
      sid: 'S3TagTlsObjects',
      actions: ['s3:PutObjectTagging'],
      resources: ['arn:aws:s3:::*/*'],
      why: `Tags the TLS certificate objects ${CREATED_BY_TAG.key}=${CREATED_BY_TAG.value} so the add-on may use them (and rollback puts the old tag set back).`,
      usedBy: 'migrate, migrate rollback',
    },
    {
      sid: 'S3UntagTlsObjects',
      actions: ['s3:DeleteObjectTagging'],
      resources: ['arn:aws:s3:::*/*'],
      condition: {
        StringEquals: { [`s3:ExistingObjectTag/${CREATED_BY_TAG.key}`]: CREATED_BY_TAG.value },
      },
      why: 'Rollback removes the tag set of objects that had none before, and only of objects the migration tagged.',
      usedBy: 'migrate rollback',
    },
    {
      sid: 'ElbReadLoadBalancers',
      actions: ['elasticloadbalancing:DescribeLoadBalancers', 'elasticloadbalancing:DescribeTags'],
      resources: ['*'],
      why: 'Finds the load balancers of the inference Ingresses (by hostname) and their tags. Describe actions take no resource ARN.',
      usedBy: 'migrate plan, migrate',
    },
    {
      sid: 'ElbTagLoadBalancers',
      actions: ['elasticloadbalancing:AddTags'],
      resources: ['arn:aws:elasticloadbalancing:*:*:loadbalancer/app/*/*'],
      condition: ONLY_CREATED_BY_KEY,
      why: `Tags the inference load balancers ${CREATED_BY_TAG.key}=${CREATED_BY_TAG.value}; no other tag key.`,
      usedBy: 'migrate',
    },
    {
      sid: 'ElbUntagLoadBalancers',
      actions: ['elasticloadbalancing:RemoveTags'],
      resources: ['arn:aws:elasticloadbalancing:*:*:loadbalancer/app/*/*'],
      condition: { ...CREATED_BY, ...ONLY_CREATED_BY_KEY },
      why: `Rollback removes the ${CREATED_BY_TAG.key} tag it added, only from load balancers that carry it.`,
      usedBy: 'migrate rollback',
    },
    {
      sid: 'AcmReadCertificateTags',
      actions: ['acm:ListTagsForCertificate'],
      resources: ['arn:aws:acm:*:*:certificate/*'],
      why: 'Reads the tags of the certificates the inference endpoints use, so tagging and its rollback change only what they must.',
      usedBy: 'migrate, migrate rollback',
    },
    {
      sid: 'AcmTagCertificates',
      actions: ['acm:AddTagsToCertificate'],
      resources: ['arn:aws:acm:*:*:certificate/*'],
      condition: ONLY_CREATED_BY_KEY,
      why: `Tags the inference certificates ${CREATED_BY_TAG.key}=${CREATED_BY_TAG.value}; no other tag key.`,
      usedBy: 'migrate',
    },
    {
      sid: 'AcmUntagCertificates',
      actions: ['acm:RemoveTagsFromCertificate'],
      resources: ['arn:aws:acm:*:*:certificate/*'],
      condition: { ...CREATED_BY, ...ONLY_CREATED_BY_KEY },
      why: `Rollback removes the ${CREATED_BY_TAG.key} tag it added, only from certificates that carry it.`,
      usedBy: 'migrate rollback',
    },
  ],
  kube: [
    {
      apiGroups: [CORE],
      resources: ['namespaces', 'serviceaccounts', 'services', 'configmaps', 'secrets'],
      verbs: ['get', 'list'],
      why: "Reads the objects of the Helm release (its manifest names them) to back them up before any change; secrets are read by name only (the release's records).",
      usedBy: 'migrate plan, migrate',
    },
    {
      apiGroups: [APPS],
      resources: ['deployments', 'daemonsets', 'statefulsets', 'replicasets'],
      verbs: ['get', 'list'],
      why: 'Finds the workloads of the release and of its Helm-installed dependencies (by the release label).',
      usedBy: 'migrate plan, migrate',
    },
    {
      apiGroups: ['rbac.authorization.k8s.io'],
      resources: ['roles', 'rolebindings', 'clusterroles', 'clusterrolebindings'],
      verbs: ['get', 'list'],
      why: "Backs up the release's RBAC objects before clean-up.",
      usedBy: 'migrate plan, migrate',
    },
    {
      apiGroups: ['admissionregistration.k8s.io'],
      resources: ['mutatingwebhookconfigurations', 'validatingwebhookconfigurations'],
      verbs: ['get', 'list'],
      why: "Backs up the release's webhooks before clean-up.",
      usedBy: 'migrate plan, migrate',
    },
    {
      apiGroups: ['apiregistration.k8s.io'],
      resources: ['apiservices'],
      verbs: ['get', 'list'],
      why: "Backs up the release's API services (metrics) before clean-up.",
      usedBy: 'migrate plan, migrate',
    },
    {
      apiGroups: ['networking.k8s.io'],
      resources: ['ingresses'],
      verbs: ['list'],
      why: 'Finds the load balancers of the inference endpoints (Ingress hostnames) and their certificates, to tag them.',
      usedBy: 'migrate plan, migrate',
    },
    {
      apiGroups: ['inference.sagemaker.aws.amazon.com'],
      resources: ['jumpstartmodels', 'inferenceendpointconfigs'],
      verbs: ['list'],
      why: 'Finds the TLS buckets and certificates the inference endpoints use, to tag them.',
      usedBy: 'migrate plan, migrate',
    },
    {
      apiGroups: [APPS],
      resources: ['deployments'],
      verbs: ['create', 'update', 'patch', 'delete'],
      why: 'Scales the Helm operator and its controllers to zero before the add-on starts, deletes them after it is ACTIVE, and restores them on rollback.',
      usedBy: 'migrate, migrate rollback',
    },
    {
      apiGroups: [APPS],
      resources: ['daemonsets'],
      verbs: ['create', 'update', 'delete'],
      why: 'Hands the CSI node plugins installed by Helm over to their add-ons or removes them; rollback restores them.',
      usedBy: 'migrate, migrate rollback',
    },
    {
      apiGroups: [APPS],
      resources: ['replicasets'],
      verbs: ['delete'],
      why: 'Removes the ReplicaSets of the deleted operator Deployment (on rollback the restored Deployment makes its own).',
      usedBy: 'migrate',
    },
    {
      apiGroups: [CORE],
      resources: ['serviceaccounts', 'services'],
      verbs: ['create', 'update', 'delete'],
      why: 'Removes the service accounts and services the add-on replaces; rollback restores them.',
      usedBy: 'migrate, migrate rollback',
    },
    {
      apiGroups: ['rbac.authorization.k8s.io'],
      resources: ['rolebindings', 'clusterrolebindings'],
      verbs: ['create', 'update', 'delete'],
      why: "Removes the release's role bindings; rollback recreates them.",
      usedBy: 'migrate, migrate rollback',
    },
    {
      apiGroups: ['rbac.authorization.k8s.io'],
      resources: ['roles', 'clusterroles'],
      verbs: ['create', 'update', 'delete', 'bind', 'escalate'],
      why: "Removes the release's roles; rollback recreates them and their bindings, which the API server allows only with escalate and bind (or holding every permission they grant).",
      usedBy: 'migrate, migrate rollback',
    },
    {
      apiGroups: ['apiextensions.k8s.io'],
      resources: ['customresourcedefinitions'],
      verbs: ['create', 'update', 'delete'],
      why: 'Hands the CRDs over to the add-on (ownership labels and annotations) or removes the ones it replaces; rollback restores them.',
      usedBy: 'migrate, migrate rollback',
    },
    {
      apiGroups: ['storage.k8s.io'],
      resources: ['csidrivers'],
      verbs: ['create', 'update', 'delete'],
      why: 'Hands the CSI drivers over to their add-ons (ownership labels and annotations), or deletes one its add-on did not take over; rollback puts them back (recreating a deleted one).',
      usedBy: 'migrate, migrate rollback',
    },
    {
      apiGroups: ['apiregistration.k8s.io'],
      resources: ['apiservices'],
      verbs: ['create', 'delete'],
      why: 'Removes the metrics API service the metrics-server add-on replaces; rollback restores it.',
      usedBy: 'migrate, migrate rollback',
    },
    {
      apiGroups: [CORE],
      resources: ['namespaces'],
      verbs: ['update'],
      why: "Rollback writes the release's namespaces back as they were saved, when an add-on changed them (labels, annotations).",
      usedBy: 'migrate rollback',
    },
    {
      apiGroups: [CORE],
      resources: ['secrets'],
      verbs: ['update'],
      why: 'Marks the Helm release records superseded so `helm` no longer manages the migrated objects; rollback restores them.',
      usedBy: 'migrate, migrate rollback',
    },
    {
      apiGroups: ['coordination.k8s.io'],
      resources: ['leases'],
      verbs: ['get', 'create', 'update', 'delete'],
      why: 'The migration lock: one Lease per cluster, so two runs (CLI and portal) never change a cluster at once.',
      usedBy: 'migrate, migrate rollback',
    },
  ],
};

const IDENTITY_MOVE: PermissionSet = {
  id: 'identity-move',
  title: 'Identity move (planned)',
  description:
    'Moving add-on service accounts from IRSA to EKS Pod Identity: not built yet; these are the permissions it will need.',
  includes: ['readonly'],
  planned: true,
  aws: [
    {
      sid: 'EksPodIdentityAssociations',
      actions: [
        'eks:ListPodIdentityAssociations',
        'eks:DescribePodIdentityAssociation',
        'eks:CreatePodIdentityAssociation',
        'eks:DeletePodIdentityAssociation',
      ],
      resources: [CLUSTER_ARN, 'arn:aws:eks:*:*:podidentityassociation/*/*'],
      why: 'Associates each service account with its role through Pod Identity.',
      usedBy: 'identity move (planned)',
    },
    {
      sid: 'PassRolesToPodIdentity',
      actions: ['iam:PassRole'],
      resources: CREATED_ROLE_ARNS,
      condition: { StringEquals: { 'iam:PassedToService': 'pods.eks.amazonaws.com' } },
      why: 'A Pod Identity association passes the role to the Pod Identity service.',
      usedBy: 'identity move (planned)',
    },
  ],
  kube: [],
};

const CAMPAIGN: PermissionSet = {
  id: 'campaign',
  title: 'Campaign (planned)',
  description:
    'Upgrades and migrations across a fleet in waves: the union of upgrade and migrate on each cluster, nothing of its own.',
  includes: ['upgrade', 'migrate'],
  planned: true,
  aws: [],
  kube: [],
};

export const PERMISSION_SETS: Readonly<Record<PermissionSetId, PermissionSet>> = {
  readonly: READONLY,
  upgrade: UPGRADE,
  migrate: MIGRATE,
  install: INSTALL,
  'identity-move': IDENTITY_MOVE,
  campaign: CAMPAIGN,
};

/** The set and every set it includes, each once, includes first. */
export function expandPermissionSet(id: PermissionSetId): PermissionSet[] {
  const out: PermissionSet[] = [];
  const visit = (s: PermissionSetId) => {
    if (out.some((x) => x.id === s)) return;
    for (const inc of PERMISSION_SETS[s].includes) visit(inc);
    out.push(PERMISSION_SETS[s]);
  };
  visit(id);
  return out;
}

export function awsStatementsOf(ids: readonly PermissionSetId[]): AwsStatement[] {
  const seen = new Set<string>();
  return ids
    .flatMap(expandPermissionSet)
    .filter((s) => (seen.has(s.id) ? false : (seen.add(s.id), true)))
    .flatMap((s) => s.aws);
}

export function kubeRulesOf(ids: readonly PermissionSetId[]): KubeRuleDoc[] {
  const seen = new Set<string>();
  return ids
    .flatMap(expandPermissionSet)
    .filter((s) => (seen.has(s.id) ? false : (seen.add(s.id), true)))
    .flatMap((s) => s.kube);
}

/** The IAM actions the sets grant (action names only; resources and conditions are the sandbox's to evaluate). */
export function awsActionsOf(ids: readonly PermissionSetId[]): Set<string> {
  return new Set(awsStatementsOf(ids).flatMap((s) => s.actions));
}
