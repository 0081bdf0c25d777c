import type { ClusterReport } from './ClusterReport';
import { accountMismatch } from './accountMismatch';

const report = (arn: string | undefined): ClusterReport => ({
  schemaVersion: 1,
  cluster: { name: 'ml-staging-usw2', arn, region: 'us-west-2' },
  health: 'Healthy',
  addons: [],
  errors: [],
  scannedAt: '2026-12-06T07:00:00.000Z',
  durationMs: 1,
});

describe('accountMismatch', () => {
  const arn = 'arn:aws:eks:us-west-2:222222222222:cluster/ml-staging-usw2';

  it('is a check-account scan error when the cluster was read from another account', () => {
    expect(accountMismatch('111111111111', report(arn))).toEqual({
      kind: 'InvalidParameter',
      service: 'eks',
      operation: 'DescribeCluster',
      step: 'check account',
      message: expect.stringMatching(
        /expected in account 111111111111 but was read from account 222222222222/,
      ),
    });
  });

  it('is nothing when the accounts agree, nothing was expected, or the cluster was not read', () => {
    expect(accountMismatch('222222222222', report(arn))).toBeUndefined();
    expect(accountMismatch(undefined, report(arn))).toBeUndefined();
    expect(accountMismatch('111111111111', report(undefined))).toBeUndefined();
  });
});
