/**
 * What a run saves before its first change, and what its rollback converges the cluster back to.
 * Written by takeBackup, read by rollbackToBackup.
 */
import type { EksAddon } from '../ports/EksGateway';
import type { IamRole } from '../ports/IamGateway';
import type { KubeObject } from '../ports/KubeGateway';

export const MIGRATION_BACKUP_SCHEMA_VERSION = 1;

/** Kinds whose objects an add-on may create; listed before and after to find what a run made. */
export const INVENTORY_KINDS: readonly { apiVersion: string; kind: string }[] = [
  { apiVersion: 'v1', kind: 'Namespace' },
  { apiVersion: 'v1', kind: 'ServiceAccount' },
  { apiVersion: 'v1', kind: 'Service' },
  { apiVersion: 'v1', kind: 'ConfigMap' },
  { apiVersion: 'apps/v1', kind: 'Deployment' },
  { apiVersion: 'apps/v1', kind: 'DaemonSet' },
  { apiVersion: 'apps/v1', kind: 'StatefulSet' },
  { apiVersion: 'apps/v1', kind: 'ReplicaSet' },
  { apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService' },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role' },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding' },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole' },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding' },
  { apiVersion: 'storage.k8s.io/v1', kind: 'CSIDriver' },
  { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition' },
  { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration' },
  { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingWebhookConfiguration' },
];

export interface MigrationBackup {
  schemaVersion: typeof MIGRATION_BACKUP_SCHEMA_VERSION;
  runId: string;
  /** ISO-8601. */
  takenAt: string;
  /** Objects as they were (Helm release secrets included: the store keeps them 0600). */
  objects: KubeObject[];
  /** refKeys of every object of INVENTORY_KINDS before the run. */
  inventory: string[];
  /** Tags of every tag target before the run, by tag action id. */
  tags: Record<string, Record<string, string>>;
  /** Roles the plan creates, as they were (null = absent). */
  roles: Record<string, IamRole | null>;
  /** Add-ons the plan creates, as they were (null = absent). */
  addons: Record<string, EksAddon | null>;
}
