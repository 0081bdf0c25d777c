/** @jest-environment jsdom */
import type { Entity } from '@backstage/catalog-model';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { EntityProvider, entityRouteRef } from '@backstage/plugin-catalog-react';
import { HYPERPOD_CLUSTER_ARN_ANNOTATION, type ClusterDetail } from '@hyperpod/core';
import { screen, within } from '@testing-library/react';
import { hyperpodApiRef, type HyperpodApi } from '../../api/HyperpodApi';
import {
  clusterEntity,
  demoClusterDetail,
  fakeHyperpodApi,
  portalCluster,
  DEMO_CLUSTERS,
  responseErrorFixture,
  unscannedClusterDetail,
} from '../common/testFixtures';
import { formatTimestamp } from '../common/formatTimestamp';
import { EntityHyperpodCard } from './index';

const CATALOG_ROUTES = { '/catalog/:namespace/:kind/:name': entityRouteRef };

async function renderCard(
  entity: Entity,
  getCluster: HyperpodApi['getCluster'],
  opts: { catalog?: boolean } = {},
) {
  return renderInTestApp(
    <TestApiProvider apis={[[hyperpodApiRef, fakeHyperpodApi({ getCluster })]]}>
      <EntityProvider entity={entity}>
        <EntityHyperpodCard />
      </EntityProvider>
    </TestApiProvider>,
    opts.catalog === false ? {} : { mountedRoutes: CATALOG_ROUTES },
  );
}

const attentionList = () => screen.getByRole('list', { name: 'add-ons that need attention' });

function attentionItem(addon: string): HTMLElement {
  const item = within(attentionList())
    .getAllByRole('listitem')
    .find((li) => li.textContent?.startsWith(addon));
  if (!item) throw new Error(`${addon} is not in the attention list`);
  return item;
}

describe('EntityHyperpodCard', () => {
  it('asks for the cluster ARN annotation when the entity has none, without calling the API', async () => {
    const getCluster = jest.fn<Promise<ClusterDetail>, [string]>();
    await renderCard(clusterEntity('prod', { annotated: false }), getCluster);
    expect(screen.getByText('Missing Annotation')).toBeInTheDocument();
    expect(screen.getAllByText(new RegExp(HYPERPOD_CLUSTER_ARN_ANNOTATION)).length).toBeGreaterThan(
      0,
    );
    expect(getCluster).not.toHaveBeenCalled();
  });

  it('says when the cluster was last scanned in words, the exact time on hover', async () => {
    const detail = demoClusterDetail('prod');
    await renderCard(
      clusterEntity('prod'),
      jest.fn(async () => detail),
    );
    const time = (await screen.findByText('Last scanned')).closest('dl')!.querySelector('time')!;
    const scannedAt = detail.report!.scannedAt;
    expect(time).toHaveAttribute('dateTime', scannedAt);
    expect(time).toHaveTextContent(formatTimestamp(scannedAt)!.relative);
    expect(time).toHaveAttribute('title', formatTimestamp(scannedAt)!.exact);
    expect(time.textContent).not.toContain(scannedAt);
  });

  it('loads the cluster by the ARN in its annotation and shows progress meanwhile', async () => {
    const getCluster = jest.fn((_id: string) => new Promise<ClusterDetail>(() => {}));
    await renderCard(clusterEntity('prod'), getCluster);
    expect(screen.getByTestId('progress')).toBeInTheDocument();
    expect(getCluster).toHaveBeenCalledWith(portalCluster(DEMO_CLUSTERS.prod).arn);
  });

  it("shows the backend's error when the cluster cannot be loaded", async () => {
    const error = await responseErrorFixture(
      404,
      'NotFoundError',
      'no cluster arn:aws:eks:us-east-1:111111111111:cluster/ml-prod-use1 in the fleet',
      'http://localhost:7007/api/hyperpod/clusters/arn%3Aaws%3Aeks',
    );
    await renderCard(
      clusterEntity('prod'),
      jest.fn(() => Promise.reject(error)),
    );
    expect(
      await screen.findByText(
        'Error: Could not load the cluster: no cluster arn:aws:eks:us-east-1:111111111111:cluster/ml-prod-use1 in the fleet',
      ),
    ).toBeInTheDocument();
  });

  it('says so when the cluster has not been scanned yet', async () => {
    await renderCard(
      clusterEntity('prod'),
      jest.fn(async () => unscannedClusterDetail('prod')),
    );
    expect(await screen.findByText(/ml-prod-use1 has not been scanned yet/)).toBeInTheDocument();
    expect(screen.queryByRole('list', { name: 'add-ons that need attention' })).toBeNull();
  });

  it('shows a healthy, current cluster with nothing to attend to', async () => {
    await renderCard(
      clusterEntity('research'),
      jest.fn(async () => demoClusterDetail('research')),
    );
    expect(
      await screen.findByText('All 5 add-ons are healthy, current and installed as EKS add-ons.'),
    ).toBeInTheDocument();
    expect(screen.getAllByLabelText('health Healthy')[0]).toBeInTheDocument();
    expect(screen.getByText('1.32')).toBeInTheDocument();
    expect(screen.getByLabelText('add-ons by health')).toContainElement(
      screen.getByLabelText('5 Healthy'),
    );
    expect(screen.queryByRole('list', { name: 'add-ons that need attention' })).toBeNull();
    expect(screen.queryByText(/Upgrade requests/)).toBeNull();
  });

  it('lists the add-ons of a degraded cluster that need attention, with why', async () => {
    await renderCard(
      clusterEntity('batch'),
      jest.fn(async () => demoClusterDetail('batch')),
    );
    await screen.findByRole('list', { name: 'add-ons that need attention' });

    // Cluster health first, then the counts per health.
    expect(screen.getAllByLabelText('health Degraded')[0]).toBeInTheDocument();
    const counts = screen.getByLabelText('add-ons by health');
    expect(within(counts).getByLabelText('3 Healthy')).toBeInTheDocument();
    expect(within(counts).getByLabelText('2 Degraded')).toBeInTheDocument();

    expect(screen.getByText('Need attention (2)')).toBeInTheDocument();
    expect(within(attentionList()).getAllByRole('listitem')).toHaveLength(2);
    expect(
      within(attentionItem('amazon-sagemaker-hyperpod-inference')).getByText(
        'Deployment hyperpod-inference-system/hyperpod-inference-controller-manager: 0/2 ready',
      ),
    ).toBeInTheDocument();
    expect(
      within(attentionItem('coredns')).getByText('DEGRADED: ConfigurationConflict'),
    ).toBeInTheDocument();
    expect(within(attentionItem('coredns')).getByLabelText('health Degraded')).toBeInTheDocument();

    // One upgrade request is waiting.
    expect(screen.getByText('1 open')).toBeInTheDocument();
  });

  it('lists Helm installs as migration candidates even when healthy', async () => {
    await renderCard(
      clusterEntity('prod'),
      jest.fn(async () => demoClusterDetail('prod')),
    );
    await screen.findByRole('list', { name: 'add-ons that need attention' });
    const inference = attentionItem('amazon-sagemaker-hyperpod-inference');
    expect(
      within(inference).getByLabelText('installed by Helm: migration candidate'),
    ).toBeInTheDocument();
    expect(within(inference).getByLabelText('health Healthy')).toBeInTheDocument();
    expect(
      within(inference).getByText(
        'Helm release kube-system/hyperpod-inference-operator (chart hyperpod-inference-operator 2.2.2): migrate to add-on v1.1.0-eksbuild.1',
      ),
    ).toBeInTheDocument();
    expect(within(attentionList()).getAllByRole('listitem')).toHaveLength(1);
  });

  it('lists add-ons behind the default version with a drift badge', async () => {
    await renderCard(
      clusterEntity('staging'),
      jest.fn(async () => demoClusterDetail('staging')),
    );
    await screen.findByRole('list', { name: 'add-ons that need attention' });
    const inference = attentionItem('amazon-sagemaker-hyperpod-inference');
    expect(
      within(inference).getByLabelText('version drift: behind default, newest v1.2.0-eksbuild.1'),
    ).toBeInTheDocument();
    expect(
      within(inference).getByText('v1.0.0-eksbuild.1 is older than the default v1.1.0-eksbuild.1'),
    ).toBeInTheDocument();
    expect(screen.getByText('2 open')).toBeInTheDocument();
  });

  it("links to the cluster's Hyperpod tab", async () => {
    await renderCard(
      clusterEntity('batch'),
      jest.fn(async () => demoClusterDetail('batch')),
    );
    const link = await screen.findByRole('link', { name: /Open the Hyperpod tab/ });
    expect(link).toHaveAttribute('href', '/catalog/default/resource/ml-batch-use1/hyperpod');
  });

  it('names the Hyperpod tab in words when the catalog route is not bound', async () => {
    await renderCard(
      clusterEntity('batch'),
      jest.fn(async () => demoClusterDetail('batch')),
      {
        catalog: false,
      },
    );
    expect(await screen.findByText(/are on this cluster’s Hyperpod tab/)).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: /Open the Hyperpod tab/ })).toBeNull();
  });
});
