import { demoFleet } from '../common/testFixtures';
import { distinctValues, filterClusters, sortClusters } from './fleetRows';

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
});
