import { demoFleet } from '../common/testFixtures';
import { distinctValues, filterClusters, formatAge, sortClusters } from './fleetRows';

describe('fleetRows', () => {
  const { clusters } = demoFleet();

  it('filters combine with AND, and an empty filter keeps everything', () => {
    expect(filterClusters(clusters, {})).toHaveLength(clusters.length);
    expect(
      filterClusters(clusters, { region: 'us-east-1', health: 'Degraded', text: ' BATCH ' }).map(
        (c) => c.name,
      ),
    ).toEqual(['ml-batch-use1']);
    expect(filterClusters(clusters, { region: 'us-east-1', account: '333333333333' })).toEqual([]);
  });

  it('sorts ties by name ascending whatever the direction', () => {
    const desc = sortClusters(clusters, { key: 'region', direction: 'desc' }).map((c) => c.name);
    expect(desc.slice(0, 3)).toEqual(['ml-canary-usw2', 'ml-research-usw2', 'ml-staging-usw2']);
    expect(desc.at(-1)).toBe('ml-eval-euw1');
  });

  it('offers each account, region and owner once, sorted, skipping clusters without one', () => {
    expect(distinctValues(clusters, 'region')).toEqual(['eu-west-1', 'us-east-1', 'us-west-2']);
    expect(distinctValues(clusters, 'owner')).toEqual([
      'group:default/ml-batch',
      'group:default/ml-eval',
      'group:default/ml-platform',
      'group:default/ml-research',
    ]);
  });

  it('formats ages short', () => {
    const now = new Date('2025-11-03T09:30:00.000Z');
    expect(formatAge('2025-11-03T09:29:40.000Z', now)).toBe('just now');
    expect(formatAge('2025-11-03T09:26:00.000Z', now)).toBe('4 min ago');
    expect(formatAge('2025-11-03T06:00:00.000Z', now)).toBe('3 h ago');
    expect(formatAge('2025-10-31T09:30:00.000Z', now)).toBe('3 d ago');
    // A clock a little ahead of the browser's is not "in the future".
    expect(formatAge('2025-11-03T09:31:00.000Z', now)).toBe('just now');
  });
});
