/**
 * Which add-ons a migration can move from Helm to an EKS add-on: the report marks the candidate
 * (a Helm install, no add-on yet, an add-on version to move to) and a migration profile must know
 * the add-on. The fleet page's count and the cluster tab's list both come from here, so they agree.
 */
import { findProfile } from '../migrate/profiles';
import type { AddonReport } from './ClusterReport';

export interface MigrationCandidate {
  addon: AddonReport;
  /** The id of the migration profile that moves it. */
  profile: string;
}

/** The profile that migrates `addon`, when it is a migration candidate; else undefined. */
export function migrationCandidateProfile(addon: {
  name: string;
  migrationCandidate: boolean;
}): string | undefined {
  return addon.migrationCandidate ? findProfile(addon.name)?.id : undefined;
}

/** The report's add-ons a migration can move, each with its profile. */
export function migrationCandidates(report: {
  addons: readonly AddonReport[];
}): MigrationCandidate[] {
  return report.addons.flatMap((addon) => {
    const profile = migrationCandidateProfile(addon);
    return profile ? [{ addon, profile }] : [];
  });
}
