/**
 * The cluster tab's words for the core's states: readiness verdicts, request states, journal
 * entries and the resources a migration action touches. Pure, so every component says the
 * same thing the same way.
 */
import {
  describeRef,
  type MigrationAction,
  type MigrationJournalEntry,
  type ReadinessVerdict,
  type ResourceRef,
  type UpgradeRequestState,
  type VersionDrift,
} from '@hyperpod/core';

/** What a readiness verdict means for the move to `target` (the next Kubernetes version). */
export function readinessText(
  verdict: ReadinessVerdict,
  target: string,
  requiredVersion?: string,
): string {
  switch (verdict) {
    case 'ready':
      return `ready for Kubernetes ${target}`;
    case 'upgrade-first':
      return `upgrade to ${requiredVersion ?? 'a newer version'} before the cluster moves to Kubernetes ${target} (blocks the cluster upgrade)`;
    case 'upgrade-after':
      return `update to ${requiredVersion ?? 'the new default'} right after the control plane moves to Kubernetes ${target}`;
    case 'no-compatible-version':
      return `no version is offered for Kubernetes ${target} (blocks the cluster upgrade)`;
  }
}

/** The installed version against what EKS offers, in one sentence. */
export function driftText(drift: VersionDrift, kubernetesVersion?: string): string {
  const k8s = kubernetesVersion ? `Kubernetes ${kubernetesVersion}` : "the cluster's Kubernetes";
  switch (drift.status) {
    case 'latest':
      return `at the newest version compatible with ${k8s}`;
    case 'default':
      return `at the default version for ${k8s}; ${drift.newerVersions} newer compatible`;
    case 'behind-default':
      return `older than the default version for ${k8s}; ${drift.newerVersions} newer compatible`;
    case 'behind-latest':
      return `newer than the default, older than the newest; ${drift.newerVersions} newer compatible`;
    case 'incompatible':
      return `not offered for ${k8s}`;
  }
}

export const REQUEST_STATE_LABELS: Record<UpgradeRequestState, string> = {
  requested: 'requested (waiting for approval)',
  approved: 'approved (waiting to run)',
  rejected: 'rejected',
  cancelled: 'cancelled',
  running: 'running',
  succeeded: 'succeeded',
  'rolled-back': 'rolled back',
  failed: 'failed',
  'needs-attention': 'needs attention',
};

type JournalType = MigrationJournalEntry['type'];

export const JOURNAL_LABELS: Record<JournalType, string> = {
  'run-started': 'Run started',
  'action-started': 'Started',
  'action-done': 'Done',
  'action-skipped': 'Skipped',
  'run-failed': 'Run failed',
  'run-succeeded': 'Run succeeded',
  'rollback-started': 'Rollback started',
  'rollback-done': 'Rolled back',
  'rollback-failed': 'Rollback failed',
  'run-aborted': 'Run aborted',
};

export function resourceText(ref: ResourceRef): string {
  switch (ref.type) {
    case 'kube':
      return describeRef(ref);
    case 'iam-role':
      return `IAM role ${ref.name}`;
    case 'eks-addon':
      return `EKS add-on ${ref.name}`;
    case 'load-balancer':
      return `load balancer ${ref.name ?? ref.arn}`;
    case 'certificate':
      return `certificate ${ref.arn}`;
    case 's3-object':
      return `S3 object s3://${ref.bucket}/${ref.key}`;
    case 's3-bucket':
      return `S3 bucket ${ref.bucket}`;
  }
}

/** Every resource one action creates, changes, scales, tags or deletes (and what it reads from). */
export function actionResources(action: MigrationAction): string[] {
  switch (action.kind) {
    case 'iam.createRole':
      return [
        `IAM role ${action.roleName} (created)`,
        `IAM role ${action.copyFrom} (permissions copied from)`,
        ...action.attachPolicyArns.map((arn) => `IAM policy ${arn} (attached)`),
      ];
    case 'tag':
      return [`${resourceText(action.target)} (tagged)`];
    case 'kube.scale':
      return [`${describeRef(action.ref)} (replicas ${action.before} → ${action.after})`];
    case 'eks.createAddon':
      return [
        `EKS add-on ${action.addonName} ${action.addonVersion} (created)`,
        ...(action.serviceAccountRoleArn
          ? [`IAM role ${action.serviceAccountRoleArn} (service account role)`]
          : []),
      ];
    case 'eks.waitActive':
      return [`EKS add-on ${action.addonName} (waited on)`];
    case 'kube.delete':
      return [
        `${describeRef(action.ref)} (deleted${action.unlessAdoptedBy ? ', unless the add-on took it over' : ''})`,
      ];
    case 'helm.markMigrated':
      return [
        `Helm release ${action.namespace}/${action.release} revision ${action.revision} (marked ${action.mode === 'uninstalled' ? 'uninstalled, history kept' : 'migrated'})`,
      ];
  }
}
