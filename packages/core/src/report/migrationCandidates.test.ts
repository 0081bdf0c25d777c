import { INFERENCE_ADDON } from '../components/addonComponents';
import { fleetSummary } from '../portal/fleetSummary';
import {
  CLUSTER_REPORT_SCHEMA_VERSION,
  type AddonReport,
  type ClusterReport,
  type InstallMethod,
} from './ClusterReport';
import { migrationCandidates } from './migrationCandidates';

function addon(
  name: string,
  installedVia: InstallMethod,
  migrationCandidate: boolean,
): AddonReport {
  return { name, installedVia, health: 'Healthy', reason: '', migrationCandidate, findings: [] };
}

const report: ClusterReport = {
  schemaVersion: CLUSTER_REPORT_SCHEMA_VERSION,
  cluster: { name: 'prod', region: 'us-west-2', kubernetesVersion: '1.31' },
  health: 'Healthy',
  addons: [
    // On Helm, no add-on yet, a version to move to: the report marks it.
    addon(INFERENCE_ADDON, 'helm', true),
    // Helm and the add-on both install it: a conflict to resolve, not a migration.
    addon('metrics-server', 'both', false),
    addon('vpc-cni', 'addon', false),
    // Marked, but no migration profile knows how to move it.
    addon('some-chart', 'helm', true),
  ],
  errors: [],
  scannedAt: '2026-12-01T00:00:00.000Z',
  durationMs: 1,
};

describe('migrationCandidates', () => {
  it('lists the marked add-ons a profile can move, with that profile', () => {
    expect(migrationCandidates(report).map((c) => [c.addon.name, c.profile])).toEqual([
      [INFERENCE_ADDON, 'hyperpod-inference'],
    ]);
  });

  it("gives the fleet page's count the same number as the cluster tab's list", () => {
    const summary = fleetSummary(
      [{ cluster: { id: 'us-west-2/prod', name: 'prod' }, report }],
      new Date('2026-12-01T00:00:00.000Z'),
    );
    expect(summary.totals.migrationCandidates).toBe(migrationCandidates(report).length);
  });
});
