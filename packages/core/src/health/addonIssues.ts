/**
 * What each EKS add-on health issue code means and what to do about it. The codes are the
 * AddonIssueCode enum of the EKS API (2017-11-01).
 */
export const ADDON_ISSUE_CODES = [
  'AccessDenied',
  'InternalFailure',
  'ClusterUnreachable',
  'InsufficientNumberOfReplicas',
  'ConfigurationConflict',
  'AdmissionRequestDenied',
  'UnsupportedAddonModification',
  'K8sResourceNotFound',
  'AddonSubscriptionNeeded',
  'AddonPermissionFailure',
] as const;

export type AddonIssueCode = (typeof ADDON_ISSUE_CODES)[number];

export interface AddonIssueGuide {
  title: string;
  explanation: string;
  fix: string;
}

export const ADDON_ISSUE_GUIDE: Record<AddonIssueCode, AddonIssueGuide> = {
  AccessDenied: {
    title: 'Access denied',
    explanation:
      'EKS could not act on the cluster or on AWS resources with the permissions it has.',
    fix: "Check the add-on's service account role (IRSA or Pod Identity) and the cluster's access entries for the EKS service.",
  },
  InternalFailure: {
    title: 'EKS internal failure',
    explanation: 'The add-on operation failed inside EKS.',
    fix: 'Retry the update; if it keeps failing, open an AWS support case with the add-on ARN.',
  },
  ClusterUnreachable: {
    title: 'Cluster unreachable',
    explanation: "EKS could not reach the cluster's Kubernetes API.",
    fix: 'Check the cluster endpoint access settings, its security groups and that the control plane is ACTIVE.',
  },
  InsufficientNumberOfReplicas: {
    title: 'Not enough ready replicas',
    explanation: "The add-on's workloads do not have enough ready pods.",
    fix: 'Look at the pods of the listed resources (kubectl describe / logs): scheduling, image pulls, crashes, node capacity.',
  },
  ConfigurationConflict: {
    title: 'Configuration conflict',
    explanation:
      'Fields the add-on manages are owned by another field manager (often a Helm release or kubectl) and resolveConflicts is NONE.',
    fix: 'See who owns the listed fields and let EKS take them over: kubectl hyperpod resolve-conflicts ADDON --dry-run, then the same without --dry-run (re-applies the installed version with OVERWRITE; the objects are saved for undo). Or remove the other owner first (migrate the Helm release).',
  },
  AdmissionRequestDenied: {
    title: 'Admission request denied',
    explanation: "An admission webhook or policy refused the add-on's objects.",
    fix: 'Find the denying webhook or policy in the message and allow the add-on objects, then retry.',
  },
  UnsupportedAddonModification: {
    title: 'Unsupported modification',
    explanation: 'Someone changed add-on-managed objects in a way EKS cannot reconcile.',
    fix: "Revert the manual change, or restore the add-on's objects: kubectl hyperpod resolve-conflicts ADDON (re-applies the installed version with OVERWRITE).",
  },
  K8sResourceNotFound: {
    title: 'Kubernetes resource not found',
    explanation: 'A resource the add-on needs (or manages) is missing from the cluster.',
    fix: 'Recreate the missing resource, or re-apply the add-on: kubectl hyperpod resolve-conflicts ADDON (the installed version with OVERWRITE).',
  },
  AddonSubscriptionNeeded: {
    title: 'Marketplace subscription needed',
    explanation: 'This is an AWS Marketplace add-on and the account has no active subscription.',
    fix: 'Subscribe to the add-on in AWS Marketplace for this account, then update the add-on.',
  },
  AddonPermissionFailure: {
    title: 'Add-on permission failure',
    explanation:
      'The add-on lacks the IAM permissions it needs (its service account role is missing or too narrow).',
    fix: "Attach the add-on's required policy to its service account role, or set --service-account-role-arn / a Pod Identity association.",
  },
};

/** One field another manager owns, parsed from a ConfigurationConflict message. */
export interface ConfigurationConflictEntry {
  /** Kind, with the group when EKS prints one: `ConfigMap`, `Deployment.apps`. */
  resource: string;
  name: string;
  /** Field path, e.g. `.spec.template.spec.containers[name="coredns"].image`. */
  field: string;
}

const CONFLICT_ENTRY =
  /([A-Z][A-Za-z0-9]*(?:\.[a-z0-9][a-z0-9.-]*)?) ([a-z0-9][a-z0-9.:-]*) - (\.\S+)/g;

/**
 * Parses EKS's ConfigurationConflict message, e.g.
 * `Conflicts found when trying to apply. Will not continue due to resolve conflicts mode.
 * Conflicts: ConfigMap coredns - .data.Corefile Deployment.apps coredns - .spec.replicas`
 * (entries separated by newlines or spaces).
 */
export function parseConfigurationConflict(message: string): ConfigurationConflictEntry[] {
  const i = message.indexOf('Conflicts:');
  const tail = i >= 0 ? message.slice(i + 'Conflicts:'.length) : message;
  return [...tail.matchAll(CONFLICT_ENTRY)].map((m) => ({
    resource: m[1]!,
    name: m[2]!,
    field: m[3]!,
  }));
}

export interface AddonIssue {
  code: string;
  message?: string;
  resourceIds?: string[];
}

export interface ExplainedAddonIssue extends AddonIssue {
  title: string;
  explanation: string;
  fix: string;
  /** For ConfigurationConflict: the conflicting fields. */
  conflicts?: ConfigurationConflictEntry[];
}

/** Issues whose fix is to re-apply the installed version with OVERWRITE (`resolve-conflicts`). */
export const REAPPLY_ISSUE_CODES: readonly AddonIssueCode[] = [
  'ConfigurationConflict',
  'UnsupportedAddonModification',
  'K8sResourceNotFound',
];

/** The guide for `issue`; with `addonName`, fixes name it where they say ADDON. */
export function explainAddonIssue(issue: AddonIssue, addonName?: string): ExplainedAddonIssue {
  const guide: AddonIssueGuide = (ADDON_ISSUE_GUIDE as Record<string, AddonIssueGuide>)[
    issue.code
  ] ?? {
    title: issue.code,
    explanation: 'An add-on issue code this version of kubectl-hyperpod does not know.',
    fix: 'Read the message, and check for a newer kubectl-hyperpod.',
  };
  const conflicts =
    issue.code === 'ConfigurationConflict' && issue.message
      ? parseConfigurationConflict(issue.message)
      : undefined;
  const fix = addonName ? guide.fix.replace(/\bADDON\b/g, addonName) : guide.fix;
  return { ...issue, ...guide, fix, ...(conflicts ? { conflicts } : {}) };
}
