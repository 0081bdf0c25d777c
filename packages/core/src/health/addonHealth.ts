/**
 * Health of one EKS add-on from what DescribeAddon says: its status and health.issues.
 */
import { explainAddonIssue, type AddonIssue, type ExplainedAddonIssue } from './addonIssues';
import type { HealthState } from './HealthState';

/** The AddonStatus enum of the EKS API. */
export type AddonStatus =
  | 'CREATING'
  | 'ACTIVE'
  | 'CREATE_FAILED'
  | 'UPDATING'
  | 'DELETING'
  | 'DELETE_FAILED'
  | 'DEGRADED'
  | 'UPDATE_FAILED';

export interface AddonHealthInput {
  /** Named in the issues' fixes (`kubectl hyperpod resolve-conflicts coredns`). */
  addonName?: string;
  status?: string;
  issues?: AddonIssue[];
}

export interface AddonHealth {
  state: HealthState;
  /** One line saying why, for tables. */
  reason: string;
  issues: ExplainedAddonIssue[];
}

const STATUS_HEALTH: Record<AddonStatus, HealthState> = {
  ACTIVE: 'Healthy',
  CREATING: 'Progressing',
  UPDATING: 'Progressing',
  DELETING: 'Progressing',
  DEGRADED: 'Degraded',
  CREATE_FAILED: 'Degraded',
  UPDATE_FAILED: 'Degraded',
  DELETE_FAILED: 'Degraded',
};

export function addonHealth(input: AddonHealthInput): AddonHealth {
  const issues = (input.issues ?? []).map((i) => explainAddonIssue(i, input.addonName));
  const fromStatus = input.status
    ? (STATUS_HEALTH as Record<string, HealthState>)[input.status]
    : undefined;
  if (fromStatus === undefined) {
    return {
      state: 'Unknown',
      reason: input.status ? `unknown add-on status ${input.status}` : 'no status',
      issues,
    };
  }
  // EKS can report issues on an ACTIVE add-on; an issue is never healthy.
  const state: HealthState =
    fromStatus === 'Healthy' && issues.length > 0 ? 'Degraded' : fromStatus;
  const reason =
    issues.length > 0 ? `${input.status}: ${issues.map((i) => i.code).join(', ')}` : input.status!;
  return { state, reason, issues };
}
