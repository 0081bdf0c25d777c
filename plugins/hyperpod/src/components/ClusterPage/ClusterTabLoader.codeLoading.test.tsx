/** @jest-environment jsdom */
import type { ClusterDetail } from '@hyperpod/core';
import { screen, waitFor } from '@testing-library/react';
import { clusterEntity, fakeHyperpodApi } from '../common/testFixtures';
import { ClusterTabLoader } from './ClusterTabLoader';
import { deferred, renderWithApis } from './testApp';

// The tab's code that has not arrived yet: its component suspends for good.
jest.mock('./index', () => ({
  EntityHyperpodContent: () => {
    throw new Promise(() => undefined);
  },
}));

const PROD_ARN = 'arn:aws:eks:us-east-1:111111111111:cluster/ml-prod-use1';

it('starts the reads and asks the permissions while the tab code is still loading', async () => {
  const api = fakeHyperpodApi({
    getCluster: jest.fn(() => deferred<ClusterDetail>().promise),
    listRequests: jest.fn(async () => []),
  });
  const { asked } = await renderWithApis(<ClusterTabLoader />, {
    api,
    entity: clusterEntity('prod'),
  });
  expect(screen.getByRole('progressbar', { name: 'Loading the hyperpod tab' })).toBeVisible();
  expect(api.getCluster).toHaveBeenCalledWith(PROD_ARN);
  expect(api.listRequests).toHaveBeenCalledWith({ cluster: PROD_ARN });
  await waitFor(() =>
    expect(asked.map((a) => a.permission).sort()).toEqual(
      ['hyperpod.migration.run', 'hyperpod.upgrade.approve', 'hyperpod.upgrade.request'].sort(),
    ),
  );
});
