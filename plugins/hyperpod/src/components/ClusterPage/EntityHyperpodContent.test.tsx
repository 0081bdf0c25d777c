/** @jest-environment jsdom */
import { HYPERPOD_CLUSTER_ARN_ANNOTATION, type ClusterDetail } from '@hyperpod/core';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  UNREADABLE_CLUSTER,
  clusterEntity,
  demoClusterDetail,
  fakeHyperpodApi,
  portalCluster,
  unreadableReport,
  unscannedClusterDetail,
  upgradeRequestFixture,
} from '../common/testFixtures';
import { EntityHyperpodContent } from './EntityHyperpodContent';
import { backendError, deferred, renderWithApis } from './testApp';

const PROD_ARN = 'arn:aws:eks:us-east-1:111111111111:cluster/ml-prod-use1';

const UNREADABLE = portalCluster(UNREADABLE_CLUSTER);

/** The tab of the entity whose ARN is the unreadable cluster's, the backend answering `detail`. */
async function renderUnreadable(detail: ClusterDetail) {
  const api = fakeHyperpodApi({
    getCluster: jest.fn(async () => detail),
    listRequests: jest.fn(async () => []),
  });
  const entity = {
    ...clusterEntity('prod'),
    metadata: {
      name: UNREADABLE.name,
      annotations: { [HYPERPOD_CLUSTER_ARN_ANNOTATION]: UNREADABLE.arn! },
    },
  };
  await renderWithApis(<EntityHyperpodContent />, { api, entity });
}

describe('EntityHyperpodContent', () => {
  it('names the missing ARN annotation and asks the backend nothing', async () => {
    const api = fakeHyperpodApi({ getCluster: jest.fn() });
    await renderWithApis(<EntityHyperpodContent />, {
      api,
      entity: clusterEntity('prod', { annotated: false }),
    });
    expect(screen.getByText('No EKS cluster ARN on this entity')).toBeInTheDocument();
    expect(screen.getAllByText(HYPERPOD_CLUSTER_ARN_ANNOTATION, { exact: false })[0]).toBeVisible();
    expect(api.getCluster).not.toHaveBeenCalled();
  });

  it('shows a loading state, then the cluster of the annotated ARN with its add-ons', async () => {
    const pending = deferred<ClusterDetail>();
    const api = fakeHyperpodApi({
      getCluster: jest.fn(() => pending.promise),
      listRequests: jest.fn(async () => []),
    });
    await renderWithApis(<EntityHyperpodContent />, { api, entity: clusterEntity('prod') });
    expect(screen.getByText('Loading the cluster…')).toBeInTheDocument();
    expect(api.getCluster).toHaveBeenCalledWith(PROD_ARN);

    pending.resolve(demoClusterDetail('prod'));
    expect(await screen.findByRole('heading', { name: 'ml-prod-use1' })).toBeInTheDocument();
    expect(screen.queryByText('Loading the cluster…')).not.toBeInTheDocument();
    for (const addon of ['vpc-cni', 'coredns', 'kube-proxy', 'amazon-sagemaker-hyperpod-inference'])
      expect(screen.getByRole('heading', { name: addon })).toBeInTheDocument();
    expect(screen.getByText(/Kubernetes 1\.31 · us-east-1 · account 111111111111/)).toBeVisible();
    // The Helm install of the inference operator offers a migration.
    expect(screen.getByText('Migrate from Helm to EKS add-ons')).toBeInTheDocument();
    expect(await screen.findByText('No upgrade requests for this cluster yet.')).toBeVisible();
    expect(api.listRequests).toHaveBeenCalledWith({ cluster: PROD_ARN });
  });

  it('asks for the requests and every permission while the cluster loads, not after', async () => {
    const pending = deferred<ClusterDetail>();
    const api = fakeHyperpodApi({
      getCluster: jest.fn(() => pending.promise),
      listRequests: jest.fn(async () => []),
    });
    const { asked } = await renderWithApis(<EntityHyperpodContent />, {
      api,
      entity: clusterEntity('prod'),
    });
    expect(screen.getByText('Loading the cluster…')).toBeInTheDocument();
    expect(await screen.findByText('No upgrade requests for this cluster yet.')).toBeVisible();
    expect(api.listRequests).toHaveBeenCalledWith({ cluster: PROD_ARN });
    await waitFor(() =>
      expect(asked.map((a) => a.permission).sort()).toEqual(
        ['hyperpod.migration.run', 'hyperpod.upgrade.approve', 'hyperpod.upgrade.request'].sort(),
      ),
    );
    expect(asked.every((a) => a.resourceRef === PROD_ARN)).toBe(true);
    pending.resolve(demoClusterDetail('prod'));
    expect(await screen.findByRole('heading', { name: 'ml-prod-use1' })).toBeInTheDocument();
    // The list stayed mounted: the requests were read once.
    expect(api.listRequests).toHaveBeenCalledTimes(1);
  });

  it("shows the backend's message when the cluster cannot be loaded, and retries", async () => {
    const getCluster = jest
      .fn()
      .mockImplementationOnce(async () => {
        throw await backendError(404, 'NotFoundError', `no cluster ${PROD_ARN} in the fleet`);
      })
      .mockImplementation(async () => demoClusterDetail('prod'));
    const api = fakeHyperpodApi({ getCluster, listRequests: jest.fn(async () => []) });
    await renderWithApis(<EntityHyperpodContent />, { api, entity: clusterEntity('prod') });

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Could not load the cluster');
    expect(alert).toHaveTextContent(`Not found (404): no cluster ${PROD_ARN} in the fleet`);
    await userEvent.click(within(alert).getByRole('button', { name: 'Retry' }));
    expect(await screen.findByRole('heading', { name: 'ml-prod-use1' })).toBeInTheDocument();
    expect(getCluster).toHaveBeenCalledTimes(2);
  });

  it('refreshes: scans the cluster, then reloads it', async () => {
    const before = demoClusterDetail('staging');
    const after = demoClusterDetail('research');
    const getCluster = jest
      .fn()
      .mockResolvedValueOnce(before)
      .mockResolvedValue({
        ...before,
        report: { ...after.report!, cluster: before.report!.cluster },
      });
    const scan = deferred<void>();
    const refreshCluster = jest.fn(() => scan.promise);
    const api = fakeHyperpodApi({
      getCluster,
      refreshCluster,
      listRequests: jest.fn(async () => []),
    });
    const staging = clusterEntity('staging');
    await renderWithApis(<EntityHyperpodContent />, { api, entity: staging });
    await screen.findByRole('heading', { name: 'ml-staging-usw2' });
    // staging runs the inference add-on at v1.0.0, behind the default.
    expect(screen.getByText(/Installed v1\.0\.0-eksbuild\.1/)).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Refresh: scan the cluster now' }));
    expect(refreshCluster).toHaveBeenCalledWith(
      staging.metadata.annotations![HYPERPOD_CLUSTER_ARN_ANNOTATION],
    );
    expect(screen.getByRole('button', { name: 'Scanning the cluster' })).toBeDisabled();
    scan.resolve();
    await waitFor(() => expect(getCluster).toHaveBeenCalledTimes(2));
    expect(await screen.findByText(/Installed v1\.2\.0-eksbuild\.1/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Refresh: scan the cluster now' })).toBeEnabled();
  });

  it('says when the scan could not be started', async () => {
    const api = fakeHyperpodApi({
      getCluster: jest.fn(async () => demoClusterDetail('research')),
      refreshCluster: jest.fn(async () => {
        throw await backendError(404, 'NotFoundError', 'no cluster ml-research-usw2');
      }),
      listRequests: jest.fn(async () => []),
    });
    await renderWithApis(<EntityHyperpodContent />, { api, entity: clusterEntity('research') });
    await userEvent.click(
      await screen.findByRole('button', { name: 'Refresh: scan the cluster now' }),
    );
    expect(await screen.findByText('The scan could not be started')).toBeInTheDocument();
    expect(screen.getByText(/Not found \(404\): no cluster ml-research-usw2/)).toBeVisible();
  });

  it('shows an empty state for a cluster not scanned yet, and still lists its requests', async () => {
    const request = upgradeRequestFixture('dev', { state: 'approved' });
    const api = fakeHyperpodApi({
      getCluster: jest.fn(async () => unscannedClusterDetail('dev')),
      listRequests: jest.fn(async () => [request]),
    });
    await renderWithApis(<EntityHyperpodContent />, { api, entity: clusterEntity('dev') });
    expect(await screen.findByText(/The portal has not finished a scan/)).toBeVisible();
    expect(screen.getAllByText('Not scanned yet').length).toBe(2);
    expect(screen.queryByText('Request an add-on upgrade')).not.toBeInTheDocument();
    expect(await screen.findByText('approved (waiting to run)')).toBeInTheDocument();
  });

  it('shows a refused read as the missing permission and the file that grants it (the backend’s line)', async () => {
    const unreadable = unreadableReport();
    const line =
      'missing permission eks:DescribeCluster on arn:aws:eks:us-east-1:333333333333:cluster/x, granted by statement EksReadClustersAndAddons of permissions/iam/hyperpod-readonly.json';
    const detail: ClusterDetail = {
      cluster: UNREADABLE,
      report: { ...unreadable, errors: unreadable.errors.map((e) => ({ ...e, permission: line })) },
      requests: [],
    };
    await renderUnreadable(detail);
    expect(await screen.findByText(`describe cluster: ${line}`)).toBeVisible();
    expect(screen.queryByText(/is not authorized to perform/)).not.toBeInTheDocument();
  });

  it("lists the last scan's errors for a cluster that could not be read", async () => {
    await renderUnreadable({ cluster: UNREADABLE, report: unreadableReport(), requests: [] });
    expect(await screen.findByText('The last scan could not read everything')).toBeVisible();
    expect(
      screen.getByText(
        /describe cluster: User: .* is not authorized to perform: eks:DescribeCluster/,
      ),
    ).toBeVisible();
    expect(
      screen.getByText(
        'No add-ons were found on this cluster (the last scan could not read everything).',
      ),
    ).toBeVisible();
    expect(screen.getByLabelText('health Unknown')).toHaveTextContent('Unknown');
  });

  it('offers no migration on a cluster without a Helm install', async () => {
    const api = fakeHyperpodApi({
      getCluster: jest.fn(async () => demoClusterDetail('research')),
      listRequests: jest.fn(async () => []),
    });
    await renderWithApis(<EntityHyperpodContent />, { api, entity: clusterEntity('research') });
    await screen.findByRole('heading', { name: 'ml-research-usw2' });
    expect(screen.queryByText('Migrate from Helm to EKS add-ons')).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Preview plan/ })).not.toBeInTheDocument();
  });
});
