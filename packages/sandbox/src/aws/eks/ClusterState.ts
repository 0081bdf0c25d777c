/** What the sandbox keeps of an EKS cluster and its add-ons, and the keys and ARNs that name them. */
import { randomUUID } from 'node:crypto';
import type { AddonStatus } from '@hyperpod/core';
import type { ObjectRef } from '../../kube/types';
import { AwsError, type AwsResponse } from '../types';

export type ClusterStatus = 'CREATING' | 'ACTIVE' | 'DELETING' | 'FAILED' | 'UPDATING' | 'PENDING';
/** The AddonStatus enum of the EKS API: a wire type the product and the sandbox share. */
export type { AddonStatus };
export type ResolveConflicts = 'OVERWRITE' | 'NONE' | 'PRESERVE';

export interface AddonIssue {
  code: string;
  message: string;
  resourceIds?: string[];
}

export interface ClusterSeed {
  accountId: string;
  region: string;
  name: string;
  /** Kubernetes minor version, e.g. `1.31`. */
  version: string;
  /** The sandbox Kubernetes API URL of this cluster. */
  endpoint: string;
  status?: ClusterStatus;
  platformVersion?: string;
  tags?: Record<string, string>;
  createdAt?: Date;
  roleArn?: string;
  certificateAuthorityData?: string;
}

export interface AddonSeed {
  accountId: string;
  region: string;
  clusterName: string;
  addonName: string;
  addonVersion: string;
  status?: AddonStatus;
  health?: AddonIssue[];
  configurationValues?: string;
  serviceAccountRoleArn?: string;
  tags?: Record<string, string>;
  createdAt?: Date;
  /** Apply the add-on's workloads to the cluster now (default: when the status is ACTIVE, DEGRADED or UPDATE_FAILED). */
  applyWorkloads?: boolean;
}

/** A scripted failure: the next create/update of this add-on (and version, if given) ends this way. */
export interface AddonFailure {
  addonName: string;
  addonVersion?: string;
  kind: 'create' | 'update';
  outcome: 'CREATE_FAILED' | 'UPDATE_FAILED' | 'DEGRADED';
  issue?: AddonIssue;
  /** How many transitions it hits; undefined = every one until cleared. */
  times?: number;
}

export interface UpdateRecord {
  id: string;
  addonName?: string;
  status: 'InProgress' | 'Failed' | 'Cancelled' | 'Successful';
  type: string;
  params: { type: string; value: string }[];
  createdAt: number;
  errors: { errorCode: string; errorMessage: string; resourceIds: string[] }[];
}

export interface AddonState {
  addonName: string;
  addonVersion: string;
  status: AddonStatus;
  issues: AddonIssue[];
  arn: string;
  createdAt: number;
  modifiedAt: number;
  serviceAccountRoleArn?: string;
  configurationValues?: string;
  tags: Record<string, string>;
  podIdentityAssociations: string[];
  /** Objects applied to the cluster, deleted with the add-on unless preserved. */
  applied: ObjectRef[];
}

export interface ClusterState {
  accountId: string;
  region: string;
  name: string;
  arn: string;
  version: string;
  endpoint: string;
  status: ClusterStatus;
  platformVersion: string;
  tags: Record<string, string>;
  createdAt: number;
  roleArn: string;
  caData: string;
  oidcIssuer: string;
  addons: Map<string, AddonState>;
  updates: UpdateRecord[];
  /** clientRequestToken → what the first call with it asked and got. */
  tokens: Map<string, { fingerprint: string; response: AwsResponse }>;
}

/** Statuses of an add-on in transition, which no other change may interrupt. */
export const IN_FLIGHT: AddonStatus[] = ['CREATING', 'UPDATING', 'DELETING'];

export function clusterKey(accountId: string, region: string, name: string): string {
  return `${accountId}/${region}/${name}`;
}

export function addonKey(
  accountId: string,
  region: string,
  cluster: string,
  addon: string,
): string {
  return `${accountId}/${region}/${cluster}/${addon}`;
}

export function addonArn(c: ClusterState, addonName: string): string {
  return `arn:aws:eks:${c.region}:${c.accountId}:addon/${c.name}/${addonName}/${randomUUID()}`;
}

/** The named add-on of `c`, or EKS's ResourceNotFoundException. */
export function addonOf(c: ClusterState, addonName: string): AddonState {
  const a = c.addons.get(addonName);
  if (!a)
    throw new AwsError(
      'ResourceNotFoundException',
      `No addon: ${addonName} found in cluster: ${c.name}`,
      404,
      'Sender',
      { clusterName: c.name, addonName },
    );
  return a;
}
