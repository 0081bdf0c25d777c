import { explainAddonIssue } from '../health/addonIssues';
import type { AddonReport } from './ClusterReport';
import { topFix } from './topFix';

const degraded: AddonReport = {
  name: 'amazon-sagemaker-hyperpod-inference',
  installedVia: 'addon',
  health: 'Degraded',
  reason: 'DEGRADED: InsufficientNumberOfReplicas',
  addon: {
    version: 'v1.1.0-eksbuild.1',
    status: 'DEGRADED',
    issues: [
      explainAddonIssue({
        code: 'InsufficientNumberOfReplicas',
        message: "The add-on is unhealthy because it doesn't have the desired number of replicas.",
        resourceIds: [],
      }),
    ],
  },
  migrationCandidate: false,
  findings: [
    { code: 'migration-target', health: 'Healthy', message: 'informational', fix: 'not this one' },
  ],
};

describe('topFix', () => {
  it('is the fix of the worst issue or finding of an add-on that is not Healthy', () => {
    expect(topFix(degraded)).toBe(degraded.addon!.issues[0]!.fix);
    expect(topFix(degraded)).toMatch(/pods/);
  });

  it('prefers a Missing finding over a Degraded issue', () => {
    const missing: AddonReport = {
      ...degraded,
      health: 'Missing',
      findings: [
        {
          code: 'csi-driver-missing',
          health: 'Missing',
          message: 'x',
          fix: 'aws eks create-addon …',
        },
      ],
    };
    expect(topFix(missing)).toBe('aws eks create-addon …');
  });

  it('is undefined for a Healthy add-on, and when nothing unhealthy carries a fix', () => {
    expect(topFix({ ...degraded, health: 'Healthy' })).toBeUndefined();
    expect(
      topFix({ ...degraded, addon: { ...degraded.addon!, issues: [] }, findings: [] }),
    ).toBeUndefined();
  });
});
