/**
 * What an add-on upgrade run (executeUpgrade) reports: plain data, the `-o json` of an upgrade
 * and the backend's audit record, with every state change as an event.
 */
import type { AddonIssue } from '../health/addonIssues';

export const UPGRADE_OUTCOME_SCHEMA_VERSION = 1;

export type UpgradeStatus = 'succeeded' | 'rolled-back' | 'failed' | 'refused';

export type UpgradeEventType =
  | 'refused'
  | 'captured'
  | 'hop-started'
  | 'update-status'
  | 'addon-status'
  | 'poll-error'
  | 'hop-succeeded'
  | 'hop-failed'
  | 'rollback-started'
  | 'rollback-refused'
  | 'addon-deleting'
  | 'addon-deleted'
  | 'addon-creating'
  | 'rollback-succeeded'
  | 'rollback-failed'
  | 'lock-lost'
  | 'succeeded';

export interface UpgradeEvent {
  /** ISO-8601. */
  at: string;
  type: UpgradeEventType;
  message: string;
  hop?: string;
  updateId?: string;
  status?: string;
  issues?: AddonIssue[];
}

export interface CapturedAddon {
  addonVersion: string;
  configurationValues?: string;
  serviceAccountRoleArn?: string;
}

/** Plain data (the `-o json` of an upgrade and the backend's audit record). */
export interface UpgradeOutcome {
  schemaVersion: typeof UPGRADE_OUTCOME_SCHEMA_VERSION;
  clusterName: string;
  addonName: string;
  status: UpgradeStatus;
  from: string;
  to?: string;
  /** The add-on as it was before any change; undefined when refused before reading it. */
  captured?: CapturedAddon;
  /** Hops that reached ACTIVE, in order. */
  hopsDone: string[];
  failedHop?: string;
  /** Issue / error codes of the failure (`Timeout` when the wait ran out). */
  issueCodes: string[];
  /** Ids of every UpdateAddon made, hops and rollback, in order. */
  updateIds: string[];
  rollback?: { method: 'update' | 'recreate'; succeeded: boolean };
  /** Set when refused because another run holds the add-on's upgrade lock (runUpgradeLocked). */
  heldBy?: { holder: string; runId?: string; since?: string; expiresAt?: string };
  events: UpgradeEvent[];
  message: string;
}
