/** @jest-environment jsdom */
import type { ClusterDetail, UpgradeRequest } from '@hyperpod/core';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  clusterEntity,
  demoClusterDetail,
  fakeHyperpodApi,
  upgradeRequestFixture,
} from '../common/testFixtures';
import { ClusterTabLoader } from './ClusterTabLoader';
import { backendError, deferred, renderWithApis } from './testApp';

const PROD_ARN = 'arn:aws:eks:us-east-1:111111111111:cluster/ml-prod-use1';

describe('ClusterTabLoader (what the plugin mounts as EntityHyperpodContent)', () => {
  it('reads the cluster, its requests and the permissions once, and the tab shows them', async () => {
    const cluster = deferred<ClusterDetail>();
    const requests = deferred<UpgradeRequest[]>();
    const api = fakeHyperpodApi({
      getCluster: jest.fn(() => cluster.promise),
      listRequests: jest.fn(() => requests.promise),
    });
    const { asked } = await renderWithApis(<ClusterTabLoader />, {
      api,
      entity: clusterEntity('prod'),
    });
    // The reads are under way before anything has answered.
    expect(api.getCluster).toHaveBeenCalledWith(PROD_ARN);
    expect(api.listRequests).toHaveBeenCalledWith({ cluster: PROD_ARN });
    cluster.resolve(demoClusterDetail('prod'));
    const request = upgradeRequestFixture('prod');
    requests.resolve([request]);
    expect(await screen.findByRole('heading', { name: 'ml-prod-use1' })).toBeInTheDocument();
    expect(await screen.findByText(request.reason, { exact: false })).toBeInTheDocument();
    // The tab took the wrapper's reads instead of reading again.
    expect(api.getCluster).toHaveBeenCalledTimes(1);
    expect(api.listRequests).toHaveBeenCalledTimes(1);
    await waitFor(() =>
      expect(asked.map((a) => a.permission).sort()).toEqual(
        ['hyperpod.migration.run', 'hyperpod.upgrade.approve', 'hyperpod.upgrade.request'].sort(),
      ),
    );
    expect(asked.every((a) => a.resourceRef === PROD_ARN)).toBe(true);
  });

  it("shows the first read's failure, and Retry reads again", async () => {
    const getCluster = jest
      .fn()
      .mockImplementationOnce(async () => {
        throw await backendError(503, 'ServiceUnavailableError', 'the fleet is still loading');
      })
      .mockImplementation(async () => demoClusterDetail('prod'));
    const api = fakeHyperpodApi({ getCluster, listRequests: jest.fn(async () => []) });
    await renderWithApis(<ClusterTabLoader />, { api, entity: clusterEntity('prod') });
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Could not load the cluster');
    expect(alert).toHaveTextContent('the fleet is still loading');
    await userEvent.click(within(alert).getByRole('button', { name: 'Retry' }));
    expect(await screen.findByRole('heading', { name: 'ml-prod-use1' })).toBeInTheDocument();
    expect(getCluster).toHaveBeenCalledTimes(2);
  });

  it('reads nothing for an entity without the ARN annotation and says what is missing', async () => {
    const api = fakeHyperpodApi({ getCluster: jest.fn(), listRequests: jest.fn() });
    const { asked } = await renderWithApis(<ClusterTabLoader />, {
      api,
      entity: clusterEntity('prod', { annotated: false }),
    });
    expect(await screen.findByText('No EKS cluster ARN on this entity')).toBeInTheDocument();
    expect(api.getCluster).not.toHaveBeenCalled();
    expect(api.listRequests).not.toHaveBeenCalled();
    expect(asked).toEqual([]);
  });
});
