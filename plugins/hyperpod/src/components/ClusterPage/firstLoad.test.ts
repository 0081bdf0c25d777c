import type { ClusterDetail } from '@hyperpod/core';
import { demoClusterDetail, fakeHyperpodApi } from '../common/testFixtures';
import { FIRST_LOAD_MAX_AGE_MS, startClusterFirstLoad, takeClusterFirstLoad } from './firstLoad';

const ARN = 'arn:aws:eks:us-east-1:111111111111:cluster/ml-prod-use1';

const api = () =>
  fakeHyperpodApi({
    getCluster: jest.fn(async () => demoClusterDetail('prod')),
    listRequests: jest.fn(async () => []),
  });

describe('the cluster tab first load', () => {
  it('starts the cluster and request reads once, and hands each out once', async () => {
    const a = api();
    startClusterFirstLoad(a, ARN, 1000);
    startClusterFirstLoad(a, ARN, 1500); // a re-render: already under way
    expect(a.getCluster).toHaveBeenCalledTimes(1);
    expect(a.getCluster).toHaveBeenCalledWith(ARN);
    expect(a.listRequests).toHaveBeenCalledWith({ cluster: ARN });

    const cluster = takeClusterFirstLoad(a, ARN, 'cluster', 2000);
    expect((await cluster)?.cluster.name).toBe('ml-prod-use1');
    expect(takeClusterFirstLoad(a, ARN, 'cluster', 2000)).toBeUndefined();
    expect(await takeClusterFirstLoad(a, ARN, 'requests', 2000)).toEqual([]);
    expect(takeClusterFirstLoad(a, ARN, 'requests', 2000)).toBeUndefined();
    // Both taken: the next start reads again.
    startClusterFirstLoad(a, ARN, 2500);
    expect(a.getCluster).toHaveBeenCalledTimes(2);
  });

  it('hands out nothing it did not start, for another cluster or another API instance', () => {
    const a = api();
    startClusterFirstLoad(a, ARN, 0);
    expect(takeClusterFirstLoad(a, `${ARN}-other`, 'cluster', 0)).toBeUndefined();
    expect(takeClusterFirstLoad(api(), ARN, 'cluster', 0)).toBeUndefined();
    expect(takeClusterFirstLoad(a, ARN, 'cluster', 0)).toBeDefined();
  });

  it('drops a read older than the limit and starts a new one', () => {
    const a = api();
    startClusterFirstLoad(a, ARN, 0);
    expect(takeClusterFirstLoad(a, ARN, 'cluster', FIRST_LOAD_MAX_AGE_MS + 1)).toBeUndefined();
    startClusterFirstLoad(a, ARN, FIRST_LOAD_MAX_AGE_MS + 2);
    expect(a.getCluster).toHaveBeenCalledTimes(2);
    expect(takeClusterFirstLoad(a, ARN, 'cluster', FIRST_LOAD_MAX_AGE_MS + 3)).toBeDefined();
  });

  it('a failed read rejects for the one who takes it, and is not an unhandled rejection', async () => {
    const unhandled = jest.fn();
    process.on('unhandledRejection', unhandled);
    try {
      const a = fakeHyperpodApi({
        getCluster: jest.fn(async (): Promise<ClusterDetail> => {
          throw new Error('backend down');
        }),
        listRequests: jest.fn(async () => {
          throw new Error('backend down');
        }),
      });
      startClusterFirstLoad(a, ARN, 0);
      await new Promise((r) => setTimeout(r, 10));
      expect(unhandled).not.toHaveBeenCalled();
      await expect(takeClusterFirstLoad(a, ARN, 'cluster', 0)).rejects.toThrow('backend down');
    } finally {
      process.off('unhandledRejection', unhandled);
    }
  });
});
